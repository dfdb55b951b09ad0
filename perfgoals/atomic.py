"""Writing files: atomically for regular files, through for what is not ours to replace.

One home for every write of the tool:

- `write_atomic` / `Writer`: a regular file is written to a temporary file beside it, flushed
  to disk and renamed over it, so a crash leaves the old file or the new one, never a half.
- A path that is not a regular file is never replaced: a character device (``/dev/null``, a
  terminal) or a FIFO is written through; a symbolic link is followed and its target written
  (the link stays a link); a block device, a socket or a folder is refused (`InputError`).
- `write_all`: many files, all or none (an import).
- `write_in_place`: a file with several hard links, rewritten in place.
- ``-o -``: standard output (`is_stdout`).
"""

from __future__ import annotations

import errno
import itertools
import os
import secrets
import stat
from pathlib import Path
from typing import Callable, Iterable, Mapping

from .problems import InputError

#: ``-o -``: standard output instead of a file
STDOUT = "-"


def is_stdout(path: Path | str | None) -> bool:
    return path is not None and os.fspath(path) == STDOUT


def _kind(target: str) -> tuple[str, str, os.stat_result | None]:
    """What is at ``target``: ("file" | "missing" | "through" | "refuse", the path to write, its
    stat). A symbolic link is followed to the end of its chain."""
    try:
        st = os.lstat(target)
    except (FileNotFoundError, NotADirectoryError):
        return "missing", target, None
    if stat.S_ISLNK(st.st_mode):
        target = os.path.realpath(target)
        try:
            st = os.stat(target)
        except FileNotFoundError:
            return "missing", target, None  # a dangling link: the file it names is made
    if stat.S_ISREG(st.st_mode):
        return "file", target, st
    if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return "through", target, st
    return "refuse", target, st


def _refusal(path: Path | str, st: os.stat_result) -> InputError:
    if stat.S_ISDIR(st.st_mode):
        what = "文件夹"
    elif stat.S_ISBLK(st.st_mode):
        what = "块设备（磁盘）"
    elif stat.S_ISSOCK(st.st_mode):
        what = "套接字"
    else:
        what = "特殊文件"
    return InputError(f"{path} 是{what}，不是普通文件：不会写入或替换它；请换一个文件名")


def check_writable(path: Path | str) -> None:
    """Refuse before any work is done when ``path`` is a folder, a block device or a socket."""
    kind, _target, st = _kind(os.fspath(path))
    if kind == "refuse" and st is not None:
        raise _refusal(path, st)


def write_atomic(path: Path, text: str | bytes | Iterable[str], expected: bytes | None = None) -> None:
    """Write a file so that a crash leaves either the old file or the new one, never a half.

    The bytes go to a temporary file in the same folder, are flushed to disk, and then
    replace the target in one rename (atomic on POSIX and Windows). The old file's mode bits,
    owner (where permitted) and extended attributes carry over. With ``expected`` the target
    must still hold those bytes just before the rename, else nothing is replaced (InputError).
    A character device or FIFO is written through, a link's target written (module docstring).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace(path, text.encode("utf-8") if isinstance(text, str) else text, expected)


def _replace(path: Path | str, data: bytes | Iterable[str], expected: bytes | None = None) -> None:
    """`write_atomic` itself; ``data`` may be text in parts, written as it comes (a page with a
    line per unit of a city is never one string). A missing folder is made. Plain system calls
    only: the `Writer`'s threads run this for every page, and Python code there holds the
    interpreter lock the page-making thread needs."""
    kind, target, old = _kind(os.fspath(path))
    if kind == "refuse" and old is not None:
        raise _refusal(path, old)
    if kind == "through":
        _write_through(target, data)
        return
    folder, name = os.path.split(target)
    fd, tmp = _temporary(folder or ".", name)
    try:
        try:
            _write_data(fd, data)
            os.fsync(fd)
            if old is None:
                _chmod(fd, tmp, 0o644)
            else:
                _keep_metadata(target, old, fd, tmp)
        finally:
            os.close(fd)
        if expected is not None and Path(target).read_bytes() != expected:
            raise InputError(f"{path} 在读取之后被改动过，未写入")
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _write_through(target: str, data: bytes | Iterable[str]) -> None:
    """Write into a character device or FIFO as it is (a reader of a FIFO gets the bytes)."""
    fd = os.open(target, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        _write_data(fd, data)
    finally:
        os.close(fd)


def _write_data(fd: int, data: bytes | Iterable[str]) -> None:
    """Bytes, or text in parts written as they come (a page is never whole in memory)."""
    if isinstance(data, bytes):
        _write_all(fd, data)
    else:
        for part in data:
            _write_all(fd, part.encode("utf-8"))


_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_serial = itertools.count()


def temp_prefix(name: str, limit: int = 48) -> str:
    """The start of a temporary file's name beside ``name``: a dot and at most ``limit`` bytes of
    the name, so that a long Chinese file name (3 bytes a character) plus the temporary suffix
    still fits the file system's 255 bytes."""
    short = name
    while len(short.encode("utf-8")) > limit:
        short = short[:-1]
    return f".{short}."


def _temporary(folder: str, name: str) -> tuple[int, str]:
    """A new temporary file next to ``name`` (only this process can read it until it is renamed):
    its descriptor and path. The folder is made when it is missing."""
    tmp = f"{folder}/{temp_prefix(name)}{os.getpid()}-{next(_serial)}.tmp"
    for attempt in range(100):
        try:
            return os.open(tmp, _NEW, 0o600), tmp
        except FileExistsError:  # left behind by a run that was killed: another name
            tmp = f"{folder}/{temp_prefix(name)}{secrets.token_hex(4)}.tmp"
        except FileNotFoundError:
            if attempt:
                raise
            os.makedirs(folder, exist_ok=True)
    raise FileExistsError(errno.EEXIST, "no free temporary name", tmp)


def staged(target: Path) -> tuple[int, Path]:
    """A new temporary file beside ``target`` to be renamed over it later (import's all-or-none,
    export's tables): its descriptor and path; only this process can read it until then."""
    fd, tmp = _temporary(os.fspath(target.parent), target.name)
    return fd, Path(tmp)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class Writer:
    """Many files written as `write_atomic` writes one (temporary file, flushed to disk, renamed),
    on a few threads: waiting for the disk overlaps with making the next file. A render of
    10,000 pages spent most of its time in fsync one file after another.

    Use as a context manager; a failed write raises `InputError` naming the file, at the next
    `write` or on leaving the block. At most `PENDING` files wait in memory.
    """

    THREADS = 4
    PENDING = 64

    def __init__(self) -> None:
        from concurrent.futures import Future, ThreadPoolExecutor
        self._pool = ThreadPoolExecutor(self.THREADS, thread_name_prefix="perfgoals-write")
        self._pending: list[tuple[Path, Future[None]]] = []

    def write(self, path: Path, data: str | bytes | Iterable[str]) -> None:
        """Write ``path`` atomically: text or bytes on a thread; text in parts (an iterator of
        str, made as it is written) here and now, so that it is never whole in memory."""
        if not isinstance(data, (str, bytes)):
            self._settle(_failure(lambda: _replace(path, data), path))
            return
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self._pending.append((path, self._pool.submit(_replace, path, raw)))
        if len(self._pending) >= self.PENDING:
            self._wait(len(self._pending) // 2)

    def _wait(self, count: int) -> None:
        done, self._pending = self._pending[:count], self._pending[count:]
        for path, future in done:
            self._settle(_failure(future.result, path))

    def _settle(self, error: InputError | None) -> None:
        if error is not None:
            self.close(wait=False)
            raise error

    def close(self, wait: bool = True) -> None:
        if wait:
            self._wait(len(self._pending))
        else:
            for _path, future in self._pending:
                future.cancel()
            self._pending = []
        self._pool.shutdown(wait=True)

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, kind: object, *_rest: object) -> None:
        self.close(wait=kind is None)


def _failure(action: Callable[[], object], path: Path) -> InputError | None:
    """None when ``action`` succeeds, else the Chinese message for what went wrong with ``path``."""
    try:
        action()
    except PermissionError:
        return InputError(f"无法写入 {path}：没有写权限")
    except OSError as e:
        return InputError(f"无法写入 {path}：{e.strerror or e}")
    return None


def _chmod(fd: int, path: str, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # Windows before Python 3.13
        os.chmod(path, mode)


def _keep_metadata(old: str, st: os.stat_result, fd: int, new: str) -> None:
    """The replaced file's mode bits, owner (where permitted) and extended attributes, onto the
    new file (open as ``fd`` at ``new``)."""
    _chmod(fd, new, st.st_mode & 0o7777)
    try:
        os.fchown(fd, st.st_uid, st.st_gid)
    except (PermissionError, AttributeError, OSError):
        pass  # not permitted (another user's file): the mode bits still carry over
    for name in getattr(os, "listxattr", lambda _p: [])(old):
        try:
            os.setxattr(fd, name, os.getxattr(old, name))
        except OSError:
            pass


def write_in_place(path: Path, data: bytes, expected: bytes) -> None:
    """Rewrite a file's content in place (for hard-linked files, which a rename would split)."""
    with open(path, "r+b") as fh:
        if fh.read() != expected:
            raise InputError(f"{path} 在读取之后被改动过，未写入")
        fh.seek(0)
        fh.write(data)
        fh.truncate()
        fh.flush()
        os.fsync(fh.fileno())


def write_all(data: Path, writes: Mapping[str, str]) -> None:
    """Write every file (path relative to ``data`` → text) or none of them.

    Each text is staged in a temporary file beside its target; only when all are on disk are
    they renamed into place. A failure while staging (full disk, no permission) removes the
    staged files and raises an InputError naming the path.
    """
    done: list[tuple[Path, Path]] = []  # (staged file, its target)
    root = data.resolve()
    for rel in writes:  # a unit folder that is a link (git carries links) must not lead a write elsewhere
        where = (data / rel).parent
        while not where.exists() and where != data and where != where.parent:
            where = where.parent  # the deepest folder there is already, up to data/ itself
        if where.exists() and not where.resolve().is_relative_to(root):
            raise InputError(f"{data / rel} 会写到数据目录以外（{where} 是指向 {where.resolve()} 的链接）；"
                             "未写入任何文件")
        if (data / rel).is_symlink() and not (data / rel).resolve().is_relative_to(root):
            raise InputError(f"{data / rel} 是指向数据目录以外（{(data / rel).resolve()}）的链接；未写入任何文件")
    try:
        for rel, text in writes.items():
            target = data / rel
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = staged(target)
                done.append((tmp, target))
                with os.fdopen(fd, "wb") as fh:
                    fh.write(text.encode("utf-8"))
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(tmp, 0o644)
            except OSError as e:
                raise InputError(f"无法写入 {target}：{e.strerror or e}；未导入任何文件") from None
        for tmp, target in done:
            os.replace(tmp, target)
        done = []
    finally:
        for tmp, _target in done:
            try:
                os.unlink(tmp)
            except OSError:
                pass
