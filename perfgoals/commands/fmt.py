"""`perfgoals fmt`: 把项目文件改写为规范格式（键的顺序、缩进、引号），保留注释，绝不改变数据。"""

from __future__ import annotations

from pathlib import Path

import click

from ..problems import InputError
from .common import EXIT_FOUND, EXIT_INPUT, EXIT_OK, cache_dir, progress_bar, select_files


def run(
    paths: tuple[Path, ...], data_dir: Path | None, check: bool, show_diff: bool, no_cache: bool, jobs: int | None
) -> int:
    from .. import fmt as formatting

    files, data = select_files(paths, data_dir, None, None, "all")
    folder = cache_dir(data, no_cache)
    cache = formatting.CanonicalCache(folder) if folder is not None else None
    canonical = set(cache.keys) if cache is not None else set()
    changed = errors = 0
    by_shown = {f.shown: f for f in files}
    with progress_bar(len(files), "格式化") as step:
        for result in formatting.format_files(files, show_diff, canonical if cache is not None else None, jobs):
            if step:
                step(1)
            if result.problem is not None:
                p = result.problem
                click.echo(f"{p.path}:{p.line}:{p.column}: 错误 {p.message}，未格式化", err=True)
                errors += 1
                continue
            if not result.changed:
                canonical.add(result.key)
                continue
            if show_diff:
                changed += 1
                click.echo(result.diff, nl=False)
            elif check:
                changed += 1
                click.echo(f"需要格式化：{result.shown}")
            else:
                try:
                    note_text = formatting.write_back(by_shown[result.shown].path, result, data)
                except InputError as e:
                    click.echo(f"错误：{e}", err=True)
                    errors += 1  # counted once, as not written: the closing line adds up
                    continue
                changed += 1
                canonical.add(formatting.content_key((result.new or "").encode("utf-8")))
                click.echo(f"已格式化：{result.shown}{note_text}")
    if cache is not None:
        cache.save(canonical)
    verb = "需要格式化" if (check or show_diff) else "已格式化"
    click.echo(f"{len(files)} 个文件，{verb} {changed} 个" + (f"，{errors} 个无法处理" if errors else ""), err=True)
    if errors:
        return EXIT_INPUT
    return EXIT_FOUND if changed and (check or show_diff) else EXIT_OK
