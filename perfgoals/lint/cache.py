"""The lint cache: what each file gave last time, keyed by everything that decides it.

A file's problems and corpus entry depend on its bytes, the year and unit folders it sits in,
the levels the configuration gives the rules *for that path* (per-path settings), the tool's
code and the rule set. The key of a record hashes all of them (`Keyer`), and a record is filed
under the key of the bytes that were actually checked. It is never stale, two runs with other
settings cannot mix their records, and it is always safe to delete.

It lives outside the work tree, in the user's cache folder (`runtime.cache_dir`): a pull
request cannot plant one, and a cache folder that is a symbolic link is not used. It is an
SQLite file of JSON records (never pickle, so even a tampered one can only ever be read as data),
read a record at a time: a city's 50,000 files need not sit in memory to be looked up.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple

from ..runtime import code_fingerprint
from ..problems import Problem
from ..workspace import ProjectFile
from ..forms import beside_path, file_kind
from . import engine
from .config import Config

CACHE_FILE = "lint.sqlite"
_BATCH = 2000


class Inputs(NamedTuple):
    """The bytes a file's outcome depends on: its own, for a 自评表 or 监控表 its target table's
    (None when there is none), and for a 监控表 also the 自评表 of its year (its forecasts are
    checked against what happened)."""

    data: bytes
    target: bytes | None
    evaluation: bytes | None = None


class Keyer:
    """Reads a file's inputs and makes its key: a hash of the bytes read, the year and unit
    folders, the levels in force for its path, and the fingerprint of the code and the whole
    configuration — so a record can only ever be found by a run that would compute the same
    outcome, whatever other runs with other settings wrote into the same cache. Small enough
    to send to the worker processes, which key the bytes they check themselves."""

    def __init__(self, config: Config, fingerprint: str) -> None:
        self.config = config
        self.fingerprint = fingerprint.encode()

    def read(self, f: ProjectFile) -> Inputs | None:
        try:
            data = _read(f.path)
            target = evaluation = None
            kind = file_kind(f.path.name)
            if kind != "target":  # its findings depend on the target table beside it
                target_file = beside_path(f.path, kind, "target")
                target = _read(target_file) if target_file.is_file() else None
            if kind == "monitor":
                evaluation_file = beside_path(f.path, kind, "selfeval")
                evaluation = _read(evaluation_file) if evaluation_file.is_file() else None
        except OSError:
            return None  # the reader reports it
        return Inputs(data, target, evaluation)

    def key(self, f: ProjectFile, inputs: Inputs | None) -> str | None:
        if inputs is None:
            return None
        levels = self.config.levels_for(f.shown)  # a per-path setting changes what the file gives
        digest = hashlib.blake2b(self.fingerprint, digest_size=16)
        digest.update(b"\0%d\0" % len(inputs.data))
        digest.update(inputs.data)
        digest.update(b"\0-" if inputs.target is None else b"\0%d\0" % len(inputs.target))
        digest.update(inputs.target or b"")
        digest.update(b"\0-" if inputs.evaluation is None else b"\0%d\0" % len(inputs.evaluation))
        digest.update(inputs.evaluation or b"")
        digest.update(f"|{f.year}|{f.unit}|{levels}".encode())
        return digest.hexdigest()


def _read(path: Path) -> bytes:
    """A file's bytes, read only when it is a regular file (a FIFO would block the run)."""
    with open(path, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError(f"{path} is not a regular file")
        return fh.read()


class Cache:
    """Outcomes of earlier runs, by content key (`Keyer`). ``get`` re-stamps the file's current
    path. Any trouble with the file (locked, damaged, read-only) turns the cache off, never lint.
    Runs with different code or configuration share the file without touching each other's
    records: the fingerprint is part of every key, and old records go by age, never wholesale."""

    def __init__(self, folder: Path, config: Config) -> None:
        self.config = config
        self.path = folder / CACHE_FILE
        self.fingerprint = hashlib.sha256((code_fingerprint() + config.fingerprint()).encode()).hexdigest()
        self.keyer = Keyer(config, self.fingerprint)
        self.db: sqlite3.Connection | None = None
        self.pending: list[tuple[str, str, int]] = []
        self.used = 0
        self.started = int(time.time())
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.execute("PRAGMA busy_timeout = 30000")
            self.db.execute("CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, record TEXT, seen INTEGER)")
            self.db.execute("DROP TABLE IF EXISTS entries")  # the layout before fingerprints were in the keys
            self.db.execute("DROP TABLE IF EXISTS meta")
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
        return self.keyer.key(f, self.keyer.read(f))

    def has(self, key: str) -> bool:
        if self.db is None:
            return False
        try:
            return self.db.execute("SELECT 1 FROM records WHERE key = ?", (key,)).fetchone() is not None
        except sqlite3.Error:
            self._off()
            return False

    def get(self, key: str, path: str) -> Any | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT record FROM records WHERE key = ?", (key,)).fetchone()
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
        self.pending.append((key, json.dumps(record, ensure_ascii=False, separators=(",", ":")), self.started))
        self.used += 1
        if len(self.pending) >= _BATCH:
            self._write()

    def _write(self) -> None:
        if self.db is None or not self.pending:
            return
        try:
            self.db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", self.pending)
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
            (count,) = self.db.execute("SELECT count(*) FROM records").fetchone()
            if count > 3 * self.used + 10000:  # mostly records of files long gone, or of old settings
                # only records no run has written for a week: a run going on now keeps all of its own
                self.db.execute("DELETE FROM records WHERE seen < ?", (self.started - 7 * 24 * 3600,))
                self.db.commit()
        except sqlite3.Error:
            pass
        self._off()
