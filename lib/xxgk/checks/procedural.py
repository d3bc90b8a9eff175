"""Procedural rules (spec §4.4): deadline, statistical period, sections present, length of 一, topics of 一,
format for the year, problems and measures in 五.

The content rules (P5, P8) look for keywords only and accept many wordings: a real report that covers a topic
in its own words must not be flagged.
"""

from __future__ import annotations

import datetime as dt
import re

from xxgk.checks.base import ERROR, WARNING, rule
from xxgk.checks.context import Collector, Ctx, has_narrative
from xxgk.checks.narrative import PREAMBLE_NAME, clean
from xxgk.formats import FormatError, format_for_year
from xxgk.model import AGENCY_LEVELS, BLANK, SECTION_IDS

#: P1: per agency level, the (month, day) of year Y+1 after which publication is late, and how bad that is
DEADLINES: dict[str, tuple[tuple[tuple[int, int], str], ...]] = {
    AGENCY_LEVELS[0]: (((1, 31), ERROR),),  # 县级以上人民政府部门 (条例第四十九条)
    AGENCY_LEVELS[1]: (((1, 31), ERROR),),  # 县级以上人民政府办公厅（室） 本机关报告
    AGENCY_LEVELS[2]: (((1, 31), WARNING),),  # 乡镇人民政府: 参照部门
    AGENCY_LEVELS[3]: (((1, 31), WARNING),),  # 街道办事处
    AGENCY_LEVELS[4]: (((2, 20), WARNING), ((3, 31), ERROR)),  # 县级政府
    AGENCY_LEVELS[5]: (((3, 10), WARNING), ((3, 31), ERROR)),  # 地市级政府
    AGENCY_LEVELS[6]: (((3, 31), ERROR),),  # 省级政府
    AGENCY_LEVELS[7]: (((3, 31), ERROR),),  # 垂直管理系统
}
if set(DEADLINES) != set(AGENCY_LEVELS):  # pragma: no cover - guards edits to model.AGENCY_LEVELS
    raise RuntimeError("P1 deadlines do not cover every agency level")

#: sections that must have text; the other three are present through their table or their text
TEXT_SECTIONS = ("s1", "s5", "s6")
#: P4: the 2021 format's 「篇幅原则上不超过一千字」 for 一、总体情况
S1_LIMIT = 1000

_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
PERIOD = re.compile(
    rf"统计(?:期限|时限|时间段|时段|期间|区间|时间|周期|范围)?[^。；\d]{{0,10}}?{_DATE}(?:起)?"
    r"(?:至|到|—|－|-|~|～)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")

#: P5: the topics 一、总体情况 covers (format instruction), with the words that show a topic is covered;
#: the 2019 instruction names the platform topic 「平台建设」
S1_TOPICS = {
    "主动公开": "主动公开|主动发布|信息发布|发布信息|公开信息|(?:发布|公开)(?:各类|相关|重要|重点)?(?:政府|政务)信息",
    "依申请公开": "依申请|公开申请|申请公开|信息申请|申请人",
    "政府信息管理": "信息管理|审查|审核|保密|公开属性|属性认定|源头认定|目录|台账|清理|归档",
    "政府信息公开平台建设": "平台|网站|新媒体|公众号|微信|微博|公报|专栏|专区|公开栏|查阅点|查阅场所",
    "监督保障": "监督|保障|考核|考评|培训|督查|督导|督促|检查|评议|问责|追究|追责|组织领导|领导小组|责任制",
}
S1_TOPIC_NAMES_2019 = {"政府信息公开平台建设": "平台建设"}
#: P5: levels whose report is that of a people's government (条例第五十条第四项 「各级人民政府」); the
#: 办公厅（室） reports its own work, 街道办事处 and vertical systems are not governments
GOVERNMENT_LEVELS = (AGENCY_LEVELS[2], AGENCY_LEVELS[4], AGENCY_LEVELS[5], AGENCY_LEVELS[6])
#: P5: what a government's report must also contain, looked for anywhere in its text
GOVERNMENT_ITEMS = (
    ("工作考核", re.compile("考核|考评|绩效")),
    ("社会评议", re.compile("评议|社会评价|群众评价|满意度|测评|第三方评估")),
    ("责任追究", re.compile("追究|追责|问责")),
)
#: P8: words that state a problem, and words that state a measure, in 五
PROBLEM_WORDS = re.compile(
    "问题|不足|差距|短板|薄弱|欠缺|缺乏|有待|不够|不到位|不充分|不完善|不平衡|不及时|不规范|不高|不强|不深"
    "|仍需|还需|尚需|亟需|滞后|单一|偏少|较少|困难|瓶颈"
)
MEASURE_WORDS = re.compile(
    "改进|措施|举措|整改|下一步|今后|将|计划|拟|加强|完善|提升|提高|推进|强化|优化|健全|加大|着力|持续|深化|确保"
)


@rule("P1", ERROR, "按期发布（条例第四十九条及格式通知规定的期限）")
def p1_deadline(ctx: Ctx):
    """Published by the deadline of the agency's level in year Y+1, and not before year Y ended."""
    r = ctx.report
    if r.published is None or r.agency.level not in DEADLINES:  # another tool's level name: kept, not assessable
        return []
    col = Collector(ctx, "P1", ERROR)
    if r.published < dt.date(r.year + 1, 1, 1):
        col.fail(
            f"发布日期{r.published.isoformat()}早于报告年度结束（{r.year}年12月31日），年度数据不可能完整，请核实发布日期",
            severity=WARNING,
        )
        return col.done()
    late = [
        (dt.date(r.year + 1, m, d), sev)
        for (m, d), sev in DEADLINES[r.agency.level]
        if r.published > dt.date(r.year + 1, m, d)
    ]
    if late:
        deadline, severity = late[-1]
        col.fail(
            f"发布日期{r.published.isoformat()}晚于{deadline.year}年{deadline.month}月{deadline.day}日"
            f"（{r.agency.level}的{r.year}年度报告应在此前公布）",
            severity=severity,
        )
    return col.done()


@rule("P2", ERROR, "统计期限为报告年度1月1日至12月31日")
def p2_period(ctx: Ctx):
    """A stated statistical period is 1 January to 31 December of the report year."""
    r = ctx.report
    col = Collector(ctx, "P2", ERROR)
    want = (r.year, 1, 1, r.year, 12, 31)
    for sid in ("preamble", *SECTION_IDS):
        text = clean(r.preamble if sid == "preamble" else r.section_text(sid))
        where = PREAMBLE_NAME if sid == "preamble" else ctx.fmt.section(sid).heading
        for m in PERIOD.finditer(text):
            got = tuple(int(g) if g else int(m.group(1)) for g in m.groups())  # 「至12月31日」: same year
            if got != want:
                col.fail(f"{where}：「{m.group(0)}」与报告年度不符，统计期限应为{r.year}年1月1日至{r.year}年12月31日")
    return col.done()


@rule("P3", ERROR, "六个部分齐全：一、五、六须有文字，二、三、四须有表格数据或文字")
def p3_sections(ctx: Ctx):
    """Sections 一, 五, 六 have text; 二, 三, 四 have table values or text."""
    r, fmt = ctx.report, ctx.fmt
    col = Collector(ctx, "P3", ERROR)
    if not has_narrative(r):
        return col.no_text("六个部分是否齐全")
    for section in fmt.sections:
        if r.section_text(section.id).strip():
            continue
        if section.id in TEXT_SECTIONS:
            col.fail(f"缺少「{section.heading}」部分的内容")
        elif section.table and all(r.cell(c).state == BLANK for c in fmt.cell_ids(section.table)):
            col.fail(f"缺少「{section.heading}」部分：表格全部空白，也没有文字")
    return col.done()


@rule("P4", WARNING, "2021年格式：一、总体情况篇幅原则上不超过一千字")
def p4_length(ctx: Ctx):
    """2021 format: 一、总体情况 has at most 1000 Chinese characters."""
    if ctx.fmt.id != "2021":
        return []
    n = len(_CJK.findall(ctx.report.section_text("s1")))
    col = Collector(ctx, "P4", WARNING)
    if n > S1_LIMIT:
        col.fail(f"「{ctx.fmt.section('s1').heading}」有{n}个汉字，超过格式规定的篇幅（原则上不超过{S1_LIMIT}字）")
    return col.done()


def _section_text(ctx: Ctx, col: Collector, section_id: str, what: str, purpose: str) -> tuple[str, str] | None:
    """A section's heading and cleaned text; None, with the not-assessable finding recorded in ``col``, when the
    document has no narrative at all (``what`` cannot be checked) or the section has no text (``purpose``)."""
    if not has_narrative(ctx.report):
        col.findings.extend(col.no_text(what))
        return None
    heading = ctx.fmt.section(section_id).heading
    text = clean(ctx.report.section_text(section_id)).strip()
    if not text:
        col.not_assessable(f"「{heading}」没有文字，无法核对{purpose}")
        return None
    return heading, text


@rule("P5", WARNING, "一、总体情况涵盖主动公开、依申请公开、政府信息管理、平台建设、监督保障等方面")
def p5_topics(ctx: Ctx):
    """一 mentions each topic of the format instruction; a government's report also states 考核、评议、追究."""
    r, fmt = ctx.report, ctx.fmt
    col = Collector(ctx, "P5", WARNING)
    got = _section_text(ctx, col, "s1", "一、总体情况是否涵盖主动公开、依申请公开等方面", "其是否涵盖主动公开、依申请公开等方面")
    if got is None:
        return col.done()
    heading, text = got
    names = {t: S1_TOPIC_NAMES_2019.get(t, t) if fmt.id == "2019" else t for t in S1_TOPICS}
    missing = [names[t] for t, words in S1_TOPICS.items() if not re.search(words, text)]
    if missing:
        col.fail(
            f"「{heading}」未涉及{'、'.join(missing)}方面的内容（格式要求总体情况主要包括{'、'.join(names.values())}等方面）"
        )
    if r.agency.level in GOVERNMENT_LEVELS:
        everything = clean(r.preamble + "\n" + "\n".join(r.section_text(s) for s in SECTION_IDS))
        absent = [name for name, words in GOVERNMENT_ITEMS if not words.search(everything)]
        if absent:
            col.fail(
                f"{r.agency.level}的年度报告未见{'、'.join(absent)}结果情况"
                "（条例第五十条第四项：各级人民政府的年度报告还应包括工作考核、社会评议和责任追究结果情况）"
            )
    return col.done()


@rule("P7", ERROR, "格式版本与报告年度相符（2019–2020年用2019年格式，2021年起用2021年格式）")
def p7_format(ctx: Ctx):
    """The format fits the report year."""
    r = ctx.report
    col = Collector(ctx, "P7", ERROR)
    try:
        expected = format_for_year(r.year)
    except FormatError:
        col.fail(f"报告年度{r.year}年没有适用的全国统一格式，不能使用{r.fmt.document}格式")
        return col.done()
    if expected.id != r.format_id:
        col.fail(
            f"{r.year}年度报告应使用{expected.document}《{expected.name}》，实际使用{r.fmt.document}《{r.fmt.name}》"
        )
    return col.done()


@rule("P8", WARNING, "五、存在的主要问题及改进情况既写明存在的问题，也写明改进措施")
def p8_problems(ctx: Ctx):
    """五 names problems (问题、不足、差距 …) and measures (改进、措施、整改、下一步、将 …)."""
    col = Collector(ctx, "P8", WARNING)
    got = _section_text(ctx, col, "s5", "存在的主要问题及改进情况", "是否写明存在的问题和改进措施")
    if got is None:
        return col.done()
    heading, text = got
    problems, measures = PROBLEM_WORDS.search(text), MEASURE_WORDS.search(text)
    if problems and measures:
        return []
    shown = f"（现有内容：「{text[:30]}{'…' if len(text) > 30 else ''}」）"
    if not problems and not measures:
        col.fail(f"「{heading}」既未写明存在的主要问题，也未写明改进措施{shown}")
    elif not problems:
        col.fail(f"「{heading}」只写了改进措施，未写明存在的主要问题{shown}")
    else:
        col.fail(f"「{heading}」只写了存在的问题，未写明改进措施{shown}")
    return col.done()
