"""What a 监控表 says about its project, computed: 序时进度, 执行率, 进度比 and its 预警 colour,
预计执行率, the indicators that may not be met, and whether the project needs correcting.

序时进度 = N/12 for 1-N月; 执行率 = 执行数 / 全年预算数 of 年度资金总额; 进度比 = 执行率 / 序时进度;
预警 红 below 60 %, 黄 from 60 % to below 80 %, 绿 from 80 % (the common default of the budget
systems), each bound settable in ``.perfgoals.yaml`` (``monitor:``). A budget of 0 or blank, or a
period that is not 1-N月, gives 无法计算 — never a division by zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping

from .. import money
from .values import IMPOSSIBLE, LIKELY, R_TOTAL, Monitor, Row

HUNDRED = Decimal(100)
RED, YELLOW, GREEN, UNKNOWN = "红", "黄", "绿", "无法计算"
#: worst first: how a list of projects is sorted
ORDER = {RED: 0, YELLOW: 1, UNKNOWN: 2, GREEN: 3}


@dataclass(frozen=True)
class Thresholds:
    """The 进度比 bounds of the colours (as fractions), and the month every project is measured
    at when the town sets one (None: each file's own 监控期间)."""

    red_below: Decimal = Decimal("0.6")
    yellow_below: Decimal = Decimal("0.8")
    month: int | None = None

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> "Thresholds":
        """From the ``monitor:`` section of ``.perfgoals.yaml`` (already checked): 红, 黄 in percent, 月份."""
        base = cls()
        return cls(Decimal(str(options["红"])) / HUNDRED if "红" in options else base.red_below,
                   Decimal(str(options["黄"])) / HUNDRED if "黄" in options else base.yellow_below,
                   int(options["月份"]) if "月份" in options else None)


@dataclass(frozen=True)
class Status:
    """One project at the monitoring date."""

    monitor: Monitor
    elapsed: Decimal | None  # 序时进度, a fraction
    rate: Decimal | None  # 执行率
    ratio: Decimal | None  # 进度比
    light: str
    forecast_rate: Decimal | None  # 预计执行率
    #: (data path, name, why) of each indicator that may not be met
    at_risk: tuple[tuple[str, str, str], ...] = ()
    #: money behind 序时进度 (全年预算数 × 序时进度 − 执行数, in 万元; 0 when ahead)
    behind: Decimal | None = None
    budget: Decimal | None = field(default=None)

    @property
    def needs_action(self) -> bool:
        """需要纠偏: the money is behind (红/黄) or an indicator may not be met."""
        return self.light in (RED, YELLOW) or bool(self.at_risk)


def _share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


def light_of(ratio: Decimal | None, t: Thresholds) -> str:
    if ratio is None:
        return UNKNOWN
    return RED if ratio < t.red_below else YELLOW if ratio < t.yellow_below else GREEN


def short_of(row: Row) -> str | None:
    """Why an indicator may not be met, or None: its forecast falls short of 年度指标值 (judged as
    `perfgoals score` judges an actual value), or the unit itself says 有可能 / 完全不可能."""
    if row.likely in (LIKELY, IMPOSSIBLE):
        return f"完成目标可能性：{row.likely}"
    if row.forecast and row.target and falls_short(row.target, row.forecast):
        return f"全年预计完成“{row.forecast}”未达到年度指标值“{row.target}”"
    return None


def falls_short(target: str, forecast: str) -> bool:
    """A forecast that would not reach its target, by `scoring`'s direction logic (≥/≤, deadlines,
    qualitative words)."""
    from .. import scoring
    from ..selfeval import Row as Scored
    return scoring.indicator("", Scored(None, target, forecast, Decimal(1), None), scoring.Policy()).short


def status(mon: Monitor, t: Thresholds | None = None) -> Status:
    t = t or Thresholds()
    months = t.month or mon.months
    elapsed = Decimal(months) / 12 if months else None
    total = mon.row_money(R_TOTAL)
    rate = _share(total.spent, total.budget)
    ratio = _share(rate, elapsed)
    at_risk = tuple((path, row.name or "", why) for path, _g, _i, row in mon.rows() if (why := short_of(row)))
    behind = None
    if elapsed is not None and total.budget is not None and total.spent is not None:
        gap = money.convert(total.budget * elapsed - total.spent, mon.money_unit, "万元")
        behind = max(Decimal(0), gap.quantize(Decimal("0.01"), ROUND_HALF_UP)) if gap is not None else None
    return Status(mon, elapsed, rate, ratio, light_of(ratio, t), _share(total.forecast, total.budget), at_risk,
                  behind, money.convert(total.budget, mon.money_unit, "万元"))


def percent(value: Decimal | None) -> Decimal | None:
    """A fraction as a percentage to 0.01 (58.33 for 7/12)."""
    return None if value is None else (value * HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)
