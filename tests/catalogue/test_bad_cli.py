"""Bad-input catalogue, CLI flags: every case exits 2 with the flag, what was expected and no traceback; no
output is written outside its root."""

from __future__ import annotations

import pytest

from tests.catalogue.util import assert_refused
from xxgk.params import load_params
from xxgk.params_write import save_params

SAMPLE = "params/2020/yuyao-commerce.yaml"
YEAR = "expected a report year 2019–2100"

CASES = {
    "form-year-huge": (["form", "--year", str(10**21)], "argument --year", YEAR, "a 22-digit number"),
    "form-year-text": (["form", "--year", "abc"], "argument --year", "expected a report year (a whole number 2019–2100), got 'abc'"),
    "form-year-early": (["form", "--year", "2018"], "argument --year", "predates the national formats"),
    "form-year-late": (["form", "--year", "2101"], "argument --year", YEAR, "got 2101"),
    "form-agency-path": (["form", "--year", "2021", "--agency", "../x"], "argument --agency", "'../x' is not a slug"),
    "form-agency-space": (["form", "--year", "2021", "--agency", "余姚 商务"], "argument --agency", "is not a slug"),
    "new-agency-path": (["new", "--agency", "../../x", "--year", "2021"], "argument --agency", "never a path"),
    "new-year-early": (["new", "--agency", "a", "--year", "1999"], "argument --year", "predates"),
    "new-year-huge": (["new", "--agency", "a", "--year", "1" + "0" * 30], "argument --year", "a 31-digit number"),
    "new-year-missing": (["new", "--agency", "a"], "the following arguments are required: --year"),
    "demo-agencies-zero": (["demo", "--agencies", "0"], "argument --agencies", "expected a whole number 1–10000, got '0'"),
    "demo-agencies-huge": (["demo", "--agencies", str(10**12)], "argument --agencies", "expected a whole number 1–10000"),
    "demo-agencies-text": (["demo", "--agencies", "many"], "argument --agencies", "got 'many'"),
    "demo-seed-negative": (["demo", "--seed", "-1"], "argument --seed", "expected a whole number 0–4294967295"),
    "demo-years-far": (["demo", "--years", "2019-9999"], "--years: expected a report year 2019–2100", "got 2101"),
    "demo-years-text": (["demo", "--years", "abc"], "--years: expected a year or a range like 2019-2024"),
    "demo-years-backwards": (["demo", "--years", "2024-2019"], "--years: range 2024-2019 runs backwards"),
    "ingest-agency-id-escape": (["ingest", "x.pdf", "-o", "OUT", "--agency-id", "../../../x"], "argument --agency-id", "never a path"),
    "ingest-agency-id-upper": (["ingest", "x.pdf", "--agency-id", "Yuyao"], "argument --agency-id", "'Yuyao' is not a slug"),
    "ingest-agency-id-slash": (["ingest", "x.pdf", "--agency-id", "a/b"], "argument --agency-id", "'a/b' is not a slug"),
    "ingest-year-huge": (["ingest", "x.pdf", "--year", "1" + "0" * 30], "argument --year", "a 31-digit number"),
    "export-missing-file": (["export", "no/such.yaml"], "no/such.yaml: cannot read"),
    "export-both-formats": (["export", SAMPLE, "--json", "--csv"], "not allowed with argument"),
    "unknown-command": (["frobnicate"], "invalid choice: 'frobnicate'"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_flags(name, tmp_path, capsys, monkeypatch):
    argv, *parts = CASES[name]
    monkeypatch.chdir(tmp_path) if name.startswith("demo") else None
    argv = [a if a != SAMPLE else str(_root() / SAMPLE) for a in argv]
    assert_refused(capsys, argv, *parts)
    assert not (tmp_path / "demo-params").exists()


def _root():
    from pathlib import Path

    return Path(__file__).resolve().parents[2]


def test_form_output_is_a_directory(tmp_path, capsys):
    assert_refused(capsys, ["form", "--year", "2021", "-o", tmp_path], f"-o {tmp_path}: is a directory",
                   f"e.g. {tmp_path / 'form.xlsx'}")  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_params_file_not_named_by_a_slug(tmp_path, capsys):
    report = load_params(_root() / SAMPLE)
    save_params(report, tmp_path / "2020" / "余姚 商务.yaml")
    bad = tmp_path / "2020" / "余姚 商务.yaml"
    assert_refused(capsys, ["form", "--year", "2021", "--agency", "yuyao-commerce", "--params", tmp_path],
                   f"{bad}: file name (agency id 机关标识): '余姚 商务' is not a slug")  # fmt: skip


def test_ingest_form_with_a_path_as_agency_id_writes_nothing_outside(tmp_path, capsys):
    from xxgk.render.excel import write_form

    form = write_form(load_params(_root() / SAMPLE), tmp_path / "f.xlsx")
    out = tmp_path / "out"
    assert_refused(capsys, ["ingest", form, "-o", out, "--agency-id", "../../../x"], "never a path")
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["f.xlsx"]
