"""Live identity checks in the Excel form: computed sums beside the tables, red input cells and a message
with the rule ID when a 总计 differs from its parts (T3-ROWSUM, T3-R7, T4-GROUP) or 一+二 ≠ 三+四 (T3-BAL).

Rows and columns come from the format data (``role: total`` columns and rows); a blank cell is not 0,
so a rule is only evaluated when the cells it needs hold numbers.
"""

from __future__ import annotations

import re

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

from xxgk import form_layout as L
from xxgk.formats import Format

BAD_FILL = PatternFill("solid", start_color="FFFFC7CE", end_color="FFFFC7CE", bgColor="FFFFC7CE")
BAD_FONT = Font(color="FF9C0006", bold=True)
CALC_FILL = PatternFill("solid", start_color="FFEDEDED", end_color="FFEDEDED")
MSG_FONT = Font(color="FFC00000", bold=True, size=9)
THIN = Side(style="thin", color="FF808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)

# T3-BAL: 第一项 + 第二项 = 第三项（（七）总计） + 第四项, per column
BAL_LEFT = ("new_received", "carried_over")
BAL_RIGHT = ("total_handled", "carried_forward")


def _split(address: str) -> tuple[str, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", address)
    return m[1], int(m[2])


def ref(addresses: list[str]) -> str:
    """A range ``D8:D25`` / ``D6:I6`` when the cells are contiguous in a line, else a comma list."""
    parts = [_split(a) for a in addresses]
    cols = {c for c, _ in parts}
    rows = [r for _, r in parts]
    if len(cols) == 1 and rows == list(range(rows[0], rows[0] + len(rows))):
        return f"{addresses[0]}:{addresses[-1]}"
    idx = [column_index_from_string(c) for c, _ in parts]
    if len(set(rows)) == 1 and idx == list(range(idx[0], idx[0] + len(idx))):
        return f"{addresses[0]}:{addresses[-1]}"
    return ",".join(addresses)


def _flag(ws: Worksheet, target: str, condition: str) -> None:
    ws.conditional_formatting.add(target, FormulaRule(formula=[condition], fill=BAD_FILL, font=BAD_FONT))


def _sum_mismatch(total: str, parts: list[str]) -> tuple[str, str]:
    """(condition, sum formula) of 「total ≠ sum of parts」, evaluated only when total and some part are numbers."""
    r = ref(parts)
    return f"AND(ISNUMBER({total}),COUNT({r})>0,{total}<>SUM({r}))", f'IF(COUNT({r})>0,SUM({r}),"")'


def _calc(ws: Worksheet, row: int, col: int, formula: str, message: bool = False):
    c = ws.cell(row, col, "=" + formula)
    c.border, c.alignment = BOX, WRAP
    if message:
        c.font = MSG_FONT
    else:
        c.fill = CALC_FILL
    return c


def _label(ws: Worksheet, row: int, col: int, end_col: int, text: str) -> None:
    if end_col > col:
        ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=end_col)
    c = ws.cell(row, col, text)
    c.data_type = "s"  # a label, never a formula
    c.alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
    c.font = Font(size=9, bold=True)


def _addresses(grid) -> dict[str, str]:
    return {gc.cell_id: L.grid_address(gc) for gc in grid.value_cells()}


def _t3(ws: Worksheet, fmt: Format, grid) -> None:
    table = fmt.table("t3")
    (block,) = table.blocks
    at = _addresses(grid)
    total_col = next(c for c in block.columns if c.role == "total")
    parts_cols = [c for c in block.columns if c.role != "total"]
    sum_col, msg_col = grid.n_cols + 1, grid.n_cols + 2
    head = L.GRID_TOP
    for col, text, width in ((sum_col, "各类申请人之和（自动计算）", 12), (msg_col, "校验（T3-ROWSUM）", 30)):
        ws.merge_cells(start_row=head, start_column=col, end_row=head + grid.header_rows - 1, end_column=col)
        c = ws.cell(head, col, text)
        c.alignment, c.font, c.border = WRAP, Font(size=9, bold=True), BOX
        ws.column_dimensions[c.column_letter].width = width
    for i, row in enumerate(block.rows):
        r = L.GRID_TOP + grid.header_rows + i
        total = at[f"t3.{row.id}.{total_col.id}"]
        cond, total_formula = _sum_mismatch(total, [at[f"t3.{row.id}.{c.id}"] for c in parts_cols])
        calc = _calc(ws, r, sum_col, total_formula)
        _calc(ws, r, msg_col, f'IF({cond},"T3-ROWSUM：总计"&{total}&"≠各类申请人之和"&{calc.coordinate},"")', True)
        _flag(ws, total, cond)
    total_row = next(r for r in block.rows if r.role == "total")
    part_rows = [r for r in block.rows if r.parent == total_row.parent and r.role != "total"]
    lc = table.label_columns
    r0 = L.GRID_TOP + grid.n_rows + 1
    _label(ws, r0, 1, lc, "（一）至（六）之和（自动计算）")
    _label(ws, r0 + 1, 1, lc, "校验（T3-R7：（七）总计＝（一）至（六）之和）")
    _label(ws, r0 + 2, 1, lc, "一＋二（自动计算）")
    _label(ws, r0 + 3, 1, lc, "三（七）总计＋四（自动计算）")
    _label(ws, r0 + 4, 1, lc, "校验（T3-BAL：一＋二＝三＋四，每列）")
    for j, column in enumerate(block.columns):
        col = lc + 1 + j
        total = at[f"t3.{total_row.id}.{column.id}"]
        cond, total_formula = _sum_mismatch(total, [at[f"t3.{r.id}.{column.id}"] for r in part_rows])
        _calc(ws, r0, col, total_formula)
        _calc(ws, r0 + 1, col, f'IF({cond},"T3-R7 不符","")', True)
        _flag(ws, total, cond)
        left = [at[f"t3.{rid}.{column.id}"] for rid in BAL_LEFT]
        right = [at[f"t3.{rid}.{column.id}"] for rid in BAL_RIGHT]
        every = ",".join(left + right)
        bal = f"AND(COUNT({every})=4,{'+'.join(left)}<>{'+'.join(right)})"
        a = _calc(ws, r0 + 2, col, f'IF(COUNT({",".join(left)})=2,{"+".join(left)},"")')
        b = _calc(ws, r0 + 3, col, f'IF(COUNT({",".join(right)})=2,{"+".join(right)},"")')
        _calc(ws, r0 + 4, col, f'IF({bal},"T3-BAL 不符","")', True)
        _flag(ws, a.coordinate, bal)
        _flag(ws, b.coordinate, bal)
    for r in range(r0, r0 + 5):
        ws.row_dimensions[r].height = 30


def _t4(ws: Worksheet, fmt: Format, grid) -> None:
    (block,) = fmt.table("t4").blocks
    at = _addresses(grid)
    total_col = next(c for c in block.columns if c.role == "total")
    parts_cols = [c for c in block.columns if c.role != "total"]
    r0 = L.GRID_TOP + grid.n_rows + 1
    for i, row in enumerate(block.rows):
        total = at[f"t4.{row.id}.{total_col.id}"]
        first = i * len(block.columns) + 1
        last = first + len(block.columns) - 1
        cond, total_formula = _sum_mismatch(total, [at[f"t4.{row.id}.{c.id}"] for c in parts_cols])
        _label(ws, r0, first, last - 1, f"{row.label}：{'＋'.join(c.label for c in parts_cols)}（自动计算）")
        _calc(ws, r0, last, total_formula)
        _label(ws, r0 + 1, first, last - 1, "校验（T4-GROUP）")
        _calc(ws, r0 + 1, last, f'IF({cond},"T4-GROUP 不符","")', True)
        _flag(ws, total, cond)
    ws.row_dimensions[r0].height = 30
    ws.row_dimensions[r0 + 1].height = 30


def add_identity_checks(ws: Worksheet, fmt: Format, table_id: str, grid) -> None:
    """Add the computed sums, messages and red highlighting of a table sheet (表二 has no identities)."""
    if table_id == "t3":
        _t3(ws, fmt, grid)
    elif table_id == "t4":
        _t4(ws, fmt, grid)
