"""What the report notebook's cells call: load the report, then display its parts and the analyst appendix.

Every appendix output carries the output metadata ``{"xxgk_part": "analysis"}``; untagged outputs are the report.
The exporters keep one part: ``report.html``/``report.pdf`` the report (the publication), ``analysis.html``/
``analysis.pdf`` the appendix. JupyterLab shows both. Kept light to import (matplotlib and the checker load only
when the appendix is shown).
"""

from __future__ import annotations

from pathlib import Path

from xxgk.model import Report
from xxgk.params import load_params
from xxgk.render import document
from xxgk.render.source import locate_params, resolve_params_dir

SCREEN_CSS = Path(__file__).with_name("templates") / "xxgk" / "notebook.css"
SCREEN_ONLY = "xxgk_screen_only"  # output metadata: shown in JupyterLab, left out of the exported report
PART_KEY = "xxgk_part"  # output metadata: which exported part an output belongs to (absent: "report")
REPORT, ANALYSIS = "report", "analysis"
PARTS = (REPORT, ANALYSIS)


def _show(fragment: str, metadata: dict | None = None) -> None:
    from IPython.display import HTML, display

    if fragment:
        display(HTML(fragment), metadata=metadata or {})


def _analysis(fragment: str) -> None:
    _show(fragment, {PART_KEY: ANALYSIS})


def open_report(agency: str, year: int, params_dir: str | Path = "params") -> Report:
    """Find and load the params file of an agency and year (params_dir is searched upward from the cwd)."""
    return load_params(locate_params(params_dir, agency, year))


def show_head(report: Report) -> None:
    """Display the title (carrying the report metadata for the exporters) and the preamble."""
    _show(f"<style>{SCREEN_CSS.read_text(encoding='utf-8')}</style>", {SCREEN_ONLY: True})
    _show(document.title_html(report), {"xxgk": document.report_meta(report)})
    _show(document.preamble_html(report))


def show_section(report: Report, section_id: str) -> None:
    """Display a template section (heading, narrative, table) and the extension parts placed after it."""
    for part in document.section_parts(report, section_id):
        _show(part)


def show_signature(report: Report) -> None:
    """Display the 落款 (issuing agency and date)."""
    _show(document.signature_html(report))


def show_appendix_head(report: Report) -> None:
    """Display the appendix banner: the heading of ``analysis.html`` (a new page in JupyterLab's print)."""
    from xxgk.render.appendix import appendix_head_html

    _analysis(appendix_head_html(report))


def show_findings(report: Report, params_dir: str | Path = "params") -> dict:
    """Run the checker (with last year's report when present) and display the findings; return the summary."""
    from xxgk.checks import check_report, summary
    from xxgk.render.appendix import findings_html

    findings = check_report(report, params_dir=resolve_params_dir(params_dir))
    counts = summary(findings)
    _analysis(findings_html(findings, counts))
    return counts


def show_charts(report: Report) -> None:
    """Display the charts of applications by applicant type and by outcome (or say why there are none)."""
    from xxgk.render import appendix as ap
    from xxgk.render.charts import bar_chart

    _analysis("<h3>二、依申请公开图表</h3>")
    for (labels, values), title in ((ap.applicant_data(report), "本年新收申请（按申请人类型）"),
                                    (ap.outcome_data(report), "本年度办理结果（按处理类型）")):  # fmt: skip
        if ap.all_zero(values):
            _analysis(ap.note_html(f"{title}：各项均为0或空白，不绘制图表。"))
        else:
            _analysis(ap.figure_html(bar_chart(labels, values, title), title))


def show_trends(report: Report, params_dir: str | Path = "params") -> None:
    """Display year-over-year charts when the params directory holds earlier years of the same agency (and, for a
    consolidated report, its members side by side)."""
    from xxgk.render import appendix as ap

    _analysis("<h3>三、年度对比</h3>")
    earlier = ap.history(report, resolve_params_dir(params_dir))
    if not earlier:
        _analysis(ap.note_html("参数目录中没有该机关往年的数据，不绘制年度对比图。"))
    else:
        _trends(report, earlier)
    if report.members:  # a consolidated report: its members side by side
        from xxgk.render.members import members_html

        _analysis(members_html(report, resolve_params_dir(params_dir)))


def _trends(report: Report, earlier: list[Report]) -> None:
    from xxgk.render import appendix as ap
    from xxgk.render.charts import grouped_bars

    reports = [*earlier, report]
    years = [f"{r.year}年" for r in reports]
    for title, series in ap.trend_series(reports):
        if all(ap.all_zero(v) for v in series.values()):
            _analysis(ap.note_html(f"{title}：各年度均为0或空白，不绘制图表。"))
        else:
            _analysis(ap.figure_html(grouped_bars(years, series, title), title))


def warm_up() -> None:
    """Pay the helpers' first-use costs on demo reports, displaying nothing (the kernel fork server's warm-up)."""
    from xxgk.checks import check_report, summary
    from xxgk.demo import generate
    from xxgk.render import appendix as ap
    from xxgk.render.charts import bar_chart, grouped_bars

    previous, report = generate(1, (2020, 2021))  # one report of each national format
    for r, last in ((previous, None), (report, previous)):
        document.report_html(r)
        ap.appendix_head_html(r)
        findings = check_report(r, previous=last)
        ap.findings_html(findings, summary(findings))
    labels, values = ap.applicant_data(report)
    bar_chart(labels, values, "预热")
    grouped_bars(["2020年", "2021年"], {"申请": [1, 2], "办理": [2, None]}, "预热")
