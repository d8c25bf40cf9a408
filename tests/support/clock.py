"""The tests' fixed instant: every seeded world starts here, whatever today's date is.

``TEST_EPOCH`` is Wednesday 18 March 2026, 09:30 in Asia/Ho_Chi_Minh: an ordinary working
morning a month after Tết, so the seeded dossiers spread over the working days before it
(across the Tết holidays) and some are overdue, some due today, some due within 1-3 working
days. ``ticking()`` is a clock that starts there and runs at real speed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from onestop_server.clock import TickingClock

TEST_EPOCH = datetime(2026, 3, 18, 2, 30, tzinfo=UTC)


def ticking(start: datetime = TEST_EPOCH) -> TickingClock:
    return TickingClock(start)
