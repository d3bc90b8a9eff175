"""Typed description of one national report format, built from the YAML data files."""

from __future__ import annotations

from dataclasses import dataclass, field

#: value types a table cell can have
COUNT = "count"  # non-negative integer
SIGNED = "signed"  # signed integer (2019 「本年增/减」)
MONEY = "money"  # non-negative decimal, canonical unit in ``Column.unit``
VALUE_TYPES = (COUNT, SIGNED, MONEY)


@dataclass(frozen=True)
class Column:
    """A value column: stable id, official label, value type and header grouping."""

    id: str
    label: str
    type: str = COUNT
    unit: str | None = None
    unit_in_label: bool = False
    group: str | None = None  # parent header label (表三 「法人或其他组织」)
    role: str | None = None  # "total" for 总计 columns


@dataclass(frozen=True)
class Row:
    """A data row: stable id, official label and its place in the label hierarchy."""

    id: str
    label: str
    parent: str | None = None  # level-1 label spanning several rows (三、本年度办理结果; 行政诉讼)
    group: str | None = None  # level-2 group label spanning its sub-rows (（三）不予公开)
    role: str | None = None


@dataclass(frozen=True)
class Block:
    """A block of a table: an optional title row, its columns and rows (表二 has five or four)."""

    title: str | None
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Table:
    """One statistical table (t2, t3 or t4) of a format."""

    id: str
    title: str
    section: str
    layout: str  # "blocks" (表二), "matrix" (表三), "wide" (表四)
    blocks: tuple[Block, ...]
    label_header: str | None = None
    grid_columns: int | None = None
    label_columns: int = 1
    note: str | None = None
    column_title: str | None = None

    @property
    def rows(self) -> tuple[Row, ...]:
        """All data rows of the table in official order."""
        return tuple(r for b in self.blocks for r in b.rows)

    def block_of(self, row_id: str) -> Block:
        """The block holding a row."""
        for b in self.blocks:
            if any(r.id == row_id for r in b.rows):
                return b
        raise KeyError(row_id)


@dataclass(frozen=True)
class Section:
    """One of the six numbered sections of the report."""

    id: str
    numeral: str
    title: str
    aliases: tuple[str, ...] = ()
    table: str | None = None

    @property
    def heading(self) -> str:
        """The numbered heading as in the template, e.g. 「一、总体情况」."""
        return f"{self.numeral}、{self.title}"


@dataclass(frozen=True)
class CellSpec:
    """One value cell of a format: id ``t{n}.{row}.{column}`` plus everything needed to label it."""

    id: str
    table: Table
    block: Block
    row: Row
    column: Column

    @property
    def type(self) -> str:
        """Value type of the cell."""
        return self.column.type

    @property
    def label_path(self) -> tuple[str, ...]:
        """Official labels from table to cell, e.g. (表三, 三、本年度办理结果, （三）不予公开, 1.属于国家秘密, 自然人)."""
        parts: list[str] = [TABLE_NAMES[self.table.id]]
        if self.block.title:
            parts.append(self.block.title)
        for part in (self.row.parent, self.row.group, self.row.label):
            if part:
                parts.append(part)
        if self.column.group:
            parts.append(self.column.group)
        parts.append(self.column.label)
        return tuple(parts)

    @property
    def label(self) -> str:
        """Human label used in messages: 「row / column」 with the table name."""
        return "「" + " / ".join(self.label_path) + "」"


TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}


@dataclass(frozen=True)
class Format:
    """A national report format version: sections, tables and every value cell."""

    id: str
    name: str
    document: str
    first_year: int
    last_year: int | None
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    cells: tuple[CellSpec, ...] = field(repr=False)
    _by_id: dict = field(repr=False, compare=False, default_factory=dict)

    def cell(self, cell_id: str) -> CellSpec:
        """Look up a cell by id; KeyError if the format has no such cell."""
        return self._by_id[cell_id]

    def has_cell(self, cell_id: str) -> bool:
        """Whether the format defines the cell id."""
        return cell_id in self._by_id

    def table(self, table_id: str) -> Table:
        """Look up a table by id (t2, t3, t4)."""
        for t in self.tables:
            if t.id == table_id:
                return t
        raise KeyError(table_id)

    def section(self, section_id: str) -> Section:
        """Look up a section by id (s1 … s6)."""
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def cell_ids(self, table_id: str | None = None) -> list[str]:
        """Cell ids in official order, optionally of one table."""
        return [c.id for c in self.cells if table_id is None or c.table.id == table_id]

    def row_cells(self, table_id: str, row_id: str) -> list[CellSpec]:
        """The cells of one row in column order."""
        return [c for c in self.cells if c.table.id == table_id and c.row.id == row_id]

    def covers(self, year: int) -> bool:
        """Whether this format is the one prescribed for a report year."""
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def row_label(self, table_id: str, row_id: str) -> str:
        """Official label of a row, with its group and parent."""
        row = next(r for r in self.table(table_id).rows if r.id == row_id)
        return " ".join(p for p in (row.group, row.label) if p)
