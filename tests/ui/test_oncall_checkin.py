"""The check-in prompt, today's windows, do-not-disturb and "What this app records".

Frozen-clock server (Wednesday 09:05: the 09:00-09:10 window is open), real keyring, encrypted
cache, events feed and on-call core under the real ``ClientApp``, widgets offscreen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tests.client.oncall_helpers import server_down, server_up
from tests.server.oncall_support import OncallServer
from tests.ui import oncall_fixtures
from tests.ui.oncall_fixtures import app_for, wait_today
from wfh_client.ui.i18n import set_language
from wfh_client.ui.oncall.labels import window_state_name
from wfh_client.ui.oncall.privacy import PrivacyDialog, never_items, recorded_items

oncall = oncall_fixtures.oncall
sound_player = oncall_fixtures.sound_player  # every test: a recording player


def _open_now(windows: list[dict[str, Any]]) -> bool:
    return any(w["state"] == "open" for w in windows)


def test_one_click_check_in_reaches_the_server(qtbot: Any, oncall: OncallServer,
                                               tmp_path: Path) -> None:
    with app_for(qtbot, oncall, "cv.nn1", tmp_path) as app:
        ui = app.ui
        wait_today(qtbot, app, _open_now)
        notes: list[tuple[str, str]] = []
        ui.notified.connect(lambda *a: notes.append(a))
        app.client.service.run_due(oncall.clock.now())  # 07:00 and 08:00 missed, 09:00 open
        qtbot.waitUntil(lambda: any("09:10" in n[1] for n in notes))
        assert sum("07:00" in n[1] or "08:00" in n[1] for n in notes) == 2
        prompt = ui.prompt
        assert prompt is not None and prompt.isVisible() and prompt.kind == "open"
        assert not prompt.isModal()
        assert prompt.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
        assert "09:00–09:10" in prompt.heading.text()

        qtbot.mouseClick(prompt.working_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(app.checkins()), timeout=10_000)
        assert app.checkins() == [("working", None, False)]
        qtbot.waitUntil(lambda: prompt.kind == "recorded" and prompt.result.isVisible())
        wait_today(qtbot, app, lambda ws: any(w["state"] == "done" and not w["pending"]
                                              for w in ws))
        dialog = ui.open_today()
        texts = dict(dialog.state_texts())
        assert texts["09:00–09:10"] == window_state_name("done")
        assert texts["07:00–07:10"] == window_state_name("missed")
        assert "1/" in ui.oncall_button.text()


def test_briefly_away_needs_a_reason(qtbot: Any, oncall: OncallServer, tmp_path: Path) -> None:
    with app_for(qtbot, oncall, "cv.nn2", tmp_path) as app:
        ui = app.ui
        wait_today(qtbot, app, _open_now)
        prompt = ui.show_prompt(None, "manual")
        assert "09:00–09:10" in prompt.heading.text()
        qtbot.mouseClick(prompt.away_button, Qt.MouseButton.LeftButton)
        assert prompt.result.isVisible() and prompt.away_button.isEnabled()
        assert app.client.service.pending() == []  # nothing was recorded
        prompt.reason.setText("Ra bưu điện nộp hồ sơ, 10:30 về")
        qtbot.mouseClick(prompt.away_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(app.checkins()), timeout=10_000)
        assert app.checkins() == [("away", "Ra bưu điện nộp hồ sơ, 10:30 về", False)]


def test_offline_check_in_is_queued_then_sent(qtbot: Any, oncall: OncallServer,
                                              tmp_path: Path) -> None:
    with app_for(qtbot, oncall, "cv.nn3", tmp_path) as app:
        ui = app.ui
        wait_today(qtbot, app, _open_now)
        status = app.shell.window.status
        qtbot.waitUntil(lambda: app.client.feed.connected is True)
        qtbot.waitUntil(lambda: status.state == "online")
        server_down(oncall)
        # one connection indicator: the feed's lost server shows as offline in the status bar
        qtbot.waitUntil(lambda: status.state == "offline", timeout=10_000)
        assert status.state_label.text() == "Ngoại tuyến"

        prompt = ui.show_prompt(None, "manual")
        qtbot.mouseClick(prompt.working_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: prompt.kind == "recorded")
        assert prompt.result.text().startswith(prompt.tr("Checked in at %1: %2.")
                                               .split("%1")[0])
        assert len(prompt.result.text()) > 40  # the "queued" sentence is there
        wait_today(qtbot, app, lambda ws: any(w["state"] == "done" and w["pending"]
                                              for w in ws))
        dialog = ui.open_today()
        assert (("09:00–09:10", window_state_name("done", pending=True))
                in dialog.state_texts())
        assert dialog.queued_label.text()

        server_up(oncall)
        qtbot.waitUntil(lambda: bool(app.checkins()), timeout=15_000)
        assert app.checkins() == [("working", None, True)]  # counted at its client time
        qtbot.waitUntil(lambda: status.state == "online", timeout=10_000)
        wait_today(qtbot, app, lambda ws: any(w["state"] == "done" and not w["pending"]
                                              for w in ws))
        qtbot.waitUntil(lambda: not dialog.queued_label.text())


def test_do_not_disturb_hides_prompts_but_missed_windows_count(
        qtbot: Any, oncall: OncallServer, tmp_path: Path) -> None:
    with app_for(qtbot, oncall, "cv.nn4", tmp_path) as app:
        ui = app.ui
        wait_today(qtbot, app, _open_now)
        shown: list[tuple[str, str]] = []
        held: list[tuple[str, str]] = []
        ui.notified.connect(lambda *a: shown.append(a))
        ui.suppressed.connect(lambda *a: held.append(a))
        ui.act_dnd.trigger()  # the On call menu's toggle (also in the tray menu)
        assert ui.do_not_disturb and app.shell.tray.do_not_disturb
        app.client.service.run_due(oncall.clock.now())
        qtbot.waitUntil(lambda: any("09:10" in h[1] for h in held))
        assert ui.prompt is None or not ui.prompt.isVisible()

        oncall.advance(minutes=6)  # 09:11: the window closed without a check-in
        app.client.service.run_due(oncall.clock.now())
        qtbot.waitUntil(lambda: any("09:00–09:10" in h[1] for h in held))
        assert shown == []
        wait_today(qtbot, app, lambda ws: any(w["state"] == "missed"
                                              and w["start"].startswith("2026-03-18T09:00")
                                              for w in ws))
        assert ui.tr("do not disturb") in ui.oncall_button.text()
        ui.act_dnd.trigger()
        assert not ui.do_not_disturb


def test_missed_window_is_shown_in_the_open_prompt(qtbot: Any, oncall: OncallServer,
                                                   tmp_path: Path) -> None:
    with app_for(qtbot, oncall, "cv.nn5", tmp_path) as app:
        ui = app.ui
        wait_today(qtbot, app, _open_now)
        app.client.service.run_due(oncall.clock.now())
        qtbot.waitUntil(lambda: ui.prompt is not None and ui.prompt.isVisible())
        oncall.advance(minutes=6)
        with qtbot.waitSignal(ui.notified, timeout=5000):
            app.client.service.run_due(oncall.clock.now())
        assert ui.prompt is not None and ui.prompt.kind == "missed"
        assert "09:00–09:10" in ui.prompt.heading.text()


def test_what_this_app_records(qtbot: Any, oncall: OncallServer, tmp_path: Path) -> None:
    with app_for(qtbot, oncall, "cv.tnmt1", tmp_path) as app:
        window = app.shell.window
        for language in ("en", "vi"):
            set_language(language)
            title = "What this app records" if language == "en" else "Ứng dụng ghi lại"
            qtbot.waitUntil(lambda t=title: window.act_privacy.text().replace("&", "")
                            .startswith(t))  # the Help menu item, in the new language
            window.act_privacy.trigger()
            dialog = window.findChildren(PrivacyDialog)[-1]
            qtbot.waitUntil(dialog.isVisible)
            text = dialog.text()
            for item in recorded_items() + never_items():
                assert item in text
            if language == "en":
                for word in ("check-ins", "offline", "recalls", "Sync metadata",
                             "screenshots", "keyboard or mouse", "location",
                             "other applications"):
                    assert word in text
            dialog.close()
