"""Writing a 监控 file (through `perfgoals.yamlio`, the one owner of ruamel.yaml) and making one
from its approved target table."""

from __future__ import annotations

from typing import Any

from .. import model as m
from .values import (
    C_BUDGET, C_FORECAST, C_INITIAL, C_SPENT, D_ACTION, D_NOTE, D_REASONS, G_DONE, G_EXPECTED, GOAL_KEYS, I_DONE,
    I_FORECAST, I_LIKELY, I_NAME, I_REMARK, I_TARGET, K_DEPT, K_GOAL, K_INDICATORS, K_MONEY, K_MONEY_UNIT, K_NAME,
    K_PERIOD, K_UNIT, K_YEAR, MONEY_ROWS, ROW_KEYS, R_APPROPRIATION, R_CARRYOVER, R_OTHER, R_TOTAL, TOP_KEYS,
    TOTAL_ROW_KEYS, Deviation, Group, Monitor, MoneyRow, Row,
)


def from_target(p: m.Project, period: str) -> Monitor:
    """A 监控表 pre-filled from its approved target table: names, department and unit, every
    三级指标 with its approved 年度指标值, and 年初预算数 = 全年预算数 = the 年度资金 rows. What has
    been done, the forecasts and the reasons are left blank for the unit to fill in."""
    a = p.annual
    money = {key: MoneyRow(value, value) for key, value in (
        (R_TOTAL, a.total), (R_APPROPRIATION, a.appropriation), (R_CARRYOVER, a.carryover), (R_OTHER, a.other))}
    groups = tuple(
        Group(g.level1, g.level2, tuple(Row(r.name, r.value) for r in g.filled))
        for g in p.groups if any(r.name and r.name.strip() not in ("无", "/") for r in g.filled)
    )
    return Monitor(p.name, p.year, period, p.department, p.unit, p.money_unit, money, p.goal_annual, None, groups)


def _deviation(d: Deviation) -> list[tuple[str, Any]]:
    return [(D_REASONS, list(d.reasons)), (D_NOTE, d.note)]


def document(mon: Monitor) -> Any:
    """A 监控表 as a ruamel document in the form's order (rows in flow style, one per line)."""
    from .. import yamlio
    doc = yamlio.mapping([(K_NAME, mon.name), (K_YEAR, mon.year), (K_PERIOD, mon.period), (K_DEPT, mon.department),
                          (K_UNIT, mon.unit), (K_MONEY_UNIT, mon.money_unit)])
    money = yamlio.mapping()
    for key in MONEY_ROWS:
        row = mon.row_money(key)
        cells: list[tuple[str, Any]] = [(C_INITIAL, row.initial), (C_BUDGET, row.budget), (C_SPENT, row.spent),
                                        (C_FORECAST, row.forecast)]
        d = row.deviation
        if key == R_TOTAL and (d.reasons or d.note is not None or d.action is not None):
            cells += [*_deviation(d), (D_ACTION, d.action)]
        money[key] = yamlio.mapping(cells, flow=True)
    doc[K_MONEY] = money
    doc[K_GOAL] = yamlio.mapping([(G_EXPECTED, yamlio.text_value(mon.expected)), (G_DONE, yamlio.text_value(mon.done))])
    tree = yamlio.mapping()
    for g in mon.groups:
        tree.setdefault(g.level1, yamlio.mapping())[g.level2] = [
            yamlio.mapping([(I_NAME, r.name), (I_TARGET, r.target), (I_DONE, r.done), (I_FORECAST, r.forecast),
                            *_deviation(r.deviation), (I_LIKELY, r.likely), (D_ACTION, r.deviation.action),
                            (I_REMARK, r.remark)], flow=True)
            for r in g.rows]
    doc[K_INDICATORS] = tree
    return doc


def text(mon: Monitor, header: str | None = None) -> str:
    from .. import yamlio
    return (f"# {header}\n" if header else "") + yamlio.dump(document(mon))


def format_text(text_in: str) -> str:
    """Canonical text of a 监控 file: the form's key order, rows one per line, comments kept."""
    from .. import yamlio
    return yamlio.format_beside(text_in, TOP_KEYS, (K_MONEY, MONEY_ROWS, TOTAL_ROW_KEYS), (K_GOAL, GOAL_KEYS),
                                (K_INDICATORS, ROW_KEYS))
