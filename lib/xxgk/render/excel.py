"""The Excel data-entry form (``xxgk form``): the official tables with locked labels and open input cells,
validation, live identity checks, agency details, narrative, extension tables and hidden metadata.

Positions come from ``xxgk.form_layout``; ``xxgk.ingest.xlsx.read_form`` reads a filled form back.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xxgk import form_layout as L
from xxgk.errors import UserError
from xxgk.formats import COUNT, MONEY, SIGNED, TABLE_NAMES, format_for_year
from xxgk.formats.layout import HEADER, LABEL, NOTE, TITLE, VALUE
from xxgk.i18n import _
from xxgk.model import AGENCY_LEVELS, NA, Agency, Cell, Report
from xxgk.model import VALUE as V_STATE
from xxgk.params import discover, load_params, params_path
from xxgk.params_write import write_text_atomic
from xxgk.render.excel_checks import add_identity_checks
from xxgk.render.safe_text import clean_report
from xxgk.validate import xml_safe
from xxgk.values import canonical_text, to_decimal

INPUT_FILL = PatternFill("solid", start_color="FFFFF2CC", end_color="FFFFF2CC")
HEAD_FILL = PatternFill("solid", start_color="FFC6D9F1", end_color="FFC6D9F1")
LABEL_FILL = PatternFill("solid", start_color="FFF2F2F2", end_color="FFF2F2F2")
THIN = Side(style="thin", color="FF000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
WRAP_TOP = Alignment(horizontal="left", vertical="top", wrap_text=True)
UNLOCKED = Protection(locked=False)
EXCEL_TEXT_LIMIT = 32767
HINT = "黄色格子填写；空白表示未填（空白不等于0），确为零请填0。红色表示勾稽关系不符。"
COLUMN_WIDTHS = {"t2": [22, 18, 18, 18], "t3": [7, 11, 34] + [9] * 7, "t4": [8.5] * 15}

_VALIDATION = {
    COUNT: dict(type="whole", operator="greaterThanOrEqual", formula1="0",
                error="请填写非负整数；不适用或未填请留空（空白不等于0）。", prompt="非负整数"),
    SIGNED: dict(type="whole", operator="between", formula1="-1000000000", formula2="1000000000",
                 error="请填写整数（增加为正，减少为负，如 +2、-18、0）。", prompt="整数，减少填负数"),
    MONEY: dict(type="decimal", operator="greaterThanOrEqual", formula1="0",
                error="请填写非负数（金额，可带小数）。", prompt="金额（数字，可带小数）"),
}  # fmt: skip


def _text(ws: Worksheet, ref: str, value) -> None:
    """Put a value in a cell; user text is always a string cell (never a formula), without XML-illegal characters."""
    if isinstance(value, str):
        value = xml_safe(value)
        if len(value) > EXCEL_TEXT_LIMIT:
            raise UserError(_("{title}!{ref}: a text of {n} characters does not fit an Excel cell (at most {excel_text_limit}); shorten it in the params file").format(title=ws.title, ref=ref, n=len(value), excel_text_limit=EXCEL_TEXT_LIMIT))  # fmt: skip
    c = ws[ref]
    c.value = value
    if isinstance(value, str):
        c.data_type = "s"


def excel_value(cell: Cell):
    """What to write for a table cell: a number, or the text as published/written ('/', '+2', '12万元')."""
    if cell.state == V_STATE and cell.value is not None and cell.raw is None:
        if isinstance(cell.value, int):
            return cell.value
        d = to_decimal(cell.value)
        f = float(d)
        return f if to_decimal(f) == d.normalize() else canonical_text(d)
    if cell.state == NA:
        return cell.raw or "n/a"
    return cell.raw or None


def _list_formula(items) -> str:
    """An inline drop-down list for data validation (items must not hold commas)."""
    return '"' + ",".join(str(i).replace(",", "，").replace('"', "”") for i in items) + '"'


def _titled(ws: Worksheet, title: str, width: int, hint: str = HINT) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    _text(ws, "A1", title)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 26
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    _text(ws, "A2", hint)
    ws["A2"].font = Font(size=9, color="FF595959")
    ws["A2"].alignment = WRAP_LEFT
    ws.row_dimensions[2].height = 30


def _print_setup(ws: Worksheet, landscape: bool = False) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _protect(ws: Worksheet) -> None:
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False


def _table_sheet(wb: Workbook, report: Report, table_id: str, grid) -> Worksheet:
    fmt = report.fmt
    ws = wb.create_sheet(L.TABLE_SHEETS[table_id])
    _titled(ws, f"{TABLE_NAMES[table_id]}　{fmt.table(table_id).title}", grid.n_cols)
    for i, w in enumerate(COLUMN_WIDTHS[table_id][: grid.n_cols], start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    validations: dict[str, DataValidation] = {}
    for gc in grid.cells:
        top, left = L.GRID_TOP + gc.row, gc.col + 1
        for r in range(top, top + gc.rowspan):
            for c in range(left, left + gc.colspan):
                ws.cell(r, c).border = BOX
        if gc.rowspan > 1 or gc.colspan > 1:
            ws.merge_cells(start_row=top, start_column=left, end_row=top + gc.rowspan - 1,
                           end_column=left + gc.colspan - 1)  # fmt: skip
        cell = ws.cell(top, left)
        if gc.kind == VALUE:
            spec = fmt.cell(gc.cell_id)
            value = report.cell(gc.cell_id)
            _text(ws, cell.coordinate, excel_value(value))
            if value.note and not (value.raw and value.note in value.raw):
                cell.comment = Comment(xml_safe(value.note), "xxgk")
            cell.protection = UNLOCKED
            cell.fill = INPUT_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center")
            if spec.type == MONEY:
                cell.number_format = "0.######"
            dv = validations.get(spec.type)
            if dv is None:
                opts = dict(_VALIDATION[spec.type])
                dv = DataValidation(allow_blank=True, showErrorMessage=True, showInputMessage=True,
                                    errorTitle="数值不符合要求", promptTitle="填写说明", **opts)  # fmt: skip
                validations[spec.type] = dv
                ws.add_data_validation(dv)
            dv.add(cell.coordinate)
        else:
            cell.value = gc.text
            cell.alignment = WRAP_LEFT if gc.kind in (TITLE, NOTE) or (gc.kind == LABEL and gc.col == 2) else WRAP_CENTER
            if gc.kind == TITLE:
                cell.fill = HEAD_FILL
                cell.font = Font(bold=True)
            elif gc.kind in (HEADER, NOTE):
                cell.fill = LABEL_FILL
                if gc.kind == NOTE:
                    cell.font = Font(size=9)
    for r in range(L.GRID_TOP, L.GRID_TOP + grid.n_rows):
        ws.row_dimensions[r].height = 30 if table_id != "t4" else 24
    if grid.header_rows:
        label_cols = fmt.table(table_id).label_columns if table_id == "t3" else 0
        ws.freeze_panes = ws.cell(L.GRID_TOP + grid.header_rows, 1 + label_cols)
    add_identity_checks(ws, fmt, table_id, grid)
    _print_setup(ws, landscape=table_id != "t2")
    _protect(ws)
    return ws


def _info_sheet(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet(L.INFO_SHEET)
    _titled(ws, "基本信息", 2, "黄色格子填写。机关标识用于文件名（如 yuyao-commerce）；日期填 2021-01-20 或 2021年1月20日。")
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 60
    for col, text in ((1, "项目"), (2, "内容")):
        c = ws.cell(L.FIRST_ROW - 1, col, text)
        c.font, c.fill, c.border = Font(bold=True), LABEL_FILL, BOX
    sig = report.signature
    fmt = report.fmt
    values = {
        "agency.id": report.agency.id or None,
        "agency.name": report.agency.name or None,
        "agency.level": report.agency.level,
        "agency.parent": report.agency.parent,
        "year": report.year,
        "format": f"{fmt.id}（{fmt.document}）",
        "published": report.published,
        "contact": report.contact,
        "signature.agency": sig.agency if sig else None,
        "signature.date": sig.date if sig else None,
    }
    levels = DataValidation(type="list", formula1=_list_formula(AGENCY_LEVELS), allow_blank=True,
                            showErrorMessage=True, errorTitle="机关类别", error="请从下拉列表中选择。")  # fmt: skip
    ws.add_data_validation(levels)
    dates = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                           showErrorMessage=False, promptTitle="日期", prompt="如 2021-01-20", showInputMessage=True)  # fmt: skip
    ws.add_data_validation(dates)
    for i, field in enumerate(L.INFO_FIELDS):
        row = L.FIRST_ROW + i
        label = ws.cell(row, 1, field.label)
        label.border, label.alignment = BOX, WRAP_LEFT
        ref = L.info_address(field.key)
        _text(ws, ref, values[field.key])
        cell = ws[ref]
        cell.border, cell.alignment = BOX, WRAP_LEFT
        if field.kind != "fixed":
            cell.protection, cell.fill = UNLOCKED, INPUT_FILL
        else:
            cell.fill = LABEL_FILL
        if field.kind == "date":
            cell.number_format = 'yyyy"年"m"月"d"日"'
            dates.add(ref)
        elif field.kind == "level":
            levels.add(ref)
        ws.row_dimensions[row].height = 22
    _print_setup(ws)
    _protect(ws)


def _text_sheet(wb: Workbook, report: Report) -> None:
    fmt = report.fmt
    ws = wb.create_sheet(L.TEXT_SHEET)
    _titled(ws, "正文", 3, "在黄色格子中填写各部分文字（Markdown，段落之间空一行；单元格内换行按 Alt+Enter）。"
            "标题变体可空：空则使用官方标题。")  # fmt: skip
    for col, (text, width) in enumerate((("部分", 30), ("标题变体（可空）", 34), ("正文", 110)), start=1):
        c = ws.cell(L.FIRST_ROW - 1, col, text)
        c.font, c.fill, c.border = Font(bold=True), LABEL_FILL, BOX
        ws.column_dimensions[get_column_letter(col)].width = width
    for key in L.TEXT_KEYS:
        row = L.text_row(key)
        if key == "preamble":
            label, text, title = L.PREAMBLE_LABEL, report.preamble, None
        else:
            section = fmt.section(key)
            label, text, title = section.heading, report.section_text(key), report.section_titles.get(key)
            choices = [section.title, *section.aliases]
            while len(_list_formula(choices)) > 255:  # Excel's limit for an inline list
                choices.pop()
            dv = DataValidation(type="list", formula1=_list_formula(choices), allow_blank=True,
                                showErrorMessage=False)  # fmt: skip
            ws.add_data_validation(dv)
            dv.add(f"B{row}")
        a = ws.cell(row, 1)
        _text(ws, a.coordinate, label)
        a.border, a.alignment, a.font = BOX, WRAP_TOP, Font(bold=True)
        b = ws.cell(row, 2)
        b.border, b.alignment = BOX, WRAP_TOP
        if key == "preamble":
            b.fill = LABEL_FILL
        else:
            _text(ws, b.coordinate, title)
            b.protection, b.fill = UNLOCKED, INPUT_FILL
        _text(ws, f"C{row}", text or None)
        c = ws[f"C{row}"]
        c.border, c.alignment, c.protection, c.fill = BOX, WRAP_TOP, UNLOCKED, INPUT_FILL
        ws.row_dimensions[row].height = 160
    _print_setup(ws, landscape=True)
    _protect(ws)


def _extension_sheet(wb: Workbook, report: Report, index: int) -> dict:
    ext = report.extensions[index]
    ws = wb.create_sheet(L.extension_sheet(index))
    width = len(ext.columns)
    _titled(ws, ext.title, width, "本表为地方增设表格（非国家统一格式）。黄色格子填写；空白表示未填。")
    for col, text in enumerate(ext.columns, start=1):
        c = ws.cell(L.FIRST_ROW - 1, col)
        _text(ws, c.coordinate, text)
        c.font, c.fill, c.border, c.alignment = Font(bold=True), LABEL_FILL, BOX, WRAP_CENTER
        ws.column_dimensions[get_column_letter(col)].width = 52 if col == 1 else 14
    for i, row in enumerate(ext.rows):
        r = L.FIRST_ROW + i
        a = ws.cell(r, 1)
        _text(ws, a.coordinate, row.label)
        a.border = BOX
        a.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=max(0, row.indent - 1))
        for j, v in enumerate(row.values, start=2):
            _text(ws, L.addr(r, j), v)
            c = ws.cell(r, j)
            c.border, c.alignment, c.protection, c.fill = BOX, WRAP_CENTER, UNLOCKED, INPUT_FILL
        ws.row_dimensions[r].height = 30 if "\n" in row.label else 20
    _print_setup(ws)
    _protect(ws)
    return {"id": ext.id, "title": ext.title, "after": ext.after, "numbered": ext.numbered,
            "columns": list(ext.columns), "labels": [r.label for r in ext.rows],
            "indents": [r.indent for r in ext.rows]}  # fmt: skip


def build_workbook(report: Report) -> Workbook:
    """The data-entry workbook for a report (blank or pre-filled) in its format's official layout."""
    report = clean_report(report)  # no character the xlsx XML forbids
    fmt = report.fmt
    wb = Workbook()
    wb.remove(wb.active)
    _info_sheet(wb, report)
    _text_sheet(wb, report)
    for table_id, grid in L.grids(fmt).items():
        _table_sheet(wb, report, table_id, grid)
    ext_meta = [_extension_sheet(wb, report, i) for i in range(len(report.extensions))]
    meta = wb.create_sheet(L.META_SHEET)
    meta.append(["schema", L.SCHEMA])
    meta.append(["format", fmt.id])
    meta.append(["year", report.year])
    meta.append(["agency", report.agency.id or None])  # recognises a returned form even when renamed
    for kind, key, sheet, address in L.layout_entries(fmt, len(ext_meta)):
        extra = json.dumps(ext_meta[int(key)], ensure_ascii=False) if kind == L.K_EXT else None
        meta.append([kind, key, sheet, address, extra])
    meta.sheet_state = "veryHidden"
    _protect(meta)
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    wb.calculation.fullCalcOnLoad = True
    return wb


def write_form(report: Report, path: str | Path) -> Path:
    """Write the data-entry form of a report to an .xlsx file (temporary file, then rename)."""
    buf = io.BytesIO()
    build_workbook(report).save(buf)
    return write_text_atomic(path, buf.getvalue())


def form_report(year: int, agency: str | None = None, params_dir: str | Path = "params") -> Report:
    """What a form starts from: the agency's params file for the year, else last year's carried forward, else blank."""
    fmt = format_for_year(year)
    if not agency:
        report = Report(Agency("", ""), year, fmt.id)
        report.complete_cells()
        return report
    path = params_path(params_dir, year, agency)
    if path.is_file():
        return load_params(path)
    earlier = [(y, p) for y, a, p in discover(params_dir) if a == agency and y < year]
    if not earlier:
        have = sorted({y for y, a, _ in discover(params_dir) if a == agency})
        where = _("it has files for {years}").format(years=', '.join(map(str, have))) if have else _("no params file of that agency exists")
        raise UserError(_("cannot pre-fill the form: {path} does not exist and there is no earlier year to start from ({where} under {params_dir})").format(path=path, where=where, params_dir=params_dir))  # fmt: skip
    from xxgk.newyear import carry_forward

    return carry_forward(load_params(earlier[-1][1]), year)


def main(args) -> int:
    """``xxgk form``: write a blank or pre-filled data-entry form for a year."""
    target = Path(args.out)
    if target.is_dir():
        raise UserError(_("-o {target}: is a directory; give the form's file name, e.g. {value}").format(target=target, value=target / 'form.xlsx'))
    report = form_report(args.year, args.agency, args.params)
    try:
        out = write_form(report, target)
    except OSError as exc:
        raise UserError(_("-o {target}: cannot write the form ({strerror})").format(target=target, strerror=exc.strerror or exc)) from None
    n = len(report.fmt.cells)
    what = _("pre-filled for {name}").format(name=report.agency.name or report.agency.id) if args.agency else _("blank")
    print(_("wrote {out}: {what}, format {id}, {n} table cells; fill the yellow cells, then `xxgk ingest {out}`").format(out=out, what=what, id=report.fmt.id, n=n))  # fmt: skip
    return 0


__all__ = ["build_workbook", "excel_value", "form_report", "main", "write_form"]
