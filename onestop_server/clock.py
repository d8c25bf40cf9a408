"""An injectable clock so tests move time instead of waiting for it."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime, timedelta


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock(Clock):
    """A clock that only moves when told to (tests)."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = when

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta


class OffsetFileClock(Clock):
    """Real time plus an offset in seconds read from a file (missing or empty: 0).

    For drills and multi-process tests: every worker of a server reads the same file, so a test
    moves all of their clocks at once (e.g. past a recall's escalation timeout) by writing it.
    Never for production (``clock_offset_file`` is empty by default).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._cache: tuple[float, float] = (-1.0, 0.0)  # (mtime, offset)

    def offset(self) -> float:
        try:
            mtime = os.stat(self.path).st_mtime
        except OSError:
            return 0.0
        if mtime != self._cache[0]:
            try:
                with open(self.path, encoding="ascii") as f:
                    text = f.read().strip()
                self._cache = (mtime, float(text) if text else 0.0)
            except (OSError, ValueError):
                return self._cache[1]
        return self._cache[1]

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset())


class TickingClock(Clock):
    """A clock that starts at a fixed instant and then runs at real speed.

    Tests seed their data at a fixed instant and run the server (and the client) on this clock,
    so every relative fact of the data (due in 2 working days, overdue, today's windows) is the
    same on any date, while timeouts and token lifetimes still pass in real time.
    """

    def __init__(self, start: datetime) -> None:
        self._start = start.astimezone(UTC)
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)

    __call__ = now
