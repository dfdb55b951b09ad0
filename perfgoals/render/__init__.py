"""Rendering the official form: one renderer per format, all fed by the one form grid.

``RENDERERS`` maps a format name to the module that renders it (imported only when asked for:
each pulls in its own library — jinja2, xlsxwriter, WeasyPrint). A renderer module has
``render(request) -> Written``; the CLI offers the registry's names as ``--format`` choices.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Protocol, Sequence

from ..model import Item
from ..problems import InputError
from ..workspace import ProjectFile, YearListing

#: Format → module with ``render(request) -> Written``.
RENDERERS: Mapping[str, str] = {
    "html": "perfgoals.render.html",
    "xlsx": "perfgoals.render.xlsx",
    "pdf": "perfgoals.render.pdf",
}


@dataclass(frozen=True)
class Request:
    """What to render: the year's project files (already narrowed to a unit when one was asked
    for), an optional project name, where to write, and the form options."""

    year: int
    files: Sequence[ProjectFile]
    out: Path
    unit: str | None = None
    project: str | None = None
    blank_slots: bool = True
    official: bool = False
    templates: Path | None = None
    #: what to render: "target" tables, or a form kept beside them ("selfeval": ``files`` are
    #: ``*.自评.yaml``; "monitor": ``*.监控.yaml``)
    kind: str = "target"
    #: worker processes for a whole year's web pages (None: every core when there are many files)
    jobs: int | None = None
    #: a whole year's unit folders, listed one unit at a time (web pages), instead of ``files``:
    #: a city's file list is never held; ``listed`` says how many project files it has
    listing: YearListing | None = None
    listed: int = 0
    progress: Callable[[int], None] | None = field(default=None, compare=False)
    #: said when ``project`` is not found: the years that do hold it ("；该项目在 2024 年度有…")
    elsewhere: str = ""
    #: unit folder → the full name data/units.yaml gives it (`units.names`): how a unit is shown
    unit_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def selfeval(self) -> bool:
        return self.kind == "selfeval"

    @property
    def beside(self) -> bool:
        """A form kept beside the target tables (a 自评表, a 监控表), rendered one per file."""
        return self.kind != "target"

    @property
    def whole(self) -> bool:
        return self.unit is None and self.project is None


@dataclass(frozen=True)
class Written:
    """The files a renderer wrote and the sentence that tells the user where. (A whole year's
    web pages are too many to list: its ``paths`` holds only the year's index.)"""

    paths: list[Path]
    message: str


class Renderer(Protocol):
    def render(self, req: Request) -> Written: ...


def renderer(fmt: str) -> Renderer:
    """The renderer module of a format (imported on first use)."""
    module: Renderer = importlib.import_module(RENDERERS[fmt])  # a module with render() is a Renderer
    return module


def pick(items: list[Item], project: str | None, elsewhere: str = "") -> list[Item]:
    """The items named ``project`` (all when None); an InputError with the other years that hold
    it (``elsewhere``) or else the closest names."""
    from difflib import get_close_matches
    if project is None:
        return items
    chosen = [i for i in items if i.project.name == project]
    if not chosen:
        if elsewhere:
            raise InputError(f"本年度没有项目“{project}”{elsewhere}")
        names = sorted({i.project.name or "" for i in items})
        close = get_close_matches(project, names, n=5, cutoff=0.3)
        raise InputError(f"没有项目“{project}”" + (f"；相近的项目：{'、'.join(close)}" if close else ""))
    return chosen


def beside(req: Request) -> list[tuple[str, list[Any]]]:
    """The 自评表 or 监控表 of a request (``req.kind``), read and grouped by unit folder (a file
    that cannot be read is an InputError naming its line); with ``req.project`` only that project's."""
    from ..forms import BESIDE, package
    from ..forms.base import KIND_WORDS
    load_file = package(req.kind).load_file
    word = KIND_WORDS[req.kind]
    by_unit: dict[str, list[Any]] = {}
    for f in req.files:
        document, problems = load_file(f.path, f.shown)
        if document is None or problems:
            first = problems[0]
            raise InputError(f"{word}无法读取：{first.path}:{first.line}:{first.column}: {first.message}")
        if req.project is None or document.name == req.project:
            by_unit.setdefault(f.unit or document.unit or "", []).append(document)
    if not by_unit:
        raise InputError(f"没有项目“{req.project}”的{word}{req.elsewhere}" if req.project
                         else f"没有{word}（*{BESIDE[req.kind]}）")
    return sorted(by_unit.items())


def file_word(kind: str) -> str:
    """How a unit's file of a form kept beside the targets is named: 妇联-自评.xlsx, 妇联-监控.pdf."""
    from ..forms import BESIDE
    return BESIDE[kind].strip(".").split(".")[0]


def run(fmt: str, req: Request) -> Written:
    return renderer(fmt).render(req)


__all__ = ["RENDERERS", "Request", "Written", "Renderer", "renderer", "pick", "beside", "file_word", "run"]
