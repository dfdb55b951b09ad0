"""What every command shares: finding data/, the year and unit asked for, output files and
formats, messages on the terminal, progress. The commands (one module each) take their options
and return an exit code; `perfgoals.cli` only declares the options and calls them."""

from __future__ import annotations

import errno
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, NoReturn, Sequence

import click

from ..problems import InputError

if TYPE_CHECKING:
    from ..workspace import YearChoice

EXIT_OK, EXIT_FOUND, EXIT_INPUT, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


_OS_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "文件系统是只读的",
    errno.EISDIR: "这是一个文件夹，而这里需要一个文件",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENOENT: "不存在",
    errno.EEXIST: "已存在",
    errno.ENAMETOOLONG: "名称太长",
    errno.EDQUOT: "超出磁盘配额",
}


def echo_lines(lines: Iterable[str], per_write: int = 2000, ended: bool = False, color: bool | None = None) -> None:
    """Print lines as they come, a few thousand to a write (a long table is never one string,
    and click flushes on every write). ``ended``: the lines carry their own line breaks."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= per_write:
            click.echo("".join(batch) if ended else "\n".join(batch), nl=not ended, color=color)
            batch = []
    if batch:
        click.echo("".join(batch) if ended else "\n".join(batch), nl=not ended, color=color)


def fail(message: str) -> NoReturn:
    """Stop with a Chinese message and exit code 2."""
    raise InputError(message)


def note(message: str) -> None:
    """A line for the person at the terminal (stderr, so pipes and --format json stay clean)."""
    click.echo(message, err=True)


def resolve_data(data_dir: Path | None, create: bool = False) -> Path:
    from ..workspace import data_dir as find

    return find(data_dir, create)


def chosen_year(data: Path, year: int | None) -> int:
    """The year to work on; when the command chose it, say which and how many projects it holds."""
    return year_choice(data, year).year


def year_choice(data: Path, year: int | None, kind: str = "target") -> YearChoice:
    """`chosen_year` with how many projects (or files of ``kind``) the year has (a `workspace.YearChoice`)."""
    from ..workspace import choose_year

    choice = choose_year(data, year, kind)
    if choice.defaulted:
        note(choice.describe())
    return choice


def unit_folder(data: Path, unit: str | None) -> str | None:
    """The unit folder ``--unit`` means (folder or full 实施单位 name); exit 2 with close names."""
    if unit is None:
        return None
    from .. import units

    return units.folder_for(data, unit)


def output_format(out: Path | None, given: str | None, by_suffix: Mapping[str, tuple[str, ...]], default: str) -> str:
    """The format of an output file: ``--format`` if given, else the file's extension.

    ``by_suffix`` maps an extension to the formats such a file may hold, the usual one first
    (``.json`` → json, also gitlab or sarif). A contradiction (``--format xlsx --out x.csv``) is an
    error rather than a file whose content does not match its name.
    """
    allowed = by_suffix.get(out.suffix.lower()) if out is not None else None
    if out is not None and given is not None and allowed is not None and given not in allowed:
        fail(f"--format {given} 与输出文件 {out} 的扩展名（{out.suffix}，即 {allowed[0]}）矛盾；请改正其一")
    if out is not None and given is None and allowed is None and out.suffix:
        known = "、".join(sorted(by_suffix))
        fail(f"不认识输出文件 {out} 的扩展名“{out.suffix}”：请用 {known} 之一，或用 --format 指定格式")
    return given or (allowed[0] if allowed else default)


def checked_output(output: Path | None, data_dir: Path | None = None) -> Path | None:
    """``-o`` before any work: a folder, a disk or a socket is refused at once (exit 2), and so is
    a table's name inside the data folder (a report written over a project file would lose it)."""
    from ..atomic import check_writable, is_stdout

    if output is None or is_stdout(output):
        return output
    check_writable(output)
    if output.suffix.lower() in (".yaml", ".yml"):
        from ..workspace import find_data

        try:
            data = (data_dir or find_data()).resolve()
        except InputError:
            return output
        if output.resolve().is_relative_to(data):
            fail(f"-o {output} 在数据目录 {data} 中，是项目文件的位置：输出不会写进数据目录；请写到别处（如 out/）")
    return output


def write_output(output: Path, data: str | bytes, message: str | None = None, err: bool = False) -> None:
    """Write a command's output: standard output for ``-o -``, else the file (atomically when it
    is a regular file, through when it is a device or FIFO; `atomic`). ``message`` tells where."""
    from ..atomic import is_stdout, write_atomic

    if is_stdout(output):
        sys.stdout.flush()
        sys.stdout.buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
        sys.stdout.buffer.flush()
        return
    write_atomic(output, data)
    if message:
        click.echo(message, err=err)


def write_workbook(out_file: Path | None, table: Any, example: str) -> None:
    """A report table as an Excel workbook (``--format xlsx`` of summary and score)."""
    from ..render import xlsx

    if out_file is None:
        fail(f"--format xlsx 需要指定输出文件，如 {example}（-o - 写到标准输出）")
    write_output(out_file, xlsx.summary_workbook(table), f"已写入 {out_file}")


def default_out(data: Path) -> Path:
    """``out/`` beside ``data/`` (the repository's root), wherever the command was started: shown
    relative to the current folder when it lies inside it."""
    out = data.resolve().parent / "out"
    here = Path.cwd().resolve()
    return out.relative_to(here) if out.is_relative_to(here) else out


def cache_dir(data: Path | None, no_cache: bool = False) -> Path | None:
    """The cache folder of the repository ``data`` sits in (the current folder for loose files),
    outside its work tree; None with ``--no-cache`` and in CI, where nothing is reused."""
    if no_cache or os.environ.get("CI"):
        return None
    from ..runtime import cache_dir as folder

    return folder(data.parent if data is not None else Path.cwd())


def use_colour(flag: bool | None) -> bool:
    """--color/--no-color, else FORCE_COLOR, else NO_COLOR (https://no-color.org), else a terminal."""
    if flag is not None:
        return flag
    if os.environ.get("FORCE_COLOR"):
        return True
    if "NO_COLOR" in os.environ:
        return False
    return sys.stdout.isatty()


def select_files(
    paths: Sequence[Path], data_dir: Path | None, year: int | None, unit: str | None, kind: str = "target"
) -> tuple[list[Any], Path | None]:
    """Project files named on the command line, or all of data/, filtered by year and unit;
    ``kind`` as in `workspace.project_files` (lint and fmt take 自评表 too)."""
    from ..workspace import project_files, years

    data = None if paths and data_dir is None and unit is None else resolve_data(data_dir)
    folder = unit_folder(data, unit) if data is not None else None
    roots = list(paths) or ([data] if data is not None else [])
    files = project_files(roots, data, year, folder, kind)
    if not files:
        from ..forms import BESIDE
        from ..forms.base import KIND_WORDS
        noun = KIND_WORDS[kind] if kind in BESIDE else "项目文件"
        what = f"{noun}（*{BESIDE[kind]}）" if kind in BESIDE else "项目文件（*.yaml）"
        where = "、".join(str(r) for r in roots)
        if data is not None and folder is not None:
            from ..workspace import elsewhere, years_holding

            hint = (
                elsewhere("该单位", years_holding(data, unit=folder, besides=year, kind=kind))
                if year
                else ""
            )
            fail(f"单位“{folder}”没有{f' {year} 年度的' if year else ''}{noun}{hint}")
        if data is not None and year is not None:
            fail(f"没有 {year} 年度的{noun}；现有年度：{'、'.join(map(str, years(data))) or '无'}")
        fail(f"{where} 中没有{what}")
    return files, data


def os_message(e: OSError) -> str:
    """An operating-system error in Chinese, naming the path."""
    reason = _OS_REASONS.get(e.errno or 0, e.strerror or str(e))
    if e.errno == errno.EEXIST and e.filename and Path(str(e.filename)).is_file():
        reason = "这是一个文件，而这里需要一个文件夹"
    where = f"{e.filename}" + (f" → {e.filename2}" if e.filename2 else "") if e.filename else "（未知路径）"
    return f"无法读写 {where}：{reason}；没有写完的文件不会留下"


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr once a run has taken about 2 s, only on a terminal (never in CI
    or a pipe): `progress.Progress`. None when there is no terminal (nothing to count)."""
    from ..progress import Progress, wanted

    if not wanted(sys.stderr):
        yield None
        return
    with Progress(total, label) as bar:
        yield bar
