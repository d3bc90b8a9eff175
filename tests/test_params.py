"""Params files: the sample loads exactly, round-trips, and bad files give file:line messages."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest

from xxgk.model import BLANK, Cell
from xxgk.params import ParamsError, discover, load_params, loads_params
from xxgk.params_write import dump_params, save_params


def test_sample_every_number(sample):
    assert sample.agency.name == "余姚市商务局" and sample.agency.id == "yuyao-commerce"
    assert (sample.year, sample.format_id, sample.published) == (2020, "2019", dt.date(2021, 1, 20))
    assert sample.value("t2.licensing.prior_items") == 1
    assert sample.value("t2.licensing.change") == 0
    assert sample.value("t2.licensing.decisions") == 104
    assert sample.value("t2.procurement.projects") == 38
    amount = sample.cell("t2.procurement.amount")
    assert amount.value == Decimal("428.8689") and amount.raw == "428.8689万元"
    others = [c for c in sample.fmt.cell_ids() if c not in {
        "t2.licensing.prior_items", "t2.licensing.decisions", "t2.procurement.projects", "t2.procurement.amount"}]
    assert all(sample.value(c) == 0 for c in others)
    assert len(sample.cells) == 22 + 161 + 15
    ext = sample.extensions[0]
    assert (ext.title, ext.after, ext.columns) == ("公开平台建设和信息发布情况", "s2", ["统计指标", "单位", "统计数"])
    assert [(r.values[1]) for r in ext.rows if r.values[1] is not None] == [45, 37, 54]
    assert ext.rows[0].label.startswith("（一）主动公开政府信息数")
    assert sample.signature.agency == "余姚市商务局" and sample.signature.date == dt.date(2021, 1, 20)
    assert sample.sections["s2"].startswith("2019年度，本单位主动公开信息45条")
    assert sample.section_titles == {"s5": "政府信息公开工作存在的主要问题及改进措施", "s6": "其它需要报告的事项"}
    assert "0574-62634352" in sample.contact


def test_dump_is_the_file(sample, sample_path):
    assert dump_params(sample) == sample_path.read_text(encoding="utf-8")


def test_roundtrip_with_blanks_notes_and_specials(sample, tmp_path):
    sample.cells["t3.new_received.commercial"] = Cell.blank("/")
    sample.cells["t3.new_received.research"] = Cell.blank()
    sample.cells["t2.regulations.made"] = Cell(22, "value", "22（其中修订16件）", "其中修订16件")
    sample.cells["t2.licensing.change"] = Cell(-18, "value")
    sample.cells["t2.fees.change"] = Cell(2, "value", "+2")
    sample.cells["t2.punishment.decisions"] = Cell(5, "value", None, "含简易程序")
    sample.sections["s1"] = "  leading spaces\n\ntrailing newline\n"
    sample.sections["s3"] = 'quote " and colon: yes\ttab'
    sample.preamble = "null"
    path = save_params(sample, tmp_path / "2020" / "x.yaml")
    back = load_params(path)
    back.source = sample.source
    assert back == sample
    assert back.cell("t3.new_received.research").state == BLANK
    assert back.cell("t3.new_received.commercial").raw == "/"


def _problems(text):
    with pytest.raises(ParamsError) as ei:
        loads_params(text, "p.yaml")
    return [str(p) for p in ei.value.problems]


BASE = """agency: {id: a, name: 某局, level: 县级以上人民政府部门}
year: 2021
"""


def test_wrong_type_is_not_zero():
    probs = _problems(BASE + "table3:\n  new_received: [1, abc, 0, 0, 0, 0, 1]\n")
    assert probs == [
        "p.yaml:4: 「表三 / 一、本年新收政府信息公开申请数量 / 法人或其他组织 / 商业企业」 (t3.new_received.commercial): "
        "expected a non-negative whole number, or / for blank, got 'abc'"
    ]


def test_wrong_length_and_unknown_keys():
    probs = _problems(BASE + "tabel3: {}\ntable4:\n  reveiw: [0, 0, 0, 0, 0]\n  direct_suit: [0, 0]\n")
    assert "p.yaml:3: top level: unknown key 'tabel3'; did you mean 'table3'?" in probs
    assert any(p.startswith("p.yaml:5: table4 (format 2021): unknown key 'reveiw'; did you mean 'review'?") for p in probs)
    assert any(p.startswith("p.yaml:6: table4.direct_suit 「未经复议直接起诉」: expected 5 values") for p in probs)


def test_list_items_that_are_not_mappings_are_named_by_index(tmp_path):
    """``review:`` and the roster's ``agencies:`` walk their items alike (``Reader.items``): a bad item is reported
    as label[i] with its line and skipped, the others are still read and numbered by their place."""
    from xxgk.roster import load_roster

    probs = _problems(BASE + "review:\n  - just text\n  - {rule: T3-BAL, reason: 已核实}\n  - {rule: T3-BAL}\n")
    assert probs == ["p.yaml:4: review[0]: expected a mapping of keys, got 'just text'",
                     "p.yaml: review[2].reason: a text is required", "p.yaml:6: review[2]: rule and reason are required"]  # fmt: skip
    ok = loads_params(BASE + "review:\n  - {rule: T3-BAL, reason: 已核实}\n")
    assert [(rv.rule, rv.reason) for rv in ok.reviews] == [("T3-BAL", "已核实")]
    roster = tmp_path / "agencies.yaml"
    roster.write_text("agencies:\n  - [gov]\n  - {id: gov, name: 县政府, level: 县级政府, colour: red}\n", encoding="utf-8")
    with pytest.raises(ParamsError) as ei:
        load_roster(roster)
    assert [str(p) for p in ei.value.problems] == [
        f"{roster}:2: agencies[0]: expected a mapping of keys, got a list",
        f"{roster}:3: agencies[1]: unknown key 'colour'; allowed: id, name, level, parent, contact, group",
    ]


def test_money_and_signed_cells():
    r = loads_params(BASE + "table2:\n  fees: [\"125000元\"]\n")
    assert r.value("t2.fees.amount") == Decimal("12.5")
    probs = _problems(BASE + "table2:\n  fees: [12万]\n")
    assert "expected an amount in 万元" in probs[0] and probs[0].startswith("p.yaml:4:")


def test_bad_yaml_level_year_date():
    assert _problems("agency: [\n")[0].startswith("p.yaml:2: not valid YAML")
    probs = _problems("agency: {id: A B, name: x, level: 县政府}\nyear: twenty\npublished: 2021-13-45\n")
    assert any("agency.id: 'A B' is not a slug" in p for p in probs)
    assert any("agency.level: unknown level '县政府'" in p for p in probs)
    assert any(p.startswith("p.yaml:2: year: expected a report year") for p in probs)
    assert any(p.startswith("p.yaml:3: published: expected a date") for p in probs)


def test_pre_2019_year_refused():
    assert any("predates the national formats" in p for p in _problems("agency: {id: a, name: b}\nyear: 2018\n"))


def test_discover(tmp_path, sample):
    save_params(sample, tmp_path / "2020" / "yuyao-commerce.yaml")
    (tmp_path / "notes").mkdir()
    assert [(y, a) for y, a, _ in discover(tmp_path)] == [(2020, "yuyao-commerce")]


def test_save_refuses_overwrite(sample, tmp_path):
    p = save_params(sample, tmp_path / "a.yaml")
    with pytest.raises(FileExistsError):
        save_params(sample, p, overwrite=False)
    assert [f.name for f in tmp_path.iterdir()] == ["a.yaml"]  # no temp files left


def test_export_cli_json_and_csv(sample_path):
    out = subprocess.run([sys.executable, "-m", "xxgk.cli", "export", str(sample_path), "--json"],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert '"t2.procurement.amount": 428.8689' in out and "余姚市商务局" in out
    csv = subprocess.run([sys.executable, "-m", "xxgk.cli", "export", str(sample_path), "--csv"],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    lines = csv.splitlines()
    assert lines[0] == "agency_id,agency_name,year,format,cell_id,label_path,value,blank"
    assert len(lines) == 1 + 198
    assert "t2.licensing.decisions,表二 / 第二十条第（五）项 / 行政许可 / 处理决定数量,104,0" in csv


def test_export_bad_file_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("agency: {id: a, name: b}\nyear: 2020\ntable3:\n  granted: [x]\n", encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "xxgk.cli", "export", str(bad)], capture_output=True, text=True)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and f"{bad}:4:" in p.stderr and "expected 7 values" in p.stderr
