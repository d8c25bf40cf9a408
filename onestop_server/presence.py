"""Who is connected, shared by every worker: open events long-polls per user, and when each
user (device) last asked for events. Only that: nothing else about a person is recorded.

Each worker counts its own long-polls in memory (``enter``/``leave``) and remembers each
device's latest poll (``seen``: the event id it confirmed and when). ``flush()`` (every
``presence_flush_seconds``, by the worker's maintenance loop) writes what changed: its rows of
``presence`` (deleted at zero) and ``feed_positions``. ``snapshot(conn, user_ids)`` answers the
team view: the other live workers' rows plus this worker's memory, so a single process is
exactly current and several are at most one flush behind. Rows of a dead worker stop counting
when its heartbeat goes stale (``workers.live_workers``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, select
from sqlalchemy.engine import Connection, Engine

from onestop_server import db, workers
from onestop_server.clock import Clock
from onestop_server.deps import as_utc


@dataclass(frozen=True)
class Presence:
    connected: bool
    open_polls: int
    last_seen_at: datetime | None


class PresenceBoard:
    def __init__(self, engine: Engine, clock: Clock, worker: workers.WorkerInfo, stale: timedelta) -> None:
        self.engine = engine
        self.clock = clock
        self.worker = worker
        self.stale = stale
        self._lock = threading.Lock()
        self._open: dict[int, int] = {}
        self._last_seen: dict[int, datetime] = {}
        self._positions: dict[tuple[int, int], tuple[int, datetime]] = {}
        self._dirty_users: set[int] = set()
        self._dirty_positions: set[tuple[int, int]] = set()
        self._written: dict[int, int] = {}  # open polls per user as last written

    # ---- memory (any thread) ---------------------------------------------------------------
    def enter(self, user_id: int) -> None:
        with self._lock:
            self._open[user_id] = self._open.get(user_id, 0) + 1
            self._last_seen[user_id] = self.clock.now()
            self._dirty_users.add(user_id)

    def leave(self, user_id: int) -> None:
        with self._lock:
            left = self._open.get(user_id, 0) - 1
            if left > 0:
                self._open[user_id] = left
            else:
                self._open.pop(user_id, None)
            self._last_seen[user_id] = self.clock.now()
            self._dirty_users.add(user_id)

    def seen(self, user_id: int, device_pk: int, after: int) -> None:
        """A device polled with ``after``: it has every event up to that id."""
        with self._lock:
            now = self.clock.now()
            self._last_seen[user_id] = now
            self._positions[(user_id, device_pk)] = (after, now)
            self._dirty_positions.add((user_id, device_pk))

    def open_polls(self) -> int:
        with self._lock:
            return sum(self._open.values())

    # ---- database ----------------------------------------------------------------------------
    def flush(self) -> None:
        """Write this worker's changes and heartbeat; sweep dead workers."""
        with self._lock:
            users, self._dirty_users = self._dirty_users, set()
            keys, self._dirty_positions = self._dirty_positions, set()
            # A poll that ended and was renewed since the last flush leaves the count as written.
            counts = {
                u: n for u in users if (n := self._open.get(u, 0)) != self._written.get(u, 0)
            }
            self._written.update(counts)
            positions = {k: self._positions.pop(k) for k in keys if k in self._positions}
        try:
            with db.write_transaction(self.engine) as conn:
                workers.heartbeat(conn, self.worker)
                p = db.presence
                gone = [u for u, n in counts.items() if n == 0]
                if gone:
                    conn.execute(delete(p).where(and_(p.c.worker_id == self.worker.id, p.c.user_id.in_(gone))))
                db.upsert(conn, p, [
                    {"worker_id": self.worker.id, "user_id": u, "open_polls": n}
                    for u, n in sorted(counts.items()) if n > 0
                ], ["worker_id", "user_id"])
                db.upsert(conn, db.feed_positions, [
                    {"user_id": u, "device_pk": d, "last_event_id": after, "seen_at": at}
                    for (u, d), (after, at) in sorted(positions.items())
                ], ["user_id", "device_pk"])
                workers.sweep_dead(conn, self.stale)
        except Exception:
            with self._lock:  # try again next time, unless newer values came meanwhile
                for u in counts:
                    self._written.pop(u, None)
                self._dirty_users |= users
                for k, v in positions.items():
                    self._positions.setdefault(k, v)
                self._dirty_positions |= keys
            raise

    def snapshot(self, conn: Connection, user_ids: list[int]) -> dict[int, Presence]:
        p, f = db.presence, db.feed_positions
        live = workers.live_workers(conn, self.stale) - {self.worker.id}
        others: dict[int, int] = {}
        if live and user_ids:
            for row in conn.execute(
                select(p.c.user_id, func.sum(p.c.open_polls))
                .where(and_(p.c.user_id.in_(user_ids), p.c.worker_id.in_(live)))
                .group_by(p.c.user_id)
            ):
                others[int(row[0])] = int(row[1] or 0)
        seen: dict[int, datetime] = {}
        if user_ids:
            for row in conn.execute(
                select(f.c.user_id, func.max(f.c.seen_at)).where(f.c.user_id.in_(user_ids))
                .group_by(f.c.user_id)
            ):
                at = as_utc(row[1])
                if at is not None:
                    seen[int(row[0])] = at
        out: dict[int, Presence] = {}
        with self._lock:
            for uid in user_ids:
                n = others.get(uid, 0) + self._open.get(uid, 0)
                times = [t for t in (seen.get(uid), self._last_seen.get(uid)) if t is not None]
                out[uid] = Presence(n > 0, n, max(times) if times else None)
        return out
