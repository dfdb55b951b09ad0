"""`perfgoals new`: a blank project with every slot of the official form, ready to fill in."""

from __future__ import annotations

from . import framework
from . import model as m


def blank_project(name: str, year: int, unit: str, department: str | None = None,
                  form: str = "2024") -> m.Project:
    """A project whose every 一级/二级 group has one empty row, like the printed blank form.

    ``form`` is "2024" (成本指标 under 产出指标) or "101" (成本指标 as 一级, 申报表 style).
    """
    tree = framework.FORM_101 if form == "101" else framework.FORM_2024
    empty = (m.Indicator(None, None),)
    groups = tuple(m.Group(level1, level2, empty) for level1, names in tree.items() for level2 in names)
    new_form = form == "101"
    return m.Project(
        name=name, year=year, category=None, nature=None, department=department, unit=unit,
        money_unit="元" if new_form else "万元",
        start=f"{year}-01-01", end=f"{year}-12-31",
        funds=m.Funds(), annual=m.AnnualFunds(),
        period=f"{year}年-{year}年", goal_total=None, goal_annual=None,
        groups=groups,
    )
