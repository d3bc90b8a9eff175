"""The interchange JSON document: shape, nulls for blanks, exact round trip, clear errors."""

from __future__ import annotations

import json

import pytest

from xxgk.interchange import SCHEMA, from_document, load_report, to_document
from xxgk.model import Cell
from xxgk.params import ParamsError


def test_document_shape(sample):
    doc = to_document(sample)
    assert doc["schema"] == SCHEMA == "xxgk.report/1"
    assert doc["agency"] == {"id": "yuyao-commerce", "name": "余姚市商务局", "level": "县级以上人民政府部门", "parent": "yuyao"}
    assert (doc["year"], doc["format"], doc["published"]) == (2020, "2019", "2021-01-20")
    assert list(doc["cells"]) == sample.fmt.cell_ids()
    assert doc["cells"]["t2.licensing.decisions"] == 104
    assert doc["cells"]["t2.procurement.amount"] == 428.8689
    assert doc["cell_text"]["t2.procurement.amount"] == {"raw": "428.8689万元"}
    assert set(doc["sections"]) == {"preamble", "s1", "s2", "s3", "s4", "s5", "s6"}
    assert doc["extensions"][0]["rows"][0]["values"] == ["条", 45]


def test_roundtrip_through_json_text(sample, tmp_path):
    sample.cells["t3.granted.research"] = Cell.blank("/")
    path = tmp_path / "r.json"
    path.write_text(json.dumps(to_document(sample), ensure_ascii=False), encoding="utf-8")
    back = load_report(path)
    assert back == sample
    assert to_document(back)["cells"]["t3.granted.research"] is None


def test_missing_cells_are_an_error_or_blank_when_allowed(sample, capsys):
    doc = to_document(sample)
    del doc["cells"]["t3.granted.total"]
    with pytest.raises(ParamsError) as ei:
        from_document(doc, "r.json")
    assert str(ei.value) == ("r.json: /cells/t3.granted.total 「表三 / 三、本年度办理结果 / （一）予以公开 / 总计」: "
                             "missing (required; a blank cell is null)")
    r = from_document(doc, "r.json", allow_missing=True)
    assert r.value("t3.granted.total") is None and r.cell("t3.granted.total").state == "blank"
    assert "r.json: 1 cell(s) missing, read as blank (--allow-missing): t3.granted.total" in capsys.readouterr().err


def test_errors_name_the_cell(sample):
    doc = to_document(sample)
    doc["cells"]["t3.granted.total"] = "12"
    doc["cells"]["t9.x.y"] = 1
    doc["year"] = "2020"
    with pytest.raises(ParamsError) as ei:
        from_document(doc, "r.json")
    text = str(ei.value)
    assert "r.json: /year 报告年度: expected a whole number 2019–2100, got '2020'" in text
    assert "/cells/t3.granted.total 「表三 / 三、本年度办理结果 / （一）予以公开 / 总计」: expected a whole number" in text
    assert "r.json: /cells: no format has the cell(s) 't9.x.y'" in text
