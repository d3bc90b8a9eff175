"""Scanned PDFs and images through OCR: our own generated report and the corpus PDF rasterised with pdftoppm
at 300 and 150 dpi (one copy turned 1.5° with noise), wrapped as image-only PDFs and as PNG, then ingested.
Whole tables must come out right; any cell that differs from the text-layer reading must be flagged."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ingest import scans
from tests.ingest.test_corpus import HUAIAN_T3, HUAIAN_T4
from tests.ingest.util import rows
from xxgk.ingest import ocr
from xxgk.ingest.pipeline import ingest_file, read_source
from xxgk.ingest.source import IngestError

pytestmark = [
    pytest.mark.skipif(not ocr.available(), reason="rapidocr-onnxruntime is not installed"),
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"),
]
ROOT = Path(__file__).resolve().parents[2]
HUAIAN = Path(os.environ.get("XXGK_SHARED", ROOT.parent / "shared")) / "corpus" / "huaian-city-2024.pdf"

def table_pages(pdf: Path) -> list[int]:
    """The title page and the pages holding 表二 to 表四 (found in the text layer, so the layout may change)."""
    import re

    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        text = [re.sub(r"\s+", "", p.extract_text() or "") for p in doc.pages]
    first = next(i for i, t in enumerate(text) if "第二十条第（一）项" in t)
    last = next(i for i, t in enumerate(text) if "复议后起诉" in t)
    return sorted({1, *range(first + 1, last + 2)})

HUAIAN_PAGES = [1, 3, 4, 5]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """Our own report PDF (余姚市商务局 2020), built once for the module."""
    out = tmp_path_factory.mktemp("build")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "lib")}
    cmd = [sys.executable, "-m", "xxgk.cli", "build", "--agency", "yuyao-commerce", "--year", "2020", "--out", str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out / "2020" / "yuyao-commerce" / "report.pdf"


def scanned(src: Path, dpi: int, pages: list[int], out: Path, skew: bool = False) -> Path:
    """An image-only PDF of the title band of page 1 and the table pages, as a scanner at ``dpi`` makes it."""
    imgs = scans.rasterise(src, dpi, pages)
    imgs[0] = scans.title_band(imgs[0])
    if skew:
        imgs = [scans.skewed(i, 1.5, seed=n) for n, i in enumerate(imgs)]
    return scans.image_pdf(imgs, dpi, out)


@pytest.fixture(scope="module")
def gen_truth(generated):
    return ingest_file(generated).report


@pytest.fixture(scope="module", params=[300, 150])
def gen_scan(request, generated, tmp_path_factory):
    pdf = scanned(generated, request.param, table_pages(generated), tmp_path_factory.mktemp("scan") / f"scan-{request.param}.pdf")
    return request.param, ingest_file(pdf)


def test_generated_scan_whole_tables(gen_scan, gen_truth):
    dpi, got = gen_scan
    r = got.report
    assert (r.agency.name, r.year, r.format_id) == ("余姚市商务局", 2020, gen_truth.format_id)
    assert rows(r, "t3") == rows(gen_truth, "t3")
    assert rows(r, "t4") == rows(gen_truth, "t4")
    right, flagged, wrong, ids = scans.score(r, gen_truth)
    assert wrong == 0, ids
    assert right >= 0.97 * (right + flagged)
    p = r.provenance["t3.new_received.natural_person"]
    assert p.source.startswith("page 4, box (") and p.source.endswith("px at 200 dpi")


@pytest.fixture(scope="module")
def huaian_skewed(tmp_path_factory):
    if not HUAIAN.is_file():
        pytest.skip("../shared/corpus is not on this machine")
    pdf = scanned(HUAIAN, 300, HUAIAN_PAGES, tmp_path_factory.mktemp("huaian") / "skewed.pdf", skew=True)
    return ingest_file(pdf)


def test_corpus_scan_turned_and_noisy(huaian_skewed):
    r = huaian_skewed.report
    assert (r.agency.name, r.year) == ("淮安市人民政府", 2024)
    assert list(rows(r, "t4").values()) == HUAIAN_T4
    truth = ingest_file(HUAIAN).report
    right, flagged, wrong, ids = scans.score(r, truth)
    assert wrong == 0, ids
    # 表三 continues over a page break (ingest/pagebreaks.py): every row on either side is read, none wrong
    assert list(rows(r, "t3").values()) == HUAIAN_T3
    assert (right, wrong) == (200 - flagged, 0) and flagged <= 2, ids


def test_png_of_title_and_review_table(tmp_path):
    if not HUAIAN.is_file():
        pytest.skip("../shared/corpus is not on this machine")
    p1, p5 = scans.rasterise(HUAIAN, 150, [1, 5])
    png = tmp_path / "report.png"
    scans.skewed(scans.stacked([scans.title_band(p1), p5]), -1.5).save(png, dpi=(150, 150))
    doc = read_source(png)
    assert doc.kind == "ocr" and "淮安市人民政府\n2024年政府信息公开工作年度报告" in doc.all_text()
    got = ingest_file(png)
    assert list(rows(got.report, "t4").values()) == HUAIAN_T4
    assert got.report.provenance["t4.review.total"].source.startswith("page 1, box (")


def test_blank_scan_and_modes(tmp_path):
    from PIL import Image

    blank = scans.image_pdf([Image.new("L", (1240, 1754), 255)], 150, tmp_path / "blank.pdf")
    with pytest.raises(IngestError, match="the PDF has no text layer and OCR found no text on its page"):
        read_source(blank)
    with pytest.raises(IngestError, match="no text layer.*--ocr auto"):
        read_source(blank, ocr="never")
    png = tmp_path / "page.png"
    Image.new("L", (800, 600), 255).save(png)
    with pytest.raises(IngestError, match="only be read with OCR; --ocr never"):
        read_source(png, ocr="never")
    with pytest.raises(IngestError, match="OCR found no text in the image"):
        read_source(png)


def test_without_the_engine_the_message_names_the_extra(tmp_path, monkeypatch):
    from PIL import Image

    blank = scans.image_pdf([Image.new("L", (400, 500), 255)], 72, tmp_path / "scan.pdf")
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(IngestError, match=r"pip install 'xxgk\[ocr\]'"):
        read_source(blank)


def test_cli_ocr_never(tmp_path, capsys):
    from PIL import Image

    from xxgk.cli import main

    blank = scans.image_pdf([Image.new("L", (400, 500), 255)], 72, tmp_path / "scan.pdf")
    assert main(["ingest", "--ocr", "never", "-o", str(tmp_path / "params"), str(blank)]) == 2
    assert "no text layer (a scanned document?); read it with --ocr auto" in capsys.readouterr().err


def test_long_lines_are_cut_only_between_characters():
    """``ocr._spans``: pieces at most REC_RATIO heights wide, each cut inside a blank run of columns."""
    import numpy as np

    h = 10
    cols = np.zeros(1000, dtype=bool)
    for x in range(0, 1000, 12):  # characters 9 px wide, blanks 3 px wide
        cols[x : x + 9] = True
    spans = ocr._spans(cols, h)
    assert spans[0][0] == 0 and spans[-1][1] == 1000 and len(spans) >= 10
    assert all(b - a <= ocr.REC_RATIO * h for a, b, _ in spans)
    assert all(a == b for (_, b, _), (a, _, _) in zip(spans, spans[1:]))  # contiguous
    assert all(not cols[a] for a, _, _ in spans[1:]) and all(gap == 3 for _, _, gap in spans[1:])
    solid = np.ones(400, dtype=bool)  # no blank column to cut at: recognised whole
    assert ocr._spans(solid, h) == [(0, 400, 0)]


def test_a_long_narrative_line_reads_whole_across_its_cuts(tmp_path):
    """A sentence about 60 characters long is recognised in pieces; its figures come out exactly."""
    from PIL import Image, ImageDraw, ImageFont

    font = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
    if not Path(font).is_file():
        pytest.skip("Noto Serif CJK is not installed")
    line = "2024年，全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件），均在法定期限内予以答复。"
    img = Image.new("L", (2480, 300), 255)
    ImageDraw.Draw(img).text((60, 100), line, font=ImageFont.truetype(font, 38), fill=0)
    png = tmp_path / "line.png"
    img.save(png, dpi=(300, 300))
    text = read_source(png).all_text().replace(" ", "")
    for piece in ("2024年", "受理政府信息公开申请3119件", "答复3050件", "结转申请34件", "均在法定期限内予以答复"):
        assert piece in text, text
