"""Reading a 自评 file: the same fast composer as `perfgoals.loader` (positions of every value,
Chinese messages for every schema mistake)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import framework, loader
from .. import model as m
from ..problems import Problem
from .values import (
    C_RATE, C_SCORE, C_WEIGHT, GOAL_KEYS, G_ACHIEVED, G_EXPECTED, Group, I_ACTUAL,
    I_NAME, I_REASON, I_SCORE, I_TARGET, I_WEIGHT, K_DEPT, K_GOAL, K_INDICATORS,
    K_MONEY, K_MONEY_UNIT, K_NAME, K_TOTAL, K_UNIT, K_YEAR, MONEY_COLUMNS, MONEY_ROWS,
    MoneyRow, REQUIRED_KEYS, ROW_KEYS, R_TOTAL, Row, SelfEval, TOP_KEYS, TOTAL_ROW_KEYS,
)


class _Reader(loader.FormReader):
    """A 自评 file's tree → `SelfEval`."""

    def read(self, tree: Any) -> SelfEval | None:
        top = self.mapping(tree, TOP_KEYS, "")
        if not isinstance(tree, loader.Mapping):
            return None
        for key in REQUIRED_KEYS:
            if key not in top:
                self.bad(tree, f"缺少必填项“{key}”", key)
        year_node = top.get(K_YEAR)
        year = None
        if year_node is not None:
            year = loader.year_of(year_node)
            if year is None:
                self.bad(year_node, f"“年度”应为四位年份（如 2024），实为“{loader._shown(year_node)}”", K_YEAR)
        money_unit = self.text(top.get(K_MONEY_UNIT), K_MONEY_UNIT) or "万元"
        if money_unit not in m.MONEY_UNITS:
            self.bad(top.get(K_MONEY_UNIT), f"“金额单位”只能是 万元 或 元，实为“{money_unit}”", K_MONEY_UNIT)
            money_unit = "万元"
        money: dict[str, MoneyRow] = {}
        weight = rate = bscore = None
        bscore_text = rate_text = None
        if K_MONEY in top:
            for row_key, node in self.mapping(top[K_MONEY], MONEY_ROWS, K_MONEY).items():
                where = f"{K_MONEY}.{row_key}"
                cells = self.mapping(node, TOTAL_ROW_KEYS if row_key == R_TOTAL else MONEY_COLUMNS, where)
                values = [self.number(cells.get(c), f"{where}.{c}")[0] for c in MONEY_COLUMNS]
                money[row_key] = MoneyRow(*values)
                if row_key == R_TOTAL:
                    weight = self.number(cells.get(C_WEIGHT), f"{where}.{C_WEIGHT}")[0]
                    rate, rate_text = self.number(cells.get(C_RATE), f"{where}.{C_RATE}", percent=True)
                    bscore, bscore_text = self.number(cells.get(C_SCORE), f"{where}.{C_SCORE}")
        goals = self.mapping(top[K_GOAL], GOAL_KEYS, K_GOAL) if K_GOAL in top else {}
        groups: list[Group] = []
        if K_INDICATORS in top:
            level1s = self.mapping(top[K_INDICATORS], framework.LEVEL1_ORDER, K_INDICATORS)
            for level1, node in level1s.items():
                if node is None or isinstance(node, loader.Scalar) and node.kind == "null":
                    continue
                # any 二级 name loads, as in a target table; lint's level2-name rule judges it
                for level2, rows_node in self.mapping(node, None, f"{K_INDICATORS}.{level1}").items():
                    where = f"{K_INDICATORS}.{level1}.{level2}"
                    groups.append(Group(level1, level2, tuple(self.rows(rows_node, where))))
        total, total_text = self.number(top.get(K_TOTAL), K_TOTAL)
        return SelfEval(
            name=self.text(top.get(K_NAME), K_NAME), year=year,
            department=self.text(top.get(K_DEPT), K_DEPT), unit=self.text(top.get(K_UNIT), K_UNIT),
            money_unit=money_unit, money=money, budget_weight=weight, stated_rate=rate, budget_score=bscore,
            expected=self.text(goals.get(G_EXPECTED), f"{K_GOAL}.{G_EXPECTED}"),
            achieved=self.text(goals.get(G_ACHIEVED), f"{K_GOAL}.{G_ACHIEVED}"),
            groups=tuple(groups), total=total, budget_score_text=bscore_text, total_text=total_text,
            rate_text=rate_text, path=self.path, positions=loader.TreePositions(tree),
        )

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
            score, score_text = self.number(cells.get(I_SCORE), f"{at}.{I_SCORE}")
            out.append(Row(self.text(cells.get(I_NAME), f"{at}.{I_NAME}"),
                           _value_text(cells.get(I_TARGET)), _value_text(cells.get(I_ACTUAL)),
                           self.number(cells.get(I_WEIGHT), f"{at}.{I_WEIGHT}")[0], score,
                           self.text(cells.get(I_REASON), f"{at}.{I_REASON}"), score_text))
        return out


def _value_text(node: Any) -> str | None:
    """A 年度指标值 or 实际完成值 as the text it shows (a bare number stays its digits)."""
    if node is None or not isinstance(node, loader.Scalar) or node.kind == "null":
        return None
    return node.text


def load_text(text: str, path: str = "<文本>") -> tuple[SelfEval | None, list[Problem]]:
    """Parse one 自评表. Returns it (None when unusable) and its schema problems."""
    return loader.load_form(text, path, _Reader)


def load_bytes(data: bytes, name: str) -> tuple[SelfEval | None, list[Problem]]:
    """Parse one 自评表 from the bytes of its file."""
    return loader.load_form_bytes(data, name, _Reader)


def load_file(path: Path, shown: str | None = None) -> tuple[SelfEval | None, list[Problem]]:
    """Read and parse one 自评表; an unreadable file is a problem."""
    return loader.load_form_file(path, shown, _Reader)
