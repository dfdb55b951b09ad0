"""The lint engine: run the enabled rules over projects and stamp id, level and position.

A rule is a small function with an id and a docstring that is its user documentation.
Project rules see one project. Corpus rules (copied indicators, duplicate names) compare the
projects of a run, but only through a small *digest* each project gives them — so the work on
each file can run in another process or come from the cache, and only digests travel back —
and only within a *group* (projects of one unit, of one name, with one fingerprint), so the
digests wait on disk (`store.EntryStore`) and a rule holds one group at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Hashable, Iterable, Iterator, Mapping, NamedTuple, Sequence

from .. import forms
from .. import model as m
from ..problems import Problem
from ..selfeval import SelfEval

if TYPE_CHECKING:
    from ..monitor import Monitor
    from .store import EntryStore


class Finding(NamedTuple):
    """What a rule reports: where in the form (data path) and what is wrong, in Chinese.
    ``level`` raises this finding above the rule's level (a rule whose weight grows with the
    budget); None keeps the level the configuration gives the rule. (A named tuple: rules make
    one per problem, and it is made three times faster than a frozen dataclass.)"""

    data_path: str
    message: str
    level: str | None = None
    #: where a corpus rule's finding stands, when its digest recorded it (a row, not a top key)
    at: m.Position | None = None


@dataclass(frozen=True)
class Source:
    """A loaded project and what its location says: the year and unit folders it sits in;
    ``options`` are the options in force for the rule looking at it (its own defaults, then
    ``.perfgoals.yaml``)."""

    project: m.Project
    folder_year: int | None = None
    folder_unit: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    kind = "target"

    @property
    def doc(self) -> m.Project:
        return self.project


@dataclass(frozen=True)
class EvalSource:
    """A loaded 自评表, with the approved target table next to it when there is one."""

    evaluation: SelfEval
    target: m.Project | None = None
    folder_year: int | None = None
    folder_unit: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    kind = "selfeval"

    @property
    def doc(self) -> SelfEval:
        return self.evaluation


@dataclass(frozen=True)
class MonitorSource:
    """A loaded 监控表, with the approved target table beside it and the 自评表 of the same year
    when there are."""

    monitor: "Monitor"
    target: m.Project | None = None
    evaluation: SelfEval | None = None
    folder_year: int | None = None
    folder_unit: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    kind = "monitor"

    @property
    def doc(self) -> "Monitor":
        return self.monitor


@dataclass(frozen=True, slots=True)
class Entry:
    """What corpus rules know of one project: its file, name, digests, a few positions.
    A run keeps one per project until the corpus rules have run, so it is kept small."""

    path: str
    name: str | None
    digests: Mapping[str, Any]
    positions: Mapping[str, m.Position] = field(default_factory=dict)
    suppressions: Mapping[int, tuple[str, ...]] = field(default_factory=dict)


ProjectCheck = Callable[[Any], Iterable[Finding]]
"""A check of one document: ``Source`` for a target-table rule, ``EvalSource`` for a 自评 rule."""
Digest = Callable[[Any], Hashable]
CorpusCheck = Callable[[Sequence[Entry]], Iterable[tuple[Entry, Finding]]]
Group = Callable[[Any], Hashable]
"""What a corpus rule compares within: a digest's group key (its text, or ``repr`` of it)."""


def whole_digest(digest: Any) -> Any:
    """The default group: projects whose digests are equal (a fingerprint, a name)."""
    return digest

Levels = Callable[[str, str], "str | None"]


@dataclass(frozen=True)
class Rule:
    """One lint rule. ``doc`` is the user documentation (Chinese), first line a summary.

    Its default ``level`` and ``options`` (yamllint's DEFAULT and CONF) stand beside its code, so
    a new rule cannot ship switched off by a line missing from a separate file; a user's
    ``.perfgoals.yaml`` overrides both (``rules: {cost-missing: {level: error, error-above: 50}}``).
    """

    id: str
    level: str = "warning"
    options: Mapping[str, Any] = field(default_factory=dict)
    check: ProjectCheck | None = None
    #: which documents it looks at: "target" (目标表), "selfeval" (自评表) or "any" (a corpus rule over both)
    kind: str = "target"
    check_all: CorpusCheck | None = None
    digest: Digest | None = None
    #: a corpus rule sees one group at a time: the entries whose digests give the same key
    group: Group = whole_digest
    #: a rule comparing projects across units (``group`` left as equal digests): the texts, white
    #: space taken out, that every project sharing a project's digest holds, so that a review can
    #: find a changed project's peers without reading every file (`reviewscope`); () for none
    peers: Callable[[m.Project], tuple[str, ...]] | None = None

    @property
    def doc(self) -> str:
        fn = self.check or self.check_all
        return (fn.__doc__ or "").strip() if fn else ""

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""


def rule(id: str, level: str = "warning", **options: Any) -> Callable[[ProjectCheck], Rule]:
    """Make a project rule from a function ``check(source) -> findings``, with its default level
    and options (``source.options`` holds them, overridden by the configuration). ``kind`` "any":
    it looks at 自评表 too (``source.doc.groups`` is common to both)."""
    kind = str(options.pop("kind", "target"))

    def wrap(fn: ProjectCheck) -> Rule:
        return Rule(id, level, dict(options), check=fn, kind=kind)
    return wrap


def selfeval_rule(id: str, level: str = "warning", **options: Any) -> Callable[[ProjectCheck], Rule]:
    """Make a rule over one 自评表 from ``check(eval_source) -> findings``."""
    def wrap(fn: ProjectCheck) -> Rule:
        return Rule(id, level, dict(options), check=fn, kind="selfeval")
    return wrap


def monitor_rule(id: str, level: str = "warning", **options: Any) -> Callable[[ProjectCheck], Rule]:
    """Make a rule over one 监控表 from ``check(monitor_source) -> findings``."""
    def wrap(fn: ProjectCheck) -> Rule:
        return Rule(id, level, dict(options), check=fn, kind="monitor")
    return wrap


def corpus_rule(id: str, level: str = "warning", *, digest: Digest, group: Group = whole_digest,
                kind: str = "target", peers: Callable[[m.Project], tuple[str, ...]] | None = None
                ) -> Callable[[CorpusCheck], Rule]:
    """Make a corpus rule from ``check_all(entries) -> (entry, finding)…``, the digest it reads and
    the group it compares within: ``check_all`` is called once per group of two or more entries
    whose digests give the same ``group`` key (by default, equal digests). ``kind`` "any" takes
    digests of target tables and 自评表 alike (the digest tells them apart). A rule whose group
    spans units declares ``peers`` (see `Rule.peers`); one that does not makes a review read
    every file."""
    def wrap(fn: CorpusCheck) -> Rule:
        return Rule(id, level, check_all=fn, digest=digest, group=group, kind=kind, peers=peers)
    return wrap


#: Top-level keys whose positions an `Entry` keeps (corpus findings point at one of them).
ENTRY_KEYS = ("", m.K_NAME, m.K_YEAR, m.K_INDICATORS)


_ROW, _FIELD = "\x1e", "\x1f"


def pack_rows(rows: Iterable[tuple[Any, ...]]) -> str:
    """Rows of fields as one string, for a digest: a corpus of 50,000 projects keeps one per
    project, where tuples of strings would cost some 100 bytes a field more. (A separator
    inside a value — only a double-quoted escape can put one there — becomes a space.)"""
    rows = rows if isinstance(rows, list) else list(rows)
    packed = _ROW.join([_FIELD.join(["" if v is None else str(v) for v in row]) for row in rows])
    if packed.count(_FIELD) + packed.count(_ROW) == max(sum(map(len, rows)) - 1, 0):
        return packed  # no value held a separator (all but always): nothing to replace
    return _ROW.join(_FIELD.join("" if v is None else str(v).replace(_ROW, " ").replace(_FIELD, " ") for v in row)
                     for row in rows)


def unpack_rows(packed: str) -> list[list[str]]:
    """`pack_rows` undone: every field comes back as a string ("" for None)."""
    return [row.split(_FIELD) for row in packed.split(_ROW)] if packed else []


def freeze(value: Any) -> Any:
    """A digest in canonical form (sets → sorted tuples, lists → tuples): equal digests compare
    equal whether they were just computed or read back from the cache's JSON."""
    if isinstance(value, (set, frozenset)):
        return tuple(sorted((freeze(v) for v in value), key=repr))
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


class Plan:
    """The rules of a run as each kind of document meets them, worked out once per run: every
    file then goes down a short list instead of asking each of 65 rules its kind, level and
    options. ``uniform``: the levels are the same for every path (no per-path settings), so
    each rule's level is asked once here, not once per file."""

    def __init__(self, rules: Mapping[str, Rule], levels: Levels,
                 options: Callable[[str], Mapping[str, Any]] | None = None, uniform: bool = False,
                 inline: bool = True) -> None:
        self.levels = levels
        #: whether ``# perfgoals: disable=…`` comments hide findings (a review's strict pass: not)
        self.inline = inline
        #: kind → (rule id, digest, check, options, level) for the rules that see that kind;
        #: level None: ask ``levels`` per file (or, with a check, the rule is off everywhere)
        self.steps: dict[str, list[tuple[str, Digest | None, ProjectCheck | None, Mapping[str, Any], str | None]]] = {}
        for kind in ("target", "selfeval", "monitor"):
            steps = []
            for rid, r in rules.items():
                if r.kind != kind and r.kind != "any":
                    continue
                check, level = r.check, None
                if check is not None and uniform:
                    level = levels(rid, "")
                    if level is None:
                        check = None  # off
                if check is None and r.digest is None:
                    continue
                steps.append((rid, r.digest, check, options(rid) if options is not None else r.options, level))
            self.steps[kind] = steps


def _with_options(src: Source | EvalSource | MonitorSource,
                  options: Mapping[str, Any]) -> Source | EvalSource | MonitorSource:
    """``src`` as a rule with options of its own sees it: a shallow copy with those options
    (`dataclasses.replace` looks the fields up on every call and costs five times as much; this
    runs for every project and every rule with options)."""
    new = object.__new__(type(src))
    new.__dict__.update(src.__dict__)
    new.__dict__["options"] = options  # frozen: set as replace would, before anyone sees it
    return new


def check_project(src: Source | EvalSource | MonitorSource, plan: Plan) -> tuple[list[Problem], Entry, int]:
    """The rules' problems for one document (a target table or a 自评表), its corpus entry, and
    how many problems inline ``# perfgoals: disable=`` comments suppressed."""
    p = src.doc
    problems: list[Problem] = []
    digests: dict[str, Any] = {}
    shared: dict[Digest, Any] = {}
    hidden = 0
    # a form with its own words: a finding on a field it does not have does not apply, and a
    # message names the form's own words
    own = forms.of(p) if getattr(p, "form", "") else None
    for rid, digest, check, opts, level in plan.steps[src.kind]:
        if digest is not None:  # rules that read the same digest share one (computed once)
            if digest not in shared:
                shared[digest] = digest(src)  # digests are tuples already; the cache re-freezes its JSON
            digests[rid] = shared[digest]
        if check is None:
            continue
        if level is None:
            level = plan.levels(rid, p.path)
            if level is None:
                continue
        for f in check(_with_options(src, opts) if opts else src):
            if own is not None:
                if own.yaml_path(f.data_path) is None:
                    continue
                f = f._replace(message=own.in_words(f.message))
            line, col = p.position(f.data_path)
            # a finding may weigh more than the rule's usual warning (a large budget); a level the
            # user chose (error, info) stands as chosen
            stamped = f.level if f.level and level == "warning" else level
            problem = Problem(p.path, line, col, f.message, rid, stamped, f.data_path)
            if plan.inline and p.suppressions and suppressed(problem, p.suppressions):
                hidden += 1
            else:
                problems.append(problem)
    where = p.positions
    positions = {k: pos for k in ENTRY_KEYS if (pos := where.get(k)) is not None}
    return problems, Entry(p.path, p.name, digests, positions, dict(p.suppressions) if p.suppressions else _NONE), hidden


_NONE: Mapping[int, tuple[str, ...]] = {}  # one shared empty mapping for the many files without disable comments


def check_corpus(entries: EntryStore, rules: Mapping[str, Rule], levels: Levels,
                 inline: bool = True) -> Iterator[Problem]:
    """The corpus rules' problems, group by group (inline suppressions applied). The rules that
    read one digest with one grouping (the year rules) go through its groups together, so each
    group is read once; each rule still meets its groups in the same order."""
    readers: dict[int, list[str]] = {}
    for rid, r in rules.items():
        channel = entries.channels.get(rid)
        if r.check_all is not None and channel is not None:
            readers.setdefault(channel, []).append(rid)
    for channel, rids in readers.items():
        for group in entries.channel_groups(channel, rids):
            for rid in rids:
                check_all = rules[rid].check_all
                assert check_all is not None
                for entry, f in check_all(group):
                    level = levels(rid, entry.path)
                    if level is None:
                        continue
                    line, col = f.at or entry.positions.get(f.data_path) or entry.positions.get("", (1, 1))
                    problem = Problem(entry.path, line, col, f.message, rid, level, f.data_path)
                    if not (inline and entry.suppressions and suppressed(problem, entry.suppressions)):
                        yield problem


def suppressed(problem: Problem, suppressions: Mapping[int, tuple[str, ...]]) -> bool:
    """True when an inline ``# perfgoals: disable=rule-id`` covers the problem's line."""
    rules = suppressions.get(problem.line, ())
    return problem.rule in rules or "all" in rules
