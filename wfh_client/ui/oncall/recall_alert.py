"""The recall alert: always on top, large, audible, and on screen until it is answered.

Shows who recalls, when, the message, the report-by time and the urgency. Two answers:

- **"I will come"** with an arrival time (defaults to the report-by time);
- **"I cannot come"** with a reason, which is required.

It cannot be closed, escaped or dismissed without an answer (only :meth:`finish`, called by the
controller once the answer is recorded or the head closed the recall, closes it). The sound
(:class:`~wfh_client.ui.oncall.sound.AlertSound`) repeats until then. A re-notification of the
same recall (:meth:`renotified`) raises it again and restarts the sound. Do-not-disturb never
applies to it.

An answer is never given by accident: there is no default button and Enter does nothing (a
key pressed while typing elsewhere when the alert pops up must not answer a recall nobody has
read); it takes a click or the button's Alt shortcut. It does not block the rest of the app
(the officer may need to look at a dossier before answering), it just stays on top.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTime, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wfh_client.ui.i18n import parse_iso
from wfh_client.ui.icons import icon
from wfh_client.ui.oncall.labels import urgency_name, when
from wfh_client.ui.oncall.sound import AlertSound

__all__ = ["RecallAlert", "from_qdatetime", "to_qdatetime"]

_BARE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)


def to_qdatetime(value: datetime, tz: tzinfo) -> QDateTime:
    """The wall-clock time of ``value`` in ``tz`` (the department's zone) as a QDateTime."""
    local = value.astimezone(tz)
    return QDateTime(QDate(local.year, local.month, local.day),
                     QTime(local.hour, local.minute))


def from_qdatetime(value: QDateTime, tz: tzinfo) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=tz)


class RecallAlert(QDialog):
    acknowledge_requested = Signal(int, object)  # (recall id, arrival datetime)
    decline_requested = Signal(int, str)  # (recall id, reason)

    def __init__(self, recall: dict[str, Any], tz: tzinfo, now: datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint
                         | Qt.WindowType.CustomizeWindowHint | Qt.WindowType.WindowTitleHint)
        self.setObjectName("recallAlert")
        self.setWindowIcon(icon("app"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setModal(False)
        self.recall = dict(recall)
        self.recall_id = int(recall["recall_id"])
        self.tz = tz
        self.now = now
        self.times_shown = 1
        self._finished = False
        self.sound = AlertSound(self)

        self.banner = QLabel(self)
        self.banner.setObjectName("banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setMargin(10)
        self.from_label = QLabel(self)
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setFrameShape(QFrame.Shape.StyledPanel)
        self.message.setMargin(8)
        font = self.message.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        self.message.setFont(font)
        self.message.setMinimumHeight(90)
        self.report_by = QLabel(self)
        self.urgency = QLabel(self)
        self.sent_at = QLabel(self)
        self.arrival = QDateTimeEdit(self)
        self.arrival.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.arrival.setCalendarPopup(True)
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(500)
        self.coming_button = QPushButton(self)
        self.coming_button.setObjectName("coming")
        self.cannot_button = QPushButton(self)
        self.cannot_button.setObjectName("cannot")
        for button in (self.coming_button, self.cannot_button):
            button.setAutoDefault(False)  # Enter never answers (see the module docstring)
            button.setDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nor is a space bar hit on a button
            button.installEventFilter(self)
            button.setMinimumHeight(44)
            bold = button.font()
            bold.setBold(True)
            bold.setPointSizeF(bold.pointSizeF() * 1.15)
            button.setFont(bold)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b91c1c; font-weight: bold;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.arrival_label = QLabel(self)
        self.arrival_label.setBuddy(self.arrival)
        self.reason_label = QLabel(self)
        self.reason_label.setBuddy(self.reason)

        facts = QFormLayout()
        self.from_caption, self.report_caption = QLabel(self), QLabel(self)
        self.urgency_caption, self.sent_caption = QLabel(self), QLabel(self)
        facts.addRow(self.from_caption, self.from_label)
        facts.addRow(self.report_caption, self.report_by)
        facts.addRow(self.urgency_caption, self.urgency)
        facts.addRow(self.sent_caption, self.sent_at)
        answers = QGridLayout()
        answers.addWidget(self.arrival_label, 0, 0)
        answers.addWidget(self.arrival, 0, 1)
        answers.addWidget(self.coming_button, 0, 2)
        answers.addWidget(self.reason_label, 1, 0)
        answers.addWidget(self.reason, 1, 1)
        answers.addWidget(self.cannot_button, 1, 2)
        answers.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(facts)
        layout.addWidget(self.message)
        layout.addLayout(answers)
        layout.addWidget(self.error)

        self.coming_button.clicked.connect(self._coming)
        self.cannot_button.clicked.connect(self._cannot)
        self.reason.returnPressed.connect(self._cannot)
        report_by = parse_iso(str(recall.get("report_by") or "")) or now + timedelta(minutes=30)
        self.arrival.setDateTime(to_qdatetime(max(report_by, now), tz))
        self.retranslate_ui()
        self.setMinimumSize(680, 460)

    # ------------------------------------------------------------------ API
    @property
    def urgent(self) -> bool:
        return self.recall.get("urgency") == "urgent"

    def alert(self) -> None:
        """Show (again), on top of everything, with the sound running."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.sound.start()

    def renotified(self, recall: dict[str, Any]) -> None:
        self.recall.update(recall)
        self.times_shown += 1
        self.retranslate_ui()
        self.alert()

    def set_busy(self, busy: bool) -> None:
        self.coming_button.setEnabled(not busy)
        self.cannot_button.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self.error.show()

    def finish(self) -> None:
        """The recall was answered or closed: stop the sound and close for good."""
        self._finished = True
        self.sound.stop()
        self.done(QDialog.DialogCode.Accepted)
        self.hide()

    def arrival_at(self) -> datetime:
        return from_qdatetime(self.arrival.dateTime(), self.tz)

    # ------------------------------------------------------------------ answers
    def _coming(self) -> None:
        self.error.hide()
        self.set_busy(True)
        self.acknowledge_requested.emit(self.recall_id, self.arrival_at())

    def _cannot(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.show_error(self.tr("Say why you cannot come: the reason is required."))
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.error.hide()
        self.set_busy(True)
        self.decline_requested.emit(self.recall_id, reason)

    # ------------------------------------------------------------------ staying up
    def reject(self) -> None:
        if self._finished:
            super().reject()  # Esc does nothing until it is answered

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self._finished:
            event.ignore()
            return
        self.sound.stop()
        super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # the answer buttons take clicks and Alt shortcuts only, never a bare key
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and \
                isinstance(event, QKeyEvent) and event.key() in _BARE_KEYS:
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if (event.key() == Qt.Key.Key_Escape or event.key() in _BARE_KEYS) and \
                not self._finished:
            event.accept()  # nothing: an answer takes a click or the button's Alt shortcut
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ text
    def retranslate_ui(self) -> None:
        r = self.recall
        self.setWindowTitle(self.tr("Recall to the office"))
        colour = "#b91c1c" if self.urgent else "#c2410c"
        self.banner.setStyleSheet(f"background: {colour}; color: white; font-weight: bold; "
                                  "font-size: 20pt; border-radius: 4px; padding: 6px;")
        banner = self.tr("URGENT RECALL") if self.urgent else self.tr("You are recalled")
        if self.times_shown > 1 or int(r.get("renotify") or 0) > 0:
            banner += " — " + self.tr("reminder %1").replace(
                "%1", str(max(self.times_shown - 1, int(r.get("renotify") or 0))))
        self.banner.setText(banner)
        self.from_caption.setText(self.tr("From:"))
        self.report_caption.setText(self.tr("Report by:"))
        self.urgency_caption.setText(self.tr("Urgency:"))
        self.sent_caption.setText(self.tr("Sent at:"))
        self.from_label.setText(str(r.get("created_by_name") or ""))
        self.message.setText(str(r.get("message") or ""))
        moment = parse_iso(str(r.get("report_by") or ""))
        report = "" if moment is None else moment.astimezone(self.tz).strftime("%d/%m/%Y %H:%M")
        self.report_by.setText(f"<b>{report}</b>")
        self.urgency.setText(urgency_name(str(r.get("urgency") or "normal")))
        self.sent_at.setText(when(str(r.get("created_at") or ""), self.tz, self.now))
        self.arrival_label.setText(self.tr("&Arrival time:"))
        self.reason_label.setText(self.tr("&Reason:"))
        self.reason.setPlaceholderText(self.tr("required if you cannot come"))
        self.coming_button.setText(self.tr("I will &come"))
        self.cannot_button.setText(self.tr("I ca&nnot come"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
