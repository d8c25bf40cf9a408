"""The recall alert: on top, audible until answered, answers reach the server; never answered
by a stray Enter and never blocking the rest of the app.

The head issues recalls over HTTP on the frozen-clock server; the officer's real client (feed +
on-call core + ``ClientApp``) raises the alert. The sound player is a recording script run as a
real subprocess (``WFH_CLIENT_SOUND_PLAYER``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt

from tests.server.oncall_support import OncallServer, z
from tests.server.util import login
from tests.ui import oncall_fixtures
from tests.ui.oncall_fixtures import OfficerApp, Player, app_for
from wfh_client.domain.timefmt import parse_instant
from wfh_client.ui.oncall.recall_alert import RecallAlert, to_qdatetime

oncall = oncall_fixtures.oncall
sound_player = oncall_fixtures.sound_player  # every test: a recording player


def recall(app: OfficerApp, message: str = "Đoàn kiểm tra đến lúc 14:00, đề nghị về cơ quan.",
           urgency: str = "urgent") -> int:
    head = login(app.server.srv, "truongphong.nn")
    r = head.post("/api/v1/oncall/recalls", json={
        "recipients": [app.user_id], "message": message, "urgency": urgency,
        "report_by": z(app.server.clock.now() + timedelta(hours=1))})
    assert r.status_code == 200, r.text
    return int(r.json()["id"])


def server_state(app: OfficerApp, rid: int) -> tuple[Any, ...]:
    rows = app.peek("SELECT state, arrival_at, decline_reason FROM recall_recipients "
                    "WHERE recall_id = :r AND user_id = :u", r=rid, u=app.user_id)
    return tuple(rows[0])


def gone(alert: RecallAlert) -> bool:
    return not shiboken6.isValid(alert) or not alert.isVisible()


def wait_alert(qtbot: Any, app: OfficerApp, rid: int) -> RecallAlert:
    qtbot.waitUntil(lambda: rid in app.ui.alerts and app.ui.alerts[rid].isVisible(),
                    timeout=10_000)
    alert: RecallAlert = app.ui.alerts[rid]
    return alert


def test_alert_is_on_top_audible_and_acknowledged(
        qtbot: Any, oncall: OncallServer, tmp_path: Path, sound_player: Player) -> None:
    with app_for(qtbot, oncall, "cv.nn1", tmp_path) as app:
        app.shell.window.hide()  # in the tray: the alert still comes (@immediate)
        rid = recall(app)
        alert = wait_alert(qtbot, app, rid)
        assert alert.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
        assert alert.from_label.text() == login(app.server.srv, "truongphong.nn").user["full_name"]
        assert "14:00" in alert.message.text()
        assert alert.sound.active
        qtbot.waitUntil(lambda: any("recall.wav" in c for c in sound_player.calls()))
        qtbot.waitUntil(lambda: server_state(app, rid)[0] == "seen", timeout=10_000)

        alert.close()  # neither closing nor Escape dismisses it
        qtbot.keyClick(alert, Qt.Key.Key_Escape)
        assert alert.isVisible() and alert.sound.active

        report_by = parse_instant(str(alert.recall["report_by"]))
        arrival = report_by + timedelta(minutes=10)
        assert alert.arrival_at() == report_by  # the default
        alert.arrival.setDateTime(to_qdatetime(arrival, alert.tz))
        stopped: list[bool] = []
        alert.sound.stopped.connect(lambda: stopped.append(True))
        qtbot.mouseClick(alert.coming_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: server_state(app, rid)[0] == "acknowledged", timeout=10_000)
        head = login(app.server.srv, "truongphong.nn")
        mine = head.get(f"/api/v1/oncall/recalls/{rid}").json()["recipients"][0]
        assert parse_instant(mine["arrival_at"]) == arrival
        qtbot.waitUntil(lambda: gone(alert))
        assert stopped == [True] and rid not in app.ui.alerts


def test_decline_needs_a_reason_and_dnd_does_not_hold_the_alert_back(
        qtbot: Any, oncall: OncallServer, tmp_path: Path) -> None:
    with app_for(qtbot, oncall, "cv.nn2", tmp_path) as app:
        ui = app.ui
        ui.set_do_not_disturb(True)
        shown: list[tuple[str, str]] = []
        ui.notified.connect(lambda *a: shown.append(a))
        rid = recall(app, urgency="normal")
        alert = wait_alert(qtbot, app, rid)
        assert shown and "14:00" in shown[0][1]  # the recall's notification breaks DND
        qtbot.mouseClick(alert.cannot_button, Qt.MouseButton.LeftButton)
        assert alert.error.isVisible() and alert.isVisible()
        qtbot.waitUntil(lambda: server_state(app, rid)[0] == "seen", timeout=10_000)
        alert.reason.setText("Đang đưa con đi viện")
        qtbot.mouseClick(alert.cannot_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: server_state(app, rid)[0] == "declined", timeout=10_000)
        assert server_state(app, rid)[2] == "Đang đưa con đi viện"
        qtbot.waitUntil(lambda: gone(alert))


def test_renotification_shows_it_again_and_the_heads_close_ends_it(
        qtbot: Any, oncall: OncallServer, tmp_path: Path, sound_player: Player) -> None:
    with app_for(qtbot, oncall, "cv.nn3", tmp_path) as app:
        rid = recall(app)
        alert = wait_alert(qtbot, app, rid)
        qtbot.waitUntil(lambda: server_state(app, rid)[0] == "seen", timeout=10_000)
        plays = alert.sound.plays
        shown: list[RecallAlert] = []
        app.ui.alert_shown.connect(shown.append)
        oncall.advance(minutes=2)  # the policy re-notifies every 2 minutes until answered
        assert oncall.tick() >= 1
        qtbot.waitUntil(lambda: alert.times_shown == 2, timeout=10_000)
        assert shown == [alert] and alert.isVisible()
        assert alert.sound.plays > plays
        assert alert.tr("reminder %1").replace("%1", "1") in alert.banner.text()

        head = login(app.server.srv, "truongphong.nn")
        assert head.post(f"/api/v1/oncall/recalls/{rid}/close").status_code == 200
        qtbot.waitUntil(lambda: gone(alert), timeout=10_000)
        assert rid not in app.ui.alerts


def test_an_alert_that_was_answered_comes_back_for_a_new_recall(
        qtbot: Any, oncall: OncallServer, tmp_path: Path) -> None:
    with app_for(qtbot, oncall, "cv.nn4", tmp_path) as app:
        first = recall(app, message="Lần 1")
        alert = wait_alert(qtbot, app, first)
        qtbot.mouseClick(alert.coming_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: gone(alert), timeout=10_000)
        second = recall(app, message="Lần 2")
        again = wait_alert(qtbot, app, second)
        assert again is not alert and again.message.text() == "Lần 2"
        qtbot.mouseClick(again.coming_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: server_state(app, second)[0] == "acknowledged", timeout=10_000)


def test_a_stray_enter_does_not_answer_and_the_app_stays_usable(
        qtbot: Any, oncall: OncallServer, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from tests.ui.helpers import press

    with app_for(qtbot, oncall, "cv.nn5", tmp_path) as app:
        app.shell.window.show()
        rid = recall(app)
        alert = wait_alert(qtbot, app, rid)
        qtbot.waitUntil(lambda: server_state(app, rid)[0] == "seen", timeout=10_000)
        # large, on top, and not blocking: the main window still takes input
        assert alert.width() >= 680 and alert.height() >= 460
        assert not alert.isModal() and QApplication.activeModalWidget() is None
        assert not alert.coming_button.isDefault() and not alert.coming_button.autoDefault()
        # Enter and Space, wherever the focus sits in the alert, answer nothing
        for target in (alert, alert.arrival, alert.coming_button):
            press(qtbot, target, "Return")
            press(qtbot, target, "Enter")
        press(qtbot, alert.coming_button, "Space")
        assert alert.isVisible() and server_state(app, rid)[0] == "seen"
        # a deliberate shortcut with a modifier answers (Vietnamese: "Tôi sẽ đế&n")
        press(qtbot, alert, "Alt+N")
        qtbot.waitUntil(lambda: server_state(app, rid)[0] == "acknowledged", timeout=10_000)
        qtbot.waitUntil(lambda: gone(alert), timeout=10_000)
