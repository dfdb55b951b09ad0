"""The year-end 财政项目支出绩效自评表 (财预〔2020〕10号): model, reader and writer.

A 自评 file sits next to its target table as ``<project file name>.自评.yaml`` (and may stand
alone). Its keys are the form's own words; this module is the one place that ties them to the
English attributes, as `model` does for the target table. Reading uses the same fast composer
as `loader` (positions of every value, Chinese messages for every schema mistake).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Mapping

from . import framework, loader, money
from . import model as m
from .problems import Problem

SUFFIX: Final = ".自评.yaml"

K_NAME, K_YEAR, K_DEPT, K_UNIT, K_MONEY_UNIT = "项目名称", "年度", "主管部门", "实施单位", "金额单位"
K_MONEY, K_GOAL, K_INDICATORS, K_TOTAL = "项目资金", "年度总体目标", "绩效指标", "总分"
TOP_KEYS: Final = (K_NAME, K_YEAR, K_DEPT, K_UNIT, K_MONEY_UNIT, K_MONEY, K_GOAL, K_INDICATORS, K_TOTAL)
REQUIRED_KEYS: Final = (K_NAME, K_YEAR, K_MONEY, K_INDICATORS)

R_TOTAL, R_APPROPRIATION, R_CARRYOVER, R_OTHER = "年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"
MONEY_ROWS: Final = (R_TOTAL, R_APPROPRIATION, R_CARRYOVER, R_OTHER)
C_INITIAL, C_BUDGET, C_SPENT = "年初预算数", "全年预算数", "全年执行数"
MONEY_COLUMNS: Final = (C_INITIAL, C_BUDGET, C_SPENT)
C_WEIGHT, C_RATE, C_SCORE = "分值", "执行率", "得分"
TOTAL_ROW_KEYS: Final = (*MONEY_COLUMNS, C_WEIGHT, C_RATE, C_SCORE)

G_EXPECTED, G_ACHIEVED = "预期目标", "实际完成情况"
GOAL_KEYS: Final = (G_EXPECTED, G_ACHIEVED)

I_NAME, I_TARGET, I_ACTUAL, I_WEIGHT, I_SCORE, I_REASON = (
    "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
ROW_KEYS: Final = (I_NAME, I_TARGET, I_ACTUAL, I_WEIGHT, I_SCORE, I_REASON)


def is_selfeval(path: Path | str) -> bool:
    return str(path).endswith(SUFFIX)


def target_path(path: Path) -> Path:
    """The target table a 自评 file belongs to: ``x.自评.yaml`` → ``x.yaml``."""
    return path.with_name(path.name[: -len(SUFFIX)] + ".yaml")


def path_for(target: Path) -> Path:
    """The 自评 file of a target table: ``x.yaml`` → ``x.自评.yaml``."""
    return target.with_name(target.stem + SUFFIX)


@dataclass(frozen=True)
class MoneyRow:
    """One row of 项目资金: 年初预算数, 全年预算数, 全年执行数 (None = blank)."""

    initial: Decimal | None = None
    budget: Decimal | None = None
    spent: Decimal | None = None

    def column(self, key: str) -> Decimal | None:
        return {C_INITIAL: self.initial, C_BUDGET: self.budget, C_SPENT: self.spent}[key]


@dataclass(frozen=True)
class Row:
    """One 三级 row: approved target, actual value, weight (分值) and stated score (得分)."""

    name: str | None
    target: str | None
    actual: str | None
    weight: Decimal | None
    score: Decimal | None
    reason: str | None = None
    #: the score as written ("18.6"), for the tolerance of one unit of its last digit
    score_text: str | None = None


@dataclass(frozen=True)
class Group:
    level1: str
    level2: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class SelfEval:
    """One project's 自评表 as written (scores stated by the unit, not yet checked)."""

    name: str | None
    year: int | None
    department: str | None
    unit: str | None
    money_unit: str
    money: Mapping[str, MoneyRow]
    budget_weight: Decimal | None
    stated_rate: Decimal | None
    budget_score: Decimal | None
    expected: str | None
    achieved: str | None
    groups: tuple[Group, ...]
    total: Decimal | None
    budget_score_text: str | None = None
    total_text: str | None = None
    rate_text: str | None = None
    path: str = ""
    positions: Mapping[str, m.Position] = field(default_factory=dict, compare=False, repr=False)
    suppressions: Mapping[int, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def rows(self) -> list[tuple[str, Group, int, Row]]:
        """(data path, group, index, row) for every 三级 row in form order."""
        return [(f"{K_INDICATORS}.{g.level1}.{g.level2}[{i}]", g, i, r)
                for g in self.groups for i, r in enumerate(g.rows)]

    def position(self, path: str) -> m.Position:
        return m.position_in(self.positions, path)

    def row_money(self, key: str) -> MoneyRow:
        return self.money.get(key) or MoneyRow()


# -- reading -------------------------------------------------------------------------------

class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def bad(self, node: Any, message: str, data_path: str = "") -> None:
        line, col = (node.line, node.column) if node is not None else (1, 1)
        self.problems.append(Problem(self.path, line, col, message, "schema", "error", data_path))

    def mapping(self, node: Any, allowed: tuple[str, ...] | None, where: str) -> dict[str, Any]:
        """A mapping's entries by key; a key outside ``allowed`` is a schema error (None: any key,
        as for 二级 names, which real forms write in their own words)."""
        if not isinstance(node, loader.Mapping):
            self.bad(node, f"“{where}”应为映射（键: 值），实为{loader._shown(node)}", where)
            return {}
        out = {}
        for k, v in node.items:
            if allowed is not None and k.text not in allowed:
                self.bad(k, loader._unknown(k.text, allowed, where), f"{where}.{k.text}" if where else k.text)
            else:
                out[k.text] = v
        return out

    def text(self, node: Any, where: str) -> str | None:
        if node is None or (isinstance(node, loader.Scalar) and node.kind == "null"):
            return None
        if isinstance(node, loader.Scalar):
            return node.text
        self.bad(node, f"“{where}”应为文字", where)
        return None

    def number(self, node: Any, where: str, percent: bool = False) -> tuple[Decimal | None, str | None]:
        """A number (amount, 分值, 得分; with ``percent`` also "92.18%") and its text as written."""
        if node is None or (isinstance(node, loader.Scalar) and node.kind == "null"):
            return None, None
        if isinstance(node, loader.Scalar):
            raw = node.text.strip()
            if percent and raw.endswith(("%", "％")):
                raw = raw[:-1].strip()
            if node.kind in ("int", "float") or (percent and raw):
                value = money.parse(raw)
                if value is not None:
                    return value, raw
        what = "百分比（如 92.18%）" if percent else "数字（如 9.22）"
        self.bad(node, f"“{where}”应为{what}（{money.RANGE}）或 null，实为“{loader._short(loader._shown(node))}”", where)
        return None, None

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
    try:
        tree = loader.compose(text)
    except loader.BadInput as e:
        return None, [Problem(path, e.line, e.column, e.message, e.rule, "error")]
    reader = _Reader(path)
    se = reader.read(tree)
    if se is not None and "perfgoals:" in text:
        se = replace(se, suppressions=loader.suppressions(text))
    return se, reader.problems


def load_file(path: Path, shown: str | None = None) -> tuple[SelfEval | None, list[Problem]]:
    name = shown or str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        return None, [Problem(name, 1, 1, f"无法读取文件：{e.strerror or e}", "syntax")]
    return load_bytes(data, name)


def load_bytes(data: bytes, name: str) -> tuple[SelfEval | None, list[Problem]]:
    """Parse one 自评表 from the bytes of its file."""
    if not data.strip():
        return None, [Problem(name, 1, 1, "文件是空的：没有任何内容", "schema")]
    try:
        text = loader.decode(data)
    except loader.BadInput as e:
        return None, [Problem(name, e.line, e.column, e.message, e.rule)]
    return load_text(text, name)


# -- writing -------------------------------------------------------------------------------

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
    from ruamel.yaml.comments import CommentedMap

    def flow(pairs: list[tuple[str, Any]]) -> CommentedMap:
        cmap = CommentedMap(pairs)
        cmap.fa.set_flow_style()
        return cmap

    doc = CommentedMap()
    doc[K_NAME], doc[K_YEAR], doc[K_DEPT], doc[K_UNIT] = se.name, se.year, se.department, se.unit
    doc[K_MONEY_UNIT] = se.money_unit
    money = CommentedMap()
    for key in MONEY_ROWS:
        row = se.row_money(key)
        cells: list[tuple[str, Any]] = [(C_INITIAL, row.initial), (C_BUDGET, row.budget), (C_SPENT, row.spent)]
        if key == R_TOTAL:
            rate = f"{se.rate_text}%" if se.rate_text is not None else None
            cells += [(C_WEIGHT, se.budget_weight), (C_RATE, rate), (C_SCORE, se.budget_score)]
        money[key] = flow(cells)
    doc[K_MONEY] = money
    doc[K_GOAL] = CommentedMap([(G_EXPECTED, se.expected), (G_ACHIEVED, se.achieved)])
    tree = CommentedMap()
    for g in se.groups:
        tree.setdefault(g.level1, CommentedMap())[g.level2] = [
            flow([(I_NAME, r.name), (I_TARGET, r.target), (I_ACTUAL, r.actual), (I_WEIGHT, r.weight),
                  (I_SCORE, r.score), (I_REASON, r.reason)]) for r in g.rows]
    doc[K_INDICATORS] = tree
    doc[K_TOTAL] = se.total
    return doc


def text(se: SelfEval, header: str | None = None) -> str:
    from . import yamlio
    body = yamlio.dump(document(se))
    return (f"# {header}\n" if header else "") + body


def format_text(text_in: str) -> str:
    """Canonical text of a 自评 file: the form's key order, rows one per line, comments kept."""
    from ruamel.yaml.comments import CommentedMap

    from . import yamlio
    doc = yamlio.load_roundtrip(text_in)
    if isinstance(doc, CommentedMap):
        yamlio.reorder(doc, TOP_KEYS)
        if isinstance(doc.get(K_MONEY), CommentedMap):
            yamlio.reorder(doc[K_MONEY], MONEY_ROWS)
            for key, row in doc[K_MONEY].items():
                if isinstance(row, CommentedMap):
                    yamlio.reorder(row, TOTAL_ROW_KEYS)
                    row.fa.set_flow_style()
        if isinstance(doc.get(K_GOAL), CommentedMap):
            yamlio.reorder(doc[K_GOAL], GOAL_KEYS)
        yamlio.indicators(doc.get(K_INDICATORS), ROW_KEYS, yamlio.flow_comments(text_in))
    return yamlio.dump(doc)


def in_wan(se: SelfEval, value: Decimal | None) -> Decimal | None:
    return money.convert(value, se.money_unit, "万元")
