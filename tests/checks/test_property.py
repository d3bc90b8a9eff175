"""Properties: random consistent reports pass every identity rule; any single changed value breaks one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.checks.helpers import make, t3_rows, t4_rows
from xxgk.checks import check_report
from xxgk.formats import get_format
from xxgk.model import Cell

IDENTITY_RULES = {"T3-BAL", "T3-ROWSUM", "T3-R7", "T3-NONNEG", "T4-GROUP", "T4-NONNEG", "T2-19-INT", "T2-21-INT"}
counts = st.integers(min_value=0, max_value=40)
six = st.lists(counts, min_size=6, max_size=6)
four = st.tuples(counts, counts, counts, counts)


@st.composite
def consistent_reports(draw, format_id=None):
    """A report whose 表三 is built from drawn outcomes and carries (totals derived), 表四 from drawn outcomes."""
    format_id = format_id or draw(st.sampled_from(["2019", "2021"]))
    fmt = get_format(format_id)
    fixed = {"new_received", "carried_over", "total_handled", "carried_forward"}
    outcome_rows = [r.id for r in fmt.table("t3").rows if r.id not in fixed]
    chosen = draw(st.lists(st.sampled_from(outcome_rows), unique=True, max_size=8))
    outcomes = {row: draw(six) for row in chosen}
    handled = [sum(v[i] for v in outcomes.values()) for i in range(6)]
    carry_out = draw(six)
    # carried in may not exceed what was handled or carried forward (the new applications are what is left)
    carried_in = [draw(st.integers(0, h + o)) for h, o in zip(handled, carry_out)]
    t3 = t3_rows(format_id, outcomes, carried_in=carried_in, carry_out=carry_out)
    t4 = t4_rows(draw(four), draw(four), draw(four))
    t2 = {}
    for block in fmt.table("t2").blocks:
        for row in block.rows:
            t2[row.id] = [draw(st.integers(-5, 5)) if c.type == "signed" else draw(counts) for c in block.columns]
    return make(format_id, t2=t2, t3=t3, t4=t4)


def failed_identities(report) -> set[str]:
    return {f.rule for f in check_report(report) if f.rule in IDENTITY_RULES and f.status == "fail"}


@settings(max_examples=150, deadline=None)
@given(consistent_reports())
def test_consistent_reports_pass_every_identity_rule(report):
    assert {f.rule for f in check_report(report)} & IDENTITY_RULES == set()


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_single_change_breaks_an_identity(data):
    report = data.draw(consistent_reports())
    cid = data.draw(st.sampled_from(report.fmt.cell_ids("t3") + report.fmt.cell_ids("t4")))
    k = data.draw(st.integers(-50, 50).filter(bool))
    report.cells[cid] = Cell.of(report.value(cid) + k)
    assert failed_identities(report), (cid, k)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_carry_over_between_consistent_years(data):
    prev = data.draw(consistent_reports("2021"))
    cur = data.draw(consistent_reports("2021"))
    cur.year = prev.year + 1
    for spec in cur.fmt.row_cells("t3", "carried_over"):
        cur.cells[spec.id] = Cell.of(prev.value(spec.id.replace("carried_over", "carried_forward")))
    assert not [f for f in check_report(cur, prev) if f.rule == "X-CARRY"]
    column = data.draw(st.sampled_from(cur.fmt.row_cells("t3", "carried_over"))).id
    cur.cells[column] = Cell.of(cur.value(column) + data.draw(st.integers(1, 9)))
    (f, *_) = [f for f in check_report(cur, prev) if f.rule == "X-CARRY"]
    assert (f.severity, f.status, f.cells[0]) == ("error", "fail", column)
