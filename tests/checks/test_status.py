"""The one report state shared by index, overview, manifest and ``xxgk check``."""

from __future__ import annotations

from xxgk.checks import check_report
from xxgk.checks.base import ERROR, FAIL, NOT_ASSESSABLE, PASS, WARNING, Finding
from xxgk.checks.status import gaps, report_state
from xxgk.model import Cell


def test_sample_is_warning_and_has_no_gaps(sample, sample_path):
    assert gaps(sample) == []
    assert report_state(check_report(sample, params_dir=sample_path.parents[1]), sample) == "warning"


def test_worst_state_wins():
    err = Finding("T3-BAL", ERROR, FAIL, "x")
    warn = Finding("P5", WARNING, FAIL, "x")
    na = Finding("T2-X", ERROR, NOT_ASSESSABLE, "x")
    ok = Finding("T4-SUM", ERROR, PASS, "x")
    assert report_state([ok, warn, na, err]) == "error"
    assert report_state([ok, warn, na]) == "incomplete"
    assert report_state([ok, warn]) == "warning"
    assert report_state([ok]) == "clean"


def test_blank_cell_and_empty_section_make_a_passing_report_incomplete(sample):
    sample.cells["t3.new_received.research"] = Cell.blank()
    sample.sections["s6"] = "  "
    assert gaps(sample) == ["t3.new_received.research", "s6"]
    assert report_state([Finding("X", ERROR, PASS, "x")], sample) == "incomplete"


def test_explained_findings_are_listed_as_such_and_never_red():
    from xxgk.checks.base import EXPLAINED
    from xxgk.checks.status import status_record
    from xxgk.site.index import _details

    fs = [Finding("T3-BAL", ERROR, EXPLAINED, "表三：合计不符", ("t3.new_received.total",), "经核实，系申请人重复登记"),
          Finding("N-YEAR", WARNING, PASS, "ok")]  # fmt: skip
    rec = status_record(fs)
    assert rec["state"] == "clean" and rec["counts"]["explained"] == 1
    assert rec["findings"] == [{"rule": "T3-BAL", "severity": ERROR, "status": EXPLAINED, "message": "经核实，系申请人重复登记"}]
    assert '<span class="rule">T3-BAL</span>已说明：经核实，系申请人重复登记' in _details({"findings": rec["findings"]})
