"""The Excel data-entry form: official layout with merges, protection, validation, live checks, metadata."""

from __future__ import annotations

import csv
import shutil
import subprocess

import openpyxl
import pytest

from tests.ingest.test_xlsx import build_2021_report
from xxgk import cli
from xxgk import form_layout as L
from xxgk.errors import UserError
from xxgk.formats import get_format
from xxgk.formats.layout import VALUE, table_grid
from xxgk.render.excel import form_report, write_form


@pytest.fixture(scope="module")
def blank_2021(tmp_path_factory):
    path = tmp_path_factory.mktemp("form") / "blank-2021.xlsx"
    write_form(form_report(2021), path)
    return openpyxl.load_workbook(path)


def _span(gc) -> str:
    top, left = L.GRID_TOP + gc.row, gc.col + 1
    return f"{L.addr(top, left)}:{L.addr(top + gc.rowspan - 1, left + gc.colspan - 1)}"


@pytest.mark.parametrize("table_id", ["t2", "t3", "t4"])
def test_tables_follow_the_official_grid(blank_2021, table_id):
    ws = blank_2021[L.TABLE_SHEETS[table_id]]
    grid = table_grid(get_format("2021"), table_id)
    merged = {str(r) for r in ws.merged_cells.ranges}
    for gc in grid.cells:
        cell = ws[L.grid_address(gc)]
        if gc.rowspan > 1 or gc.colspan > 1:
            assert _span(gc) in merged
        if gc.kind == VALUE:
            assert cell.value is None and cell.protection.locked is False
        else:
            assert cell.value == gc.text and cell.protection.locked is True
    assert ws.protection.sheet is True and not ws.protection.password


def test_t3_note_block_and_sheet_set(blank_2021):
    assert blank_2021.sheetnames == ["基本信息", "正文", "表二", "表三", "表四", "_xxgk"]
    assert blank_2021["_xxgk"].sheet_state == "veryHidden"
    t3 = blank_2021["表三"]
    assert "A3:C5" in {str(r) for r in t3.merged_cells.ranges}
    assert t3["A3"].value == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert t3["A8"].value == "三、本年度办理结果" and "A8:A29" in {str(r) for r in t3.merged_cells.ranges}


def test_metadata_records_format_and_every_input(blank_2021):
    rows = list(blank_2021["_xxgk"].iter_rows(values_only=True))
    assert [r[:2] for r in rows[:3]] == [("schema", L.SCHEMA), ("format", "2021"), ("year", 2021)]
    cells = {r[1]: (r[2], r[3]) for r in rows if r[0] == "cell"}
    assert len(cells) == 200
    assert cells["t3.new_received.natural_person"] == ("表三", "D6")
    assert cells["t3.carried_forward.total"] == ("表三", "J30")
    assert cells["t4.suit_after_review.total"] == ("表四", "O6")
    assert cells["t2.fees.amount"] == ("表二", "B16")


def test_validation_by_value_type(tmp_path, sample):
    path = tmp_path / "f2019.xlsx"
    write_form(sample, path)
    ws = openpyxl.load_workbook(path)["表二"]
    kinds = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in ws[rng.coord] if ":" in rng.coord else [[ws[rng.coord]]]:
                for c in row:
                    kinds[c.coordinate] = (dv.type, dv.operator, dv.formula1)
    assert kinds["B5"] == ("whole", "greaterThanOrEqual", "0")  # 规章 / 本年新制作数量
    assert kinds["C9"] == ("whole", "between", "-1000000000")  # 行政许可 / 本年增/减 (signed)
    assert kinds["C20"] == ("decimal", "greaterThanOrEqual", "0")  # 政府集中采购 / 采购总金额
    assert ws["C20"].value == "428.8689万元" and ws["D9"].value == 104


def test_identity_formulas_and_red_highlighting(blank_2021):
    t3 = blank_2021["表三"]
    assert t3["K6"].value == '=IF(COUNT(D6:I6)>0,SUM(D6:I6),"")'
    assert t3["L6"].value == ('=IF(AND(ISNUMBER(J6),COUNT(D6:I6)>0,J6<>SUM(D6:I6)),'
                              '"T3-ROWSUM：总计"&J6&"≠各类申请人之和"&K6,"")')  # fmt: skip
    assert t3["D32"].value == '=IF(COUNT(D8:D28)>0,SUM(D8:D28),"")'  # （一）至（六）之和
    assert t3["D33"].value == '=IF(AND(ISNUMBER(D29),COUNT(D8:D28)>0,D29<>SUM(D8:D28)),"T3-R7 不符","")'
    assert t3["D36"].value == '=IF(AND(COUNT(D6,D7,D29,D30)=4,D6+D7<>D29+D30),"T3-BAL 不符","")'
    rules = {str(rng.sqref): [r.formula[0] for r in rng.rules] for rng in t3.conditional_formatting}
    assert rules["J6"] == ["AND(ISNUMBER(J6),COUNT(D6:I6)>0,J6<>SUM(D6:I6))"]
    assert rules["D29"] == ["AND(ISNUMBER(D29),COUNT(D8:D28)>0,D29<>SUM(D8:D28))"]
    assert rules["D34"] == ["AND(COUNT(D6,D7,D29,D30)=4,D6+D7<>D29+D30)"]
    t4 = blank_2021["表四"]
    assert t4["O9"].value == '=IF(AND(ISNUMBER(O6),COUNT(K6:N6)>0,O6<>SUM(K6:N6)),"T4-GROUP 不符","")'


def _calc_available() -> bool:
    return shutil.which("soffice") is not None and any(
        p.exists() for p in map(__import__("pathlib").Path, ("/usr/lib/libreoffice/program/libsclo.so",)))


@pytest.mark.skipif(not _calc_available(), reason="LibreOffice Calc (libreoffice-calc) is not installed")
def test_live_checks_compute_in_libreoffice(tmp_path):
    path = tmp_path / "broken.xlsx"
    write_form(build_2021_report(), path)
    wb = openpyxl.load_workbook(path)
    wb["表三"]["D6"] = 11  # 一、本年新收 / 自然人: breaks T3-BAL and T3-ROWSUM
    wb.save(path)
    filt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,4"  # sheet 4 = 表三
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", filt,
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=120)  # fmt: skip
    out = next(tmp_path.glob("broken*.csv"))
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[5][10:12] == ["17", "T3-ROWSUM：总计16≠各类申请人之和17"]
    assert rows[35][3] == "T3-BAL 不符" and rows[35][4] == ""
    assert rows[33][3:5] == ["12", "3"] and rows[34][3:5] == ["11", "3"]


def test_prefilled_from_last_year_when_the_year_has_no_file(tmp_path, sample_path):
    params = tmp_path / "params"
    (params / "2020").mkdir(parents=True)
    shutil.copy(sample_path, params / "2020" / "yuyao-commerce.yaml")
    report = form_report(2021, "yuyao-commerce", params)
    assert report.format_id == "2021" and report.agency.name == "余姚市商务局"
    assert [report.value(f"t3.carried_over.{c}") for c in ("natural_person", "total")] == [0, 0]
    assert report.cell("t3.new_received.total").value is None
    with pytest.raises(UserError, match="no earlier year to start from \\(it has files for 2020"):
        form_report(2019, "yuyao-commerce", params)


def test_cli_form_writes_prefilled_file(tmp_path, root, capsys):
    out = tmp_path / "yuyao.xlsx"
    assert cli.main(["form", "--year", "2020", "--agency", "yuyao-commerce", "--params", str(root / "params"),
                     "-o", str(out)]) == 0  # fmt: skip
    assert "pre-filled for 余姚市商务局, format 2019" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb["基本信息"]["B5"].value == "余姚市商务局"
    assert wb["附表1"]["A1"].value == "公开平台建设和信息发布情况"
    assert cli.main(["form", "--year", "2021", "--agency", "nobody", "--params", str(root / "params"),
                     "-o", str(tmp_path / "x.xlsx")]) == 2  # fmt: skip
    assert "params/2021/nobody.yaml does not exist" in capsys.readouterr().err
