"""Problems: what lint, the loader and the importers report, each with an exact location."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

LEVELS: Final = ("error", "warning", "info")
LEVEL_NAMES: Final = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One finding. ``line``/``column`` are 1-based; ``data_path`` names the value in the form."""

    path: str
    line: int
    column: int
    message: str
    rule: str = ""
    level: str = "error"
    data_path: str = ""

    def stamped(self, rule: str, level: str) -> "Problem":
        return replace(self, rule=rule, level=level)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        tail = f" [{self.rule}]" if self.rule else ""
        return f"{where}: {self.level} {self.message}{tail}"


class InputError(Exception):
    """Input the tool cannot work with at all (exit code 2). The message is Chinese and complete."""
