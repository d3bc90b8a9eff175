"""Table-internal rules (spec §4.1): 表三 balance, row and column sums, 表四 groups, value types, 表二 plausibility."""

from __future__ import annotations

from decimal import Decimal

from xxgk.checks.base import ERROR, WARNING, rule
from xxgk.checks.context import (
    CARRIED_IN,
    CARRY_OUT,
    NEW,
    OTHER,
    TOTAL_HANDLED,
    Collector,
    Ctx,
    all_columns,
    cell_id,
    fmt_num,
    is_integer,
    part_columns,
    t3_group_rows,
    t3_outcome_rows,
    total_column,
)
from xxgk.formats import COUNT, MONEY, SIGNED

#: T3-OTHER-HIGH: share of （六）其他处理 in （七）总计 above which the rule warns
OTHER_SHARE_LIMIT = Decimal("0.10")


@rule("T3-BAL", ERROR, "表三每列：第一项 + 第二项 = 第三项（（七）总计） + 第四项")
def t3_balance(ctx: Ctx):
    """Each 表三 column: new + carried in = （七）总计 + carried forward."""
    col = Collector(ctx, "T3-BAL", ERROR)
    for c in all_columns(ctx.fmt, "t3"):
        lhs = [cell_id("t3", NEW, c), cell_id("t3", CARRIED_IN, c)]
        rhs = [cell_id("t3", TOTAL_HANDLED, c), cell_id("t3", CARRY_OUT, c)]
        col.check_equal(f"表三「{ctx.column_label(lhs[0])}」列", lhs, rhs)
    return col.done()


@rule("T3-ROWSUM", ERROR, "表三每行：总计 = 各类申请人之和")
def t3_row_sum(ctx: Ctx):
    """Each 表三 row: 总计 = the sum of the applicant columns."""
    return _row_sums(ctx, "t3", "T3-ROWSUM")


@rule("T3-R7", ERROR, "表三每列：（七）总计 = （一）至（六）各项之和")
def t3_r7(ctx: Ctx):
    """Each 表三 column: （七）总计 = the sum of the outcome rows."""
    col = Collector(ctx, "T3-R7", ERROR)
    outcomes = t3_outcome_rows(ctx.fmt)
    for c in all_columns(ctx.fmt, "t3"):
        total = cell_id("t3", TOTAL_HANDLED, c)
        parts = [cell_id("t3", r, c) for r in outcomes]
        col.check_equal(f"表三「{ctx.column_label(total)}」列", [total], parts, show_zero=False)
    return col.done()


@rule("T4-GROUP", ERROR, "表四每组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结")
def t4_group(ctx: Ctx):
    """Each 表四 group (行政复议, two kinds of 行政诉讼): 总计 = the sum of the outcomes."""
    return _row_sums(ctx, "t4", "T4-GROUP")


def _row_sums(ctx: Ctx, table_id: str, rule_id: str):
    col = Collector(ctx, rule_id, ERROR)
    total, parts = total_column(ctx.fmt, table_id), part_columns(ctx.fmt, table_id)
    for row in ctx.fmt.table(table_id).rows:
        t = cell_id(table_id, row.id, total)
        instance = f"{ctx.table_name(t)}「{ctx.row_label(t)}」"
        col.check_equal(instance, [t], [cell_id(table_id, row.id, p) for p in parts], by_column=True)
    return col.done()


@rule("T3-NONNEG", ERROR, "表三所有单元格为非负整数")
def t3_nonneg(ctx: Ctx):
    """Every 表三 value is a whole number ≥ 0."""
    return _types(ctx, "t3", "T3-NONNEG")


@rule("T4-NONNEG", ERROR, "表四所有单元格为非负整数")
def t4_nonneg(ctx: Ctx):
    """Every 表四 value is a whole number ≥ 0."""
    return _types(ctx, "t4", "T4-NONNEG")


@rule("T2-19-INT", ERROR, "表二（2019年格式）数量为非负整数，本年增/减为整数，金额非负")
def t2_19_types(ctx: Ctx):
    """2019 表二: counts whole ≥ 0, 本年增/减 whole, amounts ≥ 0."""
    return _types(ctx, "t2", "T2-19-INT") if ctx.fmt.id == "2019" else []


@rule("T2-21-INT", ERROR, "表二（2021年格式）件数为非负整数，收费金额非负")
def t2_21_types(ctx: Ctx):
    """2021 表二: counts whole ≥ 0, the fee amount (万元) ≥ 0."""
    return _types(ctx, "t2", "T2-21-INT") if ctx.fmt.id == "2021" else []


def _types(ctx: Ctx, table_id: str, rule_id: str):
    col = Collector(ctx, rule_id, ERROR)
    for cid in ctx.fmt.cell_ids(table_id):
        v = ctx.value(cid)
        if v is None:
            continue
        spec = ctx.fmt.cell(cid)
        if spec.type == COUNT and not (is_integer(v) and v >= 0):
            col.fail(f"{spec.label}应为非负整数，实际为{fmt_num(v)}", [cid])
        elif spec.type == SIGNED and not is_integer(v):
            col.fail(f"{spec.label}应为整数（可带正负号），实际为{fmt_num(v)}", [cid])
        elif spec.type == MONEY and v < 0:
            col.fail(f"{spec.label}应为非负金额，实际为{fmt_num(v)}", [cid])
    return col.done()


@rule("T2-19-PUB", WARNING, "表二第二十条第（一）项：本年新公开数量、本年新制作数量不超过对外公开总数量")
def t2_19_published(ctx: Ctx):
    """2019 表二 (一): published ≤ total published and made ≤ total published, per row."""
    if ctx.fmt.id != "2019":
        return []
    col = Collector(ctx, "T2-19-PUB", WARNING)
    block = ctx.fmt.table("t2").block_of("regulations")
    for row in block.rows:
        total = cell_id("t2", row.id, "total_published")
        for part in (cell_id("t2", row.id, "published"), cell_id("t2", row.id, "made")):
            instance = f"表二「{ctx.row_label(total)}」{ctx.column_label(part)} ≤ {ctx.column_label(total)}"
            blanks = col.blanks_of([part, total])
            if blanks:
                col.blank(instance, blanks)
            elif ctx.value(part) > ctx.value(total):
                col.fail(
                    f"表二「{ctx.row_label(total)}」：{ctx.column_label(part)}({ctx.show(part)}) 大于 "
                    f"{ctx.column_label(total)}({ctx.show(total)})",
                    [part, total],
                )
    return col.done()


@rule("T3-OTHER-HIGH", WARNING, "表三（六）其他处理占（七）总计比例偏高（超过10%）")
def t3_other_high(ctx: Ctx):
    """（六）其他处理 above 10 % of （七）总计 (total column), when the total is positive."""
    col = Collector(ctx, "T3-OTHER-HIGH", WARNING)
    tc = total_column(ctx.fmt, "t3")
    other = [cell_id("t3", r, tc) for r in t3_group_rows(ctx.fmt, OTHER)]
    total = cell_id("t3", TOTAL_HANDLED, tc)
    first = ctx.fmt.cell(other[0]).row
    group = first.group or first.label
    blanks = col.blanks_of([*other, total])
    if blanks:
        col.blank(f"表三{group}占比", blanks)
        return col.done()
    r6, t = sum(ctx.value(c) for c in other), ctx.value(total)
    if t > 0 and Decimal(r6) / Decimal(t) > OTHER_SHARE_LIMIT:
        share = Decimal(r6) * 100 / Decimal(t)
        col.fail(
            f"表三{group}（{ctx.column_label(total)}列）合计{fmt_num(r6)}件，占{ctx.row_label(total)}"
            f"({fmt_num(t)})的{share:.1f}%，超过{OTHER_SHARE_LIMIT * 100:.0f}%，请核实是否应按法定方式处理",
            [*other, total],
        )
    return col.done()
