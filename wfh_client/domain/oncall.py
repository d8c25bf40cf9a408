"""On-call rules shared by the server and the client: the department calendar and check-in windows.

A department's on-call calendar is the VN working calendar with the server's calendar overrides
(``GET /api/v1/calendar``) and then the on-call policy's own overrides on top (the policy wins),
in the policy's time zone with the policy's working periods (:func:`policy_calendar`).

Check-in windows (:func:`checkin_windows`): for each working period of a working day, a window
opens at the period start and every ``interval`` after it while inside the period; a window is
``[start, start + grace]``, never past the period end. Lunch, weekends and holidays (Tết) have
no working period, hence no window. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from wfh_client.domain.calendar import WorkingCalendar

__all__ = ["Window", "checkin_windows", "merged_overrides", "policy_calendar", "policy_windows"]


@dataclass(frozen=True)
class Window:
    """One check-in window: aware datetimes in the department's zone, both ends included."""

    start: datetime
    end: datetime

    def contains(self, at: datetime) -> bool:
        return self.start <= at <= self.end

    def as_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def checkin_windows(
    calendar: WorkingCalendar, day: date, interval: timedelta, grace: timedelta
) -> list[Window]:
    """The check-in windows of a local ``day`` (see the module docstring)."""
    if interval <= timedelta(0):
        raise ValueError("the check-in interval must be positive")
    windows: list[Window] = []
    for p_start, p_end in calendar.working_periods(day):
        start = p_start
        while start < p_end:
            windows.append(Window(start, min(start + grace, p_end)))
            start += interval
    return windows


def merged_overrides(
    base: Iterable[Mapping[str, Any]], policy: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The server's overrides with the policy's on top (same day: the policy wins), by day."""
    merged: dict[str, dict[str, Any]] = {}
    for source in (base, policy):
        for o in source:
            day = str(o["day"])
            merged[day] = {"day": day, "working": bool(o["working"]), "note": str(o.get("note") or "")}
    return [merged[d] for d in sorted(merged)]


def policy_calendar(
    policy: Mapping[str, Any], base_overrides: Iterable[Mapping[str, Any]] = ()
) -> WorkingCalendar:
    """The calendar of a policy (``GET /api/v1/oncall/policy`` shape); ``ValueError`` if bad."""
    return WorkingCalendar.from_dict({
        "time_zone": policy["time_zone"],
        "periods": [list(p) for p in policy["periods"]],
        "overrides": merged_overrides(base_overrides, policy.get("overrides") or ()),
    })


def policy_windows(
    policy: Mapping[str, Any], calendar: WorkingCalendar, day: date
) -> list[Window]:
    """:func:`checkin_windows` with the policy's ``checkin`` interval and grace."""
    rules = policy["checkin"]
    return checkin_windows(
        calendar, day, timedelta(minutes=int(rules["interval_minutes"])),
        timedelta(minutes=int(rules["grace_minutes"])),
    )
