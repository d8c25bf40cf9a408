"""A dossier taken away while the officer works on it, against the real server (issue 12.3).

The officer writes a note in the dossier window; the head reassigns the dossier on the server;
the officer syncs. The open window says the dossier is no longer theirs; the status bar's
warning opens the rejected-changes view on its tab, the row names the dossier by its code with
the reason in Vietnamese; once read, the change is dismissed and the warning goes away.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.client.sync_helpers import SyncClient, client_for
from tests.server.util import Peek, login
from tests.support.server import RunningServer
from tests.ui.helpers import press
from tests.ui.shells import for_client
from wfh_client.store import outbox as store_outbox
from wfh_client.sync.feed import FeedListener
from wfh_client.ui.app import ClientApp
from wfh_client.ui.conflicts_view import ConflictsView
from wfh_client.ui.detail.window import DossierWindow
from wfh_client.ui.dialogs.forms import NoteDialog
from wfh_client.ui.messages import reason_text


@pytest.fixture
def officer(server: RunningServer, tmp_path: Path) -> Iterator[tuple[SyncClient, str]]:
    username, dossier_id = Peek(server).officer_dossier()
    with client_for(server, username, tmp_path / "officer") as client:
        client.engine.sync_once(prefetch=False)
        yield client, dossier_id


@pytest.fixture
def shell(shells: Any, officer: tuple[SyncClient, str]) -> ClientApp:
    return shells(**for_client(officer[0]))


def reassign_on_server(server: RunningServer, dossier_id: str, officer_name: str) -> None:
    peek = Peek(server)
    row = peek.dossier(dossier_id)
    head = login(server, peek.head_of(row.department_id))
    other = peek.user(peek.other_officer(row.department_id, officer_name))
    answer = head.action(dossier_id, "assign", int(row.version), {"assignee_id": int(other.id)})
    assert answer.status_code == 200, answer.text


def test_reassigned_dossier_rejected_change_named_explained_and_dismissed(
        qtbot: Any, server: RunningServer, officer: tuple[SyncClient, str],
        shell: ClientApp) -> None:
    client, dossier_id = officer
    code = str((client.doc(dossier_id) or {})["code"])
    window = shell.open_dossier(dossier_id)
    assert isinstance(window, DossierWindow)
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)
    # the officer writes a note (offline-first: it waits in the outbox)
    window.actions_list.action_for("note").trigger()
    dialog = window.actions_list.last_dialog
    assert isinstance(dialog, NoteDialog)
    dialog.text.setPlainText("Đã gọi cho người nộp hồ sơ")
    with qtbot.waitSignal(dialog.recorded, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    reassign_on_server(server, dossier_id, client.username)

    with qtbot.waitSignal(shell.sync.finished, timeout=30_000):
        press(qtbot, shell.window.list_view, "F5")
    # the open window says the dossier is no longer the officer's, and what became of the note
    qtbot.waitUntil(lambda: window.departed is not None, timeout=10_000)
    assert window.missing.isVisible()
    assert "không còn là của anh/chị" in window.missing.text() or \
        "không còn thuộc" in window.missing.text()
    assert "1 thay đổi" in window.missing.text()
    assert not any(a.isEnabled() for a in window.actions_list)
    assert window.show_rejected_button.isVisible()

    # the status bar warns; its button opens the view on the rejected-changes tab
    status = shell.window.status
    qtbot.waitUntil(lambda: status.issues_button.isVisible(), timeout=10_000)
    qtbot.mouseClick(status.issues_button, Qt.MouseButton.LeftButton)
    view = shell.window.conflicts_view
    assert isinstance(view, ConflictsView)
    qtbot.waitUntil(lambda: view.rejected_table.rowCount() == 1, timeout=10_000)
    assert view.tabs.currentIndex() == 1
    table = view.rejected_table
    assert table.item(0, 0).text() == code  # the code, not the dossier's UUID
    assert table.item(0, 1).text()  # and the procedure's name
    reason = table.item(0, 5).text()
    assert reason == reason_text("out_of_scope")
    assert "scope" not in reason and "không còn là của anh/chị" in reason

    # read: dismissed, the warning goes away, the export still has it
    table.selectRow(0)
    assert view.dismiss_button.isEnabled()
    with qtbot.waitSignal(view.dismissed, timeout=10_000):
        qtbot.mouseClick(view.dismiss_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.rejected_table.rowCount() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: not status.issues_button.isVisible(), timeout=10_000)
    kept = store_outbox.entries(client.cache.reader(), ("rejected",))
    assert len(kept) == 1 and kept[0].dismissed_at is not None
    assert kept[0].dossier_code == code
    view.close()
    window.close()


def test_the_feed_announces_a_reassignment_in_the_open_window(
        qtbot: Any, server: RunningServer, officer: tuple[SyncClient, str],
        shell: ClientApp) -> None:
    client, dossier_id = officer
    window = shell.open_dossier(dossier_id)
    assert isinstance(window, DossierWindow)
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)
    feed = FeedListener(client.session, client.cache, client.bus, wait=2.0)
    feed.start()
    try:
        qtbot.waitUntil(lambda: feed.connected is True, timeout=15_000)
        reassign_on_server(server, dossier_id, client.username)
        qtbot.waitUntil(lambda: window.missing.isVisible(), timeout=15_000)
    finally:
        feed.stop()
    assert "vừa được phân công cho cán bộ khác" in window.missing.text()
    assert not window.toolbar.actions()
    assert not window.actions_list.action_for("note").isEnabled()
    window.close()
