"""``xxgk ingest FILE...``: read published reports into params files (or interchange JSON), run the checker,
and print one summary line per file: cells read, uncertain cells, failing rules; then the parser's doubts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from xxgk.errors import UserError
from xxgk.i18n import _
from xxgk.ingest import convert
from xxgk.ingest.pipeline import Ingested, ingest_file
from xxgk.interchange import to_document
from xxgk.params import params_path
from xxgk.params_write import save_params


def read_any(path: str, year: int | None = None, agency_id: str | None = None, ocr: str = "auto") -> Ingested:
    """Ingest a report file; Excel data-entry forms go to ``xxgk.ingest.xlsx``."""
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xlsm") or suffix in convert.TO_XLSX:
        from xxgk.ingest.xlsx import read_form

        if suffix in convert.TO_XLSX:  # a legacy or WPS sheet: converted to .xlsx by LibreOffice first
            with convert.converted(path, "xlsx") as xlsx:
                try:
                    report = read_form(xlsx)
                except UserError as exc:  # name the user's file, not the converted copy (any error type)
                    raise UserError(str(exc).replace(str(xlsx), str(path))) from None
        else:
            report = read_form(path)
        if agency_id:
            report.agency.id = agency_id
        return Ingested(report, [], str(path))
    return ingest_file(path, year=year, agency_id=agency_id, ocr=ocr)


def check(ingested: Ingested) -> tuple[list, str]:
    """The checker's findings on the ingested report and a short text of the failing rules."""
    try:
        from xxgk.checks import check_report, summary
    except ImportError:
        return [], _("checker not available")
    try:
        findings = check_report(ingested.report)
    except Exception as exc:  # a checker bug must not lose the ingested file
        return [], _("checker failed ({error})").format(error=f"{exc.__class__.__name__}: {exc}")
    s = summary(findings)
    failing = sorted({f.rule for f in findings if f.status == "fail"})
    text = _("checker: {errors} errors, {warnings} warnings").format(errors=s["errors"], warnings=s["warnings"])
    if failing:
        text += " (" + ", ".join(failing) + ")"
    return findings, text


def summary_line(ingested: Ingested, target: str, checker_text: str) -> str:
    """One line per file: where it went, cells read, uncertain cells, failing rules."""
    r = ingested.report
    total = len(r.fmt.cell_ids())
    read = sum(1 for cid in r.fmt.cell_ids() if (p := r.provenance.get(cid)) is None or p.source)
    unc = len(ingested.uncertain_cells)
    return _("{path} → {target}: {name} {year}, format {format}; {read}/{total} cells read, {uncertain} uncertain; "
             "{checker}").format(path=ingested.path, target=target, name=r.agency.name, year=r.year, format=r.format_id,
                                 read=read, total=total, uncertain=unc, checker=checker_text)  # fmt: skip


def uncertain_lines(ingested: Ingested) -> list[str]:
    """The uncertain cells grouped by row (cells read but doubted; cells not found are in the doubts)."""
    rows: dict[tuple[str, str], list[str]] = {}
    for cid in ingested.uncertain_cells:
        p = ingested.report.provenance[cid]
        if p.source:
            rows.setdefault((cid.rsplit(".", 1)[0], p.reason or ""), []).append(cid)
    out = []
    for (row, reason), cids in rows.items():
        first = ingested.report.provenance[cids[0]].source
        cols = ", ".join(c.rsplit(".", 1)[1] for c in cids)
        out.append(_("  uncertain {row} [{cols}] ({first}): {reason}").format(row=row, cols=cols, first=first, reason=reason))
    return out


def main(args) -> int:
    """Run ``xxgk ingest``; return the exit status (2 when any file could not be ingested)."""
    failed = 0
    documents = []
    info = sys.stderr if args.json else sys.stdout
    for path in args.files:
        try:
            ingested = read_any(path, args.year, args.agency_id, getattr(args, "ocr", "auto"))
            _findings, checker_text = check(ingested)
            report = ingested.report
            if args.json:
                documents.append(to_document(report))
                target = "JSON"
            else:
                out = params_path(args.out, report.year, report.agency.id)
                if out.exists() and not args.force:
                    raise UserError(_("{path}: {out} exists; pass --force to overwrite it").format(path=path, out=out))
                save_params(report, out, overwrite=True)
                target = str(out)
        except UserError as exc:
            print(_("xxgk ingest: {exc}").format(exc=exc), file=sys.stderr)
            failed += 1
            continue
        print(summary_line(ingested, target, checker_text), file=info)
        for d in ingested.doubts:
            print(_("  doubt: {doubt}").format(doubt=d), file=info)
        for line in uncertain_lines(ingested):
            print(line, file=info)
    if args.json and documents:
        text = json.dumps(documents[0] if len(documents) == 1 and len(args.files) == 1 else documents,
                          ensure_ascii=False, indent=2)  # fmt: skip
        print(text)
    return 2 if failed else 0
