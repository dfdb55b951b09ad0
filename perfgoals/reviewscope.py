"""Read what a pull request touches, not the whole repository (a city's 20,000 tables).

`review`, ``lint --since`` and ``diff --rev`` compare two revisions. Files that are the same at
both have the same problems (matched away) and the same projects (compared as unchanged), so
what git says changed decides what is read:

- every file of each unit folder a changed file lies in, in every year, at both revisions: the
  rules that compare a project with the others of its unit folder (copied-subject, the year
  rules) see their whole groups;
- for a rule that compares projects across units (`lint.engine.Rule.peers`: a repeated project
  name, the same indicator set), the files that hold a changed project's peer texts, found while
  the other tables are read lightly: they are read at both revisions too;
- the other target tables only for the totals per unit (`light`): their 项目名称, 年度, 金额单位
  and 年度资金申请总额 lines, or the whole file where those lines are not plain.

What changes every finding — a ``.perfgoals.yaml``, the baseline, ``units.yaml``, a file of code,
a table outside a unit folder, a cross-unit rule without ``peers`` — makes everything be read, and
`Scope.whole` says why in one line.

Not covered: a peer whose name is written over several lines or with YAML escapes is not found
(the search allows white space between characters, not line breaks); an untouched table that cannot be read at either revision is counted in the totals
by its header lines, where the whole comparison leaves it out.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from . import gitsource, loader, money
from .forms import file_kind
from .textnorm import squash
from .workspace import UNITS_FILE, ProjectFile, folder_files, listed, place, walk_order

if TYPE_CHECKING:
    from .diff import Report

ZERO = Decimal(0)

#: why a changed file makes everything be read
_CHECKS = {".perfgoals.yaml": "检查配置", ".perfgoals-baseline.json": "基线文件", UNITS_FILE: "单位名单"}


@dataclass(frozen=True)
class Scope:
    """What to read at both revisions: unit folders (every year) and single files."""

    #: the data folder relative to the repository root ("" when it is the root)
    rel: str = ""
    units: frozenset[str] = frozenset()
    #: files (relative to the repository root) read because a cross-unit rule may pair them with a changed one
    peers: frozenset[str] = frozenset()
    #: what such a file holds: groups of expressions, all of one group in the same file (`peer_patterns`)
    patterns: tuple[tuple[str, ...], ...] = ()
    #: why everything is read ("" when the scope holds)
    whole: str = ""

    def keeps(self, name: str) -> bool:
        """Whether a file (relative to the repository root) is read at both revisions."""
        if name in self.peers:
            return True
        inside = _inside(name, self.rel)
        return inside is not None and place(tuple(inside.split("/")))[1] in self.units


def _inside(name: str, rel: str) -> str | None:
    if not rel:
        return name
    return name[len(rel) + 1:] if name.startswith(rel + "/") else None


def plan(rng: gitsource.Range, repo: Path, data: Path) -> Scope:
    """The scope of a revision range (see the module docstring)."""
    rel = data.resolve().relative_to(repo.resolve()).as_posix()
    rel = "" if rel == "." else rel
    units: set[str] = set()
    changed: list[str] = []
    for path in gitsource.changed_paths(rng, repo, data):
        name = path.rsplit("/", 1)[-1]
        if name in _CHECKS:
            return Scope(rel, whole=f"本次修改了{_CHECKS[name]} {path}，各文件的检查结果都可能改变：按全部文件比较")
        if name.endswith(".py"):
            return Scope(rel, whole=f"本次修改了程序代码 {path}，各文件的检查结果都可能改变：按全部文件比较")
        inside = _inside(path, rel)
        if inside is None or not name.lower().endswith((".yaml", ".yml")):
            continue  # README, CI files: nothing the tables are checked against
        parts = tuple(inside.split("/"))
        if any(p.startswith(".") for p in parts):
            continue  # hidden: never read
        unit = place(parts)[1]
        if unit is None:
            return Scope(rel, whole=f"本次修改了单位文件夹以外的 {path}：按全部文件比较")
        units.add(unit)
        changed.append(path)
    blind = [r.id for r in _wide() if r.peers is None]
    if blind and changed:
        return Scope(rel, whole=f"规则 {blind[0]} 比较全部项目而没有说明如何找到相关项目：按全部文件比较")
    return Scope(rel, frozenset(units), frozenset(), peer_patterns(rng, repo, changed))


def _wide() -> list:  # type: ignore[type-arg]
    """The corpus rules that compare projects across units (grouped by equal digests)."""
    from .lint.engine import whole_digest
    from .lint.registry import RULES
    return [r for r in RULES.values() if r.check_all is not None and r.group is whole_digest]


def _patterns_of(project: object) -> set[tuple[str, ...]]:
    """For each cross-unit rule, the expressions a file of a peer of ``project`` matches, all of them."""
    out = set()
    for rule in _wide():
        if rule.peers is not None:
            found = tuple(p for p in (pattern(t) for t in rule.peers(project)) if p)
            if found:
                out.add(found)
    return out


def pattern(text: str) -> str:
    r"""A regular expression for ``text`` (white space already taken out) as a file may spell it:
    any white space between its characters; only the longest run without a quote or backslash,
    which YAML may escape.

    >>> pattern("残疾人满意度")
    '残\\s*疾\\s*人\\s*满\\s*意\\s*度'
    >>> bool(re.search(pattern("残疾人满意度"), "三级指标: 残疾人 满意度"))
    True
    >>> pattern("a.b'c")
    'a\\s*\\.\\s*b'
    """
    runs = [r for r in re.split(r"['\"\\\\]", text) if r]
    run = max(runs, key=len) if runs else ""
    return r"\s*".join(re.escape(ch) for ch in run)


def peer_patterns(rng: gitsource.Range, repo: Path, changed: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """`_patterns_of` each changed target table, at either revision."""
    wanted: set[tuple[str, ...]] = set()
    for path in changed:
        if file_kind(path.rsplit("/", 1)[-1]) != "target":
            continue
        for rev in (rng.base, rng.head):
            raw = gitsource.blob_at(rev, repo, repo / path)
            project = loader.load_bytes(raw, path, keep_positions=False)[0] if raw is not None else None
            if project is not None:
                wanted |= _patterns_of(project)
    return tuple(sorted(wanted))


class Peers:
    """Tells whether a file's text holds all the expressions of any one group."""

    def __init__(self, groups: Iterable[tuple[str, ...]]) -> None:
        self.groups = [[re.compile(p) for p in g] for g in groups]

    def __call__(self, text: str) -> bool:
        return any(all(rx.search(text) for rx in g) for g in self.groups)


@dataclass
class Light:
    """The untouched target tables, lightly read: what the totals per unit need of them."""

    #: files of every kind at the head (what a whole comparison lints)
    files: int = 0
    #: group ("year/unit folder") → [tables, their distinct names, 年度资金申请总额 in the money unit asked for]
    groups: dict[str, list] = field(default_factory=dict)  # type: ignore[type-arg]
    #: files (relative to the repository root) outside the unit folders that hold a changed table's peer texts
    peers: set[str] = field(default_factory=set)

    def add(self, group: str, name: str, amount: Decimal | None) -> None:
        entry = self.groups.setdefault(group, [0, set(), ZERO])
        entry[0] += 1
        entry[1].add(name)
        entry[2] += amount or ZERO

    def merge(self, other: "Light") -> None:
        """Another run's reading added to this one."""
        for group, (count, names, amount) in other.groups.items():
            entry = self.groups.setdefault(group, [0, set(), ZERO])
            entry[0] += count
            entry[1] |= names
            entry[2] += amount
        self.peers |= other.peers


_KEYS = ("\n项目名称:", "\n年度:", "\n金额单位:", "\n年度资金:", "\n  年度资金申请总额:")
_VALUE = {"\n年度:": re.compile(r"\d{4}"), "\n金额单位:": re.compile("万元|元"),
          "\n  年度资金申请总额:": re.compile(r"\d+(?:\.\d+)?|null|~|"), "\n年度资金:": re.compile("")}
_PLAIN = re.compile(r"[^'\"&*!|>{\[%@`#\s][^#]*")
_TOP = re.compile(r"\n[^ \n]")


def header(text: str) -> tuple[int, str, str, Decimal | None] | None:
    """(year, name, money unit, 年度资金申请总额) of a town table whose header lines are plain
    and said once; None where the file must be read in full.

    >>> header("项目名称: 残疾人补贴\\n年度: 2024\\n金额单位: 万元\\n年度资金:\\n  年度资金申请总额: 12.50\\n")
    (2024, '残疾人补贴', '万元', Decimal('12.50'))
    >>> header("项目名称: '残疾人补贴'\\n年度: 2024\\n金额单位: 万元\\n年度资金:\\n  年度资金申请总额: 12.50\\n") is None
    True
    >>> header("项目名称: 甲\\n年度: 2024\\n金额单位: 万元\\n年度资金:\\n  年度资金申请总额: 1\\n项目名称: 乙\\n") is None
    True
    >>> header("项目名称: 甲\\n年度: 2024\\n金额单位: 万元\\n年度资金:\\n其他: 1\\n  年度资金申请总额: 1\\n") is None
    True
    """
    whole = "\n" + text
    values: list[str] = []
    at: list[int] = []
    for key in _KEYS:
        start = whole.find(key)
        if start < 0 or whole.find(key, start + 1) >= 0:
            return None  # not there, or said twice
        end = whole.find("\n", start + 1)
        value = whole[start + len(key):end if end >= 0 else len(whole)].strip(" \r")
        check = _VALUE.get(key)
        if check is not None and not check.fullmatch(value):
            return None
        values.append(value)
        at.append(start)
    if at[4] < at[3] or _TOP.search(whole, at[3] + 1, at[4]):
        return None  # 年度资金申请总额 is not under 年度资金
    name, year, unit, _block, amount = values
    if not _PLAIN.fullmatch(name) or ": " in name:
        return None
    return int(year), name, unit, None if amount in ("", "null", "~") else Decimal(amount)


#: untouched tables from which the light reading is shared among worker processes
PARALLEL_AT = 4000


def light(rng: gitsource.Range, repo: Path, data: Path, scope: Scope, year: int | None, unit: str | None,
          money_unit: str, jobs: int | None = None) -> tuple[Light, list[ProjectFile] | None]:
    """The head outside ``scope``'s unit folders, lightly read (see `Light`), its peers of the
    changed tables found on the way; with the work tree as head, also the head's files inside
    the scope (units and peers, in the order of a walk). Many tables are read by several
    processes, each a run of them."""
    out = Light()
    # (name relative to the repo root, shown, where to read it: a path or a git object id, unit folder)
    todo: list[tuple[str, str, str, str | None]] = []
    if rng.head is None:
        if not data.is_dir():
            return out, []
        start = len(str(data)) + 1
        walked: list[tuple[ProjectFile, str | None]] = []  # in the walk's order: (file, name if outside the units)
        for f in folder_files(data, data, year, unit, "all"):
            out.files += 1
            if f.unit in scope.units:
                walked.append((f, None))
                continue
            path = f.raw
            if file_kind(path.rsplit("/", 1)[-1]) == "target":
                rel = path[start:]
                name = f"{scope.rel}/{rel}" if scope.rel else rel
                todo.append((name, f.shown, path, f.unit))
                walked.append((f, name))
    else:
        names = dict(gitsource.listing(rng.head, repo, data))
        for rel, _y, u in listed((_inside(n, scope.rel) or n for n in names), year, unit, "all"):
            out.files += 1
            name = f"{scope.rel}/{rel}" if scope.rel else rel
            if u not in scope.units and file_kind(rel.rsplit("/", 1)[-1]) == "target":
                todo.append((name, name, names[name], u))
    from .runtime import pool_context, workers
    procs = workers(jobs)
    task = (rng.head is not None, str(repo), scope.patterns, money_unit)
    if len(todo) >= PARALLEL_AT and procs > 1:
        size = -(-len(todo) // procs)
        parts = [todo[k:k + size] for k in range(0, len(todo), size)]
        with pool_context().Pool(procs) as pool:
            results = pool.map(_read_part, [(task, part) for part in parts])
    else:
        results = [_read_part((task, todo))]
    for part in results:
        out.merge(part)
    if rng.head is None:
        return out, [f for f, name in walked if name is None or name in out.peers]
    return out, None


def _read_part(job: tuple[tuple[bool, str, tuple[tuple[str, ...], ...], str],
                          list[tuple[str, str, str, str | None]]]) -> Light:
    """`light`'s reading of a run of tables (in a worker process, or in the main one)."""
    (from_git, repo, patterns, money_unit), todo = job
    out = Light()
    is_peer = Peers(patterns)
    if from_git:
        where = {name: folder for name, _shown, _oid, folder in todo}
        stream: Iterable[tuple[str, str, bytes | None, str | None]] = (
            (name, name, raw, where[name]) for name, raw in gitsource.blobs([(n, o) for n, _s, o, _f in todo], Path(repo)))
    else:
        stream = ((name, shown, _bytes(path), folder) for name, shown, path, folder in todo)
    for name, shown, raw, folder in stream:
        if raw is None:
            continue
        try:
            text: str | None = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and is_peer(text):
            out.peers.add(name)
        head = header(text) if text is not None else None
        if head is not None:
            y, key, unit_of_money, amount = head
            out.add(f"{y}/{folder}", squash(key), money.convert(amount, unit_of_money, money_unit))
            continue
        project, problems = loader.load_bytes(raw, shown, keep_positions=False)
        if project is None or problems:
            continue  # unreadable: the whole comparison leaves it out of the totals too
        out.add(f"{project.year}/{folder}", squash(project.name or ""),
                money.convert(project.annual.total, project.money_unit, money_unit))
    return out


def _bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def with_light(report: "Report", extra: Light) -> "Report":
    """A comparison of the scope completed with the untouched tables: each unit's totals, and
    its projects counted as unchanged (the same numbers the whole comparison gives)."""
    from .diff import GroupTotal
    totals = {t.group: t for t in report.totals}
    unchanged = report.unchanged
    for group, (count, names, amount) in extra.groups.items():
        t = totals.get(group)
        totals[group] = (GroupTotal(group, count, count, amount, amount) if t is None else
                         GroupTotal(group, t.count_before + count, t.count_after + count, t.before + amount,
                                    t.after + amount))
        unchanged += len(names)
    ordered = sorted(totals.values(), key=lambda t: (-abs(t.difference), t.group))
    return replace(report, totals=ordered, unchanged=unchanged)


def context(files: Sequence[ProjectFile], data: Path) -> list[ProjectFile]:
    """The files that rules comparing projects need beside ``files`` (a subset of ``data``: a
    pull request's files, one unit, paths named on the command line), so that each of ``files``
    gets the findings a run over all of ``data`` gives it: every file of their unit folders in
    every year, and the tables of other units holding a peer text of theirs (`lint.engine.Rule.peers`).
    In the order a walk of ``data`` gives."""
    given = {os.path.abspath(f.raw) for f in files}
    units = {f.unit for f in files if f.unit is not None}
    rest = [g for g in folder_files(data, data, None, None, "all") if os.path.abspath(g.raw) not in given]
    groups: set[tuple[str, ...]] = set()
    if any(g.unit not in units for g in rest):  # a whole year's files span every unit: nothing to search
        for f in files:
            if file_kind(f.path.name) == "target":
                project = loader.load_file(f.raw, f.shown, keep_positions=False)[0]
                if project is not None:
                    groups |= _patterns_of(project)
    is_peer = Peers(sorted(groups))

    def holds_peer(g: ProjectFile) -> bool:
        raw = _bytes(g.raw) if groups and file_kind(g.path.name) == "target" else None
        return raw is not None and is_peer(raw.decode("utf-8", "replace"))

    return [g for g in rest if g.unit in units or holds_peer(g)]


def merged(files: Sequence[ProjectFile], more: Sequence[ProjectFile], data: Path) -> list[ProjectFile]:
    """``files`` and ``more`` in the order a walk of ``data`` lists them (corpus findings name
    their groups' members in that order)."""
    root = os.path.abspath(data)
    return sorted([*files, *more], key=lambda f: walk_order(os.path.relpath(os.path.abspath(f.raw), root)))
