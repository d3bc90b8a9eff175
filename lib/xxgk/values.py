"""Reading a published cell text into a value with its meaning (number, blank, not applicable) and note."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from xxgk.formats import MONEY, Column
from xxgk.i18n import _

#: texts that publish a cell as blank (not zero)
BLANK_TOKENS = frozenset({"", "/", "／", "-", "－", "—", "——", "–", "―", "无", "&nbsp;", "\\"})
#: texts that mark a cell as not applicable
NA_TOKENS = frozenset({"n/a", "N/A", "不适用"})

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，＋－−", "0123456789.,+--")
_NUMBER = re.compile(
    r"""^(?P<sign>[+-])?\s*(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\s*
        (?P<unit>万元|元|亿元)?\s*
        (?:[（(](?P<note>[^（()）]*)[)）])?\s*
        (?P<suffix>件|个|条|项|次|篇)?$""",
    re.X,
)
_UNIT_FACTORS = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}


class ValueTextError(ValueError):
    """A cell text that is not a number, a blank or n/a; the message says what was expected."""


def expected_text(column: Column) -> str:
    """What a cell of this column must hold, in words for error messages."""
    if column.type == MONEY:
        return f"an amount in {column.unit or '万元'} (e.g. 12.5, or with a unit: 125000元), or / for blank"
    if column.type == "signed":
        return "a signed whole number (e.g. +2, -18, 0), or / for blank"
    return "a non-negative whole number, or / for blank"


def normalise_text(text: str) -> str:
    """Fold full-width digits and signs and strip all kinds of spaces."""
    return re.sub(r"[\s\u3000\xa0]+", "", str(text).translate(_FULLWIDTH))


def parse_number(text: str, column: Column | None = None) -> tuple[int | Decimal, str | None]:
    """Parse a number with optional sign, unit and parenthesised note; raise ValueTextError if it is not one.

    Money is converted to the column's unit (万元). Integral literals give ``int``, others ``Decimal``.
    """
    t = normalise_text(text)
    m = _NUMBER.match(t)
    if not m:
        raise ValueTextError(_("not a number: {text!r}").format(text=text))
    digits = m["int"].replace(",", "")
    value: Decimal = Decimal(digits + ("." + m["frac"] if m["frac"] else ""))
    if m["sign"] == "-":
        value = -value
    unit = m["unit"]
    if unit:
        if column is None or column.type != MONEY:
            raise ValueTextError(_("a money unit in a count cell: {text!r}").format(text=text))
        target = _UNIT_FACTORS[column.unit or "万元"]
        value = value * _UNIT_FACTORS[unit] / target
    out: int | Decimal = int(value) if value == value.to_integral_value() else value.normalize()
    return out, (m["note"] or None)


def to_decimal(value) -> Decimal:
    """A float/int/str/Decimal as an exact Decimal (floats through their shortest repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueTextError(_("not a number: {value!r}").format(value=value)) from exc


def canonical_text(value: int | Decimal) -> str:
    """The plain text of a value as the project writes it (no exponent, no trailing zeros)."""
    if isinstance(value, int):
        return str(value)
    d = to_decimal(value)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")
