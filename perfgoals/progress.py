"""Progress on a terminal for runs that take a while: a bar once a run has taken about 2 s.

Drawn on standard error, on a terminal only: never in a pipe, a file or a CI log (``CI`` set).
A ticker thread redraws it twice a second, so a single long step (WeasyPrint laying out a year's
PDF, pdfplumber reading one) still shows the time going by; work that is counted moves the bar.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import IO, Any

DELAY = 2.0
WIDTH = 24


def wanted(stream: IO[str] | Any) -> bool:
    """A bar only for a person at a terminal: not in CI, not in a pipe or a file."""
    try:
        return bool(stream.isatty()) and not os.environ.get("CI")
    except (AttributeError, ValueError):
        return False


class Progress:
    """``with Progress(total, "检查") as step: … step(1) …``. ``total`` 0: the count is not known
    beforehand (only the time and the count so far are shown)."""

    def __init__(self, total: int, label: str, stream: IO[str] | None = None, delay: float = DELAY,
                 interval: float = 0.5) -> None:
        self.total, self.label = total, label
        self.stream = stream if stream is not None else sys.stderr
        self.delay, self.interval = delay, interval
        self.done = 0
        self.started = time.monotonic()
        self.shown = False
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def __call__(self, count: int = 1) -> None:
        self.done += count

    def line(self) -> str:
        seconds = int(time.monotonic() - self.started)
        if self.total > 0:
            share = min(1.0, self.done / self.total)
            filled = int(share * WIDTH)
            return f"{self.label} [{'#' * filled}{'-' * (WIDTH - filled)}] {self.done}/{self.total}  {seconds} 秒"
        return f"{self.label}……{f' {self.done} 个' if self.done else ''}  {seconds} 秒"

    def _draw(self) -> None:
        with self._lock:
            self.stream.write("\r" + self.line() + "\x1b[K")
            self.stream.flush()
            self.shown = True

    def _tick(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            self._draw()
            self._stop.wait(self.interval)

    def __enter__(self) -> "Progress":
        if wanted(self.stream):
            self._thread = threading.Thread(target=self._tick, name="perfgoals-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.shown:  # the bar goes; what the command prints next starts on a clean line
            with self._lock:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
