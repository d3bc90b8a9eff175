"""The one table step every reader shares: map grids of strings to format cells by their row labels
(fuzzy, in official order) and their columns; tolerate subtotal rows, the other format's （六） rows,
different column spans and blank cells; record provenance and doubt for every cell."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from xxgk.formats import Format, get_format
from xxgk.i18n import _
from xxgk.ingest import labels
from xxgk.ingest.source import GCell, Grid, cell_text
from xxgk.model import Cell, Provenance, cell_from_text
from xxgk.values import ValueTextError

ROW, SUBTOTAL, OTHER_SINGLE, OTHER_PART = "row", "subtotal", "other_single", "other_part"


@dataclass(frozen=True)
class RowKey:
    """A row a published table may print: a format row, or a tolerated extra (subtotal, other format's （六））."""

    id: str
    label: str
    group: str | None
    kinds: tuple[str, ...]
    kind: str = ROW


@dataclass
class Mapped:
    """Cells read from one table, with provenance, and the parser's doubts about the table."""

    cells: dict[str, Cell] = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    doubts: list[str] = field(default_factory=list)


@functools.cache
def row_keys(fmt_id: str, table_id: str) -> tuple[RowKey, ...]:
    """The rows to look for, in official order, with tolerated extras inserted where they are printed."""
    fmt = get_format(fmt_id)
    table = fmt.table(table_id)
    out: list[RowKey] = []
    prev_group = None
    for block in table.blocks:
        kinds = tuple(c.type for c in block.columns)
        for row in block.rows:
            if table_id == "t3" and row.group and row.group != prev_group:
                kind = OTHER_SINGLE if "其他处理" in row.group else SUBTOTAL
                out.append(RowKey(f"{kind}:{row.group}", row.group, None, kinds, kind))
            prev_group = row.group
            out.append(RowKey(row.id, row.label, row.group, kinds))
            rows = block.rows
            last_of_group = row.group and (row is rows[-1] or rows[rows.index(row) + 1].group != row.group)
            if table_id == "t3" and last_of_group and "其他处理" not in row.group:
                out.append(RowKey(f"{SUBTOTAL}:{row.group}", row.group, None, kinds, SUBTOTAL))
            if table_id == "t3" and fmt_id == "2019" and row.id == "other":
                for r in get_format("2021").table("t3").rows:
                    if r.group and "其他处理" in r.group:
                        out.append(RowKey(f"{OTHER_PART}:{r.id}", r.label, r.group, kinds, OTHER_PART))
    return tuple(out)


@functools.cache
def _specs_by_row(fmt_id: str, table_id: str) -> dict[str, list]:
    fmt = get_format(fmt_id)
    out: dict[str, list] = {}
    for cid in fmt.cell_ids(table_id):
        spec = fmt.cell(cid)
        out.setdefault(spec.row.id, []).append(spec)
    return out


def _row_specs(fmt: Format, table_id: str, row_id: str) -> list:
    """The cells of a row in column order (cached per format)."""
    return _specs_by_row(fmt.id, table_id).get(row_id, [])


def split_row(row: list[GCell]) -> tuple[list[GCell], list[GCell]]:
    """Label cells (up to the last non-value text) and value cells of a row."""
    last = -1
    for i, c in enumerate(row):
        t = cell_text(c.text)
        if t and not labels.is_value_text(t):
            last = i
    return row[: last + 1], row[last + 1 :]


def _tail(text: str) -> str:
    """The label after an inner numbering (「（三）不予公开1.属于国家秘密」 → 「属于国家秘密」)."""
    n = labels.norm(text)
    m = list(re.finditer(r"(?:\([一二三四五六七八九十]{1,2}\)|\d{1,2}[.、])", n))
    return n[m[-1].end() :] if m and m[-1].end() < len(n) else n


def _candidates(label_cells: list[GCell]) -> tuple[set[str], set[str]]:
    """Texts a row's label may be matched by: (for any row, for rows with sub-items only)."""
    texts = [t for t in (cell_text(c.text) for c in label_cells) if t]
    if not texts:
        return set(), set()
    leaf = texts[-1]
    return {leaf, _tail(leaf)}, {"".join(texts)}


def _score(cands: tuple[set[str], set[str]], key: RowKey) -> float:
    leafs, joined = cands
    pool = leafs if key.kind in (SUBTOTAL, OTHER_SINGLE) else leafs | joined
    s = max((labels.score(t, key.label) for t in pool), default=0.0)
    return s if s >= labels.THRESHOLD else 0.0


def align(rows: list[list[GCell]], keys: tuple[RowKey, ...]) -> dict[int, RowKey]:
    """Match published rows to row keys in order, maximising the total label score (rows may be skipped)."""
    data = [(i, *split_row(r)) for i, r in enumerate(rows)]
    data = [(i, lab, val) for i, lab, val in data if lab and val]
    n, m = len(data), len(keys)
    score = [[0.0] * m for _ in range(n)]
    for a, (_kind, lab, val) in enumerate(data):
        cands = _candidates(lab)
        for b, key in enumerate(keys):
            s = _score(cands, key)
            if s and len(val) < len(key.kinds):
                s *= 0.8
            score[a][b] = s
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            opts = [best[a + 1][b], best[a][b + 1]]
            if score[a][b]:
                opts.append(score[a][b] + best[a + 1][b + 1])
            best[a][b] = max(opts)
    out: dict[int, RowKey] = {}
    a = b = 0
    while a < n and b < m:
        if score[a][b] and abs(best[a][b] - (score[a][b] + best[a + 1][b + 1])) < 1e-9:
            out[data[a][0]] = keys[b]
            a, b = a + 1, b + 1
        elif abs(best[a][b] - best[a + 1][b]) < 1e-9:
            a += 1
        else:
            b += 1
    return out


def fit_values(values: list[GCell], n: int) -> tuple[list[GCell | None], str | None]:
    """Exactly ``n`` value cells: drop empty extras on either side; say so when that is a guess."""
    if len(values) == n:
        return list(values), None
    if len(values) > n:
        if all(not cell_text(c.text) for c in values[n:]):
            return list(values[:n]), None
        if all(not cell_text(c.text) for c in values[: len(values) - n]):
            return list(values[len(values) - n :]), None
        filled = [c for c in values if cell_text(c.text)]
        if len(filled) == n:
            return filled, None
        return list(values[:n]), f"the row has {len(values)} value cells where {n} were expected; took the first {n}"
    return list(values) + [None] * (n - len(values)), f"the row has only {len(values)} of {n} value cells"


def read_cell(g: GCell | None, column, why: str | None = None) -> tuple[Cell, Provenance]:
    """A grid cell as a format cell with provenance; text that is not a value becomes blank with a note."""
    if g is None:
        return Cell.blank(), Provenance("", 0.0, True, why or "cell not found")
    text = cell_text(g.text)
    reason = "; ".join(x for x in (g.reason, why) if x) or None
    try:
        cell = cell_from_text(text, column)
    except ValueTextError:
        return Cell(None, "blank", None, f"published as 「{text}」"), Provenance(
            g.source, 0.3, True, f"「{text}」 is not a number; read as blank" + (f"; {reason}" if reason else "")
        )
    conf = g.confidence if why is None else min(g.confidence, 0.5)
    return cell, Provenance(g.source, conf, g.uncertain or why is not None, reason)


def map_rows(fmt: Format, table_id: str, grids: list[Grid]) -> Mapped:
    """Map the rows of a section's grids (表二 or 表三) to cells."""
    out = Mapped()
    rows = [r for g in grids for r in g.distinct_rows()]
    keys = row_keys(fmt.id, table_id)
    matched = align(rows, keys)
    seen: set[str] = set()
    parts: dict[str, list] = {}
    single = None
    for i, key in sorted(matched.items()):
        label_cells, values = split_row(rows[i])
        leaf = cell_text(label_cells[-1].text)
        if key.kind == SUBTOTAL:
            out.doubts.append(_("subtotal row 「{leaf}」 ({source}) is not part of the format; ignored").format(leaf=leaf, source=label_cells[-1].source))
            continue
        if key.id in seen:
            out.doubts.append(_("row 「{leaf}」 ({source}) repeats a row already read; ignored").format(leaf=leaf, source=label_cells[-1].source))
            continue
        seen.add(key.id)
        vals, why = fit_values(values, len(key.kinds))
        if key.kind == OTHER_SINGLE:
            single = (leaf, vals, why)
            continue
        if key.kind == OTHER_PART:
            parts[key.id] = vals
            continue
        for spec, g in zip(_row_specs(fmt, table_id, key.id), vals):
            out.cells[spec.id], out.provenance[spec.id] = read_cell(g, spec.column, why)
    if single is not None:
        _other_single(fmt, table_id, single, seen, out)
    if parts:
        _other_parts(fmt, table_id, parts, seen, out)
    for i, r in enumerate(rows):
        lab, val = split_row(r)
        if i not in matched and lab and any(cell_text(c.text) for c in val) and _looks_like_data(lab):
            out.doubts.append(
                _("row 「{cell_text}」 ({source}) matches no row of the format; ignored").format(cell_text=cell_text(lab[-1].text), source=lab[-1].source)
            )
    return out


def _looks_like_data(label_cells: list[GCell]) -> bool:
    text = labels.norm(label_cells[-1].text)
    return not any(k in text for k in ("信息内容", "申请人情况", "本列数据", "第二十条"))


def _other_single(fmt: Format, table_id: str, single, seen: set, out: Mapped) -> None:
    """A 2019-style single （六）其他处理 row in a 2021 report: its values go to 「3.其他」, flagged."""
    leaf, vals, why = single
    rows = [r for r in fmt.table(table_id).rows if r.group and "其他处理" in r.group]
    if not rows or rows[-1].id in seen:
        return
    for spec, g in zip(_row_specs(fmt, table_id, rows[-1].id), vals):
        cell, prov = read_cell(g, spec.column, why)
        prov.uncertain = True
        prov.confidence = min(prov.confidence, 0.5)
        prov.reason = (f"the report prints a single 「{leaf}」 row (2019 layout); its value was put in "
                       f"「{rows[-1].label}」 (converted, the split into the three sub-items is unknown)")  # fmt: skip
        out.cells[spec.id], out.provenance[spec.id] = cell, prov
    for r in rows[:-1]:
        if r.id in seen:
            continue
        for spec in _row_specs(fmt, table_id, r.id):
            out.cells[spec.id] = Cell.blank()
            out.provenance[spec.id] = Provenance(
                "", 0.0, True, f"not printed: the report gives only a single 「{leaf}」 row"
            )


def _other_parts(fmt: Format, table_id: str, parts: dict, seen: set, out: Mapped) -> None:
    """2021-style （六） sub-rows in a 2019 report: their sum is the single 「（六）其他处理」 row."""
    target = next((r for r in fmt.table(table_id).rows if "其他处理" in r.label), None)
    if target is None or target.id in seen:
        return
    for j, spec in enumerate(_row_specs(fmt, table_id, target.id)):
        total, sources = 0, []
        blank = True
        for vals in parts.values():
            g = vals[j] if j < len(vals) else None
            if g is None:
                continue
            cell, _ = read_cell(g, spec.column)
            sources.append(g.source)
            if cell.is_value:
                total += cell.value
                blank = False
        out.cells[spec.id] = Cell.blank() if blank else Cell.of(total)
        if not sources:  # no sub-row has a cell in this column: not found, not a published blank
            out.provenance[spec.id] = Provenance("", 0.0, True, "cell not found in the 2021-style （六） sub-rows")
            continue
        out.provenance[spec.id] = Provenance(", ".join(sources), 0.9, False,
                                             f"sum of {len(parts)} 2021-style （六） sub-rows printed in a 2019-format table")  # fmt: skip


def map_wide(fmt: Format, table_id: str, grids: list[Grid]) -> Mapped:
    """表四: the one row of 15 values under the 行政复议 / 行政诉讼 header."""
    out = Mapped()
    specs = [fmt.cell(cid) for cid in fmt.cell_ids(table_id)]
    n = len(specs)
    rows = [r for g in grids for r in g.distinct_rows()]
    found, why = None, None
    for r in rows:
        lab, val = split_row(r)
        if len(val) >= n and not any(labels.core(c.text) in ("行政复议", "行政诉讼") for c in lab):
            vals, why = fit_values(val, n)
            if why is None:
                found = vals
                break
    if found is None:
        run: list[GCell] = []
        for r in rows:
            lab, val = split_row(r)
            if val and any(cell_text(c.text) for c in val):
                run += val
        if run:
            found, why = fit_values(run, n)
            why = why or "the values are spread over several rows"
    header = labels.norm(" ".join(g.text() for g in grids))
    if found is None:
        out.doubts.append("表四: no row of values found")
        return out
    if "行政复议" not in header or "行政诉讼" not in header:
        why = (why + "; " if why else "") + "the header 行政复议/行政诉讼 was not found"
    for spec, g in zip(specs, found):
        out.cells[spec.id], out.provenance[spec.id] = read_cell(g, spec.column, why)
    return out
