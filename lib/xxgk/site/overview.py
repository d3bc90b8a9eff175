"""Overview of one report year across agencies: totals, rankings, distributions, reports' states and the
comparison with earlier years. ``notebooks/overview.ipynb`` only calls the ``show_*`` functions."""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.model import Report

#: per-report measures: name → (Chinese label, cell ids summed)
MEASURES = {
    "new": ("本年新收申请", ("t3.new_received.total",)),
    "carried_in": ("上年结转", ("t3.carried_over.total",)),
    "handled": ("办结（总计）", ("t3.total_handled.total",)),
    "granted": ("予以公开", ("t3.granted.total",)),
    "partly": ("部分公开", ("t3.partly_granted.total",)),
    "forward": ("结转下年度", ("t3.carried_forward.total",)),
    "review": ("行政复议", ("t4.review.total",)),
    "review_corrected": ("复议纠正", ("t4.review.corrected",)),
    "review_pending": ("复议尚未审结", ("t4.review.pending",)),
    "suits": ("行政诉讼", ("t4.direct_suit.total", "t4.suit_after_review.total")),
    "suits_corrected": ("诉讼纠正", ("t4.direct_suit.corrected", "t4.suit_after_review.corrected")),
    "suits_pending": ("诉讼尚未审结", ("t4.direct_suit.pending", "t4.suit_after_review.pending")),
}
TOTALS = ("new", "carried_in", "handled", "granted", "partly", "forward", "review", "suits")
OUTCOME_GROUPS = (("予以公开", "granted"), ("部分公开", "partly_granted"), ("不予公开", "withheld_"),
                  ("无法提供", "unavailable_"), ("不予处理", "rejected_"), ("其他处理", "other"))  # fmt: skip
SIZE_BINS = ((0, 0, "0件"), (1, 5, "1–5件"), (6, 20, "6–20件"), (21, 100, "21–100件"), (101, 500, "101–500件"),
             (501, math.inf, "500件以上"))  # fmt: skip
MIN_HANDLED_FOR_SHARE = 5


def _sum(report: Report, cell_ids) -> int | None:
    vals = [report.value(c) for c in cell_ids if report.fmt.has_cell(c)]
    vals = [v for v in vals if v is not None]
    return int(sum(vals)) if vals else None


def _ratio(a, b) -> float | None:
    return a / b if a is not None and b else None


def measures(report: Report) -> dict:
    """The per-report figures of the overview, plus 予以公开率 and 纠错率 (corrected / decided)."""
    m = {k: _sum(report, cells) for k, (_, cells) in MEASURES.items()}
    decided = sum(v or 0 for v in (m["review"], m["suits"])) - sum(v or 0 for v in (m["review_pending"], m["suits_pending"]))
    m["granted_share"] = _ratio(m["granted"], m["handled"])
    m["correction_rate"] = _ratio((m["review_corrected"] or 0) + (m["suits_corrected"] or 0), decided)
    m["decided"] = decided
    return m


def outcome_group(row_id: str) -> str | None:
    """The outcome group label of a 表三 row id (None for rows that are not outcomes)."""
    for label, prefix in OUTCOME_GROUPS:
        if row_id == prefix or (prefix.endswith("_") and row_id.startswith(prefix)) or (
                prefix == "other" and row_id.startswith("other_")):  # fmt: skip
            return label
    return None


def outcome_totals(reports: list[Report]) -> dict[str, int]:
    """Applications closed in the year by outcome group, summed over the reports."""
    out = dict.fromkeys((label for label, _ in OUTCOME_GROUPS), 0)
    for r in reports:
        for row in r.fmt.table("t3").rows:
            label = outcome_group(row.id)
            if label:
                out[label] += int(r.value(f"t3.{row.id}.total") or 0)
    return out


@dataclass
class Overview:
    """Everything the overview page shows for one year."""

    year: int
    reports: list[Report]
    rows: list[dict]
    history: dict[int, dict] = field(default_factory=dict)  # year → totals (earlier years and this one)
    statuses: dict[str, dict] = field(default_factory=dict)  # agency id → manifest entry of this year


def build_overview(year: int, reports: list[Report], earlier: list[Report] = (), manifest: dict | None = None) -> Overview:
    """Assemble the overview of a year from its reports, earlier years' reports and the build manifest; a year's
    totals leave out a consolidated report (``members``) whose members are among that year's reports."""
    rows = []
    for r in sorted(reports, key=lambda r: r.agency.id):
        rows.append({"id": r.agency.id, "name": r.agency.name, "level": r.agency.level, **measures(r)})
    history: dict[int, dict] = {}
    present: dict[int, set] = {}
    for r in [*earlier, *reports]:
        present.setdefault(r.year, set()).add(r.agency.id)
    for r in [*earlier, *reports]:
        if r.members and present[r.year] & set(r.members):  # a consolidated report: its members already count
            continue
        t = history.setdefault(r.year, {"agencies": 0, **dict.fromkeys(TOTALS, 0)})
        t["agencies"] += 1
        m = measures(r)
        for k in TOTALS:
            t[k] += m[k] or 0
    statuses = {}
    for key, e in ((manifest or {}).get("reports") or {}).items():
        if str(e.get("year")) == str(year):
            statuses[e.get("agency") or key.split("/", 1)[-1]] = e
    return Overview(year, list(reports), rows, dict(sorted(history.items())), statuses)


def load_overview(year: int, out_dir: str | Path, params_dir: str | Path) -> Overview:
    """The overview of a year from a build directory (saved report documents, manifest: every report built there)
    and the params files found."""
    from xxgk.params import discover
    from xxgk.site.data import load_reports, site_reports

    manifest_path = Path(out_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    found = [f for f in site_reports(manifest.get("reports") or {}, discover(params_dir)) if f[0] <= year]
    all_reports = load_reports(out_dir, found)
    return build_overview(year, [r for r in all_reports if r.year == year], [r for r in all_reports if r.year < year],
                          manifest)  # fmt: skip


# ------------------------------------------------------------------ HTML fragments


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _num(v) -> str:
    return "—" if v is None else f"{v:,}" if isinstance(v, int) else f"{v:g}"


def _pct(v) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def table_html(headers: list[str], rows: list[list], numeric_from: int = 1, cls: str = "overview") -> str:
    """An escaped HTML table; cells from column ``numeric_from`` on are right-aligned figures."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="v">{_e(c)}</td>' if i >= numeric_from else f"<td>{_e(c)}</td>"
                         for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )  # fmt: skip
    return f'<table class="{_e(cls)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def title_html(ov: Overview) -> str:
    """The page title and a one-line scope statement."""
    return (f'<h1 class="report-title">{ov.year}年政府信息公开工作年度报告总览</h1>'
            f"<p>本页汇总{_e(ov.year)}年度{len(ov.reports)}家机关的年度报告数据（示例数据以「示例」标注）。</p>")  # fmt: skip


def totals_html(ov: Overview) -> str:
    """Totals across agencies of the year."""
    t = ov.history.get(ov.year, {})
    rows = [[MEASURES[k][0], _num(t.get(k, 0))] for k in TOTALS]
    handled, granted = t.get("handled", 0), t.get("granted", 0)
    rows.append(["予以公开率（予以公开／办结）", _pct(_ratio(granted, handled))])
    return "<h2>一、总体数据</h2>" + table_html(["指标", "合计"], [["机关数", _num(len(ov.reports))], *rows])


def _ranking(rows, key: str, value_fmt, n: int, where=lambda r: True) -> list[list]:
    chosen = [r for r in rows if r.get(key) is not None and where(r)]
    chosen.sort(key=lambda r: (-r[key], r["id"]))
    return [[i, r["name"], r["level"], value_fmt(r[key])] for i, r in enumerate(chosen[:n], 1)]


def rankings_html(ov: Overview, n: int = 10) -> str:
    """Top agencies by applications received, 予以公开率 and 复议/诉讼 纠错率."""
    parts = ["<h2>二、排名</h2>", "<h3>（一）本年新收申请数量</h3>"]
    parts.append(table_html(["名次", "机关", "层级", "新收申请（件）"], _ranking(ov.rows, "new", _num, n), numeric_from=3))
    parts.append(f"<h3>（二）予以公开率（办结{MIN_HANDLED_FOR_SHARE}件以上的机关）</h3>")
    share = _ranking(ov.rows, "granted_share", _pct, n, lambda r: (r["handled"] or 0) >= MIN_HANDLED_FOR_SHARE)
    parts.append(table_html(["名次", "机关", "层级", "予以公开率"], share, numeric_from=3) if share
                 else "<p>没有办结申请达到上述数量的机关。</p>")  # fmt: skip
    parts.append("<h3>（三）行政复议、行政诉讼纠错率（结果纠正／已审结）</h3>")
    corr = _ranking(ov.rows, "correction_rate", _pct, n, lambda r: r["decided"] > 0)
    parts.append(table_html(["名次", "机关", "层级", "纠错率"], corr, numeric_from=3) if corr
                 else "<p>本年度没有已审结的行政复议、行政诉讼案件。</p>")  # fmt: skip
    return "".join(parts)


def size_distribution(ov: Overview) -> tuple[list[str], list[int]]:
    """Number of agencies per band of applications received."""
    labels = [label for _, _, label in SIZE_BINS]
    counts = [sum(1 for r in ov.rows if r["new"] is not None and lo <= r["new"] <= hi) for lo, hi, _ in SIZE_BINS]
    return labels, counts


def distributions_html(ov: Overview) -> str:
    """Charts: agencies by number of applications; applications closed by outcome."""
    from xxgk.render.charts import bar_chart

    labels, counts = size_distribution(ov)
    out = ["<h2>三、分布</h2>"]
    title = "按本年新收申请数量分组的机关数"
    out.append(f'<figure class="chart">{bar_chart(labels, counts, title, "家")}<figcaption>{_e(title)}</figcaption></figure>')
    outcomes = outcome_totals(ov.reports)
    title = "本年度办理结果（全部机关合计）"
    if any(outcomes.values()):
        chart = bar_chart(list(outcomes), list(outcomes.values()), title)
        out.append(f'<figure class="chart">{chart}<figcaption>{_e(title)}</figcaption></figure>')
    return "".join(out)


def status_html(ov: Overview, link_prefix: str = "") -> str:
    """How many reports of the year are in each state (``xxgk.checks.status``; failed, pending), and the
    reports that are not publishable as they are — with errors, incomplete, failed or stale — linked."""
    from xxgk.site.index import STALE_LABELS, STATUS_LABELS, shown_entry, status_of

    names = {r["id"]: r["name"] for r in ov.rows}
    counts = dict.fromkeys(STATUS_LABELS, 0)
    rows = []
    for agency, e in sorted(ov.statuses.items()):
        st = status_of(e)
        counts[st] += 1
        stale = e.get("stale")
        if st not in ("error", "incomplete", "failed") and not stale:
            continue
        c = shown_entry(e).get("checks") or {}
        link = (e.get("outputs") or {}).get("html")
        why = STALE_LABELS.get(stale.get("reason"), "") if stale else ""
        rows.append((agency, names.get(agency, e.get("name") or agency), STATUS_LABELS[st], why, c.get("errors", "—"),
                     c.get("not_assessable", "—"), c.get("gaps", "—"), link))  # fmt: skip
    summary = "，".join(f"{label} {counts[s]}" for s, label in STATUS_LABELS.items() if counts[s])
    out = f"<h2>四、检查状态</h2><p>{_e(summary or '本年度没有构建记录')}。</p>"
    if not rows:
        return out + "<p>本年度没有存在错误、不完整、构建失败或过期的报告。</p>"
    body = []
    for agency, name, status, why, errors, na, gaps, link in rows:
        cell = f'<a href="{_e(link_prefix + link)}">{_e(name)}</a>' if link else _e(name)
        body.append(f'<tr><td>{cell}</td><td>{_e(agency)}</td><td>{_e(status)}</td><td>{_e(why or "—")}</td>'
                    f'<td class="v">{_e(errors)}</td><td class="v">{_e(na)}</td><td class="v">{_e(gaps)}</td></tr>')  # fmt: skip
    head = "".join(f"<th>{h}</th>" for h in ("机关", "编号", "状态", "过期", "错误", "无法核对", "缺项"))
    return out + f'<table class="overview"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def year_over_year_html(ov: Overview) -> str:
    """Totals of this year next to earlier years, with the change from the year before."""
    years = [y for y in ov.history if y <= ov.year]
    if len(years) < 2:
        return "<h2>五、年度对比</h2><p>没有往年数据，不作年度对比。</p>"
    from xxgk.render.charts import grouped_bars

    prev, cur = ov.history[years[-2]], ov.history[ov.year]
    rows = []
    for k in ("agencies", *TOTALS):
        label = "机关数" if k == "agencies" else MEASURES[k][0]
        change = _pct((cur[k] - prev[k]) / prev[k]) if prev[k] else "—"
        rows.append([label, _num(prev[k]), _num(cur[k]), change])
    out = ["<h2>五、年度对比</h2>", table_html(["指标", f"{years[-2]}年", f"{ov.year}年", "变化"], rows)]
    series = {MEASURES[k][0]: [ov.history[y][k] for y in years] for k in ("new", "handled", "granted")}
    title = "历年申请数量（全部机关合计）"
    chart = grouped_bars([f"{y}年" for y in years], series, title)
    out.append(f'<figure class="chart">{chart}<figcaption>{_e(title)}</figcaption></figure>')
    return "".join(out)


# ------------------------------------------------------------------ notebook entry points


def _show(fragment: str, metadata: dict | None = None) -> None:
    from IPython.display import HTML, display

    display(HTML(fragment), metadata=metadata or {})


def show_title(ov: Overview) -> None:
    """Display the title (with the page metadata the HTML exporter reads)."""
    title = f"{ov.year}年政府信息公开工作年度报告总览"
    _show(title_html(ov), {"xxgk": {"title": title, "header": title}})


def show_totals(ov: Overview) -> None:
    """Display the totals."""
    _show(totals_html(ov))


def show_rankings(ov: Overview) -> None:
    """Display the rankings."""
    _show(rankings_html(ov))


def show_distributions(ov: Overview) -> None:
    """Display the distribution charts."""
    _show(distributions_html(ov))


def show_status(ov: Overview) -> None:
    """Display the states of the year's reports (links relative to ``<out>/<year>/overview.html``)."""
    _show(status_html(ov, link_prefix="../"))


def show_year_over_year(ov: Overview) -> None:
    """Display the comparison with earlier years."""
    _show(year_over_year_html(ov))
