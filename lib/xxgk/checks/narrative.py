"""Narrative ↔ table rules (spec §4.3): numbers stated in the text (applications, outcomes, 规章 and 规范性文件,
review and litigation), the fee statement, the year narrated.

The patterns are deliberately conservative: a sentence is read only when its wording is unambiguous,
because a false alarm on a correct report costs more than a missed mismatch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from xxgk.checks.base import ERROR, WARNING, rule
from xxgk.checks.context import (
    CARRIED_IN,
    CARRY_OUT,
    NEW,
    REJECTED,
    TOTAL_HANDLED,
    UNAVAILABLE,
    WITHHELD,
    Collector,
    Ctx,
    cell_id,
    fmt_num,
    has_narrative,
    t3_group_rows,
    total_column,
)

#: the narrative read by the N-* rules: the preamble and sections 一 to 四
SOURCES = ("preamble", "s1", "s2", "s3", "s4")
PREAMBLE_NAME = "报告开头"

_HSPACE = re.compile(r"[ \t\r\u3000\xa0]+")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
_YEAR = re.compile(r"(\d{4})年")
_NUM = r"(?P<n>\d[\d,]*)件"
_GAP = r"[^，,。；：:！？\d（()）]"
_MID = r"(?:的)?(?:申请|政府信息公开申请|案件|事项)?(?:共计|共|合计|为|数为|数量为)?"

#: words that show a sentence part is about something else than disclosure applications
_OTHER_MATTERS = re.compile("复议|诉讼|信访|投诉|举报|许可|咨询|留言|问政|诉求|来信|来电|建议|提案|热线|审批|备案")

RECEIVED = re.compile(rf"(?:收到|受理|新收|接收|接到)(?P<mid>{_GAP}{{0,16}}?)申请(?P<mid2>{_GAP}{{0,8}}?){_NUM}")
NONE_RECEIVED = re.compile(rf"(?:未|没有)(?:收到|受理|接到|接收)(?:过|到)?(?P<mid>{_GAP}{{0,16}}?)申请")
INCLUDES_CARRIED = re.compile(r"(?:含|包括|包含)[^，。；）)]{0,6}?结转")
HANDLED = re.compile(rf"(?:办结|答复)(?:了)?{_MID}{_NUM}")
CARRY_OUT_AFTER = re.compile(
    rf"{_NUM}(?:申请)?(?:已)?(?:结转|顺延|转入)(?:到|至|入)?(?:下一?年度?|(?P<y>\d{{4}})年度?)?"
)
CARRY_OUT_BEFORE = re.compile(
    rf"(?:结转|顺延|转入)(?:到|至|入)?(?:下一?年度?|(?P<y>\d{{4}})年度?)(?:继续)?(?:办理|答复|处理)?{_MID}{_NUM}"
)
CARRIED_IN_RE = re.compile(rf"(?:上一?年度?|去年|(?P<y>\d{{4}})年度?)结转(?:而来)?(?:的)?{_MID}{_NUM}")
BOTH = re.compile(rf"(?<![不分])予以公开(?:及|和|与|、|或)部分公开{_MID}{_NUM}")
GRANTED = re.compile(rf"(?<![不分])予以公开{_MID}{_NUM}")
PARTLY = re.compile(rf"部分公开{_MID}{_NUM}")
WITHHELD_RE = re.compile(rf"不予(?:以)?公开{_MID}{_NUM}")
UNAVAILABLE_RE = re.compile(rf"无法提供{_MID}{_NUM}")
REJECTED_RE = re.compile(rf"不予处理{_MID}{_NUM}")
REVIEW = re.compile(rf"行政复议{_MID}{_NUM}")
SUIT = re.compile(rf"(?<![和及与、])行政诉讼{_MID}{_NUM}")

YEAR_LEAD = re.compile(
    r"(?:^|(?<=[。；！？\n]))(?:（[一二三四五六七八九十\d]{1,3}）|[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、])?"
    r"(?P<y>\d{4})年度?(?:[，,]|(?=[本我全]))"
)
FORWARD = re.compile("将|计划|拟|力争|预计|打算|争取")
COMPARISON = re.compile("同比|相比|比较|较上年|较去年|以来|至今|截至|截止")
FEE = re.compile("信息处理费")
FEE_VARIANT = re.compile("收费|收取[^。；]{0,8}费")
DISCLOSURE = re.compile("信息公开|依申请")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the narrative, with where it stands and the sentence before it."""

    sid: str
    where: str
    text: str
    before: str


def clean(text: str) -> str:
    """Narrative text with full-width digits folded and horizontal spaces removed (PDF text has 「2024 年」)."""
    return _HSPACE.sub("", (text or "").translate(_FULLWIDTH_DIGITS))


def sentences(ctx: Ctx, sources: Sequence[str] = SOURCES) -> Iterator[Sentence]:
    """The sentences of the narrative parts, in order."""
    for sid in sources:
        raw = ctx.report.preamble if sid == "preamble" else ctx.report.section_text(sid)
        where = PREAMBLE_NAME if sid == "preamble" else ctx.fmt.section(sid).heading
        before = ""
        for m in _SENTENCE.finditer(clean(raw)):
            text = m.group(0)
            yield Sentence(sid, where, text, before)
            before = text


def _years_ok(text: str, allowed: set[int]) -> bool:
    return all(int(y) in allowed for y in _YEAR.findall(text))


def _number(m: re.Match) -> int:
    return int(m["n"].replace(",", ""))


def _describe(ctx: Ctx, cells: Sequence[str]) -> str:
    """「表三「row」（总计列）」, or the sum of several rows named by their common group."""
    first = ctx.fmt.cell(cells[0])
    col = ctx.column_label(cells[0])
    if len(cells) == 1:
        return f"{ctx.table_name(cells[0])}「{ctx.row_label(cells[0])}」（{col}列）"
    groups = {ctx.fmt.cell(c).row.group for c in cells}
    if len(groups) == 1 and first.row.group:
        return f"{ctx.table_name(cells[0])}「{first.row.group}」各项（{col}列）之和"
    return f"{ctx.table_name(cells[0])}" + "+".join(f"「{ctx.row_label(c)}」" for c in cells) + f"（{col}列）之和"


def _compare(
    col: Collector, ctx: Ctx, s: Sentence, snippet: str, stated: int, cells: Sequence[str], alt: Sequence[str] = ()
) -> None:
    """Compare a stated number with the sum of table cells (or, leniently, an alternative sum)."""
    blanks = col.blanks_of(cells)
    if blanks:
        col.blank(f"{s.where}「{snippet}」", blanks)
        return
    expected = sum(ctx.value(c) for c in cells)
    if stated == expected:
        return
    other = sum(ctx.value(c) for c in alt) if alt and not col.blanks_of(alt) else None
    if stated == other:
        return
    also = (
        f"（连同{_describe(ctx, [c for c in alt if c not in cells])}为{fmt_num(other)}）" if other is not None else ""
    )
    col.fail(f"{s.where}：文中「{snippet}」为{stated}件，但{_describe(ctx, cells)}为{fmt_num(expected)}{also}", cells)


def _after(text: str, m: re.Match, words: tuple[str, ...]) -> bool:
    """Whether a match directly follows one of ``words`` (「延期答复」, 「未收到」)."""
    return text[max(0, m.start() - 2) : m.start()].endswith(words)


def _part_of(text: str, m: re.Match) -> bool:
    """Whether the clause before a match says 「其中」: a part (one unit, one channel), not the whole."""
    clause = re.split(r"[，,：:]", text[: m.start()])[-1]
    return "其中" in clause


def _about_applications(s: Sentence, span: str) -> bool:
    return not _OTHER_MATTERS.search(span) and ("公开" in span or s.sid == "s3")


@rule("N-APPS", WARNING, "文中所述申请数、办结数、结转数与表三一致")
def n_apps(ctx: Ctx):
    """Received / handled / carried numbers in the text equal 表三."""
    col = Collector(ctx, "N-APPS", WARNING)
    y, tc = ctx.report.year, total_column(ctx.fmt, "t3")
    new, carried_in = cell_id("t3", NEW, tc), cell_id("t3", CARRIED_IN, tc)
    handled, carry_out = cell_id("t3", TOTAL_HANDLED, tc), cell_id("t3", CARRY_OUT, tc)
    for s in sentences(ctx):
        t = s.text
        if not _years_ok(t, {y, y + 1}) and not _years_ok(t, {y - 1, y}):
            continue
        this_year = _years_ok(t, {y})
        for m in RECEIVED.finditer(t):
            if not this_year or _after(t, m, ("未", "没有")) or _part_of(t, m):
                continue
            if not _about_applications(s, m.group(0)):
                continue
            tail = t[m.end() : m.end() + 16]
            with_carried = INCLUDES_CARRIED.search(m.group(0)) or INCLUDES_CARRIED.match(tail.lstrip("（("))
            cells = [new, carried_in] if with_carried else [new]
            _compare(col, ctx, s, m.group(0), _number(m), cells, alt=() if with_carried else [new, carried_in])
        for m in NONE_RECEIVED.finditer(t):
            if this_year and _about_applications(s, m.group(0)):
                _compare(col, ctx, s, m.group(0), 0, [new])
        if this_year and "申请" in t and ("公开" in t or s.sid == "s3"):
            for m in HANDLED.finditer(t):
                if not _after(t, m, ("延期", "逾期", "超期", "未")) and not _part_of(t, m):
                    _compare(col, ctx, s, m.group(0), _number(m), [handled])
        if _years_ok(t, {y, y + 1}) and ("申请" in t or "申请" in s.before):
            for m in (*CARRY_OUT_AFTER.finditer(t), *CARRY_OUT_BEFORE.finditer(t)):
                if (m["y"] and int(m["y"]) != y + 1) or "上" in t[max(0, m.start() - 3) : m.start()]:
                    continue
                _compare(col, ctx, s, m.group(0), _number(m), [carry_out])
        if _years_ok(t, {y - 1, y}) and ("申请" in t or "申请" in s.before):
            for m in CARRIED_IN_RE.finditer(t):
                if m["y"] and int(m["y"]) != y - 1:
                    continue
                _compare(col, ctx, s, m.group(0), _number(m), [carried_in])
    return col.done()


@rule("N-OUTCOMES", WARNING, "文中所述予以公开、不予公开、无法提供、不予处理等数量与表三一致")
def n_outcomes(ctx: Ctx):
    """Outcome counts in the text equal the 表三 rows or groups (total column)."""
    col = Collector(ctx, "N-OUTCOMES", WARNING)
    tc = total_column(ctx.fmt, "t3")

    def cells(*prefixes: str) -> list[str]:
        return [cell_id("t3", r, tc) for p in prefixes for r in t3_group_rows(ctx.fmt, p)]

    patterns = (
        (BOTH, cells("granted", "partly_granted")),
        (GRANTED, cells("granted")),
        (PARTLY, cells("partly_granted")),
        (WITHHELD_RE, cells(WITHHELD)),
        (UNAVAILABLE_RE, cells(UNAVAILABLE)),
        (REJECTED_RE, cells(REJECTED)),
    )
    # a count stated for one kind of applicant (「自然人予以公开5件」) is not the total; two-character labels
    # such as 「其他」 are too common to tell
    columns = ctx.fmt.table("t3").blocks[0].columns
    applicants = [c.label for c in columns if c.role != "total" and len(c.label) > 2]
    applicants += sorted({c.group for c in columns if c.group})
    for s in sentences(ctx):
        t = s.text
        if not _years_ok(t, {ctx.report.year}) or not ("申请" in t or "申请" in s.before):
            continue
        taken: list[range] = []
        for pattern, involved in patterns:
            for m in pattern.finditer(t):
                if any(m.start() in r for r in taken):
                    continue
                taken.append(range(m.start(), m.end()))
                lead = t[max(0, m.start() - 8) : m.start()]
                if _OTHER_MATTERS.search(lead) or any(a in lead for a in applicants):
                    continue
                _compare(col, ctx, s, m.group(0), _number(m), involved)
    return col.done()


# ------------------------------------------------------------------ N-T2: 规章 / 规范性文件 counts in 一

#: per format, the 表二 (一) column each verb names unambiguously; wordings that could mean another column
#: (「公开规范性文件3件」: new or total?) name none and are not read
T2_VERBS: dict[str, tuple[tuple[str, str], ...]] = {
    "2019": (
        ("made", "(?:新)?(?:制作|制发|制定|出台|印发)"),
        ("published", "新增?公开"),
        ("total_published", "对外公开总数量?"),
    ),
    "2021": (
        ("issued", "(?:新)?(?:制发|制定|出台|印发)"),
        ("repealed", "废止"),
        ("in_force", "现行有效"),
    ),
}
#: columns that count a state at year end, so 「截至」 or 「累计」 do not make a sentence about another period
T2_STOCK_COLUMNS = ("total_published", "in_force")
_T2_DOC = r"(?P<doc>(?<!党内)(?:行政)?规范性文件|规章(?!制度))"
_T2_NUM = r"(?:共计|共|合计|为|数为|数量为)?(?P<n>\d[\d,]*)(?:件|部)(?!门)"
_T2_GAP = r"[^，,。；：:！？\d（()）、和及与并]"
_T2_WHEN = r"(?:本年度?|全年|年内|当年)?(?:共|新)?"
#: words before a statement that make it about someone else's documents, another action, year or a plan
_T2_LEAD_OTHER = re.compile(
    "审核|审查|备案|评估|报送|起草|代拟|指导|督促|参与|协助|会签|征求|各单位|各部门|各地|各县|下级|所属|乡镇|街道"
    "|上一?年|去年|前年|下一?年|明年|今后|计划|拟|将|力争|预计|争取"
)
#: words between the verb and the document that name another action (「制定修订」, 「印发清理」)
_T2_GAP_OTHER = re.compile(f"{_T2_LEAD_OTHER.pattern}|修订|修改|清理|公开|废止|有效|失效|解读|转发")
_T2_CUMULATIVE = re.compile("累计|历年|以来|至今|截至|截止|先后")


def _t2_patterns(fmt_id: str) -> tuple[re.Pattern, re.Pattern]:
    """(verb … document … N件, document … verb N件 [、verb N件 …]) for a format."""
    verbs = "|".join(f"(?P<{col}>{v})" for col, v in T2_VERBS[fmt_id])
    before = re.compile(
        rf"{_T2_WHEN}(?:{verbs})(?:件数|数量|数)?(?:了|过)?(?:的)?(?P<gap>{_T2_GAP}{{0,6}}?){_T2_DOC}{_T2_NUM}"
    )
    item = re.compile(rf"[、，,]?{_T2_WHEN}(?:{verbs})(?:件数|数量|数)?(?:了)?{_T2_NUM}")
    return before, item


def _t2_column(m: re.Match, fmt_id: str) -> str:
    return next(col for col, _ in T2_VERBS[fmt_id] if m[col] is not None)


def _t2_row(doc: str) -> str:
    return "regulations" if doc == "规章" else "normative_documents"


def _t2_statements(t: str, fmt_id: str) -> Iterator[tuple[re.Match, int, str, str]]:
    """(match, start of the statement, row id, column id) for each 规章/规范性文件 count a sentence states."""
    before, item = _t2_patterns(fmt_id)
    for m in before.finditer(t):
        yield m, m.start(), _t2_row(m["doc"]), _t2_column(m, fmt_id)
    for d in re.finditer(_T2_DOC, t):
        pos = d.end() + (2 if t.startswith("方面", d.end()) else 0)
        pos += 1 if t[pos : pos + 1] in ("：", ":") else 0
        m = item.match(t, pos)
        if m is None or m.group(0)[0] in "、，,":
            continue
        while m is not None:
            yield m, d.start(), _t2_row(d["doc"]), _t2_column(m, fmt_id)
            m = item.match(t, m.end())


@rule("N-T2", WARNING, "一、总体情况所述规章、规范性文件件数与表二第二十条第（一）项一致")
def n_t2(ctx: Ctx):
    """规章 / 规范性文件 counts stated in 一 equal the 表二 (一) cell of the column the wording names."""
    col = Collector(ctx, "N-T2", WARNING)
    fmt_id = ctx.fmt.id
    if fmt_id not in T2_VERBS:
        return []
    for s in sentences(ctx, ("s1",)):
        t = s.text
        if not _years_ok(t, {ctx.report.year}):
            continue
        seen: set[int] = set()
        for m, start, row, column in _t2_statements(t, fmt_id):
            if m.start("n") in seen:
                continue
            seen.add(m.start("n"))
            clause_start = max(t.rfind(c, 0, start) for c in "，,：:") + 1
            lead = t[clause_start:start]
            gap = m.groupdict().get("gap") or ""
            if "其中" in lead or _T2_LEAD_OTHER.search(lead[-10:]) or _T2_GAP_OTHER.search(gap):
                continue
            if column not in T2_STOCK_COLUMNS and _T2_CUMULATIVE.search(t[: m.end()]):
                continue
            snippet = t[start : m.end()]
            _compare(col, ctx, s, snippet, _number(m), [cell_id("t2", row, column)])
    return col.done()


@rule("N-T4", WARNING, "文中所述行政复议、行政诉讼数量与表四一致")
def n_t4(ctx: Ctx):
    """行政复议 N件 = 表四 行政复议 总计; 行政诉讼 N件 = the two 行政诉讼 总计 cells."""
    col = Collector(ctx, "N-T4", WARNING)
    tc = total_column(ctx.fmt, "t4")
    rows = [r.id for r in ctx.fmt.table("t4").rows]
    review, suits = [cell_id("t4", rows[0], tc)], [cell_id("t4", r, tc) for r in rows[1:]]
    for s in sentences(ctx):
        t = s.text
        if not _years_ok(t, {ctx.report.year}) or not ("信息公开" in t or s.sid == "s4"):
            continue
        for pattern, involved in ((REVIEW, review), (SUIT, suits)):
            for m in pattern.finditer(t):
                _compare(col, ctx, s, m.group(0), _number(m), involved)
    return col.done()


@rule("N-FEE", ERROR, "2021年格式：六、其他需要报告的事项须报告信息处理费收取情况")
def n_fee(ctx: Ctx):
    """2021 format: section 六 states the 信息处理费 (or, in other words, the disclosure fees charged)."""
    if ctx.fmt.id != "2021":
        return []
    text = clean(ctx.report.section_text("s6"))
    if FEE.search(text):
        return []
    if any(FEE_VARIANT.search(s) and DISCLOSURE.search(s) for s in _SENTENCE.findall(text)):
        return []
    col = Collector(ctx, "N-FEE", ERROR)
    if not has_narrative(ctx.report):
        return col.no_text("信息处理费收取情况")
    shown = f"（现有内容：「{text[:30]}{'…' if len(text) > 30 else ''}」）" if text else "（该部分没有内容）"
    col.fail(f"「{ctx.fmt.section('s6').heading}」未报告信息处理费收取情况{shown}，2021年格式要求在此专门报告")
    return col.done()


@rule("N-YEAR", WARNING, "正文以其他年份为叙述期间（年份或内容可能沿用往年）")
def n_year(ctx: Ctx):
    """A sentence in the preamble or 一–四 that opens with another year as the period it reports on."""
    col = Collector(ctx, "N-YEAR", WARNING)
    y = ctx.report.year
    for sid in SOURCES:
        raw = ctx.report.preamble if sid == "preamble" else ctx.report.section_text(sid)
        where = PREAMBLE_NAME if sid == "preamble" else ctx.fmt.section(sid).heading
        text = clean(raw)
        for m in YEAR_LEAD.finditer(text):
            stated = int(m["y"])
            if stated == y:
                continue
            end = re.search(r"[。；！？\n]|$", text[m.end() :]).start() + m.end()
            sentence = text[m.start("y") : end]
            if FORWARD.search(sentence[:24]) or COMPARISON.search(sentence):
                continue
            shown = sentence if len(sentence) <= 30 else sentence[:30] + "…"
            col.fail(f"{where}：「{shown}」以{stated}年为叙述期间，而本报告为{y}年度报告，请核实年份或内容是否沿用往年")
    return col.done()
