"""Loading many projects for the commands that need them all (summary, diff, render)."""

from __future__ import annotations

from typing import Callable, Iterator, Sequence

from . import loader
from .problems import InputError, Problem
from .model import Item
from .workspace import ProjectFile, YearListing


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

    def groups() -> Iterator[tuple[str, list[Item], list[Item]]]:
        for group in sorted(set(sources) | new_units):
            broken: list[Problem] = []
            before = [i for unit in sources.get(group, []) for i in iter_load(old.files(unit), broken, progress)]
            after = list(iter_load(new.files(group), broken, progress)) if group in new_units else []
            if broken:
                raise InputError(broken_message(broken))
            yield group, before, after
    return moved, groups()
