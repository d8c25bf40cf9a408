"""The main window's status bar: list counts, connection state and last successful sync.

Counts: shown (rows in the list now) / total / overdue / due soon / unsent / conflicts. The
cache-wide figures come from :func:`~wfh_client.ui.models.dossier_query.list_counts`, read on
a worker thread (:func:`wfh_client.ui.ops.run_in_background`) after data changes and once a
minute; "shown" comes from the model after each refresh.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from wfh_client.ui.i18n import format_datetime, format_number, parse_iso
from wfh_client.ui.icons import icon
from wfh_client.ui.models.dossier_query import ListCounts

__all__ = ["MainStatusBar"]


class MainStatusBar(QStatusBar):
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
        self.addWidget(self.counts_label, 1)
        for widget in (self.progress_bar, self.state_icon, self.state_label,
                       self.last_sync_label):
            self.addPermanentWidget(widget)
        self.shown = 0
        self.counts: ListCounts | None = None
        self.state = "online"
        self.retranslate_ui()

    def set_shown(self, shown: int) -> None:
        self.shown = shown
        self._update_counts()

    def set_counts(self, counts: ListCounts) -> None:
        self.counts = counts
        self._update_counts()
        self._update_last_sync()

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
