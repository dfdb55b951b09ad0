"""`perfgoals lint`: load project files, run the rules, apply suppressions and the baseline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .. import loader
from ..problems import Problem
from ..workspace import ProjectFile
from . import engine
from .config import Config
from .registry import RULES


@dataclass(frozen=True)
class LintResult:
    """The problems found (sorted by file and line) and how many files were checked."""

    problems: list[Problem]
    files: int
    hidden_by_baseline: int = 0
    suppressed: int = 0


def lint_files(files: Sequence[ProjectFile], config: Config) -> LintResult:
    """Lint project files. Unreadable files become one syntax/schema problem each; the rest go on."""
    problems: list[Problem] = []
    sources: list[engine.Source] = []
    checked = 0
    for f in files:
        if config.ignored(f.shown):
            continue
        checked += 1
        project, found = loader.load_file(f.path, f.shown)
        problems.extend(found)
        if project is not None:
            sources.append(engine.Source(project, f.year, f.unit))
    return _finish(problems, sources, config, checked)


def lint_sources(sources: Sequence[engine.Source], config: Config) -> LintResult:
    """Lint projects already in memory (tests, other commands)."""
    return _finish([], list(sources), config, len(sources))


def _finish(problems: list[Problem], sources: list[engine.Source], config: Config, checked: int) -> LintResult:
    by_path = {s.project.path: s.project for s in sources}
    suppressed = 0
    for p in engine.run(sources, RULES, config.level):
        project = by_path.get(p.path)
        if project is not None and project.suppressions and engine.suppressed(p, project):
            suppressed += 1
            continue
        problems.append(p)
    problems.sort(key=lambda p: (p.path, p.line, p.column, p.rule))
    return LintResult(problems, checked, suppressed=suppressed)
