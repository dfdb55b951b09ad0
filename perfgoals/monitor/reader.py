"""Reading a 监控 file with the same fast composer as `perfgoals.loader` (positions of every
value, Chinese messages for every schema mistake)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import framework, loader
from .. import model as m
from ..problems import Problem
from .values import (
    D_ACTION, D_NOTE, D_REASONS, G_DONE, G_EXPECTED, GOAL_KEYS, Group, I_DONE, I_FORECAST, I_LIKELY,
    I_NAME, I_REMARK, I_TARGET, K_DEPT, K_GOAL, K_INDICATORS, K_MONEY, K_MONEY_UNIT, K_NAME, K_PERIOD, K_UNIT,
    K_YEAR, LIKELIHOODS, MONEY_COLUMNS, MONEY_ROWS, REASONS, REQUIRED_KEYS, ROW_KEYS, R_TOTAL, TOP_KEYS,
    TOTAL_ROW_KEYS, Deviation, Monitor, MoneyRow, Row,
)

__all__ = ["load_text", "load_bytes", "load_file"]


class _Reader(loader.FormReader):
    """A 监控 file's tree → `Monitor`."""

    def read(self, tree: Any) -> Monitor | None:
        top = self.mapping(tree, TOP_KEYS, "")
        if not isinstance(tree, loader.Mapping):
            return None
        for key in REQUIRED_KEYS:
            if key not in top:
                self.bad(tree, f"缺少必填项“{key}”", key)
        year_node = top.get(K_YEAR)
        year = loader.year_of(year_node) if year_node is not None else None
        if year_node is not None and year is None:
            self.bad(year_node, f"“年度”应为四位年份（如 2024），实为“{loader._shown(year_node)}”", K_YEAR)
        money_unit = self.text(top.get(K_MONEY_UNIT), K_MONEY_UNIT) or "万元"
        if money_unit not in m.MONEY_UNITS:
            self.bad(top.get(K_MONEY_UNIT), f"“金额单位”只能是 万元 或 元，实为“{money_unit}”", K_MONEY_UNIT)
            money_unit = "万元"
        money: dict[str, MoneyRow] = {}
        if K_MONEY in top:
            for row_key, node in self.mapping(top[K_MONEY], MONEY_ROWS, K_MONEY).items():
                where = f"{K_MONEY}.{row_key}"
                cells = self.mapping(node, TOTAL_ROW_KEYS if row_key == R_TOTAL else MONEY_COLUMNS, where)
                initial, budget, spent, forecast = (self.number(cells.get(c), f"{where}.{c}")[0] for c in MONEY_COLUMNS)
                money[row_key] = MoneyRow(initial, budget, spent, forecast, self.deviation(cells, where))
        goals = self.mapping(top[K_GOAL], GOAL_KEYS, K_GOAL) if K_GOAL in top else {}
        groups: list[Group] = []
        if K_INDICATORS in top:
            for level1, node in self.mapping(top[K_INDICATORS], framework.LEVEL1_ORDER, K_INDICATORS).items():
                if node is None or isinstance(node, loader.Scalar) and node.kind == "null":
                    continue
                for level2, rows_node in self.mapping(node, None, f"{K_INDICATORS}.{level1}").items():
                    where = f"{K_INDICATORS}.{level1}.{level2}"
                    groups.append(Group(level1, level2, tuple(self.rows(rows_node, where))))
        return Monitor(
            name=self.text(top.get(K_NAME), K_NAME), year=year, period=self.text(top.get(K_PERIOD), K_PERIOD),
            department=self.text(top.get(K_DEPT), K_DEPT), unit=self.text(top.get(K_UNIT), K_UNIT),
            money_unit=money_unit, money=money,
            expected=self.text(goals.get(G_EXPECTED), f"{K_GOAL}.{G_EXPECTED}"),
            done=self.text(goals.get(G_DONE), f"{K_GOAL}.{G_DONE}"),
            groups=tuple(groups), path=self.path, positions=loader.TreePositions(tree),
        )

    def reasons(self, node: Any, where: str) -> tuple[str, ...]:
        """偏差原因: a list drawn from `REASONS` (one reason alone may be written without brackets)."""
        if node is None or (isinstance(node, loader.Scalar) and node.kind == "null"):
            return ()
        items = node.items if isinstance(node, loader.Sequence) else [node]
        out = []
        for i, item in enumerate(items):
            text = self.text(item, f"{where}[{i}]" if isinstance(node, loader.Sequence) else where)
            if text is None:
                continue
            if text not in REASONS:
                self.bad(item, f"“{where}”应取自 {' / '.join(REASONS)}，实为“{loader._short(text)}”", where)
            out.append(text)
        return tuple(out)

    def deviation(self, cells: dict[str, Any], where: str) -> Deviation:
        return Deviation(self.reasons(cells.get(D_REASONS), f"{where}.{D_REASONS}"),
                         self.text(cells.get(D_NOTE), f"{where}.{D_NOTE}"),
                         self.text(cells.get(D_ACTION), f"{where}.{D_ACTION}"))

    def rows(self, node: Any, where: str) -> list[Row]:
        if node is None or (isinstance(node, loader.Scalar) and node.kind == "null"):
            return []
        if not isinstance(node, loader.Sequence):
            self.bad(node, f"“{where}”下应为指标行的列表（- {{三级指标: …, 年度指标值: …}}）", where)
            return []
        out = []
        for i, item in enumerate(node.items):
            at = f"{where}[{i}]"
            cells = self.mapping(item, ROW_KEYS, at)
            likely = self.text(cells.get(I_LIKELY), f"{at}.{I_LIKELY}")
            if likely is not None and likely not in LIKELIHOODS:
                self.bad(cells.get(I_LIKELY), f"“{I_LIKELY}”应为 {' / '.join(LIKELIHOODS)} 之一，实为“{loader._short(likely)}”",
                         f"{at}.{I_LIKELY}")
            out.append(Row(self.text(cells.get(I_NAME), f"{at}.{I_NAME}"), _value(cells.get(I_TARGET)),
                           _value(cells.get(I_DONE)), _value(cells.get(I_FORECAST)), self.deviation(cells, at),
                           likely, self.text(cells.get(I_REMARK), f"{at}.{I_REMARK}")))
        return out


def _value(node: Any) -> str | None:
    """A 年度指标值, 执行情况 or forecast as the text it shows (a bare number stays its digits)."""
    if node is None or not isinstance(node, loader.Scalar) or node.kind == "null":
        return None
    return node.text


def load_text(text: str, path: str = "<文本>") -> tuple[Monitor | None, list[Problem]]:
    """Parse one 监控表. Returns it (None when unusable) and its schema problems."""
    return loader.load_form(text, path, _Reader)


def load_bytes(data: bytes, name: str) -> tuple[Monitor | None, list[Problem]]:
    """Parse one 监控表 from the bytes of its file."""
    return loader.load_form_bytes(data, name, _Reader)


def load_file(path: Path, shown: str | None = None) -> tuple[Monitor | None, list[Problem]]:
    """Read and parse one 监控表; an unreadable file is a problem."""
    return loader.load_form_file(path, shown, _Reader)
