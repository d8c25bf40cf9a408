"""The main window's status bar: list counts, connection state and last successful sync.

Counts: shown (rows in the list now) / total / overdue / due soon / unsent / conflicts; a
button appears when there are conflicts or rejected changes and opens their view
(:attr:`MainStatusBar.issues_clicked`). The state label's tooltip holds the last sync error in
plain words. The
cache-wide figures come from :func:`~wfh_client.store.listing.list_counts`, read on
a worker thread (:func:`wfh_client.ui.ops.run_in_background`) after data changes and once a
minute; "shown" comes from the model after each refresh.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from wfh_client.store.listing import ListCounts
from wfh_client.ui.i18n import format_datetime, format_number, parse_iso
from wfh_client.ui.icons import icon

__all__ = ["MainStatusBar"]


class MainStatusBar(QStatusBar):
    issues_clicked = Signal()

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("counts")
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setMaximumWidth(140)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        self.state_icon = QLabel(self)
        self.state_label = QLabel(self)
        self.last_sync_label = QLabel(self)
        self.issues_button = QToolButton(self)
        self.issues_button.setObjectName("issues")
        self.issues_button.setAutoRaise(True)
        self.issues_button.setIcon(icon("conflict"))
        self.issues_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.issues_button.setStyleSheet("QToolButton { color: #9a3412; font-weight: bold; }")
        self.issues_button.clicked.connect(self.issues_clicked)
        self.issues_button.hide()
        self.addWidget(self.counts_label, 1)
        for widget in (self.issues_button, self.progress_bar, self.state_icon, self.state_label,
                       self.last_sync_label):
            self.addPermanentWidget(widget)
        self.shown = 0
        self.counts: ListCounts | None = None
        self.state = "online"
        self.rejected = 0
        self.error = ""
        self.retranslate_ui()

    def set_shown(self, shown: int) -> None:
        self.shown = shown
        self._update_counts()

    def set_counts(self, counts: ListCounts) -> None:
        self.counts = counts
        self._update_counts()
        self._update_last_sync()

    def set_rejected(self, rejected: int) -> None:
        self.rejected = rejected
        self._update_issues()

    def set_error(self, message: str) -> None:
        """The last sync error in plain words ("" once a sync succeeds)."""
        self.error = message
        self.state_label.setToolTip(message)
        self.state_icon.setToolTip(message)

    def set_state(self, state: str) -> None:
        """``online`` | ``offline`` | ``syncing``."""
        self.state = state
        self.state_icon.setPixmap(icon(state).pixmap(14, 14))
        self.state_label.setText({
            "online": self.tr("Online"), "offline": self.tr("Offline"),
            "syncing": self.tr("Syncing…"),
        }.get(state, state))
        if state != "syncing":
            self.progress_bar.hide()

    def set_progress(self, done: int, total: int) -> None:
        self.progress_bar.setVisible(total > 0 and self.state == "syncing")
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(min(done, total))

    def counts_text(self) -> str:
        return self.counts_label.text()

    def _update_counts(self) -> None:
        c, n = self.counts, format_number
        total = c.total if c else 0
        parts = [
            self.tr("Shown: %1 / %2").replace("%1", n(self.shown)).replace("%2", n(total)),
            self.tr("Overdue: %1").replace("%1", n(c.overdue if c else 0)),
            self.tr("Due soon: %1").replace("%1", n(c.due_soon if c else 0)),
            self.tr("Unsent: %1").replace("%1", n(c.unsent if c else 0)),
            self.tr("Conflicts: %1").replace("%1", n(c.conflicts if c else 0)),
        ]
        self.counts_label.setText("   ".join(parts))
        self.counts_label.setTextFormat(Qt.TextFormat.PlainText)
        self._update_issues()

    def _update_issues(self) -> None:
        conflicts = self.counts.conflicts if self.counts else 0
        parts = []
        if conflicts:
            parts.append(self.tr("%1 conflicts").replace("%1", format_number(conflicts)))
        if self.rejected:
            parts.append(self.tr("%1 rejected").replace("%1", format_number(self.rejected)))
        self.issues_button.setText(", ".join(parts))
        self.issues_button.setToolTip(self.tr("Open conflicts and rejected changes "
                                              "(Ctrl+Shift+K)"))
        self.issues_button.setVisible(bool(parts))

    def _update_last_sync(self) -> None:
        when: datetime | None = parse_iso(self.counts.last_success_at if self.counts else None)
        self.last_sync_label.setText(
            self.tr("Last sync: %1").replace("%1", format_datetime(when, self.tz))
            if when else self.tr("Never synced"))

    def retranslate_ui(self) -> None:
        self._update_counts()
        self._update_last_sync()
        self.set_state(self.state)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
