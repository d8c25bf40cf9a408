"""WorkingCalendar: hand-computed due instants around VN holidays, receipts, classification.

Default periods 07:00-11:30 (4.5 h) and 13:30-17:00 (3.5 h): one working day = 8 h.
"""

from __future__ import annotations

import time as wallclock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from wfh_client.domain.calendar import DEFAULT_TZ, WorkingCalendar, calendar_version, restart_clock
from wfh_client.domain.statuses import Timeliness

VN = ZoneInfo(DEFAULT_TZ)
CAL = WorkingCalendar()


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=VN)


# ---------------------------------------------------------------- working days
def test_hours_per_day_default() -> None:
    assert CAL.hours_per_day == 8.0


def test_tet_2026_saturday_14_to_sunday_22_february_all_off() -> None:
    for day in range(14, 23):
        assert not CAL.is_working_day(date(2026, 2, day)), day
    assert CAL.is_working_day(date(2026, 2, 13))  # Friday before
    assert CAL.is_working_day(date(2026, 2, 23))  # Monday after


def test_other_2026_holidays() -> None:
    assert not CAL.is_working_day(date(2026, 4, 26))  # Sunday, Hùng Kings
    assert not CAL.is_working_day(date(2026, 4, 27))  # Monday, observed
    assert not CAL.is_working_day(date(2026, 4, 30))  # Thursday
    assert not CAL.is_working_day(date(2026, 5, 1))  # Friday
    assert not CAL.is_working_day(date(2026, 8, 31))  # Monday, swapped with Sat 22/8
    assert not CAL.is_working_day(date(2026, 9, 1))
    assert not CAL.is_working_day(date(2026, 9, 2))
    assert CAL.is_working_day(date(2026, 8, 22))  # the library's make-up Saturday
    assert CAL.is_working_day(date(2026, 4, 28))
    assert not CAL.is_working_day(date(2026, 1, 1))


def test_working_periods() -> None:
    assert CAL.working_periods(date(2026, 3, 7)) == []  # Saturday
    assert CAL.working_periods(date(2026, 3, 9)) == [
        (at(2026, 3, 9, 7), at(2026, 3, 9, 11, 30)),
        (at(2026, 3, 9, 13, 30), at(2026, 3, 9, 17)),
    ]
    assert all(p[0].tzinfo is not None for p in CAL.working_periods(date(2026, 3, 9)))


# --------------------------------------------------------------- due instants
def test_tet_three_days_from_friday_13_february() -> None:
    # Fri 13/2 10:00-11:30 1.5 h + 13:30-17:00 3.5 h = 5 h; 14-22/2 off;
    # Mon 23/2 and Tue 24/2 = 16 h (21 h); Wed 25/2 07:00 + 3 h = 10:00 (24 h = 3 days).
    assert CAL.add_working_time(at(2026, 2, 13, 10), days=3) == at(2026, 2, 25, 10)
    # 1 day: 5 h on 13/2, then 3 h on Mon 23/2 -> 10:00.
    assert CAL.add_working_time(at(2026, 2, 13, 10), days=1) == at(2026, 2, 23, 10)
    # receipt during Tết starts on Mon 23/2 07:00; 1 day -> Mon 23/2 17:00 (period end)
    assert CAL.add_working_time(at(2026, 2, 17, 9), days=1) == at(2026, 2, 23, 17)


def test_hung_kings_day() -> None:
    # Fri 24/4 13:30-17:00 3.5 h; 25-27/4 off; Tue 28/4 8 h (11.5 h);
    # Wed 29/4 07:00-11:30 4.5 h = 16 h -> ends 11:30 (a period end, not 13:30).
    assert CAL.add_working_time(at(2026, 4, 24, 13, 30), days=2) == at(2026, 4, 29, 11, 30)


def test_reunification_and_labour_day() -> None:
    # Wed 29/4 14:00-17:00 3 h; 30/4, 1/5 off; 2-3/5 weekend;
    # Mon 4/5 07:00-11:30 4.5 h (7.5 h) + 0.5 h from 13:30 -> 14:00.
    assert CAL.add_working_time(at(2026, 4, 29, 14), days=1) == at(2026, 5, 4, 14)


def test_national_day_2026() -> None:
    # Fri 28/8 07:00 + 1 day ends Fri 17:00; +2 days: Sat 29, Sun 30, Mon 31/8 (swapped day),
    # 1/9, 2/9 off -> the second day is Thu 3/9, ending 17:00.
    assert CAL.add_working_time(at(2026, 8, 28, 7), days=1) == at(2026, 8, 28, 17)
    assert CAL.add_working_time(at(2026, 8, 28, 7), days=2) == at(2026, 9, 3, 17)
    # Fri 21/8 13:30 3.5 h, Sat 22/8 is a make-up working day: 4.5 h -> 11:30 Sat.
    assert CAL.add_working_time(at(2026, 8, 21, 13, 30), days=1) == at(2026, 8, 22, 11, 30)


def test_override_make_up_saturday() -> None:
    cal = WorkingCalendar(overrides={date(2026, 3, 7): True})  # a Saturday
    assert cal.is_working_day(date(2026, 3, 7))
    # Fri 6/3 13:30-17:00 3.5 h + Sat 7/3 07:00-11:30 4.5 h = 8 h
    assert cal.add_working_time(at(2026, 3, 6, 13, 30), days=1) == at(2026, 3, 7, 11, 30)
    # without the override the day ends on Monday 9/3 11:30
    assert CAL.add_working_time(at(2026, 3, 6, 13, 30), days=1) == at(2026, 3, 9, 11, 30)


def test_override_extra_day_off() -> None:
    cal = WorkingCalendar(overrides={date(2026, 3, 10): False})  # a Tuesday
    assert not cal.is_working_day(date(2026, 3, 10))
    assert cal.working_periods(date(2026, 3, 10)) == []
    # Mon 9/3 8 h, Tue 10/3 off, Wed 11/3 8 h -> Wed 17:00
    assert cal.add_working_time(at(2026, 3, 9, 7), days=2) == at(2026, 3, 11, 17)
    # an override can also cancel the library's make-up Saturday
    assert not WorkingCalendar(overrides={date(2026, 8, 22): False}).is_working_day(
        date(2026, 8, 22)
    )


@pytest.mark.parametrize(
    ("received", "hours", "expected"),
    [
        (at(2026, 3, 9, 16, 59), 1 / 60, at(2026, 3, 9, 17)),  # lands on the period end
        (at(2026, 3, 9, 11, 29), 1 / 60, at(2026, 3, 9, 11, 30)),
        (at(2026, 3, 9, 16, 59), 1, at(2026, 3, 10, 7, 59)),  # 1 min + 59 min next morning
        (at(2026, 3, 9, 17, 1), 1, at(2026, 3, 10, 8)),  # after hours: starts Tue 07:00
        (at(2026, 3, 9, 17, 0), 1, at(2026, 3, 10, 8)),  # 17:00 is already after hours
        (at(2026, 3, 9, 12, 0), 1, at(2026, 3, 9, 14, 30)),  # lunch: starts 13:30
        (at(2026, 3, 9, 11, 0), 1, at(2026, 3, 9, 14)),  # 0.5 h + 0.5 h across lunch
        (at(2026, 3, 8, 10, 0), 1, at(2026, 3, 9, 8)),  # Sunday: starts Mon 07:00
        (at(2026, 3, 9, 6, 0), 8, at(2026, 3, 9, 17)),  # before opening: a full day
        (at(2026, 3, 13, 17, 30), 0, at(2026, 3, 16, 7)),  # zero rolls to next instant
    ],
)
def test_receipt_outside_and_at_boundaries(
    received: datetime, hours: float, expected: datetime
) -> None:
    assert CAL.add_working_time(received, hours=hours) == expected


def test_days_and_hours_combine() -> None:
    # Mon 9/3 07:00 + 1 day 2 h = 10 h: Mon 8 h, Tue 07:00 + 2 h = 09:00
    assert CAL.add_working_time(at(2026, 3, 9, 7), days=1, hours=2) == at(2026, 3, 10, 9)
    assert CAL.add_working_time(at(2026, 3, 9, 7), days=0.5) == at(2026, 3, 9, 11)


def test_utc_input_local_output() -> None:
    start = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)  # 07:00 in Hà Nội
    result = CAL.add_working_time(start, hours=1)
    assert result == at(2026, 3, 9, 8)
    assert result.utcoffset() == timedelta(hours=7)


def test_naive_input_rejected() -> None:
    naive = datetime(2026, 3, 9, 8)
    with pytest.raises(ValueError):
        CAL.add_working_time(naive, days=1)
    with pytest.raises(ValueError):
        CAL.next_working_instant(naive)
    with pytest.raises(ValueError):
        CAL.working_time_between(naive, at(2026, 3, 9, 9))
    with pytest.raises(ValueError):
        CAL.classify(naive, at(2026, 3, 9, 9))
    with pytest.raises(ValueError):
        CAL.add_working_time(at(2026, 3, 9, 8), hours=-1)


def test_next_working_instant() -> None:
    assert CAL.next_working_instant(at(2026, 3, 9, 9)) == at(2026, 3, 9, 9)
    assert CAL.next_working_instant(at(2026, 3, 9, 11, 30)) == at(2026, 3, 9, 13, 30)
    assert CAL.next_working_instant(at(2026, 3, 13, 17)) == at(2026, 3, 16, 7)
    assert CAL.next_working_instant(at(2026, 2, 13, 17, 5)) == at(2026, 2, 23, 7)


# ---------------------------------------------------- elapsed and remaining time
def test_working_time_between() -> None:
    assert CAL.working_time_between(at(2026, 2, 13, 10), at(2026, 2, 25, 10)) == timedelta(hours=24)
    assert CAL.working_time_between(at(2026, 2, 25, 10), at(2026, 2, 13, 10)) == -timedelta(
        hours=24
    )
    assert CAL.working_time_between(at(2026, 3, 9, 11), at(2026, 3, 9, 14)) == timedelta(hours=1)
    # Fri 16:00-17:00 1 h + Mon 07:00-08:00 1 h
    assert CAL.working_time_between(at(2026, 3, 13, 16), at(2026, 3, 16, 8)) == timedelta(hours=2)
    assert CAL.working_time_between(at(2026, 3, 14, 9), at(2026, 3, 15, 9)) == timedelta(0)
    # across a year end: Wed 31/12/2025 16:00 -> Fri 2/1/2026 08:00 (1/1 is a holiday) = 2 h
    assert CAL.working_time_between(at(2025, 12, 31, 16), at(2026, 1, 2, 8)) == timedelta(hours=2)


def test_remaining_positive_and_negative() -> None:
    due = at(2026, 3, 10, 8)
    assert CAL.remaining(at(2026, 3, 9, 8), due) == timedelta(hours=8)
    assert CAL.remaining(at(2026, 3, 10, 9), due) == -timedelta(hours=1)
    # overdue only counts working time: 08:00 -> 11:30 3.5 h, lunch not counted
    assert CAL.remaining(at(2026, 3, 10, 12, 30), due) == -timedelta(hours=3.5)
    assert CAL.remaining(due, due) == timedelta(0)


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (at(2026, 3, 10, 16), Timeliness.EARLY),  # the day before the due date
        (at(2026, 3, 11, 9), Timeliness.ON_TIME),  # due date, before the due instant
        (at(2026, 3, 11, 10), Timeliness.ON_TIME),  # exactly at the due instant
        (at(2026, 3, 11, 10, 1), Timeliness.LATE),
        (at(2026, 3, 12, 8), Timeliness.LATE),
        # 20:00 UTC on 10/3 is 03:00 on 11/3 in Hà Nội: same local date as the due date
        (datetime(2026, 3, 10, 20, 0, tzinfo=UTC), Timeliness.ON_TIME),
    ],
)
def test_classify(finished: datetime, expected: Timeliness) -> None:
    assert CAL.classify(finished, at(2026, 3, 11, 10)) is expected


def test_restart_clock_from_zero() -> None:
    # documents back on Wed 11/3 15:00; 16 h allowed: Wed 15:00-17:00 2 h, Thu 8 h (10 h),
    # Fri 07:00-11:30 4.5 h (14.5 h), then 1.5 h from 13:30 -> Fri 13/3 15:00
    assert restart_clock(CAL, at(2026, 3, 11, 15), 16) == at(2026, 3, 13, 15)


# ------------------------------------------------------------------- wire form
def test_to_dict_from_dict_round_trip() -> None:
    cal = WorkingCalendar(
        overrides={date(2026, 3, 7): True, date(2026, 3, 10): False},
        override_notes={date(2026, 3, 7): "Làm bù"},
    )
    wire = cal.to_dict()
    body = {
        "time_zone": "Asia/Ho_Chi_Minh",
        "periods": [["07:00", "11:30"], ["13:30", "17:00"]],
        "overrides": [
            {"day": "2026-03-07", "working": True, "note": "Làm bù"},
            {"day": "2026-03-10", "working": False, "note": ""},
        ],
    }
    assert wire == {**body, "version": calendar_version(body)}
    back = WorkingCalendar.from_dict(wire)
    assert back.to_dict() == wire
    assert back.is_working_day(date(2026, 3, 7)) and not back.is_working_day(date(2026, 3, 10))


def test_a_resolved_calendar_round_trips_and_its_version_follows_its_content() -> None:
    cal = WorkingCalendar(overrides={date(2026, 3, 27): False}).resolve(
        date(2026, 1, 1), date(2026, 12, 31))
    cal.unconfirmed_years = (2027,)
    wire = cal.to_dict()
    assert wire["resolved"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert wire["unconfirmed_years"] == [2027]
    back = WorkingCalendar.from_dict(wire)
    assert back.to_dict() == wire and back.resolved == cal.resolved
    assert not back.is_working_day(date(2026, 3, 27)) and not back.is_working_day(date(2026, 2, 17))
    assert back.is_working_day(date(2026, 8, 22))  # the decreed Saturday make-up day
    other = WorkingCalendar(overrides={date(2026, 3, 26): False}).resolve(
        date(2026, 1, 1), date(2026, 12, 31)).to_dict()
    assert other["version"] != wire["version"]


def test_a_resolved_calendar_reads_the_holiday_data_only_outside_its_horizon() -> None:
    """Loading the holiday data costs a third of a second at start-up: a calendar the server
    resolved answers from its overrides inside the horizon and loads the data only past it."""
    wire = WorkingCalendar().resolve(date(2026, 1, 1), date(2026, 12, 31)).to_dict()
    back = WorkingCalendar.from_dict(wire)
    start = datetime(2026, 2, 13, 3, 0, tzinfo=UTC)  # Friday before Tết
    assert back.add_working_time(start, days=3) == datetime(2026, 2, 25, 10, 0,
                                                            tzinfo=ZoneInfo(DEFAULT_TZ))
    assert not back.is_working_day(date(2026, 9, 2))
    assert back._holidays is None
    assert not back.is_working_day(date(2027, 2, 8))  # Tết 2027, past the horizon
    assert back._holidays is not None and back.is_working_day(date(2027, 3, 1))


def test_custom_periods() -> None:
    cal = WorkingCalendar.from_dict(
        {"time_zone": "Asia/Ho_Chi_Minh", "periods": [["08:00", "12:00"], ["13:00", "17:00"]]}
    )
    assert cal.hours_per_day == 8.0
    assert cal.add_working_time(at(2026, 3, 9, 11), hours=2) == at(2026, 3, 9, 14)
    assert WorkingCalendar(periods=[(time(7, 30), time(11, 30))]).hours_per_day == 4.0


@pytest.mark.parametrize(
    "bad",
    [
        {"periods": "07:00-11:30"},
        {"periods": [["11:30", "07:00"]]},
        {"periods": [["13:00", "17:00"], ["07:00", "11:30"]]},
        {"periods": []},
        {"periods": [["7h", "11h"]]},
        {"overrides": [{"day": "2026-03-07", "working": "yes"}]},
        {"overrides": [{"day": "07/03/2026", "working": True}]},
        {"time_zone": 7},
    ],
)
def test_from_dict_rejects_malformed(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        WorkingCalendar.from_dict(bad)


def test_one_hundred_thousand_due_dates_are_fast() -> None:
    cal = WorkingCalendar()
    start = at(2026, 1, 5, 7)
    began = wallclock.perf_counter()
    for i in range(100_000):
        cal.add_working_time(start + timedelta(minutes=7 * i), days=(i % 20) + 1)
    assert wallclock.perf_counter() - began < 5.0
