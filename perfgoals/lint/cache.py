"""The lint cache: what each file gave last time, keyed by everything that decides it.

A file's problems and corpus entry depend on its bytes, the year and unit folders it sits in,
the levels the configuration gives the rules *for that path* (per-path settings), the tool's
code and the rule set. The key of a file hashes the first three; the cache file records a
fingerprint of the code and the whole configuration. It is never stale, and always safe to
delete.

It lives outside the work tree, in the user's cache folder (`runtime.cache_dir`): a pull
request cannot plant one, and a cache folder that is a symbolic link is not used. It is an
SQLite file of JSON records (never pickle, so even a tampered one can only ever be read as data),
read a record at a time: a city's 50,000 files need not sit in memory to be looked up.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

from ..runtime import code_fingerprint
from ..problems import Problem
from ..workspace import ProjectFile
from .. import selfeval
from . import engine
from .config import Config

CACHE_FILE = "lint.sqlite"
_BATCH = 2000


class Cache:
    """Outcomes of earlier runs, by content key. ``get`` re-stamps the file's current path.
    Any trouble with the file (locked, damaged, read-only) turns the cache off, never lint."""

    def __init__(self, folder: Path, config: Config) -> None:
        self.config = config
        self.path = folder / CACHE_FILE
        self.fingerprint = hashlib.sha256((code_fingerprint() + config.fingerprint()).encode()).hexdigest()
        self.db: sqlite3.Connection | None = None
        self.pending: list[tuple[str, str]] = []
        self.used = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=5)
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (fingerprint TEXT)")
            self.db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, record TEXT)")
            row = self.db.execute("SELECT fingerprint FROM meta").fetchone()
            if row is None or row[0] != self.fingerprint:  # other code or configuration: start afresh
                self.db.execute("DELETE FROM entries")
                self.db.execute("DELETE FROM meta")
                self.db.execute("INSERT INTO meta VALUES (?)", (self.fingerprint,))
                self.db.commit()
        except (sqlite3.Error, OSError):
            self._off()

    def _off(self) -> None:
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
        self.db = None

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
        if self.db is None:
            return False
        try:
            return self.db.execute("SELECT 1 FROM entries WHERE key = ?", (key,)).fetchone() is not None
        except sqlite3.Error:
            self._off()
            return False

    def get(self, key: str, path: str) -> Any | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT record FROM entries WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            raw = json.loads(row[0])
            problems = [Problem(path, int(p[0]), int(p[1]), str(p[2]), sys.intern(str(p[3])), sys.intern(str(p[4])),
                                str(p[5])) for p in raw["p"]]
            entry = None
            if raw.get("e") is not None:
                e = raw["e"]
                entry = engine.Entry(path, e["name"], {sys.intern(k): engine.freeze(v) for k, v in e["digests"].items()},
                                     {sys.intern(k): (int(v[0]), int(v[1])) for k, v in e["positions"].items()},
                                     {int(k): tuple(v) for k, v in e["suppressions"].items()})
            outcome = (problems, entry, int(raw.get("s", 0)))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None  # a damaged record is a miss, never an error
        except sqlite3.Error:
            self._off()
            return None
        self.used += 1
        return outcome

    def put(self, key: str, outcome: Any) -> None:
        if self.db is None:
            return
        problems, entry, hidden = outcome
        record = {
            "p": [[p.line, p.column, p.message, p.rule, p.level, p.data_path] for p in problems],
            "e": None if entry is None else {
                "name": entry.name, "digests": entry.digests, "positions": entry.positions,
                "suppressions": {str(k): v for k, v in entry.suppressions.items()}},
            "s": hidden,
        }
        self.pending.append((key, json.dumps(record, ensure_ascii=False, separators=(",", ":"))))
        self.used += 1
        if len(self.pending) >= _BATCH:
            self._write()

    def _write(self) -> None:
        if self.db is None or not self.pending:
            return
        try:
            self.db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", self.pending)
            self.db.commit()
        except sqlite3.Error:
            self._off()  # a read-only or full disk: lint still works, only without a cache
        self.pending = []

    def save(self) -> None:
        """Write what this run added; keep the file from growing without bound; never fail lint."""
        self._write()
        if self.db is None:
            return
        try:
            (count,) = self.db.execute("SELECT count(*) FROM entries").fetchone()
            if count > 3 * self.used + 10000:  # mostly records of files long gone: start afresh next time
                self.db.execute("DELETE FROM entries")
                self.db.commit()
        except sqlite3.Error:
            pass
        self._off()
