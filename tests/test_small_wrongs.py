"""Small wrongs seen on a clerk's second day (issue 24, part 8)."""

from __future__ import annotations

import shutil

from perfgoals import cli_zh

from .conftest import EXAMPLES
from .test_review import git, repo  # noqa: F401  (the review fixture: a branch with a lowered target)


def test_score_marks_every_row_lint_reports(run, workdir):
    """Full marks (10) on a row computed at 9.47 is within rounding of the score, but it is still
    "自评打高分": lint reports it, so score marks it too."""
    path = workdir / "data" / "2024" / "妇联" / "社区助老服务补贴.自评.yaml"
    shutil.copy(EXAMPLES / "selfeval" / path.name, path)
    text = path.read_text(encoding="utf-8")
    old = "年度指标值: ≤1500元/人, 实际完成值: 1486.77元/人"
    assert old in text
    path.write_text(text.replace(old, "年度指标值: ≤1500元/人, 实际完成值: 1580元/人"), encoding="utf-8")
    lint = run("lint", "--select", "selfeval-full-marks-shortfall", str(path))
    assert "人均助餐补贴" in lint.output
    line = next(s for s in run("score", str(path)).output.splitlines() if "人均助餐补贴" in s)
    assert "表上 10" in line and "计算 9.47" in line and "← 未达到目标却给了满分" in line


def test_review_of_head_names_head_not_its_own_common_ancestor(run, repo):  # noqa: F811
    result = run("review", "--rev", "HEAD", cwd=repo)
    assert "HEAD 与 HEAD 的共同祖先" not in result.output and "HEAD（" in result.output
    assert "main 与 HEAD 的共同祖先" in run("review", "--rev", "main", cwd=repo).output


def test_help_wraps_by_display_width_and_never_inside_a_word(run):
    text = run("render", "--help", env={"COLUMNS": "100"}).output
    assert "style.css" in text and "form.html" in text
    assert all(cli_zh.display_width(line) <= 100 for line in text.splitlines())
    for line in text.splitlines():  # the help of each option starts in one column
        if line.startswith("  --") and "  " in line.strip():
            term, _, rest = line[2:].partition("  ")
            assert cli_zh.display_width("  " + term) + len(rest) - len(rest.lstrip()) + 2 == 34, line


def test_wrap_keeps_words_and_closing_punctuation(run):
    lines = cli_zh.wrap("替换自带模板（project.html、unit.html、index.html、form.html、style.css）", 30)
    assert "".join(lines) == "替换自带模板（project.html、unit.html、index.html、form.html、style.css）"
    assert not any(line.startswith(("、", "）")) for line in lines)
    for word in ("project.html", "unit.html", "index.html", "form.html", "style.css"):
        assert any(word in line for line in lines), word  # no word is split over two lines
    assert all(cli_zh.display_width(line) <= 31 for line in lines)  # 30, plus a closing mark kept on its line
