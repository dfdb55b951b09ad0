"""`perfgoals diff`: what changed between two sets of tables (two years, or two git revisions).

Works on values: two lists of projects in, a `Report` out. Projects are matched by identity
(unit folder and name); what is left over in one unit is paired by similarity (name, indicator
set, money) and reported as 改名 instead of one cancelled and one new project. Targets are
compared through their structured reading, so a lowered target (≥95% → ≥90%, 12次 → 10次, a
deadline moved later) is flagged.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Callable, Iterable, Mapping, Sequence

from . import model as m
from .model import Item
from .spill import SpillList
from .summary import convert
from .target import parse, weakened
from .textnorm import squash

ZERO = Decimal(0)
RENAME_THRESHOLD = 0.5

MONEY_FIELDS: tuple[tuple[str, Callable[[m.Project], Decimal | None]], ...] = (
    ("项目资金总额", lambda p: p.funds.total),
    ("财政资金", lambda p: p.funds.fiscal),
    ("其他资金（项目）", lambda p: p.funds.other),
    ("年度资金申请总额", lambda p: p.annual.total),
    ("当年财政拨款", lambda p: p.annual.appropriation),
    ("上年结转资金", lambda p: p.annual.carryover),
    ("其他资金（年度）", lambda p: p.annual.other),
)
HEADER_FIELDS: tuple[tuple[str, Callable[[m.Project], str | None]], ...] = (
    ("项目类别", lambda p: p.category),
    ("项目性质", lambda p: p.nature),
    ("主管部门", lambda p: p.department),
    ("实施单位", lambda p: p.unit),
    ("计划开始日期", lambda p: p.start),
    ("计划完成日期", lambda p: p.end),
    ("总目标期间", lambda p: p.period),
    ("金额单位", lambda p: p.money_unit),
)


@dataclass(frozen=True)
class Change:
    """One difference inside a project.

    ``kind``: money | field | goal | indicator-added | indicator-removed | indicator-moved | target.
    """

    kind: str
    what: str
    before: str | None = None
    after: str | None = None
    lowered: bool = False
    note: str = ""


@dataclass(frozen=True)
class ProjectDiff:
    """A project that was added, removed, renamed or changed."""

    group: str
    status: str  # added | removed | renamed | changed
    name: str
    old_name: str | None = None
    annual_before: Decimal | None = None
    annual_after: Decimal | None = None
    changes: tuple[Change, ...] = ()
    similarity: float | None = None

    @property
    def lowered_targets(self) -> list[Change]:
        return [c for c in self.changes if c.lowered]


@dataclass(frozen=True)
class GroupTotal:
    group: str
    count_before: int
    count_after: int
    before: Decimal
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class Report:
    before_label: str
    after_label: str
    #: in report order (group, then added, removed, renamed, changed, then name); a city's diff
    #: has a section per changed project, so they wait on disk (`spill.SpillList`)
    projects: SpillList[ProjectDiff]
    totals: list[GroupTotal]
    money_unit: str = "万元"
    unchanged: int = 0
    #: Groups (unit folders) renamed as a whole: (old name, new name).
    renamed_groups: tuple[tuple[str, str], ...] = ()
    #: every lowered target (project, change), in report order; the project without its changes,
    #: so that what waits on disk is not held here again
    lowered: SpillList[tuple[ProjectDiff, Change]] = field(default_factory=SpillList)
    #: projects per status (added, removed, renamed, changed)
    counts: Mapping[str, int] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def changed(self) -> bool:
        return bool(self.projects or self.renamed_groups)

    @property
    def total_before(self) -> Decimal:
        return sum((t.before for t in self.totals), ZERO)

    @property
    def total_after(self) -> Decimal:
        return sum((t.after for t in self.totals), ZERO)

    def by_status(self, status: str) -> list[ProjectDiff]:
        return [p for p in self.projects if p.status == status] if self.count(status) else []


def percent(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    if before is None or after is None or before == 0:
        return None
    return (after - before) * Decimal(100) / before


def fmt_money(value: Decimal | None) -> str:
    return "空" if value is None else format(value, "f")


def _norm(name: str | None) -> str:
    return squash(name or "")


def _indicators(p: m.Project) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for _path, group, _i, row in p.rows():
        key = _norm(row.name)
        if key and key not in out:
            out[key] = (group.level2, row.value)
    return out


def word_diff(before: str, after: str, context: int = 6) -> str:
    """A compact character-level diff of two Chinese texts: ``…上下文[-删去-]{+新增+}上下文…``.

    Changes separated by one or two unchanged characters are shown as one change
    ("十九大" → "二十大" reads [-十九-]{+二十+}, not {+二+}十[-九-]).
    """
    ops: list[tuple[str, int, int, int, int]] = []
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        op = str(tag)
        if ops and op != "equal" and ops[-1][0] != "equal":
            ops[-1] = ("replace", ops[-1][1], a2, ops[-1][3], b2)
        elif (op != "equal" and len(ops) >= 2 and ops[-1][0] == "equal" and ops[-2][0] != "equal"
              and ops[-1][2] - ops[-1][1] <= 2):
            ops.pop()
            ops[-1] = ("replace", ops[-1][1], a2, ops[-1][3], b2)
        else:
            ops.append((op, a1, a2, b1, b2))
    parts: list[str] = []
    for op, a1, a2, b1, b2 in ops:
        if op == "equal":
            chunk = before[a1:a2]
            if len(chunk) > 2 * context:
                head = chunk[:context] if parts else ""
                tail = chunk[-context:] if a2 < len(before) else ""
                chunk = f"{head}…{tail}"
            parts.append(chunk)
            continue
        if a2 > a1:
            parts.append(f"[-{before[a1:a2]}-]")
        if b2 > b1:
            parts.append(f"{{+{after[b1:b2]}+}}")
    return "".join(parts)


def compare_projects(old: Item, new: Item, money_unit: str = "万元") -> list[Change]:
    """Everything that differs between two versions of one project."""
    a, b = old.project, new.project
    changes: list[Change] = []
    for label, get in MONEY_FIELDS:
        x, y = convert(old, get(a), money_unit), convert(new, get(b), money_unit)
        if x != y:
            pct = percent(x, y)
            note = "" if x is None or y is None else f"{'+' if y >= x else ''}{fmt_money(y - x)}"
            if pct is not None:
                note += f"（{'+' if pct >= 0 else ''}{pct:.1f}%）"
            changes.append(Change("money", label, fmt_money(x), fmt_money(y), note=note))
    for label, getf in HEADER_FIELDS:
        if getf(a) != getf(b):
            changes.append(Change("field", label, getf(a), getf(b)))
    for label, before, after in (("项目总目标", a.goal_total, b.goal_total), ("年度总体目标", a.goal_annual, b.goal_annual)):
        if (before or "") != (after or ""):
            changes.append(Change("goal", label, before, after, note=word_diff(before or "", after or "")))
    old_rows, new_rows = _indicators(a), _indicators(b)
    for key, (level2, value) in old_rows.items():
        if key not in new_rows:  # a commitment taken back: shown with the lowered targets
            changes.append(Change("indicator-removed", f"{level2} / {key}", value, None, lowered=True,
                                  note="删去指标"))
    for key, (level2, value) in new_rows.items():
        if key not in old_rows:
            changes.append(Change("indicator-added", f"{level2} / {key}", None, value))
            continue
        old_level2, old_value = old_rows[key]
        if old_level2 != level2:
            changes.append(Change("indicator-moved", key, old_level2, level2))
        if (old_value or "") != (value or ""):
            note = weakened(parse(old_value), parse(value), lower_is_better=level2.endswith("成本指标"))
            changes.append(Change("target", f"{level2} / {key}", old_value, value, lowered=bool(note), note=note))
    return changes


def similarity(old: Item, new: Item) -> float:
    """How alike two projects are (0–1): name 50%, indicator names 30%, money 20%."""
    return _Traits(old).similarity(_Traits(new))


class _Traits:
    """What `similarity` reads of a project, worked out once: a unit's left-over projects are
    compared pair by pair."""

    __slots__ = ("name", "rows", "money")

    def __init__(self, item: Item) -> None:
        self.name = _norm(item.project.name)
        self.rows = set(_indicators(item.project))
        self.money = convert(item, item.project.annual.total, "万元")

    def similarity(self, other: _Traits, at_least: float = 0.0) -> float:
        """`similarity`; below ``at_least`` it may answer any value below ``at_least`` (the name
        comparison, the slow part, is skipped when even an upper bound of it falls short)."""
        ra, rb = self.rows, other.rows
        rows = len(ra & rb) / len(ra | rb) if ra | rb else 0.0
        x, y = self.money, other.money
        money = 0.0
        if x is not None and y is not None and max(x, y) > 0:
            money = float(1 - abs(x - y) / max(x, y))
        matcher = difflib.SequenceMatcher(None, self.name, other.name)
        if at_least > 0.0:
            # the quick ratios are upper bounds of ratio(): the score can only be lower
            bound = 0.5 * matcher.real_quick_ratio() + 0.3 * rows + 0.2 * money
            if bound < at_least:
                return bound
            bound = 0.5 * matcher.quick_ratio() + 0.3 * rows + 0.2 * money
            if bound < at_least:
                return bound
        return 0.5 * matcher.ratio() + 0.3 * rows + 0.2 * money


GROUP_RENAME_THRESHOLD = 0.6
"""Share of a vanished group's projects that must reappear (by name) in a new group for the two
to be one renamed unit folder rather than many cancelled and many new projects."""


def renamed_groups(old: Mapping[str, set[str]], new: Mapping[str, set[str]],
                   alike: Callable[[str, str], int] | None = None) -> dict[str, str]:
    """Groups (unit folders) that vanished from ``old`` and reappear under another name in ``new``;
    each side maps a group to the (normalised) names of its projects. ``alike(a, b)``: how many
    more projects of ``a`` and ``b`` are the same project under another name (by content), when
    the projects themselves are at hand.

    >>> renamed_groups({"妇联": {"甲", "乙", "丙", "丁", "戊"}}, {"妇女联合会": {"甲", "乙", "丙", "己"}})
    {}
    >>> renamed_groups({"妇联": {"甲", "乙", "丙", "丁", "戊"}}, {"妇女联合会": {"甲", "乙", "丙", "己"}},
    ...                lambda a, b: 1)
    {'妇联': '妇女联合会'}
    """
    gone = [g for g in old if g not in new]
    came = [g for g in new if g not in old]

    def matched(a: str, b: str) -> float:
        shared = len(old[a] & new[b])
        if alike is not None and shared < len(old[a] | new[b]):
            shared += alike(a, b)
        return shared / (len(old[a]) + len(new[b]) - shared) if old[a] or new[b] else 0.0

    scored = sorted(((matched(a, b), a, b) for a in gone for b in came), reverse=True)
    mapping: dict[str, str] = {}
    for score, a, b in scored:
        if score >= GROUP_RENAME_THRESHOLD and a not in mapping and b not in mapping.values():
            mapping[a] = b
    return mapping


def renamed_within(old: Sequence[Item], new: Sequence[Item]) -> int:
    """How many projects of ``old`` not named in ``new`` are, by content, one there under another
    name (the pairing `compare_group` would make)."""
    names = {_norm(i.project.name) for i in new}
    olds = {_norm(i.project.name) for i in old}
    return len(_renames([i for i in old if _norm(i.project.name) not in names],
                        [i for i in new if _norm(i.project.name) not in olds]))


def _renames(gone: Sequence[Item], added: Sequence[Item]) -> list[tuple[float, int, int]]:
    """(similarity, index in ``gone``, index in ``added``) of the projects renamed: the most similar
    pairs first, each project in one pair; a pair below the threshold is never made, so its exact
    score is not needed."""
    if not gone or not added:
        return []
    old_traits = [_Traits(o) for o in gone]
    new_traits = [_Traits(n) for n in added]
    pairs = sorted(((score, oi, ni) for oi, o in enumerate(old_traits) for ni, n in enumerate(new_traits)
                    if (score := o.similarity(n, RENAME_THRESHOLD)) >= RENAME_THRESHOLD), key=lambda t: -t[0])
    used_old: set[int] = set()
    used_new: set[int] = set()
    made = []
    for score, oi, ni in pairs:
        if oi not in used_old and ni not in used_new:
            used_old.add(oi)
            used_new.add(ni)
            made.append((score, oi, ni))
    return made


def names_by_group(items: Iterable[Item], group_of: Callable[[Item], str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for i in items:
        out[group_of(i)].add(_norm(i.project.name))
    return out


def compare(old: Sequence[Item], new: Sequence[Item], before_label: str, after_label: str,
            group_of: Callable[[Item], str], money_unit: str = "万元") -> Report:
    """Compare two sets of projects. ``group_of`` gives the group (the unit folder, with the year
    where several years are compared); a project is the same project when its group and name are.

    A group that vanished and reappears under another name with most of its projects is one
    renamed group (a unit folder renamed), not many cancelled and many new projects.
    """
    by_old: dict[str, list[Item]] = defaultdict(list)
    by_new: dict[str, list[Item]] = defaultdict(list)
    for i in old:
        by_old[group_of(i)].append(i)
    for i in new:
        by_new[group_of(i)].append(i)
    moved = renamed_groups(names_by_group(old, group_of), names_by_group(new, group_of),
                           lambda a, b: renamed_within(by_old[a], by_new[b]))
    old_by: dict[str, list[Item]] = defaultdict(list)
    new_by: dict[str, list[Item]] = defaultdict(list)
    for g, items in by_old.items():
        old_by[moved.get(g, g)].extend(items)
    for g, items in by_new.items():
        new_by[g].extend(items)
    groups = ((g, old_by.get(g, []), new_by.get(g, [])) for g in sorted(set(old_by) | set(new_by)))
    return compare_groups(groups, before_label, after_label, money_unit, moved)


def compare_groups(groups: Iterable[tuple[str, Sequence[Item], Sequence[Item]]], before_label: str, after_label: str,
                   money_unit: str = "万元", moved: Mapping[str, str] | None = None) -> Report:
    """Compare group by group: (group, its old projects, its new projects), the old ones already
    under the group's new name where the group was renamed. Projects are matched only within their
    group, so a caller may load one group at a time (memory: one unit, not the whole year).
    Groups must come in order of their names: each group's differences go to the report as
    soon as they are found."""
    return collect((compare_group(group, old, new, money_unit) for group, old, new in groups),
                   before_label, after_label, money_unit, moved)


@dataclass(frozen=True)
class GroupResult:
    """One group compared (`compare_group`): its differences in report order, how many of its
    projects did not change, and its totals. Small enough to come back from a worker process."""

    group: str
    diffs: list[ProjectDiff]
    unchanged: int
    total: GroupTotal


def compare_group(group: str, old: Sequence[Item], new: Sequence[Item], money_unit: str = "万元") -> GroupResult:
    found, same = _compare_group(group, old, new, money_unit)
    found.sort(key=lambda d: (_ORDER[d.status], d.name))
    return GroupResult(group, found, same, GroupTotal(group, len(old), len(new),
                                                      sum((_annual(i, money_unit) or ZERO for i in old), ZERO),
                                                      sum((_annual(i, money_unit) or ZERO for i in new), ZERO)))


def collect(results: Iterable[GroupResult], before_label: str, after_label: str, money_unit: str = "万元",
            moved: Mapping[str, str] | None = None) -> Report:
    """The report of groups compared one by one (in order of their names), wherever they were compared."""
    diffs: SpillList[ProjectDiff] = SpillList(DIFFS_KEPT)
    lowered: SpillList[tuple[ProjectDiff, Change]] = SpillList(DIFFS_KEPT)
    counts: Counter[str] = Counter()
    unchanged = 0
    group_totals: list[GroupTotal] = []
    last: str | None = None
    for result in results:
        if last is not None and result.group < last:
            raise ValueError(f"groups out of order: {result.group!r} after {last!r}")
        last = result.group
        for d in result.diffs:
            diffs.append(d)
            counts[d.status] += 1
            if any(c.lowered for c in d.changes):
                bare = replace(d, changes=())
                lowered.extend((bare, c) for c in d.changes if c.lowered)
        unchanged += result.unchanged
        group_totals.append(result.total)
    group_totals.sort(key=lambda t: (-abs(t.difference), t.group))
    return Report(before_label, after_label, diffs, group_totals, money_unit, unchanged,
                  tuple(sorted((moved or {}).items())), lowered, dict(counts))


#: Project sections (and lowered targets) kept in memory before the report moves them to disk: a changed project's
#: section holds all its changes (some 5 KB), so far fewer than `spill.KEEP` small items.
DIFFS_KEPT = 500

_ORDER = {"added": 0, "removed": 1, "renamed": 2, "changed": 3}


def _annual(i: Item | None, money_unit: str) -> Decimal | None:
    return None if i is None else convert(i, i.project.annual.total, money_unit)


def _compare_group(group: str, old: Sequence[Item], new: Sequence[Item], money_unit: str) -> tuple[list[ProjectDiff], int]:
    """The differences inside one group, and how many of its projects did not change."""
    old_by = {_norm(i.project.name): i for i in old}
    new_by = {_norm(i.project.name): i for i in new}
    diffs: list[ProjectDiff] = []
    unchanged = 0
    for key in [k for k in new_by if k in old_by]:
        o, n = old_by[key], new_by[key]
        changes = compare_projects(o, n, money_unit)
        if changes:
            diffs.append(ProjectDiff(group, "changed", n.project.name or "", None, _annual(o, money_unit),
                                     _annual(n, money_unit), tuple(changes)))
        else:
            unchanged += 1
    gone = [i for k, i in old_by.items() if k not in new_by]
    added = [i for k, i in new_by.items() if k not in old_by]
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, oi, ni in _renames(gone, added):
        used_old.add(oi)
        used_new.add(ni)
        o, n = gone[oi], added[ni]
        diffs.append(ProjectDiff(group, "renamed", n.project.name or "", o.project.name, _annual(o, money_unit),
                                 _annual(n, money_unit), tuple(compare_projects(o, n, money_unit)), round(score, 2)))
    for i, o in enumerate(gone):
        if i not in used_old:
            diffs.append(ProjectDiff(group, "removed", o.project.name or "", None, _annual(o, money_unit), None))
    for i, n in enumerate(added):
        if i not in used_new:
            diffs.append(ProjectDiff(group, "added", n.project.name or "", None, None, _annual(n, money_unit)))
    return diffs, unchanged
