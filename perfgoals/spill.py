"""A list that moves to disk as it grows: what a city-sized run collects, kept at a flat memory.

`SpillList` is appended to in order and read back in the same order, as often as wanted. Past
``keep`` items it pickles them, ``batch`` at a time, to a temporary file that is unlinked at once
(gone from the disk however the run ends) and reads them back batch by batch.
"""

from __future__ import annotations

import os
import pickle
from typing import BinaryIO, Generic, Iterable, Iterator, TypeVar

T = TypeVar("T")

#: Items kept in memory before a list starts writing them to disk.
KEEP = 10_000
#: Items pickled together: pickle remembers every object of one dump (50,000 rows' memo is 40 MB).
BATCH = 2_000


class SpillList(Generic[T]):
    """Append in order, iterate in order (any number of times), ``len``; memory stays flat."""

    def __init__(self, keep: int = KEEP, batch: int = BATCH) -> None:
        self.keep = keep
        self.batch = batch
        self.memory: list[T] = []
        self.file: BinaryIO | None = None
        self.batches: list[tuple[int, int]] = []  # (offset, length) of each pickled batch
        self.spilled = 0

    def append(self, item: T) -> None:
        self.memory.append(item)
        if len(self.memory) >= self.keep:
            self.spill()

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def spill(self) -> None:
        """Write what is in memory to disk now."""
        if not self.memory:
            return
        if self.file is None:
            import tempfile  # only a run that spills pays for its import
            fd, name = tempfile.mkstemp(prefix="perfgoals-", suffix=".bin")
            self.file = os.fdopen(fd, "w+b")
            os.unlink(name)
        for start in range(0, len(self.memory), self.batch):
            data = pickle.dumps(self.memory[start:start + self.batch], protocol=pickle.HIGHEST_PROTOCOL)
            self.batches.append((self.file.tell(), len(data)))
            self.file.write(data)
        self.spilled += len(self.memory)
        self.memory = []

    def __iter__(self) -> Iterator[T]:
        if self.batches and self.file is not None:
            self.file.flush()
            fd = self.file.fileno()
            for offset, length in self.batches:
                yield from pickle.loads(os.pread(fd, length, offset))
        yield from self.memory

    def __len__(self) -> int:
        return self.spilled + len(self.memory)

    def __bool__(self) -> bool:
        return len(self) > 0

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
