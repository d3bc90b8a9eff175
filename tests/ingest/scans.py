"""Derived scanned documents for the OCR tests and the benchmark: PDF pages rasterised with pdftoppm, a
title band cut from the first page, a skewed and noisy copy, image-only PDFs; and the score of a reading."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

TABLES = ("t2", "t3", "t4")


def rasterise(pdf: str | Path, dpi: int, pages: list[int]) -> list:
    """Greyscale PIL images of the PDF's pages at ``dpi`` (pdftoppm, as a scanner would produce them)."""
    from PIL import Image

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for p in pages:
            stem = Path(tmp) / f"p{p}"
            subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(p), "-l", str(p), "-gray", "-png", "-singlefile",
                            str(pdf), str(stem)], check=True)  # fmt: skip
            with Image.open(f"{stem}.png") as im:
                out.append(im.convert("L"))
    return out


def title_band(img, frac: float = 0.3):
    """The top of a first page: the title and the start of the preamble."""
    return img.crop((0, 0, img.width, round(img.height * frac)))


def skewed(img, angle: float = 1.5, seed: int = 0):
    """The page turned by ``angle`` degrees with scanner noise (grey speckles, a little blur)."""
    import numpy as np
    from PIL import Image, ImageFilter

    rot = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255).filter(ImageFilter.GaussianBlur(0.5))
    a = np.asarray(rot).astype(np.int16)
    rng = np.random.default_rng(seed)
    a = a + rng.normal(0, 8, a.shape).astype(np.int16)
    a[rng.random(a.shape) < 0.0005] = 0
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def image_pdf(images: list, dpi: int, path: str | Path) -> Path:
    """An image-only PDF (no text layer) of the page images."""
    images[0].save(str(path), "PDF", save_all=True, append_images=images[1:], resolution=float(dpi))
    return Path(path)


def stacked(images: list):
    """The images one below the other as a single tall picture (a report saved as one PNG)."""
    from PIL import Image

    out = Image.new("L", (max(i.width for i in images), sum(i.height for i in images)), 255)
    y = 0
    for i in images:
        out.paste(i, (0, y))
        y += i.height
    return out


def score(report, truth, tables=TABLES) -> tuple[int, int, int, list[str]]:
    """(cells right, cells flagged uncertain, cells wrong and not flagged, the wrong cell ids) against ``truth``."""
    right = flagged = 0
    wrong = []
    for cid in truth.fmt.cell_ids():
        if cid.split(".")[0] not in tables:
            continue
        same = report.cells[cid] == truth.cells[cid]
        if report.provenance[cid].uncertain:
            flagged += 1
        elif same:
            right += 1
        else:
            wrong.append(cid)
    return right, flagged, len(wrong), wrong
