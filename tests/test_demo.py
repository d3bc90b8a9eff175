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
    assert len({a.level for a in agencies}) == 4
    gov, *members = agencies
    assert (gov.id, gov.level, gov.parent) == ("demo-gov", "县级政府", None)
    assert {a.parent for a in members} == {"demo-gov"}
    assert sum(a.level == "县级以上人民政府部门" for a in members) == 133  # 199 split 2:1
    assert sum(a.level in ("乡镇人民政府", "街道办事处") for a in members) == 66


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
        # departments and towns by 31 January, the county government by 20 February (rule P1)
        assert r.published < (dt.date(y + 1, 2, 20) if a == "demo-gov" else dt.date(y + 1, 1, 31))
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


def test_default_roster_is_a_county_office(tmp_path, capsys):
    from xxgk.cli import main
    from xxgk.roster import load_roster

    assert main(["demo", "--years", "2022", "--out", str(tmp_path / "d")]) == 0
    assert "30 agencies" in capsys.readouterr().out
    roster = load_roster(tmp_path / "d" / "agencies.yaml")
    gov = roster["demo-gov"]
    assert (gov.name, gov.level, gov.parent, gov.group) == ("示例县人民政府（示例）", "县级政府", None, "本级政府")
    groups = [m.group for m in roster.members.values()]
    assert groups.count("部门") == 20 and groups.count("乡镇街道") == 9 and len(groups) == 30
    assert [m.id for m in roster.children("demo-gov")] == [f"demo-{i:03d}" for i in range(1, 30)]
    assert roster["demo-001"].name == "示例县教育局（示例）" and roster["demo-021"].level == "乡镇人民政府"
    assert roster["demo-023"].level == "街道办事处" and roster["demo-023"].group == "乡镇街道"
    assert len(discover(tmp_path / "d")) == 30


def test_government_is_the_sum_of_its_members_and_h_sum_checks_it(demo_dir, reports):
    from xxgk.checks import check_report
    from xxgk.checks.consolidation import summed_cells
    from xxgk.params_write import save_params

    gov = reports[(2022, "demo-gov")]
    members = [f"demo-{i:03d}" for i in range(1, 12)]
    assert gov.members == members
    for cid in summed_cells(gov.fmt):
        vals = [reports[(2022, m)].value(cid) for m in members]
        assert gov.value(cid) == sum(v for v in vals if v is not None), cid
    total = gov.value("t3.new_received.total")
    assert total == sum(reports[(2022, m)].value("t3.new_received.total") for m in members) > 0
    assert f"新收政府信息公开申请{total}件" in gov.section_text("s1") or f"新收申请{total}件" in gov.section_text("s1")
    assert [f for f in check_report(gov, params_dir=demo_dir) if f.rule == "H-SUM" and f.status == "fail"] == []
    # a tampered copy of the consolidated file: H-SUM names the cell and every member's value
    gov.cells["t3.granted.natural_person"].value += 3
    tampered = save_params(gov, demo_dir.parent / "tampered" / "2022" / "demo-gov.yaml")
    for m in members:
        (tampered.parent / f"{m}.yaml").write_bytes((demo_dir / "2022" / f"{m}.yaml").read_bytes())
    (f,) = [f for f in check_report(load_params(tampered), params_dir=tampered.parent.parent) if f.rule == "H-SUM"]
    want = gov.value("t3.granted.natural_person")
    assert (f.severity, f.status, f.cells) == ("error", "fail", ("t3.granted.natural_person",))
    assert f"汇总报告为{want}，成员单位之和为{want - 3}" in f.message
    assert f"demo-001 {reports[(2022, 'demo-001')].value('t3.granted.natural_person')}＋demo-002 " in f.message


def test_demo_never_silently_overwrites(tmp_path, capsys):
    from xxgk.cli import main
    from xxgk.demo import would_overwrite

    out = tmp_path / "d"
    assert write_demo(out, 4, [2022]) and would_overwrite(out, 4, [2022]) == []
    assert len(write_demo(out, 4, [2022], seed=2)) == 4  # its own, untouched output may be replaced
    edited = out / "2022" / "demo-002.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# 手工修改\n", encoding="utf-8")
    (out / "2023").mkdir()
    foreign = out / "2023" / "demo-001.yaml"
    foreign.write_text("agency: {id: demo-001}\n", encoding="utf-8")
    roster_before = (out / "agencies.yaml").read_text(encoding="utf-8")
    assert main(["demo", "--agencies", "5", "--years", "2022-2023", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "xxgk demo: not overwriting existing files" in err and "xxgk demo: xxgk demo" not in err and "--force" in err and "Traceback" not in err
    assert f"{out / 'agencies.yaml'} (the roster of agencies" in err
    assert f"{edited} (changed by hand" in err and f"{foreign} (changed by hand" in err
    assert str(out / "2022" / "demo-001.yaml") not in err  # untouched demo output is not listed
    assert "# 手工修改" in edited.read_text(encoding="utf-8") and foreign.read_text(encoding="utf-8").startswith("agency")
    assert (out / "agencies.yaml").read_text(encoding="utf-8") == roster_before
    # the same roster is no overwrite; only the edited file stands in the way
    assert would_overwrite(out, 4, [2022]) == [f"{edited} (changed by hand or not written by xxgk demo)"]
    assert main(["demo", "--agencies", "5", "--years", "2022-2023", "--out", str(out), "--force"]) == 0
    assert "# 手工修改" not in edited.read_text(encoding="utf-8") and would_overwrite(out, 5, [2022, 2023]) == []


def test_rollup_of_the_demo_members_gives_the_demo_government(demo_dir, reports):
    from xxgk.checks.consolidation import summed_cells
    from xxgk.office.rollup import consolidate
    from xxgk.roster import load_roster

    rolled, problems = consolidate(load_roster(demo_dir / "agencies.yaml"), "demo-gov", 2023, demo_dir)
    gov = reports[(2023, "demo-gov")]
    assert problems == [] and rolled.members == gov.members
    assert {c: rolled.value(c) for c in summed_cells(gov.fmt)} == {c: gov.value(c) for c in summed_cells(gov.fmt)}
    assert rolled.section_text("s1") == gov.section_text("s1")  # the narrative stays the author's


def test_demo_fills_the_empty_roster_of_a_new_workspace_but_not_a_filled_one(tmp_path):
    """``xxgk init`` then ``xxgk demo --out params`` works: the commented empty roster holds nothing to lose."""
    from xxgk.demo import would_overwrite
    from xxgk.workspace import init

    init(tmp_path)
    assert would_overwrite(tmp_path / "params", 5, [2022]) == []
    sample = tmp_path / "s"
    init(sample, sample=True)
    assert would_overwrite(sample / "params", 5, [2022]) == [
        f"{sample / 'params' / 'agencies.yaml'} (the roster of agencies, different from the demo's)"]
