"""`perfgoals diff`: 对比两个年度（perfgoals diff 2023 2024）或两个 git 版本（perfgoals diff --rev main）的绩效目标表。"""

from __future__ import annotations

from pathlib import Path

import click

from .common import (
    EXIT_FOUND,
    EXIT_OK,
    checked_output,
    echo_lines,
    fail,
    output_format,
    progress_bar,
    resolve_data,
    write_output,
)

REPORT_SUFFIXES = {".md": ("markdown",), ".txt": ("text",), ".json": ("json",)}


def run(
    years: tuple[int, ...],
    rev: str | None,
    data_dir: Path | None,
    only_year: int | None,
    fmt: str | None,
    output: Path | None,
    money_unit: str,
    exit_code: bool,
    jobs: int | None,
) -> int:
    from .. import corpus, diffreport, review
    from .. import diff as differ
    from ..runtime import bulk
    from ..atomic import is_stdout
    from ..workspace import YearListing, choose_year

    output = None if is_stdout(output) else checked_output(output, data_dir)
    fmt = output_format(output, fmt, REPORT_SUFFIXES, "text")
    data = resolve_data(data_dir)
    if rev is None:
        if len(years) != 2:
            fail("请给出两个年度（如 perfgoals diff 2023 2024），或用 --rev 与 git 版本比较")
        c1, c2 = choose_year(data, years[0]), choose_year(data, years[1])
        y1, y2 = c1.year, c2.year
        with progress_bar(c1.count + c2.count, "读取") as step, bulk():
            # unit by unit: one unit's files and projects in memory at a time
            moved, results = corpus.compared_by_unit(
                YearListing(data, y1), YearListing(data, y2), money_unit, c1.count + c2.count, jobs, step
            )
            report = differ.collect(results, f"{y1} 年", f"{y2} 年", money_unit, moved)
    else:
        if years:
            fail("--rev 与年度参数不能同时使用；只比较某一年请用 --year")
        report = review.diff_range(data, rev, only_year, money_unit)
    if output is not None:
        text = (
            "".join(f"{line}\n" for line in diffreport.text_lines(report))
            if fmt == "text"
            else diffreport.FORMATS[fmt](report)
        )
        write_output(output, text, f"已写入 {output}", err=True)
    elif fmt == "text":
        echo_lines(diffreport.text_lines(report))  # a section per changed project: printed as it is made
    else:
        click.echo(diffreport.FORMATS[fmt](report), nl=False)
    return EXIT_FOUND if exit_code and report.changed else EXIT_OK
