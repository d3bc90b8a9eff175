"""Ingest speed: reports per second for text, flattened text, HTML, DOCX and text-layer PDF.

Usage: .venv/bin/python benchmarks/ingest.py [--seconds 2]   (reads ../shared/corpus and ../shared/seeds)
Targets: ≥ 50 reports/s for text and HTML, ≥ 2 reports/s for a text-layer PDF.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
