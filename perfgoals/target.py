"""The structured reading of a 年度指标值: comparison, number, unit, or deadline/frequency/word.

The YAML stores the value as the text the form shows ("95%以上", "≤590.00(人)", "10月底前");
this module derives what that text means, for lint's quality rules and for diff's "target
lowered" check. It never changes the stored text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

#: Comparison signs as typed on real forms → ≥ ≤ = > <, in the order they are replaced: full-width
#: and look-alike characters first (‹ › are the angle quotes an input method gives for < >), then
#: the two-character forms in either order (>= and =>, <= and =<).
_OPS = {"≦": "≤", "≧": "≥", "＝": "=", "＞": ">", "＜": "<", "‹": "<", "›": ">", "<=": "≤", "=<": "≤",
        ">=": "≥", "=>": "≥", "==": "="}
_PREFIX_WORDS = (
    ("大于等于", "≥"), ("大于或等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("至少", "≥"), ("不小于", "≥"),
    ("小于等于", "≤"), ("小于或等于", "≤"), ("不高于", "≤"), ("不超过", "≤"), ("不多于", "≤"), ("不大于", "≤"),
    ("控制在", "≤"), ("大于", ">"), ("高于", ">"), ("超过", ">"), ("多于", ">"), ("小于", "<"), ("低于", "<"),
    ("少于", "<"), ("达到", "≥"), ("等于", "="),
)
_SUFFIX_WORDS = (("及以上", "≥"), ("以上", "≥"), ("以下", "≤"), ("以内", "≤"), ("之内", "≤"))
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|％|\(\s*%\s*\)|（\s*%\s*）|个百分点)")
_DEADLINE = re.compile(
    r"(\d{4}\s*年)|(\d{1,2}\s*月)|月底|月初|月中|年底|年初|年中|季度|上半年|下半年|中旬|上旬|下旬|"
    r"\d+\s*日|\d+\s*点|前完成|之前|前$|底前|截止|春节|元旦|端午|中秋|七一|重大节日|暑期|寒假|暑假|节前")
_FREQUENCY = re.compile(r"^每|每(天|日|周|月|季度?|年|学期|两周|半年)|(一|两|二|三|四|\d+)\s*次|半年度?|全年|常态化|定期|实时")
_UNIT = re.compile(r"^\s*([^\d\s，,。；;（）()、]{1,6})")
_FREQ_PREFIX = re.compile(r"^每(天|日|周|两周|月|季度?|年|学期|半年)")


@dataclass(frozen=True)
class Target:
    """What a 年度指标值 says.

    ``kind`` is one of: ``empty``, ``percent``, ``number`` (a count or amount with ``unit``),
    ``deadline`` (a date or time limit), ``frequency`` ("每月不少于1次"), ``text`` (anything
    else: a qualitative word or sentence). ``op`` is ``≥ ≤ = > <`` or None when the text gives
    no comparison.
    """

    text: str
    kind: str
    op: str | None = None
    number: Decimal | None = None
    unit: str | None = None

    @property
    def quantitative(self) -> bool:
        return self.kind in ("percent", "number") or (self.kind == "frequency" and self.number is not None)


def normalise(text: str) -> str:
    out = text.strip()
    for a, b in _OPS.items():
        out = out.replace(a, b)
    return out


def _op(text: str) -> tuple[str | None, str]:
    """The comparison a value states and the text without it."""
    s = text.lstrip()
    if s and s[0] in "≥≤=><":
        return s[0], s[1:].strip()
    for word, op in _PREFIX_WORDS:
        if s.startswith(word):
            return op, s[len(word):].strip()
    for word, op in _SUFFIX_WORDS:
        if s.endswith(word):
            return op, s[: -len(word)].strip()
    return None, s


@functools.lru_cache(maxsize=1 << 12)  # values repeat across projects (4,096 hold 95 % of the asks); bounded memory
def parse(text: str | None) -> Target:
    """Read a 年度指标值. Examples::

        "≥90%"       → percent ≥ 90 %       "95%以上"     → percent ≥ 95 %
        "大于等于10件" → number ≥ 10 件      "≤590.00(人)" → number ≤ 590.00 人
        "≦85.9亩"    → number ≤ 85.9 亩     "=28户"       → number = 28 户
        "每月不少于1次" → frequency ≥ 1 次   "10月底前"     → deadline
        "提升"        → text
    """
    if text is None or not text.strip():
        return Target(text or "", "empty")
    raw = normalise(text)
    freq = _FREQ_PREFIX.match(raw) or (raw.startswith("每") and re.match(r"每", raw))
    body = raw[freq.end():].lstrip("，, ") if freq else raw
    op, rest = _op(body)
    if op is None and body != raw:
        op, rest = _op(raw)
    # a comparison after a short lead-in: "每年不少于2批", "满意度90%以上"
    if op is None:
        for word, wop in _PREFIX_WORDS:
            idx = rest.find(word)
            if 0 < idx <= 4 and _NUMBER.match(rest[idx + len(word):].lstrip()):
                op, rest = wop, rest[idx + len(word):].strip()
                break
    pct = _PERCENT.search(rest)
    if pct and (pct.start() <= 6 or op is not None or "百分点" in pct.group(0)):
        return Target(text, "frequency" if freq else "percent", op, Decimal(pct.group(1)), "%")
    num = _NUMBER.search(rest)
    unit = _unit(rest[num.end():]) if num else None
    if freq:
        return Target(text, "frequency", op, Decimal(num.group(1)) if num else None, unit)
    time_unit = bool(unit and unit.startswith(_TIME_UNITS)) or bool(_MONTH_RANGE.search(raw))
    if _DEADLINE.search(raw) and (num is None or num.start() > 2 or time_unit):
        return Target(text, "deadline", op)
    if num and num.start() <= 2:
        return Target(text, "number", op, Decimal(num.group(1)), unit)
    if _FREQUENCY.search(raw):
        return Target(text, "frequency", op, Decimal(num.group(1)) if num else None)
    return Target(text, "text", op)


_TIME_UNITS = ("月", "日", "号", "年", "中旬", "上旬", "下旬", "点", "季度")
_MONTH_RANGE = re.compile(r"\d+\s*[-~至到、]\s*\d+\s*月")


_DATE_WORDS = re.compile(r"\d+\s*(月|日|号)|月底|年底|季度|上半年|下半年|中旬")


def mentions_time(text: str | None) -> bool:
    """True when a value names a month, day or part of the year ("一年2次，4月、8月底前完成")."""
    return bool(text and _DATE_WORDS.search(text))


def _unit(tail: str) -> str | None:
    tail = tail.strip().strip("()（）").strip()
    if not tail:
        return None
    hit = _UNIT.match(tail)
    if not hit:
        return None
    unit = hit.group(1)
    for word in _APPROXIMATE:  # "30人左右" is about 30 人
        if unit.endswith(word) and len(unit) > len(word):
            return unit[: -len(word)]
    return unit


_APPROXIMATE = ("左右", "上下", "余")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千万]+(?=[^\d零〇一二两三四五六七八九十百千万]|$)")


def _cn_value(word: str) -> int | None:
    """一 → 1, 两 → 2, 十 → 10, 十五 → 15, 二十一 → 21, 一百二十 → 120; None if it is not a number."""
    total, current = 0, None
    for ch in word:
        if ch in _CN_DIGITS:
            if current is not None:
                return None  # "一二": not a number word
            current = _CN_DIGITS[ch]
        else:
            total += (1 if current is None else current) * _CN_UNITS[ch]
            current = None
    return total + (current or 0)


def arabic(text: str) -> str:
    """A value with its Chinese number words in digits, for comparing ("两次" → "2次", "十人" → "10人").
    A word that only contains a number character ("一次性", "统一") is left alone: only a number word
    right before a measure (次, 人, 个 …) or a percent is read."""
    def swap(hit: re.Match[str]) -> str:
        after = text[hit.end():hit.end() + 1]
        value = _cn_value(hit.group(0))
        if value is None or not after or not _MEASURE.match(after) or text[hit.end():hit.end() + 2] == "次性":
            return hit.group(0)
        return str(value)
    return _CN_NUMBER.sub(swap, text)


_MEASURE = re.compile(r"[次人个项户场期件份家所名批条台辆套处篇场回%％天日月年周元万亩公里米座]")


_FLOORS, _CEILINGS = ("≥", ">", "=", None), ("≤", "<")


def lowered(old: Target, new: Target, lower_is_better: bool = False) -> bool:
    """True when ``new`` asks for less than ``old``.

    Comparable pairs only: both percentages, or both numbers in the same unit. A floor that
    falls (≥95% → ≥90%, 12次 → 10次), a ceiling that rises (≤5天 → ≤7天), and a floor turned into
    a ceiling (≥10人 → ≤10人: "at least" became "at most") all ask for less. ``lower_is_better``:
    the indicator is a cost (300元/人 → 200元/人 asks for more, not less), so a value with no
    sign is a ceiling.
    """
    if old.number is None or new.number is None or old.kind != new.kind or old.unit != new.unit:
        return False
    if lower_is_better and old.op is None and new.op is None:
        return new.number > old.number
    if old.op in _FLOORS and new.op in _CEILINGS:
        return True
    if old.op in _CEILINGS or new.op in _CEILINGS:
        return new.number > old.number  # a ceiling that rises is a looser target
    return new.number < old.number


#: How many times a year a period word means ("每季度" → 4).
_PER_YEAR = (("每天", 365), ("每日", 365), ("每周", 52), ("每两周", 26), ("每半月", 24), ("每月", 12),
             ("每季度", 4), ("每季", 4), ("每学期", 2), ("每半年", 2), ("每年", 1), ("全年", 1))


def times_per_year(t: Target) -> Decimal | None:
    """How often a frequency target asks for something in a year ("每季度不少于2次" → 8), or None."""
    text = normalise(t.text)
    for word, n in sorted(_PER_YEAR, key=lambda wn: -len(wn[0])):
        if text.startswith(word) or (word in text and t.kind == "frequency"):
            count = t.number if t.number is not None and (t.unit or "").startswith(("次", "场", "期", "回")) else Decimal(1)
            return Decimal(n) * count
    return None


_MONTH = re.compile(r"(\d{1,2})\s*月")
_PART_OF_YEAR = (("上半年", 6), ("年中", 6), ("下半年", 12), ("年底", 12), ("年末", 12), ("年内", 12))


def _deadline_month(t: Target) -> int | None:
    months = [int(m) for m in _MONTH.findall(t.text)]
    if months:
        return months[-1]
    for word, month in _PART_OF_YEAR:
        if word in t.text:
            return month
    return None


def later(old: Target, new: Target) -> bool:
    """True when a deadline moved later in the year ("10月底前" → "11月底前", "6月底前" → "年底前")."""
    if old.kind != "deadline" or new.kind != "deadline":
        return False
    a, b = _deadline_month(old), _deadline_month(new)
    return a is not None and b is not None and b > a


def _per_year(t: Target) -> Decimal | None:
    """How many a year a frequency asks for, or a plain count of times (21次: an annual target)."""
    found = times_per_year(t)
    if found is None and t.kind == "number" and t.number is not None and (t.unit or "").startswith(_COUNTS):
        return t.number
    return found


_COUNTS = ("次", "场", "期", "回")


def weakened(old: Target, new: Target, lower_is_better: bool = False) -> str:
    """Why ``new`` is a weaker target than ``old`` ("目标降低", "频次降低", "期限推后", "改为定性表述"),
    or "". Number words count as numbers (20次 → 两次), a count per period as a count a year
    (21次 → 每月1次: 12 a year), "左右/约" as the number (33人 → 30人左右); a measurable target
    turned into words (90% → 基本满意) is weaker too. ``lower_is_better``: a cost indicator."""
    if _CN_NUMBER.search(old.text) or _CN_NUMBER.search(new.text):
        old, new = parse(arabic(old.text)), parse(arabic(new.text))
    a, b = times_per_year(old), times_per_year(new)
    if a is not None and b is not None:  # two frequencies: compare how often a year, not the counts
        return "频次降低" if b < a else ""
    if (a is None) != (b is None):  # a count against a frequency: both as times a year
        a, b = _per_year(old), _per_year(new)
        if a is not None and b is not None:
            return "频次降低" if b < a else ""
    if lowered(old, new, lower_is_better):
        return "目标降低"
    if later(old, new):
        return "期限推后"
    if old.quantitative and new.kind == "text":
        return "改为定性表述"
    return ""
