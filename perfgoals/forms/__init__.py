"""The official forms: one picture of each (`Form`), one registry (`FORMS`) and the one answer
to "which form is this document" (`of`). Everything that prints, reads or creates a form asks
here: titles, the 一级/二级 vocabulary, blank rows, the money unit, whether 项目性质 is shown.

Adding a form is one module defining ``FORM`` and one line below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from . import monitor2019, national88, province2021, selfeval2020, shenbao101, town2024
from .base import BENEFIT, COST, LEVEL1_ORDER, OUTPUT, SATISFACTION, Form

FORMS: Mapping[str, Form] = {f.id: f for f in (
    town2024.FORM,
    shenbao101.FORM,
    selfeval2020.FORM,
    national88.FORM,
    province2021.FORM,
    monitor2019.FORM,
)}

TOWN_2024, SHENBAO_101, SELFEVAL_2020, MONITOR_2019 = town2024.FORM, shenbao101.FORM, selfeval2020.FORM, monitor2019.FORM
#: What ``perfgoals new --form`` takes: each target form's id and its aliases.
NEW_CHOICES: tuple[str, ...] = tuple(n for f in FORMS.values() if f.kind == "target" for n in (f.id, *f.aliases))
#: The titles of the target tables, as importers look for them at the top of a page or sheet.
TARGET_TITLES: tuple[str, ...] = tuple(f.title for f in FORMS.values() if f.kind == "target")


def of(document: Any) -> Form:
    """The form a document is: a 自评表 is the 自评表; a target table is the 申报表 when anything
    only the 申报表 has is there — 成本指标 as a 一级 indicator, a 项目性质, one of its 项目类别
    (特定目标类…) — and the town's table otherwise. Title, header, blank rows and YAML keys all
    follow this one answer."""
    if hasattr(document, "budget_weight"):  # a selfeval.SelfEval
        return SELFEVAL_2020
    if hasattr(document, "months"):  # a monitor.Monitor
        return MONITOR_2019
    if document.form:  # a file in a form's own words said which
        return FORMS[document.form]
    from ..model import NEW_CATEGORIES
    if COST in document.level1_names() or document.nature is not None or document.category in NEW_CATEGORIES:
        return SHENBAO_101
    return TOWN_2024


#: The kinds of file a project has beside its target table, with how their names end (``.自评.yaml``).
BESIDE: Mapping[str, str] = {f.kind: f.suffix for f in FORMS.values() if f.suffix != ".yaml"}


def file_kind(name: str) -> str:
    """What a project file is by its name: "target" (``x.yaml``) or the kind of a form kept
    beside it ("selfeval" for ``x.自评.yaml``)."""
    for kind, suffix in BESIDE.items():
        if name.endswith(suffix):
            return kind
    return "target"


def package(kind: str) -> Any:
    """The package of a form kept beside a target table ("selfeval", "monitor"): reads and writes it."""
    import importlib
    return importlib.import_module(next(f.package for f in FORMS.values() if f.kind == kind and f.package))


def beside_path(path: Path, kind: str, other: str) -> Path:
    """The file of kind ``other`` beside a project file of ``kind`` (a `pathlib.Path`):
    ``x.监控.yaml`` → ``x.yaml`` (target) or ``x.自评.yaml`` (selfeval)."""
    stem = path.name[: -len(BESIDE.get(kind, ".yaml"))]
    return path.with_name(stem + BESIDE.get(other, ".yaml"))


def by_keys(keys: Any) -> Form | None:
    """The form whose own words a file's top-level keys are (None: the Shanghai files' keys)."""
    present = set(keys)
    best = max(((len(f.marks & present), f) for f in FORMS.values() if f.layout), key=lambda t: t[0], default=(0, None))
    return best[1] if best[0] else None


def named(name: str) -> Form:
    """A form by its id or an alias (``new --form 101``); KeyError when there is none."""
    for form in FORMS.values():
        if name == form.id or name in form.aliases:
            return form
    raise KeyError(name)


def by_title(text: str) -> Form | None:
    """The form (other than the 自评表, which has its own reader) whose title a (squashed) text
    holds, the longest title first."""
    for form in sorted((f for f in FORMS.values() if f.kind != "selfeval"), key=lambda f: -len(f.title)):
        if form.title in text:
            return form
    return None


__all__ = ["FORMS", "Form", "of", "named", "by_title", "by_keys", "file_kind", "beside_path", "package", "BESIDE", "TARGET_TITLES", "NEW_CHOICES", "TOWN_2024", "SHENBAO_101", "SELFEVAL_2020", "MONITOR_2019",
           "OUTPUT", "COST", "BENEFIT", "SATISFACTION", "LEVEL1_ORDER"]
