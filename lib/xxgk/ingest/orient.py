"""Pages scanned sideways or upside down: the direction the text lines run (from the OCR detector's boxes on a
small copy of the page) tells upright/upside down from sideways; which way up is the turn under which the
recogniser reads a sample of the longest lines with the most confidence."""

from __future__ import annotations

import numpy as np

SAMPLE = 6  # lines recognised under each candidate turn
MARGIN = 0.08  # how much more confident a turn of an upright-looking page must read to be taken


def _boxes(gray: np.ndarray) -> tuple[list[tuple[int, int, int, int]], float]:
    """Text line boxes (x0, y0, x1, y1) in the page's pixels, from the detector on a copy at most 960 px."""
    from PIL import Image

    from xxgk.ingest.ocr import _bgr, engine

    s = min(1.0, 960 / max(gray.shape))
    small = np.asarray(Image.fromarray(gray).resize((max(32, round(gray.shape[1] * s)), max(32, round(gray.shape[0] * s)))))
    quads, _ = engine().text_det(_bgr(small))
    out = []
    for q in [] if quads is None else quads:
        xs, ys = q[:, 0] / s, q[:, 1] / s
        out.append((int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1))
    return out, s


def upright_turn(gray: np.ndarray) -> int:
    """The counter-clockwise turn in degrees (0, 90, 180, 270) that sets the page's text upright."""
    from xxgk.ingest.ocr import _bgr, engine

    boxes, _ = _boxes(gray)
    flat = [b for b in boxes if b[2] - b[0] > 1.5 * (b[3] - b[1])]
    tall = [b for b in boxes if b[3] - b[1] > 1.5 * (b[2] - b[0])]
    if len(flat) + len(tall) < 3:
        return 0
    sideways = len(tall) > len(flat)
    lines = sorted(tall if sideways else flat, key=lambda b: -max(b[2] - b[0], b[3] - b[1]))[:SAMPLE]
    turns = (90, 270) if sideways else (0, 180)
    scores = {}
    for t in turns:
        crops = [_bgr(np.ascontiguousarray(np.rot90(gray[y0:y1, x0:x1], t // 90))) for x0, y0, x1, y1 in lines]
        res, _ = engine().text_rec(crops)
        scores[t] = float(np.mean([s for _, s in res])) if res else 0.0
    if not sideways:
        return 180 if scores[180] > scores[0] + MARGIN else 0
    return max(turns, key=lambda t: scores[t])


def upright(img) -> tuple[object, int]:
    """The page image turned upright, and the turn applied (0 when it already was)."""
    turn = upright_turn(np.asarray(img))
    if turn == 0:
        return img, 0
    return img.rotate(turn, expand=True, fillcolor=255), turn
