"""Split runs of digits whose cell boundaries were lost (「规范性文件898989」) into cells, using the
table's identities; where more than one split fits, say so instead of guessing silently."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

_ATOM = re.compile(r"[+\-−]|\.\d+|万元|亿元|元|\d")
_PIECE = {
    "count": re.compile(r"(?:0|[1-9]\d*)"),
    "signed": re.compile(r"[+\-−]?(?:0|[1-9]\d*)"),
    "money": re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|亿元|元)?"),
}
_BLANK = re.compile(r"[/／—–\-－]+")
LIMIT = 20000  # most splits enumerated for one row
TABLE_LIMIT = 20000  # most combinations tried for the table identities
MAX_DIGITS = 7  # a count cut from a run of digits has at most this many


@dataclass
class Piece:
    """One cell cut from a run: its text and its offset in the region text."""

    text: str
    offset: int

    def number(self) -> int | Decimal | None:
        """The value (None for a blank token)."""
        t = re.sub(r"万元|亿元|元", "", self.text).replace("−", "-")
        if _BLANK.fullmatch(self.text):
            return None
        return Decimal(t) if "." in t else int(t)


@dataclass
class FlatRow:
    """A row whose cells ran together: its key, column value types and whitespace-separated chunks."""

    key: str
    kinds: list[str]
    chunks: list[tuple[str, int]]
    splits: list[tuple[Piece, ...]] = field(default_factory=list)
    too_many: bool = False
    group: int = 0  # cells come in groups whose last cell is the sum of the others (表四: 4 parts + 总计)


@dataclass
class Outcome:
    """The chosen split of one row and how sure it is, cell by cell."""

    pieces: tuple[Piece, ...]
    confidence: list[float]
    uncertain: list[bool]
    reasons: list[str | None]


def enumerate_splits(row: FlatRow, limit: int = LIMIT) -> None:
    """Fill ``row.splits`` with every way to cut the chunks into one valid cell per column."""
    atoms: list[tuple[str, int, bool, bool]] = []  # text, offset, boundary forced before, boundary allowed before
    for text, off in row.chunks:
        if _BLANK.fullmatch(text):
            atoms.append((text, off, True, True))
            continue
        pos = 0
        first = True
        for m in _ATOM.finditer(text):
            if m.start() != pos:
                row.splits = []
                return
            t = m.group()
            forced = first or t in "+-−"
            allowed = forced or not (t.startswith(".") or t.endswith("元"))
            if not first and atoms and atoms[-1][0] in "+-−":
                forced, allowed = False, False
            atoms.append((t, off + m.start(), forced, allowed))
            pos = m.end()
            first = False
        if pos != len(text):
            row.splits = []
            return
    n = len(row.kinds)
    if not atoms:
        row.splits = []
        return
    if row.group and n % row.group == 0 and all(k == "count" for k in row.kinds) and not any(
        _BLANK.fullmatch(a[0]) for a in atoms
    ):
        row.splits = _group_splits(atoms, row.group, n // row.group, limit)
        row.too_many = len(row.splits) >= limit
        return
    optional = [i for i, a in enumerate(atoms) if i and a[3] and not a[2]]
    forced = [i for i, a in enumerate(atoms) if i and a[2]]
    k = n - 1 - len(forced)
    if k < 0 or k > len(optional):
        row.splits = []
        return
    if math.comb(len(optional), k) > limit:
        row.too_many = True
        row.splits = []
        return
    out = []
    for cut in itertools.combinations(optional, k):
        bounds = sorted([0, *forced, *cut, len(atoms)])
        pieces = []
        ok = True
        for (a, b), kind in zip(itertools.pairwise(bounds), row.kinds):
            text = "".join(x[0] for x in atoms[a:b])
            if not (_BLANK.fullmatch(text) or _PIECE[kind].fullmatch(text)):
                ok = False
                break
            pieces.append(Piece(text, atoms[a][1]))
        if ok:
            out.append(tuple(pieces))
    row.splits = out


def _group_splits(atoms: list, size: int, groups: int, limit: int) -> list[tuple[Piece, ...]]:
    """Splits of digit atoms into ``groups`` groups of ``size`` counts, each group's last count the sum of the
    others (a run of 表四's fifteen digits): cut the parts, then the sum must follow as printed."""
    digits = "".join(a[0] for a in atoms)
    forced = {i for i, a in enumerate(atoms) if i and a[2]}
    n = len(atoms)
    out: list[tuple[Piece, ...]] = []

    def piece_ok(a: int, b: int) -> bool:
        return b > a and not any(a < f < b for f in forced) and (b - a == 1 or digits[a] != "0")

    def walk(start: int, g: int, acc: list[Piece]) -> None:
        if len(out) >= limit:
            return
        if g == groups:
            if start == n:
                out.append(tuple(acc))
            return
        # the parts' ends, left to right; the sum of the parts must then be printed right after them
        def parts(pos: int, k: int, got: list[tuple[int, int]]) -> None:
            if len(out) >= limit:
                return
            if k == size - 1:
                total = str(sum(int(digits[a:b]) for a, b in got))
                end = pos + len(total)
                if digits[pos:end] == total and piece_ok(pos, end):
                    pieces = [Piece(digits[a:b], atoms[a][1]) for a, b in got] + [Piece(total, atoms[pos][1])]
                    walk(end, g + 1, acc + pieces)
                return
            for b in range(pos + 1, min(n, pos + MAX_DIGITS + 1)):
                if not piece_ok(pos, b):
                    if any(pos < f < b for f in forced):
                        break
                    continue
                parts(b, k + 1, [*got, (pos, b)])

        parts(start, 0, [])

    walk(0, 0, [])
    return out


def values(split: tuple[Piece, ...]) -> list:
    """The numbers of a split."""
    return [p.number() for p in split]


def solve(
    rows: list[FlatRow],
    row_check: Callable[[str, list], bool],
    soft_check: Callable[[str, list], bool],
    table_check: Callable[[dict], bool] | None,
    cost: Callable[[FlatRow, list], float],
) -> dict[str, Outcome]:
    """Choose a split per row under the strongest set of identities that some split satisfies."""
    for r in rows:
        enumerate_splits(r)
    level: dict[str, list] = {}
    note: dict[str, str] = {}
    for r in rows:
        hard = [s for s in r.splits if row_check(r.key, values(s))]
        soft = [s for s in hard if soft_check(r.key, values(s))]
        if soft:
            level[r.key] = soft
        elif hard:
            level[r.key] = hard
        else:
            level[r.key] = list(r.splits)
            if r.splits and len(r.splits) > 1:
                note[r.key] = "no split satisfies the row's identities"
    if table_check is not None:
        _table_level(rows, level, table_check)
    out = {}
    for r in rows:
        cands = level[r.key]
        if not cands:
            out[r.key] = None
            continue
        best = min(cands, key=lambda s: (cost(r, values(s)), [p.offset for p in s]))
        conf, unc, why = [], [], []
        alts = sorted({tuple(p.text for p in s) for s in cands})
        for i in range(len(best)):
            seen = {s[i].text for s in cands}
            if len(r.splits) == 1:
                c, u, w = 1.0, False, None
            elif len(seen) == 1:
                c, u = 0.95, False
                w = f"flattened digits split by the table's identities ({len(r.splits)} splits possible)"
            else:
                c, u = round(max(0.2, 1 / len(seen)), 2), True
                shown = "; ".join("|".join(a) for a in alts[:4]) + ("; …" if len(alts) > 4 else "")
                extra = f" ({note[r.key]})" if r.key in note else ""
                w = f"{len(alts)} splits of the flattened digits fit{extra}: {shown}; chose {'|'.join(x.text for x in best)}"
            conf.append(c)
            unc.append(u)
            why.append(w)
        out[r.key] = Outcome(best, conf, unc, why)
    return out


def _table_level(rows: list[FlatRow], level: dict[str, list], table_check: Callable[[dict], bool]) -> None:
    """Narrow each row's splits to those used by a combination that satisfies the table identities."""
    keys = [r.key for r in rows if level[r.key]]
    if len(keys) != len(rows):
        return
    multi = [k for k in keys if len(level[k]) > 1]
    if not multi:
        return
    if math.prod(len(level[k]) for k in multi) > TABLE_LIMIT:
        return
    fixed = {k: values(level[k][0]) for k in keys if len(level[k]) == 1}
    used: dict[str, set[int]] = {k: set() for k in multi}
    for combo in itertools.product(*(range(len(level[k])) for k in multi)):
        vals = dict(fixed)
        for k, i in zip(multi, combo):
            vals[k] = values(level[k][i])
        if table_check(vals):
            for k, i in zip(multi, combo):
                used[k].add(i)
    if all(used[k] for k in multi):
        for k in multi:
            level[k] = [level[k][i] for i in sorted(used[k])]
