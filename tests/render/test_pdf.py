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


def test_pdf_fonts_embedded(builds):
    lines = _run("pdffonts", str(builds["pingtan"].paths["pdf"])).splitlines()[2:]
    assert lines
    for line in lines:
        cols = line.split()
        emb, uni = cols[-5], cols[-3]
        assert (emb, uni) == ("yes", "yes"), line
    # Chromium embeds CFF-outline CJK fonts (Noto CJK) as nameless Type 3 glyph programs; the print stylesheet
    # prefers TrueType CJK fonts, which embed as named, subset CID fonts
    names = {line.split()[0] for line in lines}
    if Path("/usr/share/fonts/truetype/arphic/uming.ttc").exists():
        assert any(n.endswith("+UMingCN") for n in names), names
    if Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc").exists():
        assert any(n.endswith("+WenQuanYiZenHei") for n in names), names
    assert "收到和处理政府信息公开申请情况" in _flat(_run("pdftotext", str(builds["pingtan"].paths["pdf"]), "-"))


def test_pdf_tables_not_split(sample_pages):
    def page_of(text):
        found = [i for i, p in enumerate(sample_pages) if text in _flat(p)]
        assert found, text
        return found

    # 表三 fits on one page and is kept whole; each 表二 block stays together
    assert page_of("一、本年新收政府信息公开申请数量") == page_of("四、结转下年度继续办理")
    assert page_of("第二十条第（五）项")[0] == page_of("其他对外管理服务事项")[0]
    assert page_of("第二十条第（九）项")[0] == page_of("政府集中采购")[0]


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
