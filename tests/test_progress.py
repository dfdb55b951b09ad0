"""Long commands show progress on a terminal, never in a pipe or a CI log; tests say why they skip
(issue 24, part 7)."""

from __future__ import annotations

import io
import time

import pytest

from perfgoals.commands import common
from perfgoals.progress import Progress

from .conftest import ROOT, require_program


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_run_that_takes_a_while_shows_a_bar_on_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    screen = Terminal()
    with Progress(10, "生成", stream=screen, delay=0.05, interval=0.02) as step:
        step(4)
        time.sleep(0.3)
    shown = screen.getvalue()
    assert "生成 [" in shown and "4/10" in shown and "秒" in shown
    assert shown.endswith("\r\x1b[K")  # the bar is cleared before the command's own output


def test_a_single_long_step_still_shows_the_time_going_by(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    screen = Terminal()
    with Progress(0, "读取 浦江镇.pdf", stream=screen, delay=0.05, interval=0.02):
        time.sleep(0.3)
    assert "读取 浦江镇.pdf……" in screen.getvalue()


def test_a_quick_run_shows_nothing(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    screen = Terminal()
    with Progress(10, "检查", stream=screen, delay=5) as step:
        step(10)
    assert screen.getvalue() == ""


@pytest.mark.parametrize("ci", [True, False])
def test_no_bar_in_a_pipe_or_in_ci(monkeypatch, ci):
    if ci:
        monkeypatch.setenv("CI", "true")
        stream: io.StringIO = Terminal()
    else:
        monkeypatch.delenv("CI", raising=False)
        stream = io.StringIO()  # a pipe or a file
    with Progress(10, "检查", stream=stream, delay=0, interval=0.01):
        time.sleep(0.1)
    assert stream.getvalue() == ""


def test_every_long_command_reports_progress():
    """Each command that reads many files, renders, imports or compares goes through the bar."""
    import re
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "perfgoals" / "commands").glob("*.py"))
    labels = re.findall(r'progress_bar\((?:[^()]|\([^()]*\))*?f?"([^"]+)"\)', text)
    for label in ("检查", "格式化", "读取", "生成", "导出", "读取 {source.name}", "比较两个版本"):
        assert label in labels, (label, labels)


def test_cli_uses_the_bar_only_on_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("sys.stderr", Terminal())
    with common.progress_bar(5, "检查") as step:
        assert isinstance(step, Progress)
    monkeypatch.setattr("sys.stderr", io.StringIO())
    with common.progress_bar(5, "检查") as step:
        assert step is None


def test_a_skip_says_why_in_chinese_with_the_readme_package(monkeypatch):
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("PERFGOALS_REQUIRE_SYSTEM_TOOLS", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_program("libreoffice", "soffice", package="libreoffice-calc-nogui")
    reason = str(skipped.value)
    assert "没有安装" in reason and "apt-get install libreoffice-calc-nogui" in reason
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "libreoffice-calc-nogui" in readme
    setup = (ROOT / "setup.cfg").read_text(encoding="utf-8")
    assert "-rs" in setup  # skip reasons are in the summary by default
