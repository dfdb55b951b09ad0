"""The 自评表 as values: its keys (the form's own words, tied here to the English attributes,
as `perfgoals.model` does for the target table), where its file sits, and `SelfEval`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Final, Mapping

from .. import money
from .. import model as m
from ..forms import SELFEVAL_2020, beside_path

SUFFIX: Final = SELFEVAL_2020.suffix

K_NAME, K_YEAR, K_DEPT, K_UNIT, K_MONEY_UNIT = "项目名称", "年度", "主管部门", "实施单位", "金额单位"
K_MONEY, K_GOAL, K_INDICATORS, K_TOTAL = "项目资金", "年度总体目标", "绩效指标", "总分"
TOP_KEYS: Final = (K_NAME, K_YEAR, K_DEPT, K_UNIT, K_MONEY_UNIT, K_MONEY, K_GOAL, K_INDICATORS, K_TOTAL)
REQUIRED_KEYS: Final = (K_NAME, K_YEAR, K_MONEY, K_INDICATORS)

R_TOTAL, R_APPROPRIATION, R_CARRYOVER, R_OTHER = "年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"
MONEY_ROWS: Final = (R_TOTAL, R_APPROPRIATION, R_CARRYOVER, R_OTHER)
C_INITIAL, C_BUDGET, C_SPENT = "年初预算数", "全年预算数", "全年执行数"
MONEY_COLUMNS: Final = (C_INITIAL, C_BUDGET, C_SPENT)
C_WEIGHT, C_RATE, C_SCORE = "分值", "执行率", "得分"
TOTAL_ROW_KEYS: Final = (*MONEY_COLUMNS, C_WEIGHT, C_RATE, C_SCORE)

G_EXPECTED, G_ACHIEVED = "预期目标", "实际完成情况"
GOAL_KEYS: Final = (G_EXPECTED, G_ACHIEVED)

I_NAME, I_TARGET, I_ACTUAL, I_WEIGHT, I_SCORE, I_REASON = (
    "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
ROW_KEYS: Final = (I_NAME, I_TARGET, I_ACTUAL, I_WEIGHT, I_SCORE, I_REASON)


def target_path(path: Path) -> Path:
    """The target table a 自评 file belongs to: ``x.自评.yaml`` → ``x.yaml``."""
    return beside_path(path, "selfeval", "target")


def path_for(target: Path) -> Path:
    """The 自评 file of a target table: ``x.yaml`` → ``x.自评.yaml``."""
    return beside_path(target, "target", "selfeval")


@dataclass(frozen=True)
class MoneyRow:
    """One row of 项目资金: 年初预算数, 全年预算数, 全年执行数 (None = blank)."""

    initial: Decimal | None = None
    budget: Decimal | None = None
    spent: Decimal | None = None

    def column(self, key: str) -> Decimal | None:
        return {C_INITIAL: self.initial, C_BUDGET: self.budget, C_SPENT: self.spent}[key]


@dataclass(frozen=True)
class Row:
    """One 三级 row: approved target, actual value, weight (分值) and stated score (得分)."""

    name: str | None
    target: str | None
    actual: str | None
    weight: Decimal | None
    score: Decimal | None
    reason: str | None = None
    #: the score as written ("18.6"), for the tolerance of one unit of its last digit
    score_text: str | None = None


#: the rows under one 二级 indicator (the target table's group, holding 自评 rows)
Group = m.Rows[Row]


@dataclass(frozen=True)
class SelfEval:
    """One project's 自评表 as written (scores stated by the unit, not yet checked)."""

    name: str | None
    year: int | None
    department: str | None
    unit: str | None
    money_unit: str
    money: Mapping[str, MoneyRow]
    budget_weight: Decimal | None
    stated_rate: Decimal | None
    budget_score: Decimal | None
    expected: str | None
    achieved: str | None
    groups: tuple[Group, ...]
    total: Decimal | None
    budget_score_text: str | None = None
    total_text: str | None = None
    rate_text: str | None = None
    path: str = ""
    positions: Mapping[str, m.Position] = field(default_factory=dict, compare=False, repr=False)
    suppressions: Mapping[int, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def rows(self) -> list[tuple[str, Group, int, Row]]:
        """(data path, group, index, row) for every 三级 row in form order."""
        return [(f"{K_INDICATORS}.{g.level1}.{g.level2}[{i}]", g, i, r)
                for g in self.groups for i, r in enumerate(g.rows)]

    def position(self, path: str) -> m.Position:
        return m.position_in(self.positions, path)

    def row_money(self, key: str) -> MoneyRow:
        return self.money.get(key) or MoneyRow()


def in_wan(se: SelfEval, value: Decimal | None) -> Decimal | None:
    return money.convert(value, se.money_unit, "万元")
