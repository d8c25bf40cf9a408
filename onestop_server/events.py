"""The events feed: ``GET /api/v1/events?after=ID&wait=0..30&limit=`` (long-poll) and its hub.

Events are rows of ``db.events`` written by ``emit`` inside the transaction that causes them, so
an event exists exactly when its cause was committed. Ids are monotonic and persisted: a client
resumes from the last id it saw across disconnects, sleeps and server restarts. An id beyond the
newest event (a wiped or replaced server) answers 410 ``events.reset``: restart from 0.

Visibility: an event addressed to a user is theirs; one addressed to a department reaches its
members, or only those of ``audience_role`` when set (e.g. recall state changes go to heads).

Push, not polling: writers call ``EventHub.poke()`` after their commit (from any thread), and on
PostgreSQL every transaction that emits also sends ``NOTIFY onestop_events`` (delivered at its
commit to every worker, on every host: each hub ``LISTEN``s on its own connection). The hub's
single reader task then reads the new rows once (``id > cursor`` in id order; appends are
serialised by ``db.lock_logs``, so ids become visible in order) and hands each waiting request
the rows it may see (rows are indexed by audience, so a wake-up costs O(waiters + rows)). A
waiting request registers with the hub *before* its own query, so no event can fall between
the query and the wait; it holds no database connection while it waits. A fallback read every
``events_fallback_seconds`` covers a lost notification or listener connection. An empty answer
after ``wait`` seconds is the heartbeat. The hub keeps the newest events it read (``_Recent``),
so a poll that is at most that far behind is answered without a query.

Connection state (for the head's team view) is the worker's ``PresenceBoard`` (``presence.py``):
open long-polls and when each user last polled, shared with the other workers via the database.

``drain()`` (graceful shutdown) answers every waiting long-poll at once with what it has (an
empty heartbeat), and later polls do not wait: clients reconnect to another worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import parse_qsl

import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import JSON, DateTime, String, and_, func, insert, literal, or_, select
from sqlalchemy.engine import Connection, Engine

from onestop_server import db, metrics
from onestop_server.auth import CurrentUser, FeedUserDep
from onestop_server.clock import Clock
from onestop_server.deps import get_clock, iso
from onestop_server.errors import ApiError
from onestop_server.presence import Presence, PresenceBoard

log = logging.getLogger(__name__)
router = APIRouter(tags=["events"])

MAX_ID = 2**53
MAX_WAIT = 30.0
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
_HUB_BATCH = 2000
_RECENT_CAPACITY = 20_000  # events kept in memory per worker (~1 KiB each)

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
    db.lock_logs(conn)
    db.notify_events(conn)
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
    db.lock_logs(conn)
    db.notify_events(conn)
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


def emit_to_users(
    conn: Connection, kind: str, payload: dict[str, Any], user_ids: list[int], *, at: datetime
) -> None:
    """One event with the same ``payload`` for each of ``user_ids`` (existing users), in one
    ``INSERT … SELECT``: the payload is serialised once, not per row (a 500-recipient recall
    spent a third of its time in a 500-row ``executemany``). Ids follow the users' names, then
    ids, as the recall's recipient list does."""
    if not user_ids:
        return
    u = db.users
    db.lock_logs(conn)
    db.notify_events(conn)
    e = db.events
    conn.execute(
        insert(e).from_select(
            [e.c.at, e.c.kind, e.c.audience_user_id, e.c.payload],
            select(
                literal(at, DateTime(timezone=True)), literal(kind, String()), u.c.id,
                literal(payload, JSON()),
            ).where(u.c.id.in_(user_ids)).order_by(u.c.full_name, u.c.id),
        )
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


PURGED_UPTO = "events_purged_upto"  # server_meta: the highest id retention deleted


def max_event_id(conn: Connection) -> int:
    """The feed's head: the newest id, never below what retention purged (ids are not reused,
    so a client's ``after`` stays valid after its events are gone)."""
    purged = (
        select(db.server_meta.c.value).where(db.server_meta.c.key == PURGED_UPTO).scalar_subquery()
    )
    newest, floor = conn.execute(
        select(func.coalesce(func.max(db.events.c.id), 0), purged)
    ).one()
    return max(int(newest), int(floor) if floor is not None else 0)


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


class _Recent:
    """The newest events this hub has read, by audience: every event with an id above
    ``floor`` (up to the hub's cursor) is here, because the hub reads the log in id order and
    appends are serialised. A poll whose ``after`` lies in that range is answered from memory,
    without a query (after a recall, every recipient polls again at once). Event loop only."""

    def __init__(self, floor: int, capacity: int = _RECENT_CAPACITY) -> None:
        self.floor = floor
        self.capacity = capacity
        self._order: deque[tuple[int, int | None, str | None]] = deque()
        self._users: dict[int, deque[tuple[int, dict[str, Any]]]] = defaultdict(deque)
        self._departments: dict[str, deque[tuple[int, str | None, int | None, dict[str, Any]]]] = (
            defaultdict(deque)
        )

    def add(self, row: Any, out: dict[str, Any]) -> None:
        rid = int(row.id)
        user = None if row.audience_user_id is None else int(row.audience_user_id)
        dept = None if row.audience_department_id is None else str(row.audience_department_id)
        if user is not None:
            self._users[user].append((rid, out))
        if dept is not None:
            self._departments[dept].append((rid, row.audience_role, user, out))
        self._order.append((rid, user, dept))
        while len(self._order) > self.capacity:
            old, old_user, old_dept = self._order.popleft()
            self.floor = old
            if old_user is not None:
                self._forget(self._users, old_user, old)
            if old_dept is not None:
                self._forget(self._departments, old_dept, old)

    @staticmethod
    def _forget(index: dict[Any, deque[Any]], key: Any, rid: int) -> None:
        items = index.get(key)
        if items and items[0][0] == rid:
            items.popleft()
        if items is not None and not items:
            del index[key]

    def visible(self, user_id: int, department_id: str | None, role: str, after: int) -> list[dict[str, Any]]:
        out = [e for rid, e in self._users.get(user_id, ()) if rid > after]
        if department_id is not None:
            out += [
                e for rid, audience_role, audience_user, e in self._departments.get(department_id, ())
                if rid > after and (audience_role is None or audience_role == role)
                and audience_user != user_id
            ]
        out.sort(key=lambda e: int(e["id"]))
        return out


class EventHub:
    """Wakes waiting long-polls when events are committed (here or on another worker)."""

    def __init__(
        self, engine: Engine, clock: Clock, presence: PresenceBoard, fallback_seconds: float = 1.0
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.presence_board = presence
        self.fallback_seconds = fallback_seconds
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._cursor = 0
        self._recent = _Recent(0)
        self._waiters: set[_Waiter] = set()
        self.draining = False
        self.listening = False  # a LISTEN connection is up (PostgreSQL)
        # called (event loop) on ``NOTIFY onestop_auth`` and when the listener (re)connects
        self.on_auth_change: Any = None

    # ---- lifecycle (called from the app's lifespan) ----------------------------------------
    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._cursor = await anyio.to_thread.run_sync(self._head)
        self._recent = _Recent(self._cursor)
        self._tasks = [asyncio.create_task(self._run(), name="events-hub")]
        if db.is_postgres(self.engine):
            self._tasks.append(asyncio.create_task(self._listen(), name="events-listen"))

    async def stop(self) -> None:
        self.drain()
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._loop = None

    def drain(self) -> None:
        """Answer every waiting long-poll now; later polls do not wait (shutting down)."""
        self.draining = True
        for waiter in list(self._waiters):
            waiter.wake.set()

    def request_drain(self) -> None:
        """Thread-safe ``drain`` (from a signal handler or another thread)."""
        loop = self._loop
        if loop is None:
            self.draining = True
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self.drain)

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
                await asyncio.wait_for(self._wake.wait(), timeout=self.fallback_seconds)
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

    async def _listen(self) -> None:
        """``LISTEN onestop_events`` on a dedicated connection; reconnects with backoff."""
        import psycopg

        dsn = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {db.EVENTS_CHANNEL}")
                    await conn.execute(f"LISTEN {db.AUTH_CHANNEL}")
                    self._auth_changed()  # revocations committed while not listening
                    self.listening = True
                    delay = 0.5
                    self.poke()  # anything committed while not listening
                    async for note in conn.notifies():
                        if note.channel == db.AUTH_CHANNEL:
                            self._auth_changed()
                        else:
                            self.poke()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the database went away: retry, fallback reads go on
                log.warning("events listener lost its connection; retrying in %.1f s", delay)
            finally:
                self.listening = False
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    def _auth_changed(self) -> None:
        if self.on_auth_change is not None:
            self.on_auth_change()

    def _dispatch(self, rows: list[Any]) -> None:
        rendered: dict[int, dict[str, Any]] = {}
        for row in rows:
            out = rendered[int(row.id)] = _row_out(row)
            self._recent.add(row, out)
        if not self._waiters:
            return
        by_user: dict[int, list[Any]] = defaultdict(list)
        by_department: dict[str, list[Any]] = defaultdict(list)
        for row in rows:
            if row.audience_user_id is not None:
                by_user[int(row.audience_user_id)].append(row)
            if row.audience_department_id is not None:
                by_department[str(row.audience_department_id)].append(row)
        for waiter in list(self._waiters):
            mine = by_user.get(waiter.user_id, [])
            if waiter.department_id is not None:
                mine = mine + [
                    r for r in by_department.get(waiter.department_id, [])
                    if (r.audience_role is None or r.audience_role == waiter.role)
                    and r.audience_user_id != waiter.user_id
                ]
            got = False
            for row in mine:
                rid = int(row.id)
                if rid > waiter.after:
                    waiter.rows.append(rendered[rid])
                    got = True
            if got:
                waiter.wake.set()

    # ---- presence -----------------------------------------------------------------------------
    def presence_of(self, conn: Connection, user_ids: list[int]) -> dict[int, Presence]:
        return self.presence_board.snapshot(conn, user_ids)

    def waiting(self) -> int:
        return len(self._waiters)

    # ---- the long-poll ------------------------------------------------------------------------
    async def poll(
        self, user: CurrentUser, after: int, wait: float, limit: int
    ) -> tuple[list[dict[str, Any]], bool]:
        """(events, has_more): at once if any, else the first ones within ``wait`` seconds."""
        waiter: _Waiter | None = None
        if wait > 0 and self._loop is not None and not self.draining:
            waiter = _Waiter(user.id, user.department_id, user.role, after)
            self._waiters.add(waiter)  # before the query: nothing falls in between
        board = self.presence_board
        board.enter(user.id)
        board.seen(user.id, user.device_pk, after)
        metrics.OPEN_POLLS.inc()
        try:
            if waiter is not None and self._recent.floor <= after <= self._cursor:
                # Answered from memory: everything in (floor, cursor] is in the buffer, and a
                # newer event reaches the waiter registered above. A poll that does not wait
                # (a catch-up) reads the database: it must see what was committed just before
                # it, even if this hub has not been notified of it yet.
                rows, head = self._recent.visible(user.id, user.department_id, user.role, after), after
            else:
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
            metrics.OPEN_POLLS.dec()
            if waiter is not None:
                self._waiters.discard(waiter)
            board.leave(user.id)


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
    user: FeedUserDep,
    hub: Annotated[EventHub, Depends(get_hub)],
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="the last event id seen (0: all)")] = 0,
    wait: Annotated[
        float, Query(ge=0, le=MAX_WAIT, description="seconds to wait for a new event (long-poll)")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> Response:
    rows, has_more = await hub.poll(user, after, wait, limit)
    return Response(content=_feed_body(rows, has_more, after, get_clock(request).now()),
                    media_type="application/json")


def _feed_body(rows: list[dict[str, Any]], has_more: bool, after: int, now: datetime) -> bytes:
    # Rendered directly (the shape is EventsOut): many answers leave at once after a wake-up.
    last_id = int(rows[-1]["id"]) if rows else after
    body = {"events": rows, "last_id": last_id, "has_more": has_more, "heartbeat_at": iso(now)}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


# ---- the renewed long-poll without FastAPI's routing ---------------------------------------------

FEED_PATH = "/api/v1/events"
_UINT = re.compile(r"[0-9]{1,16}")
_WAIT = re.compile(r"[0-9]{1,2}(?:\.[0-9]{1,6})?")


def _feed_params(query: bytes) -> tuple[int, float, int] | None:
    """(after, wait, limit) when every parameter is plainly well-formed and within bounds."""
    after, wait, limit = 0, 0.0, DEFAULT_LIMIT
    seen: set[str] = set()
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if name in seen:
            return None
        seen.add(name)
        if name == "after":
            if not _UINT.fullmatch(value) or int(value) > MAX_ID:
                return None
            after = int(value)
        elif name == "wait":
            if not _WAIT.fullmatch(value) or float(value) > MAX_WAIT:
                return None
            wait = float(value)
        elif name == "limit":
            if not _UINT.fullmatch(value) or not 1 <= int(value) <= MAX_LIMIT:
                return None
            limit = int(value)
    return after, wait, limit


class FeedFastPath:
    """ASGI middleware (the innermost one): answers ``GET /api/v1/events`` itself when all is
    plain, without FastAPI's route matching, dependency solving and request objects (a third of
    a worker's CPU per renewed long-poll): well-formed parameters within their bounds and a
    bearer token that the worker's ``auth_cache`` holds, unexpired, with no ``last_seen_at``
    stamp due. Anything else (a bad or repeated parameter, no token, a token not cached,
    expired or due for its stamp) goes to the FastAPI route, which validates, authenticates
    (``auth.feed_user``) and answers as documented. Both paths answer with the same bytes and
    status, and the request is counted under the same route (``scope["route"]``)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._route: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != FEED_PATH or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        main = scope.get("app")
        params = _feed_params(scope.get("query_string", b""))
        user = None if params is None or main is None else self._cached_user(main.state, scope)
        if user is None:
            await self.app(scope, receive, send)
            return
        assert params is not None
        after, wait, limit = params
        if self._route is None:  # this module's route (the metrics label is its path)
            self._route = next(r for r in router.routes if getattr(r, "path", None) == FEED_PATH)
        scope["route"] = self._route
        hub: EventHub = main.state.events
        try:
            rows, has_more = await hub.poll(user, after, wait, limit)
        except ApiError as exc:
            answer = JSONResponse(status_code=exc.status, content=exc.body(), headers=exc.headers or None)
            await answer(scope, receive, send)
            return
        body = _feed_body(rows, has_more, after, main.state.clock.now())
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-length", str(len(body)).encode()), (b"content-type", b"application/json"),
        ]})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _cached_user(state: Any, scope: Any) -> CurrentUser | None:
        from onestop_server.auth import cached_user

        cache = getattr(state, "auth_cache", None)
        if cache is None:
            return None
        header = next((v for n, v in scope.get("headers", ()) if n == b"authorization"), None)
        if header is None:
            return None
        scheme, _, token = header.decode("latin-1").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > 256:
            return None
        return cached_user(cache, token, state.clock.now())
