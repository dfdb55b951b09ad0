"""Importers: other formats → projects, and where each project's YAML file goes.

``IMPORTERS`` maps a source kind to a reader ``(data, source_name, year) -> (imported, failures)``.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Mapping

from .. import model as m


@dataclass(frozen=True)
class Imported:
    """One table read from a source, with the notes the importer leaves as YAML comments."""

    project: m.Project
    notes: Mapping[str, str] = field(default_factory=dict)
    header: str = ""
    index: int = 0
    line: int = 0


@dataclass(frozen=True)
class ImportFailure:
    """A table the importer could not read: its number in the source and the source line."""

    index: int
    line: int
    message: str


#: Short, stable folder names for 实施单位 whose full name does not shorten well by rule.
KNOWN_UNITS: Mapping[str, str] = {
    "共青团浦江镇委员会": "团委",
    "上海市闵行区浦江镇纪律检查委员会": "纪委",
    "党建工作办公室": "党建办",
    "浦江镇党群办（文明办）": "党群办",
    "闵行区房地产交易中心浦江分中心": "房地产交易中心",
    "上海市闵行区浦江镇人民武装部": "武装部",
    "浦江市场监督管理所": "市场监督管理所",
}
_PREFIXES = ("上海市", "闵行区", "浦江镇人民政府-", "浦江镇人民政府", "浦江镇", "社事办")
_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def unit_folder(unit: str | None, known: Mapping[str, str] | None = None) -> str:
    """The folder name for a 实施单位: a known short name, or the name without place prefixes."""
    if not unit:
        return "未填实施单位"
    table = {**KNOWN_UNITS, **(known or {})}
    if unit in table:
        return safe_name(table[unit])
    short = unit
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if short.startswith(prefix) and len(short) > len(prefix) + 1:
                short = short[len(prefix):]
                changed = True
    short = re.sub(r"[（(][^）)]*[）)]$", "", short) or short
    return safe_name(short)


def safe_name(name: str, limit: int = 80) -> str:
    """A file or folder name valid on every OS: no / \\ : * ? " < > |, no leading dot, not CON…"""
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub("_", name).strip().strip(".").strip()
    name = name.replace("..", "_")
    if not name:
        name = "未命名"
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    return name[:limit].rstrip(". ")


#: Source kind → the module whose ``read_source(data, source, year)`` reads it (imported lazily:
#: the Excel reader pulls in openpyxl, which nothing else needs).
IMPORTERS: Mapping[str, str] = {
    "text": "perfgoals.importers.text",
    "xlsx": "perfgoals.importers.xlsx",
}


def reader(kind: str) -> Callable[[bytes, str, int | None], tuple[list[Imported], list[ImportFailure]]]:
    """The reader for a source kind, imported only when needed."""
    return importlib.import_module(IMPORTERS[kind]).read_source  # type: ignore[no-any-return]
