"""The on-call part of the running app: prompts, recall alerts, today, team, do-not-disturb.

:class:`OnCallUi` is created by ``ClientApp`` for every account and registered on the bridge.
It adds the "On call" menu (check in now, today's check-ins, do not disturb), the "Team" menu
for heads, a do-not-disturb toggle in the tray menu and a status-bar button (today's windows;
the connection itself has one indicator, the sync controller's). The on-call core
arrives later (:meth:`attach`, from :mod:`~wfh_client.ui.oncall.wiring`); until then the
screens exist but have nothing to send through.

Core events handled (all on the GUI thread, through the bridge; OnCallUi is a QObject, so
nothing is deferred while the main window is hidden in the tray):

- ``oncall.window_open`` / ``oncall.window_reminder``: a tray notification and the
  :class:`~.checkin_prompt.CheckInPrompt`; ``oncall.window_missed``: shown as missed.
- ``oncall.recall_alert`` (``@immediate``): the :class:`~.recall_alert.RecallAlert`,
  marked seen when shown, raised again on re-notification; ``oncall.recall_closed`` and an
  answer from another device (``oncall.recall_changed``) close it.
- ``feed.assignment``: a sync now.

**Do not disturb** (in memory, off at every start so it is never left on by mistake) hides
tray notifications and check-in prompts only: the check-in windows still open and close, a
window without a check-in still counts as missed, and the recall alert always shows.
Every call into the core runs on the worker pool (:func:`~wfh_client.ui.ops.run_in_background`).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolButton

from wfh_client.ui.bridge import immediate
from wfh_client.ui.context import AppContext
from wfh_client.ui.oncall.checkin_prompt import CheckInPrompt
from wfh_client.ui.oncall.labels import hhmm, window_span
from wfh_client.ui.oncall.recall_alert import RecallAlert
from wfh_client.ui.oncall.today import TodayDialog, summary_counts
from wfh_client.ui.operation import Op
from wfh_client.ui.ops import run_in_background
from wfh_client.ui.widgets.status_bar import MainStatusBar

if TYPE_CHECKING:  # the session (feed listener, requests, APScheduler) comes after the start
    from wfh_client.ui.oncall.wiring import OnCallSession

log = logging.getLogger(__name__)

__all__ = ["OnCallUi"]

HIDE_AFTER_MS = 6000  # a confirmed check-in's prompt closes itself after this


class OnCallUi(QObject):
    notified = Signal(str, str)  # a notification that was shown (title, text)
    suppressed = Signal(str, str)  # one held back by do-not-disturb
    dnd_changed = Signal(bool)
    today_updated = Signal(object)  # list of window dicts
    alert_shown = Signal(object)  # RecallAlert

    def __init__(self, ctx: AppContext, window: QMainWindow, tray: Any = None,
                 sync: Any = None) -> None:
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.tray = tray
        self.sync = sync
        self.session: OnCallSession | None = None
        self.do_not_disturb = False
        self.prompt: CheckInPrompt | None = None
        self.today_dialog: TodayDialog | None = None
        self.team_view: Any = None
        self.alerts: dict[int, RecallAlert] = {}
        self.today_windows: list[dict[str, Any]] = []
        self.queued = 0
        self._last_checkin: str | None = None
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self._auto_hide_prompt)
        self._build_menus()
        self._build_status()
        self.retranslate_ui()
        ctx.bridge.register(self)

    @property
    def tz(self) -> Any:
        return self.ctx.calendar.tz

    @property
    def service(self) -> Any:
        return None if self.session is None else self.session.service

    @property
    def is_head(self) -> bool:
        return (self.ctx.user or {}).get("role") == "head"

    # ------------------------------------------------------------------ building
    def _build_menus(self) -> None:
        w = self.window
        bar = w.menuBar()
        help_menu: QMenu | None = getattr(w, "help_menu", None)
        self.menu = QMenu(w)
        if help_menu is not None:
            bar.insertMenu(help_menu.menuAction(), self.menu)
        else:
            bar.addMenu(self.menu)
        self.act_check_in = QAction(self)
        self.act_check_in.setShortcut(QKeySequence("F9"))
        self.act_check_in.triggered.connect(lambda: self.show_prompt(None, "manual"))
        self.act_today = QAction(self)
        self.act_today.setShortcut(QKeySequence("Shift+F9"))
        self.act_today.triggered.connect(self.open_today)
        self.act_dnd = QAction(self, checkable=True)
        self.act_dnd.toggled.connect(self.set_do_not_disturb)
        for action in (self.act_check_in, self.act_today):
            action.setShortcutVisibleInContextMenu(True)
            self.menu.addAction(action)
            w.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.act_dnd)
        if self.tray is not None:
            self.tray.menu.insertAction(self.tray.quit_action, self.act_dnd)
            self.tray.menu.insertSeparator(self.tray.quit_action)
        self.act_team: QAction | None = None
        if self.is_head:
            team_menu: QMenu | None = getattr(w, "team_menu", None)
            if team_menu is None:  # the head workspace may already have made one
                team_menu = QMenu(w)
                bar.insertMenu(self.menu.menuAction(), team_menu)
                self.own_team_menu = team_menu
            self.act_team = QAction(self)
            self.act_team.setShortcut(QKeySequence("F8"))
            self.act_team.setShortcutVisibleInContextMenu(True)
            self.act_team.triggered.connect(self.open_team)
            team_menu.addAction(self.act_team)
            w.addAction(self.act_team)

    def _build_status(self) -> None:
        status = self.window.statusBar()
        self.oncall_button = QToolButton(status)
        self.oncall_button.setObjectName("oncallToday")
        self.oncall_button.setAutoRaise(True)
        self.oncall_button.clicked.connect(self.open_today)
        if isinstance(status, MainStatusBar):
            status.add_first_permanent(self.oncall_button)
        else:  # a bare window in some tests
            status.addPermanentWidget(self.oncall_button)
        self.oncall_button.hide()

    # ------------------------------------------------------------------ lifecycle
    def attach(self, session: OnCallSession) -> None:
        self.session = session
        self.oncall_button.show()
        self.retranslate_ui()
        self.refresh_today()

    def shutdown(self) -> None:
        """Stop the core (before the cache closes) and close the on-call windows."""
        session, self.session = self.session, None
        self._hide_timer.stop()
        for alert in list(self.alerts.values()):
            if shiboken6.isValid(alert):
                alert.finish()
                alert.deleteLater()
        self.alerts.clear()
        for widget in (self.prompt, self.today_dialog, self.team_view):
            if widget is not None and shiboken6.isValid(widget):
                widget.hide()
                widget.deleteLater()
        self.prompt = self.today_dialog = self.team_view = None
        if session is not None:
            try:
                session.stop()
            except Exception:  # noqa: BLE001 - never block the sign-out
                log.exception("stopping the on-call service")

    # ------------------------------------------------------------------ notifications
    def announce(self, title: str, text: str, *, urgent: bool = False) -> None:
        if self.do_not_disturb and not urgent:
            self.suppressed.emit(title, text)
            return
        self.notified.emit(title, text)
        if self.tray is not None:
            self.tray.notify(title, text, critical=urgent, urgent=urgent)

    def set_do_not_disturb(self, on: bool) -> None:
        if on == self.do_not_disturb:
            return
        self.do_not_disturb = on
        if self.act_dnd.isChecked() != on:
            self.act_dnd.setChecked(on)
        if self.tray is not None:
            self.tray.do_not_disturb = on
        self.dnd_changed.emit(on)
        self.retranslate_ui()

    # ------------------------------------------------------------------ check-ins
    def _ensure_prompt(self) -> CheckInPrompt:
        if self.prompt is None:
            self.prompt = CheckInPrompt(self.tz)
            self.prompt.check_in_requested.connect(self.check_in)
            self.prompt.today_requested.connect(self.open_today)
        return self.prompt

    def show_prompt(self, window: Any, kind: str) -> CheckInPrompt:
        prompt = self._ensure_prompt()
        if window is None and kind == "manual":
            window = next((w for w in self.today_windows if w.get("state") == "open"), None)
        self._hide_timer.stop()
        prompt.set_window(window, kind)
        prompt.place()
        prompt.show()
        prompt.raise_()
        return prompt

    def check_in(self, status: str, reason: str = "") -> None:
        service, prompt = self.service, self._ensure_prompt()
        if service is None:
            prompt.show_error(self.tr("On-call duty is not connected yet; try again in a "
                                      "moment."))
            prompt.set_busy(False)
            return
        at = self.ctx.clock()

        def work() -> tuple[str, bool]:
            return service.check_in(status, reason or None), bool(service.sender.online)

        def done(result: tuple[str, bool]) -> None:
            self._last_checkin = result[0]
            prompt.show_recorded(status, at, queued=not result[1])
            if result[1]:
                self._hide_timer.start(HIDE_AFTER_MS)
            self.refresh_today()

        def failed(_exc: BaseException, words: str) -> None:
            prompt.set_busy(False)
            prompt.show_error(words)

        Op(self, work).success(done).failure(failed).run()

    def _auto_hide_prompt(self) -> None:
        if self.prompt is not None and self.prompt.kind == "recorded":
            self.prompt.hide()

    def refresh_today(self) -> None:
        service = self.service
        if service is None:
            return

        def read() -> tuple[list[dict[str, Any]], int]:
            queued = sum(1 for e in service.pending() if e.kind == "checkin")
            return service.today(), queued

        run_in_background(read, self._today_read, guard=self)

    def _today_read(self, result: tuple[list[dict[str, Any]], int]) -> None:
        self.today_windows, self.queued = result
        if self.today_dialog is not None:
            self.today_dialog.set_windows(self.today_windows, self.queued)
        self._update_today_button()
        self.today_updated.emit(self.today_windows)

    def open_today(self) -> TodayDialog:
        if self.today_dialog is None:
            self.today_dialog = TodayDialog(self.tz, self.window)
            self.today_dialog.check_in_requested.connect(
                lambda: self.show_prompt(None, "manual"))
        self.today_dialog.set_windows(self.today_windows, self.queued)
        self.today_dialog.show()
        self.today_dialog.raise_()
        self.refresh_today()
        return self.today_dialog

    def open_team(self) -> Any:
        from wfh_client.ui.oncall.team_view import TeamView

        if self.session is None:
            self._flash(self.tr("The team view needs a connection to the server; try again "
                                "in a moment."), 8000)
            return None
        if self.team_view is None:
            self.team_view = TeamView(self.ctx, self.session.transport)
        self.team_view.show()
        self.team_view.raise_()
        self.team_view.activateWindow()
        return self.team_view

    # ------------------------------------------------------------------ core events
    def on_event_oncall_window_open(self, window: Any = None, **_: Any) -> None:
        self._window_event(window, "open")

    def on_event_oncall_window_reminder(self, window: Any = None, **_: Any) -> None:
        self._window_event(window, "reminder")

    def on_event_oncall_window_missed(self, window: Any = None, **_: Any) -> None:
        self.refresh_today()
        span = window_span(window, self.tz)
        self.announce(self.tr("Missed check-in"), self.tr("No check-in was made in the window "
                                                         "%1.").replace("%1", span))
        prompt = self.prompt
        if prompt is not None and prompt.isVisible() and prompt.kind != "recorded" and (
                prompt.window is None or window_span(prompt.window, self.tz) == span):
            prompt.set_window(window, "missed")

    def _window_event(self, window: Any, kind: str) -> None:
        self.refresh_today()
        end = hhmm(getattr(window, "end", None), self.tz)
        if kind == "open":
            title, text = self.tr("Time to check in"), self.tr(
                "Confirm that you are working before %1.").replace("%1", end)
        else:
            title, text = self.tr("Check-in reminder"), self.tr(
                "The check-in window closes at %1.").replace("%1", end)
        self.announce(title, text)
        if not self.do_not_disturb:
            self.show_prompt(window, kind)

    def on_event_oncall_checkin_recorded(self, **_: Any) -> None:
        self.refresh_today()

    def on_event_oncall_sent(self, kind: str = "", client_id: str = "", **_: Any) -> None:
        if kind == "checkin":
            if client_id == self._last_checkin and self.prompt is not None:
                self.prompt.show_sent()
                if self.prompt.kind == "recorded":
                    self._hide_timer.start(HIDE_AFTER_MS)
            self.refresh_today()

    def on_event_oncall_today_changed(self, windows: Any = None, **_: Any) -> None:
        self.refresh_today()

    @immediate
    def on_event_oncall_recall_alert(self, recall: dict[str, Any] | None = None,
                                     **_: Any) -> None:
        if not recall or not isinstance(recall.get("recall_id"), int):
            return
        rid = int(recall["recall_id"])
        alert = self.alerts.get(rid)
        if alert is not None and shiboken6.isValid(alert) and alert.isVisible():
            alert.renotified(recall)
        else:
            alert = RecallAlert(recall, self.tz, self.ctx.clock())
            alert.acknowledge_requested.connect(self._acknowledge)
            alert.decline_requested.connect(self._decline)
            self.alerts[rid] = alert
            alert.alert()
        self.announce(self.tr("Recall to the office"), self.tr("%1: %2").replace(
            "%1", str(recall.get("created_by_name") or "")).replace(
            "%2", str(recall.get("message") or "")), urgent=True)
        self.alert_shown.emit(alert)
        service = self.service
        if service is not None and recall.get("local_state") == "delivered":
            run_in_background(lambda: service.mark_seen(rid), guard=self,
                              on_error=lambda e: log.info("mark seen: %s", e))

    @immediate
    def on_event_oncall_recall_closed(self, recall_id: int = 0, **_: Any) -> None:
        alert = self.alerts.pop(int(recall_id or 0), None)
        if alert is not None and shiboken6.isValid(alert) and alert.isVisible():
            alert.finish()
            alert.deleteLater()
            self.announce(self.tr("Recall closed"), self.tr("The recall was closed; you do "
                                                           "not need to answer it."))

    @immediate
    def on_event_oncall_recall_changed(self, recall: dict[str, Any] | None = None,
                                       **_: Any) -> None:
        if not recall or recall.get("local_state") != "answered":
            return
        alert = self.alerts.get(int(recall.get("recall_id") or 0))
        if alert is not None and shiboken6.isValid(alert) and alert.isVisible():
            # answered here (the answer's callback closes it too) or on another device
            self.alerts.pop(alert.recall_id, None)
            alert.finish()
            alert.deleteLater()

    def _answer(self, recall_id: int, work: Any, done_text: str) -> None:
        alert = self.alerts.get(recall_id)

        def done(_r: Any = None) -> None:
            self.alerts.pop(recall_id, None)
            if alert is not None and shiboken6.isValid(alert):
                alert.finish()
                alert.deleteLater()
            online = self.service is not None and bool(self.service.sender.online)
            self._flash(done_text if online else self.tr(
                "Answer recorded; it is sent as soon as the server can be reached."), 15_000)

        def failed(exc: BaseException, words: str) -> None:
            if alert is not None and shiboken6.isValid(alert):
                # the core refuses an answer to a recall that is closed or already answered
                alert.show_error(self.tr("This recall is closed or was already answered.")
                                 if isinstance(exc, ValueError) else words)

        Op(self, work).success(done).failure(failed).run()

    def _acknowledge(self, recall_id: int, arrival: datetime) -> None:
        service = self.service
        if service is None:
            return
        self._answer(recall_id, lambda: service.acknowledge(recall_id, arrival),
                     self.tr("Your answer was sent: you will arrive at %1.").replace(
                         "%1", hhmm(arrival, self.tz)))

    def _decline(self, recall_id: int, reason: str) -> None:
        service = self.service
        if service is None:
            return
        self._answer(recall_id, lambda: service.decline(recall_id, reason),
                     self.tr("Your answer was sent: you cannot come."))

    # ------------------------------------------------------------------ feed events
    @immediate
    def on_event_feed_assignment(self, replay: bool = False, **_: Any) -> None:
        if self.sync is not None and not replay:
            self.sync.sync_now()

    # ------------------------------------------------------------------ text
    def _flash(self, text: str, ms: int) -> None:
        """A message in the status bar that leaves its counters in view."""
        status = self.window.statusBar()
        flash = getattr(status, "flash", None)
        if flash is not None:
            flash(text, ms)
        else:
            status.showMessage(text, ms)

    def _update_today_button(self) -> None:
        counts = summary_counts(self.today_windows)
        total = len(self.today_windows)
        text = self.tr("Check-ins today: %1/%2").replace("%1", str(counts["done"])).replace(
            "%2", str(total))
        if counts["missed"]:
            text += " · " + self.tr("%1 missed").replace("%1", str(counts["missed"]))
        if self.do_not_disturb:
            text += " · " + self.tr("do not disturb")
        self.oncall_button.setText(text)
        self.oncall_button.setStyleSheet("QToolButton { color: #b91c1c; }"
                                         if counts["missed"] else "")
        self.oncall_button.setToolTip(self.tr("Today's check-ins (Shift+F9)"))

    def retranslate_ui(self) -> None:
        self.menu.setTitle(self.tr("On ca&ll"))
        self.act_check_in.setText(self.tr("&Check in now…"))
        self.act_today.setText(self.tr("&Today's check-ins…"))
        self.act_dnd.setText(self.tr("&Do not disturb"))
        self.act_dnd.setToolTip(self.tr("Hide notifications and check-in prompts. Missed "
                                        "windows still count; recall alerts always show."))
        if self.act_team is not None:
            self.act_team.setText(self.tr("Team on &call…"))
            own = getattr(self, "own_team_menu", None)
            if own is not None:
                own.setTitle(self.tr("&Team"))
        self._update_today_button()

    def event(self, event: QEvent) -> bool:
        # the main window (our parent) passes LanguageChange on to its children
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        return super().event(event)

