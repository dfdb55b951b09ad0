"""Shared fixtures: a frozen copy of the 2024 tables, a CLI runner that shows tracebacks, a clean table.

Tests never read the live ``data/``: correcting a real table there must not break a test. They
use ``tests/fixtures/pujiang/data`` (the 104 tables as first imported, and the source text they
came from), and commands run in a fresh copy of it (the ``run`` fixture's default folder).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner, Result

from perfgoals.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "pujiang"
DATA = FIXTURE / "data"
SOURCE = DATA / "sources" / "浦江镇2024年绩效目标表.txt"
EXAMPLES = Path(__file__).resolve().parent / "examples"
CLEAN = EXAMPLES / "valid" / "妇女儿童维权.yaml"

#: Set by .ci/run: a test that needs an optional system program fails instead of skipping.
REQUIRE_ENV = "PERFGOALS_REQUIRE_SYSTEM_TOOLS"


def require_program(*names: str, package: str | None = None) -> str:
    """The path of the first of ``names`` on PATH; skip (or fail where CI requires it) otherwise,
    saying in Chinese which Debian ``package`` brings it (the README names the same ones)."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    reason = (f"没有安装 {' / '.join(names)}，跳过此测试（Debian：apt-get install {package or names[0]}；"
              f".ci/run 会安装它）")
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(f"{reason}, and {REQUIRE_ENV} is set")
    pytest.skip(reason)


def require_weasyprint() -> None:
    """WeasyPrint is installed by the test extra; the Pango libraries it loads are the system's."""
    try:
        import weasyprint  # noqa: F401
    except OSError as e:
        reason = (f"WeasyPrint 无法加载系统的 Pango 库（{e}），跳过此测试（Debian：apt-get install libpango-1.0-0 "
                  "libpangoft2-1.0-0 fonts-noto-cjk；.ci/run 会安装它们）")
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{reason}, and {REQUIRE_ENV} is set")
        pytest.skip(reason)


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file (which must be there) by ``new``."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh copy of the fixture repository (data/ with 2024, units.yaml and the source text)."""
    target = tmp_path_factory.mktemp("repo")
    shutil.copytree(DATA, target / "data")
    return target


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, workdir: Path) -> Callable[..., Result]:
    """Run the CLI in-process from a chosen directory (default: a copy of the fixture data);
    exceptions are not swallowed."""
    def invoke(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
               input: str | None = None) -> Result:
        monkeypatch.chdir(cwd or workdir)
        runner = CliRunner()
        return runner.invoke(cli, list(args), catch_exceptions=False, env=env, input=input, prog_name="perfgoals")
    return invoke


@pytest.fixture
def clean_text() -> str:
    return CLEAN.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_github(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    # the lint format defaults to `github` inside Actions; tests pin the plain default
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("CI", raising=False)  # CI=true turns the cache off; tests set it where they mean it
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    # each test its own cache folder: nothing leaks between tests or into the user's cache
    monkeypatch.setenv("PERFGOALS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    os.environ.setdefault("NO_COLOR", "1")
