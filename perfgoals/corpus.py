"""Loading many projects for the commands that need them all (summary, diff, render)."""

from __future__ import annotations

from typing import Callable, Iterator, Sequence

from . import loader
from .problems import InputError, Problem
from .model import Item
from .workspace import ProjectFile


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


def grouped_by_unit(old: Sequence[ProjectFile], new: Sequence[ProjectFile],
                    progress: Callable[[int], None] | None = None) -> tuple[dict[str, str], Iterator[tuple[str, list[Item], list[Item]]]]:
    """Two years of files as (unit, old projects, new projects), one unit loaded at a time, for
    `diff.compare_groups`; and the unit folders renamed between them (found from file names, so
    nothing is parsed twice). An unreadable file stops the run with an `InputError`."""
    from .diff import renamed_groups
    from .textnorm import squash

    old_units = {f.unit or "" for f in old}
    new_units = {f.unit or "" for f in new}
    both = old_units & new_units

    def names(files: Sequence[ProjectFile]) -> dict[str, set[str]]:
        """Unit → its project names; only a unit missing from the other year may have been renamed,
        so only those units' names are gathered (a city has 100,000 names, few renamed units)."""
        out: dict[str, set[str]] = {}
        for f in files:
            unit = f.unit or ""
            names = out.setdefault(unit, set())
            if unit not in both:
                names.add(squash(f.path.stem))
        return out

    moved = renamed_groups(names(old), names(new))
    old_by: dict[str, list[ProjectFile]] = {}
    new_by: dict[str, list[ProjectFile]] = {}
    for f in old:
        unit = f.unit or ""
        old_by.setdefault(moved.get(unit, unit), []).append(f)
    for f in new:
        new_by.setdefault(f.unit or "", []).append(f)

    def groups() -> Iterator[tuple[str, list[Item], list[Item]]]:
        for unit in sorted(set(old_by) | set(new_by)):
            broken: list[Problem] = []
            before = list(iter_load(old_by.get(unit, []), broken, progress))
            after = list(iter_load(new_by.get(unit, []), broken, progress))
            if broken:
                raise InputError(broken_message(broken))
            yield unit, before, after
    return moved, groups()
