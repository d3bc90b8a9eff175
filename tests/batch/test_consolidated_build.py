"""A consolidated report depends on its members: a real build (HTML only) rebuilds and re-checks it when a member's
params change, and the status board shows it in error until the rollup is redone."""

from __future__ import annotations

import datetime as dt
import json

from tests.batch.test_batch_run import xxgk
from xxgk.demo import write_demo
from xxgk.office.board import board_rows
from xxgk.params import load_params
from xxgk.params_write import save_params
from xxgk.roster import load_roster, roster_path


def _build(params, out):
    r = xxgk("build", "--params", params, "--out", out, "--formats", "html", "--jobs", 2, "--quiet", "--no-site",
             timeout=300)  # fmt: skip
    return r, json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]


def test_member_change_rebuilds_and_rechecks_the_consolidated_report(tmp_path):
    params, out = tmp_path / "params", tmp_path / "build"
    write_demo(params, 3, [2022])  # demo-gov = demo-001 + demo-002
    roster = load_roster(roster_path(params))
    r, reports = _build(params, out)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "3 to build" in r.stdout and reports["2022/demo-gov"]["checks"]["errors"] == 0
    assert "H-SUM" not in (out / "2022" / "demo-gov" / "analysis.html").read_text(encoding="utf-8")
    rows = {x.agency: x for x in board_rows(roster, 2022, params, out, dt.date(2023, 1, 5))}
    assert rows["demo-gov"].state == "built"
    # a member corrects one figure after the rollup
    member = params / "2022" / "demo-001.yaml"
    report = load_params(member)
    report.cells["t4.direct_suit.pending"].value += 2
    report.cells["t4.direct_suit.total"].value += 2
    save_params(report, member)
    rows = {x.agency: x for x in board_rows(roster, 2022, params, out, dt.date(2023, 1, 5))}
    assert (rows["demo-gov"].state, rows["demo-gov"].stale) == ("error", True) and "H-SUM" in rows["demo-gov"].problems
    r, reports = _build(params, out)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 up to date" in r.stdout and "2 to build" in r.stdout  # demo-001 and the consolidated report
    gov = reports["2022/demo-gov"]
    assert gov["state"] == "error" and gov["checks"]["errors"] == 2
    assert {f["rule"] for f in gov["findings"] if f["severity"] == "error"} == {"H-SUM"}
    page = (out / "2022" / "demo-gov" / "analysis.html").read_text(encoding="utf-8")
    want = report.value("t4.direct_suit.total")
    assert "H-SUM" in page and f"成员单位之和为{want}" in page
    # the rollup redone: current and clean again after the next build
    assert xxgk("rollup", "--agency", "demo-gov", "--year", 2022, "--params", params).returncode == 0
    r, reports = _build(params, out)
    assert "2 up to date" in r.stdout and "1 to build" in r.stdout and reports["2022/demo-gov"]["checks"]["errors"] == 0
    rows = {x.agency: x for x in board_rows(roster, 2022, params, out, dt.date(2023, 1, 5))}
    assert (rows["demo-gov"].errors, rows["demo-gov"].stale) == (0, False), rows["demo-gov"]
    assert rows["demo-gov"].state == "warning" and rows["demo-gov"].problems == "N-T4"  # the narrative states the old figure
