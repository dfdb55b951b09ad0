"""`perfgoals score`: 按财预〔2020〕10号的方法为年终绩效自评表（*.自评.yaml）计分，与表上所填的分数对照。"""

from __future__ import annotations

from pathlib import Path

import click

from .common import EXIT_OK, checked_output, output_format, select_files, write_output, write_workbook

SCORE_SUFFIXES = {".xlsx": ("xlsx",), ".csv": ("csv",), ".json": ("json",), ".txt": ("text",)}


def run(
    paths: tuple[Path, ...],
    data_dir: Path | None,
    year: int | None,
    unit: str | None,
    fmt: str | None,
    output: Path | None,
    config: Path | None,
) -> int:
    from .. import scorereport
    from ..lint import config as lconf

    out_file = checked_output(output, data_dir)
    fmt = output_format(out_file, fmt, SCORE_SUFFIXES, "text")
    files, _data = select_files(paths, data_dir, year, unit, "selfeval")
    policy = lconf.load(config, Path.cwd()).policy()
    scored = scorereport.load(files, policy)
    grades = [g for g, _lowest in policy.grades]
    table = scorereport.projects(scored, "绩效自评得分")
    if fmt == "xlsx":
        write_workbook(out_file, table, "-o 自评得分.xlsx")
        return EXIT_OK
    text = scorereport.FORMATS[fmt](scored, grades, table)
    if out_file is not None:
        write_output(out_file, text, f"已写入 {out_file}")
    else:
        click.echo(text, nl=False)
    return EXIT_OK
