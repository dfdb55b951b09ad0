"""The click layer in Chinese: click's own messages ("Usage:", "Missing argument", …), help
wrapped by display width, the parameter types (年度, counts, registry choices), the options
several commands share, and the group that turns the core's errors into exit code 2.

click looks its messages up through ``gettext``; our users read Chinese, so the CLI swaps in
this table for click's modules. Messages not listed stay as click writes them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Callable

import click
from click.exceptions import MissingParameter

from .commands.common import EXIT_INPUT, note, os_message
from .problems import InputError
from .workspace import YEAR_MAX, YEAR_MIN

ZH = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用 '{command} {option}' 查看帮助。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such option: {name}": "没有选项：{name}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "Did you mean {possibility}?": "您是不是要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（您是不是要用其中之一：{possibilities}？）",
    "Aborted!": "已中止！",
    "default: {default}": "默认：{default}",
    "integer": "整数",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "Path": "路径",
    "File": "文件",
    "Directory": "文件夹",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "unknown error": "未知错误",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Value must be an iterable.": "值必须是一组值。",
}


def _gettext(message: str) -> str:
    return ZH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return ZH.get(singular if n == 1 else plural, singular if n == 1 else plural)


class HelpFormatter(click.HelpFormatter):
    """Help in one colon style: "用法：", "选项：", "[默认：万元；必填]"."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        """click's definition list measured in display columns (a Chinese character takes two),
        wrapped between Chinese characters or at spaces, never inside a word such as style.css."""
        rows = [(term, text.replace("; ", "；")) for term, text in rows]
        first_col = min(max((display_width(t) for t, _ in rows), default=0), col_max) + col_spacing
        for term, text in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not text:
                self.write("\n")
                continue
            if display_width(term) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(term)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(text, max(self.width - first_col - self.current_indent - 2, 20))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


_TOKEN = re.compile(r"\s+|[!-~]+|.", re.S)  # spaces, a run of ASCII (a word, a path, an option), one character
_NO_LINE_START = set("，。；：、）」』”！？》")


def display_width(text: str) -> int:
    """Columns a text takes on a terminal (wcwidth: two for a Chinese character)."""
    from wcwidth import wcswidth
    width = wcswidth(text)
    return width if width >= 0 else len(text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` display columns: broken between Chinese characters or at
    spaces, never inside an ASCII word, and no line starts with closing punctuation."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for token in _TOKEN.findall(paragraph):
            size = display_width(token)
            if token.isspace():
                if line:
                    line, used = line + " ", used + 1
                continue
            if line and used + size > width and token not in _NO_LINE_START:
                lines.append(line.rstrip())
                line, used = "", 0
            line, used = line + token, used + size
        lines.append(line.rstrip())
    return lines or [""]


def _missing_message(self: MissingParameter) -> str:
    """click ends this one with an ASCII period whatever the language: end it in Chinese."""
    text = _original_missing(self)
    return text.replace("'.", "'。", 1) if "'." in text else text


_original_missing = MissingParameter.format_message


class Registry(click.Choice):  # type: ignore[type-arg]  # generic only in newer click stubs
    """A choice among a registry's keys (``"perfgoals.render:RENDERERS"``), imported only when the
    option is used or its help is shown: the choices are never typed out a second time, and a
    command that does not need a registry never pays for importing it."""

    def __init__(self, where: str, first: tuple[str, ...] = (), last: tuple[str, ...] = ()) -> None:
        self.where, self.first, self.last = where, first, last
        super().__init__((), case_sensitive=True)

    @property
    def choices(self) -> tuple[str, ...]:
        import importlib
        module, _, attr = self.where.partition(":")
        return (*self.first, *getattr(importlib.import_module(module), attr), *self.last)

    @choices.setter
    def choices(self, _value: Any) -> None:
        pass


class Year(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click stubs
    """A four-digit budget year in a sane range (a typo like 25 or 20244 is refused)."""

    name = "年度"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            year = value
        else:
            text = str(value).strip()
            if not text.isdigit() or len(text) != 4:  # 02024 and 2024 are not the same thing to type
                self.fail(f"“{value}”不是年度：应为四位数字的年份（如 2025）", param, ctx)
            year = int(text)
        if not YEAR_MIN <= year <= YEAR_MAX:
            self.fail(f"“{value}”不是年度：应为 {YEAR_MIN} 至 {YEAR_MAX} 之间的四位数字年份（如 2025）", param, ctx)
        return year


class Count(click.ParamType):  # type: ignore[type-arg]
    """A whole number between ``low`` and ``high`` (e.g. the number of worker processes)."""

    name = "整数"

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            self.fail(f"“{value}”不是整数（应为 {self.low} 至 {self.high}）", param, ctx)
        if not self.low <= number <= self.high:
            self.fail(f"{number} 超出范围：应为 {self.low} 至 {self.high}", param, ctx)
        return number


def install() -> None:
    """Point click's message lookups at the Chinese table."""
    click.Context.formatter_class = HelpFormatter
    MissingParameter.format_message = _missing_message  # type: ignore[method-assign]
    for name in ("click.core", "click.exceptions", "click.formatting", "click.parser", "click.types",
                 "click.decorators", "click.termui", "click.utils"):
        module = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]


# -- the commands' building blocks: option declarations shared by several commands, and the group
#    that turns the core's errors into Chinese messages with exit code 2

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def data_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None, metavar="DIR",
                        help="数据目录（默认：当前目录或上级目录中的 data/）")(fn)


def year_option(required: bool = False, help: str = "只处理该年度（如 2024）") -> Callable[..., Any]:
    return click.option("--year", type=Year(), required=required, metavar="YEAR", help=help)


def jobs_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--jobs", type=Count(1, 64), default=None, metavar="N",
                        help="并行进程数，1 至 64（默认：文件多时用全部 CPU 核）")(fn)


def unit_option(help: str = "只看该单位（文件夹名如 妇联，或实施单位全称）", required: bool = False) -> Callable[..., Any]:
    return click.option("--unit", metavar="UNIT", required=required, help=help)


def format_option(registry: str, help: str, default: str | None = None, first: tuple[str, ...] = (),
                  last: tuple[str, ...] = ()) -> Callable[..., Any]:
    """``--format``, its choices the keys of ``registry`` (`Registry`)."""
    return click.option("--format", "fmt", type=Registry(registry, first, last), default=default,
                        show_default=default is not None, help=help)


def config_option(help: str = "配置文件（默认：就近的 .perfgoals.yaml）") -> Callable[..., Any]:
    return click.option("--config", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE", help=help)


def money_unit_option(help: str | None = None) -> Callable[..., Any]:
    return click.option("--unit-of-money", "money_unit", type=Registry("perfgoals.model:MONEY_UNITS"),
                        default="万元", show_default=True, help=help)


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
