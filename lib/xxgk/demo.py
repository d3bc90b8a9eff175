"""Synthetic, fully consistent params files for demos, tests and benchmarks (agency names marked 示例).

Every table adds up, year follows year (carried over = last year's carried forward; 现行有效件数 and
上一年项目数量 roll forward), the narrative states the table's own figures and changes from year to year.
Output is deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from xxgk.demo_text import narrative, poisson
from xxgk.errors import UserError
from xxgk.formats import format_for_year
from xxgk.i18n import _
from xxgk.model import Agency, Cell, Report, Signature
from xxgk.params import params_path
from xxgk.params_write import file_sha256, save_params
from xxgk.validate import year_problem

DEPARTMENTS = (
    "教育局", "财政局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "农业农村局",
    "商务局", "文化广电旅游局", "卫生健康委员会", "市场监督管理局", "人力资源和社会保障局", "民政局",
    "司法局", "应急管理局", "统计局", "医疗保障局", "水利局", "审计局", "发展和改革委员会",
)  # fmt: skip
APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")
APPLICANT_WEIGHTS = (82, 9, 1, 1, 3, 4)
WITHHELD = ("state_secret", "prohibited", "security", "third_party", "internal", "process", "enforcement", "inquiry")
UNAVAILABLE = ("not_held", "needs_creation", "unclear")
REJECTED = ("petition", "repeated", "publication", "excessive", "confirmation")


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


DEMO_GOVERNMENT = Agency("demo-gov", "示例县人民政府（示例）", "县级政府")
TOWN_LEVELS = ("乡镇人民政府", "街道办事处")


def demo_agencies(n: int, seed: int = 1) -> list[Agency]:
    """N demo agencies: the county government ``demo-gov`` first, then the rest under it split about 2:1 into
    departments and towns (every third town a 街道); names marked 示例. ``seed`` is kept for the callers."""
    members = n - 1
    towns = members // 3
    width = max(3, len(str(n)))
    out = [Agency(DEMO_GOVERNMENT.id, DEMO_GOVERNMENT.name, DEMO_GOVERNMENT.level)]  # a copy: callers rename ids
    for i in range(1, members + 1):
        if i <= members - towns:
            level, k = "县级以上人民政府部门", i
            name = f"示例县{DEPARTMENTS[k - 1]}（示例）" if k <= len(DEPARTMENTS) else f"示例县第{k}局（示例）"
        else:
            k = i - (members - towns)
            level = TOWN_LEVELS[1] if k % 3 == 0 else TOWN_LEVELS[0]
            name = f"示例县第{k}街道办事处（示例）" if k % 3 == 0 else f"示例县第{k}镇人民政府（示例）"
        out.append(Agency(f"demo-{i:0{width}d}", name, level, DEMO_GOVERNMENT.id))
    return out


def _multinomial(rng: random.Random, n: int, weights) -> list[int]:
    counts = Counter(rng.choices(range(len(weights)), weights=weights, k=n)) if n > 0 else Counter()
    return [counts[i] for i in range(len(weights))]


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
    new_total = poisson(rng, st.size * (3.0 + 0.3 * (report.year - 2019)))
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
        n = poisson(rng, st.size * lam * 3)
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
                issued = poisson(rng, 1.5 + s**0.5 * (0.5 if row == "regulations" else 1.5))
                repealed = min(st.in_force[row], poisson(rng, 0.3 + s**0.5 * 0.5))
            st.in_force[row] += issued - repealed
            _set(report, "t2", row, ("issued", "repealed", "in_force"), (issued, repealed, st.in_force[row]))
            facts[row] = issued
        for row, lam in (("licensing", 120), ("punishment", 40), ("coercion", 4)):
            _set(report, "t2", row, ("decisions",), (poisson(rng, s * lam),))
        amount = Decimal(round(rng.lognormvariate(2.0, 1.5) * s, 4)).quantize(Decimal("0.0001")) if rng.random() < 0.6 else Decimal(0)
        report.cells["t2.fees.amount"] = Cell.of(int(amount) if amount == amount.to_integral_value() else amount.normalize())
        return facts
    facts = {}
    for row in ("regulations", "normative_documents"):
        made = 0 if row == "regulations" and not st.makes_rules else poisson(rng, 1.0 + s**0.5 * 1.5)
        published = made
        st.in_force[row] += published
        _set(report, "t2", row, ("made", "published", "total_published"), (made, published, st.in_force[row]))
        facts[row] = made
    for row, lam in (("licensing", 120), ("other_services", 60), ("punishment", 40), ("coercion", 4), ("fees", 0)):
        prior = st.items[row] + st.changes.get(row, 0)
        change = rng.choice((-2, -1, 0, 0, 0, 1, 2, 3)) if prior > 3 else rng.choice((0, 0, 1, 2))
        st.items[row], st.changes[row] = prior, change
        values = (prior, change) if row == "fees" else (prior, change, poisson(rng, s * lam))
        cols = ("prior_items", "change") if row == "fees" else ("prior_items", "change", "decisions")
        _set(report, "t2", row, cols, values)
    projects = poisson(rng, s * 6)
    amount = Decimal(round(projects * rng.uniform(5, 80), 4)).quantize(Decimal("0.0001")) if projects else Decimal(0)
    report.cells["t2.procurement.projects"] = Cell.of(projects)
    report.cells["t2.procurement.amount"] = Cell.of(int(amount) if amount == amount.to_integral_value() else amount.normalize())
    return facts


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
    narrative(report, st, t3, t4)
    return report


def _facts(report: Report) -> tuple[dict, dict]:
    """The 表三/表四 totals the narrative states, read back from a report's cells."""
    rows = [r.id for r in report.fmt.table("t3").rows]

    def total(pred) -> int:
        return sum(report.value(f"t3.{r}.total") or 0 for r in rows if pred(r))

    t3 = {"new": report.value("t3.new_received.total"), "carried_in": report.value("t3.carried_over.total"),
          "handled": report.value("t3.total_handled.total"), "forward": report.value("t3.carried_forward.total"),
          "granted": report.value("t3.granted.total"), "partly": report.value("t3.partly_granted.total"),
          "withheld": total(lambda r: r.startswith("withheld_")),
          "unavailable": total(lambda r: r.startswith("unavailable_")),
          "rejected": total(lambda r: r.startswith("rejected_"))}  # fmt: skip
    t4 = {row: report.value(f"t4.{row}.total") for row in ("review", "direct_suit", "suit_after_review")}
    return t3, t4


def government_report(st: _AgencyState, year: int, totals: dict, members: list[str]) -> Report:
    """The county government's consolidated report: 表二–表四 the members' cell sums (rule H-SUM), ``members``
    set, published in February (its deadline is later than its members')."""
    report = demo_report(st, year)
    for cid, total in totals.items():
        report.cells[cid] = Cell.blank() if total is None else Cell.of(total)
    report.members = list(members)
    report.published = dt.date(year + 1, 2, st.rng.randrange(2, 19))
    report.signature = Signature(report.agency.name, report.published)
    report.preamble += "本报告表二至表四为本级政府所属部门和乡镇（街道）数据汇总。"
    narrative(report, st, *_facts(report))
    return report


def generate(n_agencies: int, years, seed: int = 1):
    """Yield demo reports, agency by agency, in year order; the government (consolidating the others) last."""
    from xxgk.checks.consolidation import cell_sum, summed_cells

    gov, *members = demo_agencies(n_agencies, seed)
    sums: dict[int, dict] = {}
    for i, agency in enumerate(members, 1):
        st = _AgencyState(agency, random.Random(f"demo-{seed}-{i}"))
        for year in sorted(years):
            report = demo_report(st, year)
            acc = sums.setdefault(year, {})
            for cid in summed_cells(report.fmt):
                acc[cid] = cell_sum((acc.get(cid), report.value(cid)))
            yield report
    st = _AgencyState(gov, random.Random(f"demo-{seed}-gov"))
    ids = [a.id for a in members]
    for year in sorted(years):
        yield government_report(st, year, sums[year], ids) if members else demo_report(st, year)


def demo_roster(n_agencies: int, seed: int = 1) -> str:
    """The office roster of the demo: the county government (本级政府), its departments (部门) and towns (乡镇街道)."""
    from xxgk.roster import Member, dump_roster

    def group(a: Agency) -> str:
        return "本级政府" if a.parent is None else "乡镇街道" if a.level in TOWN_LEVELS else "部门"

    return dump_roster([Member(a.id, a.name, a.level, a.parent, group=group(a)) for a in demo_agencies(n_agencies, seed)])


# ------------------------------------------------------------------ writing, never over someone's work

RECORD_NAME = ".demo.json"
RECORD_SCHEMA = "xxgk.demo/1"


def _load_record(out: Path) -> dict[str, str]:
    """What ``xxgk demo`` last wrote into ``out``: relative path → SHA-256 (empty when unreadable or absent)."""
    try:
        doc = json.loads((out / RECORD_NAME).read_text(encoding="utf-8"))
        return dict(doc["written"]) if doc.get("schema") == RECORD_SCHEMA else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def written_by_demo(params_file: str | Path) -> bool:
    """Whether a params file ``<out>/<year>/<agency>.yaml`` is exactly as ``xxgk demo`` wrote it (not a hand edit)."""
    path = Path(params_file)
    out = path.parent.parent
    try:
        return _load_record(out).get(path.relative_to(out).as_posix()) == file_sha256(path)
    except OSError:
        return False


def would_overwrite(out: str | Path, n_agencies: int, years, seed: int = 1) -> list[str]:
    """What writing the demo into ``out`` would destroy: a different existing roster (not the empty one of ``xxgk
    init``), and every existing params file
    that ``xxgk demo`` did not write or that was changed since (by hand, by collect, by rollup)."""
    from xxgk.roster import roster_path

    out = Path(out)
    record = _load_record(out)
    found = []
    roster = roster_path(out)
    from xxgk.workspace import EMPTY_ROSTER  # the empty roster ``xxgk init`` writes holds nothing to lose

    if roster.is_file() and roster.read_text(encoding="utf-8") not in (demo_roster(n_agencies, seed), EMPTY_ROSTER):
        found.append(_("{path} (the roster of agencies, different from the demo's)").format(path=roster))
    for a in demo_agencies(n_agencies, seed):
        for year in sorted(years):
            path = params_path(out, year, a.id)
            if path.is_file() and record.get(path.relative_to(out).as_posix()) != file_sha256(path):
                found.append(_("{path} (changed by hand or not written by xxgk demo)").format(path=path))
    return found


def write_demo(out: str | Path, n_agencies: int, years, seed: int = 1, force: bool = False) -> list[Path]:
    """Write demo params files to ``<out>/<year>/<agency>.yaml`` and the roster ``<out>/agencies.yaml``; UserError
    listing what would be overwritten (see ``would_overwrite``) unless ``force``."""
    from xxgk.params_write import write_text_atomic
    from xxgk.roster import roster_path

    out = Path(out)
    if not force and (lost := would_overwrite(out, n_agencies, years, seed)):
        shown = "\n  ".join(lost[:20]) + (_("\n  … ({n} in total)").format(n=len(lost)) if len(lost) > 20 else "")
        raise UserError(_("not overwriting existing files in {out}:\n  {files}\nchoose another --out, or "
                          "replace them with --force").format(out=out, files=shown))  # fmt: skip
    record = _load_record(out)
    paths = [write_text_atomic(roster_path(out), demo_roster(n_agencies, seed))]
    for report in generate(n_agencies, years, seed):
        paths.append(save_params(report, params_path(out, report.year, report.agency.id)))
    for p in paths:
        record[p.relative_to(out).as_posix()] = file_sha256(p)
    doc = {"schema": RECORD_SCHEMA, "written": dict(sorted(record.items()))}
    write_text_atomic(out / RECORD_NAME, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    return paths[1:]


def main(args) -> int:
    """``xxgk demo --agencies N --years 2019-2024 --out DIR --seed S``."""
    if args.agencies < 1:
        raise UserError(_("--agencies: expected at least 1"))
    years = parse_years(args.years)
    paths = write_demo(args.out, args.agencies, years, args.seed, force=getattr(args, "force", False))
    print(_("wrote {n} demo params files ({agencies} agencies × {years} years) and the roster agencies.yaml to {out}; "
            "demo-gov is the consolidated report of the others").format(
        n=len(paths), agencies=args.agencies, years=len(years), out=args.out))  # fmt: skip
    return 0
