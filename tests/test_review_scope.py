"""Review, ``lint --since`` and ``diff --rev`` read what a pull request touches (`reviewscope`),
and say exactly what reading every file says: each history below is reviewed both ways."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

import pytest

from perfgoals import loader, review, reviewscope
from perfgoals.textnorm import squash

from .conftest import DATA, edit
from .test_review import git, tables_repo

Y = Path("data/2024")


def _history(tmp_path: Path, change: Callable[[Path], None], commit: bool = True) -> Path:
    """main with the fixture tables; `feature` (checked out) changed by ``change``, committed or
    left in the work tree."""
    root = tables_repo(tmp_path)
    git(root, "checkout", "-q", "-b", "feature")
    change(root)
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-qm", "feature")
    return root


def lower(root: Path) -> None:
    edit(root / Y / "妇联/妇科重症.yaml", "参保人数, 年度指标值: 23329人", "参保人数, 年度指标值: 20000人")


def rename_with_edit(root: Path) -> None:
    git(root, "mv", "data/2024/妇联/妇科重症.yaml", "data/2024/妇联/妇女重症保险.yaml")
    edit(root / Y / "妇联/妇女重症保险.yaml", "项目名称: 妇科重症", "项目名称: 妇女重症保险")
    edit(root / Y / "妇联/妇女重症保险.yaml", "年度资金申请总额: 83.99", "年度资金申请总额: 90.00")


def _move_unit(root: Path) -> None:
    git(root, "mv", "data/2024/妇联", "data/2024/妇女联合会")
    git(root, "rm", "-qf", "data/2024/妇女联合会/老舅妈经费.yaml")
    git(root, "mv", "data/2024/妇女联合会/儿友好建设.yaml", "data/2024/妇女联合会/儿童友好建设.yaml")
    target = root / Y / "妇女联合会/妇科重症.yaml"
    edit(target, "参保人数, 年度指标值: 23329人", "参保人数, 年度指标值: 20000人")
    edit(target, "年度资金申请总额: 83.99", "年度资金申请总额: 99.00")


def delete(root: Path) -> None:
    git(root, "rm", "-q", "data/2024/团委/假期活动.yaml")


def copy_across_units(root: Path) -> None:
    """A new table in 团委 that repeats a 党建办 project's name and indicators: the rules that
    compare projects across units must see the 党建办 table, which the pull request never touches."""
    shutil.copy(root / Y / "党建办/人事系统.yaml", root / Y / "团委/人事系统.yaml")


def untracked(root: Path) -> None:
    copy_across_units(root)
    lower(root)


HISTORIES = {"lower": lower, "rename": rename_with_edit, "unit-moved": _move_unit, "delete": delete,
             "across-units": copy_across_units}


def _both_ways(run, monkeypatch: pytest.MonkeyPatch, root: Path, *args: str) -> tuple[str, str]:
    scoped = run(*args, cwd=root)
    monkeypatch.setattr(review, "SCOPED", False)
    whole = run(*args, cwd=root)
    monkeypatch.setattr(review, "SCOPED", True)
    assert scoped.exit_code == whole.exit_code, (scoped.output, whole.output)
    return scoped.stdout, whole.stdout


@pytest.mark.parametrize("history", sorted(HISTORIES))
def test_review_of_the_touched_files_equals_the_whole_comparison(run, monkeypatch, tmp_path, history):
    root = _history(tmp_path, HISTORIES[history])
    for spec in ("main", "main...feature", "main..feature"):
        for fmt in ("text", "markdown", "json"):
            scoped, whole = _both_ways(run, monkeypatch, root, "review", "--rev", spec, "--format", fmt)
            assert scoped == whole, (spec, fmt)
            assert "按全部文件比较" not in scoped
    scoped, whole = _both_ways(run, monkeypatch, root, "lint", "--since", "main", "--format", "json")
    assert scoped == whole
    scoped, whole = _both_ways(run, monkeypatch, root, "diff", "--rev", "main", "--format", "json")
    assert scoped == whole


def test_a_work_tree_with_untracked_tables_is_reviewed_the_same(run, monkeypatch, tmp_path):
    root = _history(tmp_path, untracked, commit=False)
    scoped, whole = _both_ways(run, monkeypatch, root, "review", "--rev", "main", "--format", "json")
    assert scoped == whole
    assert '"rule": "duplicate-project-name"' in scoped  # the 党建办 table was found without being touched


def test_a_table_of_another_unit_is_read_only_when_a_cross_unit_rule_needs_it(run, tmp_path, monkeypatch):
    root = _history(tmp_path, copy_across_units)
    seen: list[list[str]] = []
    real = review.lint_since

    def spy(trees, conf, jobs=None):
        seen.append(sorted(f.shown for f in trees.base.files + trees.head.files))
        return real(trees, conf, jobs)

    monkeypatch.setattr(review, "lint_since", spy)
    body = run("review", "--rev", "main", "--format", "json", cwd=root)
    read = seen[0]
    units = {Path(name).parts[2] for name in read}
    assert units == {"团委", "党建办"}, units  # the unit touched, and the unit of the peer
    assert any(name.endswith("党建办/人事系统.yaml") for name in read)
    assert not any("党建办" in name and not name.endswith("人事系统.yaml") for name in read)
    assert '"rule": "duplicate-project-name"' in body.stdout


def test_an_empty_pull_request_reads_no_table_in_full(run, tmp_path, monkeypatch):
    root = _history(tmp_path, lambda root: (root / "README.md").write_text("说明\n", encoding="utf-8"))
    calls: list[str] = []
    real = loader.load_bytes

    def spy(data, path, keep_positions=True):
        calls.append(path)
        return real(data, path, keep_positions)

    monkeypatch.setattr(loader, "load_bytes", spy)
    result = run("review", "--rev", "main", cwd=root)
    assert result.exit_code == 0, result.output
    assert calls == []  # every total came from the header lines
    assert "合计" in result.stdout and "104" in result.stdout


@pytest.mark.parametrize("path, words", [(".perfgoals.yaml", "检查配置"), ("data/units.yaml", "单位名单"),
                                         ("tools/rule.py", "程序代码"), ("data/2024/年度说明.yaml", "单位文件夹以外")])
def test_a_change_to_what_every_table_is_checked_against_compares_everything(run, tmp_path, path, words):
    def change(root: Path) -> None:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        else:
            target.write_text("rules: {}\n" if path.endswith(".yaml") else "x = 1\n", encoding="utf-8")
        lower(root)

    root = _history(tmp_path, change)
    text = run("review", "--rev", "main", cwd=root).stdout
    line = next(x for x in text.splitlines() if "按全部文件比较" in x)
    assert words in line and path in line
    md = run("review", "--rev", "main", "--format", "markdown", cwd=root).stdout
    assert "按全部文件比较" in md


def test_header_lines_read_as_the_loader_reads_the_whole_table():
    """Every fixture table: the light reading of its header, where it answers, is what the loader says."""
    answered = 0
    for path in sorted(DATA.rglob("*.yaml")):
        if path.name == "units.yaml" or ".自评" in path.name or ".监控" in path.name:
            continue
        raw = path.read_bytes()
        light = reviewscope.header(raw.decode("utf-8"))
        if light is None:
            continue
        answered += 1
        project, problems = loader.load_bytes(raw, str(path), keep_positions=False)
        assert project is not None and not problems
        assert light == (project.year, project.name, project.money_unit, project.annual.total), path
        assert squash(light[1]) == squash(project.name)
    assert answered == 104


@pytest.mark.parametrize("text", [
    "项目名称: 甲 # 注释\n年度: 2024\n金额单位: 万元\n年度资金:\n  年度资金申请总额: 1\n",
    "项目名称: 甲\n年度: 2024\n金额单位: 万元\n年度资金:\n  年度资金申请总额: 1,000\n",
    "项目名称: 甲\n年度: 2024\n金额单位: 万元\n年度资金: {年度资金申请总额: 1}\n  年度资金申请总额: 1\n",
    "项目名称: \"甲\"\n年度: 2024\n金额单位: 万元\n年度资金:\n  年度资金申请总额: 1\n",
    "项目名称: 甲\n年度: 二〇二四\n金额单位: 万元\n年度资金:\n  年度资金申请总额: 1\n",
])
def test_a_header_that_is_not_plain_is_read_in_full(text):
    assert reviewscope.header(text) is None


def _odd_name(root: Path) -> None:
    """A table whose file name holds characters Markdown would read: a new problem in it."""
    target = root / Y / "团委/假期_(暑期)`活动`.yaml"
    git(root, "mv", "data/2024/团委/假期活动.yaml", str(target.relative_to(root)))
    edit(target, "管理老师满意度, 年度指标值: 90%以上}", "管理老师满意度, 年度指标值: }")


@pytest.mark.parametrize("where", [".", "data", "data/2024/团委"])
def test_paths_are_relative_to_the_repository_root_in_every_ci_format(run, tmp_path, where):
    root = _history(tmp_path, _odd_name)
    cwd = root / where
    expected = "data/2024/团委/假期_(暑期)`活动`.yaml"
    body = json.loads(run("review", "--rev", "main", "--format", "json", cwd=cwd).stdout)
    assert expected in {p["path"] for p in body["new_problems"]}
    md = run("review", "--rev", "main", "--format", "markdown", cwd=cwd).stdout
    assert "``data/2024/团委/假期_(暑期)`活动`.yaml:" in md  # a code span: shown as written, no escapes
    assert "\\_" not in md.split("``data/2024/团委/", 1)[1].split("``", 1)[0]
    lint_args = ["lint", str((root / Y / "团委").relative_to(cwd) if where == "." else
                             Path(*[".."] * len(Path(where).parts), "data/2024/团委"))]
    github = run(*lint_args, "--format", "github", cwd=cwd).stdout
    assert "file=data/2024/团委/假期_(暑期)`活动`.yaml" in github
    gitlab = json.loads(run(*lint_args, "--format", "gitlab", cwd=cwd).stdout)
    assert expected in {p["location"]["path"] for p in gitlab}
    sarif = json.loads(run(*lint_args, "--format", "sarif", cwd=cwd).stdout)
    uris = {unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
            for r in sarif["runs"][0]["results"]}
    assert expected in uris


def test_an_ignored_table_in_the_data_folder_is_read_as_a_walk_reads_it(run, monkeypatch, tmp_path):
    def change(root: Path) -> None:
        (root / ".gitignore").write_text("*.draft.yaml\n", encoding="utf-8")
        shutil.copy(root / Y / "党建办/人事系统.yaml", root / Y / "团委/人事系统.draft.yaml")

    root = _history(tmp_path, change, commit=False)
    scoped, whole = _both_ways(run, monkeypatch, root, "review", "--rev", "main", "--format", "json")
    assert scoped == whole
    assert "人事系统.draft.yaml" in scoped


@pytest.mark.parametrize("history", ["across-units", "unit-moved"])
def test_the_light_reading_shared_among_processes_says_the_same(run, monkeypatch, tmp_path, history):
    monkeypatch.setattr(reviewscope, "PARALLEL_AT", 10)
    root = _history(tmp_path, HISTORIES[history])
    for spec in ("main", "main..feature"):
        scoped, whole = _both_ways(run, monkeypatch, root, "review", "--rev", spec, "--format", "json", "--jobs", "2")
        assert scoped == whole, spec
