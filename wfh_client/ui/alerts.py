"""Desktop notifications the sync produces: new assignments, deadlines, a sync that keeps failing.

- **New dossier assigned**: ``dossiers.changed`` for an id that was not in the cache before
  (the known ids are read once at start). Nothing is announced while the first download (a
  snapshot) is still running, nor before the account has ever synced. Arrivals are gathered
  for :data:`NEW_DEBOUNCE_MS`, and a balloon shown within :data:`NEW_RECENT_MS` of the previous
  one counts both: three dossiers assigned at once often reach the app in two syncs (each
  assignment event starts one), and the second balloon, which replaces the first, must say 3.
- **Due within a working day**: after each successful sync, running dossiers due between now
  and one working day from now (the department's calendar); each dossier at most once a day.
- **Sync failing**: when every pass has failed for :data:`FAILING_AFTER` (a cancelled pass does
  not count); once per failure streak, reset by the next success.

Reads run on the worker pool; :attr:`Alerts.notified` carries every (title, text) for tests.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from wfh_client.store import listing
from wfh_client.store.state import KEY_LAST_SUCCESS_AT, KEY_SNAPSHOT_IN_PROGRESS, get_state
from wfh_client.sync.engine import SyncCancelled
from wfh_client.ui.context import AppContext
from wfh_client.ui.i18n import format_datetime, parse_iso
from wfh_client.ui.messages import describe_error
from wfh_client.ui.ops import run_in_background

__all__ = ["FAILING_AFTER", "Alerts"]

FAILING_AFTER = timedelta(minutes=15)
NEW_DEBOUNCE_MS = 1500
NEW_RECENT_MS = 30_000
MAX_LISTED = 3


class Alerts(QObject):
    notified = Signal(str, str)  # (title, text)

    def __init__(self, ctx: AppContext, notify: Callable[..., None],
                 parent: QObject | None = None, *,
                 clock: Callable[[], datetime] | None = None,
                 failing_after: timedelta = FAILING_AFTER) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._notify = notify
        self.clock = clock or ctx.clock
        self.failing_after = failing_after
        self.known: set[str] | None = None
        self._waiting: list[str] = []
        self.due_notified: dict[str, str] = {}  # dossier id -> local day it was announced
        self.failing_since: datetime | None = None
        self.failing_announced = False
        self._arrived: dict[str, tuple[str, str]] = {}  # id -> (code, applicant), not shown yet
        self._shown: dict[str, tuple[str, str]] = {}  # in the last balloon
        self._shown_at = QElapsedTimer()
        self._new_timer = QTimer(self)
        self._new_timer.setSingleShot(True)
        self._new_timer.setInterval(NEW_DEBOUNCE_MS)
        self._new_timer.timeout.connect(self._announce_new)
        cache = ctx.cache
        run_in_background(lambda: listing.cached_ids(cache.reader()), self._set_known,
                          lambda _e: self._set_known(set()), guard=self)
        ctx.bridge.register(self)

    def stop(self) -> None:
        """Nothing more to announce (the session is ending)."""
        self._new_timer.stop()
        self._arrived = {}

    def announce(self, title: str, text: str, *, critical: bool = False) -> None:
        self.notified.emit(title, text)
        self._notify(title, text, critical=critical)

    # ------------------------------------------------------------------ new assignments
    def _set_known(self, ids: set[str]) -> None:
        self.known = ids
        waiting, self._waiting = self._waiting, []
        if waiting:
            self.on_event_dossiers_changed(ids=waiting)

    def on_event_dossiers_changed(self, ids: Any = (), **_: Any) -> None:
        if self.known is None:
            self._waiting.extend(str(i) for i in ids or ())
            return
        fresh = [str(i) for i in ids or () if str(i) not in self.known]
        if not fresh:
            return
        self.known.update(fresh)  # at once, so a second event does not announce them again
        cache = self.ctx.cache

        def lookup() -> tuple[bool, list[tuple[str, str, str]]]:
            db = cache.reader()
            quiet = bool(get_state(db, KEY_SNAPSHOT_IN_PROGRESS)) or \
                get_state(db, KEY_LAST_SUCCESS_AT) is None
            return quiet, listing.labels(db, fresh)

        run_in_background(lookup, self._new_found, guard=self)

    def _new_found(self, result: tuple[bool, list[tuple[str, str, str]]]) -> None:
        quiet, rows = result
        if quiet or not rows:
            return
        for dossier_id, code, applicant in rows:
            self._arrived[dossier_id] = (code, applicant)
        self._new_timer.start()  # gather what arrives together into one balloon

    def _announce_new(self) -> None:
        if not self._arrived:
            return
        recent = self._shown_at.isValid() and self._shown_at.elapsed() < NEW_RECENT_MS
        shown = {**(self._shown if recent else {}), **self._arrived}
        self._arrived = {}
        self._shown = shown
        self._shown_at.start()
        rows = sorted(shown.values())
        if len(rows) == 1:
            text = self.tr("%1 — %2").replace("%1", rows[0][0]).replace("%2", rows[0][1])
        else:
            codes = ", ".join(r[0] for r in rows[:MAX_LISTED])
            more = "…" if len(rows) > MAX_LISTED else ""
            text = self.tr("%1 new dossiers: %2").replace("%1", str(len(rows))) \
                .replace("%2", codes + more)
        self.announce(self.tr("New dossier assigned"), text)

    # ------------------------------------------------------------------ deadlines
    def on_event_sync_finished(self, **_: Any) -> None:
        self.failing_since = None
        self.failing_announced = False
        self.check_due()

    def check_due(self) -> None:
        now = self.clock()
        calendar = self.ctx.calendar
        limit = calendar.add_working_time(now, days=1)
        cache = self.ctx.cache
        run_in_background(lambda: listing.running_due_between(cache.reader(), now, limit),
                          lambda rows: self._due_found(rows, now), guard=self)

    def _due_found(self, rows: list[tuple[str, str, str]], now: datetime) -> None:
        tz = self.ctx.calendar.tz
        today = now.astimezone(tz).date().isoformat()
        fresh = [r for r in rows if self.due_notified.get(r[0]) != today]
        if not fresh:
            return
        for dossier_id, _code, _due in fresh:
            self.due_notified[dossier_id] = today
        if len(fresh) == 1:
            text = self.tr("%1 is due %2").replace("%1", fresh[0][1]).replace(
                "%2", format_datetime(parse_iso(fresh[0][2]), tz))
        else:
            codes = ", ".join(r[1] for r in fresh[:MAX_LISTED])
            more = "…" if len(fresh) > MAX_LISTED else ""
            text = self.tr("%1 dossiers: %2").replace("%1", str(len(fresh))) \
                .replace("%2", codes + more)
        self.announce(self.tr("Due within a working day"), text)

    # ------------------------------------------------------------------ failures
    def on_event_sync_failed(self, error: Any = None, message: str = "", **_: Any) -> None:
        if isinstance(error, SyncCancelled):
            return
        now = self.clock()
        if self.failing_since is None:
            self.failing_since = now
            return
        failing_for = now - self.failing_since
        if failing_for >= self.failing_after and not self.failing_announced:
            self.failing_announced = True
            minutes = int(failing_for.total_seconds() // 60)
            reason = describe_error(error if isinstance(error, BaseException) else None,
                                    message)
            self.announce(self.tr("Sync is not working"),
                          self.tr("Nothing could be synced for %1 minutes. %2")
                          .replace("%1", str(minutes)).replace("%2", reason), critical=True)
