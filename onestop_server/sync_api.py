"""GET /api/v1/sync/changes: snapshot and incremental pull over the change log.

Owned by the sync/seed work; included by ``app.create_app``.

Scope: an officer pulls the dossiers assigned to them, a head their department's, an admin
nothing; withdrawn dossiers (status 7) are in nobody's scope (``scope.in_scope`` in SQL).

Cursors are opaque base64url strings of ``v1:s:<seq>`` (incremental: everything after change-log
position ``seq``) or ``v1:n:<S>:<last id>:<total>`` (a snapshot that started at position ``S``,
next page after dossier ``last id``; ``total`` is the scope's size counted once, on the first
page, and carried so later pages cost the same at any scope size; a cursor without it, from
before it was carried, is still accepted and the scope is counted again).
- Without a cursor the scope is sent in id order; the last page's cursor is ``s:<S>`` with ``S``
  read before the first page, so anything changed while the snapshot was paged comes again.
  Each page is one index range scan after the last id (no OFFSET, no re-reading of the scope).
- With ``s:<C>`` the page holds, merged in seq order, the in-scope dossiers whose latest change
  is in ``(C, H]`` and removals of dossiers with a change in ``(C, H]`` that was (before or
  after) in the caller's scope and that are not in scope now; ``H`` is the log head read
  first, so both streams see every change up to it (SQLite commits in seq order). A dossier
  changed twice comes once, at its latest seq. The new cursor is the last seq sent, or ``H``
  when nothing is left.
- A malformed cursor, one beyond the log head, or one older than ``server_meta['min_seq']``
  (the compaction horizon, see ``compact_changes``) -> 410 ``sync.resync_required``.

Pages are written by concatenating the stored ``dossiers.payload`` documents; nothing is parsed.
The database hands them over as UTF-8 bytes (:func:`payload_bytes`), so a page is never
decoded into Python strings and encoded back (a 10,000-dossier snapshot: ~0.2 CPU-s of the
server's ~0.55).

Order with concurrent writers: ``H`` and every seq at or below it must be visible together.
SQLite commits in seq order; on PostgreSQL appends to the log are serialised by
``db.lock_logs`` (an advisory lock held from the append to the commit), so no seq below a
visible one can still be in flight; a PostgreSQL pull reads its page in one REPEATABLE READ
snapshot. ``tests/server/test_log_order.py`` races writers against pulls to prove it.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import (
    ColumnElement,
    LargeBinary,
    and_,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction

from onestop_server import db, metrics, serialize
from onestop_server.auth import CurrentUser, CurrentUserDep
from onestop_server.deps import get_clock, get_engine
from onestop_server.errors import ApiError
from onestop_server.workcal import calendar_version
from wfh_client.domain.statuses import Role, Status

CALENDAR_VERSION_HEADER = "X-Calendar-Version"

router = APIRouter(tags=["sync"])

DEFAULT_LIMIT = 500
MAX_LIMIT = 2000
_MAX_CURSOR = 300


class Removal(BaseModel):
    id: str


class ChangesPage(BaseModel):
    """One page of a pull: dossier documents to upsert, ids to purge, where to continue."""

    upserts: list[serialize.DossierOut]
    removals: list[Removal]
    cursor: str
    has_more: bool
    total: int | None = None  # snapshot pages: how many dossiers the whole snapshot delivers


# ---- cursors ---------------------------------------------------------------------------------


def _resync(why: str) -> ApiError:
    return ApiError(410, "sync.resync_required", "Pull again without a cursor.", {"reason": why})


def encode_cursor(*parts: str | int) -> str:
    raw = ":".join(["v1", *(str(p) for p in parts)]).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int, str | None]:
    """``("s", seq, None)`` or ``("n", snapshot_seq, last_id)``; 410 when malformed.

    ``last_id`` of an ``n`` cursor may end in ``:<total>`` (see :func:`split_total`)."""
    if not cursor or len(cursor) > _MAX_CURSOR:
        raise _resync("malformed")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (binascii.Error, ValueError):
        raise _resync("malformed") from None
    parts = raw.split(":", 3)
    try:
        if len(parts) == 3 and parts[0] == "v1" and parts[1] == "s":
            return "s", _seq(parts[2]), None
        if len(parts) == 4 and parts[0] == "v1" and parts[1] == "n" and parts[3]:
            return "n", _seq(parts[2]), parts[3]
    except ValueError:
        pass
    raise _resync("malformed")


def split_total(last_id: str) -> tuple[str, int | None]:
    """``"<id>:<total>"`` -> ``(id, total)``; an id without a total (an older cursor) -> None."""
    head, sep, tail = last_id.rpartition(":")
    if sep and head and tail.isdigit() and len(tail) <= 18:
        return head, int(tail)
    return last_id, None


def _seq(text: str) -> int:
    if not text.isdigit() or len(text) > 18:
        raise ValueError(text)
    return int(text)


# ---- the log ---------------------------------------------------------------------------------


def min_seq(conn: Connection) -> int:
    value = conn.execute(
        select(db.server_meta.c.value).where(db.server_meta.c.key == "min_seq")
    ).scalar_one_or_none()
    return int(value) if value is not None else 0


def log_head(conn: Connection) -> int:
    """The newest change-log position (never below the compaction horizon)."""
    return max(db.max_seq(conn), min_seq(conn))


def compact_changes(conn: Connection, keep_after_seq: int) -> int:
    """Delete change rows at or before ``keep_after_seq``; cursors older than it get 410.

    Returns the number of rows deleted. It reads the log's bounds before it deletes, so call it
    inside ``db.write_transaction``: on SQLite a plain (deferred) transaction whose read snapshot
    another writer overtakes fails at the DELETE with "database is locked", without waiting.
    """
    horizon = min(max(keep_after_seq, min_seq(conn)), log_head(conn))
    deleted = conn.execute(delete(db.changes).where(db.changes.c.seq <= horizon)).rowcount
    meta = db.server_meta
    if conn.execute(select(meta.c.key).where(meta.c.key == "min_seq")).first() is None:
        conn.execute(insert(meta).values(key="min_seq", value=str(horizon)))
    else:
        conn.execute(update(meta).where(meta.c.key == "min_seq").values(value=str(horizon)))
    return int(deleted or 0)


# ---- scope in SQL ----------------------------------------------------------------------------


def _dossier_scope(user: CurrentUser) -> ColumnElement[bool] | None:
    d = db.dossiers
    if user.role == Role.OFFICER:
        return and_(d.c.assignee_id == user.id, d.c.status != int(Status.WITHDRAWN))
    if user.role == Role.HEAD and user.department_id is not None:
        return and_(d.c.department_id == user.department_id, d.c.status != int(Status.WITHDRAWN))
    return None


def _touched_scope(user: CurrentUser) -> ColumnElement[bool]:
    """A change row that had the caller's scope before or after it."""
    c = db.changes
    if user.role == Role.OFFICER:
        return or_(c.c.prev_assignee_id == user.id, c.c.assignee_id == user.id)
    return or_(c.c.prev_department_id == user.department_id, c.c.department_id == user.department_id)


# ---- pages -----------------------------------------------------------------------------------


class payload_bytes(GenericFunction[bytes]):  # noqa: N801 - SQL function naming
    """A text column's value as its UTF-8 bytes, read by the driver without decoding.
    SQLite: ``CAST(x AS BLOB)`` (the database's text encoding is UTF-8); PostgreSQL:
    ``convert_to(x, 'UTF8')`` (a plain cast to bytea would read backslashes as escapes)."""

    type = LargeBinary()
    inherit_cache = True


@compiles(payload_bytes)
def _payload_bytes_sqlite(element: payload_bytes, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS BLOB)"


@compiles(payload_bytes, "postgresql")
def _payload_bytes_postgresql(element: payload_bytes, compiler: SQLCompiler, **kw: Any) -> str:
    return f"convert_to({compiler.process(element.clauses, **kw)}, 'UTF8')"


def _payloads(conn: Connection, rows: list[Any]) -> list[bytes]:
    """Each row's ``payload`` (selected as :class:`payload_bytes`), as UTF-8 bytes."""
    out: list[bytes] = []
    for r in rows:
        payload = r.payload
        if not payload:  # never expected: every write rebuilds it; build it rather than fail
            payload = serialize.dumps(serialize.dossier_document(conn, r.id)).encode("utf-8")
        out.append(bytes(payload))
    return out


def _page(
    upserts: list[bytes], removals: list[str], cursor: str, has_more: bool,
    total: int | None = None,
) -> Response:
    tail = "".join(
        [
            '],"removals":[',
            ",".join('{"id":' + json.dumps(i) + "}" for i in removals),
            '],"cursor":"',
            cursor,
            '","has_more":',
            "true" if has_more else "false",
            "" if total is None else f',"total":{total}',
            "}",
        ]
    )
    body = b"".join([b'{"upserts":[', b",".join(upserts), tail.encode("utf-8")])
    return Response(content=body, media_type="application/json")


def snapshot_page(
    conn: Connection, user: CurrentUser, start_seq: int | None, after_id: str | None, limit: int,
    total: int | None = None,
) -> Response:
    if start_seq is None:
        start_seq = log_head(conn)  # read before the dossiers: anything later comes again
    scope = _dossier_scope(user)
    rows: list[Any] = []
    if scope is None:
        total = 0
    else:
        d = db.dossiers
        if total is None:  # the first page: count once, the cursor carries it (progress bar)
            total = int(conn.execute(select(func.count()).select_from(d).where(scope)).scalar_one())
        query = select(d.c.id, payload_bytes(d.c.payload).label("payload")).where(scope)
        if after_id is not None:
            query = query.where(d.c.id > after_id)
        rows = list(conn.execute(query.order_by(d.c.id).limit(limit + 1)).all())
    has_more = len(rows) > limit
    rows = rows[:limit]
    if has_more:
        cursor = encode_cursor("n", start_seq, rows[-1].id, total)
    else:
        cursor = encode_cursor("s", start_seq)
    return _page(_payloads(conn, rows), [], cursor, has_more, total)


def incremental_page(conn: Connection, user: CurrentUser, after: int, head: int, limit: int) -> Response:
    scope = _dossier_scope(user)
    if scope is None or after >= head:
        return _page([], [], encode_cursor("s", max(after, head)), False)
    d, c = db.dossiers, db.changes
    ups = conn.execute(
        select(d.c.seq, d.c.id, payload_bytes(d.c.payload).label("payload"))
        .where(scope, d.c.seq > after, d.c.seq <= head)
        .order_by(d.c.seq)
        .limit(limit + 1)
    ).all()
    last = func.max(c.c.seq).label("last")
    still_visible = exists().where(d.c.id == c.c.dossier_id, scope)
    rems = conn.execute(
        select(c.c.dossier_id, last)
        .where(c.c.seq > after, c.c.seq <= head, _touched_scope(user), ~still_visible)
        .group_by(c.c.dossier_id)
        .order_by(last)
        .limit(limit + 1)
    ).all()
    merged: list[tuple[int, str, Any]] = [(r.seq, "u", r) for r in ups]
    merged += [(int(r.last), "r", r.dossier_id) for r in rems]
    merged.sort(key=lambda item: item[0])
    has_more = len(merged) > limit
    merged = merged[:limit]
    upserts = _payloads(conn, [item[2] for item in merged if item[1] == "u"])
    removals = [str(item[2]) for item in merged if item[1] == "r"]
    cursor_seq = merged[-1][0] if has_more else head
    return _page(upserts, removals, encode_cursor("s", cursor_seq), has_more)


@router.get(
    "/api/v1/sync/changes",
    response_class=Response,
    responses={
        200: {"model": ChangesPage, "description": "One page of changes."},
        410: {"description": "`sync.resync_required`: pull again without a cursor."},
    },
)
def get_changes(
    user: CurrentUserDep,
    request: Request,
    engine: Annotated[Engine, Depends(get_engine)],
    cursor: Annotated[str | None, Query(description="Opaque cursor from the previous page.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> Response:
    """Dossiers in the caller's scope: a paged snapshot without a cursor, changes with one."""
    with engine.connect() as conn:
        if db.is_postgres(conn):
            # One snapshot for the whole page: the head, the dossiers and the removals agree.
            conn.execution_options(isolation_level="REPEATABLE READ")
        page = _changes(conn, user, cursor, limit)
        # the client fetches GET /api/v1/calendar again when this differs from its copy's
        page.headers[CALENDAR_VERSION_HEADER] = calendar_version(conn, get_clock(request).now())
        return page


def _changes(conn: Connection, user: CurrentUser, cursor: str | None, limit: int) -> Response:
    if not cursor:  # absent or empty: a full snapshot
        metrics.SYNC_PAGES.labels("snapshot").inc()
        return snapshot_page(conn, user, None, None, limit)
    kind, seq, last_id = decode_cursor(cursor)
    head = log_head(conn)
    if seq > head:
        raise _resync("ahead_of_log")
    if seq < min_seq(conn):
        raise _resync("expired")
    if kind == "n":
        assert last_id is not None
        after_id, total = split_total(last_id)
        metrics.SYNC_PAGES.labels("snapshot").inc()
        return snapshot_page(conn, user, seq, after_id, limit, total)
    metrics.SYNC_PAGES.labels("incremental").inc()
    return incremental_page(conn, user, seq, head, limit)
