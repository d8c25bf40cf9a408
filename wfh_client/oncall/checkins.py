"""Check-ins: record at once, send in the background, and the day's windows with their state.

``check_in(status, reason=None)`` validates (``working``/``meeting``/``away``; ``away`` needs a
reason), queues ``{client_id, client_time, status, reason?, offline}`` in ``oncall_queue``
(``offline`` = the client is offline right now) and asks the worker to send it; it never waits
for the network. The queue sender resends until the server answers (idempotent by
``client_id``: one row) and flags a check-in that could not be sent as offline so that the
server counts it at its client time. Publishes ``oncall.checkin_recorded(checkin)``.

``today(now=None)`` -> the windows of the local day, each ``{start, end, state, pending}``:
``done`` when a local check-in falls in it (``pending`` while unsent) or the server says so,
``suspended`` when the server says so (approved leave), else ``missed`` / ``open`` /
``upcoming`` by the clock. The server's view is the last ``GET /api/v1/oncall/me`` answer
(:meth:`refresh_me`, on the worker), cached in ``sync_state``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from wfh_client.domain.oncall import Window
from wfh_client.domain.timefmt import parse_instant
from wfh_client.events import EventBus
from wfh_client.oncall.queue import QueueSender
from wfh_client.oncall.schedule import CheckinScheduler
from wfh_client.oncall.transport import Transport, iso_z, utc_now
from wfh_client.store import oncall as store
from wfh_client.store.cache import Cache
from wfh_client.store.state import get_state, set_state

__all__ = ["STATUSES", "Checkins"]

STATUSES = ("working", "meeting", "away")
ME_PATH = "/api/v1/oncall/me"


class Checkins:
    def __init__(self, transport: Transport, cache: Cache, bus: EventBus, sender: QueueSender,
                 schedule: CheckinScheduler, *, clock: Callable[[], datetime] = utc_now,
                 request_send: Callable[[], None] = lambda: None) -> None:
        self.transport = transport
        self.cache = cache
        self.bus = bus
        self.sender = sender
        self.schedule = schedule
        self.clock = clock
        self.request_send = request_send

    # ---- making a check-in --------------------------------------------------------------------

    def check_in(self, status: str, reason: str | None = None) -> str:
        """Record a check-in now; returns its ``client_id``. ``ValueError`` on bad input."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        reason = (reason or "").strip() or None
        if status == "away" and reason is None:
            raise ValueError("an 'away' check-in needs a reason")
        if reason is not None and len(reason) > 500:
            raise ValueError("the reason is limited to 500 characters")
        client_id = "ci-" + uuid.uuid4().hex
        now = self.clock()
        body: dict[str, Any] = {"client_id": client_id, "client_time": iso_z(now),
                                "status": status, "offline": not self.sender.online}
        if reason is not None:
            body["reason"] = reason
        self.cache.writer.run(lambda db: store.enqueue(db, client_id, "checkin", body,
                                                       created_at=body["client_time"]))
        self.bus.publish("oncall.checkin_recorded", checkin=dict(body))
        self.request_send()
        return client_id

    def local_checkins(self, since: datetime) -> list[tuple[datetime, store.QueueEntry]]:
        """Check-ins made on this device since ``since`` (not refused by the server)."""
        out = []
        for e in store.queue_entries(self.cache.reader(), "checkin", iso_z(since)):
            if e.state != "failed":
                out.append((parse_instant(str(e.payload["client_time"])), e))
        return out

    # ---- the server's view --------------------------------------------------------------------

    def refresh_me(self) -> dict[str, Any]:
        """``GET /api/v1/oncall/me`` (blocking: call it on the worker); cached."""
        me = self.transport.request("GET", ME_PATH).json()
        if not isinstance(me, dict):
            raise ValueError("malformed /oncall/me answer")
        self.cache.writer.run(lambda db: set_state(db, store.KEY_ME, me))
        return me

    def cached_me(self) -> dict[str, Any] | None:
        me = get_state(self.cache.reader(), store.KEY_ME)
        return me if isinstance(me, dict) else None

    def _server_states(self, day_iso: str) -> dict[datetime, str]:
        me = self.cached_me()
        if me is None or me.get("day") != day_iso:
            return {}
        out: dict[datetime, str] = {}
        for w in me.get("windows") or []:
            try:
                out[parse_instant(str(w["start"]))] = str(w["state"])
            except (KeyError, ValueError):
                continue
        return out

    # ---- the day ------------------------------------------------------------------------------

    def state_of(self, window: Window, now: datetime | None = None) -> str:
        now = now or self.clock()
        for at, _entry in self.local_checkins(window.start - timedelta(minutes=1)):
            if window.contains(at.astimezone(window.start.tzinfo)):
                return "done"
        server = self._server_states(window.start.date().isoformat()).get(window.start)
        if server in ("done", "suspended"):
            return server
        if now > window.end:
            return "missed"
        return "open" if now >= window.start else "upcoming"

    def settled_state(self, window: Window) -> str | None:
        """``done``/``suspended`` or None: what the scheduler asks before prompting."""
        state = self.state_of(window)
        return state if state in ("done", "suspended") else None

    def today(self, now: datetime | None = None) -> list[dict[str, Any]]:
        now = now or self.clock()
        day = self.schedule.local_day(now)
        if day is None:
            return []
        windows = self.schedule.windows(day)
        if not windows:
            return []
        server = self._server_states(day.isoformat())
        local = self.local_checkins(windows[0].start - timedelta(minutes=1))
        out = []
        for w in windows:
            hits = [e for at, e in local if w.contains(at.astimezone(w.start.tzinfo))]
            if hits:
                state = "done"
            elif server.get(w.start) in ("done", "suspended"):
                state = str(server[w.start])
            elif now > w.end:
                state = "missed"
            else:
                state = "open" if now >= w.start else "upcoming"
            out.append({**w.as_dict(), "state": state,
                        "pending": any(e.state in ("pending", "sending") for e in hits)})
        return out
