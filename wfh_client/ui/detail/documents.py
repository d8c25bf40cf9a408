"""The documents tab: the dossier's documents with size, download state and progress, "Open"
and "Attach result…".

- Download runs ``wfh_client.sync.documents.download_document`` on the worker pool; its
  ``document.progress`` events reach :meth:`DocumentsPanel.set_progress` through the bridge
  (the window forwards them), so each row's ``QProgressBar`` moves while the GUI stays free.
- Open hands only known document types whose content matches to the desktop's viewer
  (:mod:`.safe_open`); anything else gets a warning and can only be saved ("Save a copy…",
  also a button). The decrypted copy is a 0600 file in the account's private folder
  (``DocumentStore.decrypt_copy``), kept while the viewer may read it, removed when the dossier
  window closes or the application quits (:meth:`DocumentsPanel.close_open_files`), and
  removed at once if the window closed while it was still decrypting.
- Attach result picks a file and queues it with ``queue_result_upload`` (works offline); it is
  listed as waiting to sync until the outbox sends it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wfh_client.domain.filetypes import FileTypeError
from wfh_client.sync.documents import MAX_UPLOAD_BYTES, download_document, queue_result_upload
from wfh_client.ui.context import AppContext
from wfh_client.ui.detail import safe_open
from wfh_client.ui.detail.data import DossierView
from wfh_client.ui.detail.labels import document_state_name, format_size
from wfh_client.ui.dialogs.common import engine_of
from wfh_client.ui.messages import describe_error
from wfh_client.ui.operation import Op

__all__ = ["DocumentsPanel"]


class DocumentsPanel(QWidget):
    downloaded = Signal(str)  # doc id
    opened = Signal(str)  # local path handed to the viewer
    attached = Signal(object)  # OutboxEntry
    failed = Signal(str)  # message shown to the user
    blocked = Signal(str)  # a file that will not be opened (name): the save offer is shown
    saved = Signal(str)  # path of a copy the user saved

    def __init__(self, ctx: AppContext, dossier_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dossier_id = dossier_id
        self.rows: list[dict[str, Any]] = []
        self.bars: dict[str, QProgressBar] = {}
        self.blocked_box: QWidget | None = None
        self.save_dialog: QWidget | None = None
        self._downloading: dict[str, threading.Event] = {}
        self._closed = threading.Event()
        self.open_paths: list[Path] = []
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("documentsTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellDoubleClicked.connect(lambda row, _c: self.open_row(row))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.download_button = QPushButton(self)
        self.open_button = QPushButton(self)
        self.save_button = QPushButton(self)
        self.attach_button = QPushButton(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.download_button.clicked.connect(lambda: self.download_row(self.table.currentRow()))
        self.open_button.clicked.connect(lambda: self.open_row(self.table.currentRow()))
        self.save_button.clicked.connect(lambda: self.save_row(self.table.currentRow()))
        self.attach_button.clicked.connect(self.choose_attachment)
        for button in (self.download_button, self.open_button, self.save_button,
                       self.attach_button):
            buttons.addWidget(button)
        buttons.addWidget(self.message, 1)
        layout.addLayout(buttons)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close_open_files)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Size"), self.tr("State"),
                                              self.tr("Progress")])
        self.download_button.setText(self.tr("Download"))
        self.open_button.setText(self.tr("Open"))
        self.save_button.setText(self.tr("Save a copy…"))
        self.attach_button.setText(self.tr("Attach result…"))

    # ------------------------------------------------------------------------ rows
    def set_view(self, view: DossierView) -> None:
        current = self.table.currentRow()
        uploads = [{"id": None, "name": e.payload.get("name"), "size": e.payload.get("size"),
                    "state": "uploading", "kind": "result", "client_id": e.client_id}
                   for e in view.uploads]
        self.rows = [*view.documents, *uploads]
        self.bars = {}
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            name = str(row.get("name") or "")
            if row.get("kind") == "result":
                name += " " + self.tr("(result)")
            for c, text in enumerate((name, format_size(row.get("size")),
                                      document_state_name(row.get("state")))):
                self.table.setItem(r, c, QTableWidgetItem(text))
            bar = QProgressBar(self.table)
            bar.setRange(0, max(1, int(row.get("size") or 0)))
            bar.setTextVisible(True)
            held = int(row.get("downloaded_bytes") or 0)
            bar.setValue(bar.maximum() if row.get("state") == "downloaded" else min(held, bar.maximum()))
            self.table.setCellWidget(r, 3, bar)
            if row.get("id"):
                self.bars[str(row["id"])] = bar
        if 0 <= current < len(self.rows):
            self.table.selectRow(current)
        self._update_buttons()

    def _row(self, index: int) -> dict[str, Any] | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def row_of(self, doc_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.get("id") == doc_id), -1)

    def _update_buttons(self) -> None:
        row = self._row(self.table.currentRow())
        online_doc = row is not None and row.get("id") is not None
        engine = engine_of(self.ctx)
        self.download_button.setEnabled(online_doc and engine is not None and row is not None
                                         and row.get("state") != "downloaded"
                                         and str(row.get("id")) not in self._downloading)
        self.open_button.setEnabled(online_doc)
        self.save_button.setEnabled(online_doc)
        self.attach_button.setEnabled(engine is not None)

    def set_progress(self, doc_id: str, done: int, total: int) -> None:
        bar = self.bars.get(doc_id)
        if bar is not None:
            bar.setRange(0, max(1, total))
            bar.setValue(min(done, max(1, total)))

    # ------------------------------------------------------------------ download
    def download_row(self, index: int, *, then_open: bool = False,
                     then: Callable[[str, str], None] | None = None) -> None:
        row = self._row(index)
        engine = engine_of(self.ctx)
        if row is None or not row.get("id") or engine is None:
            return
        doc_id = str(row["id"])
        if doc_id in self._downloading:
            return
        cancel = threading.Event()
        self._downloading[doc_id] = cancel
        self.message.setText(self.tr("Downloading %1…").replace("%1", str(row.get("name"))))
        self._update_buttons()

        def done(_bytes: int) -> None:
            self._downloading.pop(doc_id, None)
            self.message.clear()
            self.downloaded.emit(doc_id)
            if then_open:
                self._open_decrypted(doc_id, str(row.get("name") or doc_id))
            elif then is not None:
                then(doc_id, str(row.get("name") or doc_id))

        def failed(_exc: BaseException, words: str) -> None:
            self._downloading.pop(doc_id, None)
            self._update_buttons()
            self._fail(self.tr("The download failed: %1").replace("%1", words))

        Op(self, lambda: download_document(engine, doc_id, cancel=cancel,
                                             dossier_id=row.get("dossier_id"))) \
            .success(done).failure(failed).run()

    def cancel_downloads(self) -> None:
        for event in self._downloading.values():
            event.set()

    # ---------------------------------------------------------------------- open
    def open_row(self, index: int) -> None:
        row = self._row(index)
        if row is None or not row.get("id"):
            return
        doc_id, name = str(row["id"]), str(row.get("name") or row["id"])
        if row.get("state") == "downloaded" and self.ctx.cache.documents.exists(doc_id):
            self._open_decrypted(doc_id, name)
        else:
            self.download_row(index, then_open=True)

    def _open_decrypted(self, doc_id: str, name: str) -> None:
        documents, closed = self.ctx.cache.documents, self._closed

        def show(path: Path | None) -> None:
            if path is None:  # the window closed while decrypting: the copy is gone already
                return
            self.open_paths.append(path)
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                # nothing on this computer opens it: say so instead of doing nothing
                self._fail(self.tr("No program on this computer can open %1. Ask your IT "
                                   "staff to install a viewer for this kind of file.")
                           .replace("%1", name))
                return
            self.opened.emit(str(path))

        def refused(exc: BaseException, words: str) -> None:
            if isinstance(exc, FileTypeError):
                self.blocked_box = safe_open.warn_blocked(
                    self, name, exc, lambda: self._ask_save(doc_id, name))
                self.blocked.emit(name)
            else:
                self._fail(self.tr("The document cannot be opened: %1").replace("%1", words))

        Op(self, lambda: safe_open.prepare_open(documents, doc_id, name, closed)) \
            .success(show).failure(refused).run()

    def close_open_files(self) -> None:
        """Remove every decrypted copy handed to a viewer (window close, application exit);
        a decryption still running removes its copy when it finishes."""
        self._closed.set()
        documents = self.ctx.cache.documents
        for path in self.open_paths:
            documents.remove_copy(path)
        self.open_paths.clear()

    # ---------------------------------------------------------------------- save
    def save_row(self, index: int) -> None:
        """"Save a copy…": ask where, then decrypt there (downloading first if needed)."""
        row = self._row(index)
        if row is None or not row.get("id"):
            return
        doc_id, name = str(row["id"]), str(row.get("name") or row["id"])
        if row.get("state") == "downloaded" and self.ctx.cache.documents.exists(doc_id):
            self._ask_save(doc_id, name)
        else:
            self.download_row(index, then=self._ask_save)

    def _ask_save(self, doc_id: str, name: str) -> None:
        documents = self.ctx.cache.documents

        def chosen(target: Path) -> None:
            def done(path: Path) -> None:
                self.message.setText(self.tr("Saved to %1").replace("%1", str(path)))
                self.saved.emit(str(path))

            Op(self, lambda: safe_open.save_copy(documents, doc_id, target)).success(done) \
                .failure(lambda _exc, words: self._fail(
                    self.tr("The copy cannot be saved: %1").replace("%1", words))).run()

        self.save_dialog = safe_open.ask_save_path(self, name, chosen)

    # -------------------------------------------------------------------- attach
    def choose_attachment(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Attach a result document"))
        if path:
            self.attach_file(Path(path))

    def attach_file(self, path: Path) -> None:
        engine = engine_of(self.ctx)
        if engine is None:
            return

        try:
            too_big = path.stat().st_size > MAX_UPLOAD_BYTES
        except OSError as exc:
            self._fail(self.tr("The file cannot be attached: %1").replace(
                "%1", describe_error(exc)))
            return
        if too_big:  # said here, in the user's language (the core's check says it in English)
            self._fail(self.tr("%1 is larger than %2 MB, the most the server accepts.")
                       .replace("%1", path.name)
                       .replace("%2", str(MAX_UPLOAD_BYTES // (1024 * 1024))))
            return

        def done(entry: Any) -> None:
            self.message.setText(self.tr("%1 will be uploaded at the next sync.").replace(
                "%1", path.name))
            self.attached.emit(entry)

        Op(self, lambda: queue_result_upload(engine, self.dossier_id, path)).success(done) \
            .failure(lambda _exc, words: self._fail(
                self.tr("The file cannot be attached: %1").replace("%1", words))).run()

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.failed.emit(text)
