"""``xxgk forms --year Y -o DIR``: one pre-filled Excel form per roster agency, ``<year>-<agency-id>.xlsx``."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from xxgk.errors import UserError
from xxgk.form_layout import META_SHEET
from xxgk.formats import format_for_year
from xxgk.i18n import _
from xxgk.model import Report
from xxgk.params import load_params, params_path
from xxgk.render.excel import write_form
from xxgk.roster import Member, Roster


def form_name(year: int, agency_id: str) -> str:
    """The file name of an agency's form."""
    return f"{year}-{agency_id}.xlsx"


def office_form_report(member: Member, year: int, params_dir: str | Path, agencies: dict) -> Report:
    """What an agency's form starts from: this year's params file, else last year's carried forward (上年结转 and,
    in the 2021 format, the 现行有效件数 baseline), else blank; agency details always from the roster."""
    from xxgk.newyear import IN_FORCE, carry_forward

    this = params_path(params_dir, year, member.id)
    last_path = params_path(params_dir, year - 1, member.id)
    if this.is_file():
        report = load_params(this, agencies)
    elif last_path.is_file():
        last = load_params(last_path, agencies)
        report = carry_forward(last, year)
        block = report.fmt.table("t2").blocks[0]
        if any(c.id == IN_FORCE for c in block.columns):  # 2021 format: last year's 现行有效件数 as the baseline
            for row in block.rows:
                cid = f"t2.{row.id}.{IN_FORCE}"
                if last.fmt.has_cell(cid) and last.cell(cid).is_value:
                    report.cells[cid] = last.cell(cid)
    else:
        report = Report(member.agency(), year, format_for_year(year).id)
        report.complete_cells()
    report.agency = member.agency()
    report.contact = report.contact or member.contact
    return report


def write_forms(roster: Roster, year: int, out: str | Path, params_dir: str | Path) -> list[Path]:
    """Write one pre-filled form per roster agency into ``out``; return the paths."""
    agencies = roster.agencies()
    out = Path(out)
    return [write_form(office_form_report(m, year, params_dir, agencies), out / form_name(year, m.id))
            for m in roster.members.values()]  # fmt: skip


def form_identity(path: str | Path) -> tuple[str | None, int | None]:
    """The (agency id, year) a returned form was written for, from its hidden metadata (survives renaming)."""
    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file problem
        raise UserError(_("{path}: not a readable Excel workbook ({exc})").format(path=path, exc=exc)) from None
    try:
        if META_SHEET not in wb.sheetnames:
            return None, None
        head = {}
        for row in wb[META_SHEET].iter_rows(max_row=8, values_only=True):
            if row and row[0] in ("agency", "year"):
                head[row[0]] = row[1]
        year = head.get("year")
        return (str(head["agency"]) if head.get("agency") else None), (int(year) if year is not None else None)
    finally:
        wb.close()
