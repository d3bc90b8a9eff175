"""Read a filled Excel data-entry form (written by ``xxgk form``) back into a Report.

Positions come from the hidden metadata sheet, checked against ``xxgk.form_layout`` for the form's format;
a form of an unknown format, with sheets renamed or missing, or with labels moved, is refused with the
reason. Blank input cells stay blank (not 0); numbers typed as text are accepted; every bad value is
reported with its sheet, cell address, official label and what was expected.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from xxgk import form_layout as L
from xxgk import limits
from xxgk.errors import UserError
from xxgk.formats import FORMAT_IDS, FormatError, format_for_year, get_format
from xxgk.i18n import _
from xxgk.model import (
    AGENCY_LEVELS,
    SECTION_IDS,
    Agency,
    Cell,
    Extension,
    ExtensionRow,
    Report,
    Signature,
    ValueTextError,
    cell_from_text,
)
from xxgk.params import AGENCY_ID
from xxgk.validate import MAX_LABEL, MAX_NAME, MAX_TEXT, text_problem, value_problem, year_problem
from xxgk.values import canonical_text, expected_text, to_decimal

MAX_META_CHARS = 1_000_000


class FormError(UserError, ValueError):
    """A form that cannot be read: not an xxgk form, out of shape, or holding bad values (all listed)."""

    def __init__(self, path, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = list(problems)
        head = f"{path}: " if len(problems) == 1 else f"{path}: {len(problems)} problems:\n  "
        super().__init__(head + "\n  ".join(problems))


def _open(path: Path):
    if not path.is_file():
        raise FormError(path, ["file not found"])
    try:
        limits.check_zip(path, "xlsx")  # sizes, ratios, entity declarations: before openpyxl inflates anything
    except limits.InputError as exc:
        raise FormError(path, [exc.reason]) from None
    try:
        return load_workbook(path)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise FormError(path, [f"not an Excel .xlsx workbook ({exc})"]) from None
    except Exception as exc:  # the parse step only: zlib.error, ParseError, defusedxml's refusals, openpyxl's own
        raise FormError(path, [f"cannot read the file as .xlsx: {exc.__class__.__name__}: {exc}"]) from None


def _meta(path: Path, wb) -> tuple[dict, list[tuple]]:
    if L.META_SHEET not in wb.sheetnames:
        raise FormError(path, [f"not an xxgk data-entry form: the hidden sheet {L.META_SHEET} is missing (was the "
                               "form copied into another workbook? fill the file `xxgk form` wrote)"])  # fmt: skip
    head: dict = {}
    entries: list[tuple] = []
    for row in wb[L.META_SHEET].iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        if row[0] in (L.K_CELL, L.K_FIELD, L.K_TEXT, L.K_TITLE, L.K_EXT):
            entries.append(tuple(row[:5]) + (None,) * (5 - len(row[:5])))
        else:
            head[str(row[0])] = row[1]
    if head.get("schema") != L.SCHEMA:
        raise FormError(path, [f"metadata sheet {L.META_SHEET}: schema {head.get('schema')!r}, expected {L.SCHEMA!r}"])
    check_metadata(path, wb[L.META_SHEET])
    return head, entries


def check_metadata(path: Path, ws) -> None:
    """Validate the hidden metadata against its declared schema (year, format, extension specs) before use."""
    import jsonschema

    from xxgk.interchange_check import pointer
    from xxgk.schemas import form_extension_schema

    problems: list[str] = []
    validator = jsonschema.Draft202012Validator(form_extension_schema())
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if not row:
            continue
        where = f"{ws.title}!{{}}{r}"
        if row[0] == "year" and year_problem(row[1] if len(row) > 1 else None):
            problems.append(f"{where.format('B')} 「报告年度」: {year_problem(row[1])}")
        elif row[0] == "format" and (len(row) < 2 or str(row[1]) not in FORMAT_IDS):
            problems.append(_("{cell} 「格式」: expected one of {formats}; got {value!r}").format(
                cell=where.format("B"), formats=", ".join(FORMAT_IDS), value=row[1:2]))
        elif row[0] == L.K_EXT:
            text = row[4] if len(row) > 4 else None
            try:
                spec = json.loads(text) if isinstance(text, str) and len(text) < MAX_META_CHARS else None
            except (ValueError, RecursionError):
                spec = None
            if spec is None:
                problems.append(_("{format}: expected the extension table's spec as JSON; got {show}").format(format=where.format('E'), show=_show(str(text)[:60])))
                continue
            for e in validator.iter_errors(spec):
                problems.append(f"{where.format('E')} {pointer(e.absolute_path)}: {e.message[:200]}")
            if isinstance(spec, dict) and not problems and len(spec["labels"]) != len(spec["indents"]):
                problems.append(_("{format}: {n} row labels but {n2} indents").format(format=where.format('E'), n=len(spec['labels']), n2=len(spec['indents'])))
            for k, t in enumerate([spec.get("title"), *spec.get("columns", []), *spec.get("labels", [])]
                                  if isinstance(spec, dict) else []):  # fmt: skip
                if isinstance(t, str) and text_problem(t, MAX_LABEL):
                    problems.append(_("{format} text {k}: {text_problem}").format(format=where.format('E'), k=k, text_problem=text_problem(t, MAX_LABEL)))
    if problems:
        raise FormError(path, [f"metadata sheet {L.META_SHEET} was altered: {p}" for p in problems])


def _check_shape(path: Path, wb, fmt, year: int, entries: list[tuple]) -> list[dict]:
    """Compare the metadata with the layout of the format and the labels on the sheets; return extension specs."""
    problems: list[str] = []
    exts = [json.loads(e[4]) for e in entries if e[0] == L.K_EXT]
    expected = L.layout_entries(fmt, len(exts))
    found = [tuple(str(x) for x in e[:4]) for e in entries]
    if found != [tuple(e) for e in expected]:
        diff = next(((f, e) for f, e in zip(found, expected) if f != tuple(e)), None)
        what = (f"{diff[0][1]} is at {diff[0][2]}!{diff[0][3]} in the metadata, but format {fmt.id} places "
                f"{diff[1][1]} at {diff[1][2]}!{diff[1][3]}") if diff else (
                f"{len(found)} inputs in the metadata, format {fmt.id} has {len(expected)}")  # fmt: skip
        raise FormError(path, [f"metadata does not match the layout of format {fmt.id}: {what}; "
                               "write a new form with `xxgk form`"])  # fmt: skip
    sheets = {e[2] for e in expected}
    missing = sorted(sheets - set(wb.sheetnames))
    if missing:
        present = "、".join(s for s in wb.sheetnames if s != L.META_SHEET)
        raise FormError(path, [f"sheet {s} is missing (renamed or deleted?); sheets present: {present}" for s in missing])
    for sheet, address, text in L.label_cells(fmt):
        got = wb[sheet][address].value
        if not L.same_text(got, text):
            problems.append(_("{sheet}!{address}: expected the official label 「{text}」, found {show} — the form was edited out of shape (rows or columns inserted, deleted or moved?)").format(sheet=sheet, address=address, text=text, show=_show(got)))  # fmt: skip
    for i, spec in enumerate(exts):
        ws = wb[L.extension_sheet(i)]
        cells = [(L.addr(L.FIRST_ROW - 1, j + 1), c) for j, c in enumerate(spec["columns"])]
        cells += [(L.addr(L.FIRST_ROW + k, 1), lab) for k, lab in enumerate(spec["labels"])]
        for address, text in cells:
            if not L.same_text(ws[address].value, text):
                problems.append(_("{title}!{address}: expected 「{text}」, found {show} — the table was edited out of shape").format(title=ws.title, address=address, text=text, show=_show(ws[address].value)))  # fmt: skip
    info = wb[L.INFO_SHEET]
    shown_year = info[L.info_address("year")].value
    if shown_year not in (None, year) and str(shown_year).strip() != str(year):
        problems.append(_("{cell} 「报告年度」: {shown!r} differs from the form's year {year}; a form is for one year "
                          "— write a new one with `xxgk form --year`").format(
            cell=f"{L.INFO_SHEET}!{L.info_address('year')}", shown=shown_year, year=year))
    if problems:
        raise FormError(path, problems)
    return exts


def _show(value) -> str:
    return "an empty cell" if value in (None, "") else f"「{value}」"


class _Values:
    """Reads input cells, collecting problems; formula cells take the value Excel last computed."""

    def __init__(self, path: Path, wb) -> None:
        self.path, self.wb = path, wb
        self.problems: list[str] = []
        self._cached = None

    def raw(self, sheet: str, address: str):
        cell = self.wb[sheet][address]
        value = cell.value
        if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and cell.data_type != "s"):
            if self._cached is None:
                self._cached = load_workbook(self.path, data_only=True)
            value = self._cached[sheet][address].value
            if value is None:
                self.problems.append(_("{sheet}!{address}: a formula without a computed value; type the number, or open and save the form in Excel or LibreOffice first").format(sheet=sheet, address=address))  # fmt: skip
        return value

    def table_cell(self, sheet: str, address: str, spec) -> Cell | None:
        value = self.raw(sheet, address)
        where = f"{sheet}!{address} {spec.label}"
        try:
            if value is None:
                cell = Cell.blank()
            elif isinstance(value, bool) or isinstance(value, (dt.datetime, dt.date, dt.time)):
                raise ValueTextError(str(value))
            elif isinstance(value, (int, float)):
                cell = cell_from_text(canonical_text(_number(value)), spec.column)
            else:
                cell = cell_from_text(str(value), spec.column)
        except ValueTextError:
            kind = "a date (Excel turned the entry into a date)" if isinstance(value, (dt.date, dt.time)) else repr(value)[:60]
            self.problems.append(_("{where}: expected {expected_text}; got {kind}").format(where=where, expected_text=expected_text(spec.column), kind=kind))
            return None
        problem = value_problem(cell.value, spec.column.type) if cell.is_value else None
        if problem:
            self.problems.append(f"{where}: {problem}")
            return None
        comment = self.wb[sheet][address].comment
        if comment is not None and comment.text and comment.text.strip():
            cell.note = comment.text.strip()
        return cell

    def text(self, sheet: str, address: str, max_len: int = MAX_TEXT) -> str | None:
        value = self.raw(sheet, address)
        if value is None:
            return None
        if isinstance(value, float):
            return canonical_text(_number(value))
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        problem = text_problem(text.strip(), max_len)
        if problem:
            self.problems.append(_("{sheet}!{address}: the text {problem}").format(sheet=sheet, address=address, problem=problem))
            return None
        return text

    def date(self, sheet: str, address: str, label: str) -> dt.date | None:
        value = self.raw(sheet, address)
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return from_excel(value).date()
        text = str(value).strip()
        m = re.fullmatch(r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?", text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
        self.problems.append(_("{sheet}!{address} 「{label}」: expected a date like 2021-01-20 or 2021年1月20日; got {value!r}")
                             .format(sheet=sheet, address=address, label=label, value=value))
        return None


def _number(value: int | float):
    if isinstance(value, int):
        return value
    d = to_decimal(value)
    return int(d) if d == d.to_integral_value() else d.normalize()


def _ext_value(value):
    if value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, float):
        n = _number(value)
        return n if isinstance(n, int) else canonical_text(n)
    return str(value)


def _details(v: _Values, report: Report) -> None:
    get = {f.key: L.info_address(f.key) for f in L.INFO_FIELDS}
    label = {f.key: f.label for f in L.INFO_FIELDS}
    s = L.INFO_SHEET
    aid = (v.text(s, get["agency.id"], MAX_LABEL) or "").strip()
    if aid and not AGENCY_ID.match(aid):
        v.problems.append(_("{s}!{get} 「{label}」: {aid!r} must be lower-case letters, digits and '-' (e.g. yuyao-commerce)").format(s=s, get=get['agency.id'], label=label['agency.id'], aid=aid))  # fmt: skip
    name = (v.text(s, get["agency.name"], MAX_NAME) or "").strip()
    if not name:
        v.problems.append(_("{s}!{get} 「{label}」: required; got an empty cell").format(s=s, get=get['agency.name'], label=label['agency.name']))
    level = (v.text(s, get["agency.level"]) or "").strip() or AGENCY_LEVELS[0]
    if level not in AGENCY_LEVELS:
        v.problems.append(_("{s}!{get} 「{label}」: expected one of {agency_levels}; got {level!r}").format(s=s, get=get['agency.level'], label=label['agency.level'], agency_levels='、'.join(AGENCY_LEVELS), level=level))  # fmt: skip
    parent = (v.text(s, get["agency.parent"], MAX_NAME) or "").strip() or None
    report.agency = Agency(aid, name, level, parent)
    report.published = v.date(s, get["published"], label["published"])
    report.contact = v.text(s, get["contact"]) or None
    sig_agency = (v.text(s, get["signature.agency"], MAX_NAME) or "").strip()
    sig_date = v.date(s, get["signature.date"], label["signature.date"])
    if sig_agency or sig_date:
        report.signature = Signature(sig_agency or name, sig_date)


def read_form(path: str | Path, *, format_id: str | None = None) -> Report:
    """Read a filled ``xxgk form`` workbook into a Report; FormError names every problem found."""
    path = Path(path)
    wb = _open(path)
    head, entries = _meta(path, wb)
    try:
        fmt = get_format(str(head.get("format")))
        year = int(head.get("year"))
        if format_for_year(year).id != fmt.id:
            raise FormError(path, [f"the form is in format {fmt.id} but report year {year} requires format "
                                   f"{format_for_year(year).id}; write a new form with `xxgk form --year {year}`"])  # fmt: skip
    except (FormatError, TypeError, ValueError) as exc:
        if isinstance(exc, FormError):
            raise
        raise FormError(path, [f"metadata sheet {L.META_SHEET}: unusable format/year ({exc})"]) from None
    if format_id is not None and str(format_id) != fmt.id:
        raise FormError(path, [f"this is a form of format {fmt.id} ({fmt.document}); format {format_id} was expected"])
    exts = _check_shape(path, wb, fmt, year, entries)
    v = _Values(path, wb)
    report = Report(Agency("", ""), year, fmt.id)
    _details(v, report)
    for kind, key, sheet, address, _label in entries:
        if kind == L.K_CELL:
            cell = v.table_cell(sheet, address, fmt.cell(key))
            if cell is not None:
                report.cells[key] = cell
        elif kind == L.K_TEXT:
            text = v.text(sheet, address) or ""
            if key == "preamble":
                report.preamble = text
            else:
                report.sections[key] = text
        elif kind == L.K_TITLE:
            title = (v.text(sheet, address, MAX_LABEL) or "").strip()
            if title:
                report.section_titles[key] = title
    for sid in SECTION_IDS:
        report.sections.setdefault(sid, "")
    for i, spec in enumerate(exts):
        ws = L.extension_sheet(i)
        rows = [ExtensionRow(label, [_ext_value(v.raw(ws, L.addr(L.FIRST_ROW + k, 2 + j)))
                                     for j in range(len(spec["columns"]) - 1)], indent)
                for k, (label, indent) in enumerate(zip(spec["labels"], spec["indents"]))]  # fmt: skip
        report.extensions.append(Extension(spec["id"], spec["title"], spec["after"], list(spec["columns"]), rows,
                                           bool(spec["numbered"])))  # fmt: skip
    if v.problems:
        raise FormError(path, v.problems)
    report.complete_cells()
    report.source = str(path)
    return report


__all__ = ["FormError", "read_form"]
