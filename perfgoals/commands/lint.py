"""`perfgoals lint`: 检查绩效目标表：格式、算术、目标与指标的质量。"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

import click

from .common import (
    EXIT_FOUND,
    EXIT_OK,
    cache_dir,
    checked_output,
    echo_lines,
    fail,
    output_format,
    progress_bar,
    resolve_data,
    select_files,
    unit_folder,
    use_colour,
    write_output,
)

LINT_SUFFIXES = {
    ".json": ("json", "gitlab", "sarif"),
    ".sarif": ("sarif",),
    ".txt": ("text", "github"),
    ".log": ("text", "github"),
}


def run(
    paths: tuple[Path, ...],
    data_dir: Path | None,
    year: int | None,
    unit: str | None,
    fmt: str | None,
    output: Path | None,
    quiet: bool,
    statistics: bool,
    strict: bool,
    exit_zero: bool,
    select: tuple[str, ...],
    ignore_rules: tuple[str, ...],
    config: Path | None,
    baseline: Path | None,
    since: str | None,
    write_baseline: bool,
    no_baseline: bool,
    no_cache: bool,
    colour: bool | None,
    jobs: int | None,
) -> int:
    from .. import lint as linting
    from ..lint import baseline as bl
    from ..lint import config as lconf
    from ..lint.registry import RULES
    from ..lint.reporters import REPORTERS, statistics_table

    for rid in (*select, *ignore_rules):
        if rid not in RULES:
            fail(f"未知的规则“{rid}”（用 perfgoals rules 查看全部规则）")
    from ..atomic import is_stdout

    output = None if is_stdout(output) else checked_output(output, data_dir)  # -o -: the terminal's output, uncoloured
    default_fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" and output is None else "text"
    fmt = output_format(output, fmt, LINT_SUFFIXES, default_fmt)
    conf = lconf.load(config, Path.cwd()).only(select, ignore_rules)
    if since is not None:
        if paths or write_baseline:
            fail("--since 检查整个数据目录（可用 --year、--unit 缩小），不能与路径参数或 --write-baseline 同用")
        from .. import review

        data = resolve_data(data_dir)
        newer = review.since(data, since, conf, year, unit_folder(data, unit), jobs)
        result = linting.LintResult(newer.new, newer.files, fixed=newer.fixed, since=newer.base_label)
        no_baseline = True  # new against a revision: a baseline would hide what the change added
    else:
        result = _lint_tree(paths, data_dir, year, unit, conf, no_cache, jobs)
    root = bl.home(paths, data_dir)
    baseline_path = baseline or root / bl.BASELINE_NAME
    if write_baseline:
        written, kept = bl.write(baseline_path, result, linting.active_rules(conf), root, bool(paths or year or unit))
        click.echo(
            f"已把 {written} 个问题写入基线 {baseline_path}" + (f"（另保留本次未检查的 {kept} 个）" if kept else "")
        )
        return EXIT_OK
    if not no_baseline:
        result = bl.applied(result, baseline_path, root)
    if quiet:
        result = result.errors_only()
    colour = output is None and use_colour(colour)
    if fmt == "text" and output is None and not statistics:  # line by line: a huge run never sits in memory
        from ..lint.reporters import text_lines

        echo_lines(text_lines(result, colour, quiet), ended=True, color=colour)
    else:
        text = statistics_table(result) if statistics else REPORTERS[fmt](result, colour, quiet)
        if output is not None:
            write_output(output, text, None if quiet else f"已写入 {output}（{len(result.problems)} 个问题）", err=True)
        elif text:
            click.echo(text, nl=False, color=colour)
    failing = {"error", "warning"} if strict else {"error"}
    found = any(p.level in failing for p in result.problems)
    return EXIT_FOUND if found and not exit_zero else EXIT_OK


def _lint_tree(
    paths: Sequence[Path],
    data_dir: Path | None,
    year: int | None,
    unit: str | None,
    conf: Any,
    no_cache: bool,
    jobs: int | None,
) -> Any:
    from .. import lint as linting

    files, data = select_files(paths, data_dir, year, unit, "all")
    home = data if data is not None else _data_near(files)
    more: list[Any] = []
    if home is not None and (paths or year or unit):
        # a subset: the rules that compare projects read the siblings too, and report on the subset only
        from .. import reviewscope

        more = reviewscope.context(files, home)
    cache = None
    folder = cache_dir(data, no_cache)
    if folder is not None:
        from ..lint.cache import Cache

        cache = Cache(folder, conf)
    with progress_bar(len(files) + len(more), "检查") as step:
        if not more:
            return linting.lint_files(files, conf, cache, jobs, step)
        assert home is not None
        result = linting.lint_files(reviewscope.merged(files, more, home), conf, cache, jobs, step)
    return linting.only(result, files)


def _data_near(files: Sequence[Any]) -> Path | None:
    """The data folder holding the files named on the command line (None: they are elsewhere)."""
    from ..problems import InputError
    from ..workspace import find_data

    if not files:
        return None
    try:
        data = find_data(files[0].path.parent)
    except InputError:  # no data folder: no siblings to read
        return None
    return data if all(f.path.resolve().is_relative_to(data.resolve()) for f in files) else None
