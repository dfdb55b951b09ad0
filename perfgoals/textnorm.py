"""Small text repairs shared by the importers: what PDF extraction and hand-filled Excel break."""

from __future__ import annotations

import html
import re
from decimal import Decimal

_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》【】"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_WS = re.compile(r"\s+")
_SLOT = re.compile(r"^指标\s*(\d+)\s*[：:]\s*")
_DATE = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})(?:\s*[.\-/月]\s*(\d{1,2}))?\s*[日月]?$")
_TAG = re.compile(r"<[^>]+>")


def squash(text: str) -> str:
    """Text without any white space: for matching labels that extraction split ("满意 度指 标")."""
    return "".join(text.split()) if text else ""


def join_cjk(text: str) -> str:
    """Remove the spaces extraction puts inside Chinese words; keep spaces elsewhere."""
    return _CJK_GAP.sub("", _WS.sub(" ", text).strip())


def clean_value(text: str) -> str:
    """A target value as the form shows it, minus extraction noise ("12597m ²", "≥95 (%)")."""
    text = _WS.sub(" ", text).strip()
    text = re.sub(r"\s+([²³])", r"\1", text)
    text = re.sub(r"(\d)\s+\(", r"\1(", text)
    text = re.sub(r"(\d)\.\s+(\d)", r"\1.\2", text)
    return text


def split_slot(text: str) -> tuple[int | None, str]:
    """"指标2：活动次数" → (2, "活动次数"); text without the pre-printed prefix → (None, text)."""
    hit = _SLOT.match(text)
    if hit:
        return int(hit.group(1)), text[hit.end():]
    return None, text


def slot_segments(cell: str) -> list[str]:
    """A cell holding several pre-printed slots ("指标1： 指标2：") → one string per slot."""
    parts = re.split(r"(?=指标\s*\d+\s*[：:])", cell)
    return [p.strip() for p in parts if p.strip()]


def parse_date(text: str) -> str:
    """"2024. 1. 1", "2024年1月1日", "2024-1-1" → "2024-01-01"; "2024.1" → "2024-01"; else unchanged."""
    hit = _DATE.match(text.strip())
    if not hit:
        return join_cjk(text)
    year, month, day = hit.groups()
    if day is None:
        return f"{year}-{int(month):02d}"
    return f"{year}-{int(month):02d}-{int(day):02d}"


def parse_amount(text: str) -> Decimal | None:
    """"93. 50" → Decimal("93.50"); blank, "/", "-", "—" → None. Raises ValueError for anything
    else, and for a number no amount can be (`money.parse`: NaN, 1e9999, 1e-99)."""
    from .money import parse
    raw = squash(text).replace(",", "").replace("，", "")
    if raw in ("", "/", "-", "—", "／", "无"):
        return None
    value = parse(raw)
    if value is None:
        raise ValueError(text)
    return value


def strip_html(text: str) -> str:
    """"<p>1. …</p> <p>2. …</p>" → paragraphs separated by new lines, entities decoded."""
    if "<" not in text and "&" not in text:
        return text
    text = re.sub(r"</p>\s*<p>", "\n", text)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = html.unescape(_TAG.sub("", text))
    return "\n".join(_WS.sub(" ", line).strip() for line in text.split("\n")).strip()
