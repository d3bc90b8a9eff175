"""Web pages whose statistical tables are pictures, scanned tables over page breaks, multi-page TIFF, JPEG and
turned pages: built by the suite from our own 2021 demo report printed by headless Chromium and rasterised
with pdftoppm at 150 dpi. Every cell must be right or flagged, none wrong."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from tests.ingest import scans
from tests.ingest.test_pdf_layouts import CSS, VARIANTS
from tests.ingest.util import rows
from xxgk import limits
from xxgk.ingest import ocr
from xxgk.ingest.pipeline import ingest_file, read_source

pytestmark = [
    pytest.mark.skipif(not ocr.available(), reason="rapidocr-onnxruntime is not installed"),
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"),
]
DPI = 150


def _chromium() -> bool:
    from xxgk.errors import UserError
    from xxgk.render.pdf import find_chromium

    try:
        find_chromium()
    except UserError:
        return False
    return True


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The 2021 demo report as its web page and as PDFs printed by Chromium: plain, and in large type with no
    repeated header (表三 runs over a page break)."""
    if not _chromium():
        pytest.skip("no Chromium to print the report")
    from xxgk.demo import generate
    from xxgk.render.document import report_html
    from xxgk.render.pdf import ChromiumPrinter

    report = next(iter(generate(1, (2021,))))
    d = tmp_path_factory.mktemp("printed")
    css = CSS.read_text(encoding="utf-8")
    out = {"report": report}
    with ChromiumPrinter() as printer:
        for name, extra in (("plain", ""), ("break", VARIANTS["large-type"] + VARIANTS["no-repeated-header"])):
            html = d / f"{name}.html"
            html.write_text(f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>{css}\n{extra}'
                            f"</style></head><body>{report_html(report)}</body></html>", encoding="utf-8")  # fmt: skip
            out[name] = printer.print_pdf(html, html.with_suffix(".pdf"))
            out[f"{name}.html"] = html
    return out


def assert_tables(got, truth, n_cells: int = 200) -> None:
    right, flagged, wrong, ids = scans.score(got.report, truth)
    assert (wrong, ids) == (0, [])
    assert right + flagged == n_cells
    assert right >= 0.97 * n_cells


@pytest.fixture(scope="module")
def picture_page(printed, tmp_path_factory):
    """The report's web page with 表二 to 表四 as PNG pictures beside it, plus pictures that must be refused."""
    d = tmp_path_factory.mktemp("page")
    pics = scans.table_pictures(printed["plain"], DPI)
    assert [k for k, _ in pics] == ["t2", "t2", "t3", "t3", "t4"]  # 表二 and 表三 each over a page break
    page = scans.picture_page(printed["plain.html"].read_text(encoding="utf-8"), pics, d / "site")
    (d / "outside.png").write_bytes((page.parent / "files" / "t4-4.png").read_bytes())
    os.symlink(d / "outside.png", page.parent / "files" / "link.png")
    bad = ['<img src="../outside.png">', '<img src="http://www.example.gov.cn/t3.png">', '<img src="files/link.png">',
           '<img src="/etc/t3.png">', '<img src="files/missing.png">']  # fmt: skip
    html = page.read_text(encoding="utf-8").replace("</h1>", "</h1>" + "".join(bad), 1)
    page.write_text(html, encoding="utf-8")
    return page


def test_tables_as_pictures_beside_the_page(picture_page, printed):
    got = ingest_file(picture_page)
    assert (got.report.agency.name, got.report.year) == (printed["report"].agency.name, 2021)
    assert_tables(got, printed["report"])
    p = got.report.provenance["t3.new_received.natural_person"]
    assert p.source.startswith("picture 「files/t3-2.png」 at body/") and "px at 200 dpi" in p.source
    notes = [d for d in got.doubts if d.startswith("picture ")]
    assert [re.sub(r" \(body/[^)]*\)", "", n) for n in notes] == [
        "picture 「../outside.png」 not read: outside the page's folder",
        "picture 「http://www.example.gov.cn/t3.png」 not read: a web address; pictures are never fetched, save the "
        "page with its pictures",
        "picture 「files/link.png」 not read: a symbolic link; only plain files inside the page's folder are read",
        "picture 「/etc/t3.png」 not read: an absolute path; only pictures inside the page's folder are read",
        "picture 「files/missing.png」 not read: no such file beside the page",
    ]


def test_tables_as_pictures_in_a_web_archive(picture_page, printed, tmp_path):
    html = picture_page.read_text(encoding="utf-8")
    html = re.sub(r'<img src="(?:\.\./|http|/etc|files/link|files/missing)[^>]*>', "", html)
    clean = picture_page.with_name("clean.html")
    clean.write_text(html, encoding="utf-8")
    got = ingest_file(scans.web_archive(clean, tmp_path / "report.mht"))
    assert got.report.year == 2021
    assert_tables(got, printed["report"])
    assert got.report.provenance["t4.review.total"].source.startswith("picture 「files/t4-4.png」 at body/")


def test_picture_bounds_are_noted(tmp_path, monkeypatch):
    import base64
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (300, 200), 255).save(buf, "PNG")
    data = base64.b64encode(buf.getvalue()).decode()
    Image.new("L", (300, 200), 255).save(tmp_path / "blank.png")
    page = tmp_path / "p.html"
    page.write_text("<html><body><h1>示例县测试局2023年政府信息公开工作年度报告</h1>"
                    + '<img src="blank.png">' * 3 + f'<img src="data:image/png;base64,{data}">'
                    + "</body></html>", encoding="utf-8")  # fmt: skip
    monkeypatch.setattr(limits, "MAX_PICTURE_PIXELS", 50_000)
    assert read_source(page).notes[0] == ("picture 「blank.png」 (body/img[1]) not read: 300×200 = 60,000 pixels "
                                          "(limit 50,000 pixels: MAX_PICTURE_PIXELS)")
    monkeypatch.setattr(limits, "MAX_PICTURE_PIXELS", 10**8)
    monkeypatch.setattr(limits, "MAX_PICTURE_BYTES", 100)
    notes = read_source(page).notes
    size = limits.size_text((tmp_path / "blank.png").stat().st_size)
    assert notes[0].endswith(f"not read: {size} (limit 100 bytes: MAX_PICTURE_BYTES)")
    assert "inline picture 1" in notes[-1] and "its data: URI is over 100 bytes (MAX_PICTURE_BYTES)" in notes[-1]
    monkeypatch.setattr(limits, "MAX_PICTURE_BYTES", 10**7)
    monkeypatch.setattr(limits, "MAX_PICTURES", 2)
    notes = read_source(page).notes
    assert notes == [f"picture 「blank.png」 (body/img[{k}]): OCR found no table in it; its text is left out"
                     for k in (1, 2)] + ["the page has 4 pictures; only the first 2 were read (limit MAX_PICTURES)"]
    assert read_source(page, ocr="never").notes == ["4 picture(s) of the page not read: --ocr never was given"]


def test_scanned_table_over_a_page_break_without_header(printed, tmp_path):
    """表三 printed in large type over two pages, the header not repeated, the top rule cut by the break."""
    import pdfplumber

    with pdfplumber.open(printed["break"]) as doc:
        text = ["".join((p.extract_text() or "").split()) for p in doc.pages]
    first = next(i for i, t in enumerate(text) if "申请人情况" in t) + 1
    last = next(i for i, t in enumerate(text) if "（七）总计" in t) + 1
    assert last > first and "申请人情况" not in text[last - 1]  # the last page has no header
    imgs = scans.rasterise(printed["break"], DPI, [1, *range(first, last + 1)])
    imgs[0] = scans.title_band(imgs[0])
    got = ingest_file(scans.image_pdf(imgs, DPI, tmp_path / "scan.pdf"))
    truth = printed["report"]
    assert rows(got.report, "t3") == rows(truth, "t3")
    right, flagged, wrong, ids = scans.score(got.report, truth, ("t3",))
    assert (right, flagged, wrong) == (175, 0, 0), ids


def test_multi_page_tiff_every_page_read(printed, tmp_path):
    p1, p3, p4 = scans.rasterise(printed["plain"], DPI, [1, 3, 4])
    tif = tmp_path / "report.tif"
    scans.title_band(p1).save(tif, save_all=True, append_images=[p3, p4], dpi=(DPI, DPI), compression="tiff_lzw")
    got = ingest_file(tif)
    assert (got.report.agency.name, got.report.year) == (printed["report"].agency.name, 2021)
    right, flagged, wrong, ids = scans.score(got.report, printed["report"], ("t3", "t4"))
    assert (wrong, right + flagged) == (0, 190) and right >= 185, ids
    assert got.report.provenance["t4.review.total"].source.startswith("page 3, box (")


@pytest.mark.parametrize(("quality", "declared", "turn"), [(90, DPI, 0), (60, 72, 0), (90, DPI, 270)])
def test_jpeg_title_and_tables(printed, tmp_path, quality, declared, turn):
    """A JPEG often declares 72 dpi whatever it holds (the JFIF default): the size of its characters decides;
    believed, the page was read 2.8 times too large and its title lines lost (「cannot tell the report year」)."""
    p1, p4 = scans.rasterise(printed["plain"], DPI, [1, 4])
    jpg = tmp_path / "report.jpg"
    page = scans.stacked([scans.title_band(p1), p4]).rotate(turn, expand=True, fillcolor=255)
    page.save(jpg, quality=quality, dpi=(declared, declared))
    got = ingest_file(jpg)
    assert [d for d in got.doubts if d.startswith("page 1:")] == (
        [f"page 1: its text ran at {360 - turn}°; read turned upright"] if turn else [])
    assert (got.report.agency.name, got.report.year) == (printed["report"].agency.name, 2021)
    assert rows(got.report, "t4") == rows(printed["report"], "t4")


def test_scanned_pages_turned_sideways_and_upside_down(printed, tmp_path):
    p1, p3, p4 = scans.rasterise(printed["plain"], DPI, [1, 3, 4])
    imgs = [scans.title_band(p1), p3.rotate(90, expand=True, fillcolor=255), p4.rotate(180, fillcolor=255)]
    got = ingest_file(scans.image_pdf(imgs, DPI, tmp_path / "turned.pdf"))
    assert [d for d in got.doubts if d.startswith("page ")] == [
        "page 2: its text ran at 270°; read turned upright", "page 3: its text ran at 180°; read turned upright"]
    right, flagged, wrong, ids = scans.score(got.report, printed["report"], ("t3", "t4"))
    assert (wrong, right + flagged) == (0, 190) and right >= 185, ids
