"""Pull-request review: git revisions as git means them, new problems only, one report."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import DATA, edit, require_program

WOMEN = Path("data/2024/妇联/妇女儿童维权.yaml")
HOLIDAY = Path("data/2024/团委/假期活动.yaml")
UNRELATED = Path("data/2024/党建办/人事系统.yaml")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=审核测试", "-c", "user.email=test@example.invalid", *args],
                          cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def tables_repo(tmp_path: Path) -> Path:
    """A git repository whose main holds the fixture's 2024 tables in one commit."""
    require_program("git")
    root = tmp_path / "repo"
    shutil.copytree(DATA, root / "data")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "2024 tables")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main with the 2024 tables; branch `feature` raises money in one project and lowers a target
    and adds one lint error in another; then main moves on with an unrelated commit."""
    root = tables_repo(tmp_path)
    git(root, "checkout", "-q", "-b", "feature")
    for key in ("项目资金总额", "财政资金", "年度资金申请总额", "当年财政拨款"):
        edit(root / WOMEN, f"{key}: 2.70", f"{key}: 3.20")  # money up, arithmetic still right
    edit(root / HOLIDAY, "年度开展次数, 年度指标值: 2次", "年度开展次数, 年度指标值: 1次")  # a lowered target
    edit(root / HOLIDAY, "管理老师满意度, 年度指标值: 90%以上}", "管理老师满意度, 年度指标值: }")  # a new error
    git(root, "commit", "-qam", "feature")
    git(root, "checkout", "-q", "main")
    edit(root / UNRELATED, "人事干部满意度, 年度指标值: 95%以上", "人事干部满意度, 年度指标值: 96%以上")  # main moves on
    git(root, "commit", "-qam", "main moves on")
    git(root, "checkout", "-q", "feature")
    return root


def review_json(run, repo: Path, *args: str) -> dict:
    result = run("review", "--format", "json", *args, cwd=repo)
    assert result.exit_code == 1, result.output  # the branch adds an error
    return json.loads(result.stdout)


@pytest.mark.parametrize("spec", ["main", "main...feature", "main...HEAD"])
def test_review_reports_exactly_the_pull_request(run, repo, spec):
    body = review_json(run, repo, "--rev", spec)
    assert [(p["path"], p["rule"]) for p in body["new_problems"]] == [(str(HOLIDAY), "empty-value")]
    assert body["new_errors"] == 1 and body["fixed"] == 0
    assert [(x["project"], x["before"], x["after"]) for x in body["lowered"]] == [("假期活动", "2次", "1次")]
    changed = {p["name"]: p for p in body["diff"]["projects"]}
    assert set(changed) == {"妇女儿童维权", "假期活动"}  # nothing of main's later commit (人事系统)
    money = {c["what"]: (c["before"], c["after"]) for c in changed["妇女儿童维权"]["changes"] if c["kind"] == "money"}
    assert money["年度资金申请总额"] == ("2.70", "3.20")
    assert body["diff"]["total_after"] != body["diff"]["total_before"]


def test_two_dots_compare_the_revisions_as_they_are(run, repo):
    body = review_json(run, repo, "--rev", "main..feature")
    names = {p["name"] for p in body["diff"]["projects"]}
    assert "人事系统" in names  # main..feature: main's own later change shows (reversed), as git diff main..feature


def test_diff_rev_uses_the_merge_base(run, repo):
    body = json.loads(run("diff", "--rev", "main", "--format", "json", cwd=repo).stdout)
    assert {p["name"] for p in body["projects"]} == {"妇女儿童维权", "假期活动"}
    old = run("diff", "--rev", "main..HEAD", "--format", "json", cwd=repo)
    assert "人事系统" in {p["name"] for p in json.loads(old.stdout)["projects"]}


def test_review_markdown_order_and_marks(run, repo):
    text = run("review", "--rev", "main", "--format", "markdown", cwd=repo).stdout
    order = [text.index(h) for h in ("### ❌ 新出现的检查问题", "### ⚠ 降低的目标", "### 各项目的变化",
                                     "### 新增、取消、改名的项目", "### 资金变化")]
    assert order == sorted(order)
    assert "`empty-value`" in text.split("### ⚠ 降低的目标")[0]
    assert text.count("<details>") == text.count("</details>")


def test_money_up_and_target_down_in_one_project_is_marked(run, repo):
    edit(repo / WOMEN, "活动开展次数, 年度指标值: 12次", "活动开展次数, 年度指标值: 10次")
    body = review_json(run, repo, "--rev", "main")
    assert body["money_up_target_down"] == [{"group": "2024/妇联", "project": "妇女儿童维权"}]
    assert "⚠ 资金增加而目标降低" in run("review", "--rev", "main", cwd=repo).stdout


def test_exit_0_without_new_errors(run, repo):
    edit(repo / HOLIDAY, "管理老师满意度, 年度指标值: }", "管理老师满意度, 年度指标值: 90%以上}")
    result = run("review", "--rev", "main", cwd=repo)
    assert result.exit_code == 0 and "新出现的问题：错误 0" in result.stdout


# -- lint --since ------------------------------------------------------------------------------

def since(run, repo: Path) -> tuple[list[dict], str]:
    result = run("lint", "--since", "main", "--format", "json", cwd=repo)
    text = run("lint", "--since", "main", cwd=repo).stdout
    return json.loads(result.stdout)["problems"], text


def test_since_reports_the_new_problem_only(run, repo):
    problems, text = since(run, repo)
    assert [(p["path"], p["rule"]) for p in problems] == [(str(HOLIDAY), "empty-value")]
    assert "新出现 1 个问题" in text and "已修复 0 个" in text
    github = run("lint", "--since", "main", "--format", "github", cwd=repo).stdout
    assert github.count("::error") == 1 and github.count("::warning") == 0


def test_since_moved_lines_bring_no_new_problem(run, repo):
    git(repo, "checkout", "-q", "main")
    path = repo / "data/2024/党建办/党代会常任制.yaml"  # its 社会效益指标[1] has a finding
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index("    社会效益指标:\n") + 1
    lines[at], lines[at + 1] = lines[at + 1], lines[at]  # rows re-ordered: the finding is now at [0]
    path.write_text("# 审核意见：待补充\n\n" + "".join(lines), encoding="utf-8")  # and every line moves down
    before = json.loads(run("lint", "--format", "json", "--no-cache", str(path), cwd=repo).stdout)["problems"]
    assert any(p["data_path"].endswith("社会效益指标[0].年度指标值") for p in before)
    problems, text = since(run, repo)
    assert problems == [] and "已修复 0 个" in text


def test_since_renamed_file_brings_no_new_problem(run, repo):
    git(repo, "checkout", "-q", "main")
    git(repo, "mv", str(HOLIDAY), str(HOLIDAY.with_name("寒暑假爱心托班.yaml")))
    problems, _ = since(run, repo)
    assert problems == []


def test_since_counts_fixed_problems(run, repo):
    git(repo, "checkout", "-q", "main")
    edit(repo / HOLIDAY, "缓解假期看护难问题, 年度指标值: 缓解", "缓解假期看护难问题, 年度指标值: 看护学员≥200人次")
    result = run("lint", "--since", "main", cwd=repo)
    assert result.exit_code == 0 and "新出现 0 个问题" in result.stdout and "已修复 1 个" in result.stdout


def test_renamed_unit_folder_is_one_rename(run, repo):
    git(repo, "checkout", "-q", "main")
    git(repo, "mv", "data/2024/妇联", "data/2024/妇女联合会")
    body = json.loads(run("diff", "--rev", "main", "--format", "json", cwd=repo).stdout)
    assert body["renamed_groups"] == [{"before": "2024/妇联", "after": "2024/妇女联合会"}]
    assert [p for p in body["projects"] if p["status"] in ("added", "removed")] == []
    problems, _ = since(run, repo)
    assert problems == []


def test_shallow_clone_says_to_fetch_history(run, repo, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch", repo.as_uri(), str(clone)],
                   check=True, capture_output=True)
    git(clone, "checkout", "-q", "feature")
    result = run("review", "--rev", "origin/main", cwd=clone)
    assert result.exit_code == 2
    assert "浅克隆" in result.output and "fetch-depth: 0" in result.output and "Traceback" not in result.output


# -- safe markdown -----------------------------------------------------------------------------

def test_markdown_cannot_be_broken_or_ping_anyone(run, repo):
    hostile = "危险|项目</details><script>x</script> @finance-team [点我](http://evil.example) `code`"
    edit(repo / HOLIDAY, "项目名称: 假期活动", f"项目名称: '{hostile}'")
    text = run("review", "--rev", "main", "--format", "markdown", cwd=repo).stdout
    assert text.count("<details>") == text.count("</details>")
    assert "<script>" not in text and "@finance-team" not in text and "](http" not in text
    header = next(line for line in text.splitlines() if line.startswith("| 单位 | 项目 |"))
    for line in text.splitlines():
        if "危险" in line and line.startswith("|"):
            assert len(re.findall(r"(?<!\\)\|", line)) == len(re.findall(r"\|", header))
    diff_md = run("diff", "--rev", "main", "--format", "markdown", cwd=repo).stdout
    assert diff_md.count("<details>") == diff_md.count("</details>") and "@finance-team" not in diff_md


def test_gitlab_code_quality_report(run, repo):
    body = json.loads(run("lint", "--since", "main", "--format", "gitlab", cwd=repo).stdout)
    assert len(body) == 1
    issue = body[0]
    assert issue["check_name"] == "empty-value" and issue["severity"] == "major"
    assert issue["location"] == {"path": str(HOLIDAY), "lines": {"begin": 35}}
    assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])


def test_a_selfeval_added_in_the_pull_request_is_reviewed_and_not_a_new_project(run, repo):
    from .conftest import EXAMPLES
    text = (EXAMPLES / "selfeval" / "社区助老服务补贴.自评.yaml").read_text(encoding="utf-8")
    short = text.replace("得分: 18.6,", "得分: 20,")  # full marks on a shortfall: a new error
    (repo / "data" / "2024" / "妇联" / "社区助老服务补贴.自评.yaml").write_text(short, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "自评")
    body = review_json(run, repo, "--rev", "main")
    rules = [p["rule"] for p in body["new_problems"]]
    assert "selfeval-full-marks-shortfall" in rules
    added = [p for p in body["diff"]["projects"] if p["status"] == "added"]
    assert added == []  # the diff compares target tables: a 自评表 is no new project


def test_every_format_shows_a_renamed_projects_changes(run, repo):
    """One report, three formats: a project renamed in the pull request with its money changed
    shows that change in text, markdown and json alike (issue 25, item 3)."""
    from perfgoals.diffreport import change_line
    from perfgoals.review import build
    from perfgoals.lint import config as lconf
    from perfgoals.textsafe import md_text
    git(repo, "checkout", "-q", "main")
    renamed = HOLIDAY.with_name("寒暑假爱心托班.yaml")
    git(repo, "mv", str(HOLIDAY), str(renamed))
    text = (repo / renamed).read_text(encoding="utf-8")
    money = re.search(r"项目资金总额: ([\d.]+)", text)
    assert money
    text = text.replace(f"项目资金总额: {money.group(1)}", "项目资金总额: 99.50", 1)
    (repo / renamed).write_text(text.replace("项目名称: 假期活动", "项目名称: 寒暑假爱心托班", 1), encoding="utf-8")
    outputs = {fmt: run("review", "--rev", "main", "--format", fmt, cwd=repo).stdout for fmt in ("text", "markdown", "json")}
    import os
    here = os.getcwd()
    os.chdir(repo)
    try:
        rv = build(repo / "data", "main", lconf.default(), None, None, "万元", 1)
    finally:
        os.chdir(here)
    lines = [change_line(c) for p in rv.diff.projects for c in p.changes]
    assert any("99.50" in line for line in lines) and [p.status for p in rv.diff.projects] == ["renamed"]
    for line in lines:
        assert line in outputs["text"], line
        assert change_line(next(c for p in rv.diff.projects for c in p.changes if change_line(c) == line), md_text) \
            in outputs["markdown"], line
    body = json.loads(outputs["json"])
    assert "99.50" in json.dumps(body["diff"], ensure_ascii=False)


# -- a pull request cannot silence its own checks ---------------------------------------------------

@pytest.fixture
def silenced(repo):
    """The feature branch also breaks a sum in 妇女儿童维权 (a funds-total-sum error, nothing else)."""
    edit(repo / WOMEN, "财政资金: 3.20", "财政资金: 3.00")
    git(repo, "commit", "-qam", "a sum broken")
    return repo


def test_turning_a_rule_off_in_the_pull_request_is_said_and_still_fails(run, silenced):
    (silenced / ".perfgoals.yaml").write_text("rules:\n  funds-total-sum: off\n", encoding="utf-8")
    git(silenced, "add", "-A")
    git(silenced, "commit", "-qm", "quiet")
    result = run("review", "--rev", "main", "--format", "json", cwd=silenced)
    body = json.loads(result.stdout)
    assert "funds-total-sum" not in {p["rule"] for p in body["new_problems"]}  # its own settings hide it…
    assert body["config_changes"] == ["关闭 funds-total-sum"]
    assert [(p["rule"], p["path"]) for p in body["hidden_problems"]] == [("funds-total-sum", str(WOMEN))]
    assert result.exit_code == 1  # …and it still fails
    text = run("review", "--rev", "main", cwd=silenced).output
    assert text.index("本次修改了检查配置") < text.index("一、新出现的检查问题")
    assert "关闭 funds-total-sum" in text and "被本次配置隐藏的问题（1" in text
    markdown = run("review", "--rev", "main", "--format", "markdown", cwd=silenced).output
    assert "### ⚠ 本次修改了检查配置" in markdown and "`funds-total-sum`" in markdown
    trusted = run("review", "--rev", "main", "--trust-config", "--format", "json", cwd=silenced)
    assert json.loads(trusted.stdout)["hidden_errors"] == 1  # still shown
    # the feature branch's own empty-value error keeps it failing; without it, trust gives 0
    edit(silenced / HOLIDAY, "管理老师满意度, 年度指标值: }", "管理老师满意度, 年度指标值: 90%以上}")
    git(silenced, "commit", "-qam", "fix the other error")
    assert run("review", "--rev", "main", "--trust-config", cwd=silenced).exit_code == 0
    assert run("review", "--rev", "main", cwd=silenced).exit_code == 1


@pytest.mark.parametrize("how", ["inline", "ignore", "per-path", "lowered"])
def test_every_way_of_silencing_is_found(run, silenced, how):
    if how == "inline":
        edit(silenced / WOMEN, "项目资金总额: 3.20", "项目资金总额: 3.20  # perfgoals: disable=funds-total-sum")
    elif how == "ignore":
        (silenced / ".perfgoals.yaml").write_text("ignore:\n  - data/2024/妇联/*\n", encoding="utf-8")
    elif how == "per-path":
        (silenced / ".perfgoals.yaml").write_text(
            "per-path:\n  - paths: [data/2024/妇联/*]\n    rules: {funds-total-sum: off}\n", encoding="utf-8")
    else:
        (silenced / ".perfgoals.yaml").write_text("rules:\n  funds-total-sum: warning\n", encoding="utf-8")
    git(silenced, "add", "-A")
    git(silenced, "commit", "-qm", how)
    result = run("review", "--rev", "main", "--format", "json", cwd=silenced)
    body = json.loads(result.stdout)
    said = body["config_changes"] + [f"{s['path']}:{s['line']} {s['comment']}" for s in body["suppressions_added"]]
    expected = {"inline": f"{WOMEN}:", "ignore": "ignore 新增 data/2024/妇联/*",
                "per-path": "per-path 新增 data/2024/妇联/*：funds-total-sum 关闭",
                "lowered": "funds-total-sum 由错误改为警告"}[how]
    assert any(expected in line for line in said), said
    assert [p["rule"] for p in body["hidden_problems"] if p["level"] == "error"] == ["funds-total-sum"]
    assert result.exit_code == 1


def test_a_pull_request_that_changes_no_checks_costs_no_second_pass(run, repo, monkeypatch):
    from perfgoals import review as reviewing
    calls = []
    real = reviewing.lint_since
    monkeypatch.setattr(reviewing, "lint_since", lambda *a, **k: calls.append(1) or real(*a, **k))
    body = json.loads(run("review", "--rev", "main", "--format", "json", cwd=repo).stdout)
    assert body["config_changes"] == [] and body["hidden_problems"] == [] and len(calls) == 1


def test_an_edited_baseline_is_said(run, repo):
    assert run("lint", "--write-baseline", cwd=repo).exit_code in (0, 1)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "baseline")
    body = json.loads(run("review", "--rev", "main", "--format", "json", cwd=repo).stdout)
    assert any("修改了基线文件 .perfgoals-baseline.json" in line for line in body["config_changes"])


def _review(repo: Path):
    from perfgoals import review as reviewing
    from perfgoals.lint import config as lconf
    import os
    here = os.getcwd()
    os.chdir(repo)
    try:
        return reviewing.build(repo / "data", "main", lconf.load(None, repo))
    finally:
        os.chdir(here)


def test_errors_stay_in_sight_and_a_huge_comment_fits(repo):
    from dataclasses import replace
    from perfgoals import reviewreport
    from perfgoals.problems import Problem
    rv = _review(repo)
    warnings = [Problem(f"data/2024/单位{i}/项目{i}.yaml", 3, 5, "指标值“完善”只有方向没有程度" + "，" * 40,
                        "vague-qualitative", "warning") for i in range(3000)]
    errors = [Problem(f"data/2024/妇联/表{i}.yaml", 7, 9, f"第 {i} 个错误", "funds-total-sum", "error") for i in range(12)]
    big = replace(rv, since=replace(rv.since, new=[*warnings, *errors]))
    text = reviewreport.as_markdown(big)
    assert len(text) < 65_536
    assert all(f"第 {i} 个错误" in text for i in range(12))
    assert "假期活动" in text and "2次" in text  # the lowered target is kept
    assert "✂ 报告超过评论的长度上限" in text
    # with more than ten problems the errors are outside the folded part
    small = replace(rv, since=replace(rv.since, new=[*warnings[:20], *errors[:2]]))
    folded = reviewreport.as_markdown(small)
    assert folded.index("第 0 个错误") < folded.index("<details><summary>展开 20 个警告与提示")
    assert "✂" not in folded


def test_a_name_cannot_link_an_issue_or_merge_request():
    from perfgoals.textsafe import md_text
    assert "#1" not in md_text("整改 #1 号问题") and "!2" not in md_text("见 !2")
    assert md_text("整改 #1 号问题").replace("\u200b", "") == "整改 #1 号问题"


def test_a_new_project_can_be_reviewed_from_the_comment_and_a_deleted_ones_problems_are_not_fixed(run, repo):
    """A new project shows its goals and indicators (folded); the warnings of a deleted project
    are counted as gone with it, not as fixed."""
    new = repo / "data" / "2024" / "妇联" / "新项目.yaml"
    new.write_text((repo / WOMEN).read_text(encoding="utf-8").replace("项目名称: 妇女儿童维权", "项目名称: 新项目"),
                   encoding="utf-8")
    (repo / HOLIDAY).unlink()  # it has warnings at main
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "one new, one gone")
    body = json.loads(run("review", "--rev", "main", "--format", "json", cwd=repo).stdout)
    assert body["fixed"] == 0 and body["gone_with_deleted_projects"] >= 1
    markdown = run("review", "--rev", "main", "--format", "markdown", cwd=repo).output
    assert "<summary>目标与指标" in markdown and "活动开展次数" in markdown
    text = run("review", "--rev", "main", cwd=repo).output
    assert "随删除的项目一起去掉" in text and "已修复 0 个" in text
    assert "活动开展次数" in text.split("四、新增、取消、改名的项目")[1]


def test_a_unit_folder_renamed_with_edits_is_one_rename_matched_by_content(run, tmp_path):
    """妇联 → 妇女联合会 with one project deleted and one renamed (3 of 6 names shared): the
    projects' content shows it is the same unit, so its old problems are not new."""
    root = tables_repo(tmp_path)
    git(root, "mv", "data/2024/妇联", "data/2024/妇女联合会")
    git(root, "rm", "-qf", "data/2024/妇女联合会/老舅妈经费.yaml")
    git(root, "mv", "data/2024/妇女联合会/儿友好建设.yaml", "data/2024/妇女联合会/儿童友好建设.yaml")
    edit(root / "data/2024/妇女联合会/儿童友好建设.yaml", "项目名称: 儿友好建设", "项目名称: 儿童友好城区建设")
    edit(root / "data/2024/妇女联合会/妇科重症.yaml", "参保人数, 年度指标值: 23329人", "参保人数, 年度指标值: 20000人")
    body = json.loads(run("review", "--rev", "HEAD", "--format", "json", cwd=root).stdout)
    assert body["new_problems"] == []  # the unit's old warnings followed it
    assert body["diff"]["renamed_groups"] == [{"before": "2024/妇联", "after": "2024/妇女联合会"}]
    status = {(p["status"], p["name"]) for p in body["diff"]["projects"]}
    assert status == {("removed", "老舅妈经费"), ("renamed", "儿童友好城区建设"), ("changed", "妇科重症")}
    assert [(x["project"], x["before"], x["after"]) for x in body["lowered"]] == [("妇科重症", "23329人", "20000人")]
    assert body["gone_with_deleted_projects"] > 0 and body["fixed"] == 0


def _readme_block(title: str) -> str:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index(title)
    body = readme[readme.index("```", start):]
    fence_end = body.index("\n") + 1
    return body[fence_end:body.index("\n```", fence_end) + 1]


def test_readme_shows_a_real_review_comment(run, repo):
    """The comment in README's review section is what review prints for the history `repo` makes
    (commit ids aside)."""
    md = run("review", "--rev", "main", "--format", "markdown", cwd=repo).stdout
    shown = _readme_block("合并请求评论的原文")
    ids = re.compile(r"\b[0-9a-f]{8}\b")
    assert ids.sub("<提交号>", md) == ids.sub("<提交号>", shown)


def test_readme_shows_the_real_text_report(run, repo):
    text = run("review", "--rev", "main", cwd=repo).stdout
    ids = re.compile(r"\b[0-9a-f]{8}\b")
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("```text\n审核：main 与 HEAD 的共同祖先") + len("```text\n")
    shown = readme[start:readme.index("\n```", start) + 1]
    assert ids.sub("<提交号>", text) == ids.sub("<提交号>", shown)
