"""The interchange JSON document ``xxgk.report/1``: every cell of the format by id, null for blank."""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path

from xxgk.formats import FormatError, format_for_year, get_format
from xxgk.i18n import _
from xxgk.interchange_check import document_problems
from xxgk.limits import read_json
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
from xxgk.schemas import SCHEMA_ID as SCHEMA
from xxgk.values import to_decimal


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
        "sections": {"preamble": report.preamble, **{s: report.sections[s] for s in SECTION_IDS if s in report.sections}},
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
        problems.append(_("{where}: expected a real date YYYY-MM-DD, got {value!r}").format(where=where, value=value))
        return None


def from_document(doc, file: str = "<json>", allow_missing: bool = False) -> Report:
    """Read an interchange document into a Report; raise ParamsError naming every bad field by JSON pointer.

    The document is checked against the published schema (``xxgk schema``) before any value is used. A cell
    missing from ``cells`` is an error unless ``allow_missing``, which reads it as blank and says so on stderr.
    """
    problems = document_problems(doc, allow_missing)
    if problems:
        raise ParamsError([Problem(file, None, m) for m in problems])
    a = doc["agency"]
    year = doc["year"]
    fmt = None
    try:
        fmt = get_format(doc["format"]) if doc.get("format") else format_for_year(year)
    except FormatError as exc:
        problems.append(_("/format: {exc}").format(exc=exc))
    # other tools may use their own level names: kept as given (rule P1 then cannot assess the deadline)
    report = Report(
        agency=Agency(a["id"], a["name"], a.get("level") or AGENCY_LEVELS[0], a.get("parent")),
        year=year,
        format_id=fmt.id if fmt else "2021",
        published=_date(doc.get("published"), "/published 发布日期", problems),
        contact=doc.get("contact"),
    )
    for key, text in (doc.get("sections") or {}).items():
        if key == "preamble":
            report.preamble = text or ""
        else:
            report.sections[key] = text or ""
    report.section_titles = dict(doc.get("section_titles") or {})
    if fmt is not None:
        missing = _read_cells(doc, fmt, report)
        if missing:
            print(_("{file}: {n} cell(s) missing, read as blank (--allow-missing): {missing}{value}").format(file=file, n=len(missing), missing=', '.join(missing[:5]), value=' …' if len(missing) > 5 else ''), file=sys.stderr)  # fmt: skip
    for i, e in enumerate(doc.get("extensions") or []):
        width = len(e["columns"]) - 1
        for j, r in enumerate(e["rows"]):
            if len(r.get("values", [])) != width:
                problems.append(_("/extensions/{i}/rows/{j}/values 「{label}」: expected {width} values ({columns}), got {n}").format(i=i, j=j, label=r['label'], width=width, columns='、'.join(e['columns'][1:]), n=len(r.get('values', []))))  # fmt: skip
        report.extensions.append(
            Extension(
                id=e.get("id") or f"ext{i + 1}",
                title=e["title"],
                after=e.get("after") or "s6",
                columns=list(e["columns"]),
                rows=[ExtensionRow(r["label"], list(r.get("values", [])), r.get("indent", 0)) for r in e["rows"]],
                numbered=e.get("numbered", True),
            )
        )
    sig = doc.get("signature")
    if sig:
        report.signature = Signature(sig.get("agency") or report.agency.name,
                                     _date(sig.get("date"), "/signature/date 落款日期", problems))  # fmt: skip
    for cid, p in (doc.get("provenance") or {}).items():
        if fmt is not None and not fmt.has_cell(cid):
            problems.append(_("/provenance/{cid}: format {id} has no such cell").format(cid=cid[:80], id=fmt.id))
            continue
        report.provenance[cid] = Provenance(p.get("source") or "", float(p.get("confidence", 1.0)),
                                            p.get("uncertain", False), p.get("reason"))  # fmt: skip
    if problems:
        raise ParamsError([Problem(file, None, m) for m in problems])
    report.source = file
    return report


def _read_cells(doc: dict, fmt, report: Report) -> list[str]:
    cells = doc["cells"]
    texts = doc.get("cell_text") or {}
    for cid, value in cells.items():
        extra = texts.get(cid) or {}
        if value is None:
            state = NA if extra.get("state") == NA else BLANK
            report.cells[cid] = Cell(None, state, extra.get("raw"), extra.get("note"))
        else:
            v = value if isinstance(value, int) else to_decimal(value)
            if isinstance(v, Decimal) and v == v.to_integral_value():
                v = int(v)
            report.cells[cid] = Cell(v, VALUE, extra.get("raw"), extra.get("note"))
    missing = [cid for cid in fmt.cell_ids() if cid not in cells]
    report.complete_cells()
    return missing


def load_document(path: str | Path, allow_missing: bool = False) -> Report:
    """Load an interchange JSON file through ``limits.read_json`` (bounded in size and depth, no NaN/Infinity)."""
    return from_document(read_json(path), str(path), allow_missing)


def load_report(path: str | Path, allow_missing: bool = False) -> Report:
    """Load a report from a params YAML or an interchange JSON file, by extension."""
    from xxgk.params import load_params

    p = Path(path)
    return load_document(p, allow_missing) if p.suffix.lower() == ".json" else load_params(p)
