"""Notifications: a new assignment, a dossier due within a working day, a sync failing for long."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from tests.ui.conftest import NOW
from tests.ui.helpers import iso
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.events import EventBus
from wfh_client.store.dossiers import put_server_copy
from wfh_client.store.state import KEY_LAST_SUCCESS_AT, set_state
from wfh_client.sync.errors import ServerUnreachable
from wfh_client.ui.alerts import Alerts
from wfh_client.ui.app import ClientApp, create_application


def make(qtbot: Any, cache: Any, bus: EventBus, calendar: WorkingCalendar,
         clock: Any = lambda: NOW) -> tuple[ClientApp, Alerts]:
    create_application(language="vi")
    shell = ClientApp(cache=cache, bus=bus, calendar=calendar, clock=clock, tray_available=False)
    qtbot.addWidget(shell.window)
    qtbot.waitUntil(lambda: shell.alerts.known is not None, timeout=10_000)
    return shell, shell.alerts


def test_new_assignment_is_announced_once(qtbot: Any, small: Any, bus: EventBus,
                                          calendar: WorkingCalendar) -> None:
    cache, docs = small
    cache.writer.run(lambda db: set_state(db, KEY_LAST_SUCCESS_AT, iso(NOW)))
    shell, alerts = make(qtbot, cache, bus, calendar)
    try:
        seen: list[tuple[str, str]] = []
        alerts.notified.connect(lambda *a: seen.append(a))
        new = copy.deepcopy(docs[0])
        new["id"], new["code"] = "new-dossier-1", "000.00.12.H57-260310-9999"
        cache.writer.run(lambda db: put_server_copy(db, new))
        with qtbot.waitSignal(alerts.notified, timeout=10_000) as got:
            bus.publish("dossiers.changed", ids=[new["id"], docs[1]["id"]])
        assert got.args[0] == "Hồ sơ mới được giao"
        assert new["code"] in got.args[1]
        bus.publish("dossiers.changed", ids=[new["id"]])  # known now: silent
        with qtbot.waitSignal(shell.window.counts_updated, timeout=10_000):
            shell.window.refresh_counts()
        assert len(seen) == 1
    finally:
        shell.shutdown()


def test_due_within_a_working_day_once_per_day(qtbot: Any, small: Any, bus: EventBus,
                                               calendar: WorkingCalendar) -> None:
    cache, _docs = small
    shell, alerts = make(qtbot, cache, bus, calendar)
    try:
        with qtbot.waitSignal(alerts.notified, timeout=10_000) as got:
            bus.publish("sync.finished", report=None)
        assert got.args[0] == "Đến hạn trong vòng một ngày làm việc"
        first = len(alerts.due_notified)
        assert first > 0
        with qtbot.assertNotEmitted(alerts.notified, wait=300):
            alerts.check_due()
        assert len(alerts.due_notified) == first
    finally:
        shell.shutdown()


def test_sync_failing_for_15_minutes_is_announced_once(qtbot: Any, small: Any, bus: EventBus,
                                                       calendar: WorkingCalendar) -> None:
    cache, _docs = small
    now = [NOW]
    shell, alerts = make(qtbot, cache, bus, calendar, clock=lambda: now[0])
    try:
        seen: list[tuple[str, str]] = []
        alerts.notified.connect(lambda *a: seen.append(a))
        error = ServerUnreachable("connection refused")
        for minutes in (0, 5, 10, 16, 20):
            now[0] = NOW + timedelta(minutes=minutes)
            with qtbot.waitSignal(shell.bridge.delivered, timeout=5000):
                bus.publish("sync.failed", error=error, message="refused")
        assert [s[0] for s in seen] == ["Đồng bộ không hoạt động"]
        assert "16 phút" in seen[0][1] and "Không kết nối được máy chủ" in seen[0][1]
        assert shell.window.status.state == "offline"
    finally:
        shell.shutdown()
