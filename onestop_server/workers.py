"""This process among the server's workers: its id, its heartbeat, who else is alive, and the
lease that lets exactly one worker at a time run a periodic job.

Every worker (a uvicorn worker process, or a server on another host against the same database)
writes ``workers.heartbeat_at`` every ``presence_flush_seconds``; one silent for
``worker_stale_seconds`` is dead: its presence rows are swept and its leases run out.
Heartbeats use the real clock, never the app's injectable one (a frozen test clock must not make
a live worker look dead, nor a dead one alive).

``try_lease(engine, name, owner, now, every, hold)`` claims the row of ``jobs`` for ``name``
when its last run is at least ``every`` ago and no other live claim holds it; the claim lasts
``hold``. ``finish_lease`` records the result and frees it.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine

from onestop_server import db
from onestop_server.deps import as_utc


def real_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class WorkerInfo:
    id: str
    host: str
    pid: int
    started_at: datetime

    @classmethod
    def new(cls) -> WorkerInfo:
        host = socket.gethostname()[:100]
        pid = os.getpid()
        return cls(f"{host[:40]}:{pid}:{secrets.token_hex(4)}", host, pid, real_now())


def heartbeat(conn: Connection, info: WorkerInfo) -> None:
    db.upsert(conn, db.workers, [{
        "id": info.id, "host": info.host, "pid": info.pid, "started_at": info.started_at,
        "heartbeat_at": real_now(),
    }], ["id"])


def live_workers(conn: Connection, stale: timedelta) -> set[str]:
    w = db.workers
    cutoff = real_now() - stale
    return {str(x) for x in conn.execute(select(w.c.id).where(w.c.heartbeat_at >= cutoff)).scalars()}


def sweep_dead(conn: Connection, stale: timedelta) -> int:
    """Forget workers silent for ``stale`` and their presence rows; returns how many."""
    w = db.workers
    dead = list(conn.execute(select(w.c.id).where(w.c.heartbeat_at < real_now() - stale)).scalars())
    if dead:
        conn.execute(delete(db.presence).where(db.presence.c.worker_id.in_(dead)))
        conn.execute(delete(w).where(w.c.id.in_(dead)))
    return len(dead)


def retire(engine: Engine, info: WorkerInfo) -> None:
    """A clean stop: this worker's rows go at once (no waiting for staleness)."""
    with db.write_transaction(engine) as conn:
        conn.execute(delete(db.presence).where(db.presence.c.worker_id == info.id))
        conn.execute(delete(db.workers).where(db.workers.c.id == info.id))


def try_lease(
    engine: Engine, name: str, owner: str, now: datetime, every: timedelta, hold: timedelta
) -> bool:
    """Claim job ``name`` if it is due and free; True when this caller now holds it."""
    j = db.jobs
    with db.write_transaction(engine) as conn:
        row = conn.execute(select(j).where(j.c.name == name).with_for_update()).one_or_none()
        if row is None:
            conn.execute(insert(j).values(name=name, owner=owner, lease_until=now + hold))
            return True
        until, last = as_utc(row.lease_until), as_utc(row.last_run_at)
        if until is not None and until > now:
            return False
        if last is not None and last + every > now:
            return False
        claimed = conn.execute(
            update(j)
            .where(and_(j.c.name == name, or_(j.c.lease_until.is_(None), j.c.lease_until <= now)))
            .values(owner=owner, lease_until=now + hold)
        ).rowcount
        return bool(claimed)


def finish_lease(engine: Engine, name: str, owner: str, now: datetime, result: str) -> None:
    j = db.jobs
    with db.write_transaction(engine) as conn:
        conn.execute(
            update(j).where(and_(j.c.name == name, j.c.owner == owner))
            .values(owner=None, lease_until=None, last_run_at=now, last_result=result[:2000])
        )
