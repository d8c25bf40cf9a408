"""The main window's status bar: who is signed in, list counts, the connection and the last
successful sync, in words.

Counts: shown (rows in the list now) / total / overdue / due soon / unsent / conflicts; a
button appears when there are conflicts or rejected changes and opens their view
(:attr:`MainStatusBar.issues_clicked`). The state label's tooltip holds the last sync error in
plain words. The
cache-wide figures come from :func:`~wfh_client.store.listing.list_counts`, read on
a worker thread (:func:`wfh_client.ui.ops.run_in_background`) after data changes and once a
minute; "shown" comes from the model after each refresh.

Messages (a sync error, a notification) go to their own label for a while
(:meth:`MainStatusBar.flash`), never through ``QStatusBar.showMessage``, which would hide the
counters behind them. The connection is one word (online / offline / syncing) with the
reason in its tooltip (:meth:`MainStatusBar.set_state`).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
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
        self.user_label = QLabel(self)
        self.user_label.setObjectName("signedIn")
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("counts")
        self.message_label = QLabel(self)
        self.message_label.setObjectName("message")
        self.message_label.setStyleSheet("color: #9a3412;")
        self.message_label.hide()
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.message_label.hide)
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
        self.addWidget(self.user_label)
        self.addWidget(self.counts_label)
        self.addWidget(self.message_label, 1)
        self._normal_widgets = 3  # the permanent area starts at this index (Qt's numbering)
        for widget in (self.issues_button, self.progress_bar, self.state_icon, self.state_label,
                       self.last_sync_label):
            self.addPermanentWidget(widget)
        self.shown = 0
        self.counts: ListCounts | None = None
        self.state = "online"
        self.source = ""
        self.rejected = 0
        self.error = ""
        self.user_name = ""
        self.user_title = ""
        self.retranslate_ui()


    def add_first_permanent(self, widget: QWidget) -> None:
        """Put ``widget`` first in the permanent (right-hand) area, before the issues button."""
        self.insertPermanentWidget(self._normal_widgets, widget)
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

    def set_user(self, name: str, title: str = "") -> None:
        """Who is signed in (name and job title)."""
        self.user_name, self.user_title = name, title
        self._update_user()

    def _update_user(self) -> None:
        who = f"{self.user_name} ({self.user_title})" if self.user_title else self.user_name
        self.user_label.setText(self.tr("Signed in: %1").replace("%1", who) if who else "")
        self.user_label.setVisible(bool(who))

    def flash(self, text: str, ms: int = 15_000) -> None:
        """Show ``text`` beside the counters for ``ms`` (they stay visible)."""
        self.message_label.setText(text)
        self.message_label.setToolTip(text)
        self.message_label.setVisible(bool(text))
        self._message_timer.start(ms)

    def set_error(self, message: str) -> None:
        """The last sync error in plain words ("" once a sync succeeds)."""
        self.error = message
        self._update_state_tip()

    def set_state(self, state: str, source: str | None = None) -> None:
        """``online`` | ``offline`` | ``syncing``; ``source``: who said so last
        (``sync`` | ``feed`` | ``network``), for the tooltip."""
        self.state = state
        if source is not None:
            self.source = source
        self.state_icon.setPixmap(icon(state).pixmap(14, 14))
        self.state_label.setText({
            "online": self.tr("Online"), "offline": self.tr("Offline"),
            "syncing": self.tr("Syncing…"),
        }.get(state, state))
        if state != "syncing":
            self.progress_bar.hide()
        self._update_state_tip()

    def _update_state_tip(self) -> None:
        if self.state == "offline":
            why = {
                "network": self.tr("This computer has no network connection."),
                "feed": self.tr("The server stopped answering; the app keeps trying."),
            }.get(self.source, self.tr("The server cannot be reached; the app keeps trying."))
            tip = why + " " + self.tr("Your work is kept on this computer and sent later.")
        elif self.state == "syncing":
            tip = self.tr("Exchanging changes with the server.")
        else:
            tip = self.tr("Connected to the server: recalls and assignments arrive at once.")
        if self.error:
            tip += "\n" + self.error
        self.state_label.setToolTip(tip)
        self.state_icon.setToolTip(tip)

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
        self._update_user()
        self._update_counts()
        self._update_last_sync()
        self.set_state(self.state)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
