"""The lint cache: what each file gave last time, keyed by everything that decides it.

A file's problems and corpus entry depend on its bytes, the year and unit folders it sits in,
the levels the configuration gives the rules *for that path* (per-path settings), the tool's
code and the rule set. The key of a file hashes the first three; the cache file records a
fingerprint of the code and the whole configuration. It is never stale, and always safe to
delete.

It lives outside the work tree, in the user's cache folder (`runtime.cache_dir`): a pull
request cannot plant one, and a cache folder that is a symbolic link is not used. The file is
JSON, not pickle, so even a tampered one can only ever be read as data.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..runtime import code_fingerprint
from ..problems import Problem
from ..workspace import ProjectFile, write_atomic
from .. import selfeval
from . import engine
from .config import Config

CACHE_FILE = "lint.json"


class Cache:
    """Outcomes of earlier runs, by content key. ``get`` re-stamps the file's current path."""

    def __init__(self, folder: Path, config: Config) -> None:
        self.config = config
        self.path = folder / CACHE_FILE
        self.fingerprint = hashlib.sha256((code_fingerprint() + config.fingerprint()).encode()).hexdigest()
        self.entries: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self.dirty = False
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(raw, dict) and raw.get("fingerprint") == self.fingerprint:
                self.entries = raw["entries"]
        except (OSError, ValueError, KeyError, TypeError):
            self.entries = {}

    def key(self, f: ProjectFile) -> str | None:
        try:
            data = f.path.read_bytes()
            if selfeval.is_selfeval(f.path):  # its findings depend on the target table beside it
                target = selfeval.target_path(f.path)
                data += b"\0" + (target.read_bytes() if target.is_file() else b"")
        except OSError:
            return None  # the reader reports it
        levels = self.config.levels_for(f.shown)  # a per-path setting changes what the file gives
        return hashlib.blake2b(data + f"|{f.year}|{f.unit}|{levels}".encode(), digest_size=16).hexdigest()

    def has(self, key: str) -> bool:
        return key in self.entries

    def get(self, key: str, path: str) -> Any | None:
        raw = self.entries.get(key)
        if raw is None:
            return None
        try:
            problems = [Problem(path, int(p[0]), int(p[1]), str(p[2]), str(p[3]), str(p[4]), str(p[5]))
                        for p in raw["p"]]
            entry = None
            if raw.get("e") is not None:
                e = raw["e"]
                entry = engine.Entry(path, e["name"], {k: engine.freeze(v) for k, v in e["digests"].items()},
                                     {k: (int(v[0]), int(v[1])) for k, v in e["positions"].items()},
                                     {int(k): tuple(v) for k, v in e["suppressions"].items()})
            outcome = (problems, entry, int(raw.get("s", 0)))
        except (KeyError, TypeError, ValueError, IndexError):
            return None  # a damaged record is a miss, never an error
        self.used[key] = raw
        return outcome

    def put(self, key: str, outcome: Any) -> None:
        problems, entry, hidden = outcome
        self.used[key] = {
            "p": [[p.line, p.column, p.message, p.rule, p.level, p.data_path] for p in problems],
            "e": None if entry is None else {
                "name": entry.name, "digests": entry.digests, "positions": entry.positions,
                "suppressions": {str(k): v for k, v in entry.suppressions.items()}},
            "s": hidden,
        }
        self.dirty = True

    def save(self) -> None:
        """Write the records this run used (plus earlier ones, within reason); never fail lint."""
        if not self.dirty and len(self.used) == len(self.entries):
            return
        keep = dict(self.used)
        if len(self.entries) + len(keep) <= 2 * len(keep) + 1000:
            keep = {**self.entries, **keep}
        body = {"fingerprint": self.fingerprint, "说明": "perfgoals lint 缓存：可随时删除", "entries": keep}
        try:
            write_atomic(self.path, json.dumps(body, ensure_ascii=False, separators=(",", ":")))
        except OSError:
            pass  # a read-only checkout: lint still works, only without a cache
