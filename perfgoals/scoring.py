"""Scoring a 自评表 the way 财预〔2020〕10号 describes it, on values (no I/O).

- 执行率 = 全年执行数 ÷ 全年预算数 (年度资金总额 row); 预算得分 = 执行率 × 分值, at most 分值.
- A quantitative indicator scores by the direction of its target's comparison:
  ≥ > 以上 = or none: higher is better — B ≥ A full marks, else B ÷ A × 分值;
  ≤ < 以下 以内: lower is better — B ≤ A full marks, falling linearly to 0 at B = 2A.
- A deadline ("10月底前"): the actual date on or before it is full marks, later is 0.
- A qualitative target (优/良, 及时, 有效, 健全, 达标…) scores by tier: 达成 80–100 % of 分值,
  部分达成 (较…, 基本…, 部分…) 60–80 %, 未达成 0–60 %. A stated score inside its tier's band
  stands; outside it, the score is the nearest edge of the band.
- 总分 = 预算得分 + Σ 指标得分; 等级 优 ≥ 90, 良 80–89, 中 60–79, 差 < 60.

Tier words, bands, grade limits and the point where a ≤ target reaches 0 are a `Policy`; a
district that scores differently sets them in ``.perfgoals.yaml`` under ``score:``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping

from . import selfeval as se_
from .target import parse

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ACHIEVED, PARTIAL, MISSED = "达成", "部分达成", "未达成"


@dataclass(frozen=True)
class Policy:
    """How scores are computed; the defaults are 财预〔2020〕10号's."""

    #: tier → (lowest, highest) share of 分值
    bands: Mapping[str, tuple[Decimal, Decimal]] = field(default_factory=lambda: {
        ACHIEVED: (Decimal("0.8"), Decimal(1)), PARTIAL: (Decimal("0.6"), Decimal("0.8")),
        MISSED: (Decimal(0), Decimal("0.6"))})
    partial_words: tuple[str, ...] = ("较", "基本", "部分", "大部分", "大体", "初步", "有所")
    missed_words: tuple[str, ...] = ("未", "没有", "不", "无法", "滞后", "差")
    #: grade → lowest 总分 for it, best first
    grades: tuple[tuple[str, Decimal], ...] = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)),
                                               ("差", Decimal(0)))
    #: a "lower is better" indicator reaches 0 points at B = this × A
    lower_zero_at: Decimal = Decimal(2)

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> "Policy":
        """A policy from the ``score:`` section of ``.perfgoals.yaml`` (already validated)."""
        base = cls()
        bands = dict(base.bands)
        for tier, pair in (options.get("档次") or {}).items():
            bands[tier] = (Decimal(str(pair[0])) / HUNDRED, Decimal(str(pair[1])) / HUNDRED)
        grades = base.grades
        if options.get("等级"):
            grades = tuple(sorted(((k, Decimal(str(v))) for k, v in options["等级"].items()),
                                  key=lambda kv: -kv[1]))
        return cls(bands, tuple(options.get("部分达成用词") or base.partial_words),
                   tuple(options.get("未达成用词") or base.missed_words), grades,
                   Decimal(str(options.get("反向指标归零倍数", base.lower_zero_at))))


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator: what the form states and what the rules compute."""

    path: str
    name: str
    weight: Decimal | None
    stated: Decimal | None
    stated_text: str | None
    #: the score by the rules (for a qualitative row: the stated score moved into its band)
    computed: Decimal | None
    #: "≥", "≤", "期限", "定性" or "" (no 分值 or nothing to compare)
    method: str
    #: the tier of a qualitative row, and its band in points
    tier: str | None = None
    band: tuple[Decimal, Decimal] | None = None
    #: the actual value falls short of the target
    short: bool = False
    note: str = ""

    @property
    def stated_ok(self) -> bool:
        """The stated score agrees with the rules (a band for qualitative rows; else one unit of
        the last digit shown)."""
        if self.stated is None or self.computed is None:
            return True
        if self.band is not None:
            return self.band[0] <= self.stated <= self.band[1]
        return abs(self.stated - self.computed) <= tolerance(self.stated_text)

    @property
    def full_marks_short(self) -> bool:
        """Full marks stated on a row whose actual value falls short of its target ("自评打高分"),
        even when the stated score is within rounding of the computed one (10 for 9.47)."""
        return self.short and self.weight is not None and self.stated is not None and self.stated >= self.weight > 0

    @property
    def flag(self) -> str:
        """What is wrong with the stated score, as `score` marks it ("" when nothing): every row
        lint reports (selfeval-score-mismatch, selfeval-full-marks-shortfall) is marked."""
        if self.full_marks_short:
            return "未达到目标却给了满分"
        return "" if self.stated_ok else "与计算不符"


@dataclass(frozen=True)
class Scored:
    """A whole 自评表 scored."""

    evaluation: se_.SelfEval
    rate: Decimal | None
    budget_score: Decimal | None
    indicators: tuple[IndicatorScore, ...]
    total: Decimal
    grade: str
    budget_note: str = ""

    @property
    def weights(self) -> Decimal:
        """Σ 分值 of the budget row and every indicator."""
        return (self.evaluation.budget_weight or Decimal(0)) + sum((i.weight or Decimal(0) for i in self.indicators), Decimal(0))


def tolerance(text: str | None) -> Decimal:
    """One unit of the last digit shown: "9.22" → 0.01, "93.5" → 0.1, "11" → 1."""
    if not text or "." not in text:
        return Decimal(1)
    return Decimal(1).scaleb(-len(text.split(".", 1)[1]))


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def execution_rate(budget: Decimal | None, spent: Decimal | None) -> Decimal | None:
    """执行率 in percent, or None when 全年预算数 is 0 or blank (there is nothing to execute)."""
    if not budget or spent is None:
        return None
    return _q(spent / budget * HUNDRED)


def budget_points(rate: Decimal | None, weight: Decimal | None) -> Decimal | None:
    """预算得分 = 执行率 × 分值, at most 分值."""
    if rate is None or weight is None:
        return None
    return _q(min(rate / HUNDRED, Decimal(1)) * weight)


def quantitative(target: Decimal, actual: Decimal, weight: Decimal, lower_is_better: bool,
                 zero_at: Decimal = Decimal(2)) -> Decimal:
    """Points for a number against its target (never above 分值, never below 0)."""
    if lower_is_better:
        if actual <= target:
            return weight
        if target <= 0:
            return Decimal(0)
        limit = zero_at * target
        if actual >= limit:
            return Decimal(0)
        return _q(weight * (limit - actual) / (limit - target))
    if target <= 0 or actual >= target:
        return weight
    return _q(max(actual, Decimal(0)) / target * weight)


def tier(actual: str, policy: Policy) -> str:
    """达成 / 部分达成 / 未达成 of a qualitative actual value, by its words."""
    text = actual.strip()
    if any(w in text for w in policy.missed_words):
        return MISSED
    if any(text.startswith(w) or w in text[:4] for w in policy.partial_words):
        return PARTIAL
    return ACHIEVED


_MONTH_DAY = re.compile(r"(?:(\d{4})\s*[年\-/.])?\s*(\d{1,2})\s*(?:月|[-/.])\s*(?:(\d{1,2})\s*[日号]?|(底|末|中旬|上旬|下旬|初))?")


def _date_key(text: str) -> tuple[int, int] | None:
    """(month, day) a deadline or an actual date names; 月底 counts as day 31, 年底 as 12-31."""
    if re.search(r"年底|年末|全年", text):
        return (12, 31)
    if "上半年" in text:
        return (6, 30)
    hit = _MONTH_DAY.search(text)
    if not hit:
        return None
    month = int(hit.group(2))
    if not 1 <= month <= 12:
        return None
    day = int(hit.group(3)) if hit.group(3) else {"初": 10, "上旬": 10, "中旬": 20, "下旬": 31}.get(hit.group(4) or "", 31)
    return (month, day)


def indicator(path: str, row: se_.Row, policy: Policy) -> IndicatorScore:
    """Score one row."""
    name = row.name or ""
    weight = row.weight

    def made(computed: Decimal | None, method: str, **more: Any) -> IndicatorScore:
        return IndicatorScore(path, name, weight, row.score, row.score_text, computed, method, **more)

    if weight is None:
        return made(None, "", note="没有分值")
    actual_text = (row.actual or "").strip()
    if not actual_text:
        return made(Decimal(0), "", short=True, note="实际完成值为空")
    goal = parse(row.target)
    got = parse(row.actual)
    if goal.kind in ("percent", "number") and goal.number is not None and got.number is not None \
            and got.kind in ("percent", "number", "frequency"):
        lower = goal.op in ("≤", "<")
        points = quantitative(goal.number, got.number, weight, lower, policy.lower_zero_at)
        return made(points, "≤" if lower else "≥", short=points < weight)
    if goal.kind == "deadline":
        due, done = _date_key(row.target or ""), _date_key(actual_text)
        if due is not None and done is not None:
            on_time = done <= due
            return made(weight if on_time else Decimal(0), "期限", short=not on_time)
    level = tier(actual_text, policy)
    lo, hi = policy.bands[level]
    band = (_q(lo * weight), _q(hi * weight))
    stated = row.score
    computed = band[1] if stated is None else min(max(stated, band[0]), band[1])
    return made(computed, "定性", tier=level, band=band, short=level != ACHIEVED)


def grade(total: Decimal, policy: Policy) -> str:
    for name, lowest in policy.grades:
        if total >= lowest:
            return name
    return policy.grades[-1][0]


def score(evaluation: se_.SelfEval, policy: Policy | None = None) -> Scored:
    """Every score of a 自评表 by the rules, next to what it states."""
    policy = policy or Policy()
    money = evaluation.row_money(se_.R_TOTAL)
    rate = execution_rate(money.budget, money.spent)
    points = budget_points(rate, evaluation.budget_weight)
    note = "" if rate is not None else "全年预算数为 0 或空白，执行率无法计算" if not money.budget else "全年执行数为空"
    rows = tuple(indicator(path, row, policy) for path, _g, _i, row in evaluation.rows())
    total = _q((points or Decimal(0)) + sum((i.computed or Decimal(0) for i in rows), Decimal(0)))
    return Scored(evaluation, rate, points, rows, total, grade(total, policy), note)
