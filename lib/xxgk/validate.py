"""The declared bounds of every input (years, counts, money, lengths, slugs) and the text-safety rules.

Readers (params YAML, interchange JSON, the Excel form's metadata, CLI flags) check values against these
before anything uses them; writers pass user text through :func:`strip_unsafe` (and the format-specific
helpers below) so the files they write cannot carry characters their format forbids or a formula.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from pathlib import Path

from xxgk.errors import UserError
from xxgk.formats import FIRST_YEAR
from xxgk.i18n import _

#: report years any reader accepts (the 2021 format is open-ended; this caps absurd years like 10**30)
YEAR_MIN, YEAR_MAX = FIRST_YEAR, 2100
#: the largest count (件/条/次) and amount (万元) a cell may hold
MAX_COUNT = 10**9
MAX_MONEY = 10**9
#: text lengths in characters
MAX_NAME = 100  # agency name, parent, signature agency
MAX_LABEL = 200  # titles, column headers, row labels, cell raw text and notes, level, ids
MAX_TEXT = 100_000  # one narrative section, the preamble
MAX_SHORT = 2_000  # contact, provenance source and reason
#: extension tables: how many tables, columns, rows, and how deep a row may be indented
MAX_EXTENSIONS, MAX_COLUMNS, MAX_ROWS, MAX_INDENT = 50, 20, 1_000, 5
#: YAML: nodes after alias expansion, and nesting depth
MAX_YAML_NODES, MAX_YAML_DEPTH = 200_000, 64
#: the size of a params file in bytes
MAX_PARAMS_BYTES = 5_000_000

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u180e"
_BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 controls except tab and line feed, DEL and C1 controls, line/paragraph separators, zero-width and bidi
# controls, surrogates (only reachable through JSON escapes) and the XML-illegal non-characters
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_ZERO_WIDTH}{_BIDI}\ud800-\udfff\ufffe\uffff]")


def describe_char(ch: str) -> str:
    """A character as U+XXXX with what kind of character it is."""
    if ch in _ZERO_WIDTH:
        kind = _("a zero-width character")
    elif ch in _BIDI:
        kind = _("a bidirectional-override character")
    elif ch in "\u2028\u2029":
        kind = _("a Unicode line separator")
    elif "\ud800" <= ch <= "\udfff":
        kind = _("a lone surrogate")
    else:
        kind = _("a control character")
    return _("{kind} U+{code}").format(kind=kind, code=f"{ord(ch):04X}")


def text_problem(text: str, max_len: int) -> str | None:
    """What is wrong with a text (unsafe characters, too long), or None."""
    m = UNSAFE.search(text)
    if m:
        return _("contains {describe_char} at character {value}; remove it").format(describe_char=describe_char(m.group()), value=m.start() + 1)
    if len(text) > max_len:
        return _("is {n} characters long; at most {max_len} allowed").format(n=len(text), max_len=max_len)
    return None


def strip_unsafe(text: str) -> str:
    """The text without the characters :data:`UNSAFE` matches (line separators become line feeds)."""
    return UNSAFE.sub(lambda m: "\n" if m.group() in "\u2028\u2029" else "", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str) -> str:
    """User text made safe for a comment or a one-line field: no line breaks of any kind, no unsafe chars."""
    return re.sub(r"[\n\r\v\f\x85\u2028\u2029]+", " ", strip_unsafe(text.replace("\r", "\n")))


def slug_problem(value: str) -> str | None:
    """Why a value is not a slug (lower-case letters, digits and inner '-', at most 64), or None."""
    if SLUG.match(value):
        return None
    return (_("{value!r} is not a slug: use lower-case letters a-z, digits and '-' (not at either end), at most 64 characters — never a path").format(value=value[:80]))  # fmt: skip


def check_slug(value: str, what: str) -> str:
    """The value when it is a slug; UserError naming ``what`` otherwise."""
    problem = slug_problem(str(value))
    if problem:
        raise UserError(f"{what}: {problem}")
    return str(value)


def year_problem(year) -> str | None:
    """Why a value is not a report year the formats cover, or None."""
    if isinstance(year, bool) or not isinstance(year, int):
        return _("expected a report year (a whole number {year_min}–{year_max}), got {year!r}").format(year_min=YEAR_MIN, year_max=YEAR_MAX, year=str(year)[:40])
    if 0 <= year < YEAR_MIN:
        return _("report year {year} predates the national formats (first report year {first}); "
                 "pre-2019 reports used the abolished 政府信息公开情况统计表").format(year=year, first=YEAR_MIN)
    if not YEAR_MIN <= year <= YEAR_MAX:
        shown = str(year) if abs(year) < 10**12 else _("a {n}-digit number").format(n=len(str(abs(year))))
        return _("expected a report year {year_min}–{year_max} (the span the national formats cover), got {shown}").format(year_min=YEAR_MIN, year_max=YEAR_MAX, shown=shown)
    return None


def value_problem(value, column_type: str) -> str | None:
    """Why a cell value is out of bounds for its column type (count, signed, money), or None."""
    if isinstance(value, float) and not math.isfinite(value):
        return _("expected a finite number, got {value!r}").format(value=value)
    if isinstance(value, Decimal) and not value.is_finite():
        return _("expected a finite number, got {value}").format(value=value)
    limit = MAX_MONEY if column_type == "money" else MAX_COUNT
    if abs(value) > limit:
        return _("expected at most {limit:,} (a bound of the format), got a number with {n} digits").format(limit=limit, n=len(str(int(abs(value)))))
    if column_type == "money" and value < 0:
        return _("expected a non-negative amount, got {value}").format(value=value)
    if column_type != "money" and value != int(value):
        return _("expected a whole number, got {value}").format(value=value)
    return None


def inside(root: str | Path, *parts: str) -> Path:
    """``root/parts…``, refused with a UserError when it would lead outside ``root``."""
    base = Path(root).resolve()
    path = base.joinpath(*parts).resolve()
    if path != base and base not in path.parents:
        raise UserError(_("refusing to write {path}: it is outside {base}").format(path=path, base=base))
    return path


_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A CSV cell that spreadsheet programs cannot run as a formula (OWASP: prefix a single quote)."""
    if isinstance(value, str) and value.startswith(_CSV_TRIGGERS):
        return "'" + value
    return value


def xml_safe(text: str, max_len: int | None = None) -> str:
    """Text an Office XML part can hold (no XML-illegal or unsafe characters), optionally capped in length."""
    out = strip_unsafe(str(text))
    return out[:max_len] if max_len is not None else out
