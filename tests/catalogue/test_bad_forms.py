"""Bad-input catalogue, the Excel form: a filled form whose hidden metadata or values were tampered with is
refused through ``xxgk ingest`` with sheet!cell, the label and what was expected (exit 2)."""

from __future__ import annotations

import json

import openpyxl
import pytest

from tests.catalogue.util import assert_refused
from xxgk import form_layout as L
from xxgk.params import load_params
from xxgk.render.excel import write_form

SAMPLE = "params/2020/yuyao-commerce.yaml"


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    path = tmp_path_factory.mktemp("form") / "form.xlsx"
    write_form(load_params(SAMPLE), path)
    return path


def _meta_row(ws, key: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)


def _ext(change):
    """Edit the JSON spec of the first extension table in the metadata sheet."""

    def edit(wb):
        ws = wb[L.META_SHEET]
        row = _meta_row(ws, L.K_EXT)
        spec = json.loads(ws.cell(row, 5).value)
        ws.cell(row, 5).value = change(spec) if callable(change) else change
        return f"{L.META_SHEET}!E{row}"

    return edit


def _head(key, value):
    def edit(wb):
        ws = wb[L.META_SHEET]
        row = _meta_row(ws, key)
        ws.cell(row, 2).value = value
        return f"{L.META_SHEET}!B{row}"

    return edit


def _info(key, value):
    def edit(wb):
        ref = L.info_address(key)
        wb[L.INFO_SHEET][ref].value = value
        return f"{L.INFO_SHEET}!{ref}"

    return edit


def _spec(**changes):
    def change(spec):
        spec.update(changes)
        return json.dumps(spec, ensure_ascii=False)

    return change


def _t3(value):
    def edit(wb):
        ws = wb[L.TABLE_SHEETS["t3"]]
        ref = L.grid_address(next(gc for gc in L.grids(load_params(SAMPLE).fmt)["t3"].value_cells()
                                  if gc.cell_id == "t3.new_received.natural_person"))  # fmt: skip
        ws[ref].value = value
        return f"{ws.title}!{ref}"

    return edit


CASES = {
    "after-injection": (_ext(_spec(after="s2\n    numbered: false")), "is not one of ['s1', 's2'"),
    "not-json": (_ext("{not json"), "expected the extension table's spec as JSON"),
    "json-list": (_ext("[1, 2]"), "is not of type 'object'"),
    "id-path": (_ext(_spec(id="../../x")), "/id: '../../x' does not match"),
    "columns-object": (_ext(_spec(columns=[{"a": 1}])), "/columns/0: {'a': 1} is not of type 'string'"),
    "extra-key": (_ext(_spec(rows=5)), "Additional properties are not allowed ('rows' was unexpected)"),
    "indents-text": (_ext(lambda s: json.dumps({**s, "indents": ["x"] * len(s["indents"])})), "/indents/0: 'x' is not of type 'integer'"),
    "labels-indents": (_ext(lambda s: json.dumps({**s, "indents": s["indents"][:-1]})), "row labels but"),
    "numbered-text": (_ext(_spec(numbered="2021-02-30")), "/numbered: '2021-02-30' is not of type 'boolean'"),
    "title-control": (_ext(_spec(title="表\u202e")), "bidirectional-override character U+202E"),
    "year-huge": (_head("year", 10**21), "「报告年度」: expected a report year (a whole number 2019–2100), got '1e+21'"),
    "year-text": (_head("year", "abc"), "「报告年度」: expected a report year"),
    "format-unknown": (_head("format", "2030"), "「格式」: expected one of 2019, 2021"),
    "name-240": (_info("agency.name", "局" * 240), "the text is 240 characters long; at most 100"),
    "name-zero-width": (_info("agency.name", "余姚\u200b商务局"), "zero-width character U+200B"),
    "agency-id-path": (_info("agency.id", "../../x"), "「机关标识", "'../../x' must be lower-case letters"),
    "count-huge": (_t3(10**12), "expected at most 1,000,000,000"),
    "count-text": (_t3("很多"), "expected a non-negative whole number, or / for blank; got '很多'"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_tampered_form(name, form, tmp_path, capsys):
    edit, *parts = CASES[name]
    wb = openpyxl.load_workbook(form)
    where = edit(wb)
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    out = tmp_path / "params"
    assert_refused(capsys, ["ingest", path, "-o", out], str(path), where, *parts)
    assert not out.exists() or not any(out.rglob("*.yaml"))


def test_schema_row_tampered(form, tmp_path, capsys):
    wb = openpyxl.load_workbook(form)
    _head("schema", "other/1")(wb)
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    assert_refused(capsys, ["ingest", path, "-o", tmp_path / "p"], "schema 'other/1', expected 'xxgk.form/1'")
