"""The server's working calendar: VN holidays + the ``calendar_overrides`` table.

``load_calendar(conn)`` is what deadlines are computed with. ``served_calendar(conn, now)`` is
what ``GET /api/v1/calendar`` serves: the same calendar *resolved* over a horizon (the year
before ``now`` to two years after), i.e. every day off and make-up day listed, so a client
computes the same deadlines whatever holiday data it has; with a ``version`` (a digest) that
every sync page carries in ``X-Calendar-Version``, and the ``unconfirmed_years`` whose days off
no decree fixes yet (later than the holiday data's last decreed year and not confirmed by an
admin). Admin changes (:func:`set_day`, :func:`remove_day`, :func:`confirm_year`, used by the
admin API and ``onestop-server calendar``) are audited in ``calendar_audit`` and announced with
a ``calendar_changed`` event to every department.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from holidays.countries.vietnam import VietnamStaticHolidays
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from onestop_server import db, events
from wfh_client.domain.calendar import WorkingCalendar

CALENDAR_CHANGED = "calendar_changed"
HORIZON_YEARS_BEFORE = 1
HORIZON_YEARS_AFTER = 2


@lru_cache(maxsize=8)
def _calendar(overrides: tuple[tuple[date, bool, str], ...]) -> WorkingCalendar:
    return WorkingCalendar(
        overrides={d: working for d, working, _ in overrides},
        override_notes={d: note for d, _, note in overrides if note},
    )


def _overrides(conn: Connection) -> tuple[tuple[date, bool, str], ...]:
    c = db.calendar_overrides
    rows = conn.execute(select(c.c.day, c.c.working, c.c.note).order_by(c.c.day)).all()
    return tuple((r.day, bool(r.working), r.note or "") for r in rows)


def load_calendar(conn: Connection) -> WorkingCalendar:
    return _calendar(_overrides(conn))


def decreed_through() -> int:
    """The last year for which the holiday data records the government's decreed swaps."""
    return max(VietnamStaticHolidays.special_public_holidays)


@lru_cache(maxsize=8)
def _served(overrides: tuple[tuple[date, bool, str], ...], confirmed: tuple[int, ...],
            year: int) -> tuple[WorkingCalendar, dict[str, Any]]:
    start = date(year - HORIZON_YEARS_BEFORE, 1, 1)
    end = date(year + HORIZON_YEARS_AFTER, 12, 31)
    unconfirmed = [y for y in range(start.year, end.year + 1)
                   if y > decreed_through() and y not in confirmed]
    resolved = _calendar(overrides).resolve(start, end)
    resolved.unconfirmed_years = tuple(unconfirmed)
    return resolved, resolved.to_dict()


def _confirmed_years(conn: Connection) -> tuple[int, ...]:
    y = db.calendar_years
    return tuple(int(r.year) for r in conn.execute(
        select(y.c.year).where(y.c.confirmed.is_(True)).order_by(y.c.year)))


def served_calendar(conn: Connection, now: datetime) -> dict[str, Any]:
    """The wire form of ``GET /api/v1/calendar`` (with ``version``)."""
    year = now.astimezone(load_calendar(conn).tz).year
    return dict(_served(_overrides(conn), _confirmed_years(conn), year)[1])


def calendar_version(conn: Connection, now: datetime) -> str:
    """``served_calendar(conn, now)["version"]`` (sent with every sync page): the overrides read
    once, not twice, and no copy of the whole served calendar to read one field."""
    overrides = _overrides(conn)
    year = now.astimezone(_calendar(overrides).tz).year
    return str(_served(overrides, _confirmed_years(conn), year)[1]["version"])


# ---- admin changes (API and CLI) -----------------------------------------------------------


def _audit(conn: Connection, now: datetime, actor: str, action: str, **values: Any) -> None:
    conn.execute(insert(db.calendar_audit).values(at=now, actor=actor, action=action, **values))


def _announce(conn: Connection, now: datetime) -> None:
    version = calendar_version(conn, now)
    rows = [{"kind": CALENDAR_CHANGED, "payload": {"version": version}, "department_id": d}
            for d in conn.execute(select(db.departments.c.id)).scalars()]
    events.emit_many(conn, rows, at=now)


def set_day(conn: Connection, day: date, working: bool, note: str, *, now: datetime,
            actor: str) -> dict[str, Any] | None:
    """Make ``day`` a day off (``working=False``) or a make-up working day; returns the
    override it replaced, if any."""
    c = db.calendar_overrides
    before = conn.execute(select(c.c.working, c.c.note).where(c.c.day == day)).one_or_none()
    previous = None if before is None else {"working": bool(before.working), "note": before.note}
    conn.execute(delete(c).where(c.c.day == day))
    conn.execute(insert(c).values(day=day, working=working, note=note))
    _audit(conn, now, actor, "set_day", day=day, working=working, note=note, previous=previous)
    _announce(conn, now)
    return previous


def remove_day(conn: Connection, day: date, *, now: datetime, actor: str) -> bool:
    """Drop the admin override of ``day`` (the holiday data decides again)."""
    c = db.calendar_overrides
    before = conn.execute(select(c.c.working, c.c.note).where(c.c.day == day)).one_or_none()
    if before is None:
        return False
    conn.execute(delete(c).where(c.c.day == day))
    _audit(conn, now, actor, "remove_day", day=day,
           previous={"working": bool(before.working), "note": before.note})
    _announce(conn, now)
    return True


def confirm_year(conn: Connection, year: int, confirmed: bool, note: str, *, now: datetime,
                 actor: str) -> None:
    """Record that ``year``'s days off are decreed (and entered as overrides where needed)."""
    y = db.calendar_years
    conn.execute(delete(y).where(y.c.year == year))
    conn.execute(insert(y).values(year=year, confirmed=confirmed, note=note, updated_at=now))
    _audit(conn, now, actor, "confirm_year", year=year, working=confirmed, note=note)
    _announce(conn, now)


def audit_log(conn: Connection, limit: int = 200) -> list[dict[str, Any]]:
    a = db.calendar_audit
    rows = conn.execute(select(a).order_by(a.c.id.desc()).limit(limit)).all()
    return [{"id": r.id, "at": r.at, "actor": r.actor, "action": r.action,
             "day": r.day.isoformat() if r.day else None, "year": r.year, "working": r.working,
             "note": r.note or "", "previous": r.previous} for r in rows]
