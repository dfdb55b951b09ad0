"""The parsed tree of a YAML document: scalars with their YAML 1.2 kind and source text, mappings
and sequences, each with the line and column where it starts.

Both readers build it: `quickparse` (the block layout `fmt` writes, line by line) and
`composer.compose` (PyYAML's C parser, for everything else). Readers of projects, 自评表 and the
lint configuration work on it; nothing here imports PyYAML.
"""

from __future__ import annotations

import re
from collections import abc
from typing import Any, Iterator

from . import model as m

_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true", "True", "TRUE", "false", "False", "FALSE"}


class Scalar:
    """A resolved plain or quoted scalar: its YAML 1.2 kind and its source text.

    Plain classes with __slots__ rather than dataclasses: a 10,000-file corpus has a million
    of them, and their construction is a visible part of the read path.
    """

    __slots__ = ("kind", "text", "line", "column")

    def __init__(self, kind: str, text: str, line: int, column: int) -> None:
        self.kind, self.text, self.line, self.column = kind, text, line, column

    @property
    def pos(self) -> m.Position:
        return self.line, self.column


class Mapping:
    __slots__ = ("items", "line", "column")

    def __init__(self, items: tuple[tuple[Scalar, Any], ...], line: int, column: int) -> None:
        self.items, self.line, self.column = items, line, column


class Sequence:
    __slots__ = ("items", "line", "column")

    def __init__(self, items: tuple[Any, ...], line: int, column: int) -> None:
        self.items, self.line, self.column = items, line, column


_UNSURE = object()
_DESCENTS = 1
"""Questions answered by following the path down; past that, one walk indexes every path. Lint
asks many of nearly every file (the year rules place every row), so the index comes early: on
10,000 projects a second descent cost more than the walk it put off."""


def _absent(passed: list[Mapping]) -> object:
    """None (the path is not there) unless a key on the way holds "." or "[" and could be read as
    two steps of the path."""
    dotted = any("." in k.text or "[" in k.text for node in passed for k, _v in node.items)
    return _UNSURE if dotted else None


class TreePositions(abc.Mapping):  # type: ignore[type-arg]
    """Data path → (line, column), found on demand by walking the parsed tree.

    A project has ~150 values but lint asks for the positions of a handful (the ones with
    problems), so walking on demand is far cheaper than recording every path while loading.
    A mapping key's position is its value's when the value is a scalar, else the key's own.
    """

    def __init__(self, root: "Mapping") -> None:
        self.root = root
        self._index: dict[str, m.Position] | None = None
        self._asked = 0

    def _find(self, path: str) -> m.Position | None:
        if self._index is None:
            self._asked += 1
            found = self._descend(path) if self._asked <= _DESCENTS else _UNSURE
            if found is not _UNSURE:
                return found  # type: ignore[return-value]
            # many questions, or a key on the way holds "." or "[": one walk of the whole tree
            # answers this and every later question
            self._index = self._walk()
        return self._index.get(path)

    def _descend(self, path: str) -> m.Position | None | object:
        """The position of ``path`` found by following it down from the root, None when it is
        not there, `_UNSURE` when a key with "." or "[" in it might make the path mean another."""
        node: Any = self.root
        pos: m.Position = (node.line, node.column)
        if not path:
            return pos
        passed: list[Mapping] = []
        for part in path.split("."):
            name, bracket, rest = part.partition("[")
            if name:
                if not isinstance(node, Mapping):
                    return _absent(passed)
                passed.append(node)
                for key, value in node.items:
                    if key.text == name:
                        break
                else:
                    return _absent(passed)
                pos = (value.line, value.column) if isinstance(value, Scalar) else (key.line, key.column)
                node = value
            elif not bracket:
                return _UNSURE
            if bracket:
                for index in rest[:-1].split("]["):
                    if not index.isdigit():
                        return _UNSURE
                    if not isinstance(node, Sequence) or int(index) >= len(node.items):
                        return _absent(passed)
                    node = node.items[int(index)]
                    pos = (node.line, node.column)
        return pos

    def _walk(self) -> dict[str, m.Position]:
        """Data path → position of every node; a key's position is its value's when that is a
        scalar, else the key's own. (One loop filling a dict: this runs for most linted files.)"""
        root = self.root
        out: dict[str, m.Position] = {"": (root.line, root.column)}
        stack: list[tuple[Any, str]] = [(root, "")]
        pop, push = stack.pop, stack.append
        while stack:
            node, path = pop()
            if isinstance(node, Mapping):
                prefix = path + "." if path else ""
                for k, v in node.items:
                    child = prefix + k.text
                    if isinstance(v, Scalar):
                        out[child] = (v.line, v.column)
                    else:
                        out[child] = (k.line, k.column)
                        push((v, child))
            elif isinstance(node, Sequence):
                for i, v in enumerate(node.items):
                    child = f"{path}[{i}]"
                    out[child] = (v.line, v.column)
                    if not isinstance(v, Scalar):
                        push((v, child))
        return out

    def __getitem__(self, path: str) -> m.Position:
        pos = self._find(path)
        if pos is None:
            raise KeyError(path)
        return pos

    def get(self, path: str, default: Any = None) -> Any:
        index = self._index  # once indexed (most linted files), a dict lookup and no more
        pos = index.get(path) if index is not None else self._find(path)
        return default if pos is None else pos

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self._find(path) is not None

    def __iter__(self) -> Iterator[str]:
        if self._index is None:
            self._index = self._walk()
        return iter(self._index)

    def __len__(self) -> int:
        return sum(1 for _ in self)


#: YAML's indicator characters (and the space): a plain scalar may not start with one of them.
INDICATORS = "-?:,[]{}#&*!|>'\"%@` "

_MAYBE_NOT_STR = set("0123456789+-.~nNtTfF")


def resolve(text: str) -> str:
    """The YAML 1.2 core-schema kind of a plain scalar."""
    if text and text[0] not in _MAYBE_NOT_STR:
        return "str"  # most scalars are Chinese text: no pattern can match them
    if text in _NULL:
        return "null"
    if text in _BOOL:
        return "bool"
    if _INT.fullmatch(text):
        return "int"
    if FLOAT.fullmatch(text):
        return "float"
    return "str"
