"""Loading many projects for the commands that need them all (summary, diff, render)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from . import loader
from .problems import InputError, Problem
from .model import Item
from .workspace import ProjectFile, UnitFolders, YearListing

if TYPE_CHECKING:
    from .diff import GroupResult


def broken_message(broken: Sequence[Problem]) -> str:
    lines = "\n".join(f"  {p.path}:{p.line}:{p.column}: {p.message}" for p in broken[:10])
    more = f"\n  ……共 {len(broken)} 个文件" if len(broken) > 10 else ""
    return f"以下文件无法读取，请先修正（perfgoals lint 可查看详情）：\n{lines}{more}"


def iter_load(files: Sequence[ProjectFile], broken: list[Problem],
              progress: Callable[[int], None] | None = None) -> Iterator[Item]:
    """Projects one at a time (memory stays that of one project); unreadable files go to ``broken``."""
    for f in files:
        if progress:
            progress(1)
        project, problems = loader.load_file(f.raw, f.shown, keep_positions=False)
        if project is None or problems:
            broken.extend(problems[:1])
            continue
        yield Item(project, f.unit)


def load(files: Sequence[ProjectFile], progress: Callable[[int], None] | None = None) -> list[Item]:
    """Every project, or an `InputError` naming the files (and lines) that cannot be read.

    Totals over a set of tables with an unreadable table in it would be wrong, so these
    commands stop instead of skipping it; `perfgoals lint` shows the same problems in full.
    """
    from .runtime import bulk
    broken: list[Problem] = []
    with bulk():
        items = list(iter_load(files, broken, progress))
    if broken:
        raise InputError(broken_message(broken))
    return items


def grouped_by_unit(old: YearListing, new: YearListing, progress: Callable[[int], None] | None = None
                    ) -> tuple[dict[str, str], Iterator[tuple[str, list[Item], list[Item]]]]:
    """Two years as (unit, old projects, new projects), in unit order, one unit listed and loaded
    at a time, for `diff.compare_groups`; and the unit folders renamed between them (found from
    file names, so nothing is parsed twice). An unreadable file stops the run with an `InputError`.

    Memory holds the two years' unit names and one unit's projects: not the years' file lists.
    """
    moved, sources = _pairing(old, new)

    def groups() -> Iterator[tuple[str, list[Item], list[Item]]]:
        for group, units in sources:
            broken: list[Problem] = []
            before = [i for unit in units for i in iter_load(old.files(unit), broken, progress)]
            after = list(iter_load(new.files(group), broken, progress))
            if broken:
                raise InputError(broken_message(broken))
            yield group, before, after
    return moved, groups()


def compared_by_unit(old: YearListing, new: YearListing, money_unit: str, files: int, jobs: int | None = None,
                     progress: Callable[[int], None] | None = None) -> tuple[dict[str, str], Iterator[GroupResult]]:
    """`grouped_by_unit`, each unit compared (`diff.compare_group`) as it comes, for `diff.collect`.
    With ``files`` (both years) at `runtime.POOL_THRESHOLD` or more, worker processes list, load and
    compare runs of units, and only the units' results come back: loading two years is most of a diff."""
    from .diff import compare_group
    from .runtime import POOL_THRESHOLD, workers

    procs = workers(jobs)
    if procs < 2 or files < POOL_THRESHOLD or "" in old.units or "" in new.units:
        moved, groups = grouped_by_unit(old, new, progress)
        return moved, (compare_group(group, before, after, money_unit) for group, before, after in groups)
    moved, sources = _pairing(old, new)
    return moved, _pooled(old, new, sources, money_unit, procs, progress)


def _pairing(old: YearListing, new: YearListing) -> tuple[dict[str, str], list[tuple[str, list[str]]]]:
    """The unit folders renamed between two years, and every unit of the later year (or of the
    earlier, gone) in order with the earlier year's folders it is compared with."""
    from .diff import renamed_groups
    from .textnorm import squash

    old_units, new_units = set(old.units), set(new.units)

    def names(listing: YearListing, others: set[str]) -> dict[str, set[str]]:
        """Unit → its project names; only a unit missing from the other year may have been renamed,
        so only those units' files are listed here (a city has 100,000 names, few renamed units)."""
        return {u: {squash(f.path.stem) for f in listing.files(u)} if u not in others else set()
                for u in listing.units}

    moved = renamed_groups(names(old, new_units), names(new, old_units))
    sources: dict[str, list[str]] = {}  # group → the old unit folders it is compared with
    for unit in old.units:
        sources.setdefault(moved.get(unit, unit), []).append(unit)
    return moved, [(group, sources.get(group, [])) for group in sorted(set(sources) | new_units)]


@dataclass(frozen=True)
class _DiffPart:
    """A run of units for a worker: the two years' folders and, per unit, the earlier year's folders."""

    old: UnitFolders
    new: UnitFolders
    groups: tuple[tuple[str, tuple[str, ...]], ...]
    money_unit: str


#: Units a worker compares at a time: their results come back together (a few hundred project sections).
DIFF_PART = 100


def _pooled(old: YearListing, new: YearListing, sources: list[tuple[str, list[str]]], money_unit: str,
            procs: int, progress: Callable[[int], None] | None) -> Iterator[GroupResult]:
    from .runtime import pool_context

    parts = (_DiffPart(old.part(u for _g, units in run for u in units), new.part(g for g, _u in run),
                       tuple((g, tuple(units)) for g, units in run), money_unit)
             for run in (sources[i:i + DIFF_PART] for i in range(0, len(sources), DIFF_PART)))
    with pool_context().Pool(procs) as pool:
        for results in pool.imap(_compare_part, parts):
            for result, broken, files in results:
                if progress:
                    progress(files)
                if result is None:
                    raise InputError(broken_message(broken))
                yield result


def _compare_part(part: _DiffPart) -> list[tuple[GroupResult | None, list[Problem], int]]:
    """In a worker: each unit of the part listed, loaded and compared; None and the unreadable
    files for a unit that has any."""
    from .diff import compare_group

    out: list[tuple[GroupResult | None, list[Problem], int]] = []
    for group, units in part.groups:
        broken: list[Problem] = []
        earlier = [f for unit in units for f in part.old.files(unit)]
        later = part.new.files(group)
        before, after = list(iter_load(earlier, broken)), list(iter_load(later, broken))
        result = None if broken else compare_group(group, before, after, part.money_unit)
        out.append((result, broken, len(earlier) + len(later)))
    return out
