"""`perfgoals render`: 生成官方表式的绩效目标表：HTML 网页、Excel 工作簿或 PDF。"""

from __future__ import annotations

from pathlib import Path

import click

from .common import EXIT_OK, default_out, fail, progress_bar, resolve_data, unit_folder, year_choice


def run(
    fmt: str,
    unit: str | None,
    project_name: str | None,
    everything: bool,
    year: int | None,
    output: Path | None,
    templates_dir: Path | None,
    official: bool | None,
    blank_slots: bool | None,
    self_eval: bool,
    monitor: bool,
    data_dir: Path | None,
    jobs: int | None,
) -> int:
    from .. import render as rendering
    from ..forms import BESIDE
    from ..forms.base import KIND_WORDS
    from .. import units
    from ..workspace import ProjectFile, YearListing, project_files

    if everything and (unit or project_name):
        fail("--all 不能与 --unit、--project 同时使用")
    if self_eval and monitor:
        fail("--自评 与 --监控 只能选一个")
    kind = "selfeval" if self_eval else "monitor" if monitor else "target"
    data = resolve_data(data_dir)
    out_dir = output if output is not None else default_out(data)
    folder = unit_folder(data, unit)
    choice = year_choice(data, year, kind)
    y = choice.year
    listing = None
    if fmt == "html" and kind == "target" and folder is None and project_name is None:
        # a whole year's web pages: listed and made a unit at a time, never the year's file list
        listing = YearListing(data, y)
        files: list[ProjectFile] = []
        count = choice.count if listing.units else 0
    else:
        files = project_files([data / str(y)], data, y, folder, kind)
        count = len(files)
    from ..workspace import elsewhere, years_holding

    if not count:
        what = f"{KIND_WORDS[kind]}（*{BESIDE[kind]}）" if kind in BESIDE else "项目文件"
        if folder:
            fail(
                f"单位“{folder}”在 {y} 年度没有{what}"
                + elsewhere("该单位", years_holding(data, unit=folder, besides=y, kind=kind))
            )
        fail(f"{y} 年度没有{what}")
    hint = (
        elsewhere("该项目", years_holding(data, project=project_name, unit=folder, besides=y, kind=kind))
        if project_name
        else ""
    )
    official = True if official is None else official  # the paper form's writing in every format
    with progress_bar(count, "生成") as step:
        req = rendering.Request(
            y,
            files,
            out_dir,
            folder,
            project_name,
            not official if blank_slots is None else blank_slots,
            official,
            templates_dir,
            kind=kind,
            jobs=jobs,
            listing=listing,
            listed=count,
            progress=step,
            elsewhere=hint,
            unit_names=units.names(data),
        )
        written = rendering.run(fmt, req)
    click.echo(written.message)
    return EXIT_OK
