"""The check-in prompt: a small, NON-modal window that stays on top of the others.

One click on "I am working" checks in; "In a meeting" too; "Briefly away" needs a reason (the
field under the buttons). The prompt never blocks the rest of the app and never waits for the
network: it emits :attr:`CheckInPrompt.check_in_requested` and the
:class:`~wfh_client.ui.oncall.controller.OnCallUi` records the check-in through the on-call core
(sent at once, or queued while offline: :meth:`show_recorded` says which).

States: ``open`` (a window is open: "confirm before 09:10"), ``reminder`` (the window closes
soon), ``missed`` (the window closed without a check-in: shown in red; a check-in now is still
recorded, it just does not count for that window), ``manual`` (opened from the menu).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QCommandLinkButton,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wfh_client.ui.icons import icon
from wfh_client.ui.oncall.labels import hhmm, status_name, window_span

__all__ = ["CheckInPrompt"]

ERROR_STYLE = "color: #b91c1c; font-weight: bold;"
OK_STYLE = "color: #166534;"
QUEUED_STYLE = "color: #92400e;"


class CheckInPrompt(QWidget):
    check_in_requested = Signal(str, str)  # (status, reason)
    today_requested = Signal()

    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("checkInPrompt")
        self.setWindowIcon(icon("app"))
        self.tz = tz
        self.kind = "manual"
        self.window: Any = None
        self.heading = QLabel(self)
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.working_button = QCommandLinkButton(self)
        self.working_button.setObjectName("working")
        self.working_button.setDefault(True)
        self.meeting_button = QPushButton(self)
        self.away_button = QPushButton(self)
        self.reason_label = QLabel(self)
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(500)
        self.reason_label.setBuddy(self.reason)
        self.result = QLabel(self)
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.result.hide()
        self.today_button = QPushButton(self)
        self.today_button.setFlat(True)
        self.close_button = QPushButton(self)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.detail)
        layout.addWidget(self.working_button)
        row = QHBoxLayout()
        row.addWidget(self.meeting_button)
        row.addWidget(self.away_button)
        layout.addLayout(row)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.result)
        bottom = QHBoxLayout()
        bottom.addWidget(self.today_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)

        self.working_button.clicked.connect(lambda: self._request("working"))
        self.meeting_button.clicked.connect(lambda: self._request("meeting"))
        self.away_button.clicked.connect(lambda: self._request("away"))
        self.reason.returnPressed.connect(lambda: self._request("away"))
        self.today_button.clicked.connect(self.today_requested)
        self.close_button.clicked.connect(self.hide)
        self.retranslate_ui()
        self.setMinimumWidth(440)
        self._placed = False

    # ------------------------------------------------------------------ API
    def set_window(self, window: Any, kind: str) -> None:
        """Show ``window`` (a ``domain.oncall.Window``, a ``{start, end}`` dict or None) as
        ``open`` / ``reminder`` / ``missed`` / ``manual``."""
        self.window, self.kind = window, kind
        self.result.hide()
        self.set_busy(False)
        self.retranslate_ui()

    def place(self) -> None:
        """Size to the text (never clipped) and, the first time, centre on the screen of the
        main window (a new top-level window otherwise lands in the screen's corner)."""
        self.adjustSize()
        self.resize(self.sizeHint().expandedTo(self.minimumSizeHint()))
        if self._placed:
            return
        anchor = QApplication.activeWindow() or self.parentWidget()
        screen = (anchor.screen() if anchor is not None else None) or \
            QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        frame.moveCenter(area.center())
        self.move(frame.topLeft())
        self._placed = True

    def moveEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().moveEvent(event)
        if self.isVisible() and event.spontaneous():
            self._placed = True  # the user moved it: keep it there

    def set_busy(self, busy: bool) -> None:
        for button in (self.working_button, self.meeting_button, self.away_button):
            button.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(text)
        self.result.show()

    def show_recorded(self, status: str, at: datetime, queued: bool) -> None:
        self.kind = "recorded"
        self.set_busy(False)
        self.reason.clear()
        text = self.tr("Checked in at %1: %2.").replace("%1", hhmm(at, self.tz)).replace(
            "%2", status_name(status))
        if queued:
            text += " " + self.tr("You are offline: the check-in is queued and counts at the "
                                  "time you made it once it is sent.")
        self.result.setStyleSheet(QUEUED_STYLE if queued else OK_STYLE)
        self.result.setText(text)
        self.result.show()
        self.retranslate_ui()

    def show_sent(self) -> None:
        if self.result.isVisible() and self.result.styleSheet() == QUEUED_STYLE:
            self.result.setStyleSheet(OK_STYLE)
            self.result.setText(self.tr("The queued check-in has been sent."))

    # ------------------------------------------------------------------ internals
    def _request(self, status: str) -> None:
        reason = self.reason.text().strip()
        if status == "away" and not reason:
            self.show_error(self.tr("Say briefly why you are away (for example: picking up "
                                    "my child, back at 10:30)."))
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.set_busy(True)
        self.check_in_requested.emit(status, reason if status == "away" else "")

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Check-in"))
        span = window_span(self.window, self.tz) if self.window is not None else ""
        end = hhmm(getattr(self.window, "end", None) if not isinstance(self.window, dict)
                   else self.window.get("end"), self.tz) if self.window is not None else ""
        if self.kind == "missed":
            self.heading.setText(self.tr("Missed check-in %1").replace("%1", span))
            self.heading.setStyleSheet(ERROR_STYLE)
            self.detail.setText(self.tr("This window closed without a check-in and counts as "
                                        "missed. You can still say where you are now."))
        elif self.kind == "reminder":
            self.heading.setText(self.tr("Reminder: check in before %1").replace("%1", end))
            self.heading.setStyleSheet("color: #92400e;")
            self.detail.setText(self.tr("The check-in window %1 closes soon.").replace(
                "%1", span))
        elif self.kind == "recorded":
            self.heading.setStyleSheet("")
            self.heading.setText(self.tr("Thank you"))
            self.detail.setText(self.tr("Your department sees your check-in and its time, "
                                        "nothing else."))
        else:
            self.heading.setStyleSheet("")
            self.heading.setText(self.tr("Check-in %1").replace("%1", span) if span
                                 else self.tr("Check in now"))
            self.detail.setText(self.tr("Are you at work? Confirm before %1.").replace("%1", end)
                                if end else self.tr("Tell your department you are available."))
        self.working_button.setText(self.tr("I am working"))
        self.working_button.setDescription(self.tr("One click: you are at your desk and "
                                                   "available"))
        self.meeting_button.setText(self.tr("In a &meeting"))
        self.away_button.setText(self.tr("Briefly &away"))
        self.reason_label.setText(self.tr("&Reason (required when briefly away):"))
        self.reason.setPlaceholderText(self.tr("e.g. at the post office, back at 10:30"))
        self.today_button.setText(self.tr("Today's check-ins…"))
        self.close_button.setText(self.tr("&Later"))
        # the command link's description wraps: give it the height its text needs
        self.working_button.setMinimumHeight(self.working_button.sizeHint().height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        event.ignore()  # kept for the next window; closing only hides it
        self.hide()
