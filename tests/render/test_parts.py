"""Publication and analysis apart: report.html/pdf/docx are exactly the report; analysis.html holds the appendix."""

from __future__ import annotations

import docx
import nbformat
import pytest
from bs4 import BeautifulSoup

from xxgk.checks import check_report
from xxgk.render.docx import write_docx
from xxgk.render.html import ReportHTMLExporter
from xxgk.render.preprocessors import NotReportError, has_part

#: text only the analysis appendix has (banner, findings, chart headings and captions)
APPENDIX_TEXT = ("附录", "分析资料", "本资料供分析人员使用", "校验结果", "依申请公开图表", "年度对比",
                 "本年新收申请（按申请人类型）", "本年度办理结果（按处理类型）")  # fmt: skip


def _rules(builds, key: str) -> set[str]:
    """The rule IDs the analysis lists for a built report (every finding that did not pass)."""
    from xxgk.params import load_params

    agency, year = {"sample": ("yuyao-commerce", 2020), "pingtan": ("pingtan-zone", 2022)}[key]
    report = load_params(builds["params"] / str(year) / f"{agency}.yaml")
    return {f.rule for f in check_report(report, params_dir=builds["params"]) if f.status != "pass"}


def _text(path) -> str:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").get_text()


@pytest.mark.slow
@pytest.mark.parametrize("key", ["sample", "pingtan"])
def test_publication_html_is_only_the_report(builds, key):
    rules = _rules(builds, key)
    assert rules  # both reports have findings, so the test can tell
    soup = BeautifulSoup(builds[key].paths["html"].read_text(encoding="utf-8"), "lxml")
    text = soup.get_text()
    for needle in (*APPENDIX_TEXT, *rules):
        assert needle not in text, needle
    assert not soup.select(".appendix-head, .findings, figure.chart, svg")
    kinds = [el.get("class", [el.name])[0] for el in soup.select_one("main.report").find_all(recursive=False)]
    last_part = max(i for i, k in enumerate(kinds) if k == "part")
    assert kinds[last_part + 1 :] == (["signature"] if key == "sample" else [])  # ends at the 落款 (Pingtan has none)


@pytest.mark.slow
@pytest.mark.parametrize("key", ["sample", "pingtan"])
def test_analysis_html_is_the_appendix(builds, key):
    path = builds[key].paths["analysis_html"]
    assert path.name == "analysis.html" and path.parent == builds[key].paths["html"].parent
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    title = builds[key].paths["html"]
    report_title = BeautifulSoup(title.read_text(encoding="utf-8"), "lxml").select_one("h1.report-title").get_text()
    assert soup.title.get_text() == f"{report_title}　分析资料"
    head = soup.select_one("main.report > div.appendix-head")
    assert head.h2.get_text() == "分析资料" and report_title in head.get_text()
    text = soup.get_text()
    for needle in ("校验结果", "依申请公开图表", "年度对比", *_rules(builds, key)):
        assert needle in text, needle
    assert not soup.select("h1.report-title, section.part, .signature, .preamble")  # none of the report itself


@pytest.mark.slow
def test_analysis_charts_and_trends(builds):
    soup = BeautifulSoup(builds["pingtan"].paths["analysis_html"].read_text(encoding="utf-8"), "lxml")
    captions = [c.get_text() for c in soup.select("figure.chart figcaption")]
    assert captions[:2] == ["本年新收申请（按申请人类型）", "本年度办理结果（按处理类型）"]
    assert "依申请公开办理情况" in captions  # a year-over-year chart: 2019 params exist for the agency
    assert len(soup.select("figure.chart svg")) == len(captions)


def test_docx_is_only_the_report(tmp_path, sample):
    doc = docx.Document(write_docx(sample, tmp_path / "report.docx"))
    paras = [p.text for p in doc.paragraphs if p.text.strip()]
    text = "\n".join(paras + [c.text for t in doc.tables for row in t.rows for c in row.cells])
    for needle in (*APPENDIX_TEXT, *{f.rule for f in check_report(sample) if f.status != "pass"}):
        assert needle not in text, needle
    assert paras[-2:] == ["余姚市商务局", "2021年1月20日"]  # ends at the 落款


def _notebook(*outputs) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata={"title": "t"})
    nb.cells = [nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output("display_data", data={"text/html": h},
                                                                               metadata=m) for h, m in outputs])]  # fmt: skip
    return nb


def test_exporter_keeps_one_part():
    title = ("<h1>题</h1>", {"xxgk": {"title": "某局2020年报告", "header": "某局　2020年"}})
    nb = _notebook(title, ("<p>正文</p>", {}), ("<p>发现</p>", {"xxgk_part": "analysis"}))
    body, res = ReportHTMLExporter().from_notebook_node(nb)
    assert "<p>正文</p>" in body and "<h1>题</h1>" in body and "发现" not in body
    assert res["xxgk"]["title"] == "某局2020年报告"
    body, res = ReportHTMLExporter(part="analysis").from_notebook_node(nb)
    assert "<p>发现</p>" in body and "正文" not in body and "<h1>题</h1>" not in body
    assert res["xxgk"]["title"] == "某局2020年报告　分析资料" and res["xxgk"]["header"] == "某局　2020年　分析资料"
    assert '<title>某局2020年报告　分析资料</title>' in body
    assert has_part(nb, "analysis") and not has_part(_notebook(title), "analysis")


def test_exporter_refuses_notebooks_without_the_part():
    with pytest.raises(NotReportError, match="has no report outputs \\(it was not executed"):
        ReportHTMLExporter().from_notebook_node(_notebook())
    with pytest.raises(NotReportError, match="has no report outputs"):
        ReportHTMLExporter().from_notebook_node(_notebook(("<p>无元数据</p>", {})))  # never saw the title cell
    title = ("<h1>题</h1>", {"xxgk": {"title": "某局2020年报告"}})
    with pytest.raises(NotReportError, match="has no analysis outputs \\(was it run with show_checks = False\\?\\)"):
        ReportHTMLExporter(part="analysis").from_notebook_node(_notebook(title))
