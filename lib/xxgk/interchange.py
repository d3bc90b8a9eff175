"""The interchange JSON document ``xxgk.report/1``: every cell of the format by id, null for blank."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from xxgk.formats import FormatError, format_for_year, get_format
from xxgk.model import (
    AGENCY_LEVELS,
    BLANK,
    NA,
    SECTION_IDS,
    VALUE,
    Agency,
    Cell,
    Extension,
    ExtensionRow,
    Provenance,
    Report,
    Signature,
)
from xxgk.params import ParamsError, Problem
from xxgk.values import to_decimal

SCHEMA = "xxgk.report/1"


def _json_number(v: int | Decimal):
    if isinstance(v, int):
        return v
    return int(v) if v == v.to_integral_value() else float(v)


def to_document(report: Report) -> dict:
    """The interchange document of a report (plain JSON types)."""
    fmt = report.fmt
    cells, cell_text = {}, {}
    for cid in fmt.cell_ids():
        c = report.cell(cid)
        cells[cid] = _json_number(c.value) if c.is_value else None
        extra = {k: v for k, v in (("raw", c.raw), ("note", c.note)) if v}
        if c.state == NA:
            extra["state"] = NA
        if extra:
            cell_text[cid] = extra
    doc = {
        "schema": SCHEMA,
        "agency": {
            "id": report.agency.id,
            "name": report.agency.name,
            "level": report.agency.level,
            "parent": report.agency.parent,
        },
        "year": report.year,
        "format": fmt.id,
        "title": report.title,
        "published": report.published.isoformat() if report.published else None,
        "cells": cells,
        "sections": {"preamble": report.preamble, **{s: report.section_text(s) for s in SECTION_IDS}},
        "extensions": [
            {
                "id": e.id,
                "title": e.title,
                "after": e.after,
                "numbered": e.numbered,
                "columns": list(e.columns),
                "rows": [{"label": r.label, "indent": r.indent, "values": list(r.values)} for r in e.rows],
            }
            for e in report.extensions
        ],
    }
    if report.section_titles:
        doc["section_titles"] = dict(report.section_titles)
    if cell_text:
        doc["cell_text"] = cell_text
    if report.contact:
        doc["contact"] = report.contact
    if report.signature:
        sig = report.signature
        doc["signature"] = {"agency": sig.agency, "date": sig.date.isoformat() if sig.date else None}
    if report.provenance:
        doc["provenance"] = {
            cid: {"source": p.source, "confidence": p.confidence, "uncertain": p.uncertain, "reason": p.reason}
            for cid, p in report.provenance.items()
        }
    return doc


def dumps(report: Report, indent: int | None = 2) -> str:
    """The interchange JSON text of a report (UTF-8, Chinese kept readable)."""
    return json.dumps(to_document(report), ensure_ascii=False, indent=indent)


def _date(value, where: str, problems: list[str]) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: expected a date YYYY-MM-DD, got {value!r}")
        return None


def from_document(doc, file: str = "<json>") -> Report:
    """Read an interchange document into a Report; raise ParamsError naming every bad field."""
    problems: list[str] = []
    if not isinstance(doc, dict):
        raise ParamsError([Problem(file, None, "expected a JSON object")])
    if doc.get("schema") != SCHEMA:
        problems.append(f"schema: expected {SCHEMA!r}, got {doc.get('schema')!r}")
    a = doc.get("agency") or {}
    if not isinstance(a, dict) or not a.get("id") or not a.get("name"):
        problems.append("agency: expected an object with id and name")
        a = a if isinstance(a, dict) else {}
    # other tools may use their own level names: kept as given (rule P1 then cannot assess the deadline)
    level = str(a.get("level") or AGENCY_LEVELS[0])
    year = doc.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        problems.append(f"year: expected an integer report year, got {year!r}")
        year = 0
    fmt = None
    try:
        fmt = get_format(doc["format"]) if doc.get("format") else format_for_year(year)
    except FormatError as exc:
        problems.append(f"format: {exc}")
    report = Report(
        agency=Agency(str(a.get("id", "unknown")), str(a.get("name", "")), level, a.get("parent")),
        year=year,
        format_id=fmt.id if fmt else "2021",
        published=_date(doc.get("published"), "published", problems),
        contact=doc.get("contact"),
    )
    sections = doc.get("sections") or {}
    if not isinstance(sections, dict):
        problems.append("sections: expected an object")
        sections = {}
    for key, text in sections.items():
        if key == "preamble":
            report.preamble = str(text or "")
        elif key in SECTION_IDS:
            report.sections[key] = str(text or "")
        else:
            problems.append(f"sections: unknown key {key!r}")
    report.section_titles = dict(doc.get("section_titles") or {})
    if fmt is not None:
        _read_cells(doc, fmt, report, problems)
    for i, e in enumerate(doc.get("extensions") or []):
        try:
            report.extensions.append(
                Extension(
                    id=str(e.get("id") or f"ext{i + 1}"),
                    title=str(e["title"]),
                    after=str(e.get("after") or "s6"),
                    columns=[str(c) for c in e["columns"]],
                    rows=[ExtensionRow(str(r["label"]), list(r.get("values", [])), int(r.get("indent", 0))) for r in e["rows"]],
                    numbered=bool(e.get("numbered", True)),
                )
            )
        except (KeyError, TypeError, AttributeError, ValueError):
            problems.append(f"extensions[{i}]: expected title, columns and rows")
    sig = doc.get("signature")
    if isinstance(sig, dict):
        report.signature = Signature(str(sig.get("agency") or report.agency.name), _date(sig.get("date"), "signature.date", problems))
    for cid, p in (doc.get("provenance") or {}).items():
        if isinstance(p, dict):
            report.provenance[cid] = Provenance(
                str(p.get("source", "")), float(p.get("confidence", 1.0)), bool(p.get("uncertain", False)), p.get("reason")
            )
    if problems:
        raise ParamsError([Problem(file, None, m) for m in problems])
    report.source = file
    return report


def _read_cells(doc: dict, fmt, report: Report, problems: list[str]) -> None:
    cells = doc.get("cells")
    if not isinstance(cells, dict):
        problems.append("cells: expected an object of cell id → number or null")
        return
    texts = doc.get("cell_text") or {}
    for cid, value in cells.items():
        if not fmt.has_cell(cid):
            problems.append(f"cells: format {fmt.id} has no cell {cid!r}")
            continue
        spec = fmt.cell(cid)
        extra = texts.get(cid) or {}
        if value is None:
            state = NA if extra.get("state") == NA else BLANK
            report.cells[cid] = Cell(None, state, extra.get("raw"), extra.get("note"))
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"cells.{cid} {spec.label}: expected a number or null, got {value!r}")
        else:
            v = value if isinstance(value, int) else to_decimal(value)
            if isinstance(v, Decimal) and v == v.to_integral_value():
                v = int(v)
            report.cells[cid] = Cell(v, VALUE, extra.get("raw"), extra.get("note"))
    report.complete_cells()


def load_document(path: str | Path) -> Report:
    """Load an interchange JSON file."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ParamsError([Problem(str(path), exc.lineno, f"not valid JSON: {exc.msg}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ParamsError([Problem(str(path), None, f"cannot read: {exc}")]) from None
    return from_document(doc, str(path))


def load_report(path: str | Path) -> Report:
    """Load a report from a params YAML or an interchange JSON file, by extension."""
    from xxgk.params import load_params

    p = Path(path)
    return load_document(p) if p.suffix.lower() == ".json" else load_params(p)
