"""The README and --help stay true: every command and every rule is documented."""

from __future__ import annotations

import re

from perfgoals.cli import cli
from perfgoals.lint.registry import RULES

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme_and_has_help(run):
    for name, command in cli.commands.items():
        assert f"perfgoals {name}" in README, name
        assert command.help, name
        result = run(name, "--help")
        assert result.exit_code == 0 and "用法：" in result.output


def test_every_rule_is_in_the_readme():
    for rid in RULES:
        assert f"`{rid}`" in README, rid


def test_readme_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = re.search(r"```(?:bash|sh)\n(pip install -e '\.\[test\]'.*?)\n```", README).group(1)
    assert command in ci


def test_help_is_chinese(run):
    result = run("--help")
    assert "用法：" in result.output and "显示本帮助并退出" in result.output


def test_readme_rule_table_counts_are_current(run):
    """The README's findings column is what `perfgoals lint` really reports on data/2024."""
    import json
    from collections import Counter
    body = json.loads(run("lint", "--format", "json", "--no-baseline").stdout)
    counts = Counter(p["rule"] for p in body["problems"])
    for rid in RULES:
        row = re.search(rf"^\| `{re.escape(rid)}` \|.*\| (\d+) \|$", README, re.M)
        assert row and int(row.group(1)) == counts.get(rid, 0), rid
    levels = Counter(p["level"] for p in body["problems"])
    assert f"共 {len(body['problems'])} 个：错误 {levels['error']}，警告 {levels['warning']}" in README


def test_ci_examples_review_new_problems_and_install_from_the_repository():
    for name in ("github-actions.yml", "gitlab-ci.yml"):
        text = (ROOT / ".ci" / "examples" / name).read_text(encoding="utf-8")
        assert "perfgoals review --rev" in text and "perfgoals lint --since" in text, name
        assert re.search(r"pip install \"perfgoals @ git\+", text) and "pip install perfgoals\n" not in text, name
        assert "fetch-depth: 0" in text or "GIT_DEPTH: 0" in text, name
    assert "--format gitlab" in (ROOT / ".ci" / "examples" / "gitlab-ci.yml").read_text(encoding="utf-8")


def test_gitlab_example_updates_one_note_and_reports_the_target_branch_too():
    import yaml
    jobs = yaml.safe_load((ROOT / ".ci" / "examples" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    target = jobs["perfgoals-target-branch"]
    assert target["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert any("--format gitlab" in line and "--since" not in line for line in target["script"])
    script = next(line for line in jobs["perfgoals"]["script"] if "python3 - <<'EOF'" in line)
    code = script.split("<<'EOF'\n", 1)[1].rsplit("EOF", 1)[0]
    compile(code, "gitlab-ci.yml", "exec")  # the note updater is valid Python
    assert "PUT" in code and "startswith(marker)" in code
