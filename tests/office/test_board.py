"""The status board on real files: built only when report.html is newer than every input (a consolidated report's
members included), and 按时报送 / 逾期N天报送 from the submission date against the level's statutory deadline."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os

import pytest

from xxgk.demo import write_demo
from xxgk.office.board import STALE_NOTE, board_rows, render_csv, render_html, render_text
from xxgk.office.state import CollectState, state_path
from xxgk.roster import load_roster, roster_path

T0 = dt.datetime(2023, 1, 10, 9, 0).timestamp()
BEFORE = dt.date(2023, 1, 5)  # before every demo publication date: built, not yet published


@pytest.fixture
def office(tmp_path):
    params, out = tmp_path / "params", tmp_path / "build"
    write_demo(params, 3, [2022])  # demo-gov = demo-001 + demo-002
    for aid in ("demo-gov", "demo-001", "demo-002"):
        os.utime(params / "2022" / f"{aid}.yaml", (T0, T0))
        html = out / "2022" / aid / "report.html"
        html.parent.mkdir(parents=True)
        html.write_text("<html></html>", encoding="utf-8")
        os.utime(html, (T0 + 60, T0 + 60))
    return params, out, load_roster(roster_path(params))


def _rows(office, today=BEFORE):
    params, out, roster = office
    return {r.agency: r for r in board_rows(roster, 2022, params, out, today)}


def test_built_only_when_newer_than_every_input(office):
    params, out, _ = office
    rows = _rows(office)
    assert {a: (r.state, r.stale) for a, r in rows.items()} == {a: ("built", False) for a in rows}
    # a member's params file touched after the consolidated report was built: neither is current any more
    member = params / "2022" / "demo-001.yaml"
    os.utime(member, (T0 + 120, T0 + 120))
    rows = _rows(office)
    assert (rows["demo-gov"].state, rows["demo-gov"].stale) == ("submitted", True)
    assert (rows["demo-001"].state, rows["demo-001"].stale) == ("submitted", True)
    assert (rows["demo-002"].state, rows["demo-002"].stale) == ("built", False)
    assert STALE_NOTE in render_text(list(rows.values())) and STALE_NOTE in render_html(list(rows.values()), 2022, BEFORE)
    # an output equal in time to its input is not newer
    os.utime(out / "2022" / "demo-002" / "report.html", (T0, T0))
    assert _rows(office)["demo-002"].state == "submitted"
    # rebuilt after the change: current again; once its publication date has passed: published
    os.utime(out / "2022" / "demo-gov" / "report.html", (T0 + 180, T0 + 180))
    os.utime(out / "2022" / "demo-001" / "report.html", (T0 + 180, T0 + 180))
    rows = _rows(office)
    assert rows["demo-gov"].state == rows["demo-001"].state == "built"
    assert _rows(office, dt.date(2023, 3, 1))["demo-gov"].state == "published"


def test_member_changed_after_rollup_shows_the_consolidated_report_in_error(office):
    params, _, _ = office
    member = params / "2022" / "demo-002.yaml"
    from xxgk.params import load_params
    from xxgk.params_write import save_params

    report = load_params(member)
    report.cells["t4.review.upheld"].value += 1
    report.cells["t4.review.total"].value += 1
    save_params(report, member)
    rows = _rows(office)
    gov = rows["demo-gov"]
    assert gov.state == "error" and gov.problems == "H-SUM；H-SUM" and gov.stale
    assert rows["demo-002"].errors == 0 and rows["demo-002"].stale  # the member itself is fine, only newer


def test_on_time_or_late_from_the_submission_date(office):
    params, _, roster = office
    state = CollectState(state_path(params, 2022))
    state.submissions = [
        {"agency": "demo-001", "file": "a.xlsx", "digest": "1", "time": "2023-01-20T10:00:00", "outcome": "merged"},
        {"agency": "demo-002", "file": "b.xlsx", "digest": "2", "time": "2023-02-03T08:00:00", "outcome": "merged"},
        {"agency": "demo-002", "file": "b2.xlsx", "digest": "3", "time": "2023-02-09T08:00:00", "outcome": "merged"},
        {"agency": "demo-gov", "file": "c.xlsx", "time": "2023-01-02T08:00:00", "outcome": "unknown"},
    ]  # fmt: skip
    state.save()
    late_file = dt.datetime(2023, 4, 4, 12, 0).timestamp()  # never collected: dated by the file, timeliness unknown
    os.utime(params / "2022" / "demo-gov.yaml", (late_file, late_file))
    rows = _rows(office, dt.date(2023, 2, 10))
    d1, d2, gov = rows["demo-001"], rows["demo-002"], rows["demo-gov"]
    assert (d1.deadline, d1.submitted, d1.late_days, d1.timeliness) == (dt.date(2023, 1, 31), "2023-01-20", 0, "按时报送")
    # judged on the first submission (2 February is 3 days after 31 January), the latest one shown
    assert (d2.submitted, d2.first_submitted, d2.late_days, d2.timeliness) == ("2023-02-09", "2023-02-03", 3, "逾期3天报送")
    # the county government's deadline is 31 March (rule P1's error date)
    assert (gov.deadline, gov.submitted, gov.timeliness, gov.late_days) == (dt.date(2023, 2, 20), "2023-04-04", "", None)
    text = render_text(list(rows.values()))
    assert "（2023-01-20，按时报送）" in text and "（2023-02-09，逾期3天报送）" in text and "（2023-04-04）" in text
    page = render_html(list(rows.values()), 2022, dt.date(2023, 2, 10))
    assert "<th>报送情况</th>" in page and "<td>逾期3天报送</td>" in page and "<td>按时报送</td>" in page
    table = {r["agency"]: r for r in csv.DictReader(io.StringIO(render_csv(list(rows.values()))))}
    assert (table["demo-002"]["timeliness"], table["demo-002"]["late_days"]) == ("逾期3天报送", "3")
    assert table["demo-001"]["late_days"] == "0" and table["demo-gov"]["stale"] == "1"
    # not submitted: no timeliness, only the days left
    (params / "2022" / "demo-001.yaml").unlink()
    row = _rows(office, dt.date(2023, 1, 25))["demo-001"]
    assert (row.state, row.timeliness, row.late_days, row.days_left) == ("not_submitted", "", None, 6)


def test_days_left_only_while_awaited(office):
    params, _, _ = office
    (params / "2022" / "demo-002.yaml").unlink()
    text = render_text(list(_rows(office, dt.date(2023, 2, 3)).values()))
    line = {ln.split()[0]: ln for ln in text.splitlines()}
    assert "截止2023-01-31 逾期3天  示例县财政局（示例）" in line["demo-002"]  # not submitted: overdue
    assert "截止2023-01-31  示例县教育局（示例）" in line["demo-001"]  # submitted: no countdown
