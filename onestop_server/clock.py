"""An injectable clock so tests move time instead of waiting for it."""

from __future__ import annotations

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
