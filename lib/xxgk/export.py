"""Export reports as interchange JSON or as long-format cell rows (the open-data CSV layout)."""

from __future__ import annotations

import csv
import io
import sys

from xxgk.interchange import dumps, load_report, to_document
from xxgk.model import Report
from xxgk.validate import csv_safe
from xxgk.values import canonical_text

_TEXT_COLUMNS = ("agency_id", "agency_name", "label_path")
CSV_COLUMNS = ("agency_id", "agency_name", "year", "format", "cell_id", "label_path", "value", "blank")


def cell_rows(report: Report) -> list[dict]:
    """One dict per cell of the report's format, in official order (columns of ``CSV_COLUMNS``)."""
    rows = []
    for spec in report.fmt.cells:
        c = report.cell(spec.id)
        rows.append({
            "agency_id": report.agency.id,
            "agency_name": report.agency.name,
            "year": report.year,
            "format": report.format_id,
            "cell_id": spec.id,
            "label_path": " / ".join(spec.label_path),
            "value": canonical_text(c.value) if c.is_value else "",
            "blank": 0 if c.is_value else 1,
        })  # fmt: skip
    return rows


def write_csv(reports, out) -> None:
    """Write the long-format cell table of several reports to a text stream.

    Text cells that a spreadsheet would run as a formula (leading ``= + - @`` tab or CR) get a leading
    single quote, as OWASP recommends for CSV injection; the value column holds plain numbers only.
    """
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in reports:
        w.writerows({k: csv_safe(v) if k in _TEXT_COLUMNS else v for k, v in row.items()} for row in cell_rows(r))


def main(args) -> int:
    """``xxgk export PARAMS [--json|--csv]``."""
    report = load_report(args.path, allow_missing=getattr(args, "allow_missing", False))
    if args.csv:
        buf = io.StringIO()
        write_csv([report], buf)
        sys.stdout.write(buf.getvalue())
    else:
        sys.stdout.write(dumps(report) + "\n")
    return 0


__all__ = ["CSV_COLUMNS", "cell_rows", "dumps", "main", "to_document", "write_csv"]
