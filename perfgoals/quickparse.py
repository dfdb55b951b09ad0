"""Reading the block layout `fmt` writes, a line at a time, without a YAML parser.

Almost every project file in a repository is in the layout `perfgoals fmt` writes: block
mappings two spaces deep, one indicator row a line as a flow mapping
``- {三级指标: …, 年度指标值: …}``, plain or quoted scalars that fit on their line. For such a file
`parse` builds the same tree (`yamltree`) as PyYAML's C composer does in `composer.compose`, for a
fraction of its cost: the composer makes two Mark objects and a node per value and calls back
into Python for each, and the loader then walks that tree again.

It accepts only what it is sure of and otherwise answers None, leaving the file to the composer:
tabs, carriage returns, control characters, a BOM, anchors, aliases, tags, literal or folded
blocks, multi-line scalars, double-quoted escapes, flow sequences, nested or empty flow values,
duplicate keys, a comment after a value, a sequence not indented under its key, very long keys.
A property test (tests/test_quickparse.py) checks that whenever it answers, the composer gives
the same tree — every kind, text, line and column — and no error.
"""

from __future__ import annotations

import re
from typing import Any

from .yamltree import INDICATORS, Mapping, Scalar, Sequence, resolve

#: Characters the fast path leaves to the composer wherever they appear: tab, CR, C0/C1 controls,
#: DEL, NEL, the Unicode line and paragraph separators, a BOM, surrogates and non-characters.
#: (Spelt as the refused ranges: the complement of the accepted ones costs a twentieth to compile.)
_REFUSED = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_INDICATORS = frozenset(INDICATORS)
_START = r"(?:[^-?:,\[\]{}#&*!|>'\"%@` ]|-[^ ,\[\]{}#:])"  # "-5" and "-≤" are plain, "- " is not
_PLAIN_FLOW = _START + r"(?:[^:,\[\]{}#]*[^:,\[\]{}# ])?"
_KEY_LINE = re.compile(f"({_PLAIN_FLOW}):(?: +(.+))?")
_FLOW_ENTRY = re.compile(f" *({_PLAIN_FLOW}): +(?:'((?:[^']|'')*)'|({_PLAIN_FLOW})) *([,}}])")
#: The indicator row as the writer spells it, two plain entries: {三级指标: …, 年度指标值: …}.
_ROW = re.compile(f"{{({_PLAIN_FLOW}): ({_PLAIN_FLOW}), ({_PLAIN_FLOW}): ({_PLAIN_FLOW})}}")
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE = re.compile(r'"([^"\\]*)"')
_LONGEST_KEY = 1000
"""libyaml refuses an implicit key of 1024 characters or more; leave anything near it to libyaml."""
_DEEPEST = 64


class _Decline(Exception):
    """Not sure: the composer decides."""


def parse(text: str) -> Mapping | None:
    """The tree of a document in the block layout, or None when the composer must decide."""
    if _REFUSED.search(text) is not None:
        return None
    try:
        tokens = _tokens(text)
        if not tokens or tokens[0][0] != 0 or tokens[0][1]:
            return None
        root, end = _node(tokens, 0, 0)
    except _Decline:
        return None
    return root if end == len(tokens) and isinstance(root, Mapping) else None


# A token is one content line: (indent, is a "- " item, line number, key, value, column of an empty value).
_Token = tuple[int, bool, int, Any, Any, int]


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    append = tokens.append
    key_line = _KEY_LINE.fullmatch
    kinds = _key_kinds
    lines = text.split("\n")
    count = len(lines)
    index = 0
    while index < count:
        line = lines[index]
        index += 1
        number = index
        body = line.lstrip(" ")
        if not body or body[0] == "#":
            continue  # blank or a comment on its own line
        indent = len(line) - len(body)
        if body[-1] == " ":
            body = body.rstrip(" ")
        if body[:2] == "- ":
            rest = body[2:].lstrip(" ")
            column = indent + len(body) - len(rest) + 1
            if rest[0] == "{":
                append((indent, True, number, None, _flow(rest, number, column), 0))
            elif key_line(rest) is not None:
                raise _Decline  # a block mapping inside a sequence item
            else:
                append((indent, True, number, None, _scalar(rest, number, column), 0))
            continue
        hit = key_line(body)
        if hit is None:
            raise _Decline
        key_text, value_text = hit.group(1, 2)
        kind = kinds.get(key_text)
        if kind is None:
            if len(key_text) > _LONGEST_KEY:
                raise _Decline
            kind = resolve(key_text)
            if len(kinds) < 4096:
                kinds[key_text] = kind
        key = Scalar(kind, key_text, number, indent + 1)
        if value_text is not None and value_text[0] == "#":
            value_text = None  # a comment after the key: its value is on the lines below
            if not _opens_block(lines, number):
                raise _Decline  # an empty value with a comment: where libyaml puts it is not worth knowing
        if value_text is None:
            append((indent, False, number, key, None, indent + len(key_text) + 2))
            continue
        column = indent + hit.start(2) + 1
        first = value_text[0]
        value: Scalar | Mapping
        if first == "{":
            value = _flow(value_text, number, column)
        elif first == "|":
            value, index = _literal(value_text, lines, index, indent, number, column)
        else:
            value = _scalar(value_text, number, column)
        append((indent, False, number, key, value, 0))
    return tokens


_key_kinds: dict[str, str] = {}
"""Keys repeat in every file (三级指标, 年度指标值): their kind is resolved once."""


def _literal(header: str, lines: list[str], index: int, parent: int, line: int, column: int) -> tuple[Scalar, int]:
    """A ``|-`` literal block (what the writer uses for a goal of several lines) starting at lines[index],
    and the index of the line after it. Other block headers (``|``, ``|+``, ``|2``, ``>``) are declined."""
    if header[:2] != "|-" or (len(header) > 2 and _COMMENT.fullmatch(header, 2) is None):
        raise _Decline
    count = len(lines)
    if index >= count:
        raise _Decline
    first = lines[index]
    body = first.lstrip(" ")
    indent = len(first) - len(body)
    if not body or indent <= parent:
        raise _Decline  # leading empty lines or an empty block: rare, and their rules are subtle
    content: list[str] = []
    while index < count:
        current = lines[index]
        stripped = current.lstrip(" ")
        if not stripped:
            if len(current) > indent:
                raise _Decline  # spaces beyond the block's indentation on an empty line
            content.append("")
        elif len(current) - len(stripped) < indent:
            break
        else:
            content.append(current[indent:])
        index += 1
    while content and content[-1] == "":
        content.pop()  # "-": every final line break goes
    return Scalar("str", "\n".join(content), line, column), index


def _opens_block(lines: list[str], number: int) -> bool:
    """Whether line `number` (a key with a comment after it) is followed by a more indented content line."""
    line = lines[number - 1]
    indent = len(line) - len(line.lstrip(" "))
    for following in lines[number:]:
        body = following.lstrip(" ")
        if body and body[0] != "#":
            return len(following) - len(body) > indent
    return False


_COMMENT = re.compile(r" +#.*")


def _scalar(text: str, line: int, column: int) -> Scalar:
    """A scalar that fills the rest of its line in block context (an end-of-line comment may follow)."""
    first = text[0]
    if first == "'" or first == '"':
        hit = (_SINGLE if first == "'" else _DOUBLE).match(text)
        if hit is None or (hit.end() != len(text) and _COMMENT.fullmatch(text, hit.end()) is None):
            raise _Decline
        inner = hit.group(1)
        return Scalar("str", inner.replace("''", "'") if first == "'" else inner, line, column)
    cut = text.find(" #")
    if cut >= 0:
        text = text[:cut].rstrip(" ")  # an end-of-line comment
    if (first in _INDICATORS and (first != "-" or len(text) < 2 or text[1] in " ,[]{}#:")) \
            or ": " in text or text[-1] == ":":
        raise _Decline
    return Scalar(resolve(text), text, line, column)


def _flow(text: str, line: int, column: int) -> Mapping:
    """A one-line flow mapping of plain or single-quoted scalars that ends its line: ``{a: b, c: 'd'}``."""
    row = _ROW.fullmatch(text)
    if row is not None:  # the common case, in one match
        k1, v1, k2, v2 = row.groups()
        if k1 != k2 and len(k1) <= _LONGEST_KEY and len(k2) <= _LONGEST_KEY:
            base = column - 1
            return Mapping(((Scalar(resolve(k1), k1, line, column + 1), Scalar(resolve(v1), v1, line, base + row.start(2) + 1)),
                            (Scalar(resolve(k2), k2, line, base + row.start(3) + 1),
                             Scalar(resolve(v2), v2, line, base + row.start(4) + 1))), line, column)
    if text[:2] == "{}" and (len(text) == 2 or _COMMENT.fullmatch(text, 2) is not None):
        return Mapping((), line, column)  # the writer's spelling of a mapping with nothing in it
    items: list[tuple[Scalar, Scalar]] = []
    seen: set[str] = set()
    pos, base = 1, column - 1
    entry = _FLOW_ENTRY.match
    while True:
        hit = entry(text, pos)
        if hit is None:
            raise _Decline
        key_text, quoted, plain, end = hit.groups()
        if key_text in seen or len(key_text) > _LONGEST_KEY:
            raise _Decline
        seen.add(key_text)
        key = Scalar(resolve(key_text), key_text, line, base + hit.start(1) + 1)
        if plain is not None:
            value = Scalar(resolve(plain), plain, line, base + hit.start(3) + 1)
        else:
            value = Scalar("str", quoted.replace("''", "'"), line, base + hit.start(2))
        items.append((key, value))
        pos = hit.end()
        if end == "}":
            break
    if pos != len(text) and _COMMENT.fullmatch(text, pos) is None:
        raise _Decline
    return Mapping(tuple(items), line, column)


def _node(tokens: list[_Token], i: int, depth: int) -> tuple[Any, int]:
    """The block collection whose first entry is tokens[i], and the index after it."""
    if depth > _DEEPEST:
        raise _Decline
    indent, dash, line = tokens[i][0], tokens[i][1], tokens[i][2]
    n = len(tokens)
    if dash:
        entries: list[Any] = []
        while i < n:
            token = tokens[i]
            if token[0] != indent:
                break
            if not token[1]:
                raise _Decline
            entries.append(token[4])
            i += 1
            if i < n and tokens[i][0] > indent:
                raise _Decline  # a continuation line
        if i < n and tokens[i][0] > indent:
            raise _Decline
        return Sequence(tuple(entries), line, indent + 1), i
    items: list[tuple[Scalar, Any]] = []
    seen: set[str] = set()
    while i < n:
        token = tokens[i]
        if token[0] != indent:
            break
        if token[1]:
            raise _Decline
        key, value = token[3], token[4]
        if key.text in seen:
            raise _Decline
        seen.add(key.text)
        i += 1
        if value is None:
            if i < n and tokens[i][0] > indent:
                value, i = _node(tokens, i, depth + 1)
            elif i < n and tokens[i][0] == indent and tokens[i][1]:
                raise _Decline  # a sequence at its key's indentation
            else:
                value = Scalar("null", "", token[2], token[5])
        elif i < n and tokens[i][0] > indent:
            raise _Decline  # a continuation line
        items.append((key, value))
    if i < n and tokens[i][0] > indent:
        raise _Decline
    return Mapping(tuple(items), line, indent + 1), i
