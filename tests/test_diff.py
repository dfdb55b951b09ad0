"""`perfgoals diff`: a two-year fixture changed the way next year's budget would be."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfgoals import diff as diff_module
from perfgoals import loader
from perfgoals.diff import compare, word_diff
from perfgoals.model import Item

from .conftest import DATA, edit


@pytest.fixture
def two_years(tmp_path: Path) -> Path:
    """data/2024 as "last year" and a 2025 made from it with typical budget edits."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "2024", data / "2024")
    shutil.copytree(DATA / "2024", data / "2025")
    y = data / "2025"
    for f in y.rglob("*.yaml"):
        edit(f, "年度: 2024", "年度: 2025")
    women = y / "妇联"
    edit(women / "妇女儿童维权.yaml", "年度资金申请总额: 2.70", "年度资金申请总额: 3.00")  # money up
    edit(women / "妇女儿童维权.yaml", "当年财政拨款: 2.70", "当年财政拨款: 3.00")
    edit(women / "妇女儿童维权.yaml", "活动开展次数, 年度指标值: 12次", "活动开展次数, 年度指标值: 10次")  # lowered
    edit(women / "妇女儿童维权.yaml", "10月底前}", "11月底前}")  # deadline later
    edit(women / "妇女儿童维权.yaml", "妇女儿童满意度, 年度指标值: 90%", "妇女儿童满意度, 年度指标值: 95%")  # raised
    edit(women / "妇女儿童维权.yaml", "项目类别: 经常性项目", "项目类别: 专项资金")
    edit(women / "妇女儿童维权.yaml", "顺利完成帮困助学", "全面完成帮困助学")
    edit(women / "妇女儿童发展.yaml", "    社会效益指标:\n", "    社会效益指标:\n      - {三级指标: 家庭教育覆盖率, 年度指标值: ≥80%}\n")
    (women / "儿友好建设.yaml").rename(women / "儿童友好社区建设.yaml")  # renamed
    edit(women / "儿童友好社区建设.yaml", "项目名称: 儿友好建设", "项目名称: 儿童友好社区建设")
    (y / "团委" / "假期活动.yaml").unlink()  # cancelled
    shutil.copy(y / "团委" / "五四青年活动.yaml", y / "团委" / "青年夜校.yaml")  # new (different enough)
    edit(y / "团委" / "青年夜校.yaml", "项目名称: 五四青年活动", "项目名称: 青年夜校")
    edit(y / "团委" / "青年夜校.yaml", "年度开展次数, 年度指标值: 1次", "夜校课程数, 年度指标值: 40门")
    edit(y / "团委" / "青年夜校.yaml", "年度资金申请总额: 2.00", "年度资金申请总额: 30.00")
    edit(y / "机关事务管理所" / "食堂经费.yaml", "采购及时性", "采购质量")  # a row moved group: see below
    return tmp_path


def report(run, root: Path, *args: str) -> dict:
    result = run("diff", "2024", "2025", "--format", "json", *args, cwd=root)
    return json.loads(result.stdout)


def test_every_kind_of_change_is_reported(run, two_years):
    body = report(run, two_years)
    by = {(p["status"], p["name"]): p for p in body["projects"]}
    assert ("removed", "假期活动") in by and ("added", "青年夜校") in by
    renamed = by[("renamed", "儿童友好社区建设")]
    assert renamed["old_name"] == "儿友好建设" and renamed["similarity"] >= 0.5
    rights = by[("changed", "妇女儿童维权")]
    kinds = {(c["kind"], c["what"]): c for c in rights["changes"]}
    assert kinds[("money", "年度资金申请总额")]["before"] == "2.70" and kinds[("money", "年度资金申请总额")]["after"] == "3.00"
    assert "+0.30（+11.1%）" in kinds[("money", "年度资金申请总额")]["note"]
    assert kinds[("field", "项目类别")]["after"] == "专项资金"
    assert "[-顺利-]{+全面+}" in kinds[("goal", "年度总体目标")]["note"]
    assert kinds[("target", "数量指标 / 活动开展次数")]["lowered"] is True
    assert kinds[("target", "服务对象满意度指标 / 妇女儿童满意度")]["lowered"] is False
    later = [c for c in rights["changes"] if c["kind"] == "target" and c["note"] == "期限推后"]
    assert len(later) == 1 and all(c["lowered"] for c in later)
    dev = by[("changed", "妇女儿童发展")]
    assert [c["kind"] for c in dev["changes"]] == ["indicator-added"]


def test_moved_indicator(tmp_path):
    text = (DATA / "2024" / "妇联" / "妇女儿童维权.yaml").read_text(encoding="utf-8")
    old, _ = loader.load_text(text, "a")
    moved = text.replace("      - {三级指标: 活动开展参与率, 年度指标值: 90%}\n", "").replace(
        "    质量指标:\n", "").replace("    时效指标:\n", "    质量指标:\n      - {三级指标: 活动开展参与率, 年度指标值: 90%}\n    时效指标:\n")
    new, problems = loader.load_text(moved, "b")
    assert problems == []
    r = compare([Item(old, "妇联")], [Item(new, "妇联")], "a", "b", lambda i: "妇联")
    [project] = list(r.projects)
    [c] = project.changes
    assert (c.kind, c.what, c.before, c.after) == ("indicator-moved", "活动开展参与率", "成本指标", "质量指标")


def test_totals_and_headline(run, two_years):
    body = report(run, two_years)
    totals = {t["group"]: t for t in body["totals"]}
    assert (totals["团委"]["count_before"], totals["团委"]["count_after"]) == (5, 5)
    from decimal import Decimal
    assert Decimal(totals["团委"]["after"]) - Decimal(totals["团委"]["before"]) == Decimal("30.00") - Decimal("28.00")
    text = run("diff", "2024", "2025", cwd=two_years).output
    assert text.startswith("2024 年 → 2025 年：新增项目 1 个，取消项目 1 个，改名 1 个")
    assert "目标降低或期限推后：" in text and "⚠" in text


def test_markdown_is_a_pr_comment_with_important_changes_first(run, two_years):
    md = run("diff", "2024", "2025", "--format", "markdown", cwd=two_years).output
    assert md.index("### ⚠ 目标降低或期限推后") < md.index("### 新增、取消、改名的项目") < md.index("<details>")
    assert "| 妇联 | 妇女儿童维权 | 数量指标 / 活动开展次数 | 12次 | 10次 |" in md


def test_exit_code_flag(run, two_years):
    assert run("diff", "2024", "2025", "--exit-code", cwd=two_years).exit_code == 1
    assert run("diff", "2024", "2024", "--exit-code", cwd=two_years).exit_code == 0
    assert "没有变化" in run("diff", "2024", "2024", cwd=two_years).output


def test_git_revisions(run, two_years):
    root = two_years
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    git("init", "-q")
    git("-c", "user.email=t@t", "-c", "user.name=t", "add", "-A")
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base")
    edit(root / "data" / "2025" / "妇联" / "妇科重症.yaml", "居民满意度, 年度指标值: 98%", "居民满意度, 年度指标值: 90%")
    body = json.loads(run("diff", "--rev", "HEAD", "--format", "json", cwd=root).stdout)
    [p] = body["projects"]
    assert p["group"] == "2025/妇联" and p["changes"][0]["lowered"] is True
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qam", "lower")
    between = json.loads(run("diff", "--rev", "HEAD~1..HEAD", "--format", "json", cwd=root).stdout)
    assert [p["name"] for p in between["projects"]] == ["妇科重症"]
    only = json.loads(run("diff", "--rev", "HEAD~1..HEAD", "--year", "2024", "--format", "json", cwd=root).stdout)
    assert only["projects"] == []


@pytest.mark.parametrize("args,needle", [
    (("2023", "2024"), "2023 年度没有项目文件"),
    (("2024",), "请给出两个年度"),
    (("--rev", "no-such-branch"), None),
])
def test_bad_input(run, args, needle, tmp_path):
    shutil.copytree(DATA / "2024" / "妇联", tmp_path / "data" / "2024" / "妇联")
    result = run("diff", *args, cwd=tmp_path)
    assert result.exit_code == 2
    assert (needle or "不在 git 仓库中") in result.output


def test_unknown_revision(run, workdir):
    subprocess.run(["git", "init", "-q", str(workdir)], check=True)
    result = run("diff", "--rev", "no-such-branch-xyz")
    assert result.exit_code == 2 and "git 不认识修订版本“no-such-branch-xyz”" in result.output


def test_word_diff_is_compact():
    a = "通过本项目的实施，贯彻落实党的十九大精神，为党委政府提供保障。"
    b = "通过本项目的实施，贯彻落实党的二十大精神，为党委政府提供保障。"
    assert word_diff(a, b) == "…贯彻落实党的[-十九-]{+二十+}大精神，为党…"
    assert word_diff("完成12次", "完成10次") == "完成1[-2-]{+0+}次"
    assert word_diff("", "新目标") == "{+新目标+}"


def test_a_unit_folder_renamed_between_years_is_one_rename(run, two_years):
    """Only units missing from one year are compared by their projects' names: 城运中心 kept its
    name, 团委 became 共青团 with the same projects (one folder rename, not cancelled + new)."""
    y = two_years / "data" / "2025"
    (y / "团委").rename(y / "共青团")
    body = report(run, two_years)
    assert body["renamed_groups"] == [{"before": "团委", "after": "共青团"}]
    youth = [p for p in body["projects"] if p["group"] == "共青团"]
    assert {p["status"] for p in youth} == {"added", "removed"}
    assert [p["name"] for p in youth if p["status"] == "removed"] == ["假期活动"]
    assert [p["name"] for p in youth if p["status"] == "added"] == ["青年夜校"]
    assert not [p for p in body["projects"] if p["group"] == "团委"]


def test_the_report_is_the_same_when_project_changes_wait_on_disk(run, two_years, monkeypatch):
    """A city's diff keeps its project sections in a `SpillList`; spilled after every 2 sections,
    a diff must read exactly as one held in memory, in every format."""
    from perfgoals.spill import SpillList

    whole = {fmt: run("diff", "2024", "2025", "--format", fmt, cwd=two_years).stdout for fmt in ("text", "markdown", "json")}
    monkeypatch.setattr(SpillList.__init__, "__defaults__", (2, 1))
    monkeypatch.setattr(diff_module, "DIFFS_KEPT", 2)
    for fmt, text in whole.items():
        assert run("diff", "2024", "2025", "--format", fmt, cwd=two_years).stdout == text
    assert len(json.loads(whole["json"])["projects"]) > 2  # enough sections to spill


def test_two_years_compared_on_two_processes_read_as_on_one(run, two_years, monkeypatch):
    """Worker processes list, load and compare runs of units (two units at a time here, a unit
    folder renamed among them); the report is the same in every format as one process makes it."""
    from perfgoals import corpus, runtime

    y = two_years / "data" / "2025"
    (y / "团委").rename(y / "共青团")
    one = {fmt: run("diff", "2024", "2025", "--format", fmt, "--jobs", "1", cwd=two_years).stdout
           for fmt in ("text", "markdown", "json")}
    monkeypatch.setattr(runtime, "POOL_THRESHOLD", 10)
    monkeypatch.setattr(corpus, "DIFF_PART", 2)
    called = []
    real = corpus._pooled
    monkeypatch.setattr(corpus, "_pooled", lambda *a: called.append(1) or real(*a))
    for fmt, text in one.items():
        assert run("diff", "2024", "2025", "--format", fmt, "--jobs", "2", cwd=two_years).stdout == text
    assert called and json.loads(one["json"])["renamed_groups"] == [{"before": "团委", "after": "共青团"}]
    (y / "妇联" / "坏表.yaml").write_text("项目名称: [未闭合\n", encoding="utf-8")
    broken = run("diff", "2024", "2025", "--jobs", "2", cwd=two_years)
    assert broken.exit_code == 2 and "坏表.yaml" in broken.output and "Traceback" not in broken.output


_PROJECTS: list[Item] = []


def _some_projects() -> list[Item]:
    """The 2024 tables of the fixture, loaded once for the property below."""
    if not _PROJECTS:
        for path in sorted((DATA / "2024").rglob("*.yaml"))[:40]:
            project, _ = loader.load_file(path, keep_positions=False)
            assert project is not None
            _PROJECTS.append(Item(project, path.parent.name))
    return _PROJECTS


@settings(max_examples=300, deadline=None)
@given(a=st.integers(0, 39), b=st.integers(0, 39), rename=st.one_of(st.none(), st.text("妇女儿童友好社区建设活动经费 ab", max_size=12)),
       at_least=st.sampled_from([0.3, diff_module.RENAME_THRESHOLD, 0.7, 0.9]))
def test_the_quick_similarity_answers_as_the_full_one_wherever_it_matters(a, b, rename, at_least):
    """Renames are paired from similarity scores at or above the threshold; below it the name
    comparison may be skipped. Whenever the full score reaches the threshold, the quick one is it."""
    old, new = _some_projects()[a], _some_projects()[b]
    if rename is not None:
        new = Item(replace(new.project, name=rename), new.unit_folder)
    full = diff_module.similarity(old, new)
    quick = diff_module._Traits(old).similarity(diff_module._Traits(new), at_least)
    if full >= at_least:
        assert quick == full
    else:
        assert quick < at_least


@pytest.mark.parametrize("old, new, why", [
    ("20次", "两次", "目标降低"), ("15人", "十人", "目标降低"), ("21次", "每月1次", "频次降低"),
    ("5次", "每季度1次", "频次降低"), ("33人", "30人左右", "目标降低"), ("≥33人", "约30人", "目标降低"),
    ("90%", "基本满意", "改为定性表述"), ("二十次", "20次", ""), ("12次", "每月1次", ""), ("一次性", "两次", ""),
])
def test_lowered_targets_in_words_and_other_units(old, new, why):
    from perfgoals.target import parse, weakened
    assert weakened(parse(old), parse(new)) == why


def test_a_cheaper_cost_is_not_a_lowered_target_and_a_dearer_one_is():
    from perfgoals.target import parse, weakened
    assert weakened(parse("300元/人"), parse("200元/人"), lower_is_better=True) == ""
    assert weakened(parse("300元/人"), parse("400元/人"), lower_is_better=True) == "目标降低"
    assert weakened(parse("300元/人"), parse("200元/人")) == "目标降低"  # the same change on a 数量 row


def test_diff_reads_the_direction_from_the_indicator_and_counts_a_deleted_one(tmp_path):
    from perfgoals import loader
    from perfgoals.diff import compare_projects
    from perfgoals.model import Item
    from .conftest import CLEAN
    text = CLEAN.read_text(encoding="utf-8")
    old, _ = loader.load_text(text, "a.yaml")
    changed = text.replace("年度指标值: ≤300元/人", "年度指标值: ≤200元/人").replace(
        "      - {三级指标: 妇女儿童维权知晓率, 年度指标值: 较上一年度提升5个百分点}\n", "")
    new, _ = loader.load_text(changed, "a.yaml")
    assert old is not None and new is not None and changed != text
    changes = compare_projects(Item(old, "妇联"), Item(new, "妇联"))
    lowered = {c.what: c.note for c in changes if c.lowered}
    assert lowered == {"社会效益指标 / 妇女儿童维权知晓率": "删去指标"}
    assert any(c.kind == "target" and c.after == "≤200元/人" and not c.lowered for c in changes)
