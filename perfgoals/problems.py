"""Problems: what lint, the loader and the importers report, each with an exact location."""

from __future__ import annotations

from typing import Final, NamedTuple

LEVELS: Final = ("error", "warning", "info")
LEVEL_NAMES: Final = {"error": "错误", "warning": "警告", "info": "提示"}


class Problem(NamedTuple):
    """One finding. ``line``/``column`` are 1-based; ``data_path`` names the value in the form.

    A named tuple: a city's run makes millions of them, in worker processes and again in the
    main one, and a tuple is made (and pickled) three times faster than a frozen dataclass.
    Problems order by their fields in turn (path, line, column, …)."""

    path: str
    line: int
    column: int
    message: str
    rule: str = ""
    level: str = "error"
    data_path: str = ""

    def stamped(self, rule: str, level: str) -> "Problem":
        return self._replace(rule=rule, level=level)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        tail = f" [{self.rule}]" if self.rule else ""
        return f"{where}: {self.level} {self.message}{tail}"


class InputError(Exception):
    """Input the tool cannot work with at all (exit code 2). The message is Chinese and complete."""


class BadInput(Exception):
    """A file that cannot be read as a table: where (1-based line and column), the Chinese message,
    and the rule it is reported under (syntax or schema)."""

    def __init__(self, line: int, column: int, message: str, rule: str = "syntax") -> None:
        super().__init__(message)
        self.line, self.column, self.message, self.rule = line, column, message, rule
