"""Scanned PDFs and images through OCR (RapidOCR: PP-OCR Chinese models shipped inside the wheel, nothing is
downloaded at run time). Pages are rasterised (pypdfium2) or loaded (Pillow) at a working resolution,
deskewed (±2°), ruled tables rebuilt from the lines in the raster (``ruling``) with each cell recognised
from its own crop, tables without rules from the word boxes (``pdfwords``), and the rest becomes
paragraphs like the PDF reader's. Each cell carries the OCR confidence; low confidence means uncertain."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np

from xxgk.errors import UserError
from xxgk.i18n import _
from xxgk.ingest.source import GCell, Grid, IngestError, SourceDoc, clean_text, tidy_cjk_spaces

IMAGES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
MODES = ("auto", "never", "always")
INSTALL = "pip install 'xxgk[ocr]'"
WORK_DPI = 200  # the recogniser sees text lines 48 px high: more resolution only costs time
LOW = 0.9  # a cell read with less OCR confidence is uncertain
REC_RATIO = 10  # text lines are recognised in pieces at most this many heights wide
_NUMERIC = re.compile(r"[\d.,，。oOlI|/—\-－]+")


class OcrUnavailable(UserError):
    """OCR is needed but the engine is not installed."""


def available() -> bool:
    """Whether the OCR engine can be imported."""
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


@functools.lru_cache(maxsize=1)
def engine():
    """The process's one RapidOCR instance (2 intra-op threads, no angle classifier)."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise OcrUnavailable(_("OCR is not installed; {install}").format(install=INSTALL)) from exc
    # rec_img_shape: pad short crops (a cell's "0") to 160 px, not 320 — half the recogniser's work
    return RapidOCR(intra_op_num_threads=2, inter_op_num_threads=1, use_cls=False, det_limit_type="max",
                    det_limit_side_len=1600, max_side_len=2400, rec_img_shape=[3, 48, 160],
                    rec_batch_num=12)  # fmt: skip


def pdf_pages(path: str | Path, pages: list[int] | None = None) -> list[tuple[int, object, float]]:
    """(page number, greyscale PIL image, dpi) of the PDF's pages, rendered at WORK_DPI."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pdfium raises its own error types for damaged files
        raise IngestError(path, _("not a readable PDF ({kind}: {exc})").format(kind=exc.__class__.__name__, exc=exc)) from exc
    out = []
    try:
        for i in range(len(pdf)):
            if pages and i + 1 not in pages:
                continue
            page = pdf[i]
            dpi = WORK_DPI  # a scan of lower resolution is resampled by pdfium; a higher one needs no more
            img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            out.append((i + 1, img, float(dpi)))
    finally:
        pdf.close()
    return out


def image_pages(path: str | Path) -> list[tuple[int, object, float]]:
    """(page number, greyscale PIL image, dpi) of an image file (every frame of a multi-page TIFF)."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    from xxgk.ingest import pictures

    try:
        im = Image.open(str(path))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise IngestError(path, _("not a readable image ({exc})").format(exc=exc)) from exc
    out = []
    with im:
        for i, frame in enumerate(ImageSequence.Iterator(im), 1):
            pictures.check_frame(path, i, frame.size)  # MAX_IMAGE_FRAMES, MAX_PICTURE_PIXELS
            g = frame.convert("L")
            out.append((i, g, pictures.page_dpi(g, (frame.info.get("dpi") or (0, 0))[0])))
    return out


def _to_work_dpi(img, dpi: float):
    from PIL import Image

    if abs(dpi - WORK_DPI) > WORK_DPI * 0.1:  # low-resolution scans gain from resampling before deskewing
        s = WORK_DPI / dpi
        return img.resize((round(img.width * s), round(img.height * s)), Image.Resampling.LANCZOS), float(WORK_DPI)
    return img, dpi


def skew_angle(gray: np.ndarray) -> float:
    """The page's skew in degrees (within ±2°): the rotation that makes the row profile of ink sharpest."""
    from PIL import Image

    small = Image.fromarray(((gray < 160) * 255).astype(np.uint8))
    scale = 800 / max(small.size)
    small = small.resize((max(1, round(small.width * scale)), max(1, round(small.height * scale))))

    def score(a: float) -> float:
        prof = np.asarray(small.rotate(a, resample=Image.Resampling.BILINEAR)).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(prof)).sum())

    coarse = max(np.arange(-2.0, 2.01, 0.25), key=score)
    fine = max(np.arange(coarse - 0.2, coarse + 0.21, 0.05), key=score)
    return round(float(fine), 2)


def deskew(img):
    """The image turned upright (when skewed by more than 0.1°) and the angle found."""
    from PIL import Image

    a = skew_angle(np.asarray(img))
    if abs(a) <= 0.1:
        return img, 0.0
    return img.rotate(a, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255), a


def _bgr(a: np.ndarray) -> np.ndarray:
    return np.repeat(a[:, :, None], 3, axis=2)


def _text_lines(dark: np.ndarray, box, pad: int) -> list[tuple[int, int, int, int]]:
    """Boxes of the text lines inside a cell: runs of rows with ink, split where a blank band separates them."""
    x0, y0, x1, y1 = box
    sub = dark[y0 + pad : y1 - pad, x0 + pad : x1 - pad]
    if sub.size == 0:
        return []
    rows = sub.sum(axis=1) > 0
    runs, start = [], None
    for i, v in enumerate([*rows, False]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            runs.append([start, i])
            start = None
    if not runs:
        return []
    tall = max(b - a for a, b in runs)
    merged: list[list[int]] = []
    for a, b in runs:  # strokes of one line (三, 二, a dot) separated by small gaps belong together
        short = b - a < 0.35 * tall or merged[-1][1] - merged[-1][0] < 0.35 * tall if merged else False
        if merged and (a - merged[-1][1] < 0.08 * tall or short):
            merged[-1][1] = b
        else:
            merged.append([a, b])
    out = []
    for a, b in merged:
        band = sub[a:b]
        cols = np.flatnonzero(band.sum(axis=0))
        if band.sum() < 6:
            continue
        out.append((x0 + pad + int(cols[0]), y0 + pad + a, x0 + pad + int(cols[-1]) + 1, y0 + pad + b))
    return out


def _recognise(gray: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> list[tuple[str, float]]:
    """Text and confidence of each line box, recognised from its own crop."""
    if not boxes:
        return []
    crops = []
    for x0, y0, x1, y1 in boxes:
        m = max(3, (y1 - y0) // 4)
        crop = np.full((y1 - y0 + 2 * m, x1 - x0 + 2 * m), 255, dtype=np.uint8)
        crop[m : m + y1 - y0, m : m + x1 - x0] = gray[y0:y1, x0:x1]
        crops.append(_bgr(crop))
    res, _elapsed = engine().text_rec(crops)
    return [(t, float(s)) for t, s in res]


_LOOKALIKE = str.maketrans("Iil|Oo", "111100")


def _cell_text(parts: list[tuple[str, float]]) -> tuple[str, float, str | None]:
    """A cell's text, its confidence, and the raw reading when a digit look-alike was mapped (「I1」 → 11)."""
    text = tidy_cjk_spaces(clean_text("".join(t for t, _ in parts))).strip()
    conf = min((s for _, s in parts), default=1.0)
    if parts and _NUMERIC.fullmatch(text.replace(" ", "")):
        text = text.replace(" ", "").replace("，", ",").replace("。", ".")
    core = text.strip(".,-_'`·:;，。、")
    if core != text and core.isdigit():  # a speck read as a mark beside the digits (「0-」, 「0.」)
        return core, min(conf, 0.5), text
    if re.fullmatch(r"[\dIil|Oo]+", text) and not text.isdigit() and (re.search(r"\d", text) or len(text) == 1):
        # a look-alike next to digits is read as the digit, never trusted on its own: the identities decide
        return text.translate(_LOOKALIKE), min(conf, 0.5), text
    return text, conf, None


def _grid(table, gray, dark, pno: int, dpi: float) -> Grid:
    """A ruled table as a grid: every cell recognised from its crop, merged cells sharing one origin."""
    pad = max(4, round(dpi / 30))  # clear of the grey edges of the rules
    jobs = []
    for _r, _c, _rs, _cs, box in table.cells:
        jobs.append(_text_lines(dark, box, pad))
    flat = [b for j in jobs for b in j]
    res = iter(_recognise(gray, flat))
    slots: dict[tuple[int, int], GCell] = {}
    for (r, c, rs, cs, box), lines in zip(table.cells, jobs):
        text, conf, raw = _cell_text([next(res) for _ in lines])
        src = f"page {pno}, box ({box[0]},{box[1]},{box[2]},{box[3]}) px at {round(dpi)} dpi"
        g = GCell(text, src, box if rs > 1 or cs > 1 else None, confidence=round(conf, 3))
        if conf < LOW:
            g.uncertain, g.reason = True, f"OCR confidence {conf:.2f}" + (f" (read as 「{raw}」)" if raw else "")
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                slots[(rr, cc)] = g
    rows = [[slots.get((r, c)) or GCell("", f"page {pno}") for c in range(table.n_cols)] for r in range(table.n_rows)]
    x0, y0, x1, y1 = table.box
    return Grid(rows, f"page {pno}, ruled table at box ({x0},{y0},{x1},{y1}) px (OCR)", exact=True)


class _Page:
    """The part of a pdfplumber page ``pdfwords.rebuild`` uses, over OCR word boxes."""

    def __init__(self, words: list[dict]) -> None:
        self.words = words

    def extract_words(self, **_kw) -> list[dict]:
        """The OCR word boxes."""
        return self.words


def _detect(gray: np.ndarray, dark: np.ndarray, tables: list) -> list[dict]:
    """OCR word boxes of the page outside the ruled tables: detection runs on the bands that hold ink only, then
    every box found is recognised from its crop in pieces (``_spans``), all boxes of the page in one batch."""
    rest = gray.copy()
    ink = dark.copy()
    for x0, y0, x1, y1 in tables:
        rest[max(0, y0 - 2) : y1 + 3, max(0, x0 - 2) : x1 + 3] = 255
        ink[max(0, y0 - 2) : y1 + 3, max(0, x0 - 2) : x1 + 3] = 0
    rows = np.flatnonzero(ink.sum(axis=1) > 2)
    if not rows.size:
        return []
    gap = max(40, gray.shape[0] // 20)
    bands, start, prev = [], rows[0], rows[0]
    for r in rows[1:]:
        if r - prev > gap:
            bands.append((start, prev))
            start = r
        prev = r
    bands.append((start, prev))
    boxes = []
    for a, b in bands:
        a, b = max(0, a - 10), min(gray.shape[0], b + 11)
        b = max(b, min(gray.shape[0], a + gray.shape[1] // 40))  # never resized by the detector to 0 px high
        quads = engine()(_bgr(rest[a:b]), use_cls=False, use_rec=False)[0]
        for quad in quads or []:
            xs, ys = [p[0] for p in quad], [p[1] + a for p in quad]
            x0, y0 = max(0, int(min(xs))), max(0, int(min(ys)))
            x1, y1 = min(gray.shape[1], int(np.ceil(max(xs)))), min(gray.shape[0], int(np.ceil(max(ys))))
            if x1 - x0 >= 2 and y1 - y0 >= 2:
                boxes.append((x0, y0, x1, y1))
    crops, owner = [], []
    for k, (x0, y0, x1, y1) in enumerate(boxes):
        h = y1 - y0
        m = max(2, h // 4)
        for c0, c1, gap_w in _spans(ink[y0:y1, x0:x1].any(axis=0), h):
            crop = rest[y0:y1, x0 + c0 : x0 + c1]
            lm, rm = (m if c0 else 0), (m if c1 < x1 - x0 else 0)  # white beside a cut, as beside a box's ends
            if lm or rm:
                crop = np.pad(crop, ((0, 0), (lm, rm)), constant_values=255)
            crops.append(_bgr(crop))
            owner.append((k, gap_w >= 0.4 * h))
    res, _elapsed = engine().text_rec(crops) if crops else ([], 0.0)
    parts: list[list[tuple[str, float, bool]]] = [[] for _ in boxes]
    for (k, spaced), (text, score) in zip(owner, res):
        parts[k].append((text, float(score), spaced))
    words = []
    for (x0, y0, x1, y1), ps in zip(boxes, parts):
        text = "".join((" " if spaced and i else "") + t for i, (t, _, spaced) in enumerate(ps))
        n = [max(1, len(t)) for t, _, _ in ps]
        score = sum(s * k for (_, s, _), k in zip(ps, n)) / sum(n)  # the mean over characters, as for one crop
        if score < engine().text_score:  # RapidOCR's own filter of unreadable boxes
            continue
        w = {"x0": float(x0), "x1": float(x1), "top": float(y0), "bottom": float(y1), "score": score}
        w["size"] = max(1.0, (y1 - y0) * 0.8)
        w["text"] = tidy_cjk_spaces(clean_text(text)).strip()
        if w["text"]:
            words.append(w)
    return words


def _spans(cols: np.ndarray, h: int) -> list[tuple[int, int, int]]:
    """A text box split into pieces at most REC_RATIO heights wide, each cut in the middle of the widest blank
    run of columns in the second half of the piece (between characters): (start, end, width of the blank run
    before the piece). The recogniser's cost grows faster than a crop's width, so long lines cost less in pieces."""
    w, limit = len(cols), REC_RATIO * h
    out, s, before = [], 0, 0
    while w - s > limit:
        blank = np.concatenate(([False], ~cols[s + limit // 2 : s + limit], [False]))
        edges = np.flatnonzero(np.diff(blank.astype(np.int8)))
        if not edges.size:
            break
        starts, ends = edges[0::2], edges[1::2]
        i = int(np.argmax(ends - starts))
        cut = s + limit // 2 + int(starts[i] + ends[i]) // 2
        out.append((s, cut, before))
        s, before = cut, int(ends[i] - starts[i])
    out.append((s, w, before))
    return out


def page_items(pno: int, img, dpi: float) -> list[tuple[int, float, object]]:
    """Grids and text lines of one page image, in the PDF reader's item form."""
    from xxgk.ingest import pagebreaks, pdfwords, ruling

    img, dpi = _to_work_dpi(img, dpi)
    img, _angle = deskew(img)
    gray = np.asarray(img)
    dark = ruling.dark_mask(gray)
    gray = np.where((gray < 128) & (dark == 0), 255, gray).astype(np.uint8)  # the specks dropped from the ink
    tables = ruling.find_tables(gray, dpi)
    ruled, cut = pagebreaks.raster_closed(gray, dpi, [t.box for t in tables])
    if cut:  # a table cut by a page break: closed where its vertical rules end
        tables = ruling.find_tables(ruled, dpi)
    out: list[tuple[int, float, object]] = [(pno, t.box[1], _grid(t, gray, dark, pno, dpi)) for t in tables]
    words = _detect(gray, dark, [t.box for t in tables])
    lines = [_line(ln) for ln in pdfwords._lines(words)]
    if not tables:
        grids, lines = pdfwords.rebuild(_Page(words), pno, lines)
        for top, g in grids:
            _confidences(g, words, pno)
            out.append((pno, top, g))
    width = gray.shape[1]
    for ln in lines:
        if ln["text"]:
            out.append((pno, ln["top"], {"text": ln["text"], "x0": ln["x0"], "x1": ln["x1"], "size": ln["size"], "width": width}))
    return out


def _line(ws: list[dict]) -> dict:
    text = tidy_cjk_spaces(clean_text(" ".join(w["text"] for w in ws))).strip()
    return {"text": text, "x0": ws[0]["x0"], "x1": ws[-1]["x1"], "top": min(w["top"] for w in ws),
            "size": ws[0]["size"], "score": min(w["score"] for w in ws)}  # fmt: skip


def _confidences(g: Grid, words: list[dict], pno: int) -> None:
    """Give the cells of a grid rebuilt from word boxes the OCR confidence of their words."""
    by_src = {f"page {pno}, x={round(w['x0'])} y={round(w['top'])}": w["score"] for w in words}
    for row in g.rows:
        for c in row:
            s = by_src.get(c.source)
            if s is not None:
                c.confidence = round(s, 3)
                if s < LOW:
                    c.uncertain, c.reason = True, f"OCR confidence {s:.2f}"
    g.source += " (OCR)"


def read_pages(path: str | Path, pages: list[tuple[int, object, float]], kind: str = "ocr") -> SourceDoc:
    """OCR page images into a SourceDoc like the PDF reader's."""
    from xxgk.ingest.orient import upright
    from xxgk.ingest.pdf import _drop_running, _paragraphs

    items: list[tuple[int, float, object]] = []
    notes = []
    for pno, img, dpi in pages:
        img, turn = upright(img)  # a page scanned sideways or upside down
        if turn:
            notes.append(_("page {page}: its text ran at {turn}°; read turned upright").format(page=pno, turn=turn))
        items.extend(page_items(pno, img, dpi))
    doc = SourceDoc(path=str(path), kind=kind, notes=notes)
    doc.blocks = _paragraphs(_drop_running(items, len(pages)))
    return doc


def read_scanned(path: str | Path, pages: list[int] | None = None) -> SourceDoc:
    """OCR a PDF without a text layer, or an image file."""
    if not available():
        raise IngestError(path, _("the file has no text layer and needs OCR, which is not installed; {install}").format(install=INSTALL))
    imgs = image_pages(path) if Path(path).suffix.lower() in IMAGES else pdf_pages(path, pages)
    doc = read_pages(path, imgs)
    if not doc.all_text().strip():
        if Path(path).suffix.lower() in IMAGES:
            raise IngestError(path, _("OCR found no text in the image"))
        raise IngestError(path, _("the PDF has no text layer and OCR found no text on its page(s)"))
    return doc
