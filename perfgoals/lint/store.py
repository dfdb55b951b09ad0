"""Where a large lint run keeps what grows with the corpus: problems and corpus entries, on disk.

A city's repository gives millions of findings and hundreds of thousands of corpus entries; held
as objects they are what runs a laptop out of memory first.

- `ProblemStore` keeps the problems of each file in the order the files were checked (sorted by
  path), moves them to a temporary file once there are many, and reads them back — merged with
  the corpus rules' problems, which come last and are few — in the usual order (path, line,
  column, rule). It is a re-iterable sequence: reporters may walk it more than once.
- `EntryStore` keeps every project's corpus entry in a private temporary SQLite database, filed
  by each corpus rule's group key, and hands a rule its groups one at a time: a corpus rule
  only ever compares projects within a group (one unit, one project name, one fingerprint).
"""

from __future__ import annotations

import heapq
import pickle
import sqlite3
from collections import Counter
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Sequence

from ..problems import Problem
from ..spill import BATCH as _BATCH
from ..spill import SpillList

if TYPE_CHECKING:
    from .engine import Entry, Group, Rule

#: Problems kept in memory before the store starts writing them to disk.
SPILL_AT = 10_000


def _key(p: Problem) -> tuple[str, int, int, str]:
    return (p.path, p.line, p.column, p.rule)


def _row(p: Problem) -> tuple[Any, ...]:
    return tuple(p)  # a plain tuple pickles faster than the named one


class ProblemStore(Sequence[Problem]):
    """Problems of files added in path order, plus corpus problems; iterated in sorted order.

    What goes to disk goes as sorted *runs* (`spill.SpillList`): the files' problems are one run
    (they come in path order), and corpus problems — which come group by group, in no path
    order — are sorted ``spill_at`` at a time into runs of their own. Reading merges the runs.
    """

    def __init__(self, spill_at: int = SPILL_AT, batch: int = _BATCH) -> None:
        self.spill_at = spill_at
        self.batch = batch
        self.main: SpillList[tuple[Any, ...]] = SpillList(spill_at, batch)  # the files' problems
        self.corpus: list[tuple[Any, ...]] = []  # corpus problems not yet in a run (unsorted)
        self.runs: list[SpillList[tuple[Any, ...]]] = []  # sorted runs of corpus problems, on disk
        self.levels: Counter[str] = Counter()

    def add_file(self, problems: Iterable[Problem]) -> None:
        """One file's problems (files must come in path order)."""
        rows = sorted(problems, key=_key)
        for p in rows:
            self.levels[p.level] += 1
            self.main.append(_row(p))

    def add_corpus(self, problems: Iterable[Problem]) -> None:
        """Corpus problems, in any order."""
        for p in problems:
            self.levels[p.level] += 1
            self.corpus.append(_row(p))
            if len(self.corpus) >= self.spill_at:
                run: SpillList[tuple[Any, ...]] = SpillList(self.spill_at, self.batch)
                run.extend(sorted(self.corpus, key=_row_key))
                run.spill()
                self.runs.append(run)
                self.corpus = []

    def __iter__(self) -> Iterator[Problem]:
        # on equal keys the files' problems come first, then corpus problems in arrival order
        runs: list[Iterable[tuple[Any, ...]]] = [self.main, *self.runs, sorted(self.corpus, key=_row_key)]
        return (Problem(*row) for row in heapq.merge(*runs, key=_row_key))

    def __len__(self) -> int:
        return len(self.main) + sum(len(r) for r in self.runs) + len(self.corpus)

    def __getitem__(self, index: Any) -> Any:  # rare (tests); reads through
        return list(self)[index]

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (list, ProblemStore)) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def close(self) -> None:
        for run in (self.main, *self.runs):
            run.close()


def _row_key(row: tuple[Any, ...]) -> tuple[str, int, int, str]:
    return (row[0], row[1], row[2], row[4])


_PICKLE = pickle.HIGHEST_PROTOCOL


#: What `EntryStore.record` makes of an entry: its pickled record and its group keys by channel.
Record = tuple[bytes, list[tuple[int, str]]]


class Filing:
    """Which digests the corpus rules read and how each groups them: a *channel* per digest and
    grouping (the year rules share one). `record` makes of an entry what `EntryStore` keeps:
    one pickle with all its digests, and its group key on each channel. A worker process of a
    pooled run makes the records, so the main process only files them."""

    def __init__(self, rules: Mapping[str, Rule]) -> None:
        self.channels: dict[str, int] = {}  # rule id → channel (digest and grouping it reads)
        #: per channel, the rules that read it and its grouping
        self.readers: list[tuple[list[str], Group]] = []
        made: dict[tuple[Any, Any], int] = {}
        for rid, r in rules.items():
            if r.check_all is not None and r.digest is not None:
                channel = self.channels[rid] = made.setdefault((r.digest, r.group), len(made))
                if channel == len(self.readers):
                    self.readers.append(([], r.group))
                self.readers[channel][0].append(rid)

    def record(self, entry: Entry) -> Record | None:
        """An entry as the store keeps it: one pickle of its file, name, positions, suppressions
        and its digest for each channel, and the group key for each channel it has a digest
        for. None when it has no digest any corpus rule reads."""
        if not self.channels:
            return None
        digests: list[Any] = []
        keys: list[tuple[int, str]] = []
        get = entry.digests.get
        for channel, (rids, group) in enumerate(self.readers):
            for rid in rids:  # the rules of a channel share its digest (the first that has it)
                digest = get(rid)
                if digest is not None:
                    keys.append((channel, repr(group(digest))))
                    break
            digests.append(digest)
        if not keys:
            return None
        return pickle.dumps((entry.path, entry.name, dict(entry.positions), dict(entry.suppressions), tuple(digests)),
                            _PICKLE), keys


class EntryStore:
    """Every project's corpus entry, filed by each corpus rule's group key, in a temporary
    database that SQLite keeps in memory while it is small and moves to disk when it grows.

    A rule's digest is stored once for all rules that read it with the same grouping (the
    year rules share theirs). `groups` gives a rule its groups of two or more entries (a group
    of one has nothing to be compared with), each entry carrying that rule's digest and those
    of the other rules it has.
    """

    def __init__(self, rules: Mapping[str, Rule]) -> None:
        self.filing = Filing(rules)
        self.channels = self.filing.channels
        # "" is a private temporary database: in the page cache while small, then a file
        # SQLite deletes itself when the connection closes, however the run ends
        self.db = sqlite3.connect("")
        self.db.execute("PRAGMA cache_size = -8000")  # 8 MB of pages, then disk
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, blob BLOB)")
        self.db.execute("CREATE TABLE digests (channel INTEGER, key TEXT, entry INTEGER)")
        self.count = 0
        self.pending_entries: list[tuple[int, bytes]] = []
        self.pending_digests: list[tuple[int, str, int]] = []
        self.indexed = False

    def add(self, entry: Entry) -> None:
        """One project's entry (its digests go under each rule's group key)."""
        self.add_record(self.filing.record(entry))

    def add_record(self, record: Record | None) -> None:
        """One project's entry as `Filing.record` made it (perhaps in another process)."""
        if record is None:
            return
        blob, keys = record
        self.count += 1
        self.pending_entries.append((self.count, blob))
        self.pending_digests.extend((channel, key, self.count) for channel, key in keys)
        if len(self.pending_entries) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        self.db.executemany("INSERT INTO entries VALUES (?, ?)", self.pending_entries)
        self.db.executemany("INSERT INTO digests VALUES (?, ?, ?)", self.pending_digests)
        self.pending_entries, self.pending_digests = [], []

    def groups(self, rid: str) -> Iterator[list[Entry]]:
        """The groups of two or more entries that rule ``rid`` compares, each entry with that
        rule's digest."""
        channel = self.channels.get(rid)
        return self.channel_groups(channel, (rid,)) if channel is not None else iter(())

    def channel_groups(self, channel: int, rids: Sequence[str]) -> Iterator[list[Entry]]:
        """The groups of two or more entries on a channel, each entry with the channel's digest
        under each of ``rids`` (the rules that read it go through its groups together)."""
        from .engine import Entry

        self._flush()
        if not self.indexed:
            self.db.execute("CREATE INDEX by_key ON digests (channel, key, entry)")
            self.indexed = True
        rows = self.db.execute(
            "SELECT d.key, e.blob FROM digests d JOIN entries e ON e.id = d.entry "
            "WHERE d.channel = ?1 AND d.key IN "
            "(SELECT key FROM digests WHERE channel = ?1 GROUP BY key HAVING count(*) > 1) "
            "ORDER BY d.key, d.entry", (channel,))
        group: list[Entry] = []
        last = None
        for key, entry_blob in rows:
            if key != last and group:
                yield group
                group = []
            last = key
            path, name, positions, suppressions, digests = pickle.loads(entry_blob)
            # the channel's digest under each of ``rids``; the others' digests too (a rule may
            # read another's: same-indicator-set reads copied-subject's to tell a copy from its source)
            seen = {rid: digests[c] for c, (readers, _g) in enumerate(self.filing.readers) for rid in readers
                    if digests[c] is not None}
            seen.update((rid, digests[channel]) for rid in rids)
            group.append(Entry(path, name, seen, positions, suppressions))
        if group:
            yield group

    def close(self) -> None:
        self.db.close()
