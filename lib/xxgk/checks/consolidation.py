"""The consolidated 本级政府 report: its tables are the sum of its members' (rule H-SUM), cell by cell, blank
only where every member is blank."""

from __future__ import annotations

from pathlib import Path

from xxgk.checks.base import ERROR, NOT_ASSESSABLE, WARNING, Finding, rule
from xxgk.checks.context import Ctx
from xxgk.errors import UserError
from xxgk.model import Report
from xxgk.values import canonical_text

SUMMED_TABLES = ("t2", "t3", "t4")


def summed_cells(fmt) -> list[str]:
    """The cells a consolidated report sums: every cell of 表二–表四."""
    return [cid for t in SUMMED_TABLES for cid in fmt.cell_ids(t)]


def cell_sum(values):
    """The sum of the members' values of one cell: None (blank) only where every member is blank."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def show(value) -> str:
    """A value as messages write it: the number or 「空白」."""
    return "空白" if value is None else canonical_text(value)


def load_members(report: Report) -> tuple[dict[str, Report], list[str]]:
    """The member reports of a consolidated report (same year directory), and the ids whose file is missing."""
    from xxgk.params import load_params
    from xxgk.roster import load_roster, roster_path

    year_dir = Path(report.source).parent
    rpath = roster_path(year_dir.parent)
    agencies = load_roster(rpath).agencies() if rpath.is_file() else None
    found, missing = {}, []
    for mid in report.members:
        path = year_dir / f"{mid}.yaml"
        if path.is_file():
            found[mid] = load_params(path, agencies)
        else:
            missing.append(mid)
    return found, missing


@rule("H-SUM", ERROR, "汇总报告各表等于成员单位之和")
def h_sum(ctx: Ctx):
    """A consolidated report's 表二–表四 cells equal the sum of its members' cells."""
    r = ctx.report
    if not r.members:
        return []
    if not r.source:
        return [Finding("H-SUM", WARNING, NOT_ASSESSABLE, "[H-SUM] 汇总报告未从文件读取，无法读取成员单位数据", ())]
    try:
        members, missing = load_members(r)
    except UserError as exc:
        return [Finding("H-SUM", WARNING, NOT_ASSESSABLE, f"[H-SUM] 成员单位数据无法读取：{exc}", ())]
    if missing:
        return [Finding("H-SUM", WARNING, NOT_ASSESSABLE,
                        f"[H-SUM] 成员单位 {'、'.join(missing)} 的本年度数据文件不存在，无法核对汇总数", ())]  # fmt: skip
    out = []
    for cid in summed_cells(ctx.fmt):
        vals = [(mid, m.value(cid) if m.fmt.has_cell(cid) else None) for mid, m in members.items()]
        expected = cell_sum(v for _, v in vals)
        actual = ctx.value(cid)
        if actual != expected:
            parts = "＋".join(f"{mid} {show(v)}" for mid, v in vals)
            out.append(Finding("H-SUM", ERROR, "fail",
                               f"[H-SUM] {ctx.table_name(cid)} {ctx.row_label(cid)}/{ctx.column_label(cid)}：汇总报告为{show(actual)}，成员单位之和为{show(expected)}"
                               f"（{parts}）", (cid,)))  # fmt: skip
    return out
