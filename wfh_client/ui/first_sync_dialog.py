"""The first download of a new account's dossiers: real progress, cancellable.

Shown once after signing in on an empty cache. It asks the
:class:`~wfh_client.ui.sync_controller.SyncController` for one pass and follows its
``progress(done, total, phase)``: a determinate bar while the total is known, an empty one
before the first page (never an indeterminate bar, which some styles draw full). **Cancel**
stops the pass at its next step (``SyncController.cancel`` -> the engine raises
``SyncCancelled``); every page already received is committed, so the app opens
with what is there and the next sync continues from where it stopped. A failure is shown in
plain words with **Retry** and **Continue offline**.

``outcome`` ends as ``"done"``, ``"cancelled"`` or ``"failed"`` (the dialog then accepts).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wfh_client.sync.engine import SyncCancelled
from wfh_client.ui.i18n import format_number
from wfh_client.ui.icons import icon
from wfh_client.ui.sync_controller import SyncController

__all__ = ["FirstSyncDialog"]


class FirstSyncDialog(QDialog):
    def __init__(self, sync: SyncController, *, user_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstSyncDialog")
        self.setWindowIcon(icon("app"))
        self.sync = sync
        self.user_name = user_name
        self.outcome = ""
        self.done_count = 0
        self.total = 0
        self.phase = ""
        self.error_text = ""
        self.cancelling = False
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.explain.setMinimumWidth(460)
        self.bar = QProgressBar(self)
        self.bar.setMinimumWidth(420)
        self._connecting_bar()
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(self)
        self.cancel_button: QPushButton = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.RejectRole)
        self.retry_button: QPushButton = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.ActionRole)
        self.retry_button.hide()
        self.cancel_button.clicked.connect(self.cancel)
        self.retry_button.clicked.connect(self.start)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addSpacing(8)
        layout.addWidget(self.bar)
        layout.addWidget(self.count_label)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        sync.progress.connect(self._on_progress)
        sync.finished.connect(self._on_finished)
        self.retranslate_ui()

    def _connecting_bar(self) -> None:
        """Empty until the server says how many dossiers come: an indeterminate bar looks
        full (100 %) in styles that do not animate it, which is a lie while connecting."""
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.bar.setTextVisible(False)

    def start(self) -> bool:
        """Start (or retry) the download."""
        self.error_text = ""
        if self.total <= 0:
            self._connecting_bar()
        self.error_label.hide()
        self.retry_button.hide()
        self.cancelling = False
        self.cancel_button.setEnabled(True)
        self.retranslate_ui()
        return self.sync.sync_now()

    def cancel(self) -> None:
        if self.error_text:  # failed: "Continue offline"
            self._end("failed")
            return
        self.cancelling = True
        self.cancel_button.setEnabled(False)
        self.sync.cancel()
        self.retranslate_ui()

    def reject(self) -> None:  # Esc
        self.cancel()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        event.ignore()
        self.cancel()

    # ------------------------------------------------------------------ progress
    def _on_progress(self, done: int, total: int, phase: str) -> None:
        if phase == "push":
            return  # nothing to push on a new account; keep the download figures
        self.done_count, self.total, self.phase = done, total, phase
        if total > 0:
            self.bar.setTextVisible(True)
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        self._update_count()

    def _on_finished(self, ok: bool, message: str) -> None:
        if self.outcome:
            return
        if ok:
            self.bar.setRange(0, max(1, self.total))
            self.bar.setValue(max(1, self.total))
            self._end("done")
        elif self.cancelling or isinstance(self.sync.last_error, SyncCancelled):
            self._end("cancelled")
        else:
            self.error_text = message
            self.error_label.setText(message)
            self.error_label.show()
            self.retry_button.show()
            self.cancel_button.setEnabled(True)
            self.bar.setRange(0, 1)
            self.bar.setValue(0)
            self.retranslate_ui()

    def _end(self, outcome: str) -> None:
        self.outcome = outcome
        self.sync.progress.disconnect(self._on_progress)
        self.sync.finished.disconnect(self._on_finished)
        self.accept()

    def _update_count(self) -> None:
        if self.total <= 0 and self.done_count <= 0:
            self.count_label.setText(self.tr("Connecting to the server…"))
        else:
            self.count_label.setText(self.tr("%1 dossiers downloaded")
                                     .replace("%1", format_number(self.done_count)))

    # ------------------------------------------------------------------ translation
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("First synchronisation"))
        self.heading.setText(self.tr("Downloading your dossiers"))
        explain = self.tr("This happens once, on the first sign-in on this computer. You can "
                          "cancel: what has been downloaded is kept and the rest follows later.")
        if self.user_name:
            explain = self.tr("Welcome, %1.").replace("%1", self.user_name) + " " + explain
        self.explain.setText(explain)
        if self.error_text:
            self.cancel_button.setText(self.tr("Continue &offline"))
        elif self.cancelling:
            self.cancel_button.setText(self.tr("Cancelling…"))
        else:
            self.cancel_button.setText(self.tr("&Cancel"))
        self.retry_button.setText(self.tr("&Retry"))
        self._update_count()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
