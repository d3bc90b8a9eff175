"""Building reports for checker tests: clean defaults, consistent 表三 from outcomes, corpus narrative split."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from xxgk.checks import check_report
from xxgk.formats import get_format
from xxgk.model import Agency, Cell, Report

#: section texts that satisfy P3, P5 (a department's report), P8 and N-FEE, too short for X-SIMILAR, and that no
#: narrative rule reads numbers from
CLEAN_SECTIONS = {
    "s1": "做好主动公开、依申请公开、信息管理、平台建设和监督保障工作。",
    "s5": "存在的主要问题是公开深度不够，下一步将加强培训并完善制度。",
    "s6": "本年度没有收取信息处理费。",
}


def put(report: Report, table: str, row: str, values) -> None:
    """Set one row of a table; ``None`` is a blank cell, ``"na"`` not applicable."""
    specs = report.fmt.row_cells(table, row)
    assert len(specs) == len(values), (row, len(specs), len(values))
    for spec, v in zip(specs, values):
        if v is None:
            report.cells[spec.id] = Cell.blank()
        elif v == "na":
            report.cells[spec.id] = Cell(None, "na", "不适用")
        else:
            report.cells[spec.id] = Cell.of(Decimal(v) if isinstance(v, str) else v)


def make(
    format_id: str = "2021",
    year: int | None = None,
    *,
    agency_id: str = "demo-agency",
    name: str = "示例局",
    level: str = "县级以上人民政府部门",
    published: dt.date | None = None,
    preamble: str = "",
    sections: dict | None = None,
    t2: dict | None = None,
    t3: dict | None = None,
    t4: dict | None = None,
) -> Report:
    """A report whose every cell is 0 unless given, with clean section texts; rows as {row id: values}."""
    year = year or (2020 if format_id == "2019" else 2021)
    r = Report(Agency(agency_id, name, level), year, format_id, published=published, preamble=preamble)
    r.sections = {**CLEAN_SECTIONS, **(sections or {})}
    for cid in r.fmt.cell_ids():
        r.cells[cid] = Cell.of(0)
    for table, rows in (("t2", t2), ("t3", t3), ("t4", t4)):
        for row, values in (rows or {}).items():
            put(r, table, row, values)
    return r


def t3_rows(format_id: str, outcomes: dict, carried_in=None, carry_out=None) -> dict:
    """A consistent 表三 as {row: 7 values} from the six applicant columns of the outcome rows and carries."""
    fmt = get_format(format_id)
    zero = [0] * 6
    carried_in, carry_out = carried_in or zero, carry_out or zero
    rows = [r.id for r in fmt.table("t3").rows]
    outcome_rows = [r for r in rows if r not in ("new_received", "carried_over", "total_handled", "carried_forward")]
    parts = {r: list(outcomes.get(r, zero)) for r in outcome_rows}
    handled = [sum(parts[r][i] for r in outcome_rows) for i in range(6)]
    new = [h + o - c for h, o, c in zip(handled, carry_out, carried_in)]
    assert all(v >= 0 for v in new), new
    parts.update(
        new_received=new, carried_over=list(carried_in), total_handled=handled, carried_forward=list(carry_out)
    )
    return {r: [*parts[r], sum(parts[r])] for r in rows}


def t4_rows(review=(0, 0, 0, 0), direct=(0, 0, 0, 0), after=(0, 0, 0, 0)) -> dict:
    """A consistent 表四 from the four outcomes of each group."""
    return {k: [*v, sum(v)] for k, v in (("review", review), ("direct_suit", direct), ("suit_after_review", after))}


def rules_of(findings) -> list[str]:
    """The rule IDs of findings, in order."""
    return [f.rule for f in findings]


def only(report: Report, rule_id: str, previous: Report | None = None):
    """The findings of one rule."""
    return [f for f in check_report(report, previous) if f.rule == rule_id]


def split_narrative(text: str, format_id: str) -> tuple[str, dict[str, str]]:
    """Split a published report's text at the numbered headings 一…六: (preamble, {s1: …}).

    A heading is the numeral with 「、」 and the first four characters of the title or an alias, searched
    in order. The table sections 二–四 are left empty: the tests give their tables as data.
    """
    fmt = get_format(format_id)
    found, pos = [], 0
    for s in fmt.sections:
        titles = (s.title, *s.aliases)
        at = min(i for i in (text.find(f"{s.numeral}、{t[:4]}", pos) for t in titles) if i >= 0)
        full = [f"{s.numeral}、{t}" for t in titles if text.startswith(f"{s.numeral}、{t}", at)]
        body = at + (len(full[0]) if full else len(s.numeral) + 5)
        found.append((s.id, at, body))
        pos = at + 1
    sections = {}
    for i, (sid, _, body) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(text)
        sections[sid] = "" if sid in ("s2", "s3", "s4") else text[body:end].strip()
    return text[: found[0][1]].strip(), sections


def strip_html(html: str) -> str:
    """Plain text of an HTML page: paragraphs and rows become lines."""
    import html as html_lib

    t = re.sub(r"</(?:p|tr|div|h\d)>", "\n", html)
    t = re.sub(r"<[^>]+>", "", t)
    return html_lib.unescape(t)
