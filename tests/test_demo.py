"""Demo data: deterministic, consistent within each report and from year to year, passes the checker."""

from __future__ import annotations

import datetime as dt
import difflib

import pytest

from xxgk.demo import demo_agencies, generate, parse_years, write_demo
from xxgk.errors import UserError
from xxgk.params import discover, load_params

YEARS = range(2019, 2025)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    write_demo(out, 12, YEARS, seed=7)
    return out


@pytest.fixture(scope="module")
def reports(demo_dir):
    return {(y, a): load_params(p) for y, a, p in discover(demo_dir)}


def test_files_written_and_load(demo_dir, reports):
    assert len(reports) == 12 * 6
    assert {r.format_id for (y, _), r in reports.items() if y <= 2020} == {"2019"}
    assert {r.format_id for (y, _), r in reports.items() if y >= 2021} == {"2021"}


def test_deterministic_by_seed(tmp_path, demo_dir):
    write_demo(tmp_path / "again", 12, YEARS, seed=7)
    write_demo(tmp_path / "other", 12, YEARS, seed=8)
    same = (tmp_path / "again" / "2022" / "demo-005.yaml").read_text(encoding="utf-8")
    assert same == (demo_dir / "2022" / "demo-005.yaml").read_text(encoding="utf-8")
    assert same != (tmp_path / "other" / "2022" / "demo-005.yaml").read_text(encoding="utf-8")


def test_names_marked_and_levels_spread():
    agencies = demo_agencies(200, seed=3)
    assert all("示例" in a.name and a.name.endswith("（示例）") for a in agencies)
    assert len({a.name for a in agencies}) == 200 and len({a.id for a in agencies}) == 200
    assert len({a.level for a in agencies}) >= 4
    assert sum(a.level == "县级以上人民政府部门" for a in agencies) > 100


def test_sizes_mostly_small_a_few_large():
    new = sorted(r.value("t3.new_received.total") for r in generate(150, [2022], seed=5))
    assert new[len(new) // 2] <= 15  # median agency is small
    assert new[-1] >= 10 * max(new[len(new) // 2], 1)  # a few are much larger


def test_tables_add_up(reports):
    for r in reports.values():
        t3 = r.fmt.table("t3")
        cols = [c.id for c in t3.blocks[0].columns]
        for row in t3.rows:
            vals = [r.value(f"t3.{row.id}.{c}") for c in cols]
            assert vals[-1] == sum(vals[:-1]), (r.year, r.agency.id, row.id)
        outcomes = [row.id for row in t3.rows if row.id not in ("new_received", "carried_over", "total_handled", "carried_forward")]
        for c in cols:
            v = {row.id: r.value(f"t3.{row.id}.{c}") for row in t3.rows}
            assert v["total_handled"] == sum(v[o] for o in outcomes)
            assert v["new_received"] + v["carried_over"] == v["total_handled"] + v["carried_forward"]
        for row in ("review", "direct_suit", "suit_after_review"):
            parts = [r.value(f"t4.{row}.{c}") for c in ("upheld", "corrected", "other", "pending")]
            assert r.value(f"t4.{row}.total") == sum(parts)


def test_year_to_year_rolls_forward(reports):
    for (y, a), r in reports.items():
        prev = reports.get((y - 1, a))
        if prev is None:
            continue
        for c in [c.id for c in r.fmt.table("t3").blocks[0].columns]:
            assert r.value(f"t3.carried_over.{c}") == prev.value(f"t3.carried_forward.{c}")
        if r.format_id == prev.format_id == "2021":
            for row in ("regulations", "normative_documents"):
                assert r.value(f"t2.{row}.in_force") == (prev.value(f"t2.{row}.in_force") + r.value(f"t2.{row}.issued")
                                                         - r.value(f"t2.{row}.repealed"))  # fmt: skip
        if r.format_id == prev.format_id == "2019":
            for row in ("licensing", "other_services", "punishment", "coercion", "fees"):
                assert r.value(f"t2.{row}.prior_items") == prev.value(f"t2.{row}.prior_items") + prev.value(f"t2.{row}.change")


def test_narrative_dates_and_fee_sentence(reports):
    for (y, a), r in reports.items():
        assert r.published < dt.date(y + 1, 1, 31)
        assert all(r.section_text(s) for s in ("s1", "s5", "s6"))
        assert f"{y}年1月1日" in r.preamble and f"{y}年12月31日" in r.preamble
        assert str(r.value("t3.new_received.total")) + "件" in r.section_text("s1")
        if y >= 2021:
            assert "信息处理费" in r.section_text("s6")
        prev = reports.get((y - 1, a))
        if prev is not None:
            for s in ("s1", "s5"):
                assert difflib.SequenceMatcher(None, prev.section_text(s), r.section_text(s)).ratio() < 0.7


def test_checker_finds_no_errors(demo_dir, reports):
    from xxgk.checks import check_report, summary

    for r in reports.values():
        findings = check_report(r, params_dir=demo_dir)
        errors = [f for f in findings if f.is_error]
        assert not errors, (r.year, r.agency.id, [(f.rule, f.message) for f in errors])
        assert not [f for f in findings if f.rule == "X-SIMILAR" and f.status == "fail"]
        assert summary(findings)["errors"] == 0


def test_parse_years_and_cli(tmp_path, capsys):
    assert parse_years("2019-2021") == [2019, 2020, 2021]
    assert parse_years("2021,2023") == [2021, 2023]
    for bad in ("2021-2019", "abc", "2018"):
        with pytest.raises(UserError):
            parse_years(bad)
    from xxgk.cli import main

    assert main(["demo", "--agencies", "2", "--years", "2021-2022", "--out", str(tmp_path / "d")]) == 0
    assert len(discover(tmp_path / "d")) == 4
    assert main(["demo", "--agencies", "2", "--years", "1999", "--out", str(tmp_path / "e")]) == 2
    assert "1999" in capsys.readouterr().err
