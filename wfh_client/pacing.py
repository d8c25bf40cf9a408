"""Retry pacing: the one exponential backoff of the client.

* :func:`exponential` - ``min(cap, base * 2**(n-1))``, the formula every retry uses;
* :func:`backoff_delay` - it with "equal jitter", for the background loops (sync service,
  events feed, on-call sender): after ``failures`` consecutive failures wait a random time in
  ``[d/2, d]``; the HTTP retry policy (``sync.http.RetryPolicy``) adds its own jitter on top.
* :class:`ClockJumpDetector` - notices sleep/resume: the wall clock (``time.time``) moves on
  while the machine sleeps but the monotonic clock does not (or the user reset the clock), so a
  drift between the two beyond ``threshold`` seconds means "we just woke up: reconnect now".

No I/O; the clocks are injectable for tests.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

__all__ = ["ClockJumpDetector", "backoff_delay", "exponential"]


def exponential(attempt: int, base: float, cap: float = float("inf")) -> float:
    """``base * 2**(attempt - 1)`` capped at ``cap`` (0 for an attempt below 1)."""
    if attempt <= 0:
        return 0.0
    return float(min(cap, base * 2 ** min(attempt - 1, 62)))


def backoff_delay(failures: int, base: float, cap: float,
                  rand: Callable[[float, float], float] = random.uniform) -> float:
    """Seconds to wait after ``failures`` consecutive failures (0 when there was none)."""
    if failures <= 0:
        return 0.0
    delay = exponential(failures, base, cap)
    return float(rand(delay / 2, delay))


class ClockJumpDetector:
    """``jumped()`` returns the drift in seconds once when wall and monotonic clocks diverge."""

    def __init__(self, *, wall_clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic, threshold: float = 30.0) -> None:
        self._wall = wall_clock
        self._mono = monotonic
        self.threshold = threshold
        self.reset()

    def reset(self) -> None:
        self._wall_start, self._mono_start = self._wall(), self._mono()

    def drift(self) -> float:
        return (self._wall() - self._wall_start) - (self._mono() - self._mono_start)

    def jumped(self) -> float | None:
        """The drift if it exceeds the threshold (and start measuring again), else None."""
        drift = self.drift()
        if abs(drift) > self.threshold:
            self.reset()
            return drift
        return None
