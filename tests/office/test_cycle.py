"""The office's January on a 30-agency roster: forms out, filled with openpyxl, collected (some late, one
inconsistent, one with a warning later reviewed), the status board at each step, rollup and H-SUM."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import random
import shutil

import openpyxl
import pytest

from xxgk import form_layout as L
from xxgk.checks import check_report
from xxgk.cli import main as cli
from xxgk.demo import _AgencyState, demo_report
from xxgk.errors import UserError
from xxgk.model import Agency
from xxgk.office.board import board_rows, render_csv, render_html, render_text
from xxgk.office.collect import DUPLICATE, HAND_EDITED, MERGED, UNCHANGED, UNKNOWN, collect
from xxgk.office.forms import form_identity, write_forms
from xxgk.office.rollup import consolidate
from xxgk.office.state import load_state
from xxgk.params import load_params, params_path
from xxgk.params_write import save_params, write_text_atomic
from xxgk.render.excel import excel_value
from xxgk.roster import Member, dump_roster, load_roster, roster_path

DEPTS = [f"dept-{i:02d}" for i in range(1, 21)]
TOWNS = [f"town-{i}" for i in range(1, 10)]
LATE = {"dept-18", "dept-19", "dept-20", "town-8", "town-9"}
INCONSISTENT, WARNED = "dept-03", "dept-07"
ROUND1 = dt.datetime(2023, 1, 20, 10, 0)
ROUND2 = dt.datetime(2023, 2, 6, 9, 30)


def _members():
    out = [Member("gov", "示例县人民政府", "县级政府", group="本级政府")]
    out += [Member(d, f"示例县第{i}局", "县级以上人民政府部门", "gov", f"0574-{i:07d}", "部门") for i, d in enumerate(DEPTS, 1)]
    out += [Member(t, f"示例县第{i}镇人民政府", "乡镇人民政府", "gov", None, "乡镇街道") for i, t in enumerate(TOWNS, 1)]
    return out


def _fill(path, report):
    """Fill a form the way a person would: every input cell typed in with openpyxl."""
    wb = openpyxl.load_workbook(path)
    for row in wb[L.META_SHEET].iter_rows(values_only=True):
        kind, key, sheet, address = (tuple(row) + (None,) * 4)[:4]
        if kind == L.K_CELL:
            wb[sheet][address] = excel_value(report.cell(key))
        elif kind == L.K_TEXT:
            wb[sheet][address] = report.preamble if key == "preamble" else report.section_text(key)
        elif kind == L.K_FIELD and key in ("published", "signature.date"):
            wb[sheet][address] = report.published
    wb.save(path)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    root = tmp_path_factory.mktemp("office")
    params = root / "params"
    write_text_atomic(roster_path(params), dump_roster(_members()))
    roster = load_roster(roster_path(params))
    this_year = {}
    for i, m in enumerate(roster.members.values()):
        if m.id == "gov":
            continue
        st = _AgencyState(Agency(m.id, m.name, m.level, m.parent), random.Random(f"office-{i}"))
        save_params(demo_report(st, 2021), params_path(params, 2021, m.id))
        this_year[m.id] = demo_report(st, 2022)
    return root, params, roster, this_year


def _board(office, today=dt.date(2023, 1, 25)):
    root, params, roster, _ = office
    return {r.agency: r for r in board_rows(roster, 2022, params, root / "build", today)}


def test_roster_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "agencies.yaml"
    bad.write_text("agencies:\n  - {id: gov, name: 县政府, level: 县级政府}\n  - {id: a, name: A, parent: gov}\n"
                   "  - {id: a, name: A2, parent: gov}\n  - {id: b, name: B, parent: nobody}\n"
                   "  - {id: c, name: C, parent: d}\n  - {id: d, name: D, parent: c}\n", encoding="utf-8")
    with pytest.raises(UserError) as exc:
        load_roster(bad)
    text = str(exc.value)
    assert f"{bad}:4: agencies[2].id: 'a' given twice (first at line 3)" in text
    assert f"{bad}:5: b: parent 'nobody' is not in the roster" in text
    assert "c: parents form a cycle (c → d → c)" in text


def test_params_file_may_omit_what_the_roster_holds(office, tmp_path):
    _, _, roster, _ = office
    p = tmp_path / "x.yaml"
    p.write_text("agency: {id: town-3}\nyear: 2022\n", encoding="utf-8")
    report = load_params(p, roster.agencies())
    assert (report.agency.name, report.agency.level, report.agency.parent) == ("示例县第3镇人民政府", "乡镇人民政府", "gov")
    p.write_text("agency: {id: nobody}\nyear: 2022\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"x.yaml:1: agency.id: 'nobody' is not in the roster"):
        load_params(p, roster.agencies())


def test_the_whole_january(office):
    root, params, roster, this_year = office
    forms = root / "forms"
    paths = write_forms(roster, 2022, forms, params)
    assert len(paths) == 30 and sorted(p.name for p in paths)[0] == "2022-dept-01.xlsx"
    # pre-filled: 上年结转 and the 现行有效件数 baseline from last year's file
    last = load_params(params_path(params, 2021, "dept-05"))
    wb = openpyxl.load_workbook(forms / "2022-dept-05.xlsx")
    where = {r[1]: (r[2], r[3]) for r in wb[L.META_SHEET].iter_rows(values_only=True) if r[0] == L.K_CELL}
    sheet, addr = where["t3.carried_over.total"]
    assert wb[sheet][addr].value == last.value("t3.carried_forward.total")
    sheet, addr = where["t2.normative_documents.in_force"]
    assert wb[sheet][addr].value == last.value("t2.normative_documents.in_force")
    assert form_identity(forms / "2022-dept-05.xlsx") == ("dept-05", 2022)

    rows = _board(office)
    assert {r.state for r in rows.values()} == {"not_submitted"}
    assert rows["dept-01"].deadline == dt.date(2023, 1, 31) and rows["dept-01"].days_left == 6
    assert rows["gov"].deadline == dt.date(2023, 2, 20)

    # round 1: everyone but the late ones, one renamed, one inconsistent, one warned, one stranger
    inbox = root / "inbox1"
    inbox.mkdir()
    for aid, report in this_year.items():
        if aid in LATE:
            continue
        if aid == INCONSISTENT:
            report.cells["t3.new_received.total"].value += 5  # T3-BAL / T3-ROWSUM errors
        if aid == WARNED:
            report.cells["t2.normative_documents.in_force"].value += 1  # X-VALID-21 warning
        name = "回执-第二局.xlsx" if aid == "dept-02" else f"2022-{aid}.xlsx"
        shutil.copy(forms / f"2022-{aid}.xlsx", inbox / name)
        _fill(inbox / name, report)
    stranger = demo_report(_AgencyState(Agency("elsewhere", "外县某局", parent=None), random.Random(1)), 2022)
    from xxgk.render.excel import write_form

    write_form(stranger, inbox / "2022-elsewhere.xlsx")
    result = collect(inbox, 2022, params, roster, now=ROUND1)
    assert len(result.of(MERGED)) == 24 and [o.agency for o in result.of(UNKNOWN)] == ["elsewhere"]
    assert "dept-02" in {o.agency for o in result.of(MERGED)}  # recognised although renamed
    got = load_params(params_path(params, 2022, "dept-04"), roster.agencies())
    assert got.cells == this_year["dept-04"].cells
    state = load_state(params, 2022)
    sub = state.merged("dept-04")[0]
    assert (sub["file"], sub["time"], sub["contact"]) == ("2022-dept-04.xlsx", "2023-01-20T10:00:00", got.contact)

    rows = _board(office)
    assert rows[INCONSISTENT].state == "error" and "T3-BAL" in rows[INCONSISTENT].problems
    assert rows[WARNED].state == "warning" and rows[WARNED].problems == "X-VALID-21"
    assert rows["dept-04"].state == "submitted" and rows["dept-04"].submitted == "2023-01-20"
    assert rows["dept-04"].timeliness == "按时报送" and rows["dept-18"].timeliness == ""
    assert [a for a, r in rows.items() if r.state == "not_submitted"] == ["gov", *sorted(LATE)]
    page = render_html(list(rows.values()), 2022, dt.date(2023, 1, 25))
    assert page.count('data-state="not_submitted"') == 6 and 'value="error" checked' in page

    # the same folder again: nothing changes; a hand edit is protected; a duplicate is not merged
    assert len(collect(inbox, 2022, params, roster, now=ROUND1).of(UNCHANGED)) == 24
    hand = params_path(params, 2022, "dept-05")
    hand.write_text(hand.read_text(encoding="utf-8").replace("preamble:", "# 手工修改\npreamble:"), encoding="utf-8")
    _fill(inbox / "2022-dept-05.xlsx", this_year["dept-06"])  # a corrected form arrives
    shutil.copy(inbox / "2022-dept-06.xlsx", inbox / "2022-dept-06-again.xlsx")
    _fill(inbox / "2022-dept-06-again.xlsx", this_year["dept-05"])
    again = collect(inbox, 2022, params, roster, now=ROUND1)
    assert [o.agency for o in again.of(HAND_EDITED)] == ["dept-05"] and "--force" in again.of(HAND_EDITED)[0].message
    assert {o.agency for o in again.of(DUPLICATE)} == {"dept-06"} and len(again.of(DUPLICATE)) == 2
    assert "# 手工修改" in hand.read_text(encoding="utf-8")
    (inbox / "2022-dept-06-again.xlsx").unlink()

    # the analyst reviews the warning: 已说明, not red; it lapses when the cells change
    assert cli(["review", WARNED, "2022", "X-VALID-21", "--reason", "年中清理规范性文件1件未计入废止", "--by", "张三",
                "--params", str(params)]) == 0  # fmt: skip
    warned = params_path(params, 2022, WARNED)
    assert "年中清理规范性文件1件未计入废止" in warned.read_text(encoding="utf-8")
    rows = _board(office)
    assert rows[WARNED].state == "explained" and rows[WARNED].explained == 1
    report = load_params(warned, roster.agencies())
    (f,) = [f for f in check_report(report, params_dir=params) if f.rule == "X-VALID-21"]
    assert (f.status, f.reason) == ("explained", "年中清理规范性文件1件未计入废止")
    report.cells["t2.normative_documents.in_force"].value += 1
    (f,) = [f for f in check_report(report, params_dir=params) if f.rule == "X-VALID-21"]
    assert f.status == "fail"

    # rollup refuses while members are missing or wrong
    with pytest.raises(UserError) as exc:
        consolidate(roster, "gov", 2022, params)
    assert "dept-18（示例县第18局）: not submitted" in str(exc.value) and "dept-03（示例县第3局）: has errors" in str(exc.value)

    # round 2: the late ones (after the departments' deadline) and the corrected inconsistent one
    inbox2 = root / "inbox2"
    inbox2.mkdir()
    this_year[INCONSISTENT].cells["t3.new_received.total"].value -= 5
    for aid in [*sorted(LATE), INCONSISTENT]:
        shutil.copy(forms / f"2022-{aid}.xlsx", inbox2 / f"2022-{aid}.xlsx")
        _fill(inbox2 / f"2022-{aid}.xlsx", this_year[aid])
    assert len(collect(inbox2, 2022, params, roster, now=ROUND2).of(MERGED)) == 6
    rows = _board(office, dt.date(2023, 2, 7))
    assert rows["dept-18"].submitted == "2023-02-06" and rows["dept-18"].days_left == -7
    assert rows[INCONSISTENT].state == "submitted"
    assert (rows["dept-18"].timeliness, rows["town-9"].late_days) == ("逾期6天报送", 6)

    # consolidation: every cell the sum of the 29 members, checked against a hand computation
    report, problems = consolidate(roster, "gov", 2022, params)
    assert problems == [] and report.members == DEPTS + TOWNS
    hand_sum = sum(this_year[a].value("t3.new_received.total") for a in DEPTS + TOWNS)
    assert report.value("t3.new_received.total") == hand_sum
    assert report.value("t2.normative_documents.issued") == sum(this_year[a].value("t2.normative_documents.issued")
                                                                 for a in DEPTS + TOWNS)  # fmt: skip
    assert report.provenance["t3.new_received.total"].source.startswith(
        f"汇总：dept-01 {this_year['dept-01'].value('t3.new_received.total')}＋dept-02 ")
    gov = params_path(params, 2022, "gov")
    assert cli(["rollup", "--agency", "gov", "--year", "2022", "--params", str(params)]) == 0
    consolidated = load_params(gov, roster.agencies())
    assert [f for f in check_report(consolidated, params_dir=params) if f.rule == "H-SUM"] == []

    # H-SUM on a tampered consolidated file
    text = gov.read_text(encoding="utf-8")
    consolidated.cells["t3.new_received.total"].value += 2
    save_params(consolidated, gov)
    (f,) = [f for f in check_report(load_params(gov, roster.agencies()), params_dir=params) if f.rule == "H-SUM"]
    assert f.severity == "error" and f.cells == ("t3.new_received.total",)
    assert f"汇总报告为{hand_sum + 2}，成员单位之和为{hand_sum}" in f.message and "dept-01 " in f.message
    gov.write_text(text, encoding="utf-8")

    # the follow-up list as CSV, formula-like cells neutralised
    rows = board_rows(roster, 2022, params, root / "build", dt.date(2023, 2, 7))
    rows[0].problems = "=HYPERLINK(1)"
    table = list(csv.DictReader(io.StringIO(render_csv(rows))))
    assert len(table) == 30 and table[0]["problems"] == "'=HYPERLINK(1)"
    rows[0].days_left = -3  # a number stays a number: only text is neutralised
    assert list(csv.DictReader(io.StringIO(render_csv(rows))))[0]["days_left"] == "-3"


def test_rollup_blank_only_where_every_member_is_blank(office, tmp_path):
    _, params, roster, this_year = office
    p2 = tmp_path / "params"
    shutil.copytree(params, p2)
    a, b = copy.deepcopy(this_year["town-1"]), copy.deepcopy(this_year["town-2"])
    a.cells["t2.fees.amount"] = type(a.cells["t2.fees.amount"]).blank()
    b.cells["t2.fees.amount"] = type(b.cells["t2.fees.amount"]).blank()
    a.cells["t2.licensing.decisions"] = type(a.cells["t2.licensing.decisions"]).blank()
    save_params(a, params_path(p2, 2022, "town-1"))
    save_params(b, params_path(p2, 2022, "town-2"))
    report, _ = consolidate(roster, "gov", 2022, p2, members=["town-1", "town-2"], allow_incomplete=True)
    assert report.cell("t2.fees.amount").state == "blank"
    assert report.value("t2.licensing.decisions") == b.value("t2.licensing.decisions")
    assert report.provenance["t2.licensing.decisions"].source == f"汇总：town-2 {b.value('t2.licensing.decisions')}"


def test_build_every_report_and_the_consolidated_one(office):
    """A real build (HTML only) of all 30 reports of the year: the reviewed report's analysis page says 已说明 with
    the reason, the consolidated one passes H-SUM, and the board says built / published for the current outputs."""
    import json
    import time

    from tests.batch.test_batch_run import xxgk

    root, params, roster, _ = office
    if not params_path(params, 2022, "gov").is_file():
        pytest.skip("needs test_the_whole_january")
    out = root / "build"
    t0 = time.perf_counter()
    r = xxgk("build", "--params", params, "--out", out, "--year", "2022", "--formats", "html", "--jobs", 2,
             "--quiet", "--no-site", timeout=300)  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    assert "30 reports selected" in r.stdout and "30 built, 0 failed" in r.stdout
    assert time.perf_counter() - t0 < 120
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert sorted(k for k in entries if k.startswith("2022/")) == sorted(f"2022/{m}" for m in roster.members)
    assert all((out / "2022" / m / "report.html").is_file() for m in roster.members)
    page = (out / "2022" / WARNED / "analysis.html").read_text(encoding="utf-8")
    assert "已说明" in page and "年中清理规范性文件1件未计入废止" in page
    assert "H-SUM" not in (out / "2022" / "gov" / "analysis.html").read_text(encoding="utf-8")
    assert entries["2022/gov"]["checks"]["errors"] == 0
    rows = _board(office, dt.date(2023, 2, 7))
    assert (rows[WARNED].state, rows[WARNED].explained) == ("published", 1)  # built and its date has passed
    assert rows["gov"].state == "incomplete"  # the consolidated report's narrative is still to be written
    assert not any(x.stale for x in rows.values())
    assert {x.state for a, x in rows.items() if a != "gov"} <= {"published", "warning", "explained"}
    # timeliness: the late round came 6 days after the departments' and towns' 31 January
    assert {rows[a].timeliness for a in LATE} == {"逾期6天报送"}
    assert rows["dept-01"].timeliness == rows[INCONSISTENT].timeliness == "按时报送"  # judged on the first submission
    text = render_text(list(rows.values()))
    assert "（2023-02-06，逾期6天报送）" in text and "共 30 个单位" in text
