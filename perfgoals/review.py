"""What a pull request does to the tables: new lint problems, and what changed, in one value.

`lint_since` lints the base revision and the head (by default the working tree) with the same
configuration and keeps the head's problems that the base does not have. Problems are matched
by rule, project identity and place in the form — not by line or file name — so moving lines,
re-ordering rows or renaming a file brings no "new" problem, while a problem fixed in the head
is counted as fixed.

`build` joins that with `diff.compare` of the same two trees into a `Review`, which
`reviewreport` shows as text, Markdown (a pull-request comment) or JSON.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Hashable, Iterator, Sequence

from . import corpus, gitsource, loader, reviewconfig, reviewscope
from .reviewconfig import ConfigChange
from .diff import Change, Report, compare
from .model import Item
from .problems import Problem
from .textnorm import squash
from .forms import file_kind
from .workspace import ProjectFile, project_files, shown_as

_ROW_PATH = re.compile(r"^(绩效指标\.[^.\[]+\.[^.\[]+)\[(\d+)\]")


@dataclass(frozen=True)
class Tree:
    """One side of a comparison: its files (named as in the working tree) and its label."""

    files: list[ProjectFile]
    label: str


@dataclass(frozen=True)
class Trees:
    base: Tree
    head: Tree
    #: files (as shown) that are the same file at both revisions and in no unit folder the
    #: pull request touches: never renamed, so their problems are matched by file, unread
    same: frozenset[str] = frozenset()


def trees(data: Path, rng: gitsource.Range, workdir: Path, year: int | None = None, unit: str | None = None,
          scope: reviewscope.Scope | None = None, head: list[ProjectFile] | None = None) -> Trees:
    """The base and head of a range as project files; revisions are written out under ``workdir``.
    With a ``scope``, only the files it keeps (``head``: the work tree's, listed already)."""
    repo = gitsource.toplevel(data)

    def at(rev: str | None, name: str) -> list[ProjectFile]:
        if rev is None:
            if head is not None:
                return head
            return project_files([data], data, year, unit, "all") if data.is_dir() else []
        copy = gitsource.checkout(rev, repo, data, workdir / name, scope.keeps if scope is not None else None)
        return shown_as(project_files([copy], copy, year, unit, "all"), copy, data)

    return Trees(Tree(at(rng.base, "base"), rng.base_label), Tree(at(rng.head, "head"), rng.head_label))


@dataclass(frozen=True)
class Reading:
    """What is read of a range: its trees, and where only the pull request's scope is read, the
    scope and the light reading of the rest (see `reviewscope`)."""

    trees: Trees
    scope: reviewscope.Scope
    light: reviewscope.Light | None

    def files(self, since: "Since") -> "Since":
        """``since`` counting every file of the head, as a whole comparison does."""
        return since if self.light is None else replace(since, files=self.light.files)

    def compared(self, money_unit: str, strict: bool = False) -> tuple[Report, list[Item]]:
        """The two trees' target tables compared, completed with what was read lightly; and the
        head's projects that were read in full. ``strict``: an unreadable table stops the run
        (`diff --rev`) instead of being left out (a review shows it as a lint problem)."""
        units = self.scope.units

        def keep(f: ProjectFile) -> bool:
            return self.light is None or f.unit in units
        load = _loaded if strict else _items
        tables = [f for f in _targets(self.trees.head.files) if keep(f)]
        head = load(tables)
        readable = {i.project.path for i in head}
        # a file the change broke is a new lint problem, not a cancelled project
        broken = {f.shown for f in tables} - readable
        base = [i for i in load([f for f in _targets(self.trees.base.files) if keep(f)])
                if i.project.path not in broken]
        report = compare(base, head, self.trees.base.label, self.trees.head.label, _group, money_unit)
        return (report if self.light is None else reviewscope.with_light(report, self.light)), head


#: read only what a pull request touches (False: every file, the comparison the scope must equal)
SCOPED = True


def read(data: Path, rng: gitsource.Range, workdir: Path, year: int | None = None, unit: str | None = None,
         money_unit: str = "万元", jobs: int | None = None) -> Reading:
    """The two sides of a range, read as far as the pull request reaches."""
    repo = gitsource.toplevel(data)
    scope = reviewscope.plan(rng, repo, data) if SCOPED else reviewscope.Scope()
    if scope.whole or not SCOPED:
        return Reading(trees(data, rng, workdir, year, unit), scope, None)
    extra, head = reviewscope.light(rng, repo, data, scope, year, unit, money_unit, jobs)
    scope = replace(scope, peers=frozenset(extra.peers))
    both = trees(data, rng, workdir, year, unit, scope, head)
    same = frozenset(f.shown for f in both.head.files if f.unit not in scope.units)
    return Reading(replace(both, same=same), scope, extra)


@dataclass(frozen=True)
class Identity:
    """What a problem is about, independent of lines and file names."""

    project: Hashable
    rows: dict[str, str]  # indicator row path → its normalised 三级指标 name


def identities(files: Sequence[ProjectFile], same: frozenset[str] = frozenset()) -> dict[str, Identity]:
    """File (as shown) → the project it holds ("year/unit folder", name), and its rows by path;
    a file in ``same`` (unchanged, untouched unit: `Trees.same`) is its own identity, unread."""
    from .forms import package
    from .forms.base import KIND_WORDS
    out: dict[str, Identity] = {}
    for f in files:
        if f.shown in same:
            out[f.shown] = Identity(("file", f.shown), {})
            continue
        kind = file_kind(f.path.name)
        if kind != "target":  # a 自评表 or 监控表 is its project's other document: an identity of its own
            document, _problems = package(kind).load_file(f.path, f.shown)
            if document is None:
                out[f.shown] = Identity(("file", f.shown), {})
                continue
            rows = {path: squash(row.name or "") or f"#{i}" for path, _g, i, row in document.rows()}
            where = f"{document.year}/{f.unit}/{KIND_WORDS[kind]}"
            out[f.shown] = Identity((where, squash(document.name or "") or f.shown), rows)
            continue
        project, _problems = loader.load_file(f.raw, f.shown, keep_positions=False)
        if project is None:
            out[f.shown] = Identity(("file", f.shown), {})
            continue
        rows = {path: squash(row.name or "") or f"#{i}" for path, _g, i, row in project.rows()}
        out[f.shown] = Identity((f"{project.year}/{f.unit}", squash(project.name or "") or f.shown), rows)
    return out


def problem_key(p: Problem, ident: Identity | None, renamed: dict[Hashable, Hashable]) -> tuple[Hashable, ...]:
    """A problem's identity: rule, project (through renames), data path with rows by name."""
    project: Hashable = ("file", p.path) if ident is None else ident.project
    project = renamed.get(project, project)
    path = p.data_path
    hit = _ROW_PATH.match(path)
    if hit and ident is not None:
        name = ident.rows.get(hit.group(0))
        if name is not None:
            path = f"{hit.group(1)}[{name}]{path[hit.end():]}"
    return (p.rule, project, path)


def project_renames(base: Sequence[ProjectFile], head: Sequence[ProjectFile]) -> dict[Hashable, Hashable]:
    """Base project identity → head identity for projects (or whole unit folders) renamed."""
    old = _items(base)
    report = compare(old, _items(head), "", "", _group)
    moved = dict(report.renamed_groups)
    back = {new: old_group for old_group, new in moved.items()}
    out: dict[Hashable, Hashable] = {}
    for item in old:
        group = _group(item)
        if group in moved:
            name = squash(item.project.name or "")
            out[(group, name)] = (moved[group], name)
    for p in report.by_status("renamed"):
        out[(back.get(p.group, p.group), squash(p.old_name or ""))] = (p.group, squash(p.name))
    return out


def _group(item: Item) -> str:
    return f"{item.project.year}/{item.unit_folder}"


def _items(files: Sequence[ProjectFile]) -> list[Item]:
    broken: list[Problem] = []
    return list(corpus.iter_load(files, broken))  # unreadable files have no project to compare


def new_problems(base: Sequence[Problem], head: Sequence[Problem], base_ids: dict[str, Identity],
                 head_ids: dict[str, Identity], renamed: dict[Hashable, Hashable]) -> tuple[list[Problem], int]:
    """The head's problems that the base does not have, and how many of the base's were fixed
    (those of a project the head no longer has went with it: `deleted_with`)."""
    left = Counter(problem_key(p, base_ids.get(p.path), renamed) for p in base)
    new: list[Problem] = []
    for p in head:
        key = problem_key(p, head_ids.get(p.path), {})
        if left[key] > 0:
            left[key] -= 1
        else:
            new.append(p)
    here = {i.project for i in head_ids.values()}
    return new, sum(n for key, n in left.items() if key[1] in here)


def deleted_with(base: Sequence[Problem], base_ids: dict[str, Identity], head_ids: dict[str, Identity],
                 renamed: dict[Hashable, Hashable]) -> int:
    """How many of the base's problems belonged to projects the head no longer has."""
    here = {i.project for i in head_ids.values()}
    return sum(1 for p in base if problem_key(p, base_ids.get(p.path), renamed)[1] not in here)


@dataclass(frozen=True)
class Since:
    """The outcome of ``lint --since``: new problems, how many were fixed, what was compared."""

    new: list[Problem]
    fixed: int
    files: int
    base_label: str
    head_label: str
    #: the base's problems that went with a project the head deleted (not "fixed")
    gone: int = 0


def lint_since(trees_: Trees, conf: object, jobs: int | None = None) -> Since:
    """Lint both trees with one configuration; keep what is new in the head."""
    from . import lint as linting
    from .lint.cache import Cache
    with tempfile.TemporaryDirectory(prefix="perfgoals-since-cache-") as tmp:
        # a file the pull request did not touch is the same at both revisions: checked once,
        # its outcome found again by its bytes when the head is checked
        # (each run closes its cache when it ends: one each, on the same file)
        base = linting.lint_files(trees_.base.files, conf, Cache(Path(tmp), conf), jobs)  # type: ignore[arg-type]
        head = linting.lint_files(trees_.head.files, conf, Cache(Path(tmp), conf), jobs)  # type: ignore[arg-type]
    same = trees_.same
    renamed = project_renames([f for f in trees_.base.files if f.shown not in same],
                              [f for f in trees_.head.files if f.shown not in same])
    base_ids, head_ids = identities(trees_.base.files, same), identities(trees_.head.files, same)
    new, fixed = new_problems(base.problems, head.problems, base_ids, head_ids, renamed)
    gone = deleted_with(base.problems, base_ids, head_ids, renamed)
    return Since(new, fixed, head.files, trees_.base.label, trees_.head.label, gone)


@dataclass(frozen=True)
class Review:
    """Everything a reviewer needs about one pull request."""

    since: Since
    diff: Report
    #: what the pull request does to the checks themselves (configuration, suppressions, baseline)
    config: ConfigChange = ConfigChange()
    #: problems new under the base's configuration that the pull request's own settings hide
    hidden: list[Problem] = field(default_factory=list)
    #: (group, name) of each new project → its goals and indicators, so it can be reviewed from the comment
    new_content: dict[tuple[str, str], tuple[Change, ...]] = field(default_factory=dict)
    #: why every file was compared, not only what the pull request touches ("" when it was not)
    whole: str = ""

    @property
    def new_errors(self) -> list[Problem]:
        return [p for p in self.since.new if p.level == "error"]

    @property
    def hidden_errors(self) -> list[Problem]:
        return [p for p in self.hidden if p.level == "error"]

    def money_up_target_down(self) -> Iterator[tuple[str, str]]:
        """(group, name) of projects whose money went up while a target of theirs went down."""
        for p in self.diff.projects:
            up = (p.annual_before is not None and p.annual_after is not None and p.annual_after > p.annual_before)
            if up and p.lowered_targets:
                yield p.group, p.name


def build(data: Path, spec: str, conf: object, year: int | None = None, unit: str | None = None,
          money_unit: str = "万元", jobs: int | None = None) -> Review:
    """The review of a pull request: ``spec`` as `gitsource.resolve` reads it."""
    repo = gitsource.toplevel(data)
    rng = gitsource.resolve(spec, repo)
    with tempfile.TemporaryDirectory(prefix="perfgoals-review-") as tmp:
        reading = read(data, rng, Path(tmp), year, unit, money_unit, jobs)
        both = reading.trees
        since = reading.files(lint_since(both, conf, jobs))
        change = reviewconfig.read(rng, repo, data, conf, both.base.files, both.head.files)  # type: ignore[arg-type]
        hidden: list[Problem] = []
        if change.any and change.base is not None:
            # the pull request changed the checks: what is new under the base's settings with no
            # inline suppression, and not shown under its own, is what it hides
            strict = lint_since(both, replace(change.base, inline=False), jobs)
            hidden = hidden_by(strict.new, since.new, both)
        report, head = reading.compared(money_unit)
        added = {(p.group, p.name) for p in report.by_status("added")}
        content = {(_group(i), i.project.name or ""): content_of(i) for i in head
                   if (_group(i), i.project.name or "") in added}
    return Review(since, report, change, hidden, content, reading.scope.whole)


def content_of(item: Item) -> tuple[Change, ...]:
    """A new project's goals and every indicator, as the changes that would add them."""
    p = item.project
    goals = [Change("goal", label, None, text) for label, text in (("项目总目标", p.goal_total),
                                                                     ("年度总体目标", p.goal_annual)) if text]
    rows = [Change("indicator-added", f"{g.level2} / {row.name or ''}", None, row.value)
            for g in p.groups for row in g.filled]
    return tuple(goals + rows)


def hidden_by(strict: Sequence[Problem], shown: Sequence[Problem], both: Trees) -> list[Problem]:
    """The problems of the strict pass that the pull request's own pass does not show at the
    same level (a rule lowered from error to warning hides the error)."""
    ids = identities(both.head.files, both.same)
    left = Counter((problem_key(p, ids.get(p.path), {}), p.level) for p in shown)
    out = []
    for p in strict:
        key = (problem_key(p, ids.get(p.path), {}), p.level)
        if left[key] > 0:
            left[key] -= 1
        else:
            out.append(p)
    return out


def diff_range(data: Path, spec: str, year: int | None = None, money_unit: str = "万元") -> Report:
    """``diff --rev``: the two trees of a revision range compared (see `gitsource.resolve`)."""
    repo = gitsource.toplevel(data)
    rng = gitsource.resolve(spec, repo)
    with tempfile.TemporaryDirectory(prefix="perfgoals-diff-") as tmp:
        return read(data, rng, Path(tmp), year, None, money_unit).compared(money_unit, strict=True)[0]


def _targets(files: Sequence[ProjectFile]) -> list[ProjectFile]:
    """The target tables of a tree (lint takes the 自评表 and 监控表 beside them too; diff does not)."""
    return [f for f in files if file_kind(f.path.name) == "target"]


def _loaded(files: Sequence[ProjectFile]) -> list[Item]:
    """Every project, or an InputError naming the files that cannot be read."""
    return corpus.load(files)


def since(data: Path, spec: str, conf: object, year: int | None = None, unit: str | None = None,
          jobs: int | None = None) -> Since:
    """``lint --since``: the problems that are new against a revision (see `gitsource.resolve`)."""
    rng = gitsource.resolve(spec, gitsource.toplevel(data))
    with tempfile.TemporaryDirectory(prefix="perfgoals-since-") as tmp:
        reading = read(data, rng, Path(tmp), year, unit, jobs=jobs)
        return reading.files(lint_since(reading.trees, conf, jobs))
