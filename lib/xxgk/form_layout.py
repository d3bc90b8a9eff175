"""Where everything sits in the Excel data-entry form (``xxgk form``): sheet names, cell addresses, metadata.

The writer (``xxgk.render.excel``) and the reader (``xxgk.ingest.xlsx``) both take positions from here, so a
filled form reads back exactly. Table cells are placed by ``formats.layout.table_grid``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from xxgk.formats import Format
from xxgk.formats.layout import VALUE, Grid, GridCell, table_grid
from xxgk.model import SECTION_IDS

SCHEMA = "xxgk.form/1"
META_SHEET = "_xxgk"
INFO_SHEET = "基本信息"
TEXT_SHEET = "正文"
TABLE_SHEETS = {"t2": "表二", "t3": "表三", "t4": "表四"}
GRID_TOP = 3  # Excel row of grid row 0 (row 1: title, row 2: hint)
FIRST_ROW = 4  # first data row on the info, text and extension sheets (row 3: column headers)

# metadata kinds (column A of the hidden sheet)
K_CELL, K_FIELD, K_TEXT, K_TITLE, K_EXT = "cell", "field", "text", "title", "extension"


@dataclass(frozen=True)
class Field:
    """One agency/report detail on the info sheet: key, label (column A) and how to read it."""

    key: str
    label: str
    kind: str = "text"  # text | date | level | fixed


INFO_FIELDS = (
    Field("agency.id", "机关标识（英文短名，小写字母、数字和-，用作文件名）"),
    Field("agency.name", "机关名称（全称）"),
    Field("agency.level", "机关类别", "level"),
    Field("agency.parent", "上级机关标识（可空）"),
    Field("year", "报告年度", "fixed"),
    Field("format", "年度报告格式", "fixed"),
    Field("published", "发布日期", "date"),
    Field("contact", "联系方式（可空）"),
    Field("signature.agency", "落款机关（可空）"),
    Field("signature.date", "落款日期", "date"),
)

TEXT_KEYS = ("preamble", *SECTION_IDS)
PREAMBLE_LABEL = "前言（不编号，可空）"


def addr(row: int, col: int) -> str:
    """An A1 address from a 1-based row and column."""
    return f"{get_column_letter(col)}{row}"


def grid_address(gc: GridCell) -> str:
    """The Excel address of the top-left corner of a grid cell on its table sheet."""
    return addr(GRID_TOP + gc.row, gc.col + 1)


def grids(fmt: Format) -> dict[str, Grid]:
    """The official grid of each table of a format."""
    return {t.id: table_grid(fmt, t.id) for t in fmt.tables}


def info_address(key: str) -> str:
    """Address of a detail's value on the info sheet."""
    i = next(i for i, f in enumerate(INFO_FIELDS) if f.key == key)
    return addr(FIRST_ROW + i, 2)


def text_row(key: str) -> int:
    """Row of the preamble or a section on the text sheet."""
    return FIRST_ROW + TEXT_KEYS.index(key)


def extension_sheet(index: int) -> str:
    """Sheet name of the index-th extension table (附表1, 附表2, …)."""
    return f"附表{index + 1}"


def layout_entries(fmt: Format, n_extensions: int = 0) -> list[tuple[str, str, str, str]]:
    """(kind, key, sheet, address) of every input of a form of this format, in writing order."""
    out: list[tuple[str, str, str, str]] = []
    for f in INFO_FIELDS:
        out.append((K_FIELD, f.key, INFO_SHEET, info_address(f.key)))
    for key in TEXT_KEYS:
        if key != "preamble":
            out.append((K_TITLE, key, TEXT_SHEET, addr(text_row(key), 2)))
        out.append((K_TEXT, key, TEXT_SHEET, addr(text_row(key), 3)))
    for table_id, grid in grids(fmt).items():
        for gc in grid.value_cells():
            out.append((K_CELL, gc.cell_id, TABLE_SHEETS[table_id], grid_address(gc)))
    for i in range(n_extensions):
        out.append((K_EXT, str(i), extension_sheet(i), addr(FIRST_ROW, 2)))
    return out


def label_cells(fmt: Format) -> list[tuple[str, str, str]]:
    """(sheet, address, text) of every fixed label of the table sheets, to tell a form edited out of shape."""
    out = []
    for table_id, grid in grids(fmt).items():
        for gc in grid.cells:
            if gc.kind != VALUE and gc.text:
                out.append((TABLE_SHEETS[table_id], grid_address(gc), gc.text))
    for i, f in enumerate(INFO_FIELDS):
        out.append((INFO_SHEET, addr(FIRST_ROW + i, 1), f.label))
    out.append((TEXT_SHEET, addr(text_row("preamble"), 1), PREAMBLE_LABEL))
    for section in fmt.sections:
        out.append((TEXT_SHEET, addr(text_row(section.id), 1), section.heading))
    return out


def same_text(a, b) -> bool:
    """Whether two label texts are the same once whitespace is ignored."""
    return re.sub(r"\s+", "", str(a or "")) == re.sub(r"\s+", "", str(b or ""))
