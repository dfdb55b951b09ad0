"""Writing a 自评 file (through `perfgoals.yamlio`, the one owner of ruamel.yaml) and making
one from its approved target table."""

from __future__ import annotations

from typing import Any

from .. import model as m
from .values import (
    C_BUDGET, C_INITIAL, C_RATE, C_SCORE, C_SPENT, C_WEIGHT, GOAL_KEYS, G_ACHIEVED,
    G_EXPECTED, Group, I_ACTUAL, I_NAME, I_REASON, I_SCORE, I_TARGET, I_WEIGHT,
    K_DEPT, K_GOAL, K_INDICATORS, K_MONEY, K_MONEY_UNIT, K_NAME, K_TOTAL, K_UNIT,
    K_YEAR, MONEY_ROWS, MoneyRow, ROW_KEYS, R_APPROPRIATION, R_CARRYOVER, R_OTHER, R_TOTAL,
    Row, SelfEval, TOP_KEYS, TOTAL_ROW_KEYS,
)


def from_target(p: m.Project) -> SelfEval:
    """A 自评表 pre-filled from its approved target table: names, department and unit, every
    三级指标 with its approved 年度指标值, and 年初预算数 = 年度资金申请总额. Actual values,
    weights and scores are left blank for the unit to fill in at year end."""
    a = p.annual
    money = {
        R_TOTAL: MoneyRow(a.total),
        R_APPROPRIATION: MoneyRow(a.appropriation),
        R_CARRYOVER: MoneyRow(a.carryover),
        R_OTHER: MoneyRow(a.other),
    }
    groups = tuple(
        Group(g.level1, g.level2, tuple(Row(r.name, r.value, None, None, None) for r in g.rows))
        for g in p.groups if any(r.name and r.name.strip() not in ("无", "/") for r in g.rows)
    )
    return SelfEval(p.name, p.year, p.department, p.unit, p.money_unit, money, None, None, None,
                    p.goal_annual, None, groups, None)


def document(se: SelfEval) -> Any:
    """A 自评表 as a ruamel document in the form's order (rows in flow style, one per line)."""
    from .. import yamlio

    def flow(pairs: list[tuple[str, Any]]) -> Any:
        return yamlio.mapping(pairs, flow=True)

    doc = yamlio.mapping()
    doc[K_NAME], doc[K_YEAR], doc[K_DEPT], doc[K_UNIT] = se.name, se.year, se.department, se.unit
    doc[K_MONEY_UNIT] = se.money_unit
    money = yamlio.mapping()
    for key in MONEY_ROWS:
        row = se.row_money(key)
        cells: list[tuple[str, Any]] = [(C_INITIAL, row.initial), (C_BUDGET, row.budget), (C_SPENT, row.spent)]
        if key == R_TOTAL:
            rate = f"{se.rate_text}%" if se.rate_text is not None else None
            cells += [(C_WEIGHT, se.budget_weight), (C_RATE, rate), (C_SCORE, se.budget_score)]
        money[key] = flow(cells)
    doc[K_MONEY] = money
    doc[K_GOAL] = yamlio.mapping([(G_EXPECTED, se.expected), (G_ACHIEVED, se.achieved)])
    tree = yamlio.mapping()
    for g in se.groups:
        tree.setdefault(g.level1, yamlio.mapping())[g.level2] = [
            flow([(I_NAME, r.name), (I_TARGET, r.target), (I_ACTUAL, r.actual), (I_WEIGHT, r.weight),
                  (I_SCORE, r.score), (I_REASON, r.reason)]) for r in g.rows]
    doc[K_INDICATORS] = tree
    doc[K_TOTAL] = se.total
    return doc


def text(se: SelfEval, header: str | None = None) -> str:
    from .. import yamlio
    body = yamlio.dump(document(se))
    return (f"# {header}\n" if header else "") + body


def format_text(text_in: str) -> str:
    """Canonical text of a 自评 file: the form's key order, rows one per line, comments kept."""
    from .. import yamlio
    return yamlio.format_beside(text_in, TOP_KEYS, (K_MONEY, MONEY_ROWS, TOTAL_ROW_KEYS), (K_GOAL, GOAL_KEYS),
                                (K_INDICATORS, ROW_KEYS))
