"""The client follows the server's working calendar: a day off added by an admin reaches the
offline deadlines at the next sync (every page names the calendar's version), without an
extra request while nothing changed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.client.sync_helpers import SyncClient, client_for
from tests.server.util import Peek, login
from tests.support.server import RunningServer
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.store.state import get_state
from wfh_client.sync.engine import KEY_CALENDAR

DAY = date(2026, 3, 27)  # a Friday, nine days after TEST_EPOCH


@pytest.fixture
def officer(server: RunningServer, tmp_path: Path) -> Any:
    with client_for(server, Peek(server).officer_dossier()[0], tmp_path / "o") as client:
        client.engine.sync_once(prefetch=False)
        yield client


def add_day_off(server: RunningServer, day: date) -> None:
    admin = login(server, "admin")
    r = admin.http.put(admin.url(f"/api/v1/admin/calendar/days/{day.isoformat()}"),
                       json={"working": False, "note": "Nghỉ đột xuất"}, timeout=30)
    assert r.status_code == 200, r.text


def test_a_day_off_added_on_the_server_reaches_the_clients_deadlines(
        server: RunningServer, officer: SyncClient) -> None:
    cal = officer.engine.profile().calendar
    assert cal.is_working_day(DAY)
    start = datetime(2026, 3, 26, 8, 0, tzinfo=cal.tz)
    end = datetime(2026, 3, 30, 8, 0, tzinfo=cal.tz)
    before = cal.working_time_between(start, end)
    version = get_state(officer.cache.reader(), KEY_CALENDAR)["version"]

    quiet = officer.engine.sync_once(prefetch=False)
    assert quiet.requests == 1  # nothing changed: one page, no calendar request

    add_day_off(server, DAY)
    officer.events.clear()
    report = officer.engine.sync_once(prefetch=False)
    assert report.requests == 2  # the page, then the calendar it announced
    stored = get_state(officer.cache.reader(), KEY_CALENDAR)
    assert stored["version"] != version
    assert [name for name, _ in officer.events].count("calendar.changed") == 1
    cal = officer.engine.profile().calendar
    assert not cal.is_working_day(DAY)
    assert cal.working_time_between(start, end) == before - timedelta(hours=8)
    assert officer.engine.sync_once(prefetch=False).requests == 1  # once only


def test_the_resolved_calendar_wins_over_the_clients_own_holiday_data(
        server: RunningServer, officer: SyncClient) -> None:
    """Within the horizon the client does not consult its own holiday data: even a client
    whose data were another country's computes Vietnam's working days there."""
    stored = get_state(officer.cache.reader(), KEY_CALENDAR)
    foreign = WorkingCalendar.from_dict({**stored, "country": "US"})
    assert foreign.resolved == (date(2025, 1, 1), date(2028, 12, 31))
    assert not foreign.is_working_day(date(2026, 2, 17))  # Tết, from the server
    assert foreign.is_working_day(date(2026, 11, 26))  # US Thanksgiving: a VN working day
    assert not foreign.is_working_day(date(2030, 11, 28))  # outside: the local data decides
    cal = officer.engine.profile().calendar
    assert cal.unconfirmed_years and all(y > 2026 for y in cal.unconfirmed_years)
