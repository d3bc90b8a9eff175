"""The reports behind the site: interchange documents saved next to each built report (``report.json``),
falling back to the params file; and the open-data files ``<out>/data/cells.csv`` and ``reports.json``."""

from __future__ import annotations

import io
import json
from pathlib import Path

from xxgk.export import write_csv
from xxgk.interchange import from_document, to_document
from xxgk.model import Report
from xxgk.params import ParamsError, load_params
from xxgk.params_write import write_text_atomic

DOC_NAME = "report.json"
DATA_DIR = "data"


def document_path(out_dir: str | Path, year: int, agency: str) -> Path:
    """Where a built report's interchange document lives: ``<out>/<year>/<agency>/report.json``."""
    return Path(out_dir) / str(year) / agency / DOC_NAME


def load_reports(out_dir: str | Path, found, years=None) -> list[Report]:
    """The reports of every params file found (optionally only some years), from their saved documents when
    the document is as recent as the params file, else from the params file; unreadable ones are skipped."""
    out = []
    for year, agency, path in found:
        if years is not None and year not in years:
            continue
        doc = document_path(out_dir, year, agency)
        try:
            if doc.is_file() and doc.stat().st_mtime >= Path(path).stat().st_mtime:
                out.append(from_document(json.loads(doc.read_text(encoding="utf-8")), str(doc)))
                continue
        except (OSError, ValueError, ParamsError):
            pass
        try:
            out.append(load_params(path))
        except ParamsError:
            continue
    return out


def write_open_data(out_dir: str | Path, reports: list[Report]) -> tuple[Path, Path]:
    """Write ``data/cells.csv`` (one row per cell) and ``data/reports.json`` (a list of interchange documents)."""
    data = Path(out_dir) / DATA_DIR
    reports = sorted(reports, key=lambda r: (r.year, r.agency.id))
    buf = io.StringIO()
    write_csv(reports, buf)
    csv_path = write_text_atomic(data / "cells.csv", buf.getvalue())
    docs = [to_document(r) for r in reports]
    json_path = write_text_atomic(data / "reports.json", json.dumps(docs, ensure_ascii=False, indent=1))
    return csv_path, json_path
