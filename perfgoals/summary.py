"""`perfgoals summary`: where the money goes — exact totals by unit, category, department.

Works on values: projects in, a `report.Table` out. Amounts are added as Decimals in one
money unit (万元 by default); a project kept in 元 is converted exactly. A blank (null) amount
is not silently a zero: each group counts how many of its amounts were blank.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from . import framework, money
from . import model as m
from .model import Item
from .report import Column, Table
from .units import of as _unit
from .target import parse

ZERO = Decimal(0)
UNSET = "（未填）"


def _category(item: Item) -> str:
    return item.project.category or "（未勾选）"


def _department(item: Item) -> str:
    return item.project.department or UNSET


def _nature(item: Item) -> str:
    return item.project.nature or UNSET


#: ``--by`` name → (column title, how to read it from a project).
DIMENSIONS: Mapping[str, tuple[str, Callable[[Item], str]]] = {
    "unit": ("实施单位", _unit),
    "category": ("项目类别", _category),
    "department": ("主管部门", _department),
    "nature": ("项目性质", _nature),
}
BY_CHOICES = (*DIMENSIONS, "indicator-level")

AMOUNTS: tuple[tuple[str, Callable[[m.Project], Decimal | None]], ...] = (
    ("项目资金总额", lambda p: p.funds.total),
    ("年度资金申请总额", lambda p: p.annual.total),
    ("当年财政拨款", lambda p: p.annual.appropriation),
    ("上年结转资金", lambda p: p.annual.carryover),
)
_SHARE_OF = 1  # shares and sort order follow 年度资金申请总额: this year's request


def convert(item: Item, value: Decimal | None, unit: str) -> Decimal | None:
    """An amount of a project in the requested money unit, exactly."""
    return money.convert(value, item.project.money_unit, unit)


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole == 0 else part * Decimal(100) / whole


def total(items: Iterable[Item], by: Sequence[str], money_unit: str = "万元") -> Table:
    """Totals grouped by one or more dimensions, largest first, with a total row.

    Two dimensions make a pivot (rows × columns of 年度资金申请总额). ``items`` is read once, as
    a stream: only running sums per group are kept, so memory does not grow with the projects.
    """
    if list(by) == ["indicator-level"]:
        return indicator_levels(items)
    if len(by) == 2:
        return pivot(items, by[0], by[1], money_unit)
    readers = [DIMENSIONS[b] for b in by]
    sums: dict[tuple[str, ...], list[Decimal]] = defaultdict(lambda: [ZERO] * len(AMOUNTS))
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    blanks: dict[tuple[str, ...], int] = defaultdict(int)
    for item in items:
        key = tuple(read(item) for _title, read in readers)
        counts[key] += 1
        for i, (_name, get) in enumerate(AMOUNTS):
            value = convert(item, get(item.project), money_unit)
            if value is None:
                blanks[key] += 1
            else:
                sums[key][i] += value
    grand = [sum((s[i] for s in sums.values()), ZERO) for i in range(len(AMOUNTS))]
    keys = sorted(counts, key=lambda k: (-sums[k][_SHARE_OF], -sums[k][0], k))
    columns = [Column(title) for title, _ in readers] + [Column("项目数", "int")] + \
        [Column(f"{name}（{money_unit}）", "money") for name, _ in AMOUNTS] + \
        [Column("占年度申请总额%", "percent"), Column("空白金额数", "int")]
    rows = [[*k, counts[k], *sums[k], _share(sums[k][_SHARE_OF], grand[_SHARE_OF]), blanks[k]] for k in keys]
    footer = ["合计", *[""] * (len(readers) - 1), sum(counts.values()), *grand,
              _share(grand[_SHARE_OF], grand[_SHARE_OF]), sum(blanks.values())]
    title = "按" + "×".join(t for t, _ in readers) + "汇总"
    notes = []
    if sum(blanks.values()):
        notes.append(f"有 {sum(blanks.values())} 个金额在表上为空白，未计入合计（不按 0 处理，仅计数）。")
    return Table(title, columns, rows, footer, notes, chart_column=len(readers) + 1 + _SHARE_OF)


def pivot(items: Iterable[Item], row_dim: str, col_dim: str, money_unit: str = "万元") -> Table:
    """年度资金申请总额 by ``row_dim`` (rows) × ``col_dim`` (columns), with totals both ways."""
    row_title, row_of = DIMENSIONS[row_dim]
    col_title, col_of = DIMENSIONS[col_dim]
    cells: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for item in items:
        value = convert(item, item.project.annual.total, money_unit)
        cells[(row_of(item), col_of(item))] += value or ZERO
    row_totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    col_totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (r, c), v in cells.items():
        row_totals[r] += v
        col_totals[c] += v
    row_keys = sorted(row_totals, key=lambda k: (-row_totals[k], k))
    col_keys = sorted(col_totals, key=lambda k: (-col_totals[k], k))
    columns = [Column(f"{row_title} \\ {col_title}")] + [Column(c, "money") for c in col_keys] + [Column("合计", "money")]
    rows = [[r, *[cells.get((r, c), ZERO) for c in col_keys], row_totals[r]] for r in row_keys]
    footer = ["合计", *[col_totals[c] for c in col_keys], sum(col_totals.values(), ZERO)]
    return Table(f"年度资金申请总额（{money_unit}）：{row_title} × {col_title}", columns, rows, footer, [])


def indicator_levels(items: Iterable[Item]) -> Table:
    """How many indicators each 一级/二级 group holds, and how many of them are quantified."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # rows, quantified rows
    projects: dict[tuple[str, str], int] = defaultdict(int)
    n_projects = 0
    for item in items:
        n_projects += 1
        seen: set[tuple[str, str]] = set()
        for _path, group, _i, row in item.project.rows():
            if not (row.name or row.value):
                continue
            key = (group.level1, group.level2)
            counts[key][0] += 1
            if key not in seen:
                seen.add(key)
                projects[key] += 1
            if parse(row.value).quantitative:
                counts[key][1] += 1
    keys = sorted(counts, key=lambda k: framework.level2_order(*k))
    columns = [Column("一级指标"), Column("二级指标"), Column("项目数", "int"), Column("指标数", "int"),
               Column("定量指标数", "int"), Column("定量占比%", "percent")]
    rows = [[k[0], k[1], projects[k], counts[k][0], counts[k][1],
             _share(Decimal(counts[k][1]), Decimal(counts[k][0]))] for k in keys]
    n_all = sum(c[0] for c in counts.values())
    n_q = sum(c[1] for c in counts.values())
    footer = ["合计", "", n_projects, n_all, n_q, _share(Decimal(n_q), Decimal(n_all))]
    return Table("按一级/二级指标统计指标数量", columns, rows, footer,
                 ["定量指标：年度指标值为百分比、带单位的数量或带数量的频次。"])


def select(items: Iterable[Item], unit: str | None = None, department: str | None = None,
           category: str | None = None) -> Iterator[Item]:
    """Items matching the filters (unit matches the folder or the full 实施单位 name), as a stream."""
    for item in items:
        p = item.project
        if unit is not None and unit not in (item.unit_folder, p.unit):
            continue
        if department is not None and p.department != department:
            continue
        if category is not None and (p.category or "（未勾选）") != category:
            continue
        yield item
