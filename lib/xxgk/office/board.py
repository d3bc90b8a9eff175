"""``xxgk status --year Y``: per roster agency, where its report stands (not submitted … published), its statutory
deadline (rule P1's dates) and days left; printed, as ``build/<year>/status.html`` with filters, or as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from dataclasses import dataclass
from pathlib import Path

from xxgk.checks import check_report
from xxgk.checks.base import EXPLAINED
from xxgk.checks.procedural import DEADLINES
from xxgk.checks.status import STATE_CLEAN, STATE_ERROR, STATE_INCOMPLETE, STATE_WARNING, report_state
from xxgk.errors import UserError
from xxgk.office.state import load_state
from xxgk.params import load_params, params_path
from xxgk.params_review import member_files
from xxgk.params_write import write_text_atomic
from xxgk.roster import Roster
from xxgk.validate import csv_safe

NOT_SUBMITTED, SUBMITTED, EXPLAINED_STATE, BUILT, PUBLISHED = "not_submitted", "submitted", "explained", "built", "published"
#: board states, in the order of the filters
BOARD_STATES = (NOT_SUBMITTED, STATE_ERROR, STATE_INCOMPLETE, STATE_WARNING, EXPLAINED_STATE, SUBMITTED, BUILT,
                PUBLISHED)  # fmt: skip
LABELS = {NOT_SUBMITTED: "未报送", SUBMITTED: "已报送", STATE_ERROR: "有错误", STATE_INCOMPLETE: "不完整",
          STATE_WARNING: "有警告", EXPLAINED_STATE: "已说明", BUILT: "已生成", PUBLISHED: "已公开"}  # fmt: skip
CSV_COLUMNS = ("agency", "name", "group", "level", "state", "state_label", "submitted", "timeliness", "late_days",
               "contact", "deadline", "days_left", "errors", "warnings", "explained", "stale", "problems")  # fmt: skip
STALE_NOTE = "报告早于其输入，需重新生成"


@dataclass
class Row:
    """One agency's line of the board."""

    agency: str
    name: str
    group: str
    level: str
    state: str
    submitted: str | None
    contact: str | None
    deadline: dt.date
    days_left: int
    errors: int = 0
    warnings: int = 0
    explained: int = 0
    problems: str = ""
    first_submitted: str | None = None  # what timeliness is judged on: the first submission collect merged
    stale: bool = False  # report.html exists but is older than one of its inputs

    @property
    def late_days(self) -> int | None:
        """Days the first submission came after the deadline (0: on time; None: not submitted)."""
        if not self.first_submitted:
            return None
        return max(0, (dt.date.fromisoformat(self.first_submitted) - self.deadline).days)

    @property
    def timeliness(self) -> str:
        """按时报送 / 逾期N天报送, empty when not submitted or not through collect."""
        late = self.late_days
        return "" if late is None else "按时报送" if late == 0 else f"逾期{late}天报送"


def deadline(level: str, year: int) -> dt.date:
    """The deadline of a level's report for ``year``: rule P1's first date (a consolidated county report is due
    2月20日 by the notices even though the statute's outer limit is 3月31日; the board never calls it on time later)."""
    month, day = DEADLINES[level][0][0]
    return dt.date(year + 1, month, day)


def built_current(html: Path, inputs: list[Path]) -> tuple[bool, bool]:
    """(built, stale): whether ``html`` exists and is newer than every existing input."""
    if not html.is_file():
        return False, False
    newest = max((p.stat().st_mtime_ns for p in inputs if p.is_file()), default=0)
    fresh = html.stat().st_mtime_ns > newest
    return fresh, not fresh


def board_rows(roster: Roster, year: int, params_dir: str | Path, out_dir: str | Path,
               today: dt.date | None = None) -> list[Row]:  # fmt: skip
    """The board: one row per roster agency, in roster order."""
    today = today or dt.date.today()
    state = load_state(params_dir, year)
    agencies = roster.agencies()
    rows = []
    for m in roster.members.values():
        due = deadline(m.level, year)
        merged = state.merged(m.id)
        row = Row(m.id, m.name, m.group or "", m.level, NOT_SUBMITTED, merged[-1]["time"][:10] if merged else None,
                  (merged[-1].get("contact") if merged else None) or m.contact, due, (due - today).days)  # fmt: skip
        path = params_path(params_dir, year, m.id)
        if path.is_file():
            try:
                report = load_params(path, agencies)
                findings = check_report(report, params_dir=params_dir)
            except UserError as exc:
                row.state, row.errors, row.problems = STATE_ERROR, 1, str(exc).splitlines()[0]
                rows.append(row)
                continue
            failed = [f for f in findings if f.status == "fail"]
            row.errors = sum(1 for f in failed if f.severity == "error")
            row.warnings = sum(1 for f in failed if f.severity == "warning")
            row.explained = sum(1 for f in findings if f.status == EXPLAINED)
            row.problems = "；".join(f.rule for f in failed)
            row.state = report_state(findings, report)
            built, row.stale = built_current(Path(out_dir) / str(year) / m.id / "report.html",
                                               [path, *member_files(params_dir, year, report.members)])
            if row.state == STATE_CLEAN:
                if built and report.published and report.published <= today:
                    row.state = PUBLISHED
                elif built:
                    row.state = BUILT
                else:
                    row.state = EXPLAINED_STATE if row.explained else SUBMITTED
            row.submitted = row.submitted or dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
            # judged only on a logged submission: a file's date says when it was last written, not when it arrived
            row.first_submitted = merged[0]["time"][:10] if merged else None
        rows.append(row)
    return rows


def _left(r: Row) -> str:
    """Days left (or overdue) to the deadline: what matters while a report is still awaited."""
    if r.state != NOT_SUBMITTED:
        return ""
    return f"剩{r.days_left}天" if r.days_left >= 0 else f"逾期{-r.days_left}天"


def render_text(rows: list[Row]) -> str:
    """The board as plain text lines."""
    out = []
    for r in rows:
        timely = f"，{r.timeliness}" if r.timeliness else ""
        when = f"（{r.submitted}{timely}）" if r.submitted and r.state != NOT_SUBMITTED else ""
        left = _left(r)
        extra = (f"  {r.problems}" if r.problems else "") + (f"  （{STALE_NOTE}）" if r.stale else "")
        out.append(f"{r.agency:<20} {LABELS[r.state]}{when}  截止{r.deadline.isoformat()}{' ' + left if left else ''}"
                   f"  {r.name}{extra}")
    counts = "，".join(f"{LABELS[s]} {n}" for s in BOARD_STATES if (n := sum(1 for r in rows if r.state == s)))
    out.append(f"共 {len(rows)} 个单位：{counts}")
    return "\n".join(out) + "\n"


def render_csv(rows: list[Row]) -> str:
    """The board as CSV, cells that a spreadsheet would run as formulas neutralised."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in rows:
        w.writerow(["" if v is None else csv_safe(v) for v in (r.agency, r.name, r.group, r.level, r.state, LABELS[r.state], r.submitted,
                                           r.timeliness, r.late_days, r.contact, r.deadline.isoformat(), r.days_left,
                                           r.errors, r.warnings, r.explained, int(r.stale), r.problems)])  # fmt: skip
    return buf.getvalue()


_SCRIPT = """<script>
document.querySelectorAll('.filters input').forEach(function (box) {
  box.addEventListener('change', function () {
    var on = {};
    document.querySelectorAll('.filters input:checked').forEach(function (b) { on[b.value] = true; });
    document.querySelectorAll('tbody tr').forEach(function (tr) { tr.hidden = !on[tr.dataset.state]; });
  });
});
</script>"""


def render_html(rows: list[Row], year: int, today: dt.date) -> str:
    """The board page: a table with one checkbox filter per state (plain JS); every text escaped."""
    e = html.escape
    filters = "".join(
        f'<label><input type="checkbox" value="{s}" checked> {LABELS[s]} '
        f"({sum(1 for r in rows if r.state == s)})</label> "
        for s in BOARD_STATES
    )
    body = []
    for r in rows:
        left = _left(r)
        body.append(
            f'<tr data-state="{r.state}" class="{r.state}"><td>{e(r.agency)}</td><td>{e(r.name)}</td>'
            f"<td>{e(r.group)}</td><td>{LABELS[r.state]}{'（' + STALE_NOTE + '）' if r.stale else ''}</td>"
            f"<td>{e(r.submitted or '')}</td><td>{r.timeliness}</td>"
            f"<td>{e(r.contact or '')}</td><td>{r.deadline.isoformat()}</td><td>{left}</td>"
            f"<td>{r.errors}</td><td>{r.warnings}</td><td>{r.explained}</td><td>{e(r.problems)}</td></tr>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{year}年度报告报送情况</title><style>body{{font-family:sans-serif}}table{{border-collapse:collapse}}"
        "td,th{border:1px solid #ccc;padding:2px 6px}.error td{background:#fdd}.incomplete td{background:#ffe}"
        ".warning td{background:#fec}.not_submitted td{color:#888}.published td{background:#dfd}</style></head><body>"
        f"<h1>{year}年度政府信息公开工作年度报告报送情况</h1><p>统计日期：{today.isoformat()}，共 {len(rows)} 个单位。</p>"
        f'<p class="filters">{filters}</p><table><thead><tr><th>标识</th><th>单位</th><th>类别</th><th>状态</th>'
        "<th>报送日期</th><th>报送情况</th><th>联系方式</th><th>法定截止</th><th>剩余</th><th>错误</th><th>警告</th><th>已说明</th>"
        f"<th>问题规则</th></tr></thead><tbody>{''.join(body)}</tbody></table>{_SCRIPT}</body></html>\n"
    )


def write_board(rows: list[Row], year: int, out_dir: str | Path, today: dt.date) -> Path:
    """Write ``<out_dir>/<year>/status.html`` atomically."""
    return write_text_atomic(Path(out_dir) / str(year) / "status.html", render_html(rows, year, today))
