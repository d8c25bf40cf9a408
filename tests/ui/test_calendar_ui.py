"""The app follows the server's working calendar: a day off an admin adds reaches the list's
deadlines without a restart (at the next sync, which the feed's ``calendar_changed`` starts at
once), and years whose days off are not decreed yet are flagged in the status bar."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from tests.client.sync_helpers import client_for
from tests.client.test_calendar_sync import DAY, add_day_off
from tests.server.util import Peek
from tests.support.server import RunningServer
from tests.ui.test_conflicts_view import close_shell
from wfh_client.ui.app import ClientApp, create_application


def test_the_window_follows_a_new_calendar_and_flags_unconfirmed_years(
        qtbot: Any, server: RunningServer, tmp_path: Path) -> None:
    with client_for(server, Peek(server).officer_dossier()[0], tmp_path / "o") as client:
        client.engine.sync_once(prefetch=False)
        create_application(language="vi")
        shell = ClientApp(cache=client.cache, bus=client.bus,
                          calendar=client.engine.profile().calendar, engine=client.engine,
                          clock=client.engine.clock, tray_available=False)
        try:
            shell.window.show()
            flag = shell.window.calendar_flag
            # the tests' world is in 2026: the days off of 2027 are not decreed yet
            assert flag.isVisible() and "2027" in flag.text() and "xác nhận" in flag.text()
            assert shell.window.model.calendar.is_working_day(DAY)

            add_day_off(server, DAY)
            with qtbot.waitSignal(shell.sync.finished, timeout=30_000):
                client.bus.publish("feed.calendar_changed", event={"kind": "calendar_changed"},
                                   replay=False)  # what the events feed delivers
            qtbot.waitUntil(lambda: not shell.window.model.calendar.is_working_day(DAY),
                            timeout=10_000)
            assert shell.ctx.calendar is shell.window.model.calendar
            assert not shell.ctx.calendar.is_working_day(date(2026, 3, 27))
        finally:
            close_shell(shell)
