"""The status bar says it in words (issue 12.13): who is signed in (in the window title too,
so a head's and an officer's windows differ), today's check-ins, one connection state with its
reason, and a failed sync never hides the counters."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.server.oncall_support import OncallServer
from tests.ui import oncall_fixtures
from tests.ui.dossier_fixtures import HEAD, Desk, desk_fixture  # noqa: F401 - desk_factory
from tests.ui.helpers import press
from tests.ui.oncall_fixtures import app_for
from tests.ui.shells import for_desk
from wfh_client.ui.app import ClientApp

oncall = oncall_fixtures.oncall
sound_player = oncall_fixtures.sound_player


@pytest.fixture
def shell_for(shells: Callable[..., ClientApp]) -> Callable[[Desk], ClientApp]:
    return lambda desk: shells(**for_desk(desk))


def test_who_is_signed_in_and_the_two_windows_differ(
        desk_factory: Callable[..., Desk], shell_for: Any) -> None:
    officer = shell_for(desk_factory())
    head = shell_for(desk_factory(user=HEAD))
    assert officer.window.windowTitle().startswith("Trần Văn Bình (chuyên viên) — ")
    assert head.window.windowTitle().startswith("Phạm Thị Lan (lãnh đạo) — ")
    assert officer.window.windowTitle() != head.window.windowTitle()
    assert officer.window.status.user_label.text() == "Đăng nhập: Trần Văn Bình (Chuyên viên)"
    assert officer.window.status.user_label.isVisible()


def test_a_failed_sync_keeps_the_counters_and_says_why(
        qtbot: Any, desk_factory: Callable[..., Desk], shell_for: Any) -> None:
    shell = shell_for(desk_factory())  # its engine's network is gone
    status = shell.window.status
    qtbot.waitUntil(lambda: status.counts is not None, timeout=10_000)
    before = status.counts_text()
    with qtbot.waitSignal(shell.sync.finished, timeout=20_000):
        press(qtbot, shell.window.list_view, "F5")
    qtbot.waitUntil(lambda: status.state == "offline", timeout=10_000)
    assert status.state_label.text() == "Ngoại tuyến"
    assert "Công việc của anh/chị được lưu trên máy này" in status.state_label.toolTip()
    assert status.message_label.isVisible()
    assert status.message_label.text().startswith("Đồng bộ không thành công")
    assert status.counts_label.isVisible() and status.counts_text() == before  # still there
    assert status.currentMessage() == ""  # nothing covers them


def test_check_ins_today_in_words(qtbot: Any, oncall: OncallServer, tmp_path: Path) -> None:
    with app_for(qtbot, oncall, "cv.nn1", tmp_path) as app:
        button = app.ui.oncall_button
        qtbot.waitUntil(lambda: bool(app.ui.today_windows), timeout=10_000)
        total = len(app.ui.today_windows)
        assert button.text().startswith(f"Điểm danh hôm nay: 0/{total}")
        # first in the right-hand area, before the connection state (not appended at the end
        # with Qt's "index out of range" warning)
        status = app.shell.window.status
        app.shell.window.show()
        qtbot.waitExposed(app.shell.window)
        qtbot.waitUntil(lambda: button.isVisible() and status.state_label.isVisible(),
                        timeout=10_000)
        assert button.mapTo(status, button.rect().topLeft()).x() < \
            status.state_label.mapTo(status, status.state_label.rect().topLeft()).x()
