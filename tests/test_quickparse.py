"""The line reader (`quickparse`): whenever it answers, PyYAML's composer gives the same tree and no error."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfgoals import composer, loader, quickparse, selfeval, yamlio, yamltree

from .conftest import DATA, EXAMPLES
from .strategies import generated

REAL = sorted((DATA / "2024").rglob("*.yaml"))
SELFEVAL = sorted(EXAMPLES.rglob("*.自评.yaml"))


def shape(node: Any) -> Any:
    """Every kind, text, line and column of a tree, as nested tuples."""
    if isinstance(node, loader.Scalar):
        return ("S", node.kind, node.text, node.line, node.column)
    if isinstance(node, loader.Mapping):
        return ("M", node.line, node.column, tuple((shape(k), shape(v)) for k, v in node.items))
    assert isinstance(node, loader.Sequence)
    return ("Q", node.line, node.column, tuple(shape(v) for v in node.items))


def agrees(text: str) -> bool | None:
    """None when the line reader declines; else whether the composer gives the same tree."""
    fast = quickparse.parse(text)
    if fast is None:
        return None
    try:
        slow = composer.compose(text)
    except loader.BadInput as e:
        raise AssertionError(f"the line reader read a text the composer refuses: {e.message}\n{text}") from None
    assert shape(fast) == shape(slow), text
    return True


def test_every_real_table_and_self_evaluation_is_read_by_lines_alike():
    texts = [p.read_text(encoding="utf-8") for p in REAL + SELFEVAL]
    assert len(texts) >= 106
    assert all(agrees(t) for t in texts)


@settings(max_examples=100, deadline=None)
@given(project=generated())
def test_what_the_writer_writes_is_read_by_lines_alike(project):
    assert agrees(yamlio.project_text(project))


#: Characters that mean something to YAML, and a few that only look as if they did.
_ALPHABET = list(":#{}[],'\"&*!|>%@`-? \n\t\\~.") + ["中", "1", "0", "a", "\u3000", "\xa0", "\u2028", "\ufeff", "\r"]


@st.composite
def edited(draw: st.DrawFn) -> str:
    source = draw(st.sampled_from(REAL + SELFEVAL))
    text = source.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(text)))
        # aim most edits at a line's structure: its start, the indentation, around a colon
        if draw(st.booleans()):
            starts = [i + 1 for i, c in enumerate(text) if c == "\n"] or [0]
            start = draw(st.sampled_from(starts))
            where = min(len(text), start + draw(st.integers(0, 12)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate-line"]))
        char = draw(st.sampled_from(_ALPHABET))
        if action == "insert":
            text = text[:where] + char + text[where:]
        elif action == "delete":
            text = text[:where] + text[where + 1:]
        elif action == "replace":
            text = text[:where] + char + text[where + 1:]
        else:
            end = text.find("\n", where)
            start = text.rfind("\n", 0, where) + 1
            if end > 0:
                text = text[:end] + "\n" + text[start:end] + text[end:]
    return text


@settings(max_examples=600, deadline=None)
@given(text=edited())
def test_a_text_read_by_lines_is_the_composer_s_tree(text):
    agrees(text)


@pytest.mark.parametrize("text", [
    "a: b\n  c\n",                      # a plain scalar over two lines
    "a:\n- b\n",                         # a sequence at its key's indentation
    "a: &x b\nc: *x\n",                  # anchor and alias
    "a: !!str b\n",                      # a tag
    "a: |\n  b\n",                       # literal block that keeps its final newline
    "a: >-\n  b\n",                      # folded block
    "a: [b, c]\n",                       # a flow sequence
    "a: {b: {c: d}}\n",                  # nested flow mapping
    "a: {b: }\n",                        # empty flow value
    "a: b\na: c\n",                      # duplicate key
    "a:\tb\n",                           # tab
    "a: b\r\nc: d\r\n",                  # CR LF
    "a: \"b\\tc\"\n",                   # escape in double quotes
    "  a: b\n",                          # an indented root
    "- a\n",                             # a sequence as root
    "a:\n  b: c\n d: e\n",               # indentation between two levels
    "a: b: c\n",                         # two colons
    "a:  # note\n",                      # a commented empty value
    "---\na: b\n",                       # document marker
    "x" * 1100 + ": b\n",                # longer than libyaml's simple key
])
def test_what_the_line_reader_leaves_to_the_composer(text):
    assert quickparse.parse(text) is None


@pytest.mark.parametrize("text, expected", [
    ("a: b  # 注释\n", ("b", 1, 4)),
    ("a: 'it''s'\n", ("it's", 1, 4)),
    ("a: \"引号\"\n", ("引号", 1, 4)),
    ("a: |-\n  第一行\n\n  第三行\n\nb: c\n", ("第一行\n\n第三行", 1, 4)),
    ("a:\n", ("", 1, 3)),
    ("a: 1#楼\n", ("1#楼", 1, 4)),
])
def test_values_the_line_reader_reads(text, expected):
    tree = quickparse.parse(text)
    assert tree is not None
    value = tree.items[0][1]
    assert (value.text, value.line, value.column) == expected
    assert agrees(text)


def test_a_self_evaluation_is_read_by_lines():
    path = SELFEVAL[0]
    text = path.read_text(encoding="utf-8")
    via_lines = selfeval.load_text(text, str(path))
    assert quickparse.parse(text) is not None
    assert via_lines[0] is not None and not via_lines[1]


@pytest.mark.parametrize("path", REAL[::9] + SELFEVAL, ids=lambda p: p.stem)
def test_positions_found_by_descent_are_the_index_s(path):
    tree = loader.compose(path.read_text(encoding="utf-8"))
    indexed = dict(yamltree.TreePositions(tree)._walk())
    asked = list(indexed) + ["绩效指标.没有这组", "项目性质", "绩效指标.产出指标.数量指标[99]", "a..b", "绩效指标[0]"]
    for data_path in asked:
        fresh = yamltree.TreePositions(tree)  # a new one each time: every question goes by descent
        assert fresh.get(data_path) == indexed.get(data_path), data_path
        assert fresh._index is None or data_path not in indexed or "." in data_path


def test_a_key_with_a_dot_is_found_through_the_index():
    tree = loader.compose("a.b: 1\na:\n  c: 2\n")
    positions = yamltree.TreePositions(tree)
    assert positions.get("a.b") == (1, 6) and positions.get("a.c") == (3, 6)
