"""The report model: agency, year, format, narrative, table cells with meaning, extensions, signature."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from xxgk.formats import Format, get_format
from xxgk.i18n import _
from xxgk.values import BLANK_TOKENS, NA_TOKENS, ValueTextError, canonical_text, parse_number

#: agency levels; they decide the publication deadline (rule P1)
AGENCY_LEVELS = (
    "县级以上人民政府部门",
    "县级以上人民政府办公厅（室）",
    "乡镇人民政府",
    "街道办事处",
    "县级政府",
    "地市级政府",
    "省级政府",
    "垂直管理系统",
)

SECTION_IDS = ("s1", "s2", "s3", "s4", "s5", "s6")

VALUE, BLANK, NA = "value", "blank", "na"


@dataclass
class Cell:
    """A table cell: its value and meaning (a number; blank, published empty or 「/」; not applicable).

    ``raw`` keeps the text as published or written when it differs from the plain number,
    ``note`` a remark such as 「其中修订16件」.
    """

    value: int | Decimal | None = None
    state: str = VALUE
    raw: str | None = None
    note: str | None = None

    @property
    def is_value(self) -> bool:
        """True when the cell holds a number."""
        return self.state == VALUE and self.value is not None

    def text(self) -> str:
        """What to print in the table: the raw text if any, else the number; blanks print empty."""
        if self.state != VALUE or self.value is None:
            return "" if self.state == BLANK and self.raw in (None, "") else (self.raw or "")
        return self.raw if self.raw is not None else canonical_text(self.value)

    @classmethod
    def blank(cls, raw: str | None = None) -> Cell:
        """A cell published blank (or 「/」)."""
        return cls(None, BLANK, raw or None)

    @classmethod
    def of(cls, value: int | Decimal) -> Cell:
        """A cell holding a number."""
        return cls(value, VALUE)


def cell_from_text(text: str, column=None) -> Cell:
    """Read a cell text: blank tokens, n/a, or a number (with unit or note); ValueTextError otherwise."""
    stripped = str(text).strip().replace("\u3000", "").replace("\xa0", "")
    if stripped in BLANK_TOKENS:
        return Cell.blank(stripped)
    if stripped in NA_TOKENS:
        return Cell(None, NA, stripped)
    value, note = parse_number(stripped, column)
    raw = None if stripped == canonical_text(value) else stripped
    return Cell(value, VALUE, raw, note)


@dataclass
class Provenance:
    """Where an ingested cell came from and how sure the reader is."""

    source: str
    confidence: float = 1.0
    uncertain: bool = False
    reason: str | None = None


@dataclass
class Review:
    """An analyst's judgement that a finding was examined: the rule, the cell values it was judged on, why, who, when."""

    rule: str
    cells: dict = field(default_factory=dict)  # cell id → the value judged on (int, Decimal or None for blank)
    reason: str = ""
    by: str | None = None
    at: dt.date | dt.datetime | None = None
    finding: str | None = None  # for a finding without cells (a narrative rule): the message judged on


@dataclass
class Agency:
    """The reporting agency."""

    id: str
    name: str
    level: str = "县级以上人民政府部门"
    parent: str | None = None


@dataclass
class ExtensionRow:
    """One row of a local extension table: a label, its indent level, and the other columns' texts."""

    label: str
    values: list = field(default_factory=list)
    indent: int = 0


@dataclass
class Extension:
    """A local table the national format does not have (e.g. 公开平台建设和信息发布情况), placed after a section."""

    id: str
    title: str
    after: str
    columns: list[str]
    rows: list[ExtensionRow]
    numbered: bool = True  # printed as a numbered section of its own


@dataclass
class Signature:
    """The 落款: issuing agency and date."""

    agency: str
    date: dt.date | None = None


@dataclass
class Report:
    """One annual report of one agency for one year."""

    agency: Agency
    year: int
    format_id: str
    published: dt.date | None = None
    preamble: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    section_titles: dict[str, str] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)
    extensions: list[Extension] = field(default_factory=list)
    signature: Signature | None = None
    contact: str | None = None
    provenance: dict[str, Provenance] = field(default_factory=dict)
    reviews: list[Review] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # a consolidated report's member agency ids (H-SUM)
    source: str | None = field(default=None, compare=False)

    @property
    def fmt(self) -> Format:
        """The format definition the report follows."""
        return get_format(self.format_id)

    @property
    def title(self) -> str:
        """The title as agencies publish it: 「{机关全称}{年份}年政府信息公开工作年度报告」."""
        return f"{self.agency.name}{self.year}年政府信息公开工作年度报告"

    def cell(self, cell_id: str) -> Cell:
        """The cell with this id; a blank cell when the report has none for it."""
        if not self.fmt.has_cell(cell_id):
            raise KeyError(_("format {format_id} has no cell {cell_id}").format(format_id=self.format_id, cell_id=cell_id))
        return self.cells.get(cell_id) or Cell.blank()

    def value(self, cell_id: str) -> int | Decimal | None:
        """The number in a cell, or None when it is blank or not applicable."""
        c = self.cell(cell_id)
        return c.value if c.is_value else None

    def section_text(self, section_id: str) -> str:
        """The Markdown narrative of a section ('' if none)."""
        return self.sections.get(section_id, "") or ""

    def complete_cells(self) -> None:
        """Give every cell of the format an entry (blank where missing)."""
        for cid in self.fmt.cell_ids():
            self.cells.setdefault(cid, Cell.blank())


class ModelError(ValueError):
    """Invalid report content that no reader could accept."""


__all__ = [
    "AGENCY_LEVELS",
    "BLANK",
    "NA",
    "SECTION_IDS",
    "VALUE",
    "Agency",
    "Cell",
    "Extension",
    "ExtensionRow",
    "ModelError",
    "Provenance",
    "Report",
    "Review",
    "Signature",
    "ValueTextError",
    "cell_from_text",
]
