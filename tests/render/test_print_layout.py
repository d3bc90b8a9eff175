"""Print-grade layout after GB/T 9704 in the built HTML (its print CSS and structure) and in the Word document."""

from __future__ import annotations

import re

import docx
import pytest
from docx.oxml.ns import qn

from tests.conftest import SAMPLE
from tests.ingest.test_xlsx import build_2021_report
from xxgk.params import load_params
from xxgk.render.docx import write_docx


def _css(html: str) -> str:
    css = "".join(re.findall(r"<style[^>]*>(.*?)</style>", html, re.S))
    return re.sub(r"\s+", " ", re.sub(r"/\*.*?\*/", "", css, flags=re.S))


def _rule(css: str, selector: str) -> str:
    m = re.search(r"(?:^|[}\s])" + re.escape(selector) + r" \{([^}]*)\}", css)
    assert m, selector
    return m.group(1)


def test_print_css_page_grid_fonts_and_breaks(sample_html):
    css = _css(sample_html)
    assert re.search(r"@page \{ size: A4; margin: 37mm 26mm 35mm 28mm;", css)  # GB/T 9704 margins
    assert "--line: 28.9pt;" in css  # 22 lines in the 225 mm text block
    assert "@media print" not in css  # print uses the screen's families (no TrueType-only print stack)
    assert '"Noto Serif CJK SC"' in css and "UMing" not in css
    assert "display: table-header-group" in _rule(css, "thead")  # header rows repeat on every page
    # a table breaks only between rows; a cell spanning rows may run over a page (else Chromium moves its group)
    assert "break-inside: avoid" in _rule(css, "th:not([rowspan]), td:not([rowspan])")
    assert "break-inside: auto" in _rule(css, "tr")
    assert "break-inside" not in _rule(css, "table.t3")  # 表三 flows after the text; it is not kept whole
    assert "text-indent: 2em" in _rule(css, "p")
    assert "break-after: avoid" in _rule(css, "h2, h3")
    assert "break-inside: avoid" in _rule(css, ".keep-next")
    sig = _rule(css, ".signature")
    assert "break-before: avoid" in sig and "break-inside: avoid" in sig
    forced = re.findall(r"([^{}]+)\{[^}]*break-before: (?:page|always)", css)
    assert {s.strip() for s in forced} <= {".appendix-head"}  # no part of the report forces a new page


def test_html_title_heading_and_signature_structure(sample_soup):
    title = sample_soup.select_one("h1.report-title")
    assert [s.get_text() for s in title.select("span")] == ["余姚市商务局2020年", "政府信息公开工作年度报告"]
    assert title.select_one("wbr") is not None  # the only break opportunity, between the two parts
    keep = sample_soup.select_one('section[data-part="s1"] > div.keep-next')
    assert keep.select_one("h2").get_text() == "一、总体情况"
    assert keep.select_one("div.narrative p").get_text().startswith("（一）完善平台畅通公开渠道。")
    s6 = sample_soup.select_one('section[data-part="s6"]')
    assert s6.find_next_sibling().get("class") == ["signature"]  # the 落款 follows the last text directly


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "r.docx"
    write_docx(load_params(SAMPLE), path)
    return docx.Document(path)


def test_docx_page_tables_and_indents(sample_docx):
    doc = sample_docx
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    text_twips = round((s.page_width - s.left_margin - s.right_margin) / 635)
    assert len(doc.tables) == 4
    for table in doc.tables:
        tblpr = table._tbl.tblPr
        width = int(tblpr.find(qn("w:tblW")).get(qn("w:w")))
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) == width <= text_twips, (width, text_twips)  # within the margins
        assert tblpr.find(qn("w:tblInd")).get(qn("w:w")) == "0"
        assert tblpr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    paras = doc.paragraphs
    for text in ("一、总体情况", "七、其它需要报告的事项"):
        assert next(p for p in paras if p.text == text).paragraph_format.keep_with_next is True
    body = next(p for p in paras if p.text.startswith("（二）扎实做好"))
    assert body.paragraph_format.first_line_indent.pt == 32  # two 三号 characters
    assert body._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    last = next(p for p in paras if p.text == "本年度无其它需要报告的事项。")
    assert last.paragraph_format.keep_with_next is True  # goes with the 落款
    assert paras[-2].paragraph_format.keep_with_next is True and paras[-2].text == "余姚市商务局"


def test_docx_title_breaks_only_between_its_parts(sample_docx, tmp_path):
    assert sample_docx.paragraphs[0].text == "余姚市商务局2020年\n政府信息公开工作年度报告"
    report = build_2021_report()
    report.agency.name = "示例局"  # short enough for one 二号 line: not broken at all
    write_docx(report, tmp_path / "short.docx")
    assert docx.Document(tmp_path / "short.docx").paragraphs[0].text == "示例局2021年政府信息公开工作年度报告"
