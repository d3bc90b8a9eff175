"""The seed sample (余姚市商务局 2020): the checker's verdict, and the YAML → model → JSON → model round trip."""

from __future__ import annotations

import json

from xxgk.checks import check_report, summary
from xxgk.interchange import from_document, load_report, to_document
from xxgk.params import load_params
from xxgk.params_write import dump_params


def test_sample_gets_exactly_the_year_warning(sample, root):
    found = check_report(sample, params_dir=root / "params")
    assert [(f.rule, f.severity, f.status, f.cells) for f in found] == [("N-YEAR", "warning", "fail", ())]
    assert found[0].message == (
        "[N-YEAR] 二、主动公开政府信息情况：「2019年度，本单位主动公开信息45条，其中本单位文件8件，…」"
        "以2019年为叙述期间，而本报告为2020年度报告，请核实年份或内容是否沿用往年"
    )
    assert summary(found) == {"errors": 0, "warnings": 1, "not_assessable": 0}


def test_sample_roundtrip_yaml_model_json_model(sample, sample_path, tmp_path):
    doc = to_document(sample)
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    back = from_document(json.loads(text), "sample.json")
    assert back == sample
    assert to_document(back) == doc
    assert dump_params(back) == sample_path.read_text(encoding="utf-8")
    f = tmp_path / "sample.json"
    f.write_text(text, encoding="utf-8")
    again = load_report(f)
    assert again == load_params(sample_path)
    assert check_report(again) == check_report(sample)
