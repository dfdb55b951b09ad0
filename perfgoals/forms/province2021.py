"""The provincial 项目支出绩效目标表 several provinces use since 2021 (the 财预〔2021〕101号 indicator
framework): a money block of 年度资金总额 = 年度本级预算金额 + 上级资金 + 其他资金, one 年度总体目标,
and indicator rows that carry 指标值及单位 and 绩效标准 (计划标准, 行业标准, 历史标准…) as columns."""

from __future__ import annotations

from typing import Any

from .. import model as m
from . import sheet
from .base import Form
from .shenbao101 import FORM as SHENBAO

STANDARDS = ("计划标准", "行业标准", "历史标准", "其他标准")

#: relative widths of the six columns: side label, 一级, 二级, 三级, 指标值及单位, 绩效标准
WIDTHS = (12, 12, 15, 29, 19, 13)
MONEY = (("年度资金总额", "total"), ("其中：年度本级预算金额", "appropriation"), ("上级资金", "upper"),
         ("其他资金", "other"))


def grid(p: m.Project, blank_slots: bool = True, official: bool = False) -> Any:
    """The table as printed: header, the 项目资金 block, 年度总体目标 across the page, then the
    indicators with 指标值及单位 and 绩效标准 columns."""
    out = sheet.Cells()
    add = out.add
    add(0, 0, FORM.title, "title", colspan=6)
    add(1, 0, f"（{p.year}年度）" if p.year else "", "subtitle", colspan=6)
    add(2, 0, "项目名称", "label")
    add(2, 1, p.name or "", colspan=5)
    add(3, 0, "主管部门", "label")
    add(3, 1, p.department or "", colspan=2)
    add(3, 3, "实施单位", "label")
    add(3, 4, p.unit or "", colspan=2)
    add(4, 0, f"项目资金（{p.money_unit}）", "label", rowspan=len(MONEY))
    for i, (label, attr) in enumerate(MONEY):
        add(4 + i, 1, label, "label", colspan=2)
        out.money(4 + i, 3, getattr(p.annual, attr), colspan=3)
    goal = 4 + len(MONEY)
    add(goal, 0, "年度总体目标", "label")
    add(goal, 1, p.goal_annual or "", "goal", colspan=5)
    end = sheet.indicators(out, goal + 2, FORM, (p.groups,), blank_slots, official, (2,))
    add(goal + 1, 0, "绩效指标", "label", rowspan=end - goal - 1)
    for col, head in enumerate(("一级指标", "二级指标", "三级指标", "指标值及单位", "绩效标准"), start=1):
        add(goal + 1, col, head, "head")
    return sheet.Grid(tuple(out.cells), end, FORM.title, WIDTHS)


def read(rows: sheet.Rows, year: int | None) -> m.Project:
    """The table back from rows of cells in the layout `grid` draws."""
    name, dept = sheet.row_of(rows, 0, "项目名称"), sheet.row_of(rows, 0, "主管部门")
    goal, head = sheet.row_of(rows, 0, "年度总体目标"), sheet.row_of(rows, 1, "一级指标")
    money = {attr: sheet.amount(rows, sheet.row_of(rows, 1, label), 3, label.removeprefix("其中："))
             for label, attr in MONEY}
    unit_label = sheet.cell(rows[sheet.row_of(rows, 1, MONEY[0][0])][1], 0)
    (groups,) = sheet.read_indicators(rows, head + 1, FORM, (2,))
    return m.Project(
        name=sheet.text_or_none(sheet.cell(rows[name][1], 1)), year=sheet.year_in(rows) or year, category=None,
        department=sheet.text_or_none(sheet.cell(rows[dept][1], 1)),
        unit=sheet.text_or_none(sheet.cell(rows[dept][1], 4)), start=None, end=None,
        money_unit="元" if "（元）" in unit_label else "万元",
        funds=m.Funds(), annual=m.AnnualFunds(**money), period=None, goal_total=None,
        goal_annual=sheet.joined(rows, goal, head, 1), groups=groups, form=FORM.id)


FORM = Form(
    id="province2021",
    title="项目支出绩效目标表",
    kind="target",
    levels=SHENBAO.levels,
    blank=SHENBAO.levels,
    value_head="指标值及单位",
    users="2021 年起多个省份的项目支出绩效目标表（带“绩效标准”列、本级预算与上级资金分列）",
    example="tests/examples/forms/province2021.yaml",
    aliases=("2021",),
    layout=(
        ("项目名称", "name"),
        ("年度", "year"),
        ("主管部门", "department"),
        ("实施单位", "unit"),
        ("金额单位", "money_unit"),
        ("项目资金.年度资金总额", "annual.total"),
        ("项目资金.年度本级预算金额", "annual.appropriation"),
        ("项目资金.上级资金", "annual.upper"),
        ("项目资金.其他资金", "annual.other"),
        ("年度总体目标", "goal_annual"),
        ("绩效指标", "groups"),
    ),
    row_keys=("三级指标", "指标值及单位", "绩效标准"),
    grid=grid,
    read=read,
)
