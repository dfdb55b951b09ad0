"""The fast read path: project files → `Project` values with the position of every value.

Reading is the hot path of every command. A file in the layout `fmt` writes is read line by line
(`quickparse`); any other file, and any file with an error, goes through PyYAML's C parser, which
composes a node tree (line numbers included). Both give the same tree (`yamltree`) and resolve
scalars by the YAML 1.2 core schema, which is what ruamel.yaml (the writer, `yamlio`) uses. Stock PyYAML is YAML 1.1 and would turn
``1:1`` into 61, ``no`` into False and ``010`` into 8; resolving plain scalars here avoids that.

Only this module imports PyYAML. It refuses what a goal table never needs and a hostile file
might use: aliases, custom tags, duplicate keys.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import yaml

from . import forms, framework, money, quickparse
from .forms import base as form_base
from . import model as m
from .problems import Problem
from .yamltree import FLOAT, Mapping, Scalar, Sequence, TreePositions, resolve

__all__ = ["Mapping", "Scalar", "Sequence", "TreePositions", "resolve", "BadInput", "compose", "load_text",
           "load_bytes", "load_file", "plain", "decode", "suppressions"]

try:  # the C parser; the pure-Python one gives the same nodes, only slower
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - wheels ship libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 2 * 1024 * 1024
"""A goal table is a few KB; anything this large is not one (and would only cost memory)."""

_DISABLE = re.compile(r"#\s*perfgoals:\s*disable=([\w,\-]+)")


class _FastLoader(_Loader):
    """The C parser with PyYAML's (YAML 1.1) implicit resolver switched off.

    The composer asks the resolver for the tag of every untagged node; we resolve plain
    scalars ourselves by YAML 1.2 rules, so the default tag per node kind is all it needs to
    give — and skipping PyYAML's regular-expression resolver saves a tenth of the read time.
    Explicit tags (``!!python/object``) still arrive as written and are refused.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return "tag:yaml.org,2002:str"
        if kind is yaml.SequenceNode:
            return "tag:yaml.org,2002:seq"
        return "tag:yaml.org,2002:map"


class BadInput(Exception):
    def __init__(self, line: int, column: int, message: str, rule: str = "syntax") -> None:
        super().__init__(message)
        self.line, self.column, self.message, self.rule = line, column, message, rule


def decode(data: bytes) -> str:
    """Bytes of a project file → text. UTF-8 (a BOM is fine); anything else is refused."""
    if b"\x00" in data:
        raise BadInput(1, 1, "文件含有 NUL 字节，不是文本文件（是否为二进制文件？）", "syntax")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            hint = "文件看起来是 GBK/GB18030 编码，请在编辑器中另存为 UTF-8"
        except UnicodeDecodeError:
            hint = "文件不是有效的 UTF-8 文本"
        raise BadInput(line, 1, f"无法按 UTF-8 读取：{hint}", "syntax") from None


def compose(text: str) -> Any:
    """Text → a tree of Scalar/Mapping/Sequence, or raise BadInput with the line of the error.

    A file in the layout `fmt` writes is read line by line (`quickparse`); anything else, and
    every file with an error, goes through PyYAML's C parser.
    """
    tree = quickparse.parse(text)
    return tree if tree is not None else compose_yaml(text)


def compose_yaml(text: str) -> Any:
    """`compose` by PyYAML's C parser alone."""
    try:
        if "*" in text or "&" in text:  # only then can there be an alias or anchor; find it by its own line
            _refuse_aliases(text)
        if _maybe_deep(text):
            _refuse_deep(text)
        loader = _FastLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        from . import typos  # only once a file has failed: the hot path never pays for it
        mistake = typos.find(text, line)
        if mistake is not None:
            raise BadInput(mistake[0], mistake[1], f"YAML 语法错误：{mistake[2]}") from None
        what = _translate(e.problem or str(e))
        raise BadInput(line, col, f"YAML 语法错误：{what}") from None
    except RecursionError:
        raise BadInput(1, 1, "YAML 嵌套层数过深，不是绩效目标表") from None
    except yaml.reader.ReaderError as e:  # a control character: says where as a position, not a line
        pos = getattr(e, "position", 0) or 0  # libyaml counts UTF-8 bytes
        raw = text.encode("utf-8")
        line = raw.count(b"\n", 0, pos) + 1
        col = len(raw[raw.rfind(b"\n", 0, pos) + 1:pos].decode("utf-8", "ignore")) + 1
        code = getattr(e, "character", "")
        shown = f"（#x{code:04X}）" if isinstance(code, int) else ""
        raise BadInput(line, col, f"YAML 语法错误：含有不允许的控制字符{shown}，请删除") from None
    except yaml.YAMLError as e:
        raise BadInput(1, 1, f"YAML 语法错误：{e}") from None
    if node is None:
        raise BadInput(1, 1, "文件是空的：没有任何内容", "schema")
    try:
        return _convert(node)
    except RecursionError:
        raise BadInput(1, 1, "YAML 嵌套层数过深，不是绩效目标表") from None


MAX_DEPTH = 64
"""A goal table nests five levels deep; anything past this is not one (and deep nesting is how
a hostile file would exhaust the parser's stack)."""
_DEEP_INDENT = re.compile(r"^[ \t]{128}", re.M)


def _maybe_deep(text: str) -> bool:
    """Cheap signs (C-speed string searches) that a text might nest deeply; only then is it scanned."""
    return (text.count("[") + text.count("{") > MAX_DEPTH or text.count("- -") > 50 or text.count("? ") > 50
            or _DEEP_INDENT.search(text) is not None)


def _refuse_deep(text: str) -> None:
    loader = _Loader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line, col = _mark(event)
                    raise BadInput(line, col, f"YAML 嵌套超过 {MAX_DEPTH} 层，不是绩效目标表")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    finally:
        loader.dispose()


def _mark(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _refuse_aliases(text: str) -> None:
    """Anchors and aliases (``&`` and ``*``) are refused: a table writes its content out, and a
    value typed as "*5" or "&高" would otherwise be read as something else or as nothing."""
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                line, col = _mark(event)
                from . import typos
                lines = text.splitlines()
                typed = typos.value_start(lines[line - 1], known_keys=True) if line <= len(lines) else None
                if typed is not None:
                    raise BadInput(line, typed[0], f"YAML 语法错误：{typed[1]}")
                raise BadInput(line, col, "不支持 YAML 锚点与别名（& 和 *）：请直接写出内容")
    finally:
        loader.dispose()


def _translate(problem: str) -> str:
    table = {
        "found duplicate anchor": "重复的锚点",
        "found undefined alias": "未定义的别名",
        "mapping values are not allowed": "此处不允许出现“键: 值”（是否缺少空格、缩进不对，或值中含有未加引号的冒号？）",
        "block sequence entries are not allowed": "此处不能开始列表项“- ”（缩进不对？）",
        "could not find expected directive name": "以“%”开头的行不是合法的 YAML 指令",
        "unacceptable character": "含有不允许的控制字符",
        "did not find expected comment or line break": "此处应当换行（一行里多写了内容？）",
        "did not find expected alphabetic or numeric character": "锚点或别名（& 或 *）后缺少名称",
        "did not find expected tag URI": "标签（!）的写法不对",
        "did not find the expected '>'": "标签“!<…>”缺少结尾的“>”",
        "found unexpected ':'": "出现了多余的冒号“:”（文字中的冒号请给整段文字加引号）",
        "could not find expected ':'": "找不到应有的冒号“:”",
        "found character that cannot start any token": "出现了不能作为开头的字符（是否用了 Tab 缩进？）",
        "expected <block end>, but found": "缩进不一致",
        "found unexpected end of stream": "文件意外结束（引号或括号未闭合？）",
        "found unknown escape character": "未知的转义字符",
        "expected a single document in the stream": "文件中只能有一个 YAML 文档（发现了多余的 ---）",
        "while scanning a quoted scalar": "引号未闭合",
        "but found another document": "文件中只能有一个 YAML 文档（发现了多余的 ---）",
        "exceeded maximum nesting depth": "嵌套层数过深，不是绩效目标表",
        "found a tab character": "出现了 Tab 字符（YAML 只能用空格缩进）",
        "did not find expected key": "找不到应有的键（缩进不对，或少了“键:”？）",
        "did not find expected node content": "此处缺少内容",
        "did not find expected '-' indicator": "列表项缩进不一致（缺少“- ”？）",
        "control characters are not allowed": "含有不允许的控制字符",
    }
    for en, zh in table.items():
        if problem.startswith(en):
            return zh
    expected = re.match(r"did not find expected (.+)", problem)
    if expected:
        what = expected.group(1).replace("' or '", "”或“").replace("'", "")
        return f"缺少应有的“{what}”（括号或引号未闭合？）"
    found = re.match(r"(?:expected|found) (.+)", problem)
    if found:
        return f"此处不合 YAML 语法（{problem}）"
    return problem


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def _convert(node: Any) -> Any:
    """yaml nodes → Scalar/Mapping/Sequence, checking tags and duplicate keys.

    Aliases never reach here: `compose` refuses them first (a text without "*" has none).
    """
    tag = node.tag
    mark = node.start_mark
    if tag is _STR or tag == _STR:
        if type(node) is yaml.ScalarNode:
            value = node.value
            return Scalar(resolve(value) if not node.style else "str", value, mark.line + 1, mark.column + 1)
    elif tag == _MAP:
        items: list[tuple[Scalar, Any]] = []
        keys: dict[str, int] = {}
        for knode, vnode in node.value:
            key = _convert(knode)
            if not isinstance(key, Scalar):
                raise BadInput(key.line, key.column, "键必须是文字")
            if key.text in keys:
                raise BadInput(key.line, key.column, f"重复的键“{key.text}”（第 {keys[key.text]} 行已出现）", "schema")
            keys[key.text] = key.line
            items.append((key, _convert(vnode)))
        return Mapping(tuple(items), mark.line + 1, mark.column + 1)
    elif tag == _SEQ:
        return Sequence(tuple(_convert(n) for n in node.value), mark.line + 1, mark.column + 1)
    raise BadInput(mark.line + 1, mark.column + 1, f"不支持的 YAML 标签 {tag}：绩效目标表只含文字、数字与列表")


def suppressions(text: str) -> dict[int, tuple[str, ...]]:
    """Lines → rule ids disabled there. A comment alone on its line applies to the next line."""
    found: dict[int, tuple[str, ...]] = {}
    if "perfgoals:" not in text:
        return found
    for i, line in enumerate(text.splitlines(), start=1):
        hit = _DISABLE.search(line)
        if hit:
            rules = tuple(r for r in hit.group(1).split(",") if r)
            target = i + 1 if line.lstrip().startswith("#") else i
            found[target] = found.get(target, ()) + rules
    return found


class _Builder:
    """Tree → Project, collecting every schema problem instead of stopping at the first."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def bad(self, pos: m.Position, message: str, data_path: str = "") -> None:
        self.problems.append(Problem(self.path, pos[0], pos[1], message, "schema", "error", data_path))

    def mapping(self, node: Any, data_path: str, allowed: tuple[str, ...] | None) -> dict[str, Any]:
        """A mapping node's items; keys outside ``allowed`` (None: any key) are problems."""
        if not isinstance(node, Mapping):
            self.bad(_pos(node), f"“{data_path or '文件'}”应为若干“键: 值”（映射）", data_path)
            return {}
        out: dict[str, Any] = {}
        for key, value in node.items:
            if allowed is not None and key.text not in allowed:
                from . import typos
                meant = typos.meant_key(key.text)  # “项目名称”: the key is there, only quoted
                name = meant if meant in allowed else key.text
                child = f"{data_path}.{name}" if data_path else name
                self.bad(key.pos, _unknown(key.text, allowed, data_path), child)
                continue
            out[key.text] = value
        return out

    def text(self, node: Any, data_path: str) -> str | None:
        if node is None:
            return None
        if not isinstance(node, Scalar):
            self.bad(_pos(node), f"“{data_path}”应为一段文字", data_path)
            return None
        if node.kind == "null":
            return None
        return node.text

    def money(self, node: Any, data_path: str) -> Decimal | None:
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            return None
        if isinstance(node, Scalar) and node.kind in ("int", "float"):
            value = money.parse(node.text)
            if value is not None:
                return value
            self.bad(_pos(node), f"“{data_path}”的金额“{_short(node.text)}”不是可处理的普通数字（应为{money.RANGE}）",
                     data_path)  # .nan, .inf, 0x10, 1e999999999
            return None
        shown = _short(node.text) if isinstance(node, Scalar) else "（列表或映射）"
        self.bad(_pos(node), f"“{data_path}”应为金额数字（如 2.70）或 null，实为“{shown}”", data_path)
        return None

    def choice(self, node: Any, data_path: str, allowed: tuple[str, ...]) -> str | None:
        value = self.text(node, data_path)
        if value is not None and value not in allowed:
            self.bad(_pos(node), f"“{data_path}”应为 {' / '.join(allowed)} 之一，实为“{value}”", data_path)
        return value

    def project(self, root: Any, keep_positions: bool = True) -> m.Project | None:
        if isinstance(root, Mapping):
            own = forms.by_keys(k.text for k, _v in root.items)
            if own is not None:
                return self.keyed(root, own, keep_positions)
        top = self.mapping(root, "", m.TOP_KEYS)
        if not isinstance(root, Mapping):
            return None
        for key in m.REQUIRED_KEYS:
            if key not in top and not any(p.data_path == key for p in self.problems):
                self.bad((root.line, root.column), f"缺少必填项“{key}”", key)
        year_node = top.get(m.K_YEAR)
        year = None
        if year_node is not None:
            year = year_of(year_node)
            if year is None:
                self.bad(_pos(year_node), f"“年度”应为四位年份数字（如 2024），实为“{_shown(year_node)}”", m.K_YEAR)
        money_unit = self.choice(top.get(m.K_MONEY_UNIT), m.K_MONEY_UNIT, m.MONEY_UNITS) or "万元"
        nature = self.choice(top.get(m.K_NATURE), m.K_NATURE, m.NATURES)
        category_allowed = m.NEW_CATEGORIES if nature is not None else m.CATEGORIES
        funds_map = self.mapping(top.get(m.K_FUNDS, Mapping((), 0, 0)), m.K_FUNDS, m.FUNDS_KEYS)
        annual_map = self.mapping(top.get(m.K_ANNUAL, Mapping((), 0, 0)), m.K_ANNUAL, m.ANNUAL_KEYS)
        goals_map = self.mapping(top.get(m.K_GOALS, Mapping((), 0, 0)), m.K_GOALS, m.GOAL_KEYS)
        f = {k: self.money(funds_map.get(k), f"{m.K_FUNDS}.{k}") for k in m.FUNDS_KEYS}
        a = {k: self.money(annual_map.get(k), f"{m.K_ANNUAL}.{k}") for k in m.ANNUAL_KEYS}
        return m.Project(
            name=self.text(top.get(m.K_NAME), m.K_NAME),
            year=year,
            category=self.choice(top.get(m.K_CATEGORY), m.K_CATEGORY, category_allowed),
            nature=nature,
            department=self.text(top.get(m.K_DEPT), m.K_DEPT),
            unit=self.text(top.get(m.K_UNIT), m.K_UNIT),
            start=self.text(top.get(m.K_START), m.K_START),
            end=self.text(top.get(m.K_END), m.K_END),
            money_unit=money_unit,
            funds=m.Funds(f[m.K_TOTAL], f[m.K_FISCAL], f[m.K_OTHER]),
            annual=m.AnnualFunds(a[m.K_ANNUAL_TOTAL], a[m.K_APPROPRIATION], a[m.K_CARRYOVER], a[m.K_OTHER]),
            period=self.text(goals_map.get(m.K_PERIOD), f"{m.K_GOALS}.{m.K_PERIOD}"),
            goal_total=self.text(goals_map.get(m.K_GOAL_TOTAL), f"{m.K_GOALS}.{m.K_GOAL_TOTAL}"),
            goal_annual=self.text(goals_map.get(m.K_GOAL_ANNUAL), f"{m.K_GOALS}.{m.K_GOAL_ANNUAL}"),
            groups=tuple(self.groups(top.get(m.K_INDICATORS))),
            path=self.path,
            positions=TreePositions(root) if keep_positions else {},
        )

    def keyed(self, root: Mapping, form: Any, keep_positions: bool) -> m.Project:
        """A file in a form's own words (`forms.Form.layout`): each key read into its field."""
        blocks = form.blocks
        top = self.mapping(root, "", tuple(blocks))
        nodes: dict[str, Any] = {}
        for head, keys in blocks.items():
            if keys == ("",):
                nodes[head] = top.get(head)
            elif head in top:
                inner = self.mapping(top[head], head, keys)
                nodes.update({f"{head}.{k}": inner.get(k) for k in keys})
        for head in blocks:
            if head not in top and head not in OPTIONAL_KEYS and not any(p.data_path == head for p in self.problems):
                self.bad((root.line, root.column), f"缺少必填项“{head}”", head)
        values: dict[str, Any] = {"form": form.id, "path": self.path,
                                  "positions": FormPositions(root, form) if keep_positions else {}}
        funds: dict[str, Decimal | None] = {}
        annual: dict[str, Decimal | None] = {}
        for path, fld in form.layout:
            node = nodes.get(path)
            if fld == "year":
                values["year"] = year_of(node) if node is not None else None
                if node is not None and values["year"] is None:
                    self.bad(_pos(node), f"“{path}”应为四位年份数字（如 2024），实为“{_shown(node)}”", path)
            elif fld == "money_unit":
                values["money_unit"] = self.choice(node, path, m.MONEY_UNITS) or "万元"
            elif fld == "category":
                values["category"] = self.choice(node, path, form.categories)
            elif fld == "term":
                values["start"], values["end"] = form_base.term_dates(self.text(node, path))
            elif fld in ("groups", "long_groups"):
                values[fld] = tuple(self.groups(node, path, form.row_keys))
            elif fld.startswith("funds."):
                funds[fld[6:]] = self.money(node, path)
            elif fld.startswith("annual."):
                annual[fld[7:]] = self.money(node, path)
            else:
                values[fld] = self.text(node, path)
        fields: dict[str, Any] = dict(name=None, year=None, category=None, department=None, unit=None, start=None,
                                      end=None, period=None, goal_total=None, goal_annual=None, groups=())
        fields.update(values)
        return m.Project(funds=m.Funds(**funds), annual=m.AnnualFunds(**annual), **fields)

    def groups(self, node: Any, where: str = m.K_INDICATORS,
               row_keys: tuple[str, ...] = m.ROW_KEYS) -> Iterator[m.Group]:
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            return
        level1s = framework.LEVEL1_ORDER
        tree = self.mapping(node, where, level1s)
        for level1, sub in tree.items():
            if sub is None or (isinstance(sub, Scalar) and sub.kind == "null"):
                continue
            base = f"{where}.{level1}"
            # any 二级 name loads; lint's level2-name rule judges it against the framework
            for level2, rows_node in self.mapping(sub, base, None).items():
                if row_keys == m.ROW_KEYS:
                    rows = self.rows(rows_node, f"{base}.{level2}")
                else:
                    rows = self.own_rows(rows_node, f"{base}.{level2}", row_keys)
                yield m.Group(level1, level2, tuple(rows))

    def own_rows(self, node: Any, data_path: str, row_keys: tuple[str, ...]) -> Iterator[m.Indicator]:
        """Rows in a form's own words: name, value and (where the form has it) 绩效标准."""
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            return
        if not isinstance(node, Sequence):
            self.bad(_pos(node), f"“{data_path}”应为指标行的列表（每行以“- ”开头）", data_path)
            return
        for i, item in enumerate(node.items):
            path = f"{data_path}[{i}]"
            row = self.mapping(item, path, row_keys)
            yield m.Indicator(*(self.text(row.get(k), f"{path}.{k}") for k in row_keys))

    def rows(self, node: Any, data_path: str) -> Iterator[m.Indicator]:
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            return
        if not isinstance(node, Sequence):
            self.bad(_pos(node), f"“{data_path}”应为指标行的列表（每行以“- ”开头）", data_path)
            return
        for i, item in enumerate(node.items):
            if type(item) is Mapping and len(item.items) == 2:  # the writer's row: {三级指标: …, 年度指标值: …}
                (k1, v1), (k2, v2) = item.items
                if k1.text == m.K_ROW_NAME and k2.text == m.K_ROW_VALUE and type(v1) is Scalar and type(v2) is Scalar:
                    yield m.Indicator(None if v1.kind == "null" else v1.text, None if v2.kind == "null" else v2.text)
                    continue
            if isinstance(item, Mapping) and all(
                    k.text in m.ROW_KEYS and isinstance(v, Scalar) for k, v in item.items):
                # the common case, without building data paths that only error messages need
                row = {k.text: v for k, v in item.items}
                yield m.Indicator(*(None if row.get(k) is None or row[k].kind == "null" else row[k].text
                                    for k in m.ROW_KEYS))
                continue
            path = f"{data_path}[{i}]"
            row = self.mapping(item, path, m.ROW_KEYS)
            yield m.Indicator(self.text(row.get(m.K_ROW_NAME), f"{path}.{m.K_ROW_NAME}"),
                              self.text(row.get(m.K_ROW_VALUE), f"{path}.{m.K_ROW_VALUE}"))


#: keys of a form's own words a file may leave out
OPTIONAL_KEYS = ("金额单位", m.K_LONG)
class FormPositions(TreePositions):
    """The positions of a file in a form's own words, asked by the data paths rules use."""

    def __init__(self, root: Mapping, form: Any) -> None:
        super().__init__(root)
        self.form = form

    def get(self, path: str, default: Any = None) -> Any:
        own = self.form.yaml_path(path)
        return default if own is None else super().get(own, default)

    def __getitem__(self, path: str) -> m.Position:
        found = self.get(path)
        if found is None:
            raise KeyError(path)
        return found  # type: ignore[no-any-return]

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.get(path) is not None


def _pos(node: Any) -> m.Position:
    return (node.line, node.column) if node is not None else (1, 1)


def _shown(node: Any) -> str:
    return node.text if isinstance(node, Scalar) else "（列表或映射）"


def _unknown(key: str, allowed: tuple[str, ...], where: str) -> str:
    from . import typos
    punctuation = typos.key_message(key)
    if punctuation is not None:
        return punctuation
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.4)
    hint = f"，是否应为“{close[0]}”？" if close else f"；此处可用的键：{'、'.join(allowed)}"
    return f"未知的键“{key}”{('（位于“' + where + '”下）') if where else ''}{hint}"


class FormReader:
    """A form's tree (a 自评表, a 监控表) → values, collecting every schema problem with its
    position instead of stopping at the first; a form's reader adds how its keys are read."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def bad(self, node: Any, message: str, data_path: str = "") -> None:
        line, col = (node.line, node.column) if node is not None else (1, 1)
        self.problems.append(Problem(self.path, line, col, message, "schema", "error", data_path))

    def mapping(self, node: Any, allowed: tuple[str, ...] | None, where: str) -> dict[str, Any]:
        """A mapping's entries by key; a key outside ``allowed`` is a schema error (None: any key,
        as for 二级 names, which real forms write in their own words)."""
        if not isinstance(node, Mapping):
            self.bad(node, f"“{where}”应为映射（键: 值），实为{_shown(node)}", where)
            return {}
        out = {}
        for k, v in node.items:
            if allowed is not None and k.text not in allowed:
                self.bad(k, _unknown(k.text, allowed, where), f"{where}.{k.text}" if where else k.text)
            else:
                out[k.text] = v
        return out

    def text(self, node: Any, where: str) -> str | None:
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            return None
        if isinstance(node, Scalar):
            return node.text
        self.bad(node, f"“{where}”应为文字", where)
        return None

    def number(self, node: Any, where: str, percent: bool = False) -> tuple[Decimal | None, str | None]:
        """A number (amount, 分值, 得分; with ``percent`` also "92.18%") and its text as written."""
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            return None, None
        if isinstance(node, Scalar):
            raw = node.text.strip()
            if percent and raw.endswith(("%", "％")):
                raw = raw[:-1].strip()
            if node.kind in ("int", "float") or (percent and raw):
                value = money.parse(raw)
                if value is not None:
                    return value, raw
        what = "百分比（如 92.18%）" if percent else "数字（如 9.22）"
        self.bad(node, f"“{where}”应为{what}（{money.RANGE}）或 null，实为“{_short(_shown(node))}”", where)
        return None, None


def load_form(text: str, path: str, make: Any) -> tuple[Any | None, list[Problem]]:
    """A form kept beside a target table (自评表, 监控表) from its text: ``make(path)`` is its
    `FormReader`; inline suppressions are kept as a target table's are."""
    try:
        tree = compose(text)
    except BadInput as e:
        return None, [Problem(path, e.line, e.column, e.message, e.rule, "error")]
    reader = make(path)
    document = reader.read(tree)
    if document is not None and "perfgoals:" in text:
        document = replace(document, suppressions=suppressions(text))
    return document, reader.problems


def load_form_bytes(data: bytes, name: str, make: Any) -> tuple[Any | None, list[Problem]]:
    """`load_form` from the bytes of a file (empty and undecodable files are problems)."""
    if not data.strip():
        return None, [Problem(name, 1, 1, "文件是空的：没有任何内容", "schema")]
    try:
        text = decode(data)
    except BadInput as e:
        return None, [Problem(name, e.line, e.column, e.message, e.rule)]
    return load_form(text, name, make)


def load_form_file(path: Path, shown: str | None, make: Any) -> tuple[Any | None, list[Problem]]:
    """`load_form` from a file; an unreadable one is a problem, not an exception."""
    name = shown or str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        return None, [Problem(name, 1, 1, f"无法读取文件：{e.strerror or e}", "syntax")]
    return load_form_bytes(data, name, make)


def load_text(text: str, path: str = "<文本>", keep_positions: bool = True) -> tuple[m.Project | None, list[Problem]]:
    """Parse one project from text. Returns the project (None if unusable) and schema problems.

    ``keep_positions=False`` drops the parsed tree once the project is built (commands that
    hold many projects at once and never report positions: summary, diff).
    """
    try:
        tree = compose(text)
    except BadInput as e:
        return None, [Problem(path, e.line, e.column, e.message, e.rule, "error")]
    builder = _Builder(path)
    project = builder.project(tree, keep_positions)
    if project is not None and "perfgoals:" in text:
        project = replace(project, suppressions=suppressions(text))
    return project, builder.problems


def load_bytes(data: bytes, path: str, keep_positions: bool = True) -> tuple[m.Project | None, list[Problem]]:
    """Parse one project from the bytes of a file."""
    if not data.strip():
        return None, [Problem(path, 1, 1, "文件是空的：没有任何内容", "schema")]
    if len(data) > MAX_BYTES:
        return None, [Problem(path, 1, 1, f"文件过大（{len(data) // 1024} KB），单个绩效目标表不应超过 "
                                          f"{MAX_BYTES // 1024 // 1024} MB", "syntax")]
    try:
        text = decode(data)
    except BadInput as e:
        return None, [Problem(path, e.line, e.column, e.message, e.rule)]
    return load_text(text, path, keep_positions)


def load_file(path: Path | str, shown: str | None = None,
              keep_positions: bool = True) -> tuple[m.Project | None, list[Problem]]:
    """Read and parse one project file; unreadable files become a problem, not an exception.
    (A listing passes its path string: a `Path` made per file costs more than the reading.)"""
    name = shown or str(path)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno())
            # read(n) would allocate n bytes first: read a regular file whole once its size is known
            data = fh.read() if stat.S_ISREG(size.st_mode) and size.st_size <= MAX_BYTES else fh.read(MAX_BYTES + 1)
    except OSError as e:
        return None, [Problem(name, 1, 1, f"无法读取文件：{e.strerror or e}", "syntax")]
    return load_bytes(data, name, keep_positions)


def plain(text: str) -> Any:
    """A document as plain Python values (str/int/Decimal/None/list/dict), for comparisons in tests."""
    return _plain(compose(text))


def year_of(node: Any) -> int | None:
    """A 年度 written as a year (2024): an integer of four digits, nothing else (0x7E8 is 2024 to
    YAML, but no clerk means it)."""
    if isinstance(node, Scalar) and node.kind == "int" and node.text.isdigit() and len(node.text) == 4:
        return int(node.text)
    return None


def _short(text: str, limit: int = 40) -> str:
    """A value as shown in a message: a 10,000-character number is not repeated whole."""
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 个字符）"


def texts(text: str) -> Any:
    """A document with every scalar as (kind, text as written): what fmt must not change, down to
    the character (TRUE and true are the same value but not the same text); a null is None,
    however it is spelt."""
    return _texts(compose(text))


def _texts(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {k.text: _texts(v) for k, v in node.items}
    if isinstance(node, Sequence):
        return [_texts(v) for v in node.items]
    return None if node.kind == "null" else (node.kind, node.text)


def _plain(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {k.text: _plain(v) for k, v in node.items}
    if isinstance(node, Sequence):
        return [_plain(v) for v in node.items]
    if node.kind == "null":
        return None
    if node.kind == "int":
        return int(node.text, 0) if node.text[:2] in ("0o", "0x") else int(node.text)
    if node.kind == "float":
        return Decimal(node.text) if FLOAT.fullmatch(node.text) and "inf" not in node.text.lower() \
            and "nan" not in node.text.lower() else node.text
    if node.kind == "bool":
        return node.text.lower() == "true"
    return node.text
