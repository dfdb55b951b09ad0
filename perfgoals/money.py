"""Amounts: exact decimals in 万元 or 元, read from text only when they are plausible numbers.

An amount is a finite decimal with at most `MAX_DIGITS` significant digits, no more than
`MAX_DECIMALS` decimals and a magnitude below 10**`MAX_EXPONENT`: far beyond any budget (lint's
amount-implausible rule judges what is merely large), yet small enough that every sum, quotient
and printout stays fast and bounded. ``1e999999999`` (15 bytes) would otherwise be a number whose
printing takes a gigabyte, and ``NaN`` no number at all.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

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


RANGE = f"不超过 {MAX_DIGITS} 位有效数字、最多 {MAX_DECIMALS} 位小数的有限数字"
