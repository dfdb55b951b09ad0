"""Where a large lint run keeps its problems: on disk, read back in order (memory stays flat).

A city's repository gives millions of findings; held as objects they are what runs a laptop out
of memory first. `ProblemStore` keeps the problems of each file in the order the files were
checked (sorted by path), moves them to a temporary file once there are many, and reads them
back — merged with the corpus rules' problems, which come last and are few — in the usual order
(path, line, column, rule). It is a re-iterable sequence: reporters may walk it more than once.
"""

from __future__ import annotations

import heapq
import os
import pickle
import tempfile
from collections import Counter
from typing import Any, BinaryIO, Iterable, Iterator, Sequence

from ..problems import Problem

#: Problems kept in memory before the store starts writing them to disk.
SPILL_AT = 50_000


def _key(p: Problem) -> tuple[str, int, int, str]:
    return (p.path, p.line, p.column, p.rule)


def _row(p: Problem) -> tuple[Any, ...]:
    return (p.path, p.line, p.column, p.message, p.rule, p.level, p.data_path)


class ProblemStore(Sequence[Problem]):
    """Problems of files added in path order, plus corpus problems; iterated in sorted order."""

    def __init__(self, spill_at: int = SPILL_AT) -> None:
        self.spill_at = spill_at
        self.memory: list[tuple[Any, ...]] = []
        self.corpus: list[Problem] = []
        self.file: BinaryIO | None = None
        self.spilled = 0
        self.levels: Counter[str] = Counter()

    def add_file(self, problems: Iterable[Problem]) -> None:
        """One file's problems (files must come in path order)."""
        rows = sorted(problems, key=_key)
        for p in rows:
            self.levels[p.level] += 1
        self.memory.extend(_row(p) for p in rows)
        if len(self.memory) >= self.spill_at:
            self._spill()

    def add_corpus(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            self.levels[p.level] += 1
            self.corpus.append(p)
        self.corpus.sort(key=_key)

    def _spill(self) -> None:
        if self.file is None:
            fd, name = tempfile.mkstemp(prefix="perfgoals-lint-", suffix=".bin")
            self.file = os.fdopen(fd, "w+b")
            os.unlink(name)  # gone from the disk the moment the run ends, however it ends
        pickle.dump(self.memory, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.spilled += len(self.memory)
        self.memory = []

    def _files(self) -> Iterator[Problem]:
        if self.file is not None:
            self.file.flush()
            self.file.seek(0)
            read = 0
            while read < self.spilled:
                batch = pickle.load(self.file)
                read += len(batch)
                for row in batch:
                    yield Problem(*row)
            self.file.seek(0, os.SEEK_END)
        for row in self.memory:
            yield Problem(*row)

    def __iter__(self) -> Iterator[Problem]:
        return heapq.merge(self._files(), self.corpus, key=_key)

    def __len__(self) -> int:
        return self.spilled + len(self.memory) + len(self.corpus)

    def __getitem__(self, index: Any) -> Any:  # rare (tests); reads through
        return list(self)[index]

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (list, ProblemStore)) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
