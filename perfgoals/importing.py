"""Turn imported tables into the files of a data tree (paths and text), without touching disk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from . import yamlio
from .importers import Imported, safe_name, unit_folder

UNITS_FILE = "units.yaml"


@dataclass(frozen=True)
class PlannedFile:
    """One file an import writes: path relative to the data directory, and its text."""

    path: str
    text: str
    source_index: int = 0


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
        stem = safe_name(p.name or f"第{item.index}张表")
        path = f"{year}/{folder}/{stem}.yaml"
        n = 2
        while path.lower() in taken:  # same name twice in one unit: keep both, lint reports it
            path = f"{year}/{folder}/{stem}-{n}.yaml"
            n += 1
        taken.add(path.lower())
        files.append(PlannedFile(path, yamlio.project_text(p, item.notes, item.header), item.index))
    return files, new_units


def units_text(units: Mapping[str, list[str]]) -> str:
    """The units file: each folder with the full 实施单位 names whose projects it holds."""
    return yamlio.units_text({k: units[k] for k in sorted(units)})
