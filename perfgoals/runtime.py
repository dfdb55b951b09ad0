"""How large runs are run: bulk loading, the worker pool, and where caches live.

Kept apart from `lint` so that fmt, summary, diff and render can use them without importing
the whole rule pack at start-up.
"""

from __future__ import annotations

import gc
import hashlib
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from . import __version__

#: Below this many files a process pool costs more than it saves (measured: benchmarks/results.md).
POOL_THRESHOLD = 300


def user_cache_root() -> Path:
    """The user's cache folder: $PERFGOALS_CACHE_DIR, else $XDG_CACHE_HOME/perfgoals, else the
    platform's (~/.cache, ~/Library/Caches, %LOCALAPPDATA%)."""
    if os.environ.get("PERFGOALS_CACHE_DIR"):
        return Path(os.environ["PERFGOALS_CACHE_DIR"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "perfgoals"
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "perfgoals" / "cache"
    home = Path.home()
    mac = home / "Library" / "Caches"
    return (mac if mac.is_dir() and not (home / ".cache").is_dir() else home / ".cache") / "perfgoals"


def cache_dir(repo: Path) -> Path | None:
    """Where the caches of a data repository live: outside its work tree, in the user's cache
    folder, under a hash of the repository's path — so a pull request can never plant a cache
    that makes lint or fmt --check pass. None (no cache) when that folder is a symbolic link or
    cannot be made."""
    root = user_cache_root()
    folder = root / hashlib.sha256(str(repo.resolve()).encode("utf-8")).hexdigest()[:24]
    try:
        for step in (root, folder):
            if step.is_symlink():
                return None  # a link could point the cache (and its writes) anywhere
        folder.mkdir(parents=True, exist_ok=True)
        if folder.is_symlink() or not folder.is_dir():
            return None
    except OSError:
        return None
    return folder


@contextmanager
def bulk() -> Iterator[None]:
    """No cyclic garbage collection while loading many files: they make no cycles, and the
    collector's passes over a growing heap cost 5–20 % of a large run."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def workers(jobs: int | None) -> int:
    """Worker processes to use: ``jobs`` if given, else every core; never more than the cores."""
    cores = os.cpu_count() or 1
    return min(jobs or cores, cores)


def pool_context() -> Any:
    """fork where the OS has it (cheap start, nothing to re-import), spawn elsewhere."""
    import multiprocessing  # only a run large enough for a pool pays for its import
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def code_fingerprint() -> str:
    """A hash of the tool's own code and presets: a changed rule invalidates every cache."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
