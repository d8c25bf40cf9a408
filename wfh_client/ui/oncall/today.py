"""Today's check-in windows and their state: done / missed / open / upcoming / suspended.

Fed by :meth:`TodayDialog.set_windows` with ``OnCallService.today()`` (read on a worker thread by
the controller) and the number of check-ins still waiting to be sent. A check-in made offline
shows its window as "Done (queued, not sent yet)" until the queue sends it. Reached from the
On-call menu, the prompt's "Today's check-ins…" and the status bar's on-call button.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wfh_client.ui.oncall.labels import window_span, window_state_name

__all__ = ["STATE_COLOURS", "TodayDialog", "summary_counts"]

STATE_COLOURS = {"done": "#166534", "missed": "#b91c1c", "open": "#1d4ed8",
                 "upcoming": "#475569", "suspended": "#6b21a8"}


def summary_counts(windows: list[dict[str, Any]]) -> dict[str, int]:
    out = {k: 0 for k in STATE_COLOURS}
    for w in windows:
        out[str(w.get("state"))] = out.get(str(w.get("state")), 0) + 1
    return out


class TodayDialog(QDialog):
    check_in_requested = Signal()

    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayDialog")
        self.tz = tz
        self.windows: list[dict[str, Any]] = []
        self.queued = 0
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 2, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.
                                                           ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.queued_label = QLabel(self)
        self.queued_label.setStyleSheet("color: #92400e;")
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #475569;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.check_button = QPushButton(self)
        self.buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.hide)
        self.check_button.clicked.connect(self.check_in_requested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.queued_label)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        self.resize(420, 430)

    def set_windows(self, windows: list[dict[str, Any]], queued: int = 0) -> None:
        self.windows, self.queued = list(windows), queued
        self._fill()

    def state_texts(self) -> list[tuple[str, str]]:
        """(window, state) as shown (tests)."""
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return "" if item is None else item.text()

        return [(text(r, 0), text(r, 1)) for r in range(self.table.rowCount())]

    def _fill(self) -> None:
        self.table.setRowCount(len(self.windows))
        for row, w in enumerate(self.windows):
            state = str(w.get("state") or "")
            span = QTableWidgetItem(window_span(w, self.tz))
            text = QTableWidgetItem(window_state_name(state, bool(w.get("pending"))))
            colour = "#92400e" if state == "done" and w.get("pending") else \
                STATE_COLOURS.get(state, "#000000")
            text.setForeground(QBrush(QColor(colour)))
            if state in ("open", "missed"):
                font = text.font()
                font.setBold(True)
                text.setFont(font)
            span.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(row, 0, span)
            self.table.setItem(row, 1, text)
        counts = summary_counts(self.windows)
        if not self.windows:
            self.summary.setText(self.tr("No check-in windows today (a day off, or the "
                                         "department's policy is not loaded yet)."))
        else:
            self.summary.setText(self.tr("%1 of %2 windows done, %3 missed.")
                                 .replace("%1", str(counts["done"]))
                                 .replace("%2", str(len(self.windows)))
                                 .replace("%3", str(counts["missed"])))
        self.queued_label.setText(self.tr("Check-ins waiting to be sent (made offline): %1. "
                                          "They are sent when the server can be reached.")
                                  .replace("%1", str(self.queued)) if self.queued else "")
        self.queued_label.setVisible(bool(self.queued))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Today's check-ins"))
        self.table.setHorizontalHeaderLabels([self.tr("Window"), self.tr("State")])
        self.check_button.setText(self.tr("Check in &now…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("&Close"))
        self.note.setText(self.tr("Do not disturb only hides the prompts: a window without a "
                                  "check-in still counts as missed."))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
