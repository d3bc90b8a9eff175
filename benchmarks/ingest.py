"""Ingest speed: reports per second for text, flattened text, HTML, DOCX and text-layer PDF; and scanned PDFs
(the corpus PDF rasterised with pdftoppm at 300 and 150 dpi, every page): cells right / flagged / wrong
against the text-layer reading, and seconds per report.

Usage: .venv/bin/python benchmarks/ingest.py [--seconds 2] [--no-ocr]   (reads ../shared/corpus and ../shared/seeds)
Targets: ≥ 50 reports/s for text and HTML, ≥ 2 reports/s for a text-layer PDF; scanned: ≥ 99 % of cells right
at 300 dpi, ≥ 97 % at 150 dpi, 0 wrong and unflagged, ≤ 3 s per page (a 5-page report in ≤ 15 s).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.ingest.scans makes the derived scans
SHARED = Path(os.environ.get("XXGK_SHARED", ROOT.parent / "shared"))
CASES = [
    ("text (Word export, seed)", SHARED / "seeds" / "000_91f7c50ee08d0f8f.txt", 50),
    ("text (flattened, Pingtan 2019)", SHARED / "corpus" / "pingtan-zone-2019.txt", 50),
    ("text (flattened, Pingtan 2022)", SHARED / "corpus" / "pingtan-zone-2022.txt", 50),
    ("html (Shuyang 2023)", SHARED / "corpus" / "shuyang-fgj-2023.html", 50),
    ("docx (blank template)", SHARED / "corpus" / "blank-template-2021.docx", None),
    ("pdf (Huaian 2024, 6 pages)", SHARED / "corpus" / "huaian-city-2024.pdf", 2),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0, help="time spent on each case")
    ap.add_argument("--no-ocr", action="store_true", help="skip the scanned-PDF rows (slow: OCR of 12 pages)")
    args = ap.parse_args()
    from xxgk.ingest.pipeline import ingest_file

    failed = False
    for name, path, target in CASES:
        if not path.is_file():
            print(f"{name:34s} skipped ({path} not found)")
            continue
        kwargs = {"year": 2021, "agency_id": "template"} if path.suffix == ".docx" else {}
        ingest_file(path, **kwargs)  # warm-up: imports, format data, caches
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < args.seconds or n < 2:
            ingest_file(path, **kwargs)
            n += 1
        rate = n / (time.perf_counter() - start)
        ok = target is None or rate >= target
        failed |= not ok
        goal = f"target ≥ {target}/s" if target else "no target"
        print(f"{name:34s} {rate:8.1f} reports/s  ({goal}{'' if ok else ', MISSED'})")
    failed |= derived()
    if not args.no_ocr:
        failed |= scanned(SHARED / "corpus" / "huaian-city-2024.pdf")
    return 1 if failed else 0


def derived() -> bool:
    """Derived inputs scored against the original's reading: every flattened text collapsed onto one line, and
    the corpus HTML and the seed as .doc (LibreOffice). True when a cell is wrong and unflagged."""
    import subprocess

    from tests.ingest.scans import score
    from tests.ingest.util import one_line

    from xxgk.ingest.convert import soffice
    from xxgk.ingest.pipeline import ingest_file

    bad = False
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        cases = []
        for name, path in (("one-line text (seed)", SHARED / "seeds" / "000_91f7c50ee08d0f8f.txt"),
                           ("one-line text (Pingtan 2019)", SHARED / "corpus" / "pingtan-zone-2019.txt"),
                           ("one-line text (Pingtan 2022)", SHARED / "corpus" / "pingtan-zone-2022.txt")):  # fmt: skip
            if path.is_file():
                out = Path(tmp) / f"{path.stem}.oneline.txt"
                out.write_text(one_line(path.read_text(encoding="utf-8")), encoding="utf-8")
                cases.append((name, path, out))
        html = SHARED / "corpus" / "shuyang-fgj-2023.html"
        if soffice() and html.is_file():
            subprocess.run([soffice(), "--headless", f"-env:UserInstallation=file://{tmp}/lo", "--infilter=HTML (StarWriter)",
                            "--convert-to", "doc:MS Word 97", "--outdir", tmp, str(html)], capture_output=True, timeout=180)  # fmt: skip
            cases.append((".doc (Shuyang 2023 via LibreOffice)", html, Path(tmp) / f"{html.stem}.doc"))
        for name, original, path in cases:
            truth = ingest_file(original, agency_id="x").report
            t0 = time.perf_counter()
            got = ingest_file(path, agency_id="x")
            seconds = time.perf_counter() - t0
            right, flagged, wrong, ids = score(got.report, truth)
            bad |= wrong > 0
            print(f"{name:34s} {right} right / {flagged} flagged / {wrong} wrong, {seconds:.2f} s/report"
                  f"{'  WRONG: ' + ', '.join(ids[:5]) if wrong else ''}")
    return bad


def scanned(src: Path) -> bool:
    """The scanned-PDF rows; True when a target is missed."""
    from tests.ingest import scans

    from xxgk.ingest import ocr
    from xxgk.ingest.pipeline import ingest_file

    if not src.is_file() or not ocr.available() or shutil.which("pdftoppm") is None:
        print(f"{'scanned pdf':34s} skipped (needs {src.name}, pdftoppm and {ocr.INSTALL})")
        return False
    import pypdfium2 as pdfium

    n_pages = len(pdfium.PdfDocument(str(src)))
    truth = ingest_file(src).report
    ocr.engine()  # warm-up: model loading is once per process
    failed = False
    for dpi, goal in ((300, 0.99), (150, 0.97)):
        with tempfile.TemporaryDirectory() as tmp:
            pdf = scans.image_pdf(scans.rasterise(src, dpi, list(range(1, n_pages + 1))), dpi, Path(tmp) / "scan.pdf")
            start = time.perf_counter()
            got = ingest_file(pdf)
            secs = time.perf_counter() - start
        right, flagged, wrong, _ = scans.score(got.report, truth)
        total = right + flagged + wrong
        ok = wrong == 0 and right >= goal * total and secs <= 3 * n_pages
        failed |= not ok
        print(f"{f'scanned pdf {dpi} dpi ({n_pages} pages)':34s} {right}/{total} right, {flagged} flagged, "
              f"{wrong} wrong; {secs:.1f} s/report, {secs / n_pages:.2f} s/page, {5 * secs / n_pages:.1f} s per 5 pages "
              f"(target ≤ 15 s; {'ok' if ok else 'MISSED'})")  # fmt: skip
    return failed


if __name__ == "__main__":
    sys.exit(main())
