"""The analysis page of a consolidated report (本级政府汇总报告, ``members:`` in its params file): its members side
by side — applications, share granted (予以公开), reviews and the review correction rate (复议纠错率) — and the
members contributing most to each row of 表三."""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path

from xxgk.errors import UserError
from xxgk.model import Report
from xxgk.params import load_params
from xxgk.render.appendix import _value as _num  # a cell's number, None where the format has no such cell

TOP = 3  # contributors named per 表三 row
COLUMNS = ("成员单位", "本年新收申请", "予以公开", "予以公开占比", "行政复议", "复议纠错", "复议纠错率")


def load_members(report: Report, params_dir: str | Path) -> tuple[list[Report], list[str]]:
    """The member reports of the same year found in the params directory, and the ids not found or unreadable."""
    found, missing = [], []
    for aid in report.members:
        path = Path(params_dir) / str(report.year) / f"{aid}.yaml"
        try:
            found.append(load_params(path))
        except UserError:
            missing.append(aid)
    return found, missing


def _share(part, whole) -> str:
    if part is None or not whole:
        return "—"
    return f"{Decimal(part) * 100 / Decimal(whole):.1f}%"


def _n(v) -> str:
    return "" if v is None else html.escape(str(v))


def comparison_rows(members: list[Report]) -> list[list[str]]:
    """One row per member: name, new applications, granted, share granted, reviews, corrected, correction rate."""
    rows = []
    for m in sorted(members, key=lambda r: -(_num(r, "t3.new_received.total") or 0)):
        new, granted = _num(m, "t3.new_received.total"), _num(m, "t3.granted.total")
        handled = _num(m, "t3.total_handled.total")
        review, corrected = _num(m, "t4.review.total"), _num(m, "t4.review.corrected")
        rows.append([m.agency.name, _n(new), _n(granted), _share(granted, handled), _n(review), _n(corrected),
                     _share(corrected, review)])  # fmt: skip
    return rows


def top_contributors(report: Report, members: list[Report], top: int = TOP) -> list[tuple[str, str]]:
    """For each 表三 row with a non-zero total in the consolidated report: its label and the largest members."""
    out = []
    for row in report.fmt.table("t3").rows:
        cid = f"t3.{row.id}.total"
        total = _num(report, cid)
        if not total:
            continue
        ranked = sorted(((_num(m, cid) or 0, m.agency.name) for m in members), reverse=True)
        named = [f"{name} {v}（{_share(v, total)}）" for v, name in ranked[:top] if v]
        out.append((f"{row.group} {row.label}" if row.group else row.label, "、".join(named)))  # 「（三）不予公开 5.…」
    return out


def members_html(report: Report, params_dir: str | Path) -> str:
    """The members side by side and the top contributors per 表三 row (empty for a report that is not consolidated)."""
    if not report.members:
        return ""
    members, missing = load_members(report, params_dir)
    head = "".join(f"<th>{c}</th>" for c in COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c) if i == 0 else c}</td>" for i, c in enumerate(r)) + "</tr>"
                   for r in comparison_rows(members))  # fmt: skip
    parts = [f"<h3>四、成员单位对比（汇总 {len(report.members)} 家）</h3>",
             f'<table class="findings-table members"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>']  # fmt: skip
    if missing:
        parts.append(f'<p class="note">未找到或无法读取的成员单位参数文件：{html.escape("、".join(missing))}</p>')
    contrib = "".join(f"<tr><td>{html.escape(label)}</td><td>{html.escape(names)}</td></tr>"
                      for label, names in top_contributors(report, members))  # fmt: skip
    if contrib:
        parts.append("<h4>表三各项的主要贡献单位</h4>"
                     f'<table class="findings-table contributors"><thead><tr><th>项目</th><th>前{TOP}位成员单位（占汇总数）</th></tr>'
                     f"</thead><tbody>{contrib}</tbody></table>")  # fmt: skip
    return "\n".join(parts)
