"""`perfgoals monitor`: 年中绩效运行监控：预算执行进度与绩效目标实现程度，按预警由重到轻列出。"""

from __future__ import annotations

from pathlib import Path

import click

from .common import EXIT_OK, checked_output, output_format, select_files, write_output, write_workbook

MONITOR_SUFFIXES = {".xlsx": ("xlsx",), ".csv": ("csv",), ".json": ("json",), ".md": ("markdown",),
                    ".txt": ("text",)}


def run(
    paths: tuple[Path, ...],
    data_dir: Path | None,
    year: int | None,
    unit: str | None,
    fmt: str | None,
    output: Path | None,
    config: Path | None,
) -> int:
    from ..lint import config as lconf
    from ..monitor import report

    out_file = checked_output(output, data_dir)
    fmt = output_format(out_file, fmt, MONITOR_SUFFIXES, "text")
    files, _data = select_files(paths, data_dir, year, unit, "monitor")
    rows = report.load(files, lconf.load(config, Path.cwd()).thresholds())
    if fmt == "xlsx":
        write_workbook(out_file, report.projects(rows), "-o 监控.xlsx")
        return EXIT_OK
    text = report.FORMATS[fmt](rows)
    if out_file is not None:
        write_output(out_file, text, f"已写入 {out_file}")
    else:
        click.echo(text, nl=False)
    return EXIT_OK
