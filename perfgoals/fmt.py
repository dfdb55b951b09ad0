"""`perfgoals fmt`: rewrite project files canonically, like black — and never change their data."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from . import loader, yamlio
from .problems import Problem


@dataclass(frozen=True)
class Formatted:
    """The outcome for one file: its canonical text, or the problem that stopped formatting."""

    path: str
    old: str
    new: str
    problem: Problem | None = None

    @property
    def changed(self) -> bool:
        return self.problem is None and self.old != self.new

    def diff(self) -> str:
        return "".join(difflib.unified_diff(self.old.splitlines(True), self.new.splitlines(True),
                                            f"{self.path}（原）", f"{self.path}（格式化后）"))


def format_text(text: str, path: str = "<文本>") -> Formatted:
    """Canonical text for a project file, verified to hold exactly the same data."""
    project, problems = loader.load_text(text, path)
    blocking = [p for p in problems if p.rule == "syntax" or project is None]
    if blocking:
        return Formatted(path, text, text, blocking[0])
    try:
        new = yamlio.format_text(text)
    except yamlio.FormatError as e:
        return Formatted(path, text, text, Problem(path, e.line, 1, f"YAML 语法错误：{e}", "syntax"))
    try:
        same = loader.plain(new) == loader.plain(text)
    except Exception:  # the check itself failed: treat as "would change", never write
        same = False
    if not same:
        return Formatted(path, text, text, Problem(
            path, 1, 1, "格式化会改变文件中的数据，已拒绝写入（请报告此问题）", "fmt-unsafe"))
    return Formatted(path, text, new)


def read_text(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    """Bytes of a file → text for formatting (a BOM and CRLF are accepted and normalised)."""
    try:
        text = loader.decode(data)
    except loader.BadInput as e:
        return None, Problem(path, e.line, e.column, e.message, e.rule)
    return text.replace("\r\n", "\n"), None
