"""Importers: other formats → projects, and where each project's YAML file goes.

``IMPORTERS`` maps a source kind to a reader ``(data, source_name, year) -> (imported, failures)``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .. import model as m



@dataclass(frozen=True)
class Imported:
    """One table read from a source, with the notes the importer leaves as YAML comments."""

    project: m.Project
    notes: Mapping[str, str] = field(default_factory=dict)
    header: str = ""
    index: int = 0
    line: int = 0
    #: a form kept beside a target table, read from the source (a 自评表, a 监控表); then
    #: ``project`` holds only its header: name, year, unit
    beside: Any = None
    #: what could not be read as it stands (an amount "4.2万元" written as null), for the screen
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportFailure:
    """A table the importer could not read: its number in the source and the source line."""

    index: int
    line: int
    message: str


#: Source kind → the module whose ``read_source(data, source, year)`` reads it (imported lazily:
#: the Excel reader pulls in openpyxl, which nothing else needs).
IMPORTERS: Mapping[str, str] = {
    "text": "perfgoals.importers.text",
    "xlsx": "perfgoals.importers.xlsx",
    "pdf": "perfgoals.importers.pdf",
}


def reader(kind: str) -> Callable[[bytes, str, int | None], tuple[list[Imported], list[ImportFailure]]]:
    """The reader for a source kind, imported only when needed."""
    return importlib.import_module(IMPORTERS[kind]).read_source  # type: ignore[no-any-return]


#: Leading bytes of file types people try to import, and what to say about each.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文件（.xls 或 .doc）"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"{\\rtf", "RTF 文档"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
)
WHAT_WE_READ = ("perfgoals 能导入：PDF 表格提取工具导出的文本（.txt，UTF-8，制表符分隔，如 data/sources/ 中的文件）、"
                "官方表式的 Excel 工作簿（.xlsx，本工具生成的或按同一表式填写的）和按官方表式排版、有文字层的 PDF")


def sniff(data: bytes, name: str) -> str:
    """The importer for a source, from its bytes (the extension can lie); an InputError that says
    what the file is and what we read when it is something else."""
    from ..problems import InputError
    if data.startswith(b"%PDF"):
        return "pdf"
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            extra = "；旧版 .xls 请在 Excel/WPS 中另存为 .xlsx" if "xls" in what else ""
            raise InputError(f"{name} 是{what}，不能直接导入。{WHAT_WE_READ}{extra}")
    if data.startswith(b"PK\x03\x04"):
        if b"xl/" in data[:65536] or b"[Content_Types].xml" in data[:65536] and b"word/" not in data[:65536]:
            return "xlsx"
        what = "Word 文档（.docx）" if b"word/" in data[:65536] else "ZIP 压缩包"
        raise InputError(f"{name} 是{what}，不能直接导入。{WHAT_WE_READ}")
    return "text"
