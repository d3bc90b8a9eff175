"""The PDF printed by headless Chromium: text, A4 pages, running header and page numbers, fonts, page breaks."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]


def _run(*cmd) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def _pages(pdf) -> list[str]:
    n = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf)))[1])
    return [_run("pdftotext", "-f", str(i), "-l", str(i), "-layout", str(pdf), "-") for i in range(1, n + 1)]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def sample_pages(builds):
    return _pages(builds["sample"].paths["pdf"])


def test_pdf_text_title_headings_figures(sample_pages):
    text = _flat("".join(sample_pages))
    assert "余姚市商务局2020年政府信息公开工作年度报告" in _flat(sample_pages[0])
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、公开平台建设和信息发布情况",
                    "四、收到和处理政府信息公开申请情况", "五、政府信息公开行政复议、行政诉讼情况",
                    "六、政府信息公开工作存在的主要问题及改进措施", "七、其它需要报告的事项"):  # fmt: skip
        assert heading in text
    assert re.search(r"行政许可10104", text)  # 行政许可 | 1 | 0 | 104
    assert "政府集中采购38428.8689万元" in text
    assert "余姚市商务局2021年1月20日" in text


def test_pdf_a4_header_and_page_numbers(builds, sample_pages):
    info = _run("pdfinfo", str(builds["sample"].paths["pdf"]))
    assert "594.96 x 841.92 pts (A4)" in info
    n = len(sample_pages)
    assert n >= 4
    for i, page in enumerate(sample_pages, 1):
        flat = _flat(page)
        assert f"第{i}页/共{n}页" in flat
        assert flat.startswith("余姚市商务局2020年政府信息公开工作年度报告")  # the running header


NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def test_pdf_fonts_embedded_and_named_as_in_the_html(builds):
    lines = _run("pdffonts", str(builds["pingtan"].paths["pdf"])).splitlines()[2:]
    assert lines
    for line in lines:
        cols = line.split()
        emb, uni = cols[-5], cols[-3]
        assert (emb, uni) == ("yes", "yes"), line
        assert "Type 3" not in line, line  # a nameless glyph program: the CFF font was not converted
    names = {line.split()[0] for line in lines}
    if NOTO_SERIF.exists():  # the HTML's families: Noto Serif CJK SC body and title, Noto Sans CJK SC headings
        assert any(n.endswith("+NotoSerifCJKsc-Regular") for n in names), names
        assert any(n.endswith("+NotoSerifCJKsc-Bold") for n in names), names
        assert any(n.endswith("+NotoSansCJKsc-Regular") for n in names), names
        assert not any("UMing" in n or "WenQuanYi" in n for n in names), names
    assert "收到和处理政府信息公开申请情况" in _flat(_run("pdftotext", str(builds["pingtan"].paths["pdf"]), "-"))


def _report_pages(pages: list[str]) -> list[str]:
    """The publication's pages: those before the analyst appendix (while report.pdf still carries one)."""
    end = next((i for i, p in enumerate(pages) if "附录分析资料" in _flat(p)), len(pages))
    return pages[:end]


def _page_of(pages, text):
    found = [i for i, p in enumerate(pages) if text in _flat(p)]
    assert found, text
    return found


def test_pdf_tables_not_split_nor_pushed(sample_pages):
    # 表三 fits on one page and is kept whole, on the page after the text before it (not forced onto a new one);
    # each 表二 block stays together
    start = _page_of(sample_pages, "一、本年新收政府信息公开申请数量")
    assert start == _page_of(sample_pages, "四、结转下年度继续办理")
    before = _flat(sample_pages[start[0]]).split("四、收到和处理政府信息公开申请情况")[0]
    assert "4.微博微信回应事件数" in before  # the platform table ends on 表三's page
    assert _page_of(sample_pages, "第二十条第（五）项")[0] == _page_of(sample_pages, "其他对外管理服务事项")[0]
    assert _page_of(sample_pages, "第二十条第（九）项")[0] == _page_of(sample_pages, "政府集中采购")[0]


def test_pdf_signature_stays_with_the_last_text_and_no_page_is_near_empty(sample_pages, builds):
    pages = _report_pages(sample_pages)
    assert _page_of(pages, "本年度无其它需要报告的事项。") == _page_of(pages, "余姚市商务局2021年1月20日") == [len(pages) - 1]
    body = _flat(pages[-1]).removeprefix("余姚市商务局2020年政府信息公开工作年度报告")
    assert len(body) > len("七、其它需要报告的事项本年度无其它需要报告的事项。余姚市商务局2021年1月20日")  # more than the end
    for which in ("sample", "pingtan"):
        report = _report_pages(_pages(builds[which].paths["pdf"]))
        for i, page in enumerate(report[:-1], 1):
            lines = [ln for ln in page.splitlines() if ln.strip()][1:-1]  # without running header and page number
            assert len(lines) >= 12, (which, i, lines)


def test_pdf_title_breaks_between_its_parts(sample_pages):
    lines = [_flat(ln) for ln in sample_pages[0].splitlines() if ln.strip()]
    assert lines[1:3] == ["余姚市商务局2020年", "政府信息公开工作年度报告"]


def test_pdf_publication_ends_at_signature(sample_pages):
    last = _flat(sample_pages[-1])
    assert re.search(r"余姚市商务局2021年1月20日第\d+页/共\d+页$", last)  # nothing after the 落款
    text = _flat("".join(sample_pages))
    for needle in ("附录", "分析资料", "校验结果", "N-YEAR", "依申请公开图表", "年度对比"):
        assert needle not in text


def test_analysis_pdf(builds):
    pages = _pages(builds["sample"].paths["analysis_pdf"])
    first = _flat(pages[0])
    assert first.startswith("余姚市商务局2020年政府信息公开工作年度报告分析资料")  # the running header
    body = first.removeprefix("余姚市商务局2020年政府信息公开工作年度报告分析资料")
    assert body.startswith("分析资料余姚市商务局2020年政府信息公开工作年度报告格式：国办公开办函〔2019〕60号"
                           "本资料供分析人员使用，不属于公开发布的政府信息公开工作年度报告。一、校验结果")  # fmt: skip
    assert "N-YEAR" in first and "一、总体情况" not in first


def test_pdf_2021_report(builds):
    pages = _pages(builds["pingtan"].paths["pdf"])
    text = _flat("".join(pages))
    assert "平潭综合实验区2022年政府信息公开工作年度报告" in _flat(pages[0])
    assert "行政许可10690" in text
    assert "本年收费金额（单位：万元）" in text
    assert "行政事业性收费9116.36" in text
    assert "年度对比" not in text
    analysis = _flat("".join(_pages(builds["pingtan"].paths["analysis_pdf"])))
    assert "三、年度对比" in analysis and "依申请公开办理情况" in analysis  # 2019 params exist for the same agency


def test_line_grid_and_a_signature_that_would_stand_alone(tmp_path):
    # 22 one-line paragraphs fill the GB/T 9704 text block exactly; the 落款 must then take the last line with it
    from xxgk.render.html import TEMPLATES
    from xxgk.render.pdf import ChromiumPrinter

    css = (TEMPLATES / "xxgk" / "report.css").read_text(encoding="utf-8")
    paras = "".join(f"<p>第{i}段。</p>" for i in range(1, 23))
    sig = '<div class="signature"><p class="sig-agency">示例局</p><p class="sig-date">2021年1月20日</p></div>'
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>' + css + "</style></head><body>"
            f'<main class="report"><div class="narrative">{paras}</div>SIG</main></body></html>')  # fmt: skip
    (tmp_path / "grid.html").write_text(page.replace("SIG", ""), encoding="utf-8")
    (tmp_path / "sig.html").write_text(page.replace("SIG", sig), encoding="utf-8")
    with ChromiumPrinter() as printer:
        assert len(_pages(printer.print_pdf(tmp_path / "grid.html", tmp_path / "grid.pdf"))) == 1  # 22 lines fit
        pages = _pages(printer.print_pdf(tmp_path / "sig.html", tmp_path / "sig.pdf"))
    assert len(pages) == 2
    first = _flat(pages[0])
    assert "第21段。" in first and "第22段。" not in first  # 22 lines a page; the last one moved with the 落款
    assert _flat(pages[1]).startswith("第22段。示例局2021年1月20日")
