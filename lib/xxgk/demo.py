"""Synthetic, fully consistent params files for demos, tests and benchmarks (agency names marked 示例).

Every table adds up, year follows year (carried over = last year's carried forward; 现行有效件数 and
上一年项目数量 roll forward), the narrative states the table's own figures and changes from year to year.
Output is deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from xxgk.errors import UserError
from xxgk.formats import format_for_year
from xxgk.i18n import _
from xxgk.model import Agency, Cell, Report, Signature
from xxgk.params import params_path
from xxgk.params_write import save_params
from xxgk.validate import year_problem

DEPARTMENTS = (
    "教育局", "财政局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "农业农村局",
    "商务局", "文化广电旅游局", "卫生健康委员会", "市场监督管理局", "人力资源和社会保障局", "民政局",
    "司法局", "应急管理局", "统计局", "医疗保障局", "水利局", "审计局", "发展和改革委员会",
)  # fmt: skip
GOVERNMENT_LEVELS = ("乡镇人民政府", "街道办事处", "县级政府", "地市级政府", "省级政府")
APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")
APPLICANT_WEIGHTS = (82, 9, 1, 1, 3, 4)
WITHHELD = ("state_secret", "prohibited", "security", "third_party", "internal", "process", "enforcement", "inquiry")
UNAVAILABLE = ("not_held", "needs_creation", "unclear")
REJECTED = ("petition", "repeated", "publication", "excessive", "confirmation")
FOCUS = (
    "财政预决算", "重大建设项目", "公共资源配置", "社会公益事业", "行政执法公示", "“放管服”改革", "惠企政策",
    "民生实事项目", "乡村振兴", "安全生产", "生态环境保护", "营商环境优化", "就业创业", "养老服务",
)  # fmt: skip


def parse_years(text: str) -> list[int]:
    """Years from '2019-2024', '2021' or '2019,2021'; UserError when malformed."""
    years: set[int] = set()
    for part in str(text).split(","):
        m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if not m:
            raise UserError(_("--years: expected a year or a range like 2019-2024, got {text!r}").format(text=text))
        a, b = int(m[1]), int(m[2] or m[1])
        if b < a:
            raise UserError(_("--years: range {part} runs backwards").format(part=part.strip()))
        years.update(range(a, b + 1))
    for y in sorted(years):
        if year_problem(y):
            raise UserError(_("--years: {year_problem}").format(year_problem=year_problem(y)))
        format_for_year(y)
    return sorted(years)


def demo_agencies(n: int, seed: int = 1) -> list[Agency]:
    """N demo agencies: mostly departments, some towns, streets and governments; names marked 示例."""
    rng = random.Random(f"agencies-{seed}")
    out = []
    counts: Counter = Counter()
    for i in range(1, n + 1):
        r = rng.random()
        level = ("县级以上人民政府部门" if r < 0.78 else "乡镇人民政府" if r < 0.88 else "街道办事处" if r < 0.93
                 else "县级以上人民政府办公厅（室）" if r < 0.95 else "县级政府" if r < 0.98 else "地市级政府")  # fmt: skip
        counts[level] += 1
        k = counts[level]
        if level == "县级以上人民政府部门":
            name = f"示例市{DEPARTMENTS[k - 1]}（示例）" if k <= len(DEPARTMENTS) else f"示例市第{k}局（示例）"
        elif level == "乡镇人民政府":
            name = f"示例县第{k}镇人民政府（示例）"
        elif level == "街道办事处":
            name = f"示例区第{k}街道办事处（示例）"
        elif level == "县级以上人民政府办公厅（室）":
            name = f"示例第{k}县人民政府办公室（示例）"
        elif level == "县级政府":
            name = f"示例第{k}县人民政府（示例）"
        else:
            name = f"示例第{k}市人民政府（示例）"
        out.append(Agency(f"demo-{i:0{max(3, len(str(n)))}d}", name, level, "demo-gov"))
    return out


def _multinomial(rng: random.Random, n: int, weights) -> list[int]:
    counts = Counter(rng.choices(range(len(weights)), weights=weights, k=n)) if n > 0 else Counter()
    return [counts[i] for i in range(len(weights))]


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, lam**0.5)))
    k, p, limit = 0, 1.0, pow(2.718281828459045, -lam)
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class _AgencyState:
    """What carries from one year to the next for one agency."""

    def __init__(self, agency: Agency, rng: random.Random) -> None:
        self.agency = agency
        self.rng = rng
        self.size = min(rng.lognormvariate(0.0, 1.3), 60.0)  # most agencies small, a few large
        if agency.level in ("县级政府", "地市级政府"):
            self.size *= 4
        self.offset = rng.randrange(97)
        self.carry = [0] * len(APPLICANTS)
        self.in_force = {"regulations": 0, "normative_documents": rng.randrange(3, 40)}
        self.items = {row: rng.randrange(0, 60) for row in ("licensing", "other_services", "punishment", "coercion", "fees")}
        self.items["fees"] = rng.randrange(0, 8)
        self.changes: dict[str, int] = {}
        self.makes_rules = agency.level == "地市级政府"


def _set(report: Report, table: str, row: str, cols, values) -> None:
    for col, v in zip(cols, values):
        report.cells[f"{table}.{row}.{col}"] = Cell.of(v)


def _table3(report: Report, st: _AgencyState) -> dict:
    rng, fmt = st.rng, report.fmt
    new_total = _poisson(rng, st.size * (3.0 + 0.3 * (report.year - 2019)))
    new = _multinomial(rng, new_total, APPLICANT_WEIGHTS)
    carried_in = list(st.carry)
    outcome_rows = [r.id for r in fmt.table("t3").rows if r.id not in ("new_received", "carried_over", "total_handled", "carried_forward")]
    weights = {"granted": 44, "partly_granted": 9}
    weights.update({f"withheld_{w}": 0.7 for w in WITHHELD})
    weights.update({"unavailable_not_held": 24, "unavailable_needs_creation": 3, "unavailable_unclear": 2})
    weights.update({f"rejected_{r}": 1.5 for r in REJECTED})
    handled, forward = {r: [0] * 6 for r in outcome_rows}, [0] * 6
    for c in range(6):
        available = new[c] + carried_in[c]
        fwd = sum(1 for _ in range(available) if rng.random() < 0.04)
        forward[c] = fwd
        plain = [r for r in outcome_rows if r in weights]
        for r, k in zip(plain, _multinomial(rng, available - fwd, [weights[r] for r in plain])):
            handled[r][c] = k
    others = [r for r in outcome_rows if r not in weights]  # （六）其他处理: kept rare (T3-OTHER-HIGH)
    closed = sum(sum(v) for v in handled.values())
    if others and closed >= 30 and rng.random() < 0.5:
        c = max(range(6), key=lambda i: handled["granted"][i])
        if handled["granted"][c] > 0:
            handled["granted"][c] -= 1
            handled[rng.choice(others)][c] += 1
    cols = [c.id for c in fmt.table("t3").blocks[0].columns]

    def put(row, values):
        _set(report, "t3", row, cols, [*values, sum(values)])

    put("new_received", new)
    put("carried_over", carried_in)
    for r in outcome_rows:
        put(r, handled[r])
    put("total_handled", [sum(handled[r][c] for r in outcome_rows) for c in range(6)])
    put("carried_forward", forward)
    st.carry = forward

    def total(rows):
        return sum(sum(handled[r]) for r in rows)

    return {
        "new": sum(new), "carried_in": sum(carried_in), "handled": total(outcome_rows), "forward": sum(forward),
        "granted": total(["granted"]), "partly": total(["partly_granted"]),
        "withheld": total([r for r in outcome_rows if r.startswith("withheld_")]),
        "unavailable": total([r for r in outcome_rows if r.startswith("unavailable_")]),
        "rejected": total([r for r in outcome_rows if r.startswith("rejected_")]),
    }  # fmt: skip


def _table4(report: Report, st: _AgencyState) -> dict:
    rng = st.rng
    out = {}
    for row, lam in (("review", 0.05), ("direct_suit", 0.02), ("suit_after_review", 0.01)):
        n = _poisson(rng, st.size * lam * 3)
        parts = _multinomial(rng, n, (70, 12, 10, 8))
        _set(report, "t4", row, ("upheld", "corrected", "other", "pending", "total"), [*parts, n])
        out[row] = n
    return out


def _table2(report: Report, st: _AgencyState) -> dict:
    rng, s = st.rng, st.size
    if report.format_id == "2021":
        st.changes.clear()
        facts = {}
        for row in ("regulations", "normative_documents"):
            if row == "regulations" and not st.makes_rules:
                issued = repealed = 0
            else:
                issued = _poisson(rng, 1.5 + s**0.5 * (0.5 if row == "regulations" else 1.5))
                repealed = min(st.in_force[row], _poisson(rng, 0.3 + s**0.5 * 0.5))
            st.in_force[row] += issued - repealed
            _set(report, "t2", row, ("issued", "repealed", "in_force"), (issued, repealed, st.in_force[row]))
            facts[row] = issued
        for row, lam in (("licensing", 120), ("punishment", 40), ("coercion", 4)):
            _set(report, "t2", row, ("decisions",), (_poisson(rng, s * lam),))
        amount = Decimal(round(rng.lognormvariate(2.0, 1.5) * s, 4)).quantize(Decimal("0.0001")) if rng.random() < 0.6 else Decimal(0)
        report.cells["t2.fees.amount"] = Cell.of(int(amount) if amount == amount.to_integral_value() else amount.normalize())
        return facts
    facts = {}
    for row in ("regulations", "normative_documents"):
        made = 0 if row == "regulations" and not st.makes_rules else _poisson(rng, 1.0 + s**0.5 * 1.5)
        published = made
        st.in_force[row] += published
        _set(report, "t2", row, ("made", "published", "total_published"), (made, published, st.in_force[row]))
        facts[row] = made
    for row, lam in (("licensing", 120), ("other_services", 60), ("punishment", 40), ("coercion", 4), ("fees", 0)):
        prior = st.items[row] + st.changes.get(row, 0)
        change = rng.choice((-2, -1, 0, 0, 0, 1, 2, 3)) if prior > 3 else rng.choice((0, 0, 1, 2))
        st.items[row], st.changes[row] = prior, change
        values = (prior, change) if row == "fees" else (prior, change, _poisson(rng, s * lam))
        cols = ("prior_items", "change") if row == "fees" else ("prior_items", "change", "decisions")
        _set(report, "t2", row, cols, values)
    projects = _poisson(rng, s * 6)
    amount = Decimal(round(projects * rng.uniform(5, 80), 4)).quantize(Decimal("0.0001")) if projects else Decimal(0)
    report.cells["t2.procurement.projects"] = Cell.of(projects)
    report.cells["t2.procurement.amount"] = Cell.of(int(amount) if amount == amount.to_integral_value() else amount.normalize())
    return facts


# ------------------------------------------------------------------ narrative

_OPEN = (
    "{y}年，{me}坚持以公开为常态、不公开为例外，围绕{f1}、{f2}等重点领域，通过门户网站、政务新媒体等渠道及时发布政府信息，"
    "同步做好政策文件解读，全年主动公开政府信息{pub}条。",
    "{me}将主动公开作为{y}年政务公开的首要任务，动态调整主动公开基本目录，重点加强{f1}信息和{f2}信息的发布，"
    "累计发布各类信息{pub}条，确保群众看得到、看得懂。",
    "{y}年，{me}细化主动公开工作清单，按照“谁制作、谁公开”原则压实科室责任，在{f1}、{f2}方面推出专题栏目，"
    "主动公开信息{pub}条，图文解读和政策问答同步上线。",
    "围绕年度中心工作，{me}持续深化{f1}领域信息公开，扩大{f2}相关信息的公开范围，{y}年共发布信息{pub}条，"
    "并对涉及群众切身利益的政策开展多形式解读。",
    "{y}年，{me}聚焦{f1}和{f2}，坚持“应公开、尽公开”，对拟公开信息逐条审核后发布，全年主动公开政府信息{pub}条，"
    "发布时效较上年进一步提高。",
)
_REQUEST = (
    "{y}年，{me}新收政府信息公开申请{new}件，上年结转{cin}件，已办结{done}件，结转下年度继续办理{fwd}件。"
    "所有申请均在法定期限内答复，答复文书格式规范、告知事项完整。",
    "依申请公开方面，{me}严格执行登记、承办、审核、答复、归档流程，{y}年共新收申请{new}件，上年结转{cin}件，"
    "办结{done}件，另有{fwd}件结转下年度继续办理。",
    "{me}完善依申请公开工作机制，法制审核全程参与答复把关。{y}年新收政府信息公开申请{new}件，上年结转{cin}件，"
    "全年办结{done}件，结转下年度继续办理{fwd}件。",
    "{y}年，{me}进一步畅通线上、线下申请渠道，及时更新政府信息公开指南。全年新收申请{new}件，上年结转{cin}件，"
    "办结{done}件，结转下年度{fwd}件，未发生超期答复情况。",
)
_MANAGE = (
    "严格落实公开前保密审查和合法性审查，对拟公开文件逐件明确公开属性，{y}年未发生泄密或不当公开事件。",
    "组织开展规范性文件清理，对已废止、失效文件在网站上作出明确标注，保证公开文件的准确性和时效性。",
    "建立政府信息公开台账，定期核对已公开信息，及时更新失效内容，全年信息管理工作平稳有序。",
    "修订本机关政府信息公开审查办法，明确“先审查、后公开”和“一事一审”要求，审查记录留存备查。",
    "梳理{y}年度政策文件和业务数据，分类纳入政府信息管理目录，实现信息来源可溯、去向可查。",
)
_PLATFORM = (
    "持续加强政府信息公开平台建设，优化门户网站政府信息公开专栏，做好栏目内容保障，网站全年安全平稳运行。",
    "推进政府信息公开平台集约化建设，统一栏目设置和内容标准，政务新媒体与门户网站协同发布。",
    "完善政府信息公开专栏检索和导航功能，提升移动端浏览体验，方便公众查阅获取信息。",
    "对政府信息公开平台开展常态化巡查，对错链、断链和空白栏目及时整改，平台可用性进一步提升。",
)
_OVERSIGHT = (
    "将政务公开工作纳入年度绩效考核，主要负责同志专题研究部署，分管负责同志具体抓落实，{y}年未发生责任追究情况。",
    "组织政务公开业务培训，邀请专家讲解《条例》要点和依申请公开答复规范，工作人员业务水平有所提升。",
    "建立政务公开工作自查制度，每季度开展一次检查，对发现的问题建立清单、限期整改，监督保障机制不断健全。",
    "认真接受社会评议和上级检查，对反馈意见逐条研究、逐项落实，政务公开工作质量持续提高。",
)
_GOVERNMENT = (
    "工作考核、社会评议和责任追究结果情况：{y}年将政务公开纳入对下级单位的年度考核，开展社会评议，未发生责任追究情况。",
    "工作考核、社会评议和责任追究结果情况：组织开展年度政务公开考核和第三方社会评议，结果通报各单位，全年无责任追究事项。",
)
_PROBLEMS = (
    "政策解读的形式还比较单一，图解、视频等群众喜闻乐见的解读方式运用不多",
    "部分科室对主动公开的认识不够到位，信息报送的及时性有待提高",
    "依申请公开答复的说理性还需加强，个别答复告知内容不够具体",
    "政府信息公开平台部分栏目更新频率不高，内容不够丰富",
    "政务公开队伍人员变动较多，专业化水平与工作要求还有差距",
    "重点领域信息公开的深度不够，公众关注的数据类信息发布偏少",
    "政务新媒体与门户网站的信息联动不够紧密，互动回应还不充分",
)
_MEASURES = (
    "丰富解读形式，对重要政策同步推出图解、问答和短视频解读",
    "建立信息报送提醒和通报机制，将信息公开时效纳入科室考核",
    "加强依申请公开答复审核，定期开展案例研讨，提高答复规范性",
    "开展平台栏目梳理，明确各栏目责任科室和更新时限",
    "举办政务公开专题培训，组织业务骨干参加上级业务交流",
    "围绕群众关切扩大数据开放范围，按季度发布重点领域统计信息",
    "推动政务新媒体与门户网站协同发布，及时回应网民留言和咨询",
)


def _pick(pool, key: int):
    return pool[key % len(pool)]


def _narrative(report: Report, st: _AgencyState, t3: dict, t4: dict) -> None:
    y, me = report.year, "本机关"
    k = y + st.offset  # rotates every paragraph from one year to the next (X-SIMILAR)
    rng = st.rng
    f1, f2 = FOCUS[k % len(FOCUS)], FOCUS[(k * 3 + 5) % len(FOCUS)]
    pub = max(5, _poisson(rng, 40 + st.size * 60))
    request = _pick(_REQUEST, k).format(y=y, me=me, new=t3["new"], cin=t3["carried_in"], done=t3["handled"], fwd=t3["forward"])
    if t3["handled"]:
        request += (f"办理结果中，予以公开{t3['granted']}件，部分公开{t3['partly']}件，不予公开{t3['withheld']}件，"
                    f"无法提供{t3['unavailable']}件，不予处理{t3['rejected']}件。")  # fmt: skip
    lit = t4["direct_suit"] + t4["suit_after_review"]
    review = (f"全年因政府信息公开被申请行政复议{t4['review']}件、提起行政诉讼{lit}件。" if t4["review"] or lit
              else "全年未发生因政府信息公开被申请行政复议或提起行政诉讼的情况。")  # fmt: skip
    oversight = _pick(_OVERSIGHT, k).format(y=y)
    if report.agency.level in GOVERNMENT_LEVELS:
        oversight += _pick(_GOVERNMENT, k).format(y=y)
    report.sections["s1"] = "\n\n".join((
        "（一）主动公开方面。" + _pick(_OPEN, k).format(y=y, me=me, f1=f1, f2=f2, pub=pub),
        "（二）依申请公开方面。" + request + review,
        "（三）政府信息管理方面。" + _pick(_MANAGE, k + 1).format(y=y),
        "（四）政府信息公开平台建设方面。" + _pick(_PLATFORM, k + 2),
        "（五）监督保障方面。" + oversight,
    ))  # fmt: skip
    problems = [_pick(_PROBLEMS, k), _pick(_PROBLEMS, k + 3)]
    measures = [_pick(_MEASURES, k), _pick(_MEASURES, k + 3), _pick(_MEASURES, k + 5)]
    report.sections["s5"] = "\n\n".join((
        f"{y}年，{me}政府信息公开工作取得一定成效，但仍存在一些问题：一是{problems[0]}；二是{problems[1]}。",
        f"针对上述问题，{y + 1}年将重点做好以下改进：（一）{measures[0]}；（二）{measures[1]}；（三）{measures[2]}。"
        f"同时对{y}年整改措施落实情况开展跟踪检查，确保改进措施见到实效。",
    ))  # fmt: skip
    if report.format_id == "2021":
        fee = rng.choice((0, 0, 0, 0, 100, 250, 400)) if st.size > 3 else 0
        report.sections["s6"] = (f"{y}年，{me}未收取信息处理费。" if not fee
                                 else f"{y}年，{me}依据《政府信息公开信息处理费管理办法》收取信息处理费{fee}元。")  # fmt: skip
        if rng.random() < 0.3:
            report.sections["s6"] += "无其他需要报告的事项。"
    else:
        report.sections["s6"] = rng.choice(("无其他需要报告的事项。", f"{y}年度无其他需要报告的事项。"))
    for sid in ("s2", "s3", "s4"):
        report.sections.setdefault(sid, "")


def demo_report(st: _AgencyState, year: int) -> Report:
    """One year's report of an agency; advances the agency's state to the next year."""
    fmt = format_for_year(year)
    a = st.agency
    published = dt.date(year + 1, 1, st.rng.randrange(8, 27))
    report = Report(agency=a, year=year, format_id=fmt.id, published=published)
    report.preamble = (
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{fmt.document}要求编制，"
        f"全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、"
        f"存在的主要问题及改进情况、其他需要报告的事项。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        f"本报告为示例数据，如对本报告有疑问，请与{a.name}办公室联系。"
    )
    report.contact = f"{a.name}办公室（示例地址，电话：0000-0000000）"
    report.signature = Signature(a.name, published)
    _table2(report, st)
    t3 = _table3(report, st)
    t4 = _table4(report, st)
    report.complete_cells()
    _narrative(report, st, t3, t4)
    return report


def generate(n_agencies: int, years, seed: int = 1):
    """Yield demo reports, agency by agency, in year order."""
    for i, agency in enumerate(demo_agencies(n_agencies, seed), 1):
        st = _AgencyState(agency, random.Random(f"demo-{seed}-{i}"))
        for year in sorted(years):
            yield demo_report(st, year)


DEMO_GOVERNMENT = Agency("demo-gov", "示例县人民政府（示例）", "县级政府")


def demo_roster(n_agencies: int, seed: int = 1) -> str:
    """The office roster of the demo: the county government and every demo agency under it."""
    from xxgk.roster import Member, dump_roster

    towns = ("乡镇人民政府", "街道办事处")
    members = [Member(DEMO_GOVERNMENT.id, DEMO_GOVERNMENT.name, DEMO_GOVERNMENT.level, group="本级政府")]
    members += [Member(a.id, a.name, a.level, a.parent, group="乡镇街道" if a.level in towns else "部门")
                for a in demo_agencies(n_agencies, seed)]  # fmt: skip
    return dump_roster(members)


def write_demo(out: str | Path, n_agencies: int, years, seed: int = 1) -> list[Path]:
    """Write demo params files to ``<out>/<year>/<agency>.yaml`` and the roster ``<out>/agencies.yaml``."""
    from xxgk.params_write import write_text_atomic

    write_text_atomic(Path(out) / "agencies.yaml", demo_roster(n_agencies, seed))
    return [save_params(r, params_path(out, r.year, r.agency.id)) for r in generate(n_agencies, years, seed)]


def main(args) -> int:
    """``xxgk demo --agencies N --years 2019-2024 --out DIR --seed S``."""
    if args.agencies < 1:
        raise UserError(_("--agencies: expected at least 1"))
    years = parse_years(args.years)
    paths = write_demo(args.out, args.agencies, years, args.seed)
    print(_("wrote {n} demo params files ({agencies} agencies × {n2} years) to {out}").format(n=len(paths), agencies=args.agencies, n2=len(years), out=args.out))
    return 0
