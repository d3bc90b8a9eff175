"""Cross-year rules (spec §4.2): carry-over, 现行有效件数, item counts, and year-on-year copies (年年雷同)."""

from __future__ import annotations

import re
from dataclasses import replace

from xxgk.checks.base import ERROR, WARNING, rule
from xxgk.checks.context import CARRIED_IN, CARRY_OUT, Collector, Ctx, all_columns, cell_id, fmt_num

#: X-SIMILAR: texts at least this similar (character 3-gram Jaccard) count as copied
SIMILARITY_LIMIT = 0.85
#: X-SIMILAR: texts shorter than this (normalised characters) are not compared
MIN_TEXT = 30
#: X-SIMILAR: identical tables are flagged only with at least this many non-zero values
MIN_NONZERO = 3
SIMILAR_SECTIONS = ("s1", "s5")

_NOT_TEXT = re.compile(r"[^\u4e00-\u9fffA-Za-z]+")


@rule("X-CARRY", ERROR, "表三「上年结转」等于上年报告「结转下年度继续办理」", cross_year=True)
def x_carry(ctx: Ctx):
    """Each 表三 column: carried in (Y) = carried forward (Y−1); an error only for the same agency id and name."""
    cur, prev = ctx.report, ctx.previous
    same = cur.agency.id == prev.agency.id and cur.agency.name == prev.agency.name
    col = Collector(ctx, "X-CARRY", ERROR if same else WARNING)
    for c in all_columns(ctx.fmt, "t3"):
        mine, theirs = cell_id("t3", CARRIED_IN, c), cell_id("t3", CARRY_OUT, c)
        instance = f"表三「{ctx.column_label(mine)}」列（左为本年报告，右为{prev.year}年报告）"
        col.check_equal(instance, [mine], [theirs], rhs_report=prev)
    if not same and col.findings:
        note = f"（上年报告机关为{prev.agency.name}（{prev.agency.id}），机构可能有调整）"
        col.findings = [replace(f, message=f.message + note) for f in col.findings]
    return col.done()


@rule("X-VALID-21", WARNING, "表二现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数", cross_year=True)
def x_valid_21(ctx: Ctx):
    """2021 format both years: in force (Y) = in force (Y−1) + issued (Y) − repealed (Y), per row."""
    prev = ctx.previous
    if ctx.fmt.id != "2021" or prev.format_id != "2021":
        return []
    col = Collector(ctx, "X-VALID-21", WARNING)
    for row in ctx.fmt.table("t2").block_of("regulations").rows:
        now, issued, repealed = (cell_id("t2", row.id, c) for c in ("in_force", "issued", "repealed"))
        instance = f"表二「{ctx.row_label(now)}」"
        blanks = col.blanks_of([now, issued, repealed])
        prev_blanks = col.blanks_of([now], prev)
        if blanks or prev_blanks:
            col.blank(instance, blanks)
            col.blank(instance, prev_blanks, previous=True)
            continue
        expected = ctx.value(now, prev) + ctx.value(issued) - ctx.value(repealed)
        if ctx.value(now) != expected:
            label = ctx.column_label(now)
            col.fail(
                f"{instance}：{label}({ctx.show(now)}) 不等于 {prev.year}年报告{label}({ctx.show(now, prev)}) + "
                f"{ctx.column_label(issued)}({ctx.show(issued)}) − {ctx.column_label(repealed)}"
                f"({ctx.show(repealed)}) = {fmt_num(expected)}（修改、清理可导致不一致，请核实）",
                [now, issued, repealed],
            )
    return col.done()


@rule("X-ITEMS-19", WARNING, "表二上一年项目数量 = 上年报告上一年项目数量 + 本年增/减", cross_year=True)
def x_items_19(ctx: Ctx):
    """2019 format both years: prior items (Y) = prior items (Y−1) + change (Y−1), per row."""
    prev = ctx.previous
    if ctx.fmt.id != "2019" or prev.format_id != "2019":
        return []
    col = Collector(ctx, "X-ITEMS-19", WARNING)
    rows = [s.row.id for s in ctx.fmt.cells if s.table.id == "t2" and s.column.id == "prior_items"]
    for row in rows:
        prior, change = cell_id("t2", row, "prior_items"), cell_id("t2", row, "change")
        instance = f"表二「{ctx.row_label(prior)}」（左为本年报告，右为{prev.year}年报告）"
        col.check_equal(instance, [prior], [prior, change], rhs_report=prev, by_column=True)
    return col.done()


@rule("X-SIMILAR", WARNING, "一、五部分文字或全部表格数据与上年报告（近乎）相同（年年雷同）", cross_year=True)
def x_similar(ctx: Ctx):
    """一 or 五 near-identical to last year's text, or every table value equal to last year's."""
    cur, prev = ctx.report, ctx.previous
    col = Collector(ctx, "X-SIMILAR", WARNING)
    for sid in SIMILAR_SECTIONS:
        a, b = normalise(cur.section_text(sid)), normalise(prev.section_text(sid))
        if len(a) < MIN_TEXT or len(b) < MIN_TEXT:
            continue
        sim = similarity(a, b)
        if sim >= SIMILARITY_LIMIT:
            col.fail(
                f"「{ctx.fmt.section(sid).heading}」与{prev.year}年报告的相似度为{sim * 100:.0f}%"
                f"（字符三元组，忽略数字和标点），不得出现年年雷同"
            )
    common = [c for c in ctx.fmt.cell_ids() if prev.fmt.has_cell(c)]
    same = all(_same_cell(cur, prev, c) for c in common)
    nonzero = sum(1 for c in common if cur.value(c) not in (None, 0))
    if common and same and nonzero >= MIN_NONZERO:
        col.fail(
            f"表二至表四的全部{len(common)}个数据与{prev.year}年报告完全相同（其中{nonzero}个非零），"
            "请核实是否沿用了上年数据",
            common,
        )
    return col.done()


def normalise(text: str) -> str:
    """Text reduced to its Chinese characters and letters (no digits, punctuation or spaces)."""
    return _NOT_TEXT.sub("", text or "")


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the character 3-gram sets of two (normalised) texts, 0…1."""
    ga = {a[i : i + 3] for i in range(max(len(a) - 2, 1))}
    gb = {b[i : i + 3] for i in range(max(len(b) - 2, 1))}
    return len(ga & gb) / len(ga | gb) if ga | gb else 1.0


def _same_cell(cur, prev, cid: str) -> bool:
    a, b = cur.cell(cid), prev.cell(cid)
    return a.is_value == b.is_value and (not a.is_value or a.value == b.value)
