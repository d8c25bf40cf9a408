"""What the app tells the user while working, against the real server (issue 12.7).

- a result document the user attached and the sync sent is shown as held, never "not
  downloaded" under a full bar;
- the first-sync dialog shows an empty bar while connecting, not a full one;
- three dossiers assigned at once are announced as three, even when two syncs bring them;
- opening a document with no program to open it says so;
- the check-in prompt opens in the middle of the screen with none of its text clipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication

from tests.client.sync_helpers import SyncClient, client_for
from tests.server.oncall_support import OncallServer
from tests.server.util import Peek, login
from tests.support.server import RunningServer
from tests.ui import oncall_fixtures
from tests.ui.helpers import press
from tests.ui.oncall_fixtures import app_for
from tests.ui.shells import for_client
from wfh_client.store.state import KEY_LAST_SUCCESS_AT, get_state
from wfh_client.ui.app import ClientApp
from wfh_client.ui.detail.window import DossierWindow
from wfh_client.ui.first_sync_dialog import FirstSyncDialog
from wfh_client.ui.i18n import set_language

oncall = oncall_fixtures.oncall
sound_player = oncall_fixtures.sound_player


_ASSIGNABLE = ("status IN (2, 4) AND (step IS NULL OR step IN ('unassigned', 'assigned', "
               "'in_review')) AND (assignee_id IS NULL OR assignee_id != u.id)")


@pytest.fixture
def officer(server: RunningServer, tmp_path: Path) -> Iterator[tuple[SyncClient, str]]:
    """An officer with a dossier in review, in a department with three more dossiers the head
    may assign to them."""
    row = Peek(server).one(
        "SELECT u.username, d.id FROM users u JOIN dossiers d ON d.assignee_id = u.id "
        "WHERE u.role = 'officer' AND u.disabled_at IS NULL AND d.status = 4 "
        "AND d.step = 'in_review' AND (SELECT count(*) FROM dossiers o WHERE "
        f"o.department_id = u.department_id AND o.{_ASSIGNABLE}) >= 3 "
        "ORDER BY d.code LIMIT 1")
    username, dossier_id = str(row[0]), str(row[1])
    with client_for(server, username, tmp_path / "officer",
                    prefetch_max_bytes=50 * 1024 * 1024) as client:
        client.engine.sync_once(prefetch=False)
        yield client, dossier_id


@pytest.fixture
def shell(shells: Any, officer: tuple[SyncClient, str]) -> ClientApp:
    return shells(**for_client(officer[0]))


def test_an_uploaded_result_is_shown_as_held(
        qtbot: Any, officer: tuple[SyncClient, str], shell: ClientApp, tmp_path: Path) -> None:
    client, dossier_id = officer
    window = shell.open_dossier(dossier_id)
    assert isinstance(window, DossierWindow)
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)
    result = tmp_path / "Ket-qua-tham-dinh.pdf"
    result.write_bytes(b"%PDF-1.4 result\n" * 2000)
    panel = window.documents
    with qtbot.waitSignal(panel.attached, timeout=10_000):
        panel.attach_file(result)
    qtbot.waitUntil(lambda: any(r.get("state") == "uploading" for r in panel.rows),
                    timeout=10_000)
    # F5: the upload is sent, the dossier pulled, its documents prefetched
    with qtbot.waitSignal(shell.sync.finished, timeout=30_000):
        press(qtbot, shell.window.list_view, "F5")

    def result_row() -> int:
        return next((i for i, r in enumerate(panel.rows)
                     if r.get("name") == result.name and r.get("id")), -1)

    qtbot.waitUntil(lambda: result_row() >= 0, timeout=20_000)
    row = result_row()
    qtbot.waitUntil(lambda: panel.table.item(result_row(), 2).text() == "Đã tải về",
                    timeout=20_000)
    bar = panel.table.cellWidget(result_row(), 3)
    assert bar.value() == bar.maximum()
    for r in range(panel.table.rowCount()):  # never "not downloaded" under a full bar
        bar = panel.table.cellWidget(r, 3)
        if panel.table.item(r, 2).text() == "Chưa tải về":
            assert bar.value() < bar.maximum() or bar.maximum() <= 1, row
    window.close()


class _Sync(QObject):
    """The first-sync dialog's view of the sync controller, held before the first page."""

    progress = Signal(int, int, str)
    finished = Signal(bool, str)
    last_error = None

    def sync_now(self) -> bool:
        return True

    def cancel(self) -> None:
        pass


def test_first_sync_shows_no_full_bar_while_connecting(qtbot: Any) -> None:
    sync = _Sync()
    dialog = FirstSyncDialog(sync, user_name="Trần Văn Bình")  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    assert dialog.bar.maximum() > dialog.bar.minimum()  # not an indeterminate bar
    assert dialog.bar.value() == dialog.bar.minimum()
    assert dialog.count_label.text() == "Đang kết nối máy chủ…"
    sync.progress.emit(0, 0, "pull")  # a page with no total yet
    assert dialog.bar.value() == dialog.bar.minimum()
    sync.progress.emit(250, 1000, "snapshot")
    assert (dialog.bar.value(), dialog.bar.maximum()) == (250, 1000)
    assert dialog.bar.text() == "25%"


def test_three_assignments_in_two_syncs_are_announced_as_three(
        qtbot: Any, server: RunningServer, officer: tuple[SyncClient, str],
        shell: ClientApp) -> None:
    client, _ = officer
    assert get_state(client.cache.reader(), KEY_LAST_SUCCESS_AT) is not None
    peek = Peek(server)
    me = peek.user(client.username)
    queue = peek.rows(  # dossiers the head may (re)assign to this officer
        "SELECT o.id, o.version FROM dossiers o JOIN users u ON u.id = :me "
        f"WHERE o.department_id = :d AND o.{_ASSIGNABLE} ORDER BY o.code LIMIT 3",
        d=me.department_id, me=me.id)
    assert len(queue) == 3
    head = login(server, peek.head_of(me.department_id))
    seen: list[str] = []
    shell.alerts.notified.connect(lambda _title, text: seen.append(text))

    def assign(rows: list[Any]) -> None:
        for dossier_id, version in rows:
            r = head.action(dossier_id, "assign", int(version), {"assignee_id": int(me.id)})
            assert r.status_code == 200, r.text

    assign(queue[:1])
    client.engine.sync_once(prefetch=False)  # the first assignment event starts a sync
    assign(queue[1:])
    client.engine.sync_once(prefetch=False)  # the other two come with the next one
    qtbot.waitUntil(lambda: bool(seen) and seen[-1].startswith("3 hồ sơ mới"), timeout=15_000)
    codes = {str(peek.dossier(d).code) for d, _ in queue}
    assert all(code in seen[-1] for code in codes)


def test_opening_a_document_nothing_can_open_says_so(
        qtbot: Any, officer: tuple[SyncClient, str], shell: ClientApp, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    client, dossier_id = officer
    # a desktop with no viewer: Qt finds no xdg-open, gio or browser on this PATH
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    for name in ("BROWSER", "XDG_CURRENT_DESKTOP", "DESKTOP_SESSION"):
        monkeypatch.delenv(name, raising=False)
    window = shell.open_dossier(dossier_id)
    assert isinstance(window, DossierWindow)
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)
    panel = window.documents
    with qtbot.waitSignal(panel.failed, timeout=20_000) as failed:
        panel.table.selectRow(0)
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert "Không có chương trình nào trên máy này mở được" in failed.args[0]
    assert str(panel.rows[0]["name"]) in failed.args[0]
    assert panel.message.text() == failed.args[0]
    window.close()
    assert os.environ["PATH"] == str(empty)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_check_in_prompt_is_centred_and_nothing_is_clipped(
        qtbot: Any, oncall: OncallServer, tmp_path: Path, language: str) -> None:
    set_language(language)
    with app_for(qtbot, oncall, "cv.nn1", tmp_path) as app:
        app.shell.window.show()
        press(qtbot, app.shell.window.list_view, "F9")
        qtbot.waitUntil(lambda: app.ui.prompt is not None and app.ui.prompt.isVisible(),
                        timeout=10_000)
        prompt = app.ui.prompt
        assert prompt is not None
        area = (prompt.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        centre = prompt.frameGeometry().center()
        assert abs(centre.x() - area.center().x()) <= 2
        assert abs(centre.y() - area.center().y()) <= 2
        for button in (prompt.working_button, prompt.meeting_button, prompt.away_button,
                       prompt.today_button, prompt.close_button):
            hint = button.sizeHint()
            assert button.width() >= hint.width() - 1, button.text()
            assert button.height() >= hint.height() - 1, button.text()
