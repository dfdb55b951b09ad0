"""Shared fixtures: the repository's real data, a CLI runner that shows tracebacks, a clean table."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner, Result

from perfgoals.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SOURCE = DATA / "sources" / "浦江镇2024年绩效目标表.txt"
EXAMPLES = Path(__file__).resolve().parent / "examples"
CLEAN = EXAMPLES / "valid" / "妇女儿童维权.yaml"


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the CLI in-process from a chosen directory; exceptions are not swallowed."""
    def invoke(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
        monkeypatch.chdir(cwd or ROOT)
        runner = CliRunner()
        return runner.invoke(cli, list(args), catch_exceptions=False, env=env)
    return invoke


@pytest.fixture
def clean_text() -> str:
    return CLEAN.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_github(monkeypatch: pytest.MonkeyPatch) -> None:
    # the lint format defaults to `github` inside Actions; tests pin the plain default
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("CI", raising=False)  # CI=true turns the cache off; tests set it where they mean it
    os.environ.setdefault("NO_COLOR", "1")
