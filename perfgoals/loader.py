"""The fast read path: project files → `Project` values with the position of every value.

Reading is the hot path of every command. A file in the layout `fmt` writes is read line by line
(`quickparse`); any other file, and any file with an error, goes through PyYAML's C parser, which
composes a node tree (line numbers included; `composer`). Both give the same tree (`yamltree`) and resolve
scalars by the YAML 1.2 core schema, which is what ruamel.yaml (the writer, `yamlio`) uses. Stock PyYAML is YAML 1.1 and would turn
``1:1`` into 61, ``no`` into False and ``010`` into 8; resolving plain scalars here avoids that.

PyYAML is imported by `composer` alone, and only when a file needs it.
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

from . import forms, framework, money, quickparse
from .forms import base as form_base
from . import model as m
from .problems import BadInput, Problem
from .yamltree import FLOAT, Mapping, Scalar, Sequence, TreePositions, resolve

__all__ = ["Mapping", "Scalar", "Sequence", "TreePositions", "resolve", "BadInput", "compose", "load_text",
           "load_bytes", "load_file", "plain", "decode", "suppressions"]

MAX_BYTES = 2 * 1024 * 1024
"""A goal table is a few KB; anything this large is not one (and would only cost memory)."""

_DISABLE = re.compile(r"#\s*perfgoals:\s*disable=([\w,\-]+)")


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
    if tree is not None:
        return tree
    from . import composer  # PyYAML: a file not in fmt's layout (a run reading none never imports it)
    return composer.compose(text)


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
