"""Attachments are never executed and decrypted copies never outlive their use (issue 10.1, 10.2).

Against the real server, keyring and encrypted cache, driving the dossier window's documents
tab like a user. The upstream one-stop system can hold whatever a citizen submitted: a
``.pdf.exe``, or a program named ``.pdf``; those documents are put straight into the server's
store here, as intake would. The desktop viewer (``QDesktopServices.openUrl``) is the one side
effect isolated: it records what the app would have handed to the operating system."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import insert, select, update

from onestop_server import db, serialize
from tests.client.sync_helpers import SyncClient, client_for
from tests.server.util import Peek
from tests.support.server import RunningServer
from wfh_client.store import DocumentStore
from wfh_client.ui.bridge import EventBridge
from wfh_client.ui.context import AppContext
from wfh_client.ui.detail import open_dossier
from wfh_client.ui.detail.window import DossierWindow

PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 4000  # what a Windows .exe starts with


def add_submitted_document(server: RunningServer, dossier_id: str, name: str,
                           content: bytes) -> int:
    """Put a document into the server's store as the one-stop intake would."""
    sha = hashlib.sha256(content).hexdigest()
    (server.blob_dir / sha).write_bytes(content)
    engine = db.make_engine(db.sqlite_url(str(server.db_path)))
    try:
        with db.write_transaction(engine) as conn:
            row = conn.execute(select(db.dossiers).where(db.dossiers.c.id == dossier_id)).one()
            doc_id = conn.execute(insert(db.documents).values(
                dossier_id=dossier_id, name=name, kind="submitted",
                mime="application/octet-stream", size=len(content), sha256=sha,
                created_at=datetime(2026, 3, 2, 1, tzinfo=UTC)).returning(
                db.documents.c.id)).scalar_one()
            conn.execute(update(db.dossiers).where(db.dossiers.c.id == dossier_id)
                         .values(version=row.version + 1))
            db.record_change(conn, dossier_id, department_id=row.department_id,
                             assignee_id=row.assignee_id, prev_department_id=row.department_id,
                             prev_assignee_id=row.assignee_id, at=row.updated_at)
            serialize.rebuild_payload(conn, dossier_id)
    finally:
        engine.dispose()
    return int(doc_id)


@pytest.fixture
def desk(server: RunningServer, tmp_path: Path) -> Iterator[tuple[SyncClient, str, dict[str, int]]]:
    row = Peek(server).one(
        "SELECT u.username, d.id FROM users u JOIN dossiers d ON d.assignee_id = u.id "
        "WHERE d.status = 4 AND d.step = 'in_review' AND EXISTS "
        "(SELECT 1 FROM documents x WHERE x.dossier_id = d.id) ORDER BY d.code LIMIT 1")
    username, dossier_id = str(row[0]), str(row[1])
    docs = {
        "exe": add_submitted_document(server, dossier_id, "Đơn đề nghị.pdf.exe", PROGRAM),
        "disguised": add_submitted_document(server, dossier_id, "Bản sao CCCD.pdf", PROGRAM),
    }
    with client_for(server, username, tmp_path / "officer") as client:
        client.engine.prefetch_max_bytes = 50_000_000
        client.engine.sync_once()  # documents downloaded, encrypted
        yield client, dossier_id, docs


@pytest.fixture
def viewer(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the app hands to the desktop's viewer (the OS side effect, recorded instead)."""
    handed: list[str] = []

    def open_url(url: QUrl) -> bool:
        handed.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return handed


def window_for(qtbot: Any, client: SyncClient, dossier_id: str) -> DossierWindow:
    ctx = AppContext(cache=client.cache, bus=client.bus, calendar=client.engine.profile().calendar,
                     bridge=EventBridge(client.bus), engine=client.engine,
                     user=client.session.user)
    window = open_dossier(ctx, dossier_id)
    assert isinstance(window, DossierWindow)
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)
    return window


def select_document(panel: Any, doc_id: int) -> int:
    row = panel.row_of(str(doc_id))
    assert row >= 0
    panel.table.selectRow(row)
    return row


def plaintext_files(root: Path) -> list[Path]:
    """Files under root. The app may be deleting them while this looks: os.walk skips a
    folder that vanished between listing and entering it, where rglob raised."""
    return [Path(folder, name) for folder, _dirs, names in os.walk(root) for name in names]


def shared_temp_copies() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith("wfh-doc-")}


@pytest.mark.parametrize("kind", ["exe", "disguised"])
def test_a_program_is_never_handed_to_the_os_only_saved_with_a_warning(
        qtbot: Any, desk: tuple[SyncClient, str, dict[str, int]], viewer: list[str],
        private_runtime_dir: Path, tmp_path: Path, kind: str) -> None:
    client, dossier_id, docs = desk
    window = window_for(qtbot, client, dossier_id)
    try:
        panel = window.documents
        select_document(panel, docs[kind])
        with qtbot.waitSignal(panel.blocked, timeout=10_000):
            qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
        assert viewer == []  # never opened
        assert plaintext_files(private_runtime_dir / "open") == []  # not even decrypted
        box = panel.blocked_box
        assert isinstance(box, QMessageBox) and box.isVisible()
        name = panel.rows[panel.row_of(str(docs[kind]))]["name"]
        assert name in box.text()
        save = box.button(QMessageBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: isinstance(panel.save_dialog, QFileDialog)
                        and panel.save_dialog.isVisible(), timeout=10_000)
        dialog = panel.save_dialog
        assert isinstance(dialog, QFileDialog)
        target = tmp_path / "kiem-tra" / "ban-luu.bin"
        target.parent.mkdir()
        dialog.selectFile(str(target))
        with qtbot.waitSignal(panel.saved, timeout=10_000):
            dialog.accept()
        assert target.read_bytes() == PROGRAM
        assert viewer == []
    finally:
        window.close()


def test_a_real_pdf_opens_from_the_private_folder_and_goes_with_the_window(
        qtbot: Any, desk: tuple[SyncClient, str, dict[str, int]], viewer: list[str],
        private_runtime_dir: Path) -> None:
    client, dossier_id, _ = desk
    before = shared_temp_copies()
    window = window_for(qtbot, client, dossier_id)
    panel = window.documents
    pdf_row = next(i for i, r in enumerate(panel.rows) if str(r.get("name")).endswith(".pdf")
                   and client.cache.documents.read_all(str(r["id"])).startswith(b"%PDF"))
    panel.table.selectRow(pdf_row)
    with qtbot.waitSignal(panel.opened, timeout=10_000):
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    [path] = [Path(p) for p in viewer]
    copies = private_runtime_dir / "open" / client.cache.paths.account_id
    assert path.is_relative_to(copies)  # the account's private folder, not the shared temp
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(private_runtime_dir).st_mode) == 0o700
    assert shared_temp_copies() == before
    window.close()
    assert not path.exists() and plaintext_files(copies) == []


def test_closing_the_window_while_decrypting_leaves_no_copy(
        qtbot: Any, desk: tuple[SyncClient, str, dict[str, int]], viewer: list[str],
        private_runtime_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Decryption is held (a slow disk, a big file) until the window has closed."""
    client, dossier_id, _ = desk
    release, started, finished = threading.Event(), threading.Event(), threading.Event()
    real_iter = DocumentStore.iter_plaintext

    def slow_iter(self: DocumentStore, doc_id: str) -> Iterator[bytes]:
        started.set()
        assert release.wait(30)
        yield from real_iter(self, doc_id)
        finished.set()  # every chunk has been written to the copy by now

    before = shared_temp_copies()
    window = window_for(qtbot, client, dossier_id)
    panel = window.documents
    pdf_row = next(i for i, r in enumerate(panel.rows) if str(r.get("name")).endswith(".pdf")
                   and r.get("state") == "downloaded"
                   and client.cache.documents.read_all(str(r["id"])).startswith(b"%PDF"))
    monkeypatch.setattr(DocumentStore, "iter_plaintext", slow_iter)
    panel.table.selectRow(pdf_row)
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert started.wait(10)
    window.close()  # while the copy is still being written
    release.set()
    assert finished.wait(30)
    copies = private_runtime_dir / "open"

    def no_plaintext_left() -> bool:
        temp = Path(tempfile.gettempdir())
        return plaintext_files(copies) == [] and all(
            plaintext_files(temp / n) == [] for n in shared_temp_copies() - before)

    qtbot.waitUntil(no_plaintext_left, timeout=10_000)
    assert viewer == []
