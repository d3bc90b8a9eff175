"""The national report formats as data: loaded once from ``data/*.yaml``, looked up by id or year."""

from __future__ import annotations

import functools
import hashlib
from importlib import resources

import yaml

from xxgk.errors import UserError
from xxgk.formats.schema import (
    COUNT,
    MONEY,
    SIGNED,
    TABLE_NAMES,
    VALUE_TYPES,
    Block,
    CellSpec,
    Column,
    Format,
    Row,
    Section,
    Table,
)
from xxgk.i18n import _

__all__ = [
    "COUNT",
    "MONEY",
    "SIGNED",
    "TABLE_NAMES",
    "Block",
    "CellSpec",
    "Column",
    "Format",
    "FormatError",
    "Row",
    "Section",
    "Table",
    "FORMAT_IDS",
    "format_for_year",
    "get_format",
    "formats_digest",
]

FORMAT_IDS = ("2019", "2021")
FIRST_YEAR = 2019


class FormatError(UserError, ValueError):
    """A format id or report year that no national format covers."""


def _data(name: str) -> dict:
    text = resources.files("xxgk.formats").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when present: ~8× faster


def _column(d: dict) -> Column:
    col = Column(**d)
    if col.type not in VALUE_TYPES:
        raise FormatError(_("unknown value type {type!r} in column {id}").format(type=col.type, id=col.id))
    return col


def _rows(items: list[dict]) -> tuple[Row, ...]:
    return tuple(Row(**d) for d in items)


def _build(version: dict, common: dict) -> Format:
    t2d = version["t2"]
    t2 = Table(
        id="t2",
        title=t2d["title"],
        section="s2",
        layout=t2d["layout"],
        label_header=t2d.get("label_header"),
        grid_columns=t2d.get("grid_columns"),
        blocks=tuple(
            Block(title=b["title"], columns=tuple(_column(c) for c in b["columns"]), rows=_rows(b["rows"]))
            for b in t2d["blocks"]
        ),
    )
    t3d = common["t3"]
    t3_rows = _rows(t3d["head_rows"]) + _rows(version["t3"]["middle_rows"]) + _rows(t3d["tail_rows"])
    t3 = Table(
        id="t3",
        title=t3d["title"],
        section="s3",
        layout=t3d["layout"],
        label_columns=t3d["label_columns"],
        note=t3d["note"],
        column_title=t3d["column_title"],
        blocks=(Block(title=None, columns=tuple(_column(c) for c in t3d["columns"]), rows=t3_rows),),
    )
    t4d = common["t4"]
    t4 = Table(
        id="t4",
        title=t4d["title"],
        section="s4",
        layout=t4d["layout"],
        blocks=(Block(title=None, columns=tuple(_column(c) for c in t4d["columns"]), rows=_rows(t4d["rows"])),),
    )
    tables = (t2, t3, t4)
    cells = tuple(
        CellSpec(id=f"{t.id}.{r.id}.{c.id}", table=t, block=b, row=r, column=c)
        for t in tables
        for b in t.blocks
        for r in b.rows
        for c in b.columns
    )
    first, last = version["years"]
    fmt = Format(
        id=str(version["id"]),
        name=version["name"],
        document=version["document"],
        first_year=first,
        last_year=last,
        sections=tuple(Section(**{**s, "aliases": tuple(s.get("aliases", ()))}) for s in common["sections"]),
        tables=tables,
        cells=cells,
    )
    fmt._by_id.update({c.id: c for c in cells})
    if len(fmt._by_id) != len(cells):
        raise FormatError(_("duplicate cell ids in format {id}").format(id=fmt.id))
    return fmt


@functools.cache
def get_format(format_id: str | int) -> Format:
    """The format with this id ("2019" or "2021")."""
    key = str(format_id)
    if key not in FORMAT_IDS:
        raise FormatError(_("unknown format {format_id!r}; known formats: {format_ids}").format(format_id=format_id, format_ids=', '.join(FORMAT_IDS)))
    return _build(_data(f"{key}.yaml"), _data("common.yaml"))


def format_for_year(year: int) -> Format:
    """The format prescribed for a report year (2019–2020 → 2019, 2021 on → 2021)."""
    if year < FIRST_YEAR:
        raise FormatError(
            f"report year {year} predates the national formats (first report year {FIRST_YEAR}); "
            "pre-2019 reports used the abolished 政府信息公开情况统计表"
        )
    for fid in FORMAT_IDS:
        fmt = get_format(fid)
        if fmt.covers(year):
            return fmt
    raise FormatError(_("no format covers report year {year}").format(year=year))


@functools.cache
def formats_digest() -> str:
    """A hash of the format data files, so builds can tell when a definition changed."""
    h = hashlib.sha256()
    for name in ("common.yaml", *(f"{fid}.yaml" for fid in FORMAT_IDS)):
        h.update(resources.files("xxgk.formats").joinpath("data", name).read_bytes())
    return h.hexdigest()[:16]
