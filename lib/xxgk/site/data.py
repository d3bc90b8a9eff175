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
from xxgk.params_review import peek_members

DOC_NAME = "report.json"
DATA_DIR = "data"


def document_path(out_dir: str | Path, year: int, agency: str) -> Path:
    """Where a built report's interchange document lives: ``<out>/<year>/<agency>/report.json``."""
    return Path(out_dir) / str(year) / agency / DOC_NAME


def site_reports(reports: dict, found) -> list[tuple[int, str, Path | None]]:
    """Every report of the site, as (year, agency, params file): each one in the manifest (``reports``: key →
    entry; built under the output directory from whichever params directory, its recorded params file) and each
    params file found now (pending until built). The params file is None when nothing says where it is."""
    items: dict[tuple[int, str], Path | None] = {(int(y), a): Path(p) for y, a, p in found}
    for key, e in reports.items():
        year, _, agency = key.partition("/")
        if not year.isdigit() or not agency:
            continue
        if e.get("params"):
            items[(int(year), agency)] = Path(e["params"])
        else:
            items.setdefault((int(year), agency), None)
    return sorted((y, a, p) for (y, a), p in items.items())


def load_reports(out_dir: str | Path, found, years=None) -> list[Report]:
    """The reports of ``found`` (year, agency, params file; optionally only some years), from their saved
    documents when the document is as recent as the params file (or the params file is gone), else from the
    params file; unreadable ones are skipped."""
    out = []
    for year, agency, path in found:
        if years is not None and year not in years:
            continue
        doc = document_path(out_dir, year, agency)
        params = Path(path) if path is not None else None
        try:
            if doc.is_file() and (params is None or not params.is_file() or doc.stat().st_mtime >= params.stat().st_mtime):
                report = from_document(json.loads(doc.read_text(encoding="utf-8")), str(doc))
                if params is not None:  # the document does not carry a consolidated report's members
                    report.members = peek_members(params)
                out.append(report)
                continue
        except (OSError, ValueError, ParamsError):
            pass
        if params is None:
            continue
        try:
            out.append(load_params(params))
        except ParamsError:
            continue
    return out


def open_data(reports: list[Report]) -> dict[str, str]:
    """The open-data files as texts: ``data/cells.csv`` (one row per cell) and ``data/reports.json`` (a list of
    interchange documents)."""
    reports = sorted(reports, key=lambda r: (r.year, r.agency.id))
    buf = io.StringIO()
    write_csv(reports, buf)
    docs = [to_document(r) for r in reports]
    return {f"{DATA_DIR}/cells.csv": buf.getvalue(), f"{DATA_DIR}/reports.json": json.dumps(docs, ensure_ascii=False, indent=1)}


def write_open_data(out_dir: str | Path, reports: list[Report]) -> tuple[Path, Path]:
    """Write ``data/cells.csv`` and ``data/reports.json`` together (both or neither: ``write_all_atomic``)."""
    from xxgk.site.atomic import write_all_atomic

    paths = write_all_atomic(out_dir, open_data(reports))
    return paths[0], paths[1]
