"""Reading filled Excel forms back: exact round trips, cell-by-cell filling, bad values, forms out of shape."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xxgk import form_layout as L
from xxgk.errors import UserError
from xxgk.formats import get_format
from xxgk.ingest.xlsx import FormError, read_form
from xxgk.model import BLANK, NA, VALUE, Agency, Cell, Extension, ExtensionRow, Report, Signature
from xxgk.params import load_params
from xxgk.params_write import dump_params
from xxgk.render.excel import form_report, write_form

T3_ROWS = {  # natural, commercial, research, social_welfare, legal_service, other_org (total = sum)
    "new_received": [10, 3, 0, 1, 0, 2],
    "carried_over": [1, 0, 0, 0, 0, 0],
    "granted": [5, 1, 0, 0, 0, 1],
    "partly_granted": [2, 0, 0, 0, 0, 0],
    "withheld_third_party": [1, 0, 0, 0, 0, 0],
    "unavailable_not_held": [2, 1, 0, 1, 0, 0],
    "rejected_repeated": [0, 0, 0, 0, 0, 1],
    "other_misc": [0, 1, 0, 0, 0, 0],
    "total_handled": [10, 3, 0, 1, 0, 2],
    "carried_forward": [1, 0, 0, 0, 0, 0],
}


def build_2021_report() -> Report:
    """A consistent 2021-format report with every kind of cell: numbers, notes, 「/」, n/a, money, blanks."""
    fmt = get_format("2021")
    r = Report(Agency("test-bureau", "示例市测试局", "县级以上人民政府部门", "example-city"), 2021, "2021")
    r.published = dt.date(2022, 1, 20)
    r.contact = "示例市测试局办公室（电话：0571-12345678）"
    r.signature = Signature("示例市测试局", dt.date(2022, 1, 20))
    r.preamble = "根据《中华人民共和国政府信息公开条例》，编制本报告。\n\n统计期限自2021年1月1日起至2021年12月31日止。"
    r.sections = {
        "s1": "**一是**加强组织领导。全年主动公开信息\n128条。\n\n- 规范栏目设置\n- 强化审查",
        "s2": "",
        "s3": "本年新收申请16件，办结16件，结转下年度1件。",
        "s4": "=本段以等号开头，不是公式。",
        "s5": "存在的主要问题：公开深度不够。\n\n改进措施：加强培训。",
        "s6": "2021年，无收取信息处理费情况。",
    }
    r.section_titles = {"s5": "存在的主要问题及整改措施"}
    for cid in fmt.cell_ids():
        r.cells[cid] = Cell.blank()
    for row, vals in (("regulations", [1, 0, 3]), ("normative_documents", [4, 1, 12])):
        for col, v in zip(("issued", "repealed", "in_force"), vals):
            r.cells[f"t2.{row}.{col}"] = Cell.of(v)
    r.cells["t2.licensing.decisions"] = Cell.of(120)
    r.cells["t2.punishment.decisions"] = Cell(35, VALUE, None, "其中简易程序12件")
    r.cells["t2.coercion.decisions"] = Cell(None, NA, "不适用")
    r.cells["t2.fees.amount"] = Cell.of(Decimal("24252.311082"))
    cols = [c.id for c in fmt.table("t3").blocks[0].columns]
    for row, vals in T3_ROWS.items():
        for col, v in zip(cols, [*vals, sum(vals)]):
            r.cells[f"t3.{row}.{col}"] = Cell.of(v)
    for row in ("withheld_state_secret", "rejected_petition"):
        for col in cols:
            r.cells[f"t3.{row}.{col}"] = Cell.of(0)
    r.cells["t3.withheld_inquiry.research"] = Cell.blank("/")
    for col, v in zip(("upheld", "corrected", "other", "pending", "total"), (1, 0, 0, 1, 2)):
        r.cells[f"t4.review.{col}"] = Cell.of(v)
        r.cells[f"t4.direct_suit.{col}"] = Cell.of(0)
    r.extensions = [
        Extension("fees", "信息处理费收取情况", "s6", ["项目", "单位", "数值"],
                  [ExtensionRow("收取信息处理费", ["元", 0], 1), ExtensionRow("其中：\n按件计收", ["元", None], 2)],
                  numbered=False),  # fmt: skip
    ]
    return r


def _form(tmp_path, report: Report, name: str = "form.xlsx"):
    path = tmp_path / name
    write_form(report, path)
    return path


def test_sample_2019_round_trips_exactly(tmp_path, sample):
    back = read_form(_form(tmp_path, sample))
    assert dump_params(back) == dump_params(sample)
    assert back.cell("t2.procurement.amount").raw == "428.8689万元"
    assert back.extensions[0].rows[4].values == ["条", 37]


def test_2021_report_round_trips_exactly(tmp_path):
    report = build_2021_report()
    back = read_form(_form(tmp_path, report))
    assert dump_params(back) == dump_params(report)
    assert back.cell("t2.fees.amount").value == Decimal("24252.311082")
    assert back.cell("t2.punishment.decisions").note == "其中简易程序12件"
    assert back.cell("t2.coercion.decisions").state == NA
    assert back.cell("t3.withheld_inquiry.research").raw == "/"
    assert back.cell("t4.suit_after_review.total").state == BLANK
    assert back.sections["s4"] == "=本段以等号开头，不是公式。"
    assert back.extensions[0].numbered is False and back.extensions[0].rows[1].label == "其中：\n按件计收"


def test_form_filled_cell_by_cell_reads_back(tmp_path):
    path = _form(tmp_path, form_report(2021))
    wb = openpyxl.load_workbook(path)
    info = wb[L.INFO_SHEET]
    info[L.info_address("agency.id")] = "cell-bureau"
    info[L.info_address("agency.name")] = "示例县逐格局"
    info[L.info_address("published")] = dt.datetime(2022, 1, 25)
    info[L.info_address("signature.date")] = "2022年1月26日"
    wb[L.TEXT_SHEET]["C5"] = "总体情况文字。"
    wb[L.TEXT_SHEET]["B9"] = "政府信息公开工作存在的主要问题及改进情况"
    t2, t3, t4 = wb["表二"], wb["表三"], wb["表四"]
    t2["B5"] = 2  # 规章 / 本年制发件数
    t2["D6"] = "12"  # 行政规范性文件 / 现行有效件数, typed as text
    t2["B16"] = 3.75  # 行政事业性收费 / 本年收费金额（万元）
    t3["D6"], t3["J6"] = 4, 4.0  # 一、本年新收 / 自然人, 总计
    t3["E7"] = 0  # 二、上年结转 / 商业企业: a real zero
    t4["E6"] = "  7 "  # 行政复议 / 总计
    wb.save(path)
    r = read_form(path)
    assert (r.agency.id, r.agency.name, r.year, r.format_id) == ("cell-bureau", "示例县逐格局", 2021, "2021")
    assert r.published == dt.date(2022, 1, 25)
    assert r.signature.agency == "示例县逐格局" and r.signature.date == dt.date(2022, 1, 26)
    assert r.sections["s1"] == "总体情况文字。" and r.section_titles == {"s5": "政府信息公开工作存在的主要问题及改进情况"}
    assert r.value("t2.regulations.issued") == 2
    assert r.value("t2.normative_documents.in_force") == 12
    assert r.value("t2.fees.amount") == Decimal("3.75")
    assert r.value("t3.new_received.natural_person") == 4 and r.value("t3.new_received.total") == 4
    assert r.cell("t3.carried_over.commercial") == Cell(0, VALUE)
    assert r.value("t4.review.total") == 7
    filled = {"t2.regulations.issued", "t2.normative_documents.in_force", "t2.fees.amount",
              "t3.new_received.natural_person", "t3.new_received.total", "t3.carried_over.commercial", "t4.review.total"}  # fmt: skip
    blank = [cid for cid, c in r.cells.items() if cid not in filled]
    assert len(blank) == 200 - 7
    assert all(r.cells[cid].state == BLANK and r.cells[cid].value is None for cid in blank)  # blank is not 0


def test_bad_values_name_sheet_cell_label_and_expectation(tmp_path):
    path = _form(tmp_path, build_2021_report())
    wb = openpyxl.load_workbook(path)
    wb["表三"]["D6"] = "abc"
    wb["表二"]["B16"] = dt.datetime(2021, 1, 2)
    wb[L.INFO_SHEET][L.info_address("published")] = "明年"
    wb.save(path)
    with pytest.raises(FormError) as e:
        read_form(path)
    assert e.value.problems == [
        "基本信息!B10 「发布日期」: expected a date like 2021-01-20 or 2021年1月20日; got '明年'",
        "表二!B16 「表二 / 第二十条第（八）项 / 行政事业性收费 / 本年收费金额（单位：万元）」: expected an amount in 万元 "
        "(e.g. 12.5, or with a unit: 125000元), or / for blank; got a date (Excel turned the entry into a date)",
        "表三!D6 「表三 / 一、本年新收政府信息公开申请数量 / 自然人」: expected a non-negative whole number, "
        "or / for blank; got 'abc'",
    ]
    assert isinstance(e.value, UserError)


def test_broken_identity_reads_back_and_is_flagged(tmp_path):
    path = _form(tmp_path, build_2021_report())
    wb = openpyxl.load_workbook(path)
    wb["表三"]["D6"] = 11  # 一、本年新收 / 自然人: 11 + 1 ≠ 10 + 1
    wb.save(path)
    report = read_form(path)
    assert report.value("t3.new_received.natural_person") == 11
    checks = pytest.importorskip("xxgk.checks")
    if not hasattr(checks, "check_report"):
        pytest.skip("xxgk.checks.check_report is not written yet")
    failed = {f.rule for f in checks.check_report(report) if f.status == "fail"}
    assert {"T3-BAL", "T3-ROWSUM"} <= failed


def test_renamed_sheet_is_refused(tmp_path):
    path = _form(tmp_path, build_2021_report())
    wb = openpyxl.load_workbook(path)
    wb["表三"].title = "表3"
    wb.save(path)
    with pytest.raises(FormError, match="sheet 表三 is missing \\(renamed or deleted\\?\\); sheets present: 基本信息、正文、表二、表3、表四、附表1"):
        read_form(path)


def test_inserted_row_is_refused(tmp_path):
    path = _form(tmp_path, build_2021_report())
    wb = openpyxl.load_workbook(path)
    wb["表三"].insert_rows(8)
    wb.save(path)
    with pytest.raises(FormError) as e:
        read_form(path)
    first = e.value.problems[0]
    assert first.startswith("表三!A8: expected the official label 「三、本年度办理结果」, found an empty cell")
    assert "edited out of shape" in first


def test_missing_metadata_and_other_files_are_refused(tmp_path):
    path = _form(tmp_path, build_2021_report())
    wb = openpyxl.load_workbook(path)
    del wb[L.META_SHEET]
    wb.save(path)
    with pytest.raises(FormError, match="not an xxgk data-entry form: the hidden sheet _xxgk is missing"):
        read_form(path)
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(FormError, match=r"cannot read the file as \.xlsx: not a zip archive"):
        read_form(text)


def test_metadata_of_another_format_is_refused(tmp_path):
    path = _form(tmp_path, build_2021_report())
    wb = openpyxl.load_workbook(path)
    meta = wb[L.META_SHEET]
    meta["B2"] = "2019"
    wb.save(path)
    with pytest.raises(FormError, match="the form is in format 2019 but report year 2021 requires format 2021"):
        read_form(path)
    meta["B3"] = 2020
    wb.save(path)
    with pytest.raises(FormError, match="metadata does not match the layout of format 2019: t2.regulations.issued is at"):
        read_form(path)


def test_expected_format_is_enforced(tmp_path, sample):
    path = _form(tmp_path, sample)
    with pytest.raises(FormError, match="this is a form of format 2019 .*; format 2021 was expected"):
        read_form(path, format_id="2021")


def test_formula_without_cached_value_is_reported(tmp_path):
    path = _form(tmp_path, build_2021_report())
    wb = openpyxl.load_workbook(path)
    wb["表四"]["A6"] = "=1+0"
    wb.save(path)
    with pytest.raises(FormError, match="表四!A6: a formula without a computed value"):
        read_form(path)


def test_ingest_of_a_params_sample_form_keeps_extensions(tmp_path, sample_path):
    report = load_params(sample_path)
    back = read_form(_form(tmp_path, report))
    ext = back.extensions[0]
    assert (ext.id, ext.after, ext.numbered, len(ext.rows)) == ("platform", "s2", True, 14)
    assert ext.rows[0].label == "（一）主动公开政府信息数\n（不同渠道和方式公开相同信息计1条）"


@pytest.mark.skipif(shutil.which("soffice") is None or not Path("/usr/lib/libreoffice/program/libsclo.so").exists(),
                    reason="LibreOffice Calc (libreoffice-calc) is not installed")  # fmt: skip
def test_form_saved_by_libreoffice_reads_back_exactly(tmp_path, sample):
    path = _form(tmp_path, sample)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "out"), str(path)],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    assert dump_params(read_form(tmp_path / "out" / "form.xlsx")) == dump_params(sample)


def test_unstorable_text_is_a_user_error(tmp_path):
    report = build_2021_report()
    report.sections["s1"] = "很长" * 20000
    with pytest.raises(UserError, match="正文!C5: a text of 40000 characters does not fit an Excel cell"):
        write_form(report, tmp_path / "f.xlsx")
