"""Runs the sync engine off the GUI thread and tracks the connection state for the UI.

Two ways to run a pass, never on the GUI thread:

- before :meth:`SyncController.start_service` (the first sync, tests with a fake engine):
  ``sync_now()`` runs ``engine.sync_once(cancel=...)`` on the background pool, one at a time;
  :meth:`cancel` sets the event and the engine raises ``SyncCancelled`` at its next step
  (everything done so far is committed and resumes later);
- after it: a :class:`~wfh_client.sync.service.SyncService` thread syncs on the configured
  interval, backs off while offline and notices a wake from sleep; ``sync_now()`` (F5, tray,
  an action just recorded) wakes it.

**One connection state** for the status bar and the tray (``online`` / ``offline`` /
``syncing``): whether the server can be reached, from the latest thing the app learned about
it, whoever learned it - a sync pass that finished or failed unreachable, the sync service's
``connectivity``, the events feed's ``feed.connected`` / ``feed.reconnecting`` (the long-poll
notices a lost server within a second or two, long before the next sync), and the operating
system's network state (``QNetworkInformation``): "disconnected" shows offline at once; back
online, a sync starts and ``network.changed(online)`` is published on the bus so the core can
wake its loops (Qt stays out of the core). Failures are turned into plain words by
:mod:`wfh_client.ui.messages`.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QNetworkInformation

from wfh_client.sync.engine import SyncCancelled
from wfh_client.ui.context import AppContext
from wfh_client.ui.messages import describe_error, is_offline_error
from wfh_client.ui.ops import run_in_background

if TYPE_CHECKING:  # imported when a service starts: sync.http pulls in requests (~90 ms)
    from wfh_client.sync.service import SyncService

log = logging.getLogger(__name__)

__all__ = ["SyncController"]

PUSH_DEBOUNCE_MS = 3000  # a recorded action is sent this soon (several quick ones together)


class SyncController(QObject):
    # "online" | "offline" | "syncing"
    state_changed = Signal(str)
    # (done, total, phase)
    progress = Signal(int, int, str)
    # a pass ended: (ok, message in plain words; empty when ok)
    finished = Signal(bool, str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.online = True  # the server was reachable at the latest news (see the docstring)
        self.source = ""  # who said so last: "sync" | "feed" | "network" | "" (nothing yet)
        self.syncing = False
        self.last_error: BaseException | None = None
        self.service: SyncService | None = None
        self._cancel = threading.Event()
        self._interval = 300
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.sync_now)
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.timeout.connect(self._start_service_now)
        self._push_timer = QTimer(self)
        self._push_timer.setSingleShot(True)
        self._push_timer.setInterval(PUSH_DEBOUNCE_MS)
        self._push_timer.timeout.connect(self.sync_now)
        ctx.bridge.register(self)
        self.set_interval(int(ctx.config.get("sync_interval_seconds")) if ctx.config else 300)
        self._network: QNetworkInformation | None = None
        if QNetworkInformation.loadDefaultBackend():  # no backend (headless CI): no nudges
            self._network = QNetworkInformation.instance()
            if self._network is not None:
                self._network.reachabilityChanged.connect(self.on_network_changed)

    @property
    def state(self) -> str:
        return "syncing" if self.syncing else "online" if self.online else "offline"

    def set_interval(self, seconds: int) -> None:
        self._interval = max(30, seconds)
        if self.service is not None:
            self.service.interval = float(self._interval)
            return
        self._timer.setInterval(self._interval * 1000)
        if self.ctx.engine is not None:
            self._timer.start()

    # ------------------------------------------------------------------ background service
    def start_service(self, first_after: float | None = 0.0) -> SyncService | None:
        """Hand periodic syncing to a :class:`SyncService` thread. ``first_after`` seconds
        before its first pass (``None``: one interval); F5 starts it at once."""
        engine = self.ctx.engine
        if engine is None or self.service is not None:
            return self.service
        from wfh_client.sync.service import SyncService  # on the GUI thread, after the start

        self._timer.stop()
        self.service = SyncService(engine, interval=float(self._interval))  # type: ignore[arg-type]
        delay = self._interval if first_after is None else first_after
        if delay <= 0:
            self._start_service_now()
        else:
            self._start_timer.start(int(delay * 1000))
        return self.service

    def _start_service_now(self) -> None:
        self._start_timer.stop()
        if self.service is not None:
            self.service.start()

    @property
    def service_running(self) -> bool:
        thread = getattr(self.service, "_thread", None)
        return thread is not None and thread.is_alive()

    # ------------------------------------------------------------------ passes
    def sync_now(self) -> bool:
        """Start a pass now; False if there is no engine or one is already running."""
        engine = self.ctx.engine
        if engine is None or self.syncing:
            return False
        self._push_timer.stop()
        if self.service is not None:
            if not self.service_running:
                self._start_service_now()  # its first pass starts at once
            else:
                self.service.sync_now()
            return True
        self._cancel = threading.Event()
        self._set_syncing(True)
        cancel = self._cancel
        run_in_background(lambda: engine.sync_once(cancel=cancel), self._done, self._failed,
                          guard=self)
        return True

    def cancel(self) -> None:
        """Stop the running pass at its next step (what is done so far stays)."""
        self._cancel.set()
        if self.service is not None:
            self.service.cancel_current()

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop timers, cancel the pass and join the service thread."""
        if self._network is not None:
            self._network.reachabilityChanged.disconnect(self.on_network_changed)
            self._network = None
        for timer in (self._timer, self._start_timer, self._push_timer):
            timer.stop()
        self._cancel.set()
        if self.service is not None:
            self.service.stop(timeout)

    # ------------------------------------------------------------------ results (pool path)
    def _done(self, _report: Any) -> None:
        self._set_syncing(False)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, SyncCancelled):
            log.warning("sync pass failed: %s", exc)
        self._set_syncing(False)

    def _set_syncing(self, value: bool) -> None:
        if value != self.syncing:
            self.syncing = value
            self.state_changed.emit(self.state)

    # ------------------------------------------------------------------ engine events
    def on_event_sync_started(self, **_: Any) -> None:
        self._set_syncing(True)

    def on_event_sync_progress(self, done: int = 0, total: int = 0, phase: str = "",
                               **_: Any) -> None:
        self.progress.emit(int(done), int(total), str(phase))

    def _reach(self, online: bool, source: str) -> None:
        """The latest news about reaching the server (see the module docstring)."""
        changed = online != self.online or source != self.source
        self.online, self.source = online, source
        if changed:
            self.state_changed.emit(self.state)

    def on_event_sync_finished(self, **_: Any) -> None:
        self.last_error = None
        self.syncing = False
        self.online, self.source = True, "sync"
        self.state_changed.emit(self.state)
        self.finished.emit(True, "")

    def on_event_sync_failed(self, error: Any = None, message: str = "", **_: Any) -> None:
        self.last_error = error if isinstance(error, BaseException) else None
        if is_offline_error(self.last_error):
            self.online, self.source = False, "sync"
        self.syncing = False
        self.state_changed.emit(self.state)
        self.finished.emit(False, describe_error(self.last_error, message))

    def on_event_feed_calendar_changed(self, **_: Any) -> None:
        """An admin changed the working calendar: the next pass fetches it (its pages carry
        the new version), so sync now rather than at the next interval."""
        self.sync_now()

    def on_event_connectivity(self, online: bool = True, **_: Any) -> None:
        self._reach(bool(online), "sync")

    def on_event_feed_connected(self, connected: bool = False, **_: Any) -> None:
        self._reach(bool(connected), "feed")

    def on_event_feed_reconnecting(self, **_: Any) -> None:
        self._reach(False, "feed")

    def on_network_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        """The operating system's news: a lost network is offline now; a network back means
        try the server now (the result of that pass then says online or not)."""
        if reachability == QNetworkInformation.Reachability.Disconnected:
            self._reach(False, "network")
            self.ctx.bus.publish("network.changed", online=False)
        elif reachability in (QNetworkInformation.Reachability.Online,
                              QNetworkInformation.Reachability.Site,
                              QNetworkInformation.Reachability.Local):
            self.ctx.bus.publish("network.changed", online=True)
            self.sync_now()

    def on_event_outbox_changed(self, **_: Any) -> None:
        # A new local action: send it soon rather than at the next interval.
        if not self.syncing and self.ctx.engine is not None:
            self._push_timer.start()
