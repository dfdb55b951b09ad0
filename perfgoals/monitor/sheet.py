"""The 监控表 drawn as a grid (HTML, Excel and PDF draw the grid) and read back from rows of cells
(an Excel sheet in that layout): the hooks of `forms.monitor2019`."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..forms import MONITOR_2019 as FORM
from ..forms import sheet
from .values import Deviation, Group, Monitor, MoneyRow, Row

#: relative widths of the twelve columns: side label, 一级, 二级, 三级, 年度指标值, 执行情况, 全年预计完成情况,
#: 偏差原因, 原因说明, 完成目标可能性, 纠偏措施, 备注 (printed on A4 landscape)
WIDTHS = (6, 6, 7, 11, 8, 8, 9, 9, 10, 7, 11, 8)
MONEY_HEAD = ("年初预算数", "全年预算数", "执行数", "执行率", "全年预计执行数", "偏差原因", "原因说明", "纠偏措施")
INDICATOR_HEAD = ("一级指标", "二级指标", "三级指标", "年度指标值", "执行情况", "全年预计完成情况", "偏差原因",
                  "原因说明", "完成目标可能性", "纠偏措施", "备注")
MONEY_LABELS = (("年度资金总额", "年度资金总额"), ("其中：当年财政拨款", "当年财政拨款"), ("上年结转资金", "上年结转资金"),
                ("其他资金", "其他资金"))
SEP = "、"  # 偏差原因 in one cell: 经费保障、制度保障


def _rate(spent: Decimal | None, budget: Decimal | None) -> str:
    if spent is None or not budget:
        return ""
    return f"{(spent / budget * 100).quantize(Decimal('0.01'), ROUND_HALF_UP)}%"


def grid(mon: Monitor, blank_slots: bool = True, official: bool = False) -> Any:
    """The 监控表 as printed: header, 项目资金 with 年初预算数 | 全年预算数 | 1-N月执行数 | 执行率 |
    全年预计执行数 and the budget's own 偏差原因/原因说明/纠偏措施, 年度总体目标 | 执行情况, then the
    indicators with every column of the form."""
    out = sheet.Cells()
    add = out.add
    n = len(WIDTHS)
    add(0, 0, FORM.title, "title", colspan=n)
    period = f"　监控期间：{mon.period}" if mon.period else ""
    add(1, 0, f"（{mon.year}年度{period}）" if mon.year else period.strip("　"), "subtitle", colspan=n)
    add(2, 0, "项目名称", "label")
    add(2, 1, mon.name or "", colspan=n - 1)
    add(3, 0, "主管部门", "label")
    add(3, 1, mon.department or "", colspan=5)
    add(3, 6, "实施单位", "label", colspan=2)
    add(3, 8, mon.unit or "", colspan=4)
    add(4, 0, f"项目资金（{mon.money_unit}）", "label", rowspan=5)
    add(4, 1, "", "blank", colspan=2)
    spent_head = f"{mon.period}执行数" if mon.period else "执行数"
    for k, head in enumerate(MONEY_HEAD[:-1]):
        add(4, 3 + k, spent_head if head == "执行数" else head, "head")
    add(4, 10, MONEY_HEAD[-1], "head", colspan=2)
    for i, (label, key) in enumerate(MONEY_LABELS):
        r = 5 + i
        cash = mon.row_money(key)
        add(r, 1, label, "label", colspan=2)
        out.money(r, 3, cash.initial)
        out.money(r, 4, cash.budget)
        out.money(r, 5, cash.spent)
        add(r, 6, _rate(cash.spent, cash.budget), "number")
        out.money(r, 7, cash.forecast)
        d = cash.deviation
        add(r, 8, SEP.join(d.reasons), "value")
        add(r, 9, d.note or "", "value")
        add(r, 10, d.action or "", "value", colspan=2)
    add(9, 0, "年度总体目标", "label", rowspan=2)
    add(9, 1, "预期目标", "label", colspan=5)
    add(9, 6, "执行情况", "label", colspan=6)
    add(10, 1, mon.expected or "", "goal", colspan=5)
    add(10, 6, mon.done or "", "goal", colspan=6)
    r = 12
    groups = sorted(mon.groups, key=lambda g: FORM.order(g.level1, g.level2))
    i = 0
    while i < len(groups):
        j = i
        while j < len(groups) and groups[j].level1 == groups[i].level1:
            j += 1
        add(r, 1, groups[i].level1, "level1", rowspan=sum(max(1, len(g.rows)) for g in groups[i:j]))
        for g in groups[i:j]:
            add(r, 2, g.level2, "level2", rowspan=max(1, len(g.rows)))
            for k, row in enumerate(g.rows or (None,)):
                cells: tuple[str, ...] = ("",) * 9 if row is None else (
                    row.name or "", row.target or "", row.done or "", row.forecast or "",
                    SEP.join(row.deviation.reasons), row.deviation.note or "", row.likely or "",
                    row.deviation.action or "", row.remark or "")
                for c, text in enumerate(cells):
                    add(r + k, 3 + c, text, ("name", "target")[c] if c < 2 else "value")
            r += max(1, len(g.rows))
        i = j
    add(11, 0, "绩效指标", "label", rowspan=r - 11)
    for col, head in enumerate(INDICATOR_HEAD, start=1):
        add(11, col, head, "head")
    return sheet.Grid(tuple(out.cells), r, FORM.title, WIDTHS, css="selfeval monitor")


def read(rows: sheet.Rows, year: int | None) -> Monitor:
    """The 监控表 back from rows of cells in the layout `grid` draws."""
    name, dept = sheet.row_of(rows, 0, "项目名称"), sheet.row_of(rows, 0, "主管部门")
    goals, head = sheet.row_of(rows, 1, "预期目标"), sheet.row_of(rows, 1, "一级指标")
    said = re.search(r"监控期间：([^）]*)）", "".join(c for _r, cells in rows[:2] for c in cells))
    period = said.group(1).strip() if said else None

    def text(i: int, col: int) -> str | None:
        return sheet.text_or_none(sheet.cell(rows[i][1], col))

    def reasons(i: int, col: int) -> tuple[str, ...]:
        return tuple(r for r in sheet.cell(rows[i][1], col).split(SEP) if r)

    money = {}
    for label, key in MONEY_LABELS:
        i = sheet.row_of(rows, 1, label)
        money[key] = MoneyRow(sheet.amount(rows, i, 3, f"{key}的年初预算数"), sheet.amount(rows, i, 4, f"{key}的全年预算数"),
                              sheet.amount(rows, i, 5, f"{key}的执行数"), sheet.amount(rows, i, 7, f"{key}的全年预计执行数"),
                              Deviation(reasons(i, 8), text(i, 9), text(i, 10)))
    unit_label = sheet.cell(rows[sheet.row_of(rows, 1, MONEY_LABELS[0][0])][1], 0)
    found: dict[tuple[str, str], list[Any]] = {}
    level1 = level2 = ""
    for i in range(head + 1, len(rows)):
        level1 = text(i, 1) or level1
        level2 = text(i, 2) or level2
        cells = [text(i, c) for c in range(3, 12)]
        if not any(cells):
            continue
        found.setdefault((level1, level2), []).append(Row(
            cells[0], cells[1], cells[2], cells[3], Deviation(reasons(i, 7), cells[5], cells[7]), cells[6], cells[8]))
    return Monitor(text(name, 1), sheet.year_in(rows) or year, period, text(dept, 1), text(dept, 8),
                   "元" if "（元）" in unit_label else "万元", money, sheet.joined(rows, goals + 1, head, 1),
                   sheet.joined(rows, goals + 1, head, 6),
                   tuple(Group(a, b, tuple(rs)) for (a, b), rs in found.items()))
