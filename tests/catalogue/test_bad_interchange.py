"""Bad-input catalogue, interchange JSON ``xxgk.report/1``: every case exits 2 through ``xxgk export`` with the
JSON pointer, the label and what was expected; the published schema is what ``xxgk schema`` prints."""

from __future__ import annotations

import json

import pytest

from tests.catalogue.util import assert_refused, run_cli
from xxgk.interchange import from_document, to_document
from xxgk.params import load_params
from xxgk.schemas import SCHEMA_FILE, build_report_schema, report_schema, schema_text

SAMPLE = "params/2020/yuyao-commerce.yaml"
GRANTED = "「表三 / 三、本年度办理结果 / （一）予以公开 / 总计」"
AMOUNT = "/cells/t2.procurement.amount"


def _set(path: str, value):
    """A change that sets one value by a dotted path (list indexes as numbers)."""

    def change(doc):
        *parents, last = path.split(".")
        target = doc
        for p in parents:
            target = target[int(p)] if isinstance(target, list) else target[p]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


def _cell(cid: str, value):
    def change(doc):
        doc["cells"][cid] = value

    return change


def _drop(*keys):
    def change(doc):
        target = doc
        for k in keys[:-1]:
            target = target[k]
        del target[keys[-1]]

    return change


CASES = {
    "year-text": (_set("year", "2020"), "/year 报告年度: expected a whole number 2019–2100, got '2020'"),
    "year-10e30": (_set("year", 10**30), "/year 报告年度: expected a whole number 2019–2100, got a 31-digit number"),
    "year-early": (_set("year", 2018), "/year 报告年度: expected a whole number 2019–2100, got 2018"),
    "year-bool": (_set("year", True), "/year 报告年度: expected a whole number 2019–2100, got true"),
    "year-fraction": (_set("year", 2020.5), "/year 报告年度: expected a whole number"),
    "year-missing": (_drop("year"), "/year: missing"),
    "agency-id-path": (_set("agency.id", "../../etc/passwd"), "/agency/id 机关标识: expected a slug", "never a path", "'../../etc/passwd'"),
    "agency-id-space": (_set("agency.id", "yuyao commerce"), "/agency/id 机关标识: expected a slug"),
    "agency-id-number": (_set("agency.id", 5), "/agency/id 机关标识: expected a slug", "got 5"),
    "agency-missing": (_drop("agency"), "/agency: missing"),
    "agency-list": (_set("agency", [1]), "/agency: expected an object, got a list of 1"),
    "agency-name-empty": (_set("agency.name", ""), "/agency/name 机关名称: expected at least 1 characters, got 0"),
    "agency-name-240": (_set("agency.name", "局" * 240), "/agency/name 机关名称: expected at most 100 characters, got 240"),
    "agency-name-zero-width": (_set("agency.name", "余姚\u200b商务局"), "/agency/name: the text contains a zero-width character U+200B at character 3"),
    "agency-name-bidi": (_set("agency.name", "余姚\u202e商务局"), "/agency/name: the text contains a bidirectional-override character U+202E"),
    "agency-name-control": (_set("agency.name", "余姚\x07商务局"), "/agency/name: the text contains a control character U+0007"),
    "agency-name-surrogate": (_set("agency.name", "余姚\ud800"), "/agency/name: the text contains a lone surrogate U+D800"),
    "agency-extra-key": (_set("agency.kind", "x"), "/agency: unknown key(s) 'kind'"),
    "cell-text": (_cell("t3.granted.total", "12"), f"/cells/t3.granted.total {GRANTED}: expected a whole number 0–1,000,000,000 or null, got '12'"),
    "cell-negative": (_cell("t3.granted.total", -1), f"{GRANTED}: expected a whole number 0–1,000,000,000 or null, got -1"),
    "cell-too-big": (_cell("t3.granted.total", 10**10), f"{GRANTED}: expected a whole number 0–1,000,000,000 or null, got 10000000000"),
    "cell-bool": (_cell("t3.granted.total", True), f"{GRANTED}: expected a whole number 0–1,000,000,000 or null, got true"),
    "cell-list": (_cell("t3.granted.total", [1]), f"{GRANTED}: expected a whole number", "got a list of 1"),
    "cell-fraction": (_cell("t3.granted.total", 1.5), f"{GRANTED}: expected a whole number"),
    "money-negative": (_cell("t2.procurement.amount", -1.5), f"{AMOUNT} 「表二 / 第二十条第（九）项 / 政府集中采购 / 采购总金额」: expected a number 0–1,000,000,000 or null"),
    "money-huge": (_cell("t2.procurement.amount", 1e300), f"{AMOUNT}", "expected a number 0–1,000,000,000 or null, got 1e+300"),
    "money-inf": (_cell("t2.procurement.amount", float("inf")), "not valid JSON: Infinity is not a number JSON allows"),
    "money-nan": (_cell("t2.procurement.amount", float("nan")), "not valid JSON: NaN is not a number JSON allows"),
    "cell-missing": (_drop("cells", "t3.granted.total"), f"/cells/t3.granted.total {GRANTED}: missing (required; a blank cell is null)"),
    "cell-unknown": (_cell("t9.x.y", 1), "/cells: format 2019 has no cell(s) 't9.x.y'"),
    "cells-list": (_set("cells", []), "/cells: expected an object, got a list of 0"),
    "cells-missing": (_drop("cells"), "/cells: missing"),
    "extensions-number": (_set("extensions", 5), "/extensions: expected a list, got 5"),
    "ext-columns-object": (_set("extensions.0.columns", [{"a": 1}, "单位", "统计数"]), "/extensions/0/columns/0 column header: expected a text of at most 200 characters, got an object"),
    "ext-row-count": (_set("extensions.0.rows.0.values", ["条"]), "/extensions/0/rows/0/values 「（一）主动公开政府信息数", "expected 2 values (单位、统计数), got 1"),
    "ext-indent-text": (_set("extensions.0.rows.0.indent", "abc"), "/extensions/0/rows/0/indent: expected a whole number 0–5, got 'abc'"),
    "ext-indent-list": (_set("extensions.0.rows.0.indent", [1, 2]), "/extensions/0/rows/0/indent: expected a whole number 0–5, got a list of 2"),
    "ext-numbered-date": (_set("extensions.0.numbered", "2021-02-30"), "/extensions/0/numbered: expected true or false, got '2021-02-30'"),
    "ext-after": (_set("extensions.0.after", "s2\n    numbered: false"), "/extensions/0/after: expected one of 's1', 's2'"),
    "ext-id-path": (_set("extensions.0.id", "../x"), "/extensions/0/id: expected a slug"),
    "ext-value-object": (_set("extensions.0.rows.0.values", ["条", {"a": 1}]), "/extensions/0/rows/0/values/1: expected a whole number"),
    "ext-too-deep": (_set("extensions.0.rows.0.values", ["条", json.loads("[" * 70 + "]" * 70)]), "the JSON nests 76 levels deep (limit 64: MAX_JSON_DEPTH)"),
    "cell-text-list": (_set("cell_text", [1, 2]), "/cell_text: expected an object, got a list of 2"),
    "cell-text-raw-list": (_set("cell_text", {"t3.granted.total": {"raw": [1]}}), "/cell_text/t3.granted.total/raw: expected a text or null"),
    "section-titles-list": (_set("section_titles", [1, 2]), "/section_titles: expected an object, got a list of 2"),
    "provenance-list": (_set("provenance", [1]), "/provenance: expected an object, got a list of 1"),
    "confidence-word": (_set("provenance", {"t3.granted.total": {"source": "p1", "confidence": "high"}}), "/provenance/t3.granted.total/confidence: expected a number 0–1, got 'high'"),
    "provenance-unknown-cell": (_set("provenance", {"t9.x.y": {"source": "p1"}}), "/provenance/t9.x.y: format 2019 has no such cell"),
    "section-mapping": (_set("sections.s1", {"a": 1}), "/sections/s1 s1: expected a text or null", "got an object"),
    "section-unknown": (_set("sections.s9", "x"), "/sections: unknown key(s) 's9'"),
    "schema-version": (_set("schema", "xxgk.report/2"), "/schema: expected 'xxgk.report/1', got 'xxgk.report/2'"),
    "format-unknown": (_set("format", "2030"), "/format 格式: expected one of '2019', '2021', got '2030'"),
    "published-impossible": (_set("published", "2021-02-30"), "/published 发布日期: expected a real date YYYY-MM-DD, got '2021-02-30'"),
    "published-number": (_set("published", 20210120), "/published 发布日期: expected a text or null"),
    "signature-list": (_set("signature", [1]), "/signature: expected an object or null"),
    "contact-long": (_set("contact", "x" * 2001), "/contact 联系方式: expected at most 2000 characters, got 2001"),
}


@pytest.fixture(scope="module")
def document():
    return to_document(load_params(SAMPLE))


@pytest.mark.parametrize("name", list(CASES))
def test_bad_document(name, document, tmp_path, capsys):
    change, *parts = CASES[name]
    doc = json.loads(json.dumps(document))
    change(doc)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert_refused(capsys, ["export", path], f"{path}: ", *parts)


@pytest.mark.parametrize("name,text,parts", [
    ("infinity-literal", '{"schema": "xxgk.report/1", "cells": {"a": Infinity}}', ["Infinity is not a number JSON allows"]),
    ("nan-literal", '{"schema": "xxgk.report/1", "cells": {"a": NaN}}', ["NaN is not a number JSON allows"]),
    ("1e400", '{"schema": "xxgk.report/1", "cells": {"t2.procurement.amount": 1e400}}',
     ["/cells/t2.procurement.amount: expected a finite number, got inf"]),
    ("100k-brackets", "[" * 100_000, [": the JSON nests 100000 levels deep (limit 64: MAX_JSON_DEPTH)"]),
    ("syntax", '{"schema": ', [":1: not valid JSON: Expecting value (column 12)"]),
    ("syntax-line-3", '{\n "schema": "xxgk.report/1",\n "year" 2020}', [":3: not valid JSON: Expecting ':' delimiter (column 9)"]),
    ("top-list", "[1, 2]", ["/: expected a JSON object"]),
    ("too-big", '{"x": "' + "x" * 22 * 2**20 + '"}', [": the .json file is 22 MB (limit 20 MB: MAX_INPUT_BYTES['json'])"]),
    ("just-over", '{"x": "' + "x" * (20 * 2**20 - 8) + '"}', [": the .json file is 20,971,521 bytes (limit 20,971,520 bytes: "]),
])  # fmt: skip
def test_bad_json_text(name, text, parts, tmp_path, capsys):
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    assert_refused(capsys, ["export", path], str(path), *parts)


@pytest.mark.parametrize("command", ["export", "check"])
def test_unreadable_json_is_one_line(command, tmp_path, capsys):
    """Not UTF-8, or a file that cannot be read: one line naming the file, through the one JSON reader."""
    path = tmp_path / "r.json"
    path.write_bytes('{"agency": {"name": "余姚市商务局"}}'.encode("gbk"))
    err = assert_refused(capsys, [command, path], f"{path}: not UTF-8 text (invalid continuation byte at byte 21)")
    assert err.count("\n") == 1
    path.unlink()
    path.mkdir()
    if command == "export":  # check treats a directory as a folder of reports
        assert_refused(capsys, [command, path], f"{path}: cannot read the file (Is a directory)")


def test_allow_missing_is_explicit_and_reported(document, tmp_path, capsys):
    doc = json.loads(json.dumps(document))
    del doc["cells"]["t3.granted.total"]
    path = tmp_path / "r.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli(capsys, ["export", path, "--allow-missing"])
    assert code == 0 and json.loads(out)["cells"]["t3.granted.total"] is None
    assert "1 cell(s) missing, read as blank (--allow-missing): t3.granted.total" in err


def test_unknown_level_is_kept_and_checked(document, tmp_path, capsys):
    doc = json.loads(json.dumps(document))
    doc["agency"]["level"] = "某种机构"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert from_document(doc).agency.level == "某种机构"
    code, out, err = run_cli(capsys, ["check", path, "--json"])
    assert code in (0, 1) and "Traceback" not in err and "KeyError" not in err
    assert not [f for f in json.loads(out)["reports"][0]["findings"] if f["rule"] == "P1" and f["status"] == "fail"]


@pytest.mark.parametrize("value", [float("inf"), float("nan"), -float("inf")])
def test_non_finite_numbers_from_other_json_readers(document, value):
    from xxgk.params import ParamsError

    doc = json.loads(json.dumps(document))
    doc["cells"]["t2.procurement.amount"] = value
    with pytest.raises(ParamsError, match="/cells/t2.procurement.amount: expected a finite number"):
        from_document(doc, "r.json")


def test_published_schema_is_generated_from_the_formats(capsys):
    from importlib import resources

    text = resources.files("xxgk.schemas").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    assert text == schema_text(build_report_schema()), "run: python -m xxgk.schemas"
    code, out, _ = run_cli(capsys, ["schema"])
    assert code == 0 and json.loads(out) == report_schema()
    cells_2021 = report_schema()["else"]["properties"]["cells"]
    assert cells_2021["properties"]["t2.fees.amount"]["anyOf"][0] == {"type": "number", "minimum": 0, "maximum": 10**9}
    assert len(cells_2021["required"]) == len(cells_2021["properties"])


def test_exported_documents_validate(document):
    import jsonschema

    jsonschema.Draft202012Validator(report_schema()).validate(document)
