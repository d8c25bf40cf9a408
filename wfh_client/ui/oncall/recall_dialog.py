"""The head's "Recall…" dialog: recipients, message, report-by time and urgency.

It only collects and checks the input (a message; a report-by time from now to 7 days ahead, as
the server requires); the :class:`~wfh_client.ui.oncall.team_view.TeamView` sends it
(``POST /api/v1/oncall/recalls`` on the worker pool) and reports back with :meth:`show_error`
or by closing it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from wfh_client.ui.oncall.labels import urgency_name
from wfh_client.ui.oncall.recall_alert import from_qdatetime, to_qdatetime

__all__ = ["RecallDialog"]

DEFAULT_LEAD = timedelta(minutes=30)
MAX_AHEAD = timedelta(days=7)


def _round_up(value: datetime, minutes: int = 5) -> datetime:
    value = value.replace(second=0, microsecond=0)
    return value + timedelta(minutes=(-value.minute) % minutes)


class RecallDialog(QDialog):
    # {"recipients": [ids], "message": str, "report_by": datetime, "urgency": str}
    submitted = Signal(object)

    def __init__(self, recipients: list[dict[str, Any]], tz: tzinfo, now: datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recallDialog")
        self.recipients = recipients
        self.tz = tz
        self.now = now
        self.who = QLabel(", ".join(str(r.get("full_name") or "") for r in recipients), self)
        self.who.setWordWrap(True)
        self.message = QPlainTextEdit(self)
        self.message.setTabChangesFocus(True)
        self.message.setMinimumHeight(90)
        self.report_by = QDateTimeEdit(self)
        self.report_by.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.report_by.setCalendarPopup(True)
        self.report_by.setDateTime(to_qdatetime(_round_up(now.astimezone(tz) + DEFAULT_LEAD),
                                                tz))
        self.urgency = QComboBox(self)
        for code in ("normal", "urgent"):
            self.urgency.addItem(urgency_name(code), code)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b91c1c;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.labels = [QLabel(self) for _ in range(4)]
        for label, field in zip(self.labels, (self.who, self.message, self.report_by,
                                              self.urgency), strict=True):
            label.setBuddy(field)
            self.form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        self.setMinimumWidth(460)
        self.message.setFocus(Qt.FocusReason.OtherFocusReason)

    def values(self) -> dict[str, Any]:
        return {"recipients": [int(r["user_id"]) for r in self.recipients],
                "message": self.message.toPlainText().strip(),
                "report_by": from_qdatetime(self.report_by.dateTime(), self.tz),
                "urgency": str(self.urgency.currentData())}

    def set_busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self.error.show()

    def _submit(self) -> None:
        values = self.values()
        if not values["message"]:
            self.show_error(self.tr("Write what the recall is about."))
            return
        if not self.now - timedelta(minutes=1) <= values["report_by"] <= self.now + MAX_AHEAD:
            self.show_error(self.tr("The report-by time must be between now and 7 days "
                                    "ahead."))
            return
        self.error.hide()
        self.set_busy(True)
        self.submitted.emit(values)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Recall to the office"))
        for label, text in zip(self.labels, (self.tr("To:"), self.tr("&Message:"),
                                             self.tr("&Report by:"), self.tr("&Urgency:")),
                               strict=True):
            label.setText(text)
        self.message.setPlaceholderText(self.tr("e.g. Citizens are waiting at the counter; "
                                                "please come to the office."))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Send &recall"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
