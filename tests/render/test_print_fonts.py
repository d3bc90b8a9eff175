"""Per-document font subsets for printing, and the CSS string escaping of the running header."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from xxgk.render.html import css_string
from xxgk.render.print_fonts import PrintFonts, css_families

UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")


def test_css_string_escapes_everything_that_could_end_the_string_or_the_style():
    assert css_string("余姚市商务局　2020年政府信息公开工作年度报告") == "余姚市商务局　2020年政府信息公开工作年度报告"
    assert css_string('a"b</style>\\x\n') == "a\\000022b\\00003c\\00002fstyle\\00003e\\00005cx\\00000a"
    assert css_string("（一）、《条例》") == "（一）、《条例》"  # CJK punctuation stays readable


def test_css_families_reads_style_blocks_only():
    page = """<html><head><style>:root { --serif: "FangSong", 'AR PL UMing CN', serif; }
    h1 { font-family: "WenQuanYi Zen Hei", sans-serif; content: "not a family"; }</style></head>
    <body><p style="font-family: 'Inline Font'">"quoted text"</p></body></html>"""
    assert css_families(page) == ["FangSong", "AR PL UMing CN", "WenQuanYi Zen Hei"]


@pytest.mark.skipif(not UMING.exists() or shutil.which("fc-match") is None, reason="AR PL UMing or fontconfig absent")
def test_subsets_cover_exactly_the_page_characters(tmp_path):
    from fontTools.ttLib import TTFont

    fonts = PrintFonts(tmp_path)
    assert fonts.font_file("AR PL UMing CN") == (str(UMING), 0)
    assert fonts.font_file("No Such Family 123") is None  # fontconfig substitutes; not used under this name
    page = '<html><head><style>body { font-family: "AR PL UMing CN"; }</style></head><body>政府信息公开</body></html>'
    head = fonts.head_html(page, "t")
    (ttf,) = tmp_path.glob("t-*.ttf")
    assert ttf.stat().st_size < 200_000  # a few glyphs, not the 21 MB collection
    assert f'<link rel="preload" as="font" type="font/ttf" href="{ttf.as_uri()}" crossorigin>' in head
    assert re.search(r'@font-face \{ font-family: "AR PL UMing CN"; src: url\("file://[^"]+t-0\.ttf"\)', head)
    font = TTFont(ttf)
    cmap = font.getBestCmap()
    assert all(ord(c) in cmap for c in "政府信息公开")
    assert ord("龘") not in cmap  # not on the page
    assert font["name"].getDebugName(1) == "AR PL UMing CN"  # the PDF names the font, not OTS


def test_no_fonts_without_tools(tmp_path):
    fonts = PrintFonts(tmp_path)
    fonts._fc = None
    assert not fonts.available
    assert fonts.head_html('<style>p { font-family: "AR PL UMing CN"; }</style>', "t") == ""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_printed_pdf_embeds_the_subset_under_its_own_name(tmp_path):
    from xxgk.render.pdf import ChromiumPrinter

    src = tmp_path / "p.html"
    src.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><style>body { font-family: "AR PL UMing CN"; }'
                   "</style></head><body><p>政府信息公开工作年度报告</p></body></html>", encoding="utf-8")  # fmt: skip
    with ChromiumPrinter() as printer:
        pdf = printer.print_pdf(src, tmp_path / "p.pdf")
        assert list(Path(printer._tmp).glob("*.ttf")) == []  # per-page subsets are removed after printing
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    if UMING.exists():
        assert re.search(r"\+UMingCN\s+CID TrueType", fonts)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "政府信息公开工作年度报告" in text


NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


@pytest.mark.skipif(not NOTO_SERIF.exists() or shutil.which("fc-match") is None, reason="Noto Serif CJK absent")
def test_cff_fonts_become_named_truetype_subsets_with_cached_glyphs(tmp_path):
    from fontTools.ttLib import TTFont

    fonts = PrintFonts(tmp_path)
    page = ('<html><head><style>body { font-family: "Noto Serif CJK SC"; } h1 { font-weight: bold; }</style></head>'
            "<body><h1>政府信息公开</h1><p>2024年，收到申请3061件。</p></body></html>")  # fmt: skip
    head = fonts.head_html(page, "t")
    assert 'font-family: "Noto Serif CJK SC"; src: url("file://' in head
    assert "font-weight: normal;" in head and "font-weight: bold;" in head  # its own bold face, not an emboldened one
    regular, bold = (TTFont(tmp_path / f"t-{i}.ttf") for i in (0, 1))
    for font, name in ((regular, "NotoSerifCJKsc-Regular"), (bold, "NotoSerifCJKsc-Bold")):
        assert "glyf" in font and "CFF " not in font  # TrueType outlines: Chromium embeds a named CID font
        assert font["name"].getDebugName(6) == name and font["name"].getDebugName(1) == "Noto Serif CJK SC"
        cmap = font.getBestCmap()
        assert all(ord(c) in cmap for c in "政府信息公开2024年，收到申请3061件。")
        glyph = font["glyf"][cmap[ord("政")]]
        assert glyph.numberOfContours > 0  # real outlines, not empty boxes
        assert font["maxp"].maxPoints >= len(glyph.getCoordinates(font["glyf"])[0])
    cached = sum(len(g) for g in fonts._glyphs.values())
    fonts.head_html(page.replace("3061", "1603"), "u")  # the same glyphs: nothing converted again
    assert sum(len(g) for g in fonts._glyphs.values()) == cached
