"""`perfgoals import`: read a source, plan the files of a data tree, write them all or none.

Works on values until the last step: `read` gives the tables, `plan` the paths and texts,
`atomic.write_all` puts them in place (each file staged beside its target first, then all moved in,
so a failure part-way leaves the data tree as it was).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from . import forms, yamlio
from .importers import Imported, ImportFailure, reader, sniff
from .naming import project_path, unit_folder


@dataclass(frozen=True)
class PlannedFile:
    """One file an import writes: path relative to the data directory, and its text."""

    path: str
    text: str


def read(data: bytes, name: str, kind: str, year: int | None) -> tuple[list[Imported], list[ImportFailure]]:
    """The tables of a source; ``kind`` "auto" tells the type from the bytes themselves."""
    if kind == "auto":
        kind = sniff(data, name)
    return reader(kind)(data, name, year)


def other_years(imported: Sequence[Imported], year: int) -> dict[int, int]:
    """Tables whose own 年度 differs from ``year``: their year → how many."""
    found: dict[int, int] = {}
    for item in imported:
        y = item.project.year
        if y is not None and y != year:
            found[y] = found.get(y, 0) + 1
    return found


def plan(imported: Sequence[Imported], year: int, units: Mapping[str, list[str]]) -> tuple[list[PlannedFile], dict[str, list[str]]]:
    """Files for the imported tables under ``<year>/<unit>/``, and the updated units map.

    ``units`` maps a unit folder to the full 实施单位 names it holds (the data directory's
    ``units.yaml``); a full name already listed keeps its folder.
    """
    known = {full: folder for folder, names in units.items() for full in names}
    new_units: dict[str, list[str]] = {folder: list(names) for folder, names in units.items()}
    files: list[PlannedFile] = []
    taken: set[str] = set()
    for item in imported:
        p = item.project
        folder = unit_folder(p.unit, known)
        full = p.unit or folder
        names = new_units.setdefault(folder, [])
        if full not in names:
            names.append(full)
        path = project_path(year, folder, p.name, f"第{item.index}张表")
        form = forms.of(item.beside) if item.beside is not None else None
        suffix = form.suffix if form is not None else ".yaml"
        path = path[: -len(".yaml")] + suffix
        stem = path[: -len(suffix)]
        n = 2
        while path.lower() in taken:  # same name twice in one unit: keep both, lint reports it
            path = f"{stem}-{n}{suffix}"
            n += 1
        taken.add(path.lower())
        if form is not None:  # a 自评表 or 监控表 goes beside its target table
            text = forms.package(form.kind).text(item.beside, item.header or None)
        else:
            text = yamlio.project_text(p, item.notes, item.header)
        files.append(PlannedFile(path, text))
    return files, {k: new_units[k] for k in sorted(new_units)}
