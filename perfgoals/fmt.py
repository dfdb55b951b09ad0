"""`perfgoals fmt`: rewrite project files canonically, like black — and never change their data."""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Any, Iterator, Sequence

from . import canonical, forms, loader, yamlio
from .problems import Problem


@dataclass(frozen=True)
class Formatted:
    """The outcome for one file: its canonical text, or the problem that stopped formatting."""

    path: str
    old: str
    new: str
    problem: Problem | None = None

    @property
    def changed(self) -> bool:
        return self.problem is None and self.old != self.new

    def diff(self) -> str:
        return "".join(difflib.unified_diff(self.old.splitlines(True), self.new.splitlines(True),
                                            f"{self.path}（原）", f"{self.path}（格式化后）"))


def format_text(text: str, path: str = "<文本>") -> Formatted:
    """Canonical text for a project file, verified to hold exactly the same data."""
    writer: Callable[[str], str]
    kind = forms.file_kind(path)
    if kind != "target":  # a 自评表 or 监控表 next to its target table
        package = forms.package(kind)
        document, problems = package.load_text(text, path)
        readable, writer = document is not None, package.format_text
    else:
        project, problems = loader.load_text(text, path)
        readable, writer = project is not None, yamlio.format_text
    blocking = [p for p in problems if p.rule == "syntax" or not readable]
    if blocking:
        return Formatted(path, text, text, blocking[0])
    try:
        new = writer(text)
    except yamlio.FormatError as e:
        return Formatted(path, text, text, Problem(path, e.line, 1, f"YAML 语法错误：{e}", "syntax"))
    try:
        same = loader.texts(new) == loader.texts(text)  # every scalar's text, not only its value
    except Exception:  # the check itself failed: treat as "would change", never write
        same = False
    if not same:
        return Formatted(path, text, text, Problem(
            path, 1, 1, "格式化会改变文件中的数据，已拒绝写入（请报告此问题）", "fmt-unsafe"))
    return Formatted(path, text, new)


def read_text(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    """Bytes of a file → text for formatting (a BOM and CRLF are accepted and normalised)."""
    try:
        text = loader.decode(data)
    except loader.BadInput as e:
        return None, Problem(path, e.line, e.column, e.message, e.rule)
    return text.replace("\r\n", "\n"), None


@dataclass(frozen=True)
class FileResult:
    """What formatting one file gives: nothing to do, a new text, or a problem."""

    shown: str
    changed: bool = False
    new: str | None = None
    diff: str = ""
    problem: Problem | None = None
    key: str = ""


def format_file(path: Path, shown: str, want_diff: bool = False) -> FileResult:
    """Read a file and work out its canonical text (pure: writes nothing)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        return FileResult(shown, problem=Problem(shown, 1, 1, f"无法读取：{e.strerror or e}", "syntax"))
    key = content_key(raw)
    text, problem = read_text(raw, shown)
    if problem is not None or text is None:
        return FileResult(shown, problem=problem, key=key)
    if forms.file_kind(shown) == "target" and text.encode("utf-8") == raw and canonical.is_canonical(text, shown):
        return FileResult(shown, key=key)  # canonical already, known without the round trip
    result = format_text(text, shown)
    if result.problem is not None:
        return FileResult(shown, problem=result.problem, key=key)
    if result.new.encode("utf-8") == raw:
        return FileResult(shown, key=key)
    return FileResult(shown, True, result.new, result.diff() if want_diff else "", key=key)


def content_key(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _work(args: tuple[str, str, bool]) -> FileResult:
    raw, shown, want_diff = args
    return format_file(Path(raw), shown, want_diff)


def format_files(files: Sequence[Any], want_diff: bool = False, known_canonical: set[str] | None = None,
                 jobs: int | None = None) -> Iterator[FileResult]:
    """Results for every file, in order; files whose content is known canonical are not parsed.

    Above `POOL_THRESHOLD` files the work runs in a process pool (ruamel's round trip is the
    slowest part of the tool, ~8 ms a file).
    """
    from .runtime import POOL_THRESHOLD, pool_context, workers
    todo = []
    for f in files:
        if known_canonical:
            try:
                if content_key(f.path.read_bytes()) in known_canonical:
                    continue
            except OSError:
                pass
        todo.append((f.raw, f.shown, want_diff))  # a string, not a Path: 50,000 of these wait here
    procs = workers(jobs)
    if len(todo) >= POOL_THRESHOLD and procs > 1:
        with pool_context().Pool(procs) as pool:
            yield from pool.imap(_work, todo, chunksize=16)
    else:
        for task in todo:
            yield _work(task)


class CanonicalCache:
    """Contents known to be canonical already, so `fmt --check` need not parse them again."""

    def __init__(self, folder: Path) -> None:
        from .runtime import code_fingerprint
        self.path = folder / "fmt.json"
        self.fingerprint = code_fingerprint()
        self.keys: set[str] = set()
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if raw.get("fingerprint") == self.fingerprint:
                self.keys = {str(k) for k in raw["canonical"]}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.keys = set()

    def save(self, keys: set[str]) -> None:
        from .atomic import write_atomic
        try:
            write_atomic(self.path, json.dumps({"fingerprint": self.fingerprint, "canonical": sorted(keys)}))
        except OSError:
            pass


def write_back(path: Path, result: FileResult, data_root: Path | None) -> str:
    """Replace a file by its formatted text, safely; returns a note for the user ("" when none).

    - Never over a change made since the file was read (another editor, a concurrent run):
      such a file is left alone (InputError).
    - A symbolic link is followed to its target, which must lie inside the data folder; the
      target is written and the link stays a link.
    - A file with several hard links is rewritten in place, so that every name keeps seeing it.
    - Mode bits, owner (where permitted) and extended attributes are kept (`atomic.write_atomic`).
    """
    from .problems import InputError
    from .atomic import write_atomic, write_in_place
    assert result.new is not None
    target = path
    note = ""
    if path.is_symlink():
        target = path.resolve()
        root = (data_root or path.parent).resolve()
        if not target.is_relative_to(root):
            raise InputError(f"{result.shown} 是指向数据目录以外（{target}）的链接，未格式化")
        note = f"（链接，已写入其目标 {target}）"
    try:
        current = target.read_bytes()
    except OSError as e:
        raise InputError(f"{result.shown} 在格式化期间无法读取：{e.strerror or e}，未写入") from None
    if content_key(current) != result.key:
        raise InputError(f"{result.shown} 在读取之后被改动过，未写入（请重新运行 perfgoals fmt）")
    data = result.new.encode("utf-8")
    if target.stat().st_nlink > 1:
        write_in_place(target, data, expected=current)
        return note or "（有多个硬链接，已原地写入）"
    write_atomic(target, data, expected=current)
    return note
