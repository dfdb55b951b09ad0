"""File and folder names: one place that decides what a project or unit folder is called.

Names come from the form (项目名称, 实施单位) and must be valid on every OS and never lead out
of the folder they are written into.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Mapping

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


#: A name's most bytes (UTF-8): room left in 255 for ".自评.yaml", a "-2" and a temporary suffix.
MAX_NAME_BYTES = 180


def safe_name(name: str, limit: int = 80) -> str:
    """A file or folder name valid on every OS: no / \\ : * ? " < > |, no leading dot, not CON…
    A long name is shortened (the file keeps the whole 项目名称 inside)."""
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub("_", name).strip().strip(".").strip()
    name = name.replace("..", "_")
    if not name:
        name = "未命名"
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    name = name[:limit]
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    return name.rstrip(". ")


def project_path(year: int, folder: str, name: str | None, fallback: str = "未命名项目") -> str:
    """A project file's path inside the data directory: ``<year>/<unit folder>/<name>.yaml``."""
    return f"{year}/{folder}/{safe_name(name or fallback)}.yaml"
