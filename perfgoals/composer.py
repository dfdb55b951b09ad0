"""PyYAML's C parser: a project file that `quickparse` leaves aside → the tree `yamltree` defines.

Only this module imports PyYAML, and `loader` imports this module only for a file quickparse
declines: a run whose files are all in the layout `fmt` writes (or all in the cache) never pays
for PyYAML's import. It refuses what a goal table never needs and a hostile file might use:
aliases, custom tags, duplicate keys, deep nesting.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .problems import BadInput
from .yamltree import Mapping, Scalar, Sequence, resolve

try:  # the C parser; the pure-Python one gives the same nodes, only slower
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - wheels ship libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


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


def compose(text: str) -> Any:
    """Text → a tree of Scalar/Mapping/Sequence by PyYAML's C parser, or raise BadInput with the
    line of the error."""
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
