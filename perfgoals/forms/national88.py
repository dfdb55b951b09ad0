"""The national 项目支出绩效目标申报表 of 财预〔2015〕88号 (used by many provinces and central
departments): 主管部门及代码, 项目属性 (新增/延续), 项目起止时间 (202401-202612); 项目资金 as 资金总额 /
当年资金总额 with their 财政拨款 and 其他资金; 总体目标 as 中期目标 and 年度目标; the indicators in two
column groups, 长期 and 年度 (二级指标, 三级指标, 指标值 each), the 长期 side often left empty."""

from __future__ import annotations

from typing import Any

from .. import model as m
from . import sheet
from .base import BENEFIT, OUTPUT, SATISFACTION, Form

LEVELS = {
    OUTPUT: ("数量指标", "质量指标", "时效指标", "成本指标"),
    BENEFIT: ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    SATISFACTION: ("服务对象满意度指标",),
}

#: relative widths of the eight columns: side label, 一级, then 二级/三级/指标值 for 长期 and for 年度
WIDTHS = (10, 8, 9, 16, 11, 9, 22, 15)
LONG, ANNUAL = 2, 5  # the first column of each indicator side
MONEY = (("资金总额", "当年资金总额"), ("其中：财政拨款", "当年财政拨款"), ("其他资金", "当年其他资金"))


def grid(p: m.Project, blank_slots: bool = True, official: bool = False) -> Any:
    """The table as printed: header, 项目资金 in two columns (whole term | this year), 总体目标
    (中期目标 | 年度目标), then the indicators with their 长期 and 年度 sides."""
    out = sheet.Cells()
    add = out.add
    add(0, 0, FORM.title, "title", colspan=8)
    add(1, 0, f"（{p.year}年度）" if p.year else "", "subtitle", colspan=8)
    add(2, 0, "项目名称", "label")
    add(2, 1, p.name or "", colspan=7)
    add(3, 0, "主管部门及代码", "label")
    add(3, 1, p.department or "", colspan=3)
    add(3, 4, "实施单位", "label")
    add(3, 5, p.unit or "", colspan=3)
    add(4, 0, "项目属性", "label")
    add(4, 1, p.category or "", colspan=3)
    add(4, 4, "项目起止时间", "label")
    add(4, 5, sheet.term_text(p.start, p.end) or "", colspan=3)
    add(5, 0, f"项目资金（{p.money_unit}）", "label", rowspan=3)
    f, a = p.funds, p.annual
    for i, ((left, right), (lv, rv)) in enumerate(zip(MONEY, ((f.total, a.total), (f.fiscal, a.appropriation),
                                                            (f.other, a.other)))):
        add(5 + i, 1, left, "label", colspan=2)
        out.money(5 + i, 3, lv)
        add(5 + i, 4, right, "label", colspan=2)
        out.money(5 + i, 6, rv, colspan=2)
    add(8, 0, "总体目标", "label", rowspan=2)
    add(8, 1, "中期目标", "label", colspan=4)
    add(8, 5, "年度目标", "label", colspan=3)
    add(9, 1, p.goal_total or "", "goal", colspan=4)
    add(9, 5, p.goal_annual or "", "goal", colspan=3)
    end = sheet.indicators(out, 12, FORM, (p.long_groups, p.groups), blank_slots, official, (LONG, ANNUAL))
    add(10, 0, "绩效指标", "label", rowspan=end - 10)
    add(10, 1, "一级指标", "head", rowspan=2)
    add(10, LONG, "长期绩效指标", "head", colspan=3)
    add(10, ANNUAL, "年度绩效指标", "head", colspan=3)
    for side in (LONG, ANNUAL):
        for k, head in enumerate(("二级指标", "三级指标", "指标值")):
            add(11, side + k, head, "head")
    return sheet.Grid(tuple(out.cells), end, FORM.title, WIDTHS)


def read(rows: sheet.Rows, year: int | None) -> m.Project:
    """The table back from rows of cells in the layout `grid` draws."""
    at = {label: sheet.row_of(rows, col, label) for label, col in (
        ("项目名称", 0), ("主管部门及代码", 0), ("项目属性", 0), ("总体目标", 0), ("一级指标", 1))}
    money = [sheet.row_of(rows, 1, left) for left, _right in MONEY]

    def value(label: str, col: int = 1) -> str | None:
        return sheet.text_or_none(sheet.cell(rows[at[label]][1], col))

    start, end = sheet.term_dates(value("项目属性", 5))
    goals, head = at["总体目标"] + 1, at["一级指标"] + 2
    long, annual = sheet.read_indicators(rows, head, FORM, (LONG, ANNUAL))
    return m.Project(
        name=value("项目名称"), year=sheet.year_in(rows) or year, category=value("项目属性"),
        department=value("主管部门及代码"), unit=value("主管部门及代码", 5), start=start, end=end,
        money_unit=_unit(sheet.cell(rows[money[0]][1], 0)),
        funds=m.Funds(*(sheet.amount(rows, i, 3, MONEY[k][0]) for k, i in enumerate(money))),
        annual=m.AnnualFunds(total=sheet.amount(rows, money[0], 6, MONEY[0][1]),
                             appropriation=sheet.amount(rows, money[1], 6, MONEY[1][1]),
                             other=sheet.amount(rows, money[2], 6, MONEY[2][1])),
        period=None, goal_total=sheet.joined(rows, goals, head - 2, 1),
        goal_annual=sheet.joined(rows, goals, head - 2, 5),
        groups=annual, long_groups=long, form=FORM.id)


def _unit(label: str) -> str:
    return "元" if "（元）" in label.replace("(", "（").replace(")", "）") else "万元"


FORM = Form(
    id="national88",
    title="项目支出绩效目标申报表",
    kind="target",
    levels=LEVELS,
    blank={OUTPUT: ("数量指标", "质量指标", "时效指标", "成本指标"),
           BENEFIT: ("社会效益指标",), SATISFACTION: ("服务对象满意度指标",)},
    value_head="指标值",
    users="财政部 财预〔2015〕88号附件的格式：中央部门及沿用该表的省、市、县",
    example="tests/examples/forms/national88.yaml",
    aliases=("88",),
    categories=("新增项目", "延续项目"),
    layout=(
        ("项目名称", "name"),
        ("年度", "year"),
        ("主管部门及代码", "department"),
        ("实施单位", "unit"),
        ("项目属性", "category"),
        ("项目起止时间", "term"),
        ("金额单位", "money_unit"),
        ("项目资金.资金总额", "funds.total"),
        ("项目资金.其中财政拨款", "funds.fiscal"),
        ("项目资金.其他资金", "funds.other"),
        ("项目资金.当年资金总额", "annual.total"),
        ("项目资金.当年财政拨款", "annual.appropriation"),
        ("项目资金.当年其他资金", "annual.other"),
        ("总体目标.中期目标", "goal_total"),
        ("总体目标.年度目标", "goal_annual"),
        ("长期绩效指标", "long_groups"),
        ("年度绩效指标", "groups"),
    ),
    row_keys=("三级指标", "指标值"),
    grid=grid,
    read=read,
)
