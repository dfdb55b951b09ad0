"""`perfgoals review`: 合并请求审核：一份报告说清这次改动做了什么。"""

from __future__ import annotations

from pathlib import Path

import click

from .common import (
    EXIT_FOUND,
    EXIT_OK,
    checked_output,
    output_format,
    progress_bar,
    resolve_data,
    unit_folder,
    write_output,
)

REPORT_SUFFIXES = {".md": ("markdown",), ".txt": ("text",), ".json": ("json",)}


def run(
    rev: str,
    data_dir: Path | None,
    year: int | None,
    unit: str | None,
    fmt: str | None,
    output: Path | None,
    config: Path | None,
    money_unit: str,
    trust_config: bool,
    jobs: int | None,
) -> int:
    from .. import review as reviewing
    from .. import reviewreport
    from ..lint import config as lconf

    output = checked_output(output, data_dir)
    fmt = output_format(output, fmt, REPORT_SUFFIXES, "text")
    data = resolve_data(data_dir)
    folder = unit_folder(data, unit)
    conf = lconf.load(config, Path.cwd())
    with progress_bar(0, "比较两个版本"):
        result = reviewing.build(data, rev, conf, year, folder, money_unit, jobs)
    text = reviewreport.FORMATS[fmt](result)
    if output is not None:
        write_output(output, text, f"已写入 {output}", err=True)
    else:
        click.echo(text, nl=False)
    return EXIT_FOUND if result.new_errors or (result.hidden_errors and not trust_config) else EXIT_OK
