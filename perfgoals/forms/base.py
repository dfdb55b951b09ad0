"""What an official form is made of (`Form`), and the indicator words all forms share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Mapping

OUTPUT: Final = "产出指标"
COST: Final = "成本指标"
BENEFIT: Final = "效益指标"
SATISFACTION: Final = "满意度指标"
#: Every 一级 indicator any form uses, in the order the forms print them.
LEVEL1_ORDER: Final = (COST, OUTPUT, BENEFIT, SATISFACTION)


@dataclass(frozen=True)
class Form:
    """One official form: what it is called, what it holds, how a blank one looks.

    ``levels`` is its 一级 → 二级 vocabulary in the order the form prints it; ``blank`` the
    二级 rows a blank form pre-prints (a row each); ``money_unit`` the unit its amounts are
    kept in; ``nature`` whether its header has 项目性质; ``value_head`` the heading of the
    value column. ``users`` and ``example`` are for `perfgoals forms`.
    """

    id: str
    title: str
    kind: str  # "target" (a 目标表) or "selfeval" (a 自评表)
    levels: Mapping[str, tuple[str, ...]]
    blank: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    money_unit: str = "万元"
    nature: bool = False
    value_head: str = "年度指标值"
    users: str = ""
    example: str = ""
    #: what ``perfgoals new --form`` also accepts for it (the ids of earlier releases)
    aliases: tuple[str, ...] = ()
