"""The server's working calendar: VN holidays + the ``calendar_overrides`` table.

``load_calendar(conn)`` is what deadlines are computed with and what ``GET /api/v1/calendar``
serves, so the client computes the same due instants as the server.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.engine import Connection

from onestop_server import db
from wfh_client.domain.calendar import WorkingCalendar


@lru_cache(maxsize=8)
def _calendar(overrides: tuple[tuple[date, bool, str], ...]) -> WorkingCalendar:
    return WorkingCalendar(
        overrides={d: working for d, working, _ in overrides},
        override_notes={d: note for d, _, note in overrides if note},
    )


def load_calendar(conn: Connection) -> WorkingCalendar:
    c = db.calendar_overrides
    rows = conn.execute(select(c.c.day, c.c.working, c.c.note).order_by(c.c.day)).all()
    return _calendar(tuple((r.day, bool(r.working), r.note or "") for r in rows))
