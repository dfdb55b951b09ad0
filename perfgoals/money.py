"""Amounts: exact decimals in 万元 or 元, read from text only when they are plausible numbers.

An amount is a finite decimal with at most `MAX_DIGITS` significant digits, no more than
`MAX_DECIMALS` decimals and a magnitude below 10**`MAX_EXPONENT`: far beyond any budget (lint's
amount-implausible rule judges what is merely large), yet small enough that every sum, quotient
and printout stays fast and bounded. ``1e999999999`` (15 bytes) would otherwise be a number whose
printing takes a gigabyte, and ``NaN`` no number at all.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

CENT = Decimal("0.01")
WAN = Decimal(10000)  # 元 in a 万元
MAX_DIGITS = 40
MAX_DECIMALS = 10
MAX_EXPONENT = 1000

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse(text: str) -> Decimal | None:
    """The amount a text states (commas of thousands allowed), or None when it is not a
    plausible finite number (see the module docstring)."""
    raw = text.strip().replace(",", "")
    if not _NUMBER.fullmatch(raw) or len(raw) > 2 * MAX_DIGITS:
        return None
    mantissa, _, exponent = raw.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_EXPONENT + MAX_DIGITS:  # decided before Decimal sees it
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if plausible(value) else None


def plausible(value: Decimal) -> bool:
    """Finite, not too many digits, not too many decimals, not too large (module docstring)."""
    if not value.is_finite() or value.adjusted() >= MAX_EXPONENT:
        return False
    normal = value.normalize()
    _sign, digits, exponent = normal.as_tuple()
    return isinstance(exponent, int) and len(digits) <= MAX_DIGITS and -exponent <= MAX_DECIMALS


RANGE = f"不超过 {MAX_DIGITS} 位有效数字、最多 {MAX_DECIMALS} 位小数、小于 10 的 {MAX_EXPONENT} 次方的有限数字"


def display(value: Decimal | None, grouping: bool = True) -> str:
    """An amount as people read it: 1,234.56 (to the fen, half up); "—" when blank. The one
    display of money for every report and rendered page."""
    if value is None:
        return "—"
    if not value.is_finite():
        return str(value)
    with localcontext(prec=max(28, value.adjusted() + 4)):  # any amount the loader lets in
        cents = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{cents:,.2f}" if grouping else f"{cents:.2f}"


def convert(value: Decimal | None, unit: str, to: str) -> Decimal | None:
    """An amount kept in ``unit`` (万元 or 元) in ``to``, exactly (Decimal ÷ or × 10000); a blank
    stays blank. The one conversion between the forms' money units."""
    if value is None or unit == to:
        return value
    return value / WAN if unit == "元" else value * WAN
