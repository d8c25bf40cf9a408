"""Issue 10.10 in the head's reports view: check-ins the client declared offline are counted
apart and their delay (claimed time -> received) is shown, so backdating is visible.

Real server on a frozen clock (the check-ins happen on a fixed Tuesday), real keyring and cache,
the real ReportsPage driven like a user: pick the day, press Show, open the Check-ins tab."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, Qt

from onestop_server.clock import FrozenClock
from tests.client.sync_helpers import SyncClient, client_for
from tests.server.util import login
from tests.support.server import RunningServer, server_copy
from wfh_client.ui.bridge import EventBridge
from wfh_client.ui.context import AppContext
from wfh_client.ui.head.reports_view import ReportsPage

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TUESDAY = date(2026, 3, 24)  # on-call duty of the seeded department starts on 18 March
LONG = timedelta(days=400)


def local(hh: int, mm: int, day: date = TUESDAY) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=VN).astimezone(UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(local(10, 40))


@pytest.fixture
def frozen_server(seeded_template: tuple[Path, Path], tmp_path: Path,
                  clock: FrozenClock) -> Iterator[RunningServer]:
    with server_copy(seeded_template, tmp_path, clock=clock, access_ttl=LONG,
                     refresh_ttl=LONG) as srv:
        yield srv


@pytest.fixture
def head(frozen_server: RunningServer, tmp_path: Path) -> Iterator[SyncClient]:
    with client_for(frozen_server, "truongphong.tnmt", tmp_path / "head") as client:
        yield client


def test_reports_show_offline_checkins_and_their_delay(
        qtbot: Any, frozen_server: RunningServer, clock: FrozenClock, head: SyncClient) -> None:
    # The officer's device was registered the day before (a duty period counts from then:
    # nobody can have checked in from a device that did not exist yet).
    clock.set(local(16, 0, TUESDAY - timedelta(days=1)))
    officer = login(frozen_server, "cv.tnmt2")
    clock.set(local(10, 40))
    for claimed in (local(8, 3), local(9, 2)):  # sent together at 10:40, "made" offline earlier
        r = officer.post("/api/v1/oncall/checkins", json={
            "client_id": "ck-" + uuid.uuid4().hex, "status": "working", "offline": True,
            "client_time": claimed.isoformat().replace("+00:00", "Z")})
        assert r.status_code == 200, r.text
    clock.set(local(9, 30, TUESDAY + timedelta(days=1)))
    ctx = AppContext(cache=head.cache, bus=head.bus, calendar=head.engine.profile().calendar,
                     bridge=EventBridge(head.bus), engine=head.engine, user=head.session.user,
                     clock=clock.now)
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.start.setDate(QDate(2026, 3, 24))
    page.end.setDate(QDate(2026, 3, 24))
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.mouseClick(page.load_button, Qt.MouseButton.LeftButton)
    page.tabs.setCurrentIndex(1)
    model = page.checkin_model
    columns = {model.headerData(c, Qt.Orientation.Horizontal): c
               for c in range(model.columnCount())}
    offline_col, delay_col = columns["Điểm danh ngoại tuyến"], columns["Độ trễ ngoại tuyến lớn nhất"]
    rows = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    name = officer.user["full_name"]
    assert model.index(rows[name], offline_col).data() == "2"
    assert model.index(rows[name], delay_col).data() == "2 giờ"  # 08:03 claimed, 10:40 received
    others = [r for n, r in rows.items() if n != name]
    assert all(model.index(r, offline_col).data() == "0" for r in others)
    assert all(model.index(r, delay_col).data() == "" for r in others)
