"""The command line: parse options, make one core call, print, return an exit code.

Exit codes (documented in README): 0 all good; 1 problems found (lint errors, files fmt would
change, differences with --exit-code); 2 usage error or input that cannot be read;
3 an internal error (a bug: please report it); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import dataclasses
import errno
from collections import Counter
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, NoReturn, Sequence

import click

from . import __version__, cli_zh
from .problems import InputError

if TYPE_CHECKING:
    from .workspace import YearChoice

cli_zh.install()

EXIT_OK, EXIT_FOUND, EXIT_INPUT, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


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


def data_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None, metavar="DIR",
                        help="数据目录（默认：当前目录或上级目录中的 data/）")(fn)


def year_option(required: bool = False, help: str = "只处理该年度（如 2024）") -> Callable[..., Any]:
    return click.option("--year", type=cli_zh.Year(), required=required, metavar="YEAR", help=help)


def jobs_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--jobs", type=cli_zh.Count(1, 64), default=None, metavar="N",
                        help="并行进程数，1 至 64（默认：文件多时用全部 CPU 核）")(fn)


def resolve_data(data_dir: Path | None, create: bool = False) -> Path:
    from .workspace import data_dir as find
    return find(data_dir, create)


def chosen_year(data: Path, year: int | None) -> int:
    """The year to work on; when the command chose it, say which and how many projects it holds."""
    return year_choice(data, year).year


def year_choice(data: Path, year: int | None) -> YearChoice:
    """`chosen_year` with how many projects the year has (a `workspace.YearChoice`)."""
    from .workspace import choose_year
    choice = choose_year(data, year)
    if choice.defaulted:
        note(choice.describe())
    return choice


def unit_folder(data: Path, unit: str | None) -> str | None:
    """The unit folder ``--unit`` means (folder or full 实施单位 name); exit 2 with close names."""
    if unit is None:
        return None
    from . import units
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


def output_option(help: str, metavar: str = "FILE", folder: bool = False) -> Callable[..., Any]:
    """``-o/--output``: the one spelling of "write here" in every command that writes; the older
    ``--out`` keeps working, hidden. A file option takes ``-`` for standard output."""
    kind = click.Path(path_type=Path, file_okay=not folder, dir_okay=folder, allow_dash=not folder)

    def remember(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
        if value is not None:
            ctx.meta["perfgoals.out"] = value
        return value

    def take(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
        return value if value is not None else ctx.meta.get("perfgoals.out")

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn = click.option("--out", "out_alias", type=kind, hidden=True, expose_value=False, is_eager=True,
                          callback=remember)(fn)
        return click.option("-o", "--output", "output", type=kind, metavar=metavar, help=help, callback=take)(fn)
    return decorate


def checked_output(output: Path | None, data_dir: Path | None = None) -> Path | None:
    """``-o`` before any work: a folder, a disk or a socket is refused at once (exit 2), and so is
    a table's name inside the data folder (a report written over a project file would lose it)."""
    from .atomic import check_writable, is_stdout
    if output is None or is_stdout(output):
        return output
    check_writable(output)
    if output.suffix.lower() in (".yaml", ".yml"):
        from .workspace import find_data
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
    from .atomic import is_stdout, write_atomic
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
    from .render import xlsx
    if out_file is None:
        fail(f"--format xlsx 需要指定输出文件，如 {example}（-o - 写到标准输出）")
    write_output(out_file, xlsx.summary_workbook(table), f"已写入 {out_file}")


def default_out(data: Path) -> Path:
    """``out/`` beside ``data/`` (the repository's root), wherever the command was started: shown
    relative to the current folder when it lies inside it."""
    out = data.resolve().parent / "out"
    here = Path.cwd().resolve()
    return out.relative_to(here) if out.is_relative_to(here) else out


def cache_dir(repo: Path) -> Path | None:
    """The cache folder of a data repository (outside it); none in CI, where nothing is reused."""
    from .runtime import cache_dir as folder
    return folder(repo)


def use_colour(flag: bool | None) -> bool:
    """--color/--no-color, else FORCE_COLOR, else NO_COLOR (https://no-color.org), else a terminal."""
    if flag is not None:
        return flag
    if os.environ.get("FORCE_COLOR"):
        return True
    if "NO_COLOR" in os.environ:
        return False
    return sys.stdout.isatty()


def select_files(paths: Sequence[Path], data_dir: Path | None, year: int | None, unit: str | None,
                 kind: str = "target") -> tuple[list[Any], Path | None]:
    """Project files named on the command line, or all of data/, filtered by year and unit;
    ``kind`` as in `workspace.project_files` (lint and fmt take 自评表 too)."""
    from .workspace import project_files, years
    data = None if paths and data_dir is None and unit is None else resolve_data(data_dir)
    folder = unit_folder(data, unit) if data is not None else None
    roots = list(paths) or ([data] if data is not None else [])
    files = project_files(roots, data, year, folder, kind)
    if not files:
        noun = "自评表" if kind == "selfeval" else "项目文件"
        what = "自评表（*.自评.yaml）" if kind == "selfeval" else "项目文件（*.yaml）"
        where = "、".join(str(r) for r in roots)
        if data is not None and folder is not None:
            from .workspace import elsewhere, years_holding
            hint = elsewhere("该单位", years_holding(data, unit=folder, besides=year, selfeval=kind == "selfeval")) \
                if year else ""
            fail(f"单位“{folder}”没有{f' {year} 年度的' if year else ''}{noun}{hint}")
        if data is not None and year is not None:
            fail(f"没有 {year} 年度的{noun}；现有年度：{'、'.join(map(str, years(data))) or '无'}")
        fail(f"{where} 中没有{what}")
    return files, data


_OS_REASONS = {
    errno.ENOSPC: "磁盘已满", errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.EROFS: "文件系统是只读的",
    errno.EISDIR: "这是一个文件夹，而这里需要一个文件", errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENOENT: "不存在", errno.EEXIST: "已存在", errno.ENAMETOOLONG: "名称太长", errno.EDQUOT: "超出磁盘配额",
}


def os_message(e: OSError) -> str:
    """An operating-system error in Chinese, naming the path."""
    reason = _OS_REASONS.get(e.errno or 0, e.strerror or str(e))
    if e.errno == errno.EEXIST and e.filename and Path(str(e.filename)).is_file():
        reason = "这是一个文件，而这里需要一个文件夹"
    where = f"{e.filename}" + (f" → {e.filename2}" if e.filename2 else "") if e.filename else "（未知路径）"
    return f"无法读写 {where}：{reason}；没有写完的文件不会留下"


class UserError(click.ClickException):
    """An `InputError` on its way out of click: Chinese message, exit code 2."""

    exit_code = EXIT_INPUT

    def show(self, file: Any = None) -> None:
        click.echo(f"错误：{self.message}", err=True)


class Command(click.Command):
    """A command whose usage line reads in Chinese ("用法：perfgoals lint [选项] [路径]...")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class Group(click.Group):
    """Turns the core's `InputError` into exit code 2 inside click (so tests see it too)."""

    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        from .workspace import skipped_note
        skipped_note()  # a fresh account for this command (a test may have listed files before)
        try:
            return super().invoke(ctx)
        except InputError as e:
            raise UserError(str(e)) from None
        except OSError as e:  # a folder where a file should be, no permission, a full disk …
            raise UserError(os_message(e)) from None
        finally:  # files a listing left out are said once, whatever the command ended with
            said = skipped_note()
            if said:
                note(said)


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr once a run has taken about 2 s, only on a terminal (never in CI
    or a pipe): `progress.Progress`. None when there is no terminal (nothing to count)."""
    from .progress import Progress, wanted
    if not wanted(sys.stderr):
        yield None
        return
    with Progress(total, label) as bar:
        yield bar


@click.group(cls=Group, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="perfgoals")
def cli() -> None:
    """perfgoals：把财政项目支出绩效目标表按 YAML 保存，并检查、汇总、对比、打印。

    \b
    常用：
      perfgoals lint                      检查 data/ 下全部绩效目标表
      perfgoals summary --by unit         按实施单位汇总资金
      perfgoals render --unit 妇联         生成官方表式（HTML）
    """


# -- lint ----------------------------------------------------------------------------------

LINT_SUFFIXES = {".json": ("json", "gitlab", "sarif"), ".sarif": ("sarif",), ".txt": ("text", "github"),
                 ".log": ("text", "github")}


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[路径]...")
@data_option
@year_option()
@click.option("--unit", metavar="UNIT", help="只检查该单位（文件夹名如 妇联，或实施单位全称）")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "sarif", "gitlab"]), default=None,
              help="输出格式（默认 text；在 GitHub Actions 中默认 github；gitlab 为 GitLab 代码质量报告；"
                   "用 -o 写入文件时按扩展名）")
@output_option("把结果写入文件（.json、.sarif、.txt 按扩展名选格式；- 为标准输出）")
@click.option("-q", "--quiet", is_flag=True, help="只报告错误，不显示警告、提示和统计行")
@click.option("--statistics", is_flag=True, help="只显示每条规则的问题数（从多到少）")
@click.option("--strict", is_flag=True, help="有警告也以退出码 1 结束")
@click.option("--exit-zero", is_flag=True, help="即使发现错误也以退出码 0 结束（只看报告，不拦截）")
@click.option("--select", multiple=True, metavar="RULE", help="只运行这些规则（可重复）")
@click.option("--ignore", "ignore_rules", multiple=True, metavar="RULE", help="不运行这些规则（可重复）")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE", help="配置文件（默认：就近的 .perfgoals.yaml）")
@click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="基线文件（默认：数据目录旁的 .perfgoals-baseline.json，存在时自动使用）")
@click.option("--since", metavar="REV", help="只报告与 git 版本 REV 相比新出现的问题（含义同 diff --rev：REV 与 HEAD 的"
                                             "共同祖先；A..B、A...B 亦可）；已修复的计数")
@click.option("--write-baseline", is_flag=True, help="把当前全部问题写入基线，之后只报告新问题")
@click.option("--no-baseline", is_flag=True, help="不使用基线，报告全部问题")
@click.option("--no-cache", is_flag=True, help="不使用缓存（缓存在用户的缓存目录中，如 ~/.cache/perfgoals，可随时删除）")
@click.option("--color/--no-color", "colour", default=None,
              help="是否用颜色（默认：终端上用；环境变量 NO_COLOR 关闭、FORCE_COLOR 打开）")
@jobs_option
def lint(paths: tuple[Path, ...], data_dir: Path | None, year: int | None, unit: str | None, fmt: str | None,
         output: Path | None, quiet: bool, statistics: bool, strict: bool, exit_zero: bool,
         select: tuple[str, ...], ignore_rules: tuple[str, ...], config: Path | None, baseline: Path | None,
         since: str | None, write_baseline: bool, no_baseline: bool, no_cache: bool, colour: bool | None,
         jobs: int | None) -> None:
    """检查绩效目标表：格式、算术、目标与指标的质量。

    不给 PATHS 时检查数据目录下的全部项目。

    \b
    退出码：0 无错误；1 发现错误（加 --strict 时警告也算）；2 参数错误或输入无法读取。
    """
    from . import lint as linting
    from .lint import baseline as bl
    from .lint import config as lconf
    from .lint.registry import RULES
    from .lint.reporters import REPORTERS, statistics_table

    for rid in (*select, *ignore_rules):
        if rid not in RULES:
            fail(f"未知的规则“{rid}”（用 perfgoals rules 查看全部规则）")
    from .atomic import is_stdout
    output = None if is_stdout(output) else checked_output(output, data_dir)  # -o -: the terminal's output, uncoloured
    default_fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" and output is None else "text"
    fmt = output_format(output, fmt, LINT_SUFFIXES, default_fmt)
    conf = lconf.load(config, Path.cwd()).only(select, ignore_rules)
    if since is not None:
        if paths or write_baseline:
            fail("--since 检查整个数据目录（可用 --year、--unit 缩小），不能与路径参数或 --write-baseline 同用")
        from . import review
        data = resolve_data(data_dir)
        newer = review.since(data, since, conf, year, unit_folder(data, unit), jobs)
        result = linting.LintResult(newer.new, newer.files, fixed=newer.fixed, since=newer.base_label)
        no_baseline = True  # new against a revision: a baseline would hide what the change added
    else:
        result = _lint_tree(paths, data_dir, year, unit, conf, no_cache, jobs)
    root = _root(paths, data_dir)
    baseline_path = baseline or root / bl.BASELINE_NAME
    if write_baseline:
        from .lint import active_rules
        from .atomic import write_atomic
        earlier = bl.load(baseline_path) if baseline_path.is_file() else Counter()
        subset = bool(paths or year or unit)
        comparing = [rid for rid, r in RULES.items() if r.check_all is not None] if subset else []
        kept = bl.outside(earlier, result.checked, active_rules(conf), root, comparing)  # a subset updates only itself
        write_atomic(baseline_path, bl.dump(result.problems, root, kept))
        click.echo(f"已把 {len(result.problems)} 个问题写入基线 {baseline_path}"
                   + (f"（另保留本次未检查的 {sum(kept.values())} 个）" if kept else ""))
        sys.exit(EXIT_OK)
    if not no_baseline and baseline_path.is_file():
        left, hidden = bl.subtract(result.problems, bl.load(baseline_path), root)
        result = dataclasses.replace(result, problems=left, hidden_by_baseline=hidden)
    if quiet:
        result = dataclasses.replace(result, problems=[p for p in result.problems if p.level == "error"])
    colour = output is None and use_colour(colour)
    if fmt == "text" and output is None and not statistics:  # line by line: a huge run never sits in memory
        from .lint.reporters import text_lines
        echo_lines(text_lines(result, colour, quiet), ended=True, color=colour)
    else:
        text = statistics_table(result) if statistics else REPORTERS[fmt](result, colour, quiet)
        if output is not None:
            write_output(output, text, None if quiet else f"已写入 {output}（{len(result.problems)} 个问题）", err=True)
        elif text:
            click.echo(text, nl=False, color=colour)
    failing = {"error", "warning"} if strict else {"error"}
    found = any(p.level in failing for p in result.problems)
    sys.exit(EXIT_FOUND if found and not exit_zero else EXIT_OK)


def _root(paths: Sequence[Path], data_dir: Path | None) -> Path:
    """Where the baseline and cache live: beside data/ (the current folder for loose files)."""
    from .workspace import find_data
    if data_dir is not None:
        return data_dir.parent
    try:
        return find_data().parent
    except InputError:
        if paths:
            return Path.cwd()
        raise


def _lint_tree(paths: Sequence[Path], data_dir: Path | None, year: int | None, unit: str | None, conf: Any,
               no_cache: bool, jobs: int | None) -> Any:
    from . import lint as linting
    files, data = select_files(paths, data_dir, year, unit, "all")
    cache = None
    folder = None if no_cache or os.environ.get("CI") else cache_dir(data.parent if data is not None else Path.cwd())
    if folder is not None:
        from .lint.cache import Cache
        cache = Cache(folder, conf)
    with progress_bar(len(files), "检查") as step:
        return linting.lint_files(files, conf, cache, jobs, step)


@cli.command(context_settings=CONTEXT)
@click.argument("rule_id", required=False, metavar="[规则]")
def rules(rule_id: str | None) -> None:
    """列出全部检查规则；给出规则名时显示其完整说明（检查什么、依据、正反例）。"""
    from .lint import config as lconf
    from .lint.registry import BUILTIN, RULES
    from .problems import LEVEL_NAMES

    levels = lconf.default().levels
    if rule_id is None:
        width = max(len(r) for r in RULES)
        for rid, r in RULES.items():
            level = LEVEL_NAMES.get(levels.get(rid) or "", "关闭")
            click.echo(f"{rid:<{width}}  {level}  {r.summary}")
        for rid, text in BUILTIN.items():
            click.echo(f"{rid:<{width}}  错误  {text}（内置，不可关闭）")
        return
    if rule_id in BUILTIN:
        click.echo(f"{rule_id}（错误，内置）\n\n{BUILTIN[rule_id]}")
        return
    if rule_id not in RULES:
        from difflib import get_close_matches
        close = get_close_matches(rule_id, list(RULES), n=3)
        fail(f"没有规则“{rule_id}”" + (f"；相近的：{'、'.join(close)}" if close else ""))
    level = LEVEL_NAMES.get(levels.get(rule_id) or "", "关闭")
    click.echo(f"{rule_id}（默认级别：{level}）\n\n{RULES[rule_id].doc}")


# -- fmt -----------------------------------------------------------------------------------

@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[路径]...")
@data_option
@click.option("--check", is_flag=True, help="只检查不写入：有文件需要格式化时以退出码 1 结束并列出文件")
@click.option("--diff", "show_diff", is_flag=True, help="只显示将要做的改动（统一 diff 格式），不写入")
@click.option("--no-cache", is_flag=True, help="不使用缓存（已知规范的文件内容记在用户的缓存目录中，如 ~/.cache/perfgoals）")
@jobs_option
def fmt(paths: tuple[Path, ...], data_dir: Path | None, check: bool, show_diff: bool, no_cache: bool,
        jobs: int | None) -> None:
    """把项目文件改写为规范格式（键的顺序、缩进、引号），保留注释，绝不改变数据。

    写入是原子的：先写临时文件并核对数据未变，再替换原文件。
    """
    from . import fmt as formatting

    files, data = select_files(paths, data_dir, None, None, "all")
    folder = None if no_cache or os.environ.get("CI") else cache_dir(data.parent if data is not None else Path.cwd())
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
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FOUND if changed and (check or show_diff) else EXIT_OK)


# -- import --------------------------------------------------------------------------------

@cli.command("import", context_settings=CONTEXT)
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False), metavar="源文件")
@year_option(help="表格年度（写入 data/<年度>/；默认取表上的年度）")
@click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              metavar="DIR", help="写入的数据目录（默认：当前目录或上级目录中的 data/；给出的目录不存在时新建）")
@click.option("--out", "out_alias", type=click.Path(path_type=Path, file_okay=False), hidden=True)
@click.option("--force", is_flag=True, help="覆盖已存在的项目文件；表上年度与 --year 不符时也照样导入")
@click.option("--kind", type=click.Choice(["auto", "text", "xlsx", "pdf"]), default="auto",
              help="源文件类型（默认按文件内容判断：PDF、Excel 工作簿或 PDF 提取的文本）")
def import_(source: Path, year: int | None, data_dir: Path | None, out_alias: Path | None, force: bool,
            kind: str) -> None:
    """把 PDF 提取的表格文本、官方表式的 Excel 工作簿或有文字层的 PDF 导入为每个项目一个 YAML 文件。

    原表的错误（算错的合计、奇怪的日期、抄来的指标）原样保留，交给 lint 发现；
    提取造成的错位、断字、占位行会被修复，有歧义之处会在 YAML 注释中说明所作的选择。
    全部文件先写入临时文件，全部成功后才一起放到位：中途出错时数据目录保持原样。
    """
    from . import importing, units

    data_dir = data_dir or out_alias  # --out: the older spelling of --data
    if not source.is_file():
        fail(f"源文件不存在：{source}")
    data = resolve_data(data_dir, create=True)
    with progress_bar(0, f"读取 {source.name}"):  # a year's PDF takes some 20 s
        imported, failures = importing.read(source.read_bytes(), source.name, kind, year)
    for fl in failures:
        where = f"{source}:{fl.line}" if fl.line else str(source)
        table = f"第 {fl.index} 张表" if fl.index else "源文件"
        click.echo(f"{where}: 错误 {table}无法导入：{fl.message}", err=True)
    if not imported:
        sys.exit(EXIT_INPUT)
    years = sorted({i.project.year for i in imported if i.project.year is not None})
    target_year = year or (years[0] if len(years) == 1 else None)
    if target_year is None:
        fail("无法确定年度：表上" + (f"有多个年度（{'、'.join(map(str, years))}）" if years else "没有年度")
             + "，请用 --year 指定")
    mismatch = importing.other_years(imported, target_year)
    if mismatch:
        shown = "、".join(f"{y} 年度 {n} 张" for y, n in sorted(mismatch.items()))
        if not force:
            fail(f"表上的年度（{shown}）与 --year {target_year} 不符，未做任何写入；确认要放入 {target_year} 年度"
                 f"请加 --force（文件中的“年度”仍按表上填写，lint 会报告 year-folder）")
        note(f"警告：表上的年度（{shown}）与 --year {target_year} 不符，按 --force 仍写入 {target_year} 年度")
    registry = units.load(data)
    files, new_registry = importing.plan(imported, target_year, registry)
    existing = [f for f in files if (data / f.path).exists()]
    if existing and not force:
        shown = "\n  ".join(str(data / f.path) for f in existing[:10])
        more = f"\n  ……共 {len(existing)} 个" if len(existing) > 10 else ""
        click.echo(f"错误：以下文件已存在，未做任何写入（用 --force 覆盖）：\n  {shown}{more}", err=True)
        sys.exit(EXIT_FOUND)  # an import problem (README: exit 1), not a mistyped argument
    importing.write_all(data, {**{f.path: f.text for f in files}, units.UNITS_FILE: units.text(new_registry, data)})
    from .selfeval import is_selfeval
    warned = [w for item in imported for w in item.warnings]
    for warning in warned:
        click.echo(f"警告 {warning}", err=True)
    evaluations = sum(1 for f in files if is_selfeval(f.path))
    what = "、".join(x for x in (f"{len(files) - evaluations} 个项目" if len(files) > evaluations else "",
                                 f"{evaluations} 张自评表" if evaluations else "") if x)
    touched = len({Path(f.path).parts[1] for f in files if len(Path(f.path).parts) > 2})
    click.echo(f"已导入 {what}到 {data / str(target_year)}（{touched} 个单位，"
               f"单位对照见 {data / units.UNITS_FILE}）" + (f"；{len(failures)} 张表无法导入" if failures else "")
               + (f"；{len(warned)} 处未能照原样读入，见上方警告" if warned else ""))
    sys.exit(EXIT_FOUND if failures or warned else EXIT_OK)


# -- summary -------------------------------------------------------------------------------

SUMMARY_SUFFIXES = {".xlsx": ("xlsx",), ".csv": ("csv",), ".json": ("json",), ".md": ("markdown",), ".txt": ("text",)}


@cli.command(context_settings=CONTEXT)
@data_option
@year_option(help="年度（默认：数据中最新的年度）")
@click.option("--by", "by", multiple=True, default=("unit",), show_default=True,
              type=click.Choice(["unit", "category", "department", "nature", "indicator-level"]),
              help="分组：unit 实施单位、category 项目类别、department 主管部门、nature 项目性质、"
                   "indicator-level 按一级/二级指标统计指标数；给两个 --by 得到交叉表")
@click.option("--unit", metavar="UNIT", help="只统计该单位（文件夹名或实施单位全称）")
@click.option("--department", metavar="NAME", help="只统计该主管部门")
@click.option("--category", metavar="NAME", help="只统计该项目类别（如 经常性项目；未勾选的写 （未勾选））")
@click.option("--unit-of-money", "money_unit", type=click.Choice(["万元", "元"]), default="万元", show_default=True,
              help="金额单位")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json", "markdown", "xlsx"]), default=None,
              help="输出格式（默认 text；用 -o 时按扩展名）；csv 带 BOM 供 Excel 直接打开；xlsx 含占比图")
@output_option("写入文件，格式按扩展名（.xlsx .csv .json .md .txt）；- 为标准输出")
def summary(data_dir: Path | None, year: int | None, by: tuple[str, ...], unit: str | None,
            department: str | None, category: str | None, money_unit: str, fmt: str | None,
            output: Path | None) -> None:
    """汇总资金：按实施单位、项目类别、主管部门统计项目数与各项金额（精确到分），及占比。"""
    from . import corpus, report
    from . import summary as summ
    from .problems import Problem
    from .workspace import project_files

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
        table = summ.total(counted(summ.select(corpus.iter_load(files, broken, step), None, department, category)),
                           by, money_unit)
    del files  # 50,000 file names are not needed to print the table
    if broken:  # totals over a set with an unreadable table in it would be wrong
        raise InputError(corpus.broken_message(broken))
    if not matched:
        from .workspace import elsewhere, years_holding
        fail(f"{y} 年度没有符合条件的项目" + (f"（单位“{folder}”）" if folder else "")
             + (elsewhere("该单位", years_holding(data, unit=folder, besides=y)) if folder else ""))
    table = report.Table(f"{y} 年度 {table.title}", table.columns, table.rows, table.footer, table.notes,
                         table.chart_column)
    if fmt == "xlsx":
        return write_workbook(out_file, table, "-o 汇总.xlsx")
    if fmt == "text" and out_file is None:
        return echo_lines(report.text_lines(table))  # a row per unit: printed as it is laid out
    text = report.FORMATS[fmt](table)
    if out_file is not None:
        write_output(out_file, text, f"已写入 {out_file}")
    else:
        click.echo(text, nl=False)


# -- diff ----------------------------------------------------------------------------------

REPORT_SUFFIXES = {".md": ("markdown",), ".txt": ("text",), ".json": ("json",)}

REV_HELP = ("git 修订版本，含义同 git：REV 比较 REV 与 HEAD 的共同祖先和工作区（合并请求改了什么）；"
            "A..B 比较 A 与 B；A...B 比较 A 与 B 的共同祖先和 B")


@cli.command("diff", context_settings=CONTEXT)
@click.argument("years", nargs=-1, type=cli_zh.Year(), metavar="[旧年度 新年度]")
@click.option("--rev", metavar="REV", help=REV_HELP)
@data_option
@click.option("--year", "only_year", type=cli_zh.Year(), metavar="YEAR", help="与 --rev 一起用时只比较该年度")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default=None,
              help="输出格式（默认 text；用 -o 写入 .md/.json 文件时按扩展名）；markdown 可直接贴作合并请求评论")
@output_option("写入文件（.txt .md .json）；- 为标准输出")
@click.option("--unit-of-money", "money_unit", type=click.Choice(["万元", "元"]), default="万元", show_default=True)
@click.option("--exit-code", is_flag=True, help="有变化时以退出码 1 结束（供脚本判断）")
@jobs_option
def diff_(years: tuple[int, ...], rev: str | None, data_dir: Path | None, only_year: int | None, fmt: str | None,
          output: Path | None, money_unit: str, exit_code: bool, jobs: int | None) -> None:
    """对比两个年度（perfgoals diff 2023 2024）或两个 git 版本（perfgoals diff --rev main）的绩效目标表。

    报告新增、取消、改名的项目（整个单位文件夹改名算一次改名），资金变化，表头与目标文字的改动，
    指标的增删、移动和指标值变化，并标出降低的目标（≥95% → ≥90%、12次 → 10次、每月 → 每季度、期限推后、≥ 改为 ≤）。
    """
    from . import corpus, diffreport, review
    from . import diff as differ
    from .runtime import bulk
    from .atomic import is_stdout
    from .workspace import YearListing, choose_year

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
            moved, results = corpus.compared_by_unit(YearListing(data, y1), YearListing(data, y2), money_unit,
                                                     c1.count + c2.count, jobs, step)
            report = differ.collect(results, f"{y1} 年", f"{y2} 年", money_unit, moved)
    else:
        if years:
            fail("--rev 与年度参数不能同时使用；只比较某一年请用 --year")
        report = review.diff_range(data, rev, only_year, money_unit)
    if output is not None:
        text = "".join(f"{line}\n" for line in diffreport.text_lines(report)) if fmt == "text" \
            else diffreport.FORMATS[fmt](report)
        write_output(output, text, f"已写入 {output}", err=True)
    elif fmt == "text":
        echo_lines(diffreport.text_lines(report))  # a section per changed project: printed as it is made
    else:
        click.echo(diffreport.FORMATS[fmt](report), nl=False)
    sys.exit(EXIT_FOUND if exit_code and report.changed else EXIT_OK)


@cli.command(context_settings=CONTEXT)
@click.option("--rev", required=True, metavar="REV", help=REV_HELP + "（如合并请求的目标分支 origin/main）")
@data_option
@year_option()
@click.option("--unit", metavar="UNIT", help="只看该单位（文件夹名或实施单位全称）")
@click.option("--format", "fmt", type=click.Choice(["markdown", "text", "json"]), default=None,
              help="输出格式（默认 text；用 -o 写入 .md/.json 文件时按扩展名）；markdown 可直接作合并请求评论")
@output_option("写入文件（.md .txt .json）；- 为标准输出")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE", help="配置文件（默认：就近的 .perfgoals.yaml）")
@click.option("--unit-of-money", "money_unit", type=click.Choice(["万元", "元"]), default="万元", show_default=True)
@jobs_option
def review(rev: str, data_dir: Path | None, year: int | None, unit: str | None, fmt: str | None,
           output: Path | None, config: Path | None, money_unit: str, jobs: int | None) -> None:
    """合并请求审核：一份报告说清这次改动做了什么。

    \b
    依次列出：新出现的检查问题（错误在前；与基准版本都有的旧问题不列）、降低的目标、
    各项目的变化（资金增加而目标降低的项目特别标出）、新增/取消/改名的项目、各单位资金合计。
    退出码：0 没有新错误；1 有新错误；2 参数错误或 git 历史不全。
    """
    from . import review as reviewing
    from . import reviewreport
    from .lint import config as lconf

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
    sys.exit(EXIT_FOUND if result.new_errors else EXIT_OK)


# -- render --------------------------------------------------------------------------------

RENDER_FORMATS = ("html", "xlsx", "pdf")  # the keys of render.RENDERERS (not imported at start-up)


@cli.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(RENDER_FORMATS), default="html", show_default=True,
              help="html：网页（可在浏览器中打印为 A4）；xlsx：Excel 工作簿（每个项目一个工作表，另有汇总表）；"
                   "pdf：可打印、可公开的 PDF（另需在仓库根目录 pip install -e '.[pdf]' 及系统的 Pango 库，见 README）")
@click.option("--unit", metavar="UNIT", help="只生成该单位（文件夹名或实施单位全称）")
@click.option("--project", "project_name", metavar="NAME", help="只生成该项目（项目名称）")
@click.option("--all", "everything", is_flag=True, help="生成全部单位（不指定 --unit/--project 时的默认做法）")
@year_option(help="年度（默认：数据中有项目的最新年度）")
@output_option("输出目录（默认：data/ 旁的 out/，即仓库根目录下的 out/，无论在哪个目录运行）", "DIR", folder=True)
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
              help="自定义模板目录：其中的同名文件替换自带模板（project.html、unit.html、index.html、form.html、"
                   "print.html、base.html、style.css）")
@click.option("--official/--no-official", default=None,
              help="按纸质表的写法：三级指标前写“指标1：”，日期写作 2024.01.01，不列出没有指标的二级指标空行"
                   "（pdf 默认是，html/xlsx 默认否）")
@click.option("--blank-slots/--no-blank-slots", default=None,
              help="是否像空白表那样列出没有指标的二级指标行（默认：--official 时否，否则是）")
@click.option("--自评", "--self-eval", "self_eval", is_flag=True,
              help="生成年终绩效自评表（*.自评.yaml）而不是目标表：每个单位一个网页文件夹、工作簿或 PDF")
@data_option
@jobs_option
def render(fmt: str, unit: str | None, project_name: str | None, everything: bool, year: int | None,
           output: Path | None,
           templates_dir: Path | None, official: bool | None, blank_slots: bool | None, self_eval: bool,
           data_dir: Path | None, jobs: int | None) -> None:
    """生成官方表式的绩效目标表：HTML 网页、Excel 工作簿或 PDF。

    \b
    PDF：--project 一个项目一个文件；--unit 一个单位的全部表格一个文件；
    不加时生成全年度一个文件（封面、按单位的目录及页码、汇总表，然后是每一张表）。
    加 --自评 时生成年终绩效自评表（财预〔2020〕10号表式），Excel 可再用 perfgoals import 导入。
    """
    from . import render as rendering
    from .workspace import ProjectFile, YearListing, project_files

    if everything and (unit or project_name):
        fail("--all 不能与 --unit、--project 同时使用")
    data = resolve_data(data_dir)
    out_dir = output if output is not None else default_out(data)
    folder = unit_folder(data, unit)
    choice = year_choice(data, year)
    y = choice.year
    listing = None
    if fmt == "html" and not self_eval and folder is None and project_name is None:
        # a whole year's web pages: listed and made a unit at a time, never the year's file list
        listing = YearListing(data, y)
        files: list[ProjectFile] = []
        count = choice.count if listing.units else 0
    else:
        files = project_files([data / str(y)], data, y, folder, "selfeval" if self_eval else "target")
        count = len(files)
    from .workspace import elsewhere, years_holding
    if not count:
        what = "自评表（*.自评.yaml）" if self_eval else "项目文件"
        if folder:
            fail(f"单位“{folder}”在 {y} 年度没有{what}"
                 + elsewhere("该单位", years_holding(data, unit=folder, besides=y, selfeval=self_eval)))
        fail(f"{y} 年度没有{what}")
    hint = elsewhere("该项目", years_holding(data, project=project_name, unit=folder, besides=y, selfeval=self_eval)) \
        if project_name else ""
    official = (fmt == "pdf") if official is None else official
    with progress_bar(count, "生成") as step:
        req = rendering.Request(y, files, out_dir, folder, project_name, not official if blank_slots is None
                                else blank_slots, official, templates_dir, selfeval=self_eval, jobs=jobs,
                                listing=listing, listed=count, progress=step, elsewhere=hint)
        written = rendering.run(fmt, req)
    click.echo(written.message)


# -- score ---------------------------------------------------------------------------------

SCORE_SUFFIXES = {".xlsx": ("xlsx",), ".csv": ("csv",), ".json": ("json",), ".txt": ("text",)}


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[路径]...")
@data_option
@year_option()
@click.option("--unit", metavar="UNIT", help="只看该单位（文件夹名或实施单位全称）")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "xlsx"]), default=None,
              help="输出格式（默认 text；用 -o 写文件时按扩展名）")
@output_option("写入文件（.txt .json .csv .xlsx）；- 为标准输出")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="配置文件（默认：就近的 .perfgoals.yaml；其中 score: 一节可调整档次、用词和等级）")
def score(paths: tuple[Path, ...], data_dir: Path | None, year: int | None, unit: str | None, fmt: str | None,
          output: Path | None, config: Path | None) -> None:
    """按财预〔2020〕10号的方法为年终绩效自评表（*.自评.yaml）计分，与表上所填的分数对照。

    \b
    执行率 = 全年执行数 ÷ 全年预算数；预算得分 = 执行率 × 分值（不超过分值）。
    定量指标：≥ 类实际 ÷ 目标 × 分值；≤ 类超过目标后线性递减，到目标的 2 倍为 0；期限指标按期完成得满分。
    定性指标按档次：达成 80–100%、部分达成 60–80%、未达成 0–60% 的分值。
    总分 = 预算得分 + 各指标得分；等级：优 ≥ 90，良 80–89，中 60–79，差 < 60。
    表上分数与计算不符、“自评打高分”等问题由 perfgoals lint 报告（selfeval-… 规则）。
    """
    from . import report, scorereport
    from .lint import config as lconf
    out_file = checked_output(output, data_dir)
    fmt = output_format(out_file, fmt, SCORE_SUFFIXES, "text")
    files, _data = select_files(paths, data_dir, year, unit, "selfeval")
    policy = lconf.load(config, Path.cwd()).policy()
    scored = scorereport.load(files, policy)
    grades = [g for g, _lowest in policy.grades]
    table = scorereport.projects(scored, "绩效自评得分")
    if fmt == "xlsx":
        return write_workbook(out_file, table, "-o 自评得分.xlsx")
    text = {"text": lambda: scorereport.as_text(scored, grades), "json": lambda: scorereport.as_json(scored, grades),
            "csv": lambda: report.as_csv(table)}[fmt]()
    if out_file is not None:
        write_output(out_file, text, f"已写入 {out_file}")
    else:
        click.echo(text, nl=False)


# -- export --------------------------------------------------------------------------------

EXPORT_SUFFIXES = {".sqlite": ("sqlite",), ".db": ("sqlite",), ".sqlite3": ("sqlite",)}


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[路径]...")
@data_option
@click.option("--year", type=cli_zh.Year(), metavar="YEAR", help="只导出该年度（默认：全部年度）")
@click.option("--unit", metavar="UNIT", help="只导出该单位（文件夹名或实施单位全称）")
@click.option("--format", "fmt", type=click.Choice(["csv", "sqlite", "parquet"]), default=None,
              help="csv（文件夹，内含 项目.csv 与 指标.csv）、sqlite（一个文件，表 项目 与 指标）或 parquet（文件夹）；"
                   "默认按 -o 的扩展名（.sqlite/.db 为 sqlite），否则为 csv")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), metavar="PATH",
              help="写到哪里（必填）：sqlite 为文件，csv 与 parquet 为文件夹")
def export(paths: tuple[Path, ...], data_dir: Path | None, year: int | None, unit: str | None, fmt: str | None,
           out: Path | None) -> None:
    """导出全部项目与指标，供 DuckDB、pandas、Excel 透视表或 BI 工具分析（逐个项目读写，内存不随数据量增长）。

    \b
    表“项目”：每个项目一行（表头、两栏资金、目标、指标数）；
    表“指标”：每个三级指标一行（所属项目、一级/二级指标、序号、名称、年度指标值及其比较符、数值、计量单位）。
    金额既有表上原样的文字，也有以“分”为单位的整数列（…_分，万元已换算），求和精确。
    """
    from . import corpus
    from . import export as exporting
    from .problems import Problem

    from .atomic import is_stdout
    if out is None:
        fail("请用 -o 指定写到哪里，如 -o 绩效目标.sqlite 或 -o 导出/")
    if is_stdout(out):
        fail("export 写出的是数据库文件或一个文件夹的表格，不能写到标准输出（-o -）；请给出文件名或文件夹")
    if fmt is None:
        fmt = EXPORT_SUFFIXES.get(out.suffix.lower(), ("csv",))[0]
    checked_output(out if out.suffix else None, data_dir)  # a .yaml name inside data/ is a project's place
    if fmt == "sqlite" and out.is_dir():
        fail(f"{out} 是文件夹：sqlite 请给文件名，如 -o 绩效目标.sqlite")
    if fmt != "sqlite" and out.exists() and not out.is_dir():
        fail(f"{out} 是文件：{fmt} 导出到文件夹，如 -o 导出/")
    files, _data = select_files(paths, data_dir, year, unit)
    broken: list[Problem] = []

    def items() -> Iterator[Any]:
        yield from corpus.iter_load(files, broken, step)
        if broken:  # nothing is written when a file cannot be read
            raise InputError(corpus.broken_message(broken))

    with progress_bar(len(files), "导出") as step:
        written, projects, indicators = exporting.export(items(), fmt, out)
    click.echo(f"已导出 {projects} 个项目、{indicators} 个指标：" + "、".join(str(p) for p in written))


# -- new / schema --------------------------------------------------------------------------

@cli.command(context_settings=CONTEXT)
@click.argument("name", metavar="项目名称")
@year_option(required=True, help="年度（四位数字，如 2025）")
@click.option("--unit", required=True, metavar="UNIT",
              help="单位：文件夹名（如 妇联）或 data/units.yaml 中的实施单位全称（如 共青团浦江镇委员会）")
@click.option("--new-unit", is_flag=True, help="--unit 是一个新单位：新建其文件夹并记入 data/units.yaml")
@click.option("--department", metavar="NAME", help="主管部门（如 浦江镇人民政府）")
@click.option("--form", type=click.Choice(["2024", "101"]), default="2024",
              help="指标框架：2024（成本指标属产出指标）或 101（成本指标为一级指标，申报表）")
@click.option("--自评", "--self-eval", "self_eval", is_flag=True,
              help="为已有的项目新建年终绩效自评表（<项目文件>.自评.yaml），由其目标表预填指标和年初预算数")
@data_option
def new(name: str, year: int, unit: str, new_unit: bool, department: str | None, form: str, self_eval: bool,
        data_dir: Path | None) -> None:
    """新建一张空白绩效目标表：表上每个一级、二级指标都留有空行，直接在编辑器中填写。

    单位必须是已有的单位（文件夹名或实施单位全称，写错时提示相近的单位）；新单位请加 --new-unit。
    加 --自评 时为已有项目新建年终自评表，放在目标表旁边。
    """
    from . import blank, importing, units

    data = resolve_data(data_dir, create=not self_eval)
    if self_eval:
        writes = blank.selfeval_files(data, name, year, unit)
    else:
        writes = blank.new_files(data, name, year, unit, new_unit, department, form)
    path = data / next(iter(writes))
    if path.exists():
        fail(f"文件已存在：{path}（不会覆盖）")
    importing.write_all(data, writes)
    click.echo(f"已新建 {path}" + ("（新单位已记入 " + str(data / units.UNITS_FILE) + "）"
                                   if units.UNITS_FILE in writes else ""))


@cli.command(context_settings=CONTEXT)
@click.option("--自评", "--self-eval", "self_eval", is_flag=True, help="输出自评表（*.自评.yaml）的 JSON Schema")
def schema(self_eval: bool) -> None:
    """输出项目文件的 JSON Schema（供 VS Code 等编辑器自动补全与校验）。"""
    from .schema import project_schema, selfeval_schema
    click.echo(json.dumps(selfeval_schema() if self_eval else project_schema(), ensure_ascii=False, indent=2))


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: Chinese messages and documented exit codes, never a traceback."""
    try:
        # not standalone: click would turn Ctrl-C into "Aborted!" and exit code 1
        code = cli.main(args=argv, prog_name="perfgoals", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("已中止（Ctrl-C），未完成的文件没有写入", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except OSError as e:
        click.echo(f"错误：{os_message(e)}", err=True)
        sys.exit(EXIT_INPUT)
    except Exception as e:  # a bug: say so plainly, in Chinese, with what to report
        click.echo(f"内部错误（请把以下信息报告给维护者）：{type(e).__name__}: {e}", err=True)
        sys.exit(EXIT_BUG)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
