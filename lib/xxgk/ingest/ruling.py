"""Ruled tables in a page raster: horizontal and vertical ruling lines found by morphology (OpenCV, which
RapidOCR installs), the grid they span, and merged cells where a separating line is missing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class RuledTable:
    """A table found in a raster: its box and its cells as (row, col, row_span, col_span, box)."""

    box: tuple[int, int, int, int]
    n_rows: int
    n_cols: int
    cells: list[tuple[int, int, int, int, tuple[int, int, int, int]]]


def dark_mask(gray: np.ndarray) -> np.ndarray:
    """Ink pixels of a greyscale page, specks dropped: light grey counts on a clean page (the faint strokes of
    a low-resolution scan), only dark grey on a noisy one."""
    import cv2

    t, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark, specks = _despeckle((gray < max(t, 200)).astype(np.uint8))
    if specks > gray.size / 20000:  # noisy: light grey is mostly noise
        dark, _ = _despeckle((gray < min(t, 170)).astype(np.uint8))
    return dark


def _despeckle(dark: np.ndarray) -> tuple[np.ndarray, int]:
    """Drop small dots away from any other ink (a decimal point sits by its digits); how many were dropped."""
    import cv2

    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    speck = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= 12)
    speck = speck[speck > 0]
    if not speck.size:
        return dark, 0
    small = np.isin(labels, speck)
    big = (dark > 0) & ~small
    near = cv2.dilate(big.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_RECT, (13, 13))) > 0
    drop = small & ~near
    dark[drop] = 0
    n_drop, _ = cv2.connectedComponents(drop.astype(np.uint8))
    return dark, n_drop - 1


def _positions(values: list[float], tol: float) -> list[float]:
    """Cluster 1-D positions; the mean of each cluster."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def rule_mask(gray: np.ndarray, dpi: float, axis: int) -> np.ndarray:
    """The ruling lines of a page along ``axis`` (0: vertical, 1: horizontal): dark runs at least 1/4 inch long
    with small gaps bridged (character strokes are shorter)."""
    import cv2

    # thin rules of a blurred low-resolution scan are light grey: a lenient threshold, gaps bridged
    dark = (gray < 200).astype(np.uint8)
    gap = max(3, round(dpi / 50))
    min_len = max(20, int(dpi * 0.25))
    close, run = ((1, gap), (1, min_len)) if axis == 0 else ((gap, 1), (min_len, 1))
    closed = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, close))
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, run))


def find_tables(gray: np.ndarray, dpi: float) -> list[RuledTable]:
    """The ruled tables of a page: components of crossing ruling lines at least 3 rows by 2 columns."""
    import cv2

    h, w = gray.shape
    horiz, vert = rule_mask(gray, dpi, 1), rule_mask(gray, dpi, 0)
    # bridge small breaks of scanned lines
    horiz = cv2.dilate(horiz, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 3)))
    vert = cv2.dilate(vert, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 5)))
    both = cv2.bitwise_or(horiz, vert)
    n, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    tables = []
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        if bw < w * 0.25 or bh < dpi * 0.3:
            continue
        t = _table(horiz[y : y + bh, x : x + bw], vert[y : y + bh, x : x + bw], (x, y), dpi)
        if t is not None:
            tables.append(t)
    return sorted(tables, key=lambda t: t.box[1])


def _lines(mask: np.ndarray, axis: int, min_cover: float, tol: float) -> list[float]:
    """Positions of lines along ``axis`` (0: horizontal lines' y, 1: vertical lines' x) covering enough."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    pos = []
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        if axis == 0 and bw >= min_cover:
            pos.append(y + bh / 2)
        elif axis == 1 and bh >= min_cover:
            pos.append(x + bw / 2)
    return _positions(pos, tol)


def _table(horiz, vert, at: tuple[int, int], dpi: float) -> RuledTable | None:
    h, w = horiz.shape
    tol = max(4.0, dpi / 40)
    ys = _lines(horiz, 0, 0.1 * dpi, tol)
    xs = _lines(vert, 1, 0.1 * dpi, tol)
    if len(ys) < 3 or len(xs) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def covered(mask, a0, a1, b, axis) -> bool:
        """Whether the segment from a0 to a1 at b (across ``axis``) is mostly ruled."""
        lo, hi = int(a0 + 0.2 * (a1 - a0)), int(a1 - 0.2 * (a1 - a0))
        b0, b1 = max(0, int(b - tol)), int(b + tol) + 1
        if hi <= lo:
            return True
        band = mask[lo:hi, b0:b1] if axis == 1 else mask[b0:b1, lo:hi]
        run = band.any(axis=1 if axis == 1 else 0)
        return run.mean() >= 0.6

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not covered(vert, ys[r], ys[r + 1], xs[c + 1], 1):
                parent[find(r * nc + c + 1)] = find(r * nc + c)
            if r + 1 < nr and not covered(horiz, xs[c], xs[c + 1], ys[r + 1], 0):
                parent[find((r + 1) * nc + c)] = find(r * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    ox, oy = at
    cells = []
    for members in groups.values():
        r0, r1 = min(m[0] for m in members), max(m[0] for m in members)
        c0, c1 = min(m[1] for m in members), max(m[1] for m in members)
        box = (int(xs[c0]) + ox, int(ys[r0]) + oy, int(xs[c1 + 1]) + ox, int(ys[r1 + 1]) + oy)
        cells.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1, box))
    if nc < 2 or len(cells) < 4:
        return None
    box = (int(xs[0]) + ox, int(ys[0]) + oy, int(xs[-1]) + ox, int(ys[-1]) + oy)
    return RuledTable(box, nr, nc, sorted(cells))
