"""Label normalisation and fuzzy matching of published row, column and heading labels to the official ones."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from xxgk.ingest import aliases
from xxgk.ingest.source import clean_text
from xxgk.model import cell_from_text
from xxgk.values import BLANK_TOKENS, NA_TOKENS, ValueTextError

CN_NUM = "一二三四五六七八九十"
_QUOTES = re.compile(r"[“”‘’\"'「」『』〝〞]")
_NUMBERING = re.compile(
    rf"^(?:[{CN_NUM}]{{1,3}}[、.,]|\([{CN_NUM}]{{1,3}}\)[、.,]?|\d{{1,2}}(?:[.、,](?!\d)|\))|\(\d{{1,2}}\)|[①-⑳])"
)
_PAREN = re.compile(r"\([^()]*\)")

#: minimum score for a label match
THRESHOLD = 0.66


@functools.lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Fold widths, drop spaces, quotes and Word artefacts; 「其它」 → 「其他」, 「．」 → 「.」."""
    t = unicodedata.normalize("NFKC", clean_text(text))
    t = re.sub(r"\s+", "", t)
    t = _QUOTES.sub("", t)
    return t.replace("其它", "其他").replace("．", ".")


@functools.lru_cache(maxsize=8192)
def core(text: str) -> str:
    """A label without its numbering (「一、」「（三）」「2.」「2、」, repeated) after ``norm``."""
    t = norm(text)
    while True:
        m = _NUMBERING.match(t)
        if not m or m.end() == len(t):
            return t
        t = t[m.end() :]


def short(text: str) -> str:
    """A core label without parenthesised annotations (「部分公开（区分处理的…）」 → 「部分公开」)."""
    c = core(text)
    s = c
    while True:
        s2 = _PAREN.sub("", s)
        if s2 == s:
            break
        s = s2
    s = re.sub(r"\(.*$", "", s)  # an annotation cut off by a line or page break
    return s or c


def numbering(text: str) -> str:
    """The numbering a label starts with, e.g. 「（三）」 or 「2.」 ('' if none)."""
    m = _NUMBERING.match(norm(text))
    return m.group() if m else ""


@functools.lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    return {core(k): core(v) for k, v in aliases.ROW_VARIANTS.items()}


@functools.lru_cache(maxsize=65536)
def score(text: str, label: str) -> float:
    """How well a published label matches an official one: 1 exact … 0 unrelated."""
    a, b = core(text), core(label)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    sa, sb = short(text), short(label)
    if sa == sb:
        return 0.97
    if _variants().get(a) == b or _variants().get(sa) == sb:
        return 0.96
    if len(sb) >= 4 and sa.startswith(sb) and len(sa) <= len(sb) + 2:
        return 0.9
    r = max(_ratio(a, b), _ratio(sa, sb))
    return round(0.9 * r, 4) if r >= 0.72 else 0.0


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def best(text: str, labels) -> tuple[int, float]:
    """Index and score of the best-matching official label (-1, 0.0 when none reaches the threshold)."""
    best_i, best_s = -1, 0.0
    for i, lab in enumerate(labels):
        s = score(text, lab)
        if s > best_s:
            best_i, best_s = i, s
    return (best_i, best_s) if best_s >= THRESHOLD else (-1, 0.0)


_VALUE_HINT = re.compile(r"^[\s+\-−—–―－/／\\\d.,，０-９．]*(?:万元|元|亿元|件|个|条|项|次|篇)?\s*(?:[（(].*[)）])?$")


@functools.lru_cache(maxsize=65536)
def is_value_text(text: str) -> bool:
    """Whether a cell text is a table value: a number (with unit or note), a blank token, or empty."""
    t = clean_text(text).strip().replace("\u3000", "").replace("\xa0", "")
    if t in BLANK_TOKENS or t in NA_TOKENS:
        return True
    if not _VALUE_HINT.match(t):
        return False
    try:
        cell_from_text(t)
        return True
    except ValueTextError:
        try:
            from xxgk.formats import MONEY, Column

            cell_from_text(t, Column(id="x", label="x", type=MONEY, unit="万元"))
            return True
        except ValueTextError:
            return False


def flexible_pattern(label: str) -> str:
    """A regex for a label as it may appear in flattened text: any spaces between characters, width variants."""
    parts = []
    for ch in label:
        if ch.isspace():
            continue
        if ch in "（(":
            parts.append(r"[（(]")
        elif ch in "）)":
            parts.append(r"[）)]")
        elif ch in "“”\"'‘’「」":
            parts.append(r"[“”\"'‘’「」]?")
        elif ch in "、.．":
            parts.append(r"[、.．,，]")
        elif ch in "，,":
            parts.append(r"[，,]")
        elif ch in "其":
            parts.append("其")
        elif ch == "他":
            parts.append("[他它]")
        else:
            parts.append(re.escape(ch))
    return r"\s*".join(parts)


def cn_number(numeral: str) -> int | None:
    """「三」 → 3, 「十二」 → 12, 「4」 → 4; None when it is not a numeral."""
    if numeral.isdigit():
        return int(numeral)
    vals = {c: i + 1 for i, c in enumerate(CN_NUM)}
    if not numeral or any(c not in vals for c in numeral):
        return None
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + vals[numeral[1]]
    if numeral.endswith("十"):
        return vals[numeral[0]] * 10
    if "十" in numeral:
        return vals[numeral[0]] * 10 + vals[numeral[-1]]
    return vals[numeral] if len(numeral) == 1 else None
