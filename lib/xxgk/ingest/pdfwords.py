"""Tables without ruling lines in a PDF, rebuilt from word positions: rows are lines ending in numbers set
apart from their label; columns are clusters of the numbers' and the leaf headers' x positions (so a
column left blank in every row still exists); labels wrapped over several lines are joined to the
nearest row of numbers."""

from __future__ import annotations

import re

from xxgk.ingest.source import GCell, Grid, clean_text, tidy_cjk_spaces

_NUMBER = re.compile(r"[+\-−]?\d[\d,]*(?:\.\d+)?(?:万元|元|亿元)?|[/／—–\-－]+")
_HEADING = re.compile(r"^[一二三四五六七八九十]{1,2}、")
#: lines inside a table that head a block or its columns, never the continuation of a row label
_STANDALONE = re.compile(r"第二十条|信息内容|本年处理决定数量|本年收费金额")


def _lines(words: list[dict]) -> list[list[dict]]:
    out: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if out and abs(out[-1][0]["top"] - w["top"]) <= max(2.0, 0.4 * w.get("size", 10)):
            out[-1].append(w)
        else:
            out.append([w])
    return [sorted(ln, key=lambda w: w["x0"]) for ln in out]


def _is_num(w) -> bool:
    return bool(_NUMBER.fullmatch(w["text"]))


def _data_split(line: list[dict]) -> int | None:
    """Index of the first value word when the line is a table row (label, then only numbers), else None."""
    k = len(line)
    while k > 0 and _is_num(line[k - 1]):
        k -= 1
    if k == len(line):
        return None
    size = line[0].get("size", 10) or 10
    vals = line[k:]
    gaps = [b["x0"] - a["x1"] for a, b in zip(vals, vals[1:])]
    label_gap = vals[0]["x0"] - line[k - 1]["x1"] if k else size * 9
    if label_gap >= 1.5 * size and (len(vals) >= 1) and all(g >= 0.8 * size for g in gaps):
        return k
    return None


def _text(words: list[dict]) -> str:
    return tidy_cjk_spaces(clean_text(" ".join(w["text"] for w in words))).strip()


def _tableish(line: list[dict]) -> bool:
    """A header line: short, or words set apart by wide gaps; never a numbered section heading."""
    text = _text(line)
    if _HEADING.match(text) or re.search(r"[。；]$", text):
        return False
    size = line[0].get("size", 10) or 10
    gaps = [b["x0"] - a["x1"] for a, b in zip(line, line[1:])]
    return len(text) <= 14 or any(g >= 1.5 * size for g in gaps)


def rebuild(page, pno: int, text_lines: list) -> tuple[list[tuple[float, Grid]], list]:
    """(grids with their top, the text lines not used by them)."""
    words = page.extract_words(x_tolerance=3, y_tolerance=2, extra_attrs=["size"])
    lines = _lines(words)
    data = {i: k for i, ln in enumerate(lines) if (k := _data_split(ln)) is not None}
    if not data:
        return [], text_lines
    regions: list[list[int]] = []
    for i in sorted(data):
        if regions and i - regions[-1][-1] <= 4:
            regions[-1].append(i)
        else:
            regions.append([i])
    grids: list[tuple[float, Grid]] = []
    used_tops: list[tuple[float, float]] = []
    for reg in regions:
        if len(reg) < 2 and len(lines[reg[0]]) - data[reg[0]] < 3:
            continue
        lo = reg[0]
        while lo - 1 >= 0 and lo - 1 not in data and _tableish(lines[lo - 1]) and reg[0] - lo < 8:
            lo -= 1
        hi = reg[-1]
        while (
            hi + 1 < len(lines)
            and hi + 1 not in data
            and hi + 1 - reg[-1] <= 2
            and _label_only(lines[hi + 1], lines, data, reg)
        ):
            hi += 1
        grid = _grid(lines, data, reg, lo, hi, pno)
        grids.append((lines[lo][0]["top"], grid))
        used_tops.append((lines[lo][0]["top"] - 1, max(w["bottom"] for w in lines[hi]) + 1))
    rest = [ln for ln in text_lines if not any(a <= ln["top"] <= b for a, b in used_tops)]
    return grids, rest


def _label_only(line, lines, data, reg) -> bool:
    first_value_x = min(lines[i][data[i]]["x0"] for i in reg)
    return all(w["x1"] <= first_value_x for w in line) and not _HEADING.match(_text(line))


def _grid(lines, data, reg, lo: int, hi: int, pno: int) -> Grid:
    value_words = [w for i in reg for w in lines[i][data[i] :]]
    left = min(w["x0"] for w in value_words)
    size = value_words[0].get("size", 10) or 10
    spans: list[list[float]] = []  # [x0, x1] of each column
    for w in sorted(value_words, key=lambda w: (w["x0"] + w["x1"]) / 2):
        c = (w["x0"] + w["x1"]) / 2
        if spans and c - (spans[-1][0] + spans[-1][1]) / 2 <= 1.2 * size:
            spans[-1] = [min(spans[-1][0], w["x0"]), max(spans[-1][1], w["x1"])]
        else:
            spans.append([w["x0"], w["x1"]])
    numeric = len(spans)
    header = [w for i in range(lo, reg[0]) for w in lines[i] if w["x0"] >= left - size]
    for w in header:
        below = [v for v in header if v["top"] > w["top"] + 1 and v["x0"] < w["x1"] and v["x1"] > w["x0"]]
        if below:
            continue  # a parent header (法人或其他组织) or the first line of a wrapped one
        hit = [sp for sp in spans if w["x0"] < sp[1] + 0.5 * size and w["x1"] > sp[0] - 0.5 * size]
        if any(spans.index(sp) < numeric for sp in hit):
            continue
        if hit:
            hit[0][0], hit[0][1] = min(hit[0][0], w["x0"]), max(hit[0][1], w["x1"])
        else:
            spans.append([w["x0"], w["x1"]])
    cols = sorted((a + b) / 2 for a, b in spans)
    rows: list[list[GCell]] = []
    for i in range(lo, reg[0]):
        rows.append([GCell(_text(lines[i]), _src(lines[i][0], pno))])
    label_lines = {i: [] for i in reg}
    standalone = []
    for i in range(reg[0], hi + 1):
        if i in data:
            continue
        if _STANDALONE.search(_text(lines[i])):
            standalone.append(i)
            continue
        near = min(reg, key=lambda d: (abs(lines[d][0]["top"] - lines[i][0]["top"]), d))
        label_lines[near].append(i)
    order = sorted([*reg, *standalone], key=lambda j: lines[j][0]["top"])
    for i in order:
        if i in standalone:
            rows.append([GCell(_text(lines[i]), _src(lines[i][0], pno))])
            continue
        k = data[i]
        parts = sorted([*label_lines[i], i], key=lambda j: lines[j][0]["top"])
        label_words = [w for j in parts for w in (lines[j][:k] if j == i else lines[j])]
        label = _text(label_words)
        cells = [GCell(label, _src(label_words[0] if label_words else lines[i][0], pno))]
        slots: list[GCell | None] = [None] * len(cols)
        for w in lines[i][k:]:
            c = (w["x0"] + w["x1"]) / 2
            j = min(range(len(cols)), key=lambda j: abs(cols[j] - c))
            slots[j] = GCell(w["text"], _src(w, pno))
        cells += [
            s or GCell("", f"page {pno}, y={round(lines[i][0]['top'])} (no value under column {j + 1})")
            for j, s in enumerate(slots)
        ]
        rows.append(cells)
    return Grid(rows, f"page {pno}, table rebuilt from word positions at y={round(lines[lo][0]['top'])}", exact=False)


def _src(w, pno: int) -> str:
    return f"page {pno}, x={round(w['x0'])} y={round(w['top'])}"
