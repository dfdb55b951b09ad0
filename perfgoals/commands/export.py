"""`perfgoals export`: 导出全部项目与指标，供 DuckDB、pandas、Excel 透视表或 BI 工具分析（逐个项目读写，内存不随数据量增长）。"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import click

from ..problems import InputError
from .common import EXIT_OK, checked_output, fail, progress_bar, select_files

EXPORT_SUFFIXES = {".sqlite": ("sqlite",), ".db": ("sqlite",), ".sqlite3": ("sqlite",)}


def run(
    paths: tuple[Path, ...],
    data_dir: Path | None,
    year: int | None,
    unit: str | None,
    fmt: str | None,
    out: Path | None,
) -> int:
    from .. import corpus
    from .. import export as exporting
    from ..problems import Problem

    from ..atomic import is_stdout

    if out is None:
        fail("请用 -o 指定写到哪里，如 -o 绩效目标.sqlite 或 -o 导出/")
    if is_stdout(out):
        fail("export 写出的是数据库文件或一个文件夹的表格，不能写到标准输出（-o -）；请给出文件名或文件夹")
    if fmt is None:
        fmt = EXPORT_SUFFIXES.get(out.suffix.lower(), ("csv",))[0]
    checked_output(out if out.suffix else None, data_dir)  # a .yaml name inside data/ is a project's place
    if fmt == "sqlite" and out.is_dir():
        fail(f"{out} 是文件夹：sqlite 请给文件名，如 -o 绩效目标.sqlite")
    if fmt != "sqlite" and out.exists() and not out.is_dir():
        fail(f"{out} 是文件：{fmt} 导出到文件夹，如 -o 导出/")
    files, _data = select_files(paths, data_dir, year, unit)
    broken: list[Problem] = []

    def items() -> Iterator[Any]:
        yield from corpus.iter_load(files, broken, step)
        if broken:  # nothing is written when a file cannot be read
            raise InputError(corpus.broken_message(broken))

    with progress_bar(len(files), "导出") as step:
        written, projects, indicators = exporting.export(items(), fmt, out)
    click.echo(f"已导出 {projects} 个项目、{indicators} 个指标：" + "、".join(str(p) for p in written))
    return EXIT_OK
