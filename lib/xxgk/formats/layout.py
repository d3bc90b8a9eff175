"""The official printed layout of each table as a grid of merged cells, derived from the format data.

HTML, Excel and Word renderers all place these cells; ingestion uses the same labels. A cell sits at
(row, col) of the grid and may span several rows and columns, as in the official template.
"""

from __future__ import annotations

from dataclasses import dataclass

from xxgk.formats.schema import Format, Table

TITLE, HEADER, NOTE, LABEL, VALUE = "title", "header", "note", "label", "value"


@dataclass(frozen=True)
class GridCell:
    """One merged cell of the printed table."""

    row: int
    col: int
    text: str
    kind: str
    rowspan: int = 1
    colspan: int = 1
    cell_id: str | None = None  # for VALUE cells: the format cell id


@dataclass(frozen=True)
class Grid:
    """The printed table: merged cells with positions, and how many rows form the header."""

    table_id: str
    n_rows: int
    n_cols: int
    header_rows: int
    cells: tuple[GridCell, ...]

    def rows(self) -> list[list[GridCell]]:
        """Cells grouped by the row they start in, left to right (the order HTML writes them)."""
        out: list[list[GridCell]] = [[] for _ in range(self.n_rows)]
        for c in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[c.row].append(c)
        return out

    def value_cells(self) -> list[GridCell]:
        """The cells that hold a table value, in grid order."""
        return [c for c in sorted(self.cells, key=lambda c: (c.row, c.col)) if c.kind == VALUE]


class _Builder:
    def __init__(self, table_id: str, n_cols: int) -> None:
        self.table_id = table_id
        self.n_cols = n_cols
        self.cells: list[GridCell] = []
        self.n_rows = 0

    def add(self, row: int, col: int, text: str, kind: str, rowspan: int = 1, colspan: int = 1, cell_id=None):
        self.cells.append(GridCell(row, col, text, kind, rowspan, colspan, cell_id))
        self.n_rows = max(self.n_rows, row + rowspan)

    def grid(self, header_rows: int) -> Grid:
        return Grid(self.table_id, self.n_rows, self.n_cols, header_rows, tuple(self.cells))


def _blocks_grid(table: Table) -> Grid:
    """表二: each block is a title row, a header row and data rows on a fixed-width grid.

    When a block has fewer value columns than the grid, its last column spans the rest
    (as in the template: 「本年处理决定数量」 spans three columns in 2021).
    """
    width = table.grid_columns or 1 + max(len(b.columns) for b in table.blocks)
    b = _Builder(table.id, width)
    r = 0
    for block in table.blocks:
        b.add(r, 0, block.title or "", TITLE, colspan=width)
        r += 1
        spans = [1] * len(block.columns)
        spans[-1] = width - len(block.columns)
        b.add(r, 0, table.label_header or "", HEADER)
        col = 1
        for column, span in zip(block.columns, spans):
            b.add(r, col, column.label, HEADER, colspan=span)
            col += span
        r += 1
        for row in block.rows:
            b.add(r, 0, row.label, LABEL)
            col = 1
            for column, span in zip(block.columns, spans):
                b.add(r, col, "", VALUE, colspan=span, cell_id=f"{table.id}.{row.id}.{column.id}")
                col += span
            r += 1
    return b.grid(header_rows=0)


def _matrix_grid(table: Table) -> Grid:
    """表三: the note block and the two-level applicant header, then rows with spanning group labels."""
    (block,) = table.blocks
    lc = table.label_columns
    width = lc + len(block.columns)
    b = _Builder(table.id, width)
    b.add(0, 0, table.note or "", NOTE, rowspan=3, colspan=lc)
    b.add(0, lc, table.column_title or "", HEADER, colspan=len(block.columns))
    col = lc
    i = 0
    cols = block.columns
    while i < len(cols):
        group = cols[i].group
        if group is None:
            b.add(1, col, cols[i].label, HEADER, rowspan=2)
            col += 1
            i += 1
            continue
        j = i
        while j < len(cols) and cols[j].group == group:
            b.add(2, lc + j, cols[j].label, HEADER)
            j += 1
        b.add(1, col, group, HEADER, colspan=j - i)
        col += j - i
        i = j
    header = 3
    rows = block.rows
    for idx, row in enumerate(rows):
        r = header + idx
        first_of_parent = row.parent and (idx == 0 or rows[idx - 1].parent != row.parent)
        first_of_group = row.group and (idx == 0 or rows[idx - 1].group != row.group)
        if row.parent is None:
            b.add(r, 0, row.label, LABEL, colspan=lc)
        else:
            if first_of_parent:
                n = sum(1 for x in rows if x.parent == row.parent)
                b.add(r, 0, row.parent, LABEL, rowspan=n)
            if row.group is None:
                b.add(r, 1, row.label, LABEL, colspan=lc - 1)
            else:
                if first_of_group:
                    n = sum(1 for x in rows if x.group == row.group)
                    b.add(r, 1, row.group, LABEL, rowspan=n)
                b.add(r, 2, row.label, LABEL, colspan=lc - 2)
        for j, column in enumerate(cols):
            b.add(r, lc + j, "", VALUE, cell_id=f"{table.id}.{row.id}.{column.id}")
    return b.grid(header_rows=header)


def _wide_grid(table: Table) -> Grid:
    """表四: the row groups become column groups (行政复议 | 行政诉讼 › 未经复议直接起诉, 复议后起诉); one data row."""
    (block,) = table.blocks
    ncol = len(block.columns)
    width = ncol * len(block.rows)
    b = _Builder(table.id, width)
    col = 0
    rows = block.rows
    i = 0
    while i < len(rows):
        row = rows[i]
        if row.parent is None:
            b.add(0, col, row.label, HEADER, colspan=ncol)
            for j, column in enumerate(block.columns):
                b.add(1, col + j, column.label, HEADER, rowspan=2)
            col += ncol
            i += 1
            continue
        j = i
        while j < len(rows) and rows[j].parent == row.parent:
            b.add(1, col + (j - i) * ncol, rows[j].label, HEADER, colspan=ncol)
            for k, column in enumerate(block.columns):
                b.add(2, col + (j - i) * ncol + k, column.label, HEADER)
            j += 1
        b.add(0, col, row.parent, HEADER, colspan=ncol * (j - i))
        col += ncol * (j - i)
        i = j
    c = 0
    for row in rows:
        for column in block.columns:
            b.add(3, c, "", VALUE, cell_id=f"{table.id}.{row.id}.{column.id}")
            c += 1
    return b.grid(header_rows=3)


_LAYOUTS = {"blocks": _blocks_grid, "matrix": _matrix_grid, "wide": _wide_grid}


def table_grid(fmt: Format, table_id: str) -> Grid:
    """The official merged-cell grid of a table of a format."""
    table = fmt.table(table_id)
    return _LAYOUTS[table.layout](table)
