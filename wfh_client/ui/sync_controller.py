"""Runs the sync engine on a worker thread and tracks the connection state for the UI.

``sync_now()`` (the F5 action and the periodic timer) calls ``engine.sync_once(cancel=...)`` on
the background pool - never on the GUI thread - unless a pass is already running. The state
shown in the status bar and tray (``online`` / ``offline`` / ``syncing``) follows the engine's
events through the bridge: ``sync.started``, ``sync.finished``, ``sync.failed``,
``connectivity``. :meth:`shutdown` sets the cancel event so a running pass stops early.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from wfh_client.ui.context import AppContext
from wfh_client.ui.ops import run_in_background

log = logging.getLogger(__name__)

__all__ = ["SyncController"]


class SyncController(QObject):
    # "online" | "offline" | "syncing"
    state_changed = Signal(str)
    # (done, total, phase)
    progress = Signal(int, int, str)
    # a pass ended: (ok, message)
    finished = Signal(bool, str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.online = True
        self.syncing = False
        self._cancel = threading.Event()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.sync_now)
        ctx.bridge.register(self)
        self.set_interval(int(ctx.config.get("sync_interval_seconds")) if ctx.config else 300)

    @property
    def state(self) -> str:
        return "syncing" if self.syncing else "online" if self.online else "offline"

    def set_interval(self, seconds: int) -> None:
        self._timer.setInterval(max(30, seconds) * 1000)
        if self.ctx.engine is not None:
            self._timer.start()

    def sync_now(self) -> bool:
        """Start a sync pass in the background; False if there is no engine or one is running."""
        engine = self.ctx.engine
        if engine is None or self.syncing:
            return False
        self._cancel = threading.Event()
        self._set_syncing(True)
        cancel = self._cancel
        run_in_background(lambda: engine.sync_once(cancel=cancel), self._done, self._failed,
                          guard=self)
        return True

    def shutdown(self) -> None:
        self._timer.stop()
        self._cancel.set()

    # ------------------------------------------------------------------ results
    def _done(self, _report: Any) -> None:
        self._set_syncing(False)

    def _failed(self, exc: BaseException) -> None:
        log.warning("sync pass failed: %s", exc)
        self._set_syncing(False)
        self.finished.emit(False, str(exc))

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

    def on_event_sync_finished(self, **_: Any) -> None:
        self.online = True
        self._set_syncing(False)
        self.state_changed.emit(self.state)
        self.finished.emit(True, "")

    def on_event_sync_failed(self, error: Any = None, message: str = "", **_: Any) -> None:
        self._set_syncing(False)
        self.finished.emit(False, message or str(error or ""))

    def on_event_connectivity(self, online: bool = True, **_: Any) -> None:
        self.online = bool(online)
        self.state_changed.emit(self.state)
