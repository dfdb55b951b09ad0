"""Lint of a subset (single files, --unit, --year): the rules that compare projects read the
siblings and peers of the files given, so each file gets the findings a whole run gives it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import DATA

# files whose findings come from comparing projects: same unit (copied-subject), across units
# (same-indicator-set), and both
FILES = ["data/2024/党建办/主题教育保障经费.yaml", "data/2024/助残康复科/困难对象殡葬补贴.yaml",
         "data/2024/助残康复科/界桩界线管理费.yaml", "data/2024/总工会/退休劳模生活补贴.yaml"]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("subset")
    shutil.copytree(DATA, root / "data")
    return root


def problems(run, root: Path, *args: str) -> list[tuple]:
    body = json.loads(run("lint", "--format", "json", "--no-cache", *args, cwd=root).stdout)
    return [(p["path"], p["line"], p["rule"], p["message"]) for p in body["problems"]]


def test_one_file_gets_the_findings_of_a_whole_run(run, tree):
    whole = problems(run, tree)
    assert {p[2] for p in whole if p[0] in FILES} >= {"copied-subject", "same-indicator-set"}
    for name in FILES:
        assert problems(run, tree, name) == [p for p in whole if p[0] == name], name


def test_two_files_and_a_unit_get_the_findings_of_a_whole_run(run, tree):
    whole = problems(run, tree)
    pair = FILES[:2]
    assert problems(run, tree, *pair) == [p for p in whole if p[0] in pair]
    assert problems(run, tree, "--unit", "助残康复科") == [p for p in whole if "/助残康复科/" in p[0]]


def test_the_counts_line_counts_the_files_given(run, tree):
    out = run("lint", "--no-cache", FILES[0], cwd=tree).stdout
    assert "检查了 1 个文件" in out
