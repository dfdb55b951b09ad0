"""`perfgoals summary`: 汇总资金：按实施单位、项目类别、主管部门统计项目数与各项金额（精确到分），及占比。"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

import click

from ..problems import InputError
from .common import (
    EXIT_OK,
    checked_output,
    chosen_year,
    echo_lines,
    fail,
    output_format,
    progress_bar,
    resolve_data,
    unit_folder,
    write_output,
    write_workbook,
)

SUMMARY_SUFFIXES = {".xlsx": ("xlsx",), ".csv": ("csv",), ".json": ("json",), ".md": ("markdown",), ".txt": ("text",)}


def run(
    data_dir: Path | None,
    year: int | None,
    by: tuple[str, ...],
    unit: str | None,
    department: str | None,
    category: str | None,
    money_unit: str,
    fmt: str | None,
    output: Path | None,
) -> int:
    from .. import corpus, report
    from .. import summary as summ
    from ..problems import Problem
    from ..workspace import project_files

    if "indicator-level" in by and len(by) > 1:
        fail("--by indicator-level 只能单独使用")
    if len(set(by)) != len(by) or len(by) > 2:
        fail("--by 最多给两个不同的维度（两个维度得到交叉表）")
    out_file = checked_output(output, data_dir)
    fmt = output_format(out_file, fmt, SUMMARY_SUFFIXES, "text")
    data = resolve_data(data_dir)
    folder = unit_folder(data, unit)
    y = chosen_year(data, year)
    files = project_files([data / str(y)], data, y, folder)
    broken: list[Problem] = []
    matched = 0

    def counted(items: Iterable[Any]) -> Iterator[Any]:
        nonlocal matched
        for item in items:
            matched += 1
            yield item

    with progress_bar(len(files), "读取") as step:  # a stream: running sums, one project at a time
        table = summ.total(
            counted(summ.select(corpus.iter_load(files, broken, step), None, department, category)), by, money_unit
        )
    del files  # 50,000 file names are not needed to print the table
    if broken:  # totals over a set with an unreadable table in it would be wrong
        raise InputError(corpus.broken_message(broken))
    if not matched:
        from ..workspace import elsewhere, years_holding

        fail(
            f"{y} 年度没有符合条件的项目"
            + (f"（单位“{folder}”）" if folder else "")
            + (elsewhere("该单位", years_holding(data, unit=folder, besides=y)) if folder else "")
        )
    table = report.Table(
        f"{y} 年度 {table.title}", table.columns, table.rows, table.footer, table.notes, table.chart_column
    )
    if fmt == "xlsx":
        write_workbook(out_file, table, "-o 汇总.xlsx")
        return EXIT_OK
    if fmt == "text" and out_file is None:
        echo_lines(report.text_lines(table))  # a row per unit: printed as it is laid out
        return EXIT_OK
    text = report.FORMATS[fmt](table)
    if out_file is not None:
        write_output(out_file, text, f"已写入 {out_file}")
    else:
        click.echo(text, nl=False)
    return EXIT_OK
