"""The dossier window against the real reference server on loopback: a synced dossier,
document download (progress, SHA-256 verified), opening a document (private temp file removed
afterwards), acting offline and syncing, and the head's officer directory."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices

from tests.client.sync_helpers import SyncClient, client_for
from tests.server.util import Peek
from tests.support.server import RunningServer, start_server
from wfh_client.store import outbox as store_outbox
from wfh_client.store.document_rows import get_document_row
from wfh_client.ui.bridge import EventBridge
from wfh_client.ui.context import AppContext
from wfh_client.ui.detail import open_dossier
from wfh_client.ui.detail.window import DossierWindow
from wfh_client.ui.dialogs.actions import open_action_dialog
from wfh_client.ui.dialogs.assign import AssignDialog
from wfh_client.ui.i18n import sync_state_name


def officer_with_work(server: RunningServer) -> tuple[str, str]:
    """(username, dossier id) of an officer's in-review dossier that has documents."""
    row = Peek(server).one(
        "SELECT u.username, d.id FROM users u JOIN dossiers d ON d.assignee_id = u.id "
        "WHERE d.status = 4 AND d.step = 'in_review' AND EXISTS "
        "(SELECT 1 FROM documents x WHERE x.dossier_id = d.id) ORDER BY d.code LIMIT 1")
    return str(row[0]), str(row[1])


def context_for(client: SyncClient) -> AppContext:
    return AppContext(cache=client.cache, bus=client.bus,
                      calendar=client.engine.profile().calendar,
                      bridge=EventBridge(client.bus), engine=client.engine,
                      user=client.session.user, clock=client.engine.clock)


@pytest.fixture
def officer(server: RunningServer, tmp_path: Path) -> Iterator[tuple[SyncClient, str]]:
    username, dossier_id = officer_with_work(server)
    with client_for(server, username, tmp_path / "officer") as client:
        client.engine.sync_once(prefetch=False)
        yield client, dossier_id


def opened(qtbot: Any, ctx: AppContext, dossier_id: str) -> DossierWindow:
    window = open_dossier(ctx, dossier_id)
    assert isinstance(window, DossierWindow)
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)
    return window


def test_detail_of_a_synced_dossier(qtbot: Any, officer: tuple[SyncClient, str]) -> None:
    client, dossier_id = officer
    doc = client.doc(dossier_id)
    assert doc is not None
    window = opened(qtbot, context_for(client), dossier_id)
    try:
        assert window.header.code.text() == doc["code"]
        assert window.overview.fields["name"].text() == doc["applicant"]["name"]
        assert window.overview.fields["id_number"].text() == doc["applicant"]["id_number"]
        assert window.documents.table.rowCount() == len(doc["documents"])
        assert window.timeline.rowCount() == len(doc["history"])
        verdicts = [window.timeline.verdict_at(r) for r in range(len(doc["history"]))]
        assert verdicts == [h["timeliness"] for h in doc["history"]]
        assert window.notes.list.count() == len(doc["notes"])
        assert not window.header.badge.isVisible()
    finally:
        window.close()


def test_download_shows_progress_and_verifies(qtbot: Any,
                                              officer: tuple[SyncClient, str]) -> None:
    client, dossier_id = officer
    ctx = context_for(client)
    window = opened(qtbot, ctx, dossier_id)
    try:
        panel = window.documents
        row = max(range(len(panel.rows)), key=lambda i: int(panel.rows[i]["size"] or 0))
        doc_id = str(panel.rows[row]["id"])
        bar = panel.bars[doc_id]
        seen: list[int] = []
        bar.valueChanged.connect(seen.append)
        panel.table.selectRow(row)
        assert panel.download_button.isEnabled()
        with qtbot.waitSignal(panel.downloaded, timeout=20_000):
            qtbot.mouseClick(panel.download_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.table.item(row, 2).text() == "Đã tải về", timeout=10_000)
        record = get_document_row(client.cache.reader(), doc_id)
        assert record is not None and record["state"] == "downloaded"
        assert client.cache.documents.sha256_of(doc_id) == record["sha256"]
        assert seen and seen[-1] == record["size"]  # the bar followed document.progress
        assert panel.bars[doc_id].value() == panel.bars[doc_id].maximum()
    finally:
        window.close()


def test_open_decrypts_to_a_private_file_removed_afterwards(
        qtbot: Any, officer: tuple[SyncClient, str], monkeypatch: pytest.MonkeyPatch) -> None:
    client, dossier_id = officer
    opened_urls: list[str] = []
    modes: list[int] = []

    def fake_open(url: QUrl) -> bool:  # the desktop viewer is the side effect we isolate
        path = url.toLocalFile()
        opened_urls.append(path)
        modes.append(stat.S_IMODE(os.stat(path).st_mode))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake_open))
    window = opened(qtbot, context_for(client), dossier_id)
    panel = window.documents
    first = panel.rows[0]
    with qtbot.waitSignal(panel.opened, timeout=20_000):
        panel.open_row(0)  # not downloaded yet: downloads, then opens
    [path] = opened_urls
    assert modes == [0o600]
    assert stat.S_IMODE(os.stat(Path(path).parent).st_mode) == 0o700
    assert Path(path).name == first["name"]
    assert Path(path).read_bytes() == client.cache.documents.read_all(str(first["id"]))
    window.close()
    assert not Path(path).exists() and not Path(path).parent.exists()


def test_act_offline_then_sync_applies(qtbot: Any, seeded_template: tuple[Path, Path],
                                       tmp_path: Path) -> None:
    db_path, blobs = tmp_path / "server.db", tmp_path / "blobs"
    shutil.copy(seeded_template[0], db_path)
    shutil.copytree(seeded_template[1], blobs)
    server = start_server(db_path, blobs)
    port = server.port
    username, dossier_id = officer_with_work(server)
    with client_for(server, username, tmp_path / "c") as client:
        client.engine.sync_once(prefetch=False)
        server.stop()  # the network is gone
        ctx = context_for(client)
        window = opened(qtbot, ctx, dossier_id)
        try:
            dialog = open_action_dialog(ctx, "submit_for_approval", dossier_id, window)
            dialog.result_text.setPlainText("Đủ điều kiện cấp giấy chứng nhận")  # type: ignore[attr-defined]
            with qtbot.waitSignal(window.loaded, timeout=10_000,
                                  check_params_cb=lambda v: v.sync_state == "pending"):
                qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
            assert window.header.badge.text() == sync_state_name("pending")
            assert "Đã trình ký" in window.header.status.text()
            server = start_server(db_path, blobs, port=port, clock=server.clock)
            with qtbot.waitSignal(window.loaded, timeout=20_000,
                                  check_params_cb=lambda v: v.sync_state == "synced"):
                client.engine.sync_once(prefetch=False)
            states = {e.action: e.state for e in store_outbox.entries(client.cache.reader())}
            assert states == {"submit_for_approval": "applied"}
            assert not window.header.badge.isVisible()
            last = window.timeline.rowCount() - 1
            assert "(đang chờ đồng bộ)" not in window.timeline.item(last, 3).text()
        finally:
            window.close()
            server.stop()


def test_head_assigns_from_the_directory(qtbot: Any, server: RunningServer,
                                         tmp_path: Path) -> None:
    with client_for(server, "truongphong.tnmt", tmp_path / "head") as client:
        client.engine.sync_once(prefetch=False)
        row = client.cache.reader().execute(
            "SELECT id FROM dossiers WHERE status = 4 AND step = 'assigned' LIMIT 1").fetchone()
        assert row is not None, "the seeded department always has an assigned dossier"
        ctx = context_for(client)
        dialog = open_action_dialog(ctx, "assign", row[0])
        assert isinstance(dialog, AssignDialog)
        qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
        assert dialog.source.text() == "Theo danh bạ của đơn vị."
        names = [dialog.officer.itemText(i) for i in range(1, dialog.officer.count())]
        assert len(names) >= 2
        current = dialog.officer.currentData()
        other = next(i for i in range(1, dialog.officer.count())
                     if dialog.officer.itemData(i) != current)
        dialog.officer.setCurrentIndex(other)
        chosen = dialog.officer.currentData()
        with qtbot.waitSignal(dialog.recorded, timeout=10_000):
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        client.engine.sync_once(prefetch=False)
        assert client.doc(row[0]) is not None
        assert Peek(server).scalar("SELECT assignee_id FROM dossiers WHERE id = :i",
                                   i=row[0]) == chosen
