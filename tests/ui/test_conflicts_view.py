"""The conflicts and rejected-changes view over a real conflict made against the real server.

The officer records ``submit_for_approval`` offline; meanwhile the head stops the dossier on
the server; the sync finds the conflict. The view shows both sides; take theirs / keep mine
resolve it; the rejected tab lists what the server will never accept and exports it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QFileDialog

from tests.client.sync_helpers import SyncClient, client_for
from tests.server.util import Peek, login
from tests.support.server import RunningServer
from wfh_client.store import outbox as store_outbox
from wfh_client.sync.operations import record_action
from wfh_client.ui.app import ClientApp, create_application
from wfh_client.ui.conflicts_view import ConflictsView


@pytest.fixture
def conflicted(qtbot: Any, server: RunningServer,
               tmp_path: Path) -> Iterator[tuple[ClientApp, SyncClient, str]]:
    peek = Peek(server)
    user, dossier_id = peek.officer_dossier()
    with client_for(server, user, tmp_path) as client:
        client.engine.sync_once()
        record_action(client.engine, dossier_id, "submit_for_approval",
                      {"proposed_result": "Cấp giấy chứng nhận", "decision": "grant"})
        head = login(server, peek.head_of(peek.dossier(dossier_id).department_id))
        r = head.action(dossier_id, "stop", int(peek.dossier(dossier_id).version),
                        {"reason": "Hồ sơ có tranh chấp"})
        assert r.status_code == 200, r.text
        client.engine.sync_once()
        assert len(store_outbox.open_conflicts(client.cache.reader())) == 1
        create_application(language="vi")
        shell = ClientApp(cache=client.cache, bus=client.bus, calendar=client.engine.profile()
                          .calendar, engine=client.engine, clock=client.engine.clock,
                          tray_available=False)
        try:
            yield shell, client, dossier_id
        finally:
            close_shell(shell)


def close_shell(shell: ClientApp) -> None:
    """Close and delete the window before its cache closes (no timer may read it after)."""
    shell.window.allow_quit()
    shell.window.close()
    shell.shutdown()
    shell.window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def open_view(qtbot: Any, shell: ClientApp) -> ConflictsView:
    shell.show()
    with qtbot.waitSignal(shell.window.counts_updated, timeout=10_000):
        shell.window.refresh_counts()
    assert shell.window.status.issues_button.isVisible()  # "1 xung đột" in the status bar
    with qtbot.waitSignal(shell.window.status.issues_clicked, timeout=5000):
        shell.window.status.issues_button.click()
    view = shell.window.conflicts_view
    assert view is not None
    qtbot.waitUntil(lambda: view.conflict_list.count() == 1, timeout=10_000)
    return view


def test_both_sides_then_take_theirs(qtbot: Any, conflicted: Any, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shell, client, dossier_id = conflicted
    view = open_view(qtbot, shell)
    assert "Trạng thái" in view.differing_rows()  # status differs: stopped vs processing
    assert "Phiên bản" in view.differing_rows()
    mine, theirs = (view.compare.item(0, c).text() for c in (1, 2))  # type: ignore[union-attr]
    assert mine != theirs and "Dừng" in theirs or theirs
    assert "Trình ký" in view.explain.text()  # the user's action, in Vietnamese
    with qtbot.waitSignal(view.resolved, timeout=15_000) as resolved:
        view.take_theirs_button.click()
    assert resolved.args[1] == "theirs"
    qtbot.waitUntil(lambda: view.conflict_list.count() == 0, timeout=10_000)
    assert store_outbox.open_conflicts(client.cache.reader()) == []
    record = client.record(dossier_id)
    assert record is not None and record.local_state == "synced" and record.data["status"] == 8
    # the discarded action is listed as rejected and can be exported
    qtbot.waitUntil(lambda: view.rejected_table.rowCount() == 1, timeout=10_000)
    assert view.rejected_table.item(0, 5).text() == "Bạn đã chọn giữ bản của máy chủ."  # type: ignore[union-attr]
    target = tmp_path / "rejected.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    view.tabs.setCurrentIndex(1)
    with qtbot.waitSignal(view.exported, timeout=10_000):
        view.export_button.click()
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert [e["action"] for e in exported["entries"]] == ["submit_for_approval"]
    assert exported["entries"][0]["dossier_id"] == dossier_id


def test_keep_mine_sends_again_and_the_server_refuses_it(qtbot: Any, conflicted: Any) -> None:
    shell, client, dossier_id = conflicted
    view = open_view(qtbot, shell)
    with qtbot.waitSignal(view.resolved, timeout=15_000) as resolved:
        view.keep_mine_button.click()
    assert resolved.args[1] == "mine"
    pending = store_outbox.entries(client.cache.reader(), ("pending",), dossier_id=dossier_id)
    assert [e.action for e in pending] == ["submit_for_approval"]
    # sent again on the server's version: a stopped dossier cannot be submitted -> quarantined
    with qtbot.waitSignal(shell.sync.finished, timeout=30_000):
        assert shell.sync.sync_now()
    qtbot.waitUntil(lambda: view.rejected_table.rowCount() == 1, timeout=10_000)
    assert view.conflict_list.count() == 0
    entry = store_outbox.entries(client.cache.reader(), dossier_id=dossier_id)[-1]
    assert entry.state == "invalid"
    assert view.rejected_table.item(0, 4).text() == "Không hợp lệ"  # type: ignore[union-attr]
    assert view.rejected_table.item(0, 5).text()  # the server's reason, in plain words  # type: ignore[union-attr]


def test_merged_notes_keep_both_sides(qtbot: Any, conflicted: Any) -> None:
    shell, client, dossier_id = conflicted
    record_action(client.engine, dossier_id, "note", {"text": "Ghi chú của tôi"})
    view = open_view(qtbot, shell)
    qtbot.waitUntil(lambda: "Ghi chú của tôi" in view.notes.toPlainText(), timeout=10_000)
    assert "(của bạn, chưa gửi)" in view.notes.toPlainText()
