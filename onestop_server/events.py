"""The events feed: ``GET /api/v1/events?after=ID&wait=0..30&limit=`` (long-poll) and its hub.

Events are rows of ``db.events`` written by ``emit`` inside the transaction that causes them, so
an event exists exactly when its cause was committed. Ids are monotonic and persisted: a client
resumes from the last id it saw across disconnects, sleeps and server restarts. An id beyond the
newest event (a wiped or replaced server) answers 410 ``events.reset``: restart from 0.

Visibility: an event addressed to a user is theirs; one addressed to a department reaches its
members, or only those of ``audience_role`` when set (e.g. recall state changes go to heads).

Push, not polling: writers call ``EventHub.poke()`` after their commit (from any thread). The
hub's single reader task then reads the new rows once (``id > cursor`` in id order; on SQLite
commits are serialised so ids commit in order) and hands each waiting request the rows it may
see. A waiting request registers with the hub *before* its own query, so no event can fall
between the query and the wait; it holds no database connection while it waits. A fallback
read every second picks up events written by another process. An empty answer after ``wait``
seconds is the heartbeat.

Connection state (for the head's team view) is kept in memory only: how many long-polls a user
has open now and when they last asked for events. Nothing of it is persisted.

PostgreSQL caveat: as for the change log (``sync_api``), transactions may commit out of id
order there; serialise event inserts before serving PostgreSQL in production.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.engine import Connection, Engine

from onestop_server import db
from onestop_server.auth import CurrentUser, CurrentUserDep
from onestop_server.clock import Clock
from onestop_server.deps import get_clock, iso
from onestop_server.errors import ApiError

log = logging.getLogger(__name__)
router = APIRouter(tags=["events"])

MAX_ID = 2**53
MAX_WAIT = 30.0
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
_FALLBACK_READ_SECONDS = 1.0
_HUB_BATCH = 2000

# Event kinds (payload shapes are documented in docs/architecture.md).
RECALL = "recall"
RECALL_STATE = "recall_state"
RECALL_ESCALATED = "recall_escalated"
RECALL_CLOSED = "recall_closed"
ASSIGNMENT = "assignment"
POLICY_CHANGED = "policy_changed"
REVOCATION = "revocation"
LEAVE = "leave"


def emit(
    conn: Connection,
    kind: str,
    payload: dict[str, Any],
    *,
    at: datetime,
    user_id: int | None = None,
    department_id: str | None = None,
    role: str | None = None,
) -> int:
    """Insert one event in the caller's transaction; call ``EventHub.poke()`` after commit."""
    if user_id is None and department_id is None:
        raise ValueError("an event needs an audience")
    return int(
        conn.execute(
            insert(db.events)
            .values(
                at=at,
                kind=kind,
                audience_user_id=user_id,
                audience_department_id=department_id,
                audience_role=role,
                payload=payload,
            )
            .returning(db.events.c.id)
        ).scalar_one()
    )


def emit_many(conn: Connection, rows: list[dict[str, Any]], *, at: datetime) -> None:
    """Insert several events at once (``kind``, ``payload`` and audience keys per row)."""
    if not rows:
        return
    conn.execute(
        insert(db.events),
        [
            {
                "at": at,
                "kind": r["kind"],
                "audience_user_id": r.get("user_id"),
                "audience_department_id": r.get("department_id"),
                "audience_role": r.get("role"),
                "payload": r["payload"],
            }
            for r in rows
        ],
    )


def poke(app_state: Any) -> None:
    """Tell the app's hub (if any) that events were committed."""
    hub = getattr(app_state, "events", None)
    if isinstance(hub, EventHub):
        hub.poke()


def _visible(user_id: int, department_id: str | None, role: str) -> Any:
    e = db.events
    clause = e.c.audience_user_id == user_id
    if department_id is not None:
        clause = or_(
            clause,
            and_(
                e.c.audience_department_id == department_id,
                or_(e.c.audience_role.is_(None), e.c.audience_role == role),
            ),
        )
    return clause


def _row_out(row: Any) -> dict[str, Any]:
    payload = row.payload if isinstance(row.payload, dict) else {}
    return {"id": int(row.id), "at": iso(row.at), "kind": row.kind, "payload": payload}


def max_event_id(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(db.events.c.id), 0))).scalar_one())


def read_events(
    engine: Engine, user: CurrentUser, after: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """(visible events after ``after``, up to ``limit + 1``; the newest id overall)."""
    e = db.events
    with engine.connect() as conn:
        head = max_event_id(conn)
        rows = conn.execute(
            select(e.c.id, e.c.at, e.c.kind, e.c.payload)
            .where(and_(e.c.id > after, _visible(user.id, user.department_id, user.role)))
            .order_by(e.c.id)
            .limit(limit + 1)
        ).all()
    return [_row_out(r) for r in rows], head


@dataclass(eq=False)
class _Waiter:
    user_id: int
    department_id: str | None
    role: str
    after: int
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def sees(self, row: Any) -> bool:
        if row.audience_user_id is not None and row.audience_user_id == self.user_id:
            return True
        return (
            self.department_id is not None
            and row.audience_department_id == self.department_id
            and (row.audience_role is None or row.audience_role == self.role)
        )


@dataclass(frozen=True)
class Presence:
    connected: bool
    open_polls: int
    last_seen_at: datetime | None


class EventHub:
    """Wakes waiting long-polls when events are committed; tracks who is connected (memory)."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._cursor = 0
        self._waiters: set[_Waiter] = set()
        self._closing = False  # the server is stopping: long-polls answer at once
        self._lock = threading.Lock()  # guards the presence maps (read from request threads)
        self._open: dict[int, int] = {}
        self._last_seen: dict[int, datetime] = {}

    # ---- lifecycle (called from the app's lifespan) ----------------------------------------
    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._cursor = await anyio.to_thread.run_sync(self._head)
        self._task = asyncio.create_task(self._run(), name="events-hub")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for waiter in list(self._waiters):
            waiter.wake.set()
        self._loop = None

    def release_waiters(self) -> None:
        """Thread-safe: the server is stopping, answer every waiting long-poll now (and the
        later ones at once). uvicorn's graceful shutdown waits for open requests before the
        lifespan's :meth:`stop` runs, then cancels them with a CancelledError traceback."""
        loop = self._loop
        self._closing = True
        if loop is None:
            return

        def wake() -> None:
            for waiter in list(self._waiters):
                waiter.wake.set()

        try:
            loop.call_soon_threadsafe(wake)
        except RuntimeError:  # the loop is closing
            pass

    def poke(self) -> None:
        """Thread-safe: events were committed; the reader task reads and dispatches them."""
        loop, wake = self._loop, self._wake
        if loop is None or wake is None:
            return
        try:
            loop.call_soon_threadsafe(wake.set)
        except RuntimeError:  # the loop is closing
            pass

    def _head(self) -> int:
        with self.engine.connect() as conn:
            return max_event_id(conn)

    def _read_new(self, cursor: int) -> list[Any]:
        e = db.events
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(e).where(e.c.id > cursor).order_by(e.c.id).limit(_HUB_BATCH)
                ).all()
            )

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=_FALLBACK_READ_SECONDS)
            self._wake.clear()
            try:
                while True:
                    rows = await anyio.to_thread.run_sync(self._read_new, self._cursor)
                    if not rows:
                        break
                    self._dispatch(rows)
                    self._cursor = int(rows[-1].id)
                    if len(rows) < _HUB_BATCH:
                        break
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - keep the hub alive; the fallback read retries
                log.exception("events hub read failed")

    def _dispatch(self, rows: list[Any]) -> None:
        for waiter in list(self._waiters):
            got = False
            for row in rows:
                if int(row.id) > waiter.after and waiter.sees(row):
                    waiter.rows.append(_row_out(row))
                    got = True
            if got:
                waiter.wake.set()

    # ---- presence (in memory only) ------------------------------------------------------------
    def _enter(self, user_id: int) -> None:
        with self._lock:
            self._open[user_id] = self._open.get(user_id, 0) + 1
            self._last_seen[user_id] = self.clock.now()

    def _leave(self, user_id: int) -> None:
        with self._lock:
            left = self._open.get(user_id, 0) - 1
            if left > 0:
                self._open[user_id] = left
            else:
                self._open.pop(user_id, None)
            self._last_seen[user_id] = self.clock.now()

    def touch(self, user_id: int) -> None:
        with self._lock:
            self._last_seen[user_id] = self.clock.now()

    def presence(self, user_id: int) -> Presence:
        with self._lock:
            n = self._open.get(user_id, 0)
            return Presence(connected=n > 0, open_polls=n, last_seen_at=self._last_seen.get(user_id))

    def waiting(self) -> int:
        return len(self._waiters)

    # ---- the long-poll ------------------------------------------------------------------------
    async def poll(
        self, user: CurrentUser, after: int, wait: float, limit: int
    ) -> tuple[list[dict[str, Any]], bool]:
        """(events, has_more): at once if any, else the first ones within ``wait`` seconds."""
        waiter: _Waiter | None = None
        if wait > 0 and self._loop is not None and not self._closing:
            waiter = _Waiter(user.id, user.department_id, user.role, after)
            self._waiters.add(waiter)  # before the query: nothing falls in between
        self._enter(user.id)
        try:
            rows, head = await anyio.to_thread.run_sync(
                read_events, self.engine, user, after, limit
            )
            if after > head:
                raise ApiError(
                    410, "events.reset",
                    "The event id is beyond this server's feed; restart from 0.",
                    {"last_id": head},
                )
            if rows or waiter is None:
                return rows[:limit], len(rows) > limit
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter.wake.wait(), timeout=wait)
            got = sorted(
                {r["id"]: r for r in waiter.rows if r["id"] > after}.values(),
                key=lambda r: int(r["id"]),
            )
            return got[:limit], len(got) > limit
        finally:
            if waiter is not None:
                self._waiters.discard(waiter)
            self._leave(user.id)


# ---- HTTP -------------------------------------------------------------------------------------


class EventOut(BaseModel):
    id: int
    at: str | None
    kind: str
    payload: dict[str, Any]


class EventsOut(BaseModel):
    events: list[EventOut]
    last_id: int
    has_more: bool
    heartbeat_at: str | None


def get_hub(request: Request) -> EventHub:
    hub: EventHub = request.app.state.events
    return hub


@router.get(
    "/api/v1/events",
    response_model=EventsOut,
    responses={410: {"description": "events.reset: the id is beyond the feed; restart from 0"}},
)
async def get_events(
    request: Request,
    user: CurrentUserDep,
    hub: Annotated[EventHub, Depends(get_hub)],
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="the last event id seen (0: all)")] = 0,
    wait: Annotated[
        float, Query(ge=0, le=MAX_WAIT, description="seconds to wait for a new event (long-poll)")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> Response:
    rows, has_more = await hub.poll(user, after, wait, limit)
    last_id = int(rows[-1]["id"]) if rows else after
    # Rendered directly (the shape is EventsOut): many answers leave at once after a wake-up.
    body = {
        "events": rows,
        "last_id": last_id,
        "has_more": has_more,
        "heartbeat_at": iso(get_clock(request).now()),
    }
    return Response(
        content=json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(),
        media_type="application/json",
    )

