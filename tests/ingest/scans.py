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


def table_pictures(pdf: str | Path, dpi: int) -> list[tuple[str, object]]:
    """(table id, picture) of every official table piece on the PDF's pages, cropped from the page rasterised
    with pdftoppm at ``dpi`` (a piece continued from the previous page belongs to the previous table)."""
    import pdfplumber

    from xxgk.ingest.pdf import _not_background, _tables

    out: list[tuple[str, object]] = []
    with pdfplumber.open(str(pdf)) as doc:
        for pno, page in enumerate(doc.pages, 1):
            boxes = [t.bbox for t in _tables(page.filter(_not_background))]
            if not boxes:
                continue
            (img,) = rasterise(pdf, dpi, [pno])
            for x0, top, x1, bottom in boxes:
                text = "".join((page.within_bbox((x0, top, x1, bottom)).extract_text() or "").split())
                kind = ("t2" if "第二十条" in text else "t3" if "本年新收" in text or "申请人情况" in text
                        else "t4" if "行政复议" in text else None)  # fmt: skip
                if kind is None and top < 0.2 * page.height and out:
                    kind = out[-1][0]  # continued from the page before
                if kind is None:
                    continue  # a local table
                s, m = dpi / 72, 6
                box = (round(x0 * s) - m, round(top * s) - m, round(x1 * s) + m, round(bottom * s) + m)
                out.append((kind, img.crop(box)))
    return out


def picture_page(report_html: str, pictures: list[tuple[str, object]], folder: Path, sub: str = "files") -> Path:
    """The report's web page with each official table replaced by its pictures, saved in ``folder/sub`` as PNG
    and referenced by a relative ``src``; returns the page's path."""
    import re

    (folder / sub).mkdir(parents=True, exist_ok=True)
    html = report_html
    for tid in TABLES:
        imgs = []
        for k, (kind, pic) in enumerate(pictures):
            if kind == tid:
                name = f"{sub}/{tid}-{k}.png"
                pic.save(folder / name)
                imgs.append(f'<img src="{name}" alt="{tid}">')
        html = re.sub(rf'<table class="official {tid}".*?</table>', "<p>" + "".join(imgs).replace("\\", "\\\\") + "</p>", html,
                      count=1, flags=re.S)  # fmt: skip
    page = folder / "report.html"
    page.write_text(html, encoding="utf-8")
    return page


def web_archive(page: Path, out: Path) -> Path:
    """The page and its pictures as a saved web archive (.mht, MIME multipart/related with Content-Location)."""
    import re
    from email.mime.image import MIMEImage
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    base = "http://www.example.gov.cn/xxgk/"
    msg = MIMEMultipart("related", type="text/html")
    html = page.read_text(encoding="utf-8")
    part = MIMEText(html, "html", "utf-8")
    part["Content-Location"] = base + page.name
    msg.attach(part)
    for src in re.findall(r'<img src="([^"]+)"', html):
        img = MIMEImage((page.parent / src).read_bytes(), "png")
        img["Content-Location"] = base + src
        msg.attach(img)
    out.write_bytes(msg.as_bytes())
    return out
