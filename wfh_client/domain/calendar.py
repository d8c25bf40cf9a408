"""Working-time calendar: due instants, remaining working time, early/on-time/late.

Deadlines of administrative procedures are counted in working time. A working day is a weekday
that is not a public holiday of the country (``holidays.country_holidays("VN")``, which also
knows the government's Saturday make-up days and swapped days off), unless the override table
says otherwise (``True`` = extra working day, ``False`` = extra day off). Each working day has
the same working periods (07:00-11:30 and 13:30-17:00 by default) in the calendar's time zone;
"one working day" is ``hours_per_day`` working hours.

All datetimes in and out are timezone-aware (naive input raises ``ValueError``); results are in
the calendar's time zone. Wall-clock arithmetic is used inside a day (Asia/Ho_Chi_Minh has no
DST). Working days are indexed per year (sorted ordinals) so that adding N days is a bisect,
not a day-by-day walk: 100,000 due dates take well under a second.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wfh_client.domain.statuses import Timeliness
from wfh_client.domain.timefmt import ensure_aware

__all__ = ["DEFAULT_PERIODS", "DEFAULT_TZ", "WorkingCalendar", "calendar_version", "restart_clock"]

DEFAULT_PERIODS: tuple[tuple[time, time], ...] = (
    (time(7, 0), time(11, 30)),
    (time(13, 30), time(17, 0)),
)
DEFAULT_TZ = "Asia/Ho_Chi_Minh"

_ZERO = timedelta(0)
_MAX_YEARS_AHEAD = 50  # give up looking for a working day after this many years

Period = tuple[datetime, datetime]


def _parse_hhmm(value: Any) -> time:
    if not isinstance(value, str):
        raise ValueError(f"period bound must be 'HH:MM', not {value!r}")
    return time.fromisoformat(value.strip())


class WorkingCalendar:
    """Working days and periods in one time zone; see the module docstring."""

    def __init__(
        self,
        *,
        time_zone: str = DEFAULT_TZ,
        periods: Sequence[tuple[time, time]] = DEFAULT_PERIODS,
        overrides: Mapping[date, bool] | None = None,
        country: str = "VN",
        override_notes: Mapping[date, str] | None = None,
        resolved: tuple[date, date] | None = None,
        unconfirmed_years: Sequence[int] = (),
    ) -> None:
        """``resolved``: within these dates (inclusive) ``overrides`` list every exception to
        Monday-Friday, as the server resolved them (its holiday data, its admin's days off and
        make-up days); the local holiday data is consulted only outside them.
        ``unconfirmed_years``: years whose days off the government has not decreed yet (as far
        as the holiday data and the admin know): deadlines there may still move."""
        self.time_zone = time_zone
        self.resolved = resolved
        self.unconfirmed_years: tuple[int, ...] = tuple(sorted(set(unconfirmed_years)))
        try:
            self.tz = ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone: {time_zone!r}") from None
        self.country = country
        checked: list[tuple[time, time]] = []
        previous_end: time | None = None
        for start, end in periods:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("working periods are local wall-clock times without tzinfo")
            if not start < end:
                raise ValueError(f"working period must start before it ends: {start}-{end}")
            if previous_end is not None and start < previous_end:
                raise ValueError("working periods must be sorted and must not overlap")
            checked.append((start, end))
            previous_end = end
        if not checked:
            raise ValueError("at least one working period is required")
        self.periods: tuple[tuple[time, time], ...] = tuple(checked)
        self.overrides: dict[date, bool] = dict(overrides or {})
        self.override_notes: dict[date, str] = dict(override_notes or {})
        anchor = date(2000, 1, 3)
        self._day_length = sum(
            (datetime.combine(anchor, e) - datetime.combine(anchor, s) for s, e in self.periods),
            _ZERO,
        )
        self.hours_per_day: float = self._day_length / timedelta(hours=1)
        # The holiday data is read on first need: importing it loads every country's module
        # (about 0.35 s), and a calendar the server resolved never needs it inside its horizon.
        self._holidays: Any = None
        self._year_days: dict[int, list[int]] = {}  # year -> sorted working-day ordinals
        self._working: dict[int, bool] = {}  # ordinal -> is working day
        self._periods_cache: dict[int, tuple[Period, ...]] = {}

    # ------------------------------------------------------------------ days
    def is_working_day(self, d: date) -> bool:
        """Weekday and not a holiday (incl. the library's make-up Saturdays); overrides win."""
        if isinstance(d, datetime):
            d = d.date()
        ordinal = d.toordinal()
        cached = self._working.get(ordinal)
        if cached is None:
            override = self.overrides.get(d)
            if override is not None:
                cached = override
            elif self.resolved is not None and self.resolved[0] <= d <= self.resolved[1]:
                cached = d.weekday() < 5  # resolved: every exception is an override
            else:
                cached = self._holiday_data().is_working_day(d)
            self._working[ordinal] = bool(cached)
        return cached

    def _holiday_data(self) -> Any:
        """The country's holidays (``holidays.HolidayBase``), loaded on first use."""
        if self._holidays is None:
            import holidays

            self._holidays = holidays.country_holidays(self.country)
        return self._holidays

    def resolve(self, start: date, end: date) -> WorkingCalendar:
        """This calendar with every exception to Monday-Friday from ``start`` to ``end`` listed
        as an override (holiday names as notes): what the server sends, so that a client with
        other holiday data computes the same deadlines within that horizon."""
        import holidays

        names = holidays.country_holidays(self.country, years=range(start.year, end.year + 1),
                                          language="vi")
        overrides: dict[date, bool] = {}
        notes: dict[date, str] = {}
        d = start
        while d <= end:
            working = self.is_working_day(d)
            if working != (d.weekday() < 5):
                overrides[d] = working
                note = self.override_notes.get(d) or names.get(d) or \
                    ("Ngày làm bù" if working else "")
                if note:
                    notes[d] = note
            d += timedelta(days=1)
        for d, working in self.overrides.items():  # admin overrides outside the horizon stay
            if not start <= d <= end:
                overrides[d] = working
                if d in self.override_notes:
                    notes[d] = self.override_notes[d]
        return WorkingCalendar(time_zone=self.time_zone, periods=self.periods,
                               overrides=overrides, country=self.country, override_notes=notes,
                               resolved=(start, end), unconfirmed_years=self.unconfirmed_years)

    def is_confirmed(self, d: date) -> bool:
        """False in a year whose days off are not decreed yet (see ``unconfirmed_years``)."""
        return d.year not in self.unconfirmed_years

    def _working_ordinals(self, year: int) -> list[int]:
        days = self._year_days.get(year)
        if days is None:
            first = date(year, 1, 1).toordinal()
            last = date(year, 12, 31).toordinal()
            days = [o for o in range(first, last + 1) if self.is_working_day(date.fromordinal(o))]
            self._year_days[year] = days
        return days

    def _nth_working_day_after(self, d: date, n: int) -> date:
        """The ``n``-th (0-based) working day strictly after ``d``."""
        ordinal = d.toordinal()
        year = d.year
        days = self._working_ordinals(year)
        index = bisect_right(days, ordinal)
        for _ in range(_MAX_YEARS_AHEAD + 1):
            if index + n < len(days):
                return date.fromordinal(days[index + n])
            n -= len(days) - index
            year += 1
            days = self._working_ordinals(year)
            index = 0
        raise ValueError("no working day found within the calendar's horizon")

    def _working_days_between(self, a: date, b: date) -> int:
        """Number of working days strictly between dates ``a`` < ``b``."""
        lo, hi = a.toordinal(), b.toordinal()
        total = 0
        for year in range(a.year, b.year + 1):
            days = self._working_ordinals(year)
            total += bisect_left(days, hi) - bisect_right(days, lo)
        return total

    # --------------------------------------------------------------- periods
    def _periods(self, d: date) -> tuple[Period, ...]:
        ordinal = d.toordinal()
        cached = self._periods_cache.get(ordinal)
        if cached is None:
            if self.is_working_day(d):
                cached = tuple(
                    (
                        datetime.combine(d, s, tzinfo=self.tz),
                        datetime.combine(d, e, tzinfo=self.tz),
                    )
                    for s, e in self.periods
                )
            else:
                cached = ()
            self._periods_cache[ordinal] = cached
        return cached

    def working_periods(self, d: date) -> list[tuple[datetime, datetime]]:
        """The day's working periods as aware datetimes in the calendar tz; [] if not working."""
        return list(self._periods(d))

    def _local(self, value: datetime, name: str) -> datetime:
        return ensure_aware(value, name).astimezone(self.tz)

    def next_working_instant(self, at: datetime) -> datetime:
        """``at`` if inside a working period, else the start of the next working period."""
        local = self._local(at, "at")
        for start, end in self._periods(local.date()):
            if local < start:
                return start
            if local < end:
                return local
        return self._periods(self._nth_working_day_after(local.date(), 0))[0][0]

    # ----------------------------------------------------------- arithmetic
    def add_working_time(self, start: datetime, *, days: float = 0, hours: float = 0) -> datetime:
        """The instant ``days`` working days plus ``hours`` working hours after ``start``.

        ``start`` first rolls to the next working instant; a result that falls exactly on a
        period boundary is the end of that period (16:59 + 1 minute is 17:00 the same day).
        """
        amount = self._day_length * days + timedelta(hours=hours)
        if amount < _ZERO:
            raise ValueError("working time to add must not be negative")
        current = self.next_working_instant(start)
        if amount == _ZERO:
            return current
        remaining = amount
        for p_start, p_end in self._periods(current.date()):
            if p_end <= current:
                continue
            available = p_end - max(p_start, current)
            if remaining <= available:
                return max(p_start, current) + remaining
            remaining -= available
        whole, rest = divmod(remaining, self._day_length)
        if rest == _ZERO:  # finish at the end of the last full day, not the next morning
            whole, rest = whole - 1, self._day_length
        target = self._nth_working_day_after(current.date(), int(whole))
        for p_start, p_end in self._periods(target):
            available = p_end - p_start
            if rest <= available:
                return p_start + rest
            rest -= available
        raise AssertionError("unreachable: a working day holds a full day length")

    def _worked_on(self, d: date, lo: datetime | None, hi: datetime | None) -> timedelta:
        total = _ZERO
        for p_start, p_end in self._periods(d):
            s = p_start if lo is None or lo < p_start else lo
            e = p_end if hi is None or hi > p_end else hi
            if e > s:
                total += e - s
        return total

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from ``start`` to ``end``; negative if ``end`` is before ``start``."""
        a = self._local(start, "start")
        b = self._local(end, "end")
        if b < a:
            return -self.working_time_between(b, a)
        da, db = a.date(), b.date()
        if da == db:
            return self._worked_on(da, a, b)
        middle = self._working_days_between(da, db)
        return (
            self._worked_on(da, a, None) + self._day_length * middle + self._worked_on(db, None, b)
        )

    def remaining(self, now: datetime, due: datetime) -> timedelta:
        """Working time left until ``due``; negative (working time overdue) once past it."""
        return self.working_time_between(now, due)

    def working_length(self, days: float = 0, hours: float = 0) -> timedelta:
        """``days`` working days plus ``hours`` working hours as a timedelta of working time."""
        return self._day_length * days + timedelta(hours=hours)

    def working_days(self, amount: timedelta) -> float:
        """``amount`` of working time expressed in working days (for display)."""
        return amount / self._day_length

    def classify(self, finished_at: datetime, due_at: datetime) -> Timeliness:
        """EARLY before the due date (local calendar date), ON_TIME by the due instant, else LATE."""
        finished = self._local(finished_at, "finished_at")
        due = self._local(due_at, "due_at")
        if finished > due:
            return Timeliness.LATE
        if finished.date() < due.date():
            return Timeliness.EARLY
        return Timeliness.ON_TIME

    # ----------------------------------------------------------------- wire
    def to_dict(self) -> dict[str, Any]:
        """The wire form served by ``GET /api/v1/calendar`` (``version``: a digest of the rest,
        so a client knows when to fetch it again)."""
        data: dict[str, Any] = {
            "time_zone": self.time_zone,
            "periods": [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in self.periods],
            "overrides": [
                {"day": d.isoformat(), "working": working, "note": self.override_notes.get(d, "")}
                for d, working in sorted(self.overrides.items())
            ],
        }
        if self.resolved is not None:
            data["resolved"] = {"from": self.resolved[0].isoformat(),
                                "to": self.resolved[1].isoformat()}
        if self.unconfirmed_years:
            data["unconfirmed_years"] = list(self.unconfirmed_years)
        data["version"] = calendar_version(data)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WorkingCalendar:
        """Build a calendar from :meth:`to_dict`'s form; ``ValueError`` on malformed input."""
        if not isinstance(data, Mapping):
            raise ValueError("calendar must be an object")
        time_zone = data.get("time_zone", DEFAULT_TZ)
        if not isinstance(time_zone, str):
            raise ValueError("time_zone must be a string")
        raw_periods = data.get("periods")
        periods: Sequence[tuple[time, time]] = DEFAULT_PERIODS
        if raw_periods is not None:
            if not isinstance(raw_periods, list):
                raise ValueError("periods must be a list of [start, end] pairs")
            parsed: list[tuple[time, time]] = []
            for pair in raw_periods:
                if not isinstance(pair, list | tuple) or len(pair) != 2:
                    raise ValueError("each period must be a [start, end] pair")
                parsed.append((_parse_hhmm(pair[0]), _parse_hhmm(pair[1])))
            periods = parsed
        overrides: dict[date, bool] = {}
        notes: dict[date, str] = {}
        raw_overrides = data.get("overrides") or []
        if not isinstance(raw_overrides, list):
            raise ValueError("overrides must be a list")
        for item in raw_overrides:
            if not isinstance(item, Mapping) or not isinstance(item.get("day"), str):
                raise ValueError("each override needs a 'day' (YYYY-MM-DD)")
            working = item.get("working")
            if not isinstance(working, bool):
                raise ValueError("override 'working' must be a boolean")
            day = date.fromisoformat(item["day"])
            overrides[day] = working
            note = item.get("note")
            if isinstance(note, str) and note:
                notes[day] = note
        country = data.get("country", "VN")
        if not isinstance(country, str):
            raise ValueError("country must be a string")
        resolved: tuple[date, date] | None = None
        raw_resolved = data.get("resolved")
        if raw_resolved is not None:
            if not isinstance(raw_resolved, Mapping):
                raise ValueError("resolved must be {from, to}")
            resolved = (date.fromisoformat(str(raw_resolved.get("from"))),
                        date.fromisoformat(str(raw_resolved.get("to"))))
            if resolved[1] < resolved[0]:
                raise ValueError("resolved: 'to' is before 'from'")
        years = data.get("unconfirmed_years") or []
        if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
            raise ValueError("unconfirmed_years must be a list of years")
        return cls(
            time_zone=time_zone,
            periods=periods,
            overrides=overrides,
            country=country,
            override_notes=notes,
            resolved=resolved,
            unconfirmed_years=years,
        )

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(time_zone={self.time_zone!r}, periods={self.periods!r}, "
            f"overrides={len(self.overrides)})"
        )


def calendar_version(data: Mapping[str, Any]) -> str:
    """A short digest of a calendar's wire form (without its own ``version``)."""
    body = {k: v for k, v in data.items() if k != "version"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def restart_clock(
    calendar: WorkingCalendar, resumed_at: datetime, allowed_hours: float
) -> datetime:
    """The new due instant when the complete dossier comes back: the clock restarts from zero."""
    return calendar.add_working_time(resumed_at, hours=allowed_hours)
