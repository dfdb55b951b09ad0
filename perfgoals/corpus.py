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
        project, problems = loader.load_file(f.path, f.shown, keep_positions=False)
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
