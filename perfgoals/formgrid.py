"""One picture of the official form: a project laid out as a grid of cells with spans.

The HTML template, the Excel writer and the Excel importer all use this grid (and its
labels), so the three cannot drift apart. Five columns, as on the paper form:

    绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值

and the upper part of the form fits the same five columns (the 项目资金 block uses
label/value pairs in columns 1–2 and 3–4).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import forms, framework
from . import model as m
from .forms.sheet import WIDTHS, Cell, Grid, money_text

__all__ = ["WIDTHS", "Cell", "Grid", "money_text", "build", "build_selfeval", "layout", "Layout", "IndicatorRow"]

COLUMNS = 5
CHECKED, UNCHECKED = "☑", "☐"


def boxes(choices: tuple[str, ...], chosen: str | None) -> str:
    """"专项资金 ☐  经常性项目 ☑  一次性项目 ☐": label then box, as on the printed form."""
    return "  ".join(f"{c} {CHECKED if c == chosen else UNCHECKED}" for c in choices)


def _groups(p: m.Project, blank_slots: bool) -> list[tuple[str, str, tuple[m.Indicator, ...]]]:
    # a blank slot left from `perfgoals new` is not printed once its group has a real row
    present = [(g.level1, g.level2, g.filled or g.rows) for g in p.groups]
    if not blank_slots:
        return present
    form = forms.of(p)
    blank = form.blank or form.levels
    have = {(a, b) for a, b, _ in present}
    extra = [(l1, l2, ()) for l1, names in blank.items() for l2 in names if (l1, l2) not in have]
    everything = present + extra
    order = {key: i for i, key in enumerate((a, b) for a, b, _ in present)}
    everything.sort(key=lambda g: (framework.level2_order(g[0], g[1]), order.get((g[0], g[1]), 99)))
    return everything


def official_date(text: str | None) -> str:
    """A date as the printed form writes it: 2024-01-01 → 2024.01.01 (2024-01 → 2024.01)."""
    if text and len(text) in (7, 10) and text[4] == "-" and text.replace("-", "").isdigit():
        return text.replace("-", ".")
    return text or ""


def build(p: m.Project, blank_slots: bool = True, official: bool = False) -> Grid:
    """The form of one project. ``blank_slots`` adds the empty 二级 rows the blank form prints;
    ``official`` writes what only the printed form shows: 指标1：/指标2： before each 三级 name
    and dates as 2024.01.01."""
    form = forms.of(p)
    if form is forms.SELFEVAL_2020:
        return build_selfeval(p)
    if form.grid is not None:  # a form that draws itself (its own layout)
        return form.hook("grid")(p, blank_slots, official)  # type: ignore[no-any-return]
    cells: list[Cell] = []
    title = form.title
    new_form = form.nature  # the header with 项目性质

    def add(row: int, col: int, text: str, role: str = "value", rowspan: int = 1, colspan: int = 1,
            amount: Decimal | None = None) -> None:
        cells.append(Cell(row, col, text, rowspan, colspan, role, amount))

    add(0, 0, title, "title", colspan=COLUMNS)
    add(1, 0, f"（{p.year}年度）" if p.year else "", "subtitle", colspan=COLUMNS)
    r = 2
    add(r, 0, "项目名称", "label")
    add(r, 1, p.name or "", "value", colspan=2)
    if new_form:
        add(r, 3, "项目性质", "label")
        add(r, 4, boxes(m.NATURES, p.nature), "value")
        r += 1
        add(r, 0, "项目类别", "label")
        add(r, 1, p.category or "", "value", colspan=4)
    else:
        add(r, 3, "项目类别", "label")
        add(r, 4, boxes(m.CATEGORIES, p.category), "value")
    r += 1
    add(r, 0, "主管部门", "label")
    add(r, 1, p.department or "", "value", colspan=2)
    add(r, 3, "实施单位", "label")
    add(r, 4, p.unit or "", "value")
    r += 1
    add(r, 0, "计划开始日期", "label")
    add(r, 1, official_date(p.start) if official else p.start or "", "date", colspan=2)
    add(r, 3, "计划完成日期", "label")
    add(r, 4, official_date(p.end) if official else p.end or "", "date")
    r += 1
    f, a = p.funds, p.annual
    add(r, 0, f"项目资金（{p.money_unit}）", "label", rowspan=4)
    money_rows = (
        ("项目资金总额", f.total, "年度资金申请总额", a.total),
        ("其中：财政资金", f.fiscal, "其中：当年财政拨款", a.appropriation),
        ("", None, "上年结转资金", a.carryover),
        ("其他资金", f.other, "其他资金", a.other),
    )
    for i, (left, lv, right, rv) in enumerate(money_rows):
        add(r + i, 1, left, "label" if left else "blank")
        add(r + i, 2, money_text(lv) if left else "", "money" if left else "blank", amount=lv if left else None)
        add(r + i, 3, right, "label")
        add(r + i, 4, money_text(rv), "money", amount=rv)
    r += 4
    add(r, 0, "项目绩效目标", "label", rowspan=2)
    period = f"（{p.period}）" if p.period else ""
    add(r, 1, f"项目总目标{period}", "label", colspan=2)
    add(r, 3, "年度总体目标", "label", colspan=2)
    add(r + 1, 1, p.goal_total or "", "goal", colspan=2)
    add(r + 1, 3, p.goal_annual or "", "goal", colspan=2)
    r += 2
    groups = _groups(p, blank_slots)
    body_rows = sum(max(1, len(rows)) for _l1, _l2, rows in groups)
    add(r, 0, "绩效指标", "label", rowspan=body_rows + 1)
    value_head = form.value_head
    for col, head in enumerate(("一级指标", "二级指标", "三级指标", value_head), start=1):
        add(r, col, head, "head")
    r += 1
    i = 0
    while i < len(groups):
        level1 = groups[i][0]
        j = i
        while j < len(groups) and groups[j][0] == level1:
            j += 1
        span = sum(max(1, len(g[2])) for g in groups[i:j])
        add(r, 1, level1, "level1", rowspan=span)
        for _l1, level2, rows in groups[i:j]:
            n = max(1, len(rows))
            add(r, 2, level2, "level2", rowspan=n)
            if not rows:
                add(r, 3, "指标1：" if official else "", "name")
                add(r, 4, "", "target")
            for k, row in enumerate(rows):
                add(r + k, 3, f"指标{k + 1}：{row.name or ''}" if official else row.name or "", "name")
                add(r + k, 4, row.value or "", "target")
            r += n
        i = j
    return Grid(tuple(cells), r, title)


# -- the 自评表 (财预〔2020〕10号), nine columns --------------------------------------------------

SELFEVAL_TITLE = forms.SELFEVAL_2020.title
SELFEVAL_WIDTHS = (10, 9, 10, 15, 11, 11, 7, 9, 18)
SELFEVAL_HEAD = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
SELFEVAL_MONEY_HEAD = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
SELFEVAL_MONEY_ROWS = (("年度资金总额", "年度资金总额"), ("其中：当年财政拨款", "当年财政拨款"),
                       ("上年结转资金", "上年结转资金"), ("其他资金", "其他资金"))


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def build_selfeval(se: Any) -> Grid:
    """The 自评表 of a `selfeval.SelfEval` as the published Shanghai form lays it out: header,
    项目资金 (年初预算数, 全年预算数, 全年执行数; 分值, 执行率, 得分 on 年度资金总额), 年度总体目标
    (预期目标 | 实际完成情况), the indicators with their actual values and scores, and 总分."""
    from .selfeval import Row
    cells: list[Cell] = []

    def add(row: int, col: int, text: str, role: str = "value", rowspan: int = 1, colspan: int = 1,
            amount: Decimal | None = None) -> None:
        cells.append(Cell(row, col, text, rowspan, colspan, role, amount))

    add(0, 0, SELFEVAL_TITLE, "title", colspan=9)
    add(1, 0, f"（{se.year}年度）" if se.year else "", "subtitle", colspan=9)
    add(2, 0, "项目名称", "label")
    add(2, 1, se.name or "", "value", colspan=8)
    add(3, 0, "主管部门", "label")
    add(3, 1, se.department or "", "value", colspan=3)
    add(3, 4, "实施单位", "label")
    add(3, 5, se.unit or "", "value", colspan=4)
    add(4, 0, f"项目资金（{se.money_unit}）", "label", rowspan=5)
    add(4, 1, "", "blank", colspan=2)
    for k, head in enumerate(SELFEVAL_MONEY_HEAD):
        add(4, 3 + k, head, "head")
    for i, (label, key) in enumerate(SELFEVAL_MONEY_ROWS):
        r = 5 + i
        money = se.row_money(key)
        add(r, 1, label, "label", colspan=2)
        for k, value in enumerate((money.initial, money.budget, money.spent)):
            add(r, 3 + k, _number(value), "money", amount=value)
        if i == 0:
            add(r, 6, _number(se.budget_weight), "number", amount=se.budget_weight)
            add(r, 7, f"{se.rate_text}%" if se.rate_text is not None else "", "value")
            add(r, 8, se.budget_score_text or "", "number", amount=se.budget_score)
        else:
            for k in (6, 7, 8):
                add(r, k, "—", "blank")
    add(9, 0, "年度总体目标", "label", rowspan=2)
    add(9, 1, "预期目标", "label", colspan=4)
    add(9, 5, "实际完成情况", "label", colspan=4)
    add(10, 1, se.expected or "", "goal", colspan=4)
    add(10, 5, se.achieved or "", "goal", colspan=4)
    r = 11
    groups = [g for g in se.groups]
    body = sum(max(1, len(g.rows)) for g in groups)
    add(r, 0, "绩效指标", "label", rowspan=body + 1)
    for col, head in enumerate(SELFEVAL_HEAD, start=1):
        add(r, col, head, "head")
    r += 1
    i = 0
    while i < len(groups):
        j = i
        while j < len(groups) and groups[j].level1 == groups[i].level1:
            j += 1
        add(r, 1, groups[i].level1, "level1", rowspan=sum(max(1, len(g.rows)) for g in groups[i:j]))
        for g in groups[i:j]:
            n = max(1, len(g.rows))
            add(r, 2, g.level2, "level2", rowspan=n)
            for k, row in enumerate(g.rows or (Row(None, None, None, None, None),)):
                add(r + k, 3, row.name or "", "name")
                add(r + k, 4, row.target or "", "target")
                add(r + k, 5, row.actual or "", "target")
                add(r + k, 6, _number(row.weight), "number", amount=row.weight)
                add(r + k, 7, row.score_text or "", "number", amount=row.score)
                add(r + k, 8, row.reason or "", "value")
            r += n
        i = j
    add(r, 0, "总分", "label", colspan=6)
    weights = [se.budget_weight] + [row.weight for _p, _g, _i, row in se.rows()]
    total_weight = sum((w for w in weights if w is not None), Decimal(0)) if any(w is not None for w in weights) else None
    add(r, 6, _number(total_weight), "number", amount=total_weight)
    add(r, 7, se.total_text or "", "number", amount=se.total)
    add(r, 8, "", "blank")
    return Grid(tuple(cells), r + 1, SELFEVAL_TITLE, SELFEVAL_WIDTHS, css="selfeval")


# -- the form in sections, for printing -----------------------------------------------------------

@dataclass(frozen=True)
class IndicatorRow:
    """One 三级 row of the form with the 一级/二级 labels that cover it.

    ``first1``/``first2``: the row opens its 一级/二级 group (the label is printed there; on paper
    the label cell is merged over the group). A printed page that starts inside a group repeats
    the labels on its first row, so every page can be read on its own. ``cells`` are the row's
    columns after 一级 as (role, text): 二级, 三级, value on the Shanghai forms; a form with two
    indicator sides or a 绩效标准 column has more.
    """

    index: int
    level1: str
    level2: str
    name: str
    value: str
    first1: bool
    first2: bool
    last1: bool
    last2: bool
    cells: tuple[tuple[str, str], ...] = ()

    @property
    def css(self) -> str:
        """The row's classes: where it opens or closes its 一级/二级 group (the borders drawn)."""
        return _CSS[self.first1, self.first2, self.last1, self.last2]


_CSS = {(a, b, c, d): " ".join(name for name, on in (("first1", a), ("first2", b), ("last1", c), ("last2", d)) if on)
        for a in (False, True) for b in (False, True) for c in (False, True) for d in (False, True)}


@dataclass(frozen=True)
class Layout:
    """The grid cut where a printed form may break: the header block (never split), the goals
    (split inside long text), the indicator header (repeated on every page) and its rows."""

    title: str
    subtitle: str
    head: list[list[Cell]]
    goal_labels: tuple[str, ...]
    goals: tuple[str, ...]
    indicator_head: tuple[str, ...]
    rows: list[IndicatorRow]
    #: the label beside the goals (项目绩效目标, 总体目标, 年度总体目标)
    goal_side: str = "项目绩效目标"
    #: the indicator header as rows of cells with their spans (a form may have two header rows)
    head_rows: tuple[tuple[Cell, ...], ...] = ()
    widths: tuple[float, ...] = WIDTHS
    #: rows after the indicators (the 自评表's 总分), printed with the last indicator row
    tail: tuple[tuple[Cell, ...], ...] = ()
    #: the form's class on the page (selfeval, monitor: their own print rules), "" for a target form
    css: str = ""


def layout(grid: Grid) -> Layout:
    """The print sections of a grid (the grid stays the one picture; this only cuts it)."""
    by_row = grid.by_row()
    goal_text = min(c.row for c in grid.cells if c.role == "goal")
    side = next(c for c in grid.cells if c.col == 0 and c.row <= goal_text < c.row + c.rowspan)
    labels = by_row[side.row][1:] if side.row < goal_text else []
    texts = [c for c in by_row[goal_text] if c.role == "goal"]
    head_first = goal_text + 1
    head_end = head_first
    while head_end < grid.rows and any(c.role == "head" for c in by_row[head_end]):
        head_end += 1
    level1 = [c for c in grid.cells if c.role == "level1"]
    level2 = [c for c in grid.cells if c.role == "level2"]
    rows: list[IndicatorRow] = []
    end = grid.rows
    for r in range(head_end, grid.rows):
        l1 = next((c for c in level1 if c.row <= r < c.row + c.rowspan), None)
        if l1 is None:  # past the indicators: the 总分 row of a 自评表
            end = r
            break
        covering = sorted((c for c in level2 if c.row <= r < c.row + c.rowspan), key=lambda c: c.col)
        l2 = covering[0]
        starts = {c.col: c for c in by_row[r] if c.col >= 2}
        starts.update({c.col: c for c in covering})
        cells = tuple((c.role, c.text) for _col, c in sorted(starts.items()))
        name = next((t for role, t in cells if role == "name"), "")
        value = next((t for role, t in cells if role == "target"), "")
        rows.append(IndicatorRow(r, l1.text, l2.text, name, value, r == l1.row, r == l2.row,
                                 r == l1.row + l1.rowspan - 1, r == l2.row + l2.rowspan - 1, cells))
    head_rows = tuple(tuple(c for c in by_row[r] if c.col >= 1) for r in range(head_first, head_end))
    tail = tuple(tuple(by_row[r]) for r in range(end, grid.rows))
    return Layout(by_row[0][0].text, by_row[1][0].text if by_row[1] else "", by_row[2:side.row],
                  tuple(c.text for c in labels), tuple(c.text for c in texts),
                  tuple(c.text for c in head_rows[0]), rows, side.text, head_rows, grid.widths, tail, grid.css)
