"""The lint engine: run the enabled rules over projects and stamp id, level and position.

A rule is a small function with an id, a default level and a docstring that is its user
documentation. Project rules see one project; corpus rules see every project of a run (copied
indicators, duplicate names). The engine turns each finding's data path into a file position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from .. import model as m
from ..problems import Problem


@dataclass(frozen=True)
class Finding:
    """What a rule reports: where in the form (data path) and what is wrong, in Chinese."""

    data_path: str
    message: str


@dataclass(frozen=True)
class Source:
    """A loaded project and what its location says: the year and unit folders it sits in."""

    project: m.Project
    folder_year: int | None = None
    folder_unit: str | None = None


ProjectCheck = Callable[[Source], Iterable[Finding]]
CorpusCheck = Callable[[Sequence[Source]], Iterable[tuple[Source, Finding]]]


@dataclass(frozen=True)
class Rule:
    """One lint rule. ``doc`` is the user documentation (Chinese), first line a summary.

    Its default level lives in the preset ``perfgoals/conf/default.yaml``, not here, so that the
    defaults and a user's configuration go through the same code.
    """

    id: str
    check: ProjectCheck | None = None
    check_all: CorpusCheck | None = None

    @property
    def doc(self) -> str:
        fn = self.check or self.check_all
        return (fn.__doc__ or "").strip() if fn else ""

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""


def rule(id: str) -> Callable[[ProjectCheck], Rule]:
    """Make a project rule from a function ``check(source) -> findings``."""
    def wrap(fn: ProjectCheck) -> Rule:
        return Rule(id, check=fn)
    return wrap


def corpus_rule(id: str) -> Callable[[CorpusCheck], Rule]:
    """Make a corpus rule from a function ``check_all(sources) -> (source, finding)…``."""
    def wrap(fn: CorpusCheck) -> Rule:
        return Rule(id, check_all=fn)
    return wrap


def _problem(src: Source, rule_id: str, level: str, f: Finding) -> Problem:
    line, col = src.project.position(f.data_path)
    return Problem(src.project.path, line, col, f.message, rule_id, level, f.data_path)


def run(sources: Sequence[Source], rules: Mapping[str, Rule], levels: Callable[[str, str], str | None]) -> Iterator[Problem]:
    """Every problem the enabled rules find. ``levels(rule_id, path)`` gives the level in force
    for a file (None: the rule is off there)."""
    for src in sources:
        for rid, r in rules.items():
            if r.check is None:
                continue
            level = levels(rid, src.project.path)
            if level is None:
                continue
            for f in r.check(src):
                yield _problem(src, rid, level, f)
    for rid, r in rules.items():
        if r.check_all is None:
            continue
        for src, f in r.check_all(sources):
            level = levels(rid, src.project.path)
            if level is not None:
                yield _problem(src, rid, level, f)


def suppressed(problem: Problem, project: m.Project) -> bool:
    """True when an inline ``# perfgoals: disable=rule-id`` covers the problem's line."""
    rules = project.suppressions.get(problem.line, ())
    return problem.rule in rules or "all" in rules
