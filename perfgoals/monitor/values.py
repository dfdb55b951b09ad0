"""The 监控表 as values: its keys (the form's own words, tied here to the English attributes),
the national lists of 偏差原因 and 完成目标可能性, where its file sits, and `Monitor`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Final, Mapping

from .. import model as m
from ..forms import MONITOR_2019, beside_path

SUFFIX: Final = MONITOR_2019.suffix

K_NAME, K_YEAR, K_PERIOD, K_DEPT, K_UNIT, K_MONEY_UNIT = "项目名称", "年度", "监控期间", "主管部门", "实施单位", "金额单位"
K_MONEY, K_GOAL, K_INDICATORS = "项目资金", "年度总体目标", "绩效指标"
TOP_KEYS: Final = (K_NAME, K_YEAR, K_PERIOD, K_DEPT, K_UNIT, K_MONEY_UNIT, K_MONEY, K_GOAL, K_INDICATORS)
REQUIRED_KEYS: Final = (K_NAME, K_YEAR, K_PERIOD, K_MONEY, K_INDICATORS)

R_TOTAL, R_APPROPRIATION, R_CARRYOVER, R_OTHER = "年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"
MONEY_ROWS: Final = (R_TOTAL, R_APPROPRIATION, R_CARRYOVER, R_OTHER)
C_INITIAL, C_BUDGET, C_SPENT, C_FORECAST = "年初预算数", "全年预算数", "执行数", "全年预计执行数"
MONEY_COLUMNS: Final = (C_INITIAL, C_BUDGET, C_SPENT, C_FORECAST)
D_REASONS, D_NOTE, D_ACTION = "偏差原因", "原因说明", "纠偏措施"
#: the 年度资金总额 row also says why the money is behind, as an indicator row does
TOTAL_ROW_KEYS: Final = (*MONEY_COLUMNS, D_REASONS, D_NOTE, D_ACTION)

G_EXPECTED, G_DONE = "预期目标", "执行情况"
GOAL_KEYS: Final = (G_EXPECTED, G_DONE)

I_NAME, I_TARGET, I_DONE, I_FORECAST = "三级指标", "年度指标值", "执行情况", "全年预计完成情况"
I_LIKELY, I_REMARK = "完成目标可能性", "备注"
ROW_KEYS: Final = (I_NAME, I_TARGET, I_DONE, I_FORECAST, D_REASONS, D_NOTE, I_LIKELY, D_ACTION, I_REMARK)

#: 偏差原因 as the national form lists them (财预〔2019〕136号 附件)
REASONS: Final = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")
SURE, LIKELY, IMPOSSIBLE = "确定能", "有可能", "完全不可能"
LIKELIHOODS: Final = (SURE, LIKELY, IMPOSSIBLE)

_PERIOD = re.compile(r"1\s*[-－—–~～至到]\s*(\d{1,2})\s*月")


def months_of(period: str | None) -> int | None:
    """N of a 监控期间 "1-N月" (1 ≤ N ≤ 12); None when it is missing or not such a period."""
    hit = _PERIOD.fullmatch((period or "").strip())
    if hit is None:
        return None
    n = int(hit.group(1))
    return n if 1 <= n <= 12 else None


def path_for(target: Path) -> Path:
    """The 监控 file of a target table: ``x.yaml`` → ``x.监控.yaml``."""
    return beside_path(target, "target", "monitor")


@dataclass(frozen=True)
class Deviation:
    """Why a row is behind and what will be done: 偏差原因 (from `REASONS`), 原因说明, 纠偏措施."""

    reasons: tuple[str, ...] = ()
    note: str | None = None
    action: str | None = None

    @property
    def explained(self) -> bool:
        return bool(self.reasons) or bool((self.note or "").strip())


@dataclass(frozen=True)
class MoneyRow:
    """One row of 项目资金: 年初预算数, 全年预算数, 1-N月执行数, 全年预计执行数 (None = blank)."""

    initial: Decimal | None = None
    budget: Decimal | None = None
    spent: Decimal | None = None
    forecast: Decimal | None = None
    deviation: Deviation = Deviation()

    def column(self, key: str) -> Decimal | None:
        return {C_INITIAL: self.initial, C_BUDGET: self.budget, C_SPENT: self.spent, C_FORECAST: self.forecast}[key]


@dataclass(frozen=True)
class Row:
    """One 三级 row: the approved 年度指标值, how far it has come, the year-end forecast, and
    the unit's own word on whether it will be met."""

    name: str | None
    target: str | None
    done: str | None = None
    forecast: str | None = None
    deviation: Deviation = Deviation()
    likely: str | None = None
    remark: str | None = None


#: the rows under one 二级 indicator (the target table's group, holding 监控 rows)
Group = m.Rows[Row]


@dataclass(frozen=True)
class Monitor:
    """One project's 监控表 as written."""

    name: str | None
    year: int | None
    period: str | None
    department: str | None
    unit: str | None
    money_unit: str
    money: Mapping[str, MoneyRow]
    expected: str | None
    done: str | None
    groups: tuple[Group, ...]
    path: str = ""
    positions: Mapping[str, m.Position] = field(default_factory=dict, compare=False, repr=False)
    suppressions: Mapping[int, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def months(self) -> int | None:
        """N of 1-N月 (None: missing or impossible)."""
        return months_of(self.period)

    def rows(self) -> list[tuple[str, Group, int, Row]]:
        """(data path, group, index, row) for every 三级 row in form order."""
        return [(f"{K_INDICATORS}.{g.level1}.{g.level2}[{i}]", g, i, r)
                for g in self.groups for i, r in enumerate(g.rows)]

    def position(self, path: str) -> m.Position:
        return m.position_in(self.positions, path)

    def row_money(self, key: str) -> MoneyRow:
        return self.money.get(key) or MoneyRow()
