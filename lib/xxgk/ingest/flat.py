"""Rebuild tables from flattened text (web pages saved as text: labels and digits run together, e.g.
「规范性文件898989」): find the official labels in order, cut the digit runs between them, and split the
runs into cells with the table's identities. Produces grids for ``grid`` like every other reader."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from xxgk.formats import Format, get_format
from xxgk.i18n import _
from xxgk.ingest import aliases, labels, split
from xxgk.ingest.grid import OTHER_PART, OTHER_SINGLE, ROW, SUBTOTAL, row_keys
from xxgk.ingest.source import GCell, Grid, TextBlock

_CJK = re.compile(r"[\u4e00-\u9fff]")
_RUN = re.compile(r"^[\s\d.+\-−/／—–－,]*(?:(?:万元|亿元|元)[\s\d.+\-−/／—–－]*)*")
HEADER, TITLE, ROWTOK, GROUP = "header", "title", "row", "group"


@dataclass(frozen=True)
class Token:
    """A label the flattened table may print."""

    label: str
    kind: str
    key: str | None = None  # row key id for rows (and groups that may carry values)
    kinds: tuple[str, ...] = ()


@dataclass
class Found:
    """A label found in the text: where, which token, and the text as printed."""

    start: int
    end: int
    token: Token
    text: str


def _raw_numbering(label: str) -> tuple[str, str]:
    m = re.match(r"^(?:[一二三四五六七八九十]{1,2}[、.．]|[（(][一二三四五六七八九十]{1,2}[）)]|\d{1,2}[.．、])", label)
    return (m.group(), label[m.end() :]) if m else ("", label)


def _pattern(label: str) -> str:
    num, rest = _raw_numbering(label)
    if not num:
        return labels.flexible_pattern(rest)
    body = num.strip("、.．（()）")
    if num[0] in "（(":
        np = rf"[（(]\s*{body}\s*[）)]\s*"
    else:
        np = rf"{body}\s*[、.．,，]\s*"
    return rf"(?:{np})?{labels.flexible_pattern(rest)}"


@functools.cache
def tokens(fmt_id: str, table_id: str) -> tuple[Token, ...]:
    """Every label of a table (both formats' variants) that may appear in flattened text."""
    fmt = get_format(fmt_id)
    out: dict[str, Token] = {}

    def add(tok: Token) -> None:
        out.setdefault(labels.norm(tok.label), tok)

    keys = row_keys(fmt_id, table_id)
    if table_id != "t4":
        for k in keys:
            add(Token(k.label, ROWTOK if k.kind in (ROW, OTHER_PART) else GROUP, k.id, k.kinds))
        by_label = {labels.core(k.label): k for k in keys if k.kind in (ROW, OTHER_PART)}
        for variant, official in aliases.ROW_VARIANTS.items():  # 「本年新收到…」「转结下年度…」 as published
            k = by_label.get(labels.core(official))
            if k is not None:  # printed with the official row's numbering: 「一、本年新收到…」
                num, rest = _raw_numbering(variant)
                add(Token((num or _raw_numbering(k.label)[0]) + rest, ROWTOK, k.id, k.kinds))
    for f in (fmt, *(get_format(o) for o in ("2019", "2021") if o != fmt_id)):
        t = f.table(table_id)
        for b in t.blocks:
            if b.title:
                add(Token(b.title, TITLE))
            for c in b.columns:
                add(Token(c.label, HEADER))
                if c.group:
                    add(Token(c.group, HEADER))
            for r in b.rows:
                if table_id == "t4":
                    add(Token(r.label, HEADER))
                    if r.parent:
                        add(Token(r.parent, HEADER))
                else:
                    add(Token(r.label, ROWTOK, f"foreign:{r.id}", tuple(c.type for c in b.columns)))
                    if r.parent:
                        add(Token(r.parent, GROUP))
        for extra in (t.label_header, t.note, t.column_title):
            if extra:
                add(Token(extra, HEADER))
    return tuple(sorted(out.values(), key=lambda t: -len(labels.norm(t.label))))


@functools.cache
def _regex(fmt_id: str, table_id: str) -> tuple[re.Pattern, dict[str, Token]]:
    toks = tokens(fmt_id, table_id)
    rx = re.compile("|".join(f"(?:{_pattern(t.label)})" for t in toks))
    by_core: dict[str, Token] = {}
    for t in toks:
        by_core.setdefault(labels.core(t.label), t)
    return rx, by_core


def find_tokens(text: str, fmt_id: str, table_id: str) -> list[Found]:
    """The table labels in a flattened text, left to right, longest first."""
    rx, by_core = _regex(fmt_id, table_id)
    out = []
    for m in rx.finditer(text):
        tok = by_core.get(labels.core(m.group()))
        if tok is None:
            continue
        out.append(Found(m.start(), m.end(), tok, m.group()))
    # 「其他」 after the first data row is the row 「3.其他」, not the column
    first_row = next((i for i, f in enumerate(out) if f.token.kind == ROWTOK), None)
    if first_row is not None:
        row_other = by_core.get("其他") if by_core.get("其他") and by_core["其他"].kind == ROWTOK else None
        alt = next((t for t in tokens(fmt_id, table_id) if t.kind == ROWTOK and labels.core(t.label) == "其他"), None)
        for f in out[first_row:]:
            if f.token.kind == HEADER and labels.core(f.text) == "其他" and (row_other or alt):
                f.token = row_other or alt
    return out


def rebuild(
    blocks: list[TextBlock], fmt: Format, table_id: str, mentioned: set[int] | None = None
) -> tuple[list[Grid], list[TextBlock], list[str]]:
    """Tables rebuilt from a section's flattened text: (grids, narrative blocks left over, doubts)."""
    text = "\n".join(b.text for b in blocks)
    starts = []
    pos = 0
    for b in blocks:
        starts.append(pos)
        pos += len(b.text) + 1

    def where(i: int) -> str:
        k = max(0, bisect.bisect_right(starts, i) - 1)
        return blocks[k].at(i - starts[k]) if blocks else f"char {i + 1}"

    found = find_tokens(text, fmt.id, table_id)
    if not found:
        return [], blocks, []
    begin = _table_start(text, found)
    if begin is None:
        return [], blocks, []
    found = found[begin:]
    doubts: list[str] = []
    rows: list[split.FlatRow] = []
    labels_at: dict[str, Found] = {}
    end = found[-1].end
    t4_run = None
    for i, f in enumerate(found):
        nxt = found[i + 1].start if i + 1 < len(found) else len(text)
        gap = text[f.end : nxt]
        run = _RUN.match(gap).group()
        rest = gap[len(run) :]
        if rest.strip() and i + 1 < len(found):
            doubts.append(
                _("text 「{rest}」 inside the flattened {table_id} at {where} ignored").format(rest=rest.strip()[:30], table_id=table_id, where=where(f.end + len(run)))
            )
        if not run.strip():
            continue
        chunks = [(m.group(), f.end + m.start()) for m in re.finditer(r"\S+", run)]
        if table_id == "t4":
            t4_run = chunks
            end = f.end + len(run)
            continue
        if f.token.kind in (ROWTOK, GROUP) and f.token.kinds:
            key = f.token.key or f.token.label
            if key in labels_at:
                doubts.append(_("row 「{text}」 printed twice in the flattened {table_id}; the second one is ignored").format(text=f.text, table_id=table_id))
                continue
            rows.append(split.FlatRow(key, list(f.token.kinds), chunks))
            labels_at[key] = f
            end = f.end + len(run)
        else:
            doubts.append(_("digits 「{run}」 after 「{text}」 at {where} are not a table row; ignored").format(run=run.strip(), text=f.text, where=where(f.end)))
    grid_rows: list[list[GCell]] = []
    if table_id == "t4":
        if t4_run:
            n = len(fmt.cell_ids("t4"))
            row = split.FlatRow("t4", ["count"] * n, t4_run, group=5)
            outcome = split.solve([row], lambda k, v: _t4_ok(v), lambda k, v: True, None, _cost(mentioned))[row.key]
            grid_rows.append([GCell(f.text, where(f.start)) for f in found])
            grid_rows.append(_cells(outcome, row, where, n))
    else:
        outcomes = split.solve(rows, _row_check(fmt, table_id), _soft_check(fmt, table_id),
                               _table_check(fmt, table_id), _cost(mentioned))  # fmt: skip
        for r in rows:
            f = labels_at[r.key]
            grid_rows.append([GCell(f.text, where(f.start)), *_cells(outcomes[r.key], r, where, len(r.kinds))])
    pre = text[: found[0].start].strip()
    post = text[end:].strip()
    left = [TextBlock(t, where(text.index(t)) if t else "") for t in (pre, post) if t and _CJK.search(t)]
    grid = Grid(grid_rows, where(found[0].start), exact=False, flat=True)
    return [grid], left, doubts


def _cells(outcome, row: split.FlatRow, where, n: int) -> list[GCell]:
    if outcome is None:
        digits = " ".join(c[0] for c in row.chunks)
        why = "too many ways to split" if row.too_many else "no way to split them into cells"
        return [GCell("", where(row.chunks[0][1]), None, True, 0.0, f"flattened digits 「{digits}」: {why}")] * n
    return [
        GCell(p.text, where(p.offset), None, u, c, w)
        for p, c, u, w in zip(outcome.pieces, outcome.confidence, outcome.uncertain, outcome.reasons)
    ]


def _table_start(text: str, found: list[Found]) -> int | None:
    """The first label from which the labels follow each other with only digits between them."""
    for i in range(len(found)):
        ok = True
        for j in range(i, min(i + 6, len(found) - 1)):
            if _CJK.search(text[found[j].end : found[j + 1].start]):
                ok = False
                break
        if ok and len(found) - i >= 2:
            return i
    return None


def _t4_ok(v: list) -> bool:
    if any(x is None for x in v):
        return True
    return all(v[g + 4] == sum(v[g : g + 4]) for g in range(0, len(v), 5))


def _row_check(fmt: Format, table_id: str):
    def check(key: str, v: list) -> bool:
        if table_id == "t3":
            return any(x is None for x in v) or v[-1] == sum(v[:-1])
        return True

    return check


def _soft_check(fmt: Format, table_id: str):
    """Plausibility used only to narrow splits further: 2019 (一) published ≤ total; 2021 made ≤ valid + repealed."""

    def check(key: str, v: list) -> bool:
        if table_id != "t2" or any(x is None for x in v) or len(v) != 3:
            return True
        if key in ("regulations", "normative_documents"):
            if fmt.id == "2019":
                return v[0] <= v[2] and v[1] <= v[2]
            return v[0] <= v[1] + v[2]
        if (
            fmt.id == "2019"
        ):  # 上一年项目数量, 本年增/减, 处理决定数量: the change cannot remove more items than there were
            return v[0] + v[1] >= 0
        return True

    return check


def _table_check(fmt: Format, table_id: str):
    """表三: （七）总计 = sum of the outcomes, and 一 + 二 = 三 + 四, in every column."""
    if table_id != "t3":
        return None
    rows = fmt.table("t3").rows
    outcome_ids = [r.id for r in rows if r.parent and r.role != "total"]
    total = next(r.id for r in rows if r.role == "total")
    first, second, last = rows[0].id, rows[1].id, rows[-1].id

    def check(vals: dict) -> bool:
        need = [*outcome_ids, total, first, second, last]
        if any(k not in vals for k in need):
            return True
        for c in range(len(vals[total])):
            col = [vals[k][c] for k in need]
            if any(x is None for x in col):
                continue
            if vals[total][c] != sum(vals[k][c] for k in outcome_ids):
                return False
            if vals[first][c] + vals[second][c] != vals[total][c] + vals[last][c]:
                return False
        return True

    return check


def _cost(mentioned: set[int] | None):
    """Prefer balanced digit counts, small changes, and numbers the narrative also mentions."""
    mentioned = mentioned or set()

    def cost(row: split.FlatRow, v: list) -> float:
        c = 0.0
        for x, kind in zip(v, row.kinds):
            if x is None:
                continue
            d = len(str(abs(int(x))))
            c += (d / 2) ** 2 if kind == "money" else d * d
            if abs(x) >= 10 and int(x) == x and int(x) in mentioned:
                c -= 3 * d
        if len(v) == 3 and None not in v and row.key in ("licensing", "other_services", "punishment", "coercion"):
            if abs(v[1]) > max(v[0], 1):
                c += 10
        return c

    return cost


__all__ = [
    "GROUP",
    "HEADER",
    "OTHER_SINGLE",
    "ROWTOK",
    "SUBTOTAL",
    "TITLE",
    "Token",
    "find_tokens",
    "rebuild",
    "tokens",
]
