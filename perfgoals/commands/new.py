"""`perfgoals new`: 新建一张空白绩效目标表：表上每个一级、二级指标都留有空行，直接在编辑器中填写。"""

from __future__ import annotations

from pathlib import Path

import click

from ..atomic import write_all
from .common import EXIT_OK, fail, resolve_data


def run(
    name: str,
    year: int,
    unit: str,
    new_unit: bool,
    department: str | None,
    form: str,
    self_eval: bool,
    monitor: bool,
    period: str | None,
    data_dir: Path | None,
) -> int:
    from .. import blank, units

    if self_eval and monitor:
        fail("--自评 与 --监控 只能选一个")
    if period is not None and not monitor:
        fail("--period 只用于 --监控（监控期间，如 1-7月）")
    data = resolve_data(data_dir, create=not (self_eval or monitor))
    if monitor:
        writes = blank.monitor_files(data, name, year, unit, period or "1-6月")
    elif self_eval:
        writes = blank.selfeval_files(data, name, year, unit)
    else:
        writes = blank.new_files(data, name, year, unit, new_unit, department, form)
    path = data / next(iter(writes))
    if path.exists():
        fail(f"文件已存在：{path}（不会覆盖）")
    write_all(data, writes)
    click.echo(
        f"已新建 {path}"
        + ("（新单位已记入 " + str(data / units.UNITS_FILE) + "）" if units.UNITS_FILE in writes else "")
    )
    return EXIT_OK
