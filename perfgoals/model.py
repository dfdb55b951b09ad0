"""The project model: one 财政项目支出绩效目标表 as frozen, typed values.

The YAML keys are the official form's own field names; the attributes here are their English
counterparts. `KEYS` below is the one place that ties the two together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, Generic, Mapping, TypeVar

from . import money

#: Project categories of the 2024 form (项目类别 with three tick boxes).
CATEGORIES: Final = ("专项资金", "经常性项目", "一次性项目")
#: 项目性质 of the newer 申报表.
NATURES: Final = ("经常性项目", "阶段性项目", "一次性项目")
#: 项目类别 of the newer 申报表 (it moved the old three into 项目性质).
NEW_CATEGORIES: Final = ("特定目标类", "其他运转类", "人员类", "公用经费类")
MONEY_UNITS: Final = ("万元", "元")

# Top-level keys in canonical (form) order.
K_NAME, K_YEAR, K_CATEGORY, K_NATURE = "项目名称", "年度", "项目类别", "项目性质"
K_DEPT, K_UNIT, K_START, K_END = "主管部门", "实施单位", "计划开始日期", "计划完成日期"
K_MONEY_UNIT, K_FUNDS, K_ANNUAL, K_GOALS, K_INDICATORS = "金额单位", "项目资金", "年度资金", "绩效目标", "绩效指标"
TOP_KEYS: Final = (K_NAME, K_YEAR, K_CATEGORY, K_NATURE, K_DEPT, K_UNIT, K_START, K_END,
                   K_MONEY_UNIT, K_FUNDS, K_ANNUAL, K_GOALS, K_INDICATORS)
REQUIRED_KEYS: Final = (K_NAME, K_YEAR, K_DEPT, K_UNIT, K_FUNDS, K_ANNUAL, K_GOALS, K_INDICATORS)

K_TOTAL, K_FISCAL, K_OTHER = "项目资金总额", "财政资金", "其他资金"
FUNDS_KEYS: Final = (K_TOTAL, K_FISCAL, K_OTHER)
K_ANNUAL_TOTAL, K_APPROPRIATION, K_CARRYOVER = "年度资金申请总额", "当年财政拨款", "上年结转资金"
ANNUAL_KEYS: Final = (K_ANNUAL_TOTAL, K_APPROPRIATION, K_CARRYOVER, K_OTHER)
K_PERIOD, K_GOAL_TOTAL, K_GOAL_ANNUAL = "总目标期间", "项目总目标", "年度总体目标"
GOAL_KEYS: Final = (K_PERIOD, K_GOAL_TOTAL, K_GOAL_ANNUAL)
K_ROW_NAME, K_ROW_VALUE = "三级指标", "年度指标值"
ROW_KEYS: Final = (K_ROW_NAME, K_ROW_VALUE)
#: Fields only other forms have (no key in the Shanghai files): 上级资金 of a provincial 申报表,
#: the 绩效标准 of its rows, the 长期 indicators of the national table.
K_UPPER, K_ROW_STANDARD, K_LONG = "上级资金", "绩效标准", "长期绩效指标"

#: Every field of a project as a data path in the Shanghai files' words (the paths rules and
#: positions use); a form with other words maps its own keys onto these (`forms.Form.layout`).
FIELDS: Final = {
    "name": K_NAME, "year": K_YEAR, "category": K_CATEGORY, "nature": K_NATURE, "department": K_DEPT,
    "unit": K_UNIT, "start": K_START, "end": K_END, "money_unit": K_MONEY_UNIT,
    "funds.total": f"{K_FUNDS}.{K_TOTAL}", "funds.fiscal": f"{K_FUNDS}.{K_FISCAL}",
    "funds.other": f"{K_FUNDS}.{K_OTHER}",
    "annual.total": f"{K_ANNUAL}.{K_ANNUAL_TOTAL}", "annual.appropriation": f"{K_ANNUAL}.{K_APPROPRIATION}",
    "annual.carryover": f"{K_ANNUAL}.{K_CARRYOVER}", "annual.upper": f"{K_ANNUAL}.{K_UPPER}",
    "annual.other": f"{K_ANNUAL}.{K_OTHER}",
    "period": f"{K_GOALS}.{K_PERIOD}", "goal_total": f"{K_GOALS}.{K_GOAL_TOTAL}",
    "goal_annual": f"{K_GOALS}.{K_GOAL_ANNUAL}", "groups": K_INDICATORS, "long_groups": K_LONG,
}

Position = tuple[int, int]
"""(line, column), both 1-based, of a value in its file."""


def position_in(positions: Mapping[str, Position], path: str) -> Position:
    """The position of a data path in a document's positions, else of its nearest recorded
    ancestor (a target table and a 自评表 alike)."""
    while path:
        pos = positions.get(path)
        if pos is not None:
            return pos
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return positions.get("", (1, 1))


@dataclass(frozen=True)
class Funds:
    """项目资金（lifetime of the project）: 项目资金总额 = 财政资金 + 其他资金. None = blank on the form."""

    total: Decimal | None = None
    fiscal: Decimal | None = None
    other: Decimal | None = None


@dataclass(frozen=True)
class AnnualFunds:
    """年度资金（this year）: 年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金."""

    total: Decimal | None = None
    appropriation: Decimal | None = None
    carryover: Decimal | None = None
    other: Decimal | None = None
    #: 上级资金 (a provincial 申报表's block: 年度资金总额 = 本级预算金额 + 上级资金 + 其他资金)
    upper: Decimal | None = None


@dataclass(frozen=True)
class Indicator:
    """One 三级 row: the indicator's name and the target text exactly as the form shows it."""

    name: str | None
    value: str | None
    #: 绩效标准 (计划标准, 行业标准, 历史标准…) where a form has that column
    standard: str | None = None

    @property
    def blank(self) -> bool:
        """A row with neither name nor value: the empty slot of a blank form (`perfgoals new`),
        not an indicator; it is not counted, exported or printed once its group has a real row."""
        return not ((self.name or "").strip() or (self.value or "").strip() or (self.standard or "").strip())


RowT = TypeVar("RowT")


@dataclass(frozen=True)
class Rows(Generic[RowT]):
    """The rows under one 二级 indicator, in form order: a target table's `Indicator` rows
    (`Group`) or a 自评表's rows (`selfeval.Group`)."""

    level1: str
    level2: str
    rows: tuple[RowT, ...]


class Group(Rows[Indicator]):
    """The rows under one 二级 indicator of a target table."""

    __slots__ = ()

    @property
    def filled(self) -> tuple[Indicator, ...]:
        """The rows that are indicators (blank slots left out)."""
        return tuple(row for row in self.rows if not row.blank)


@dataclass(frozen=True)
class Project:
    """One project's goal table."""

    name: str | None
    year: int | None
    category: str | None
    department: str | None
    unit: str | None
    start: str | None
    end: str | None
    funds: Funds
    annual: AnnualFunds
    period: str | None
    goal_total: str | None
    goal_annual: str | None
    groups: tuple[Group, ...]
    money_unit: str = "万元"
    nature: str | None = None
    #: the 长期 column group of the national table (its 年度 group is ``groups``)
    long_groups: tuple[Group, ...] = ()
    #: the form's id when the file's own keys say which form it is (forms with their own words)
    form: str = ""
    #: Where the project was read from ("" for a project built in memory).
    path: str = ""
    #: Data path (e.g. ``绩效指标.产出指标.数量指标[0].年度指标值``) → position in the file.
    positions: Mapping[str, Position] = field(default_factory=dict, compare=False, repr=False)
    #: Inline suppressions: data path → rule ids disabled there (``# perfgoals: disable=…``).
    suppressions: Mapping[int, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def rows(self) -> tuple[tuple[str, Group, int, Indicator], ...]:
        """Every 三级 row with its data path, group and index (computed once: every rule asks)."""
        cached = self.__dict__.get("_rows")
        if cached is None:
            cached = tuple((f"{K_INDICATORS}.{g.level1}.{g.level2}[{i}]", g, i, row)
                           for g in self.groups for i, row in enumerate(g.rows))
            self.__dict__["_rows"] = cached  # frozen dataclass: derived, not part of the value
        return cached

    def row_keys(self) -> tuple[str, ...]:
        """Every row's 三级指标 name without white space, in `rows` order ("" for a blank name):
        how rows are matched between tables and years (computed once: many rules ask)."""
        cached = self.__dict__.get("_row_keys")
        if cached is None:
            from .textnorm import squash
            cached = tuple(squash(row.name) if row.name else "" for _p, _g, _i, row in self.rows())
            self.__dict__["_row_keys"] = cached
        return cached

    def level1_names(self) -> list[str]:
        seen: list[str] = []
        for g in self.groups:
            if g.level1 not in seen:
                seen.append(g.level1)
        return seen

    def position(self, path: str) -> Position:
        """The position of a data path, falling back to its nearest recorded ancestor."""
        return position_in(self.positions, path)

    def amount_in_wan(self, value: Decimal | None) -> Decimal | None:
        """An amount of this project converted to 万元 (exactly)."""
        return money.convert(value, self.money_unit, "万元")


@dataclass(frozen=True)
class Item:
    """A project with the unit folder it sits in (the folder is the stable short unit name)."""

    project: Project
    unit_folder: str | None = None
