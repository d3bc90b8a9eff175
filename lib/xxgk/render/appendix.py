"""The analyst appendix (checker findings, charts, year-over-year trends), exported as ``analysis.html``.

Not part of the published report.

Chart labels come from the format data (table rows and columns), never from lists written here.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from xxgk.model import Report
from xxgk.params import discover, load_params

#: cell ids common to both formats that the charts read (ids are data keys, labels come from the format)
T3_NEW, T3_HANDLED, T3_FORWARD = "new_received", "total_handled", "carried_forward"
T2_DECISION_ROWS = ("licensing", "punishment", "coercion")
T4_GROUPS = ("review", "direct_suit", "suit_after_review")

SEVERITY = {"error": "错误", "warning": "警告"}
STATUS = {"fail": "未通过", "not_assessable": "无法判断", "pass": "通过", "explained": "已说明"}
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")
_ANNOTATION = re.compile(r"（[^（）]*）$")


def short_label(label: str) -> str:
    """An official label without its numbering (「一、」「（三）」「1.」) or trailing note in brackets, for charts."""
    return _ANNOTATION.sub("", _NUMBERING.sub("", label)) or label


def appendix_head_html(report: Report) -> str:
    """The analysis heading (the top of ``analysis.html``; a new page after the 落款 in the notebook): names the
    report it is about and says it is not part of the published report."""
    return ('<div class="appendix-head"><h2>分析资料</h2>'
            f'<p class="appendix-meta">{html.escape(report.title)}　格式：{html.escape(report.fmt.document)}</p>'
            '<p class="appendix-warning">本资料供分析人员使用，不属于公开发布的政府信息公开工作年度报告。</p></div>')  # fmt: skip


def findings_html(findings, summary: dict) -> str:
    """The checker findings as a table (rule ID, severity, status, message, cells); passed rules are not listed."""
    shown = [f for f in findings if f.status != "pass"]
    counts = (f"错误 {summary.get('errors', 0)} 项，警告 {summary.get('warnings', 0)} 项，"
              f"无法判断 {summary.get('not_assessable', 0)} 项。")  # fmt: skip
    explained = sum(1 for f in shown if f.status == "explained")
    if explained:
        counts += f"另有已说明 {explained} 项（分析人员已审核，数值未变）。"
    out = ['<section class="findings"><h3>一、校验结果</h3>', f"<p>{counts}</p>"]
    if not shown:
        out.append("<p>未发现问题：全部校验规则通过。</p></section>")
        return "\n".join(out)
    out.append('<table class="findings-table"><thead><tr><th>规则</th><th>级别</th><th>状态</th>'
               "<th>说明</th><th>单元格</th></tr></thead><tbody>")  # fmt: skip
    for f in shown:
        cls = f"{f.status} {f.severity}"
        out.append(
            f'<tr class="{html.escape(cls, quote=True)}"><td class="rule">{html.escape(f.rule)}</td>'
            f"<td>{SEVERITY.get(f.severity, html.escape(f.severity))}</td>"
            f"<td>{STATUS.get(f.status, html.escape(f.status))}</td><td>{html.escape(f.message)}{_reason(f)}</td>"
            f'<td class="cells">{"<br>".join(html.escape(c) for c in f.cells)}</td></tr>'
        )
    out.append("</tbody></table></section>")
    return "\n".join(out)


def _reason(finding) -> str:
    reason = getattr(finding, "reason", None)
    return f'<br><span class="review-reason">说明：{html.escape(reason)}</span>' if reason else ""


def figure_html(svg: str, caption: str) -> str:
    """A chart with its caption."""
    return f'<figure class="chart">{svg}<figcaption>{html.escape(caption)}</figcaption></figure>'


def note_html(text: str) -> str:
    """A short explanatory paragraph in the appendix."""
    return f'<p class="appendix-note">{html.escape(text)}</p>'


def _t3(report: Report):
    table = report.fmt.table("t3")
    (block,) = table.blocks
    total = next(c for c in block.columns if c.role == "total")
    return table, block, total


def applicant_data(report: Report) -> tuple[list[str], list]:
    """New applications by applicant type (表三 first row, every column but 总计)."""
    table, block, _ = _t3(report)
    labels = [f"{c.group}·{c.label}" if c.group else c.label for c in block.columns if c.role != "total"]
    values = [report.value(f"t3.{T3_NEW}.{c.id}") for c in block.columns if c.role != "total"]
    return labels, values


def outcome_data(report: Report) -> tuple[list[str], list]:
    """Handled applications by outcome group (（一）…（六）, summed over sub-rows, 总计 column)."""
    table, block, total = _t3(report)
    parent = next(r.parent for r in block.rows if r.role == "total" and r.parent)
    groups: dict[str, list] = {}
    for row in block.rows:
        if row.parent == parent and row.role != "total":
            groups.setdefault(row.group or row.label, []).append(report.value(f"t3.{row.id}.{total.id}"))
    labels = [short_label(g) for g in groups]
    values = [None if all(v is None for v in vs) else sum(v for v in vs if v is not None) for vs in groups.values()]
    return labels, values


def all_zero(values) -> bool:
    """True when no value is a positive number (all zero or blank)."""
    return not any(v for v in values if v is not None)


def history(report: Report, params_dir: str | Path) -> list[Report]:
    """Earlier reports of the same agency found in the params directory, oldest first."""
    return [load_params(path) for year, agency, path in discover(params_dir)
            if agency == report.agency.id and year < report.year]  # fmt: skip


def _value(report: Report, cell_id: str):
    return report.value(cell_id) if report.fmt.has_cell(cell_id) else None


def _row_name(row) -> str:
    name = short_label(row.label)
    return f"{short_label(row.parent)}（{name}）" if row.parent else name


def trend_series(reports: list[Report]) -> list[tuple[str, dict[str, list]]]:
    """Per-year series for the trend charts: applications, review/litigation, decisions (labels from the format)."""
    last = reports[-1]
    t3 = last.fmt.table("t3")
    (block,) = t3.blocks
    total = next(c for c in block.columns if c.role == "total").id
    rows = {r.id: r for r in block.rows}
    apps = {_row_name(rows[rid]): [_value(r, f"t3.{rid}.{total}") for r in reports] for rid in (T3_NEW, T3_HANDLED, T3_FORWARD)}
    t4 = last.fmt.table("t4")
    (b4,) = t4.blocks
    t4_total = next(c for c in b4.columns if c.role == "total").id
    suits: dict[str, list] = {}
    for row in b4.rows:
        key = row.parent or row.label
        vals = [_value(r, f"t4.{row.id}.{t4_total}") for r in reports]
        prev = suits.get(key)
        suits[key] = vals if prev is None else [None if a is None and b is None else (a or 0) + (b or 0)
                                                for a, b in zip(prev, vals)]  # fmt: skip
    t2 = last.fmt.table("t2")
    decisions = {}
    for rid in T2_DECISION_ROWS:
        row = next((r for r in t2.rows if r.id == rid), None)
        if row is not None:
            decisions[row.label] = [_value(r, f"t2.{rid}.decisions") for r in reports]
    return [("依申请公开办理情况", apps), (t4.title, suits), ("行政许可、处罚、强制处理决定数量", decisions)]
