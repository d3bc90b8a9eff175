"""Reviewed findings (checks/review.py): a review covers the finding it was judged on and lapses by itself when
that changes — cell values for table rules, the quoted text for narrative rules (which have no cells)."""

from __future__ import annotations

import datetime as dt
import shutil

from xxgk.checks import check_report
from xxgk.checks.base import EXPLAINED, FAIL
from xxgk.office.review import add_review
from xxgk.params import load_params, loads_params
from xxgk.params_write import dump_params

NOW = dt.datetime(2021, 1, 20, 9, 30)


def _nyear(report):
    return [f for f in check_report(report) if f.rule == "N-YEAR"]


def test_a_narrative_review_keeps_the_message_and_lapses_when_the_text_changes(sample_path, tmp_path):
    (tmp_path / "2020").mkdir()
    path = tmp_path / "2020" / "yuyao-commerce.yaml"
    shutil.copy(sample_path, path)
    assert add_review(tmp_path, "yuyao-commerce", 2020, "N-YEAR", "沿用上年表述，已核实", by="张三", now=NOW) == 1
    report = load_params(path)
    (rv,) = report.reviews
    assert rv.cells == {} and rv.finding.startswith("[N-YEAR] 二、主动公开政府信息情况：「2019年度，本单位主动公开信息45条")
    assert "    finding: \"[N-YEAR] 二、主动公开政府信息情况：「2019年度" in path.read_text(encoding="utf-8")
    (f,) = _nyear(report)
    assert (f.status, f.reason) == (EXPLAINED, "沿用上年表述，已核实")
    # the same text written back and read again: still explained (the message survives the round trip)
    again = loads_params(dump_params(report))
    assert [f.status for f in _nyear(again)] == [EXPLAINED]
    # the analyst's sentence changes: another year named → a new finding, not covered by the old review
    sid = next(s for s, t in report.sections.items() if "2019年度，本单位主动公开信息45条" in t)
    report.sections[sid] = report.sections[sid].replace("2019年度，本单位主动公开信息45条", "2018年度，本单位主动公开信息45条")
    assert [f.status for f in _nyear(report)] == [FAIL]


def test_a_cell_less_review_without_its_message_covers_nothing(sample):
    """A hand-written review of a narrative rule with no ``finding:`` cannot say what it was judged on."""
    text = dump_params(sample) + "\nreview:\n  - {rule: N-YEAR, reason: 已核实}\n"
    assert [f.status for f in _nyear(loads_params(text))] == [FAIL]


def test_members_must_be_ids_and_are_written_quoted(sample):
    import pytest

    from xxgk.params import ParamsError

    bad = dump_params(sample) + '\nmembers: [a-b, "x]\\nagency: {id: evil}"]\n'
    with pytest.raises(ParamsError, match=r"members: 'x\]\\nagency: \{id: evil\}' is not a slug"):
        loads_params(bad)
    sample.members = ["town-1", "yes", "dept-2"]
    text = dump_params(sample)
    assert "members: [town-1, \"yes\", dept-2]" in text
    assert loads_params(text).members == ["town-1", "yes", "dept-2"]


def test_xxgk_check_lists_a_reviewed_finding_as_explained_with_its_reason(sample_path, tmp_path, capsys):
    from xxgk.cli import main

    (tmp_path / "2020").mkdir()
    path = tmp_path / "2020" / "yuyao-commerce.yaml"
    shutil.copy(sample_path, path)
    add_review(tmp_path, "yuyao-commerce", 2020, "N-YEAR", "沿用上年表述，已核实", now=NOW)
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "  state: clean (无问题)"
    assert out[2].startswith("  N-YEAR warning, explained: 二、主动公开政府信息情况：「2019年度")
    assert out[2].endswith("（已说明：沿用上年表述，已核实）")


def test_the_planner_peeks_only_member_ids_never_paths(sample, tmp_path):
    """``peek_members`` (the batch planner's cheap read) keeps what ``read_members`` would accept: no path reaches
    ``params_path`` from a hand-edited ``members:``; the loader reports the bad entry with its line."""
    from xxgk.params_review import peek_members

    path = tmp_path / "gov.yaml"
    path.write_text(dump_params(sample) + '\nmembers: [town-1, "../../etc/passwd", dept-2]\n', encoding="utf-8")
    assert peek_members(path) == ["town-1", "dept-2"]
