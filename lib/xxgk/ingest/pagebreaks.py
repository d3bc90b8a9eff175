"""Tables cut by a page break, for both PDF readers: a table continued from the previous page often has no rule
above its first row (the break cut it), and one continued on the next page none below its last row. Where at
least two of the table's vertical rules run on past its top (or bottom) rule, the table is closed there.

The geometry is shared: the text-layer reader gives pdfplumber's edges, the OCR reader the vertical rules
found in the raster (``raster_closed`` draws the missing rules so ``ruling.find_tables`` sees whole rows).
Joining the pieces (header repeated or not) is the pipeline's, the same for every reader."""

from __future__ import annotations

import numpy as np

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
Rule = tuple[float, float, float]  # x, top, bottom of a vertical rule


def open_edges(box: Box, rules: list[Rule], tol: float = 1.0, gap: float = 2.0) -> tuple[float | None, float | None]:
    """(y to close the table's top at, y to close its bottom at), None where no two vertical rules of the
    table run on past that edge by more than ``gap``."""
    x0, top, x1, bottom = box
    inside = [r for r in rules if x0 - tol <= r[0] <= x1 + tol]
    above = [t for _, t, b in inside if t < top - gap and b >= top - tol]
    below = [b for _, t, b in inside if b > bottom + gap and t <= bottom + tol]
    return (min(above) if len(above) >= 2 else None, max(below) if len(below) >= 2 else None)


def pdf_rules(page) -> list[Rule]:
    """The vertical rules of a pdfplumber page."""
    return [(e["x0"], e["top"], e["bottom"]) for e in page.edges if e["orientation"] == "v"]


def raster_rules(gray: np.ndarray, dpi: float) -> list[Rule]:
    """The vertical rules of a page raster (dark runs at least 1/4 inch tall)."""
    import cv2

    from xxgk.ingest.ruling import rule_mask

    n, _labels, stats, _centroids = cv2.connectedComponentsWithStats(rule_mask(gray, dpi, 0), connectivity=8)
    return [(x + w / 2, float(y), float(y + h)) for x, y, w, h, _ in stats[1:n] if w <= max(6, dpi / 20)]


def raster_closed(gray: np.ndarray, dpi: float, boxes: list) -> tuple[np.ndarray, int]:
    """The raster with a rule drawn across each table edge a page break left open; how many were drawn."""
    rules = raster_rules(gray, dpi)
    tol, gap = max(4.0, dpi / 40), max(6.0, dpi / 15)  # a rule's own thickness and the dilation are not a run-on
    out, drawn = gray, 0
    thick = max(1, round(dpi / 150))
    for x0, y0, x1, y1 in boxes:
        top, bottom = open_edges((x0, y0, x1, y1), rules, tol, gap)
        for y in (top, bottom):
            if y is None:
                continue
            if out is gray:
                out = gray.copy()
            y = int(round(y))
            out[max(0, y - thick + 1) : y + thick, int(x0) : int(x1) + 1] = 0
            drawn += 1
    return out, drawn
