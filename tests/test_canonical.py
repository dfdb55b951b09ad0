"""`fmt --check`'s fast path: whenever it says "canonical", the round trip agrees."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfgoals import canonical, fmt, yamlio

from .conftest import DATA
from .strategies import generated

REAL = sorted((DATA / "2024").rglob("*.yaml"))


def round_trip_says_canonical(text: str) -> bool:
    result = fmt.format_text(text, "x.yaml")
    return result.problem is None and result.new == text


@pytest.mark.parametrize("path", REAL[::7], ids=lambda p: p.stem)
def test_real_tables_are_decided_fast_and_rightly(path: Path):
    text = path.read_text(encoding="utf-8")
    assert canonical.is_canonical(text) is True and round_trip_says_canonical(text)


def test_every_real_table_is_decided_fast():
    assert all(canonical.is_canonical(p.read_text(encoding="utf-8")) for p in REAL)


EDITS = [
    lambda t: t.replace("  ", "   ", 1),                       # indentation
    lambda t: t.replace(": ", ":  ", 1),                        # spacing after a key
    lambda t: re.sub(r"(年度指标值: )([^'}\n]+)\}", r"\1'\2'}", t, count=1),  # a value quoted
    lambda t: re.sub(r"(年度指标值: )([^'}\n]+)\}", r'\1"\2"}', t, count=1),  # double quotes
    lambda t: t.replace("项目资金:\n", "项目资金:  # 备注\n", 1),  # a comment
    lambda t: t + "# 结尾的注释\n",                               # a trailing comment
    lambda t: t.replace("年度: 2024\n", "", 1).replace("项目名称:", "年度: 2024\n项目名称:", 1),  # order
    lambda t: re.sub(r"\{三级指标: ([^,]+), 年度指标值: ([^}]+)\}", r"{年度指标值: \2, 三级指标: \1}", t, count=1),
    lambda t: t.replace("null", "~", 1),                         # another spelling of null
    lambda t: t.replace("\n", "\n\n", 1),                        # a blank line
    lambda t: t.rstrip("\n"),                                    # no final newline
    lambda t: t.replace("2.70", "2.7", 1),                       # an amount's digits
    lambda t: re.sub(r"(年度指标值: )(\d+)\}", r"\1'\2'}", t, count=1),  # a number quoted
    lambda t: t.replace("计划开始日期: 2024-01-01", "计划开始日期: '2024-01-01'", 1),
    lambda t: re.sub(r"(项目总目标: )(.+)", r"\1|-\n    \2", t, count=1),  # a literal block
]


@settings(max_examples=150, deadline=None)
@given(path=st.sampled_from(REAL), edits=st.lists(st.sampled_from(range(len(EDITS))), max_size=3))
def test_fast_true_is_always_the_round_trip_s_answer(path, edits):
    text = path.read_text(encoding="utf-8")
    for i in edits:
        text = EDITS[i](text)
    if canonical.is_canonical(text):
        assert round_trip_says_canonical(text), edits


@settings(max_examples=150, deadline=None)
@given(project=generated())
def test_generated_projects_written_canonically_are_decided_the_same(project):
    text = yamlio.project_text(project)
    fast = canonical.is_canonical(text)
    slow = round_trip_says_canonical(text)
    assert fast is None or fast == slow
    assert slow  # what the writer writes is canonical


def test_fmt_check_uses_the_fast_path_and_still_finds_changes(run, workdir):
    folder = workdir / "data" / "2024" / "妇联"
    target = folder / "妇女儿童维权.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("年度: 2024", "年度:   2024"), encoding="utf-8")
    result = run("fmt", "--check", "--no-cache", str(folder))
    assert result.exit_code == 1 and "妇女儿童维权.yaml" in result.output
