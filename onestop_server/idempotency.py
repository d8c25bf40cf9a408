"""Idempotency keys: one stored answer per (user, key), replayed for the same request.

The fingerprint is SHA-256 over method, path and a canonical form of the body, so the same key
with another request is told apart (422 ``idempotency.key_reused``). The answer is stored in
the same transaction as the effect, so a replay never repeats the effect.

:func:`run_keyed` is the one way a keyed write runs (actions and document uploads):

1. **scope first**: the caller's ``guard`` runs before any lookup, so a stored answer (which
   may hold the dossier) is never replayed to someone who has since lost access to it;
2. the stored answer, if any, is replayed (for ``ttl``; after that the row is a tombstone that
   answers 410 ``idempotency.expired`` and the request is *not* repeated: one effect, always);
3. otherwise the effect and its answer are written in one transaction; when a concurrent
   request with the same key commits first (a unique-key violation: PostgreSQL's read
   committed lets both miss the lookup), the transaction is retried once and replays that
   answer: concurrent identical requests get one answer, never a 500.

:func:`purge_expired` turns answers older than ``ttl`` into tombstones (their bodies can be
large: a whole dossier); the app runs it at start and hourly.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import Response
from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from onestop_server import db
from onestop_server.clock import Clock
from onestop_server.deps import as_utc
from onestop_server.errors import ApiError

KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
HEADER = "Idempotency-Key"
DEFAULT_TTL = timedelta(days=30)
EXPIRED_STATUS = 410
EXPIRED_BODY = json.dumps({
    "code": "idempotency.expired",
    "message": "The answer stored for this Idempotency-Key has expired; the request was not "
               "repeated. Check the dossier's current state.",
    "details": {},
}, separators=(",", ":")).encode()


def require_key(
    request: Request,
    _declared: Annotated[
        str | None,
        Header(
            alias=HEADER,
            description="8-128 characters of [A-Za-z0-9._:-]; the outbox entry's client id.",
            json_schema_extra={"pattern": KEY_PATTERN.pattern},
        ),
    ] = None,
) -> str:
    """The validated Idempotency-Key (a dependency; also declares the header in OpenAPI)."""
    values = request.headers.getlist(HEADER)
    if not values:
        raise ApiError(400, "idempotency.key_required", "The Idempotency-Key header is required.")
    if len(values) != 1 or not KEY_PATTERN.fullmatch(values[0]):
        raise ApiError(
            400,
            "idempotency.key_invalid",
            "The Idempotency-Key must be 8-128 characters of [A-Za-z0-9._:-].",
        )
    return values[0]


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def fingerprint(method: str, path: str, body: bytes) -> str:
    h = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    body: bytes

    def response(self) -> Response:
        return Response(content=self.body, status_code=self.status_code, media_type="application/json")


def lookup(
    conn: Connection, user_id: int, key: str, fp: str, now: datetime | None = None,
    ttl: timedelta = DEFAULT_TTL,
) -> StoredAnswer | None:
    """The stored answer for this key, ``None`` if unused; key_reused for another request;
    the ``idempotency.expired`` tombstone once the answer is older than ``ttl``."""
    i = db.idempotency
    row = conn.execute(
        select(i.c.fingerprint, i.c.status_code, i.c.body, i.c.created_at).where(
            and_(i.c.user_id == user_id, i.c.key == key)
        )
    ).one_or_none()
    if row is None:
        return None
    if row.fingerprint != fp:
        raise ApiError(
            422, "idempotency.key_reused", "This Idempotency-Key was already used for another request."
        )
    created = as_utc(row.created_at)
    if now is not None and created is not None and now - created >= ttl:
        return StoredAnswer(EXPIRED_STATUS, EXPIRED_BODY)
    return StoredAnswer(int(row.status_code), bytes(row.body))


def store(
    conn: Connection, user_id: int, key: str, fp: str, status_code: int, content: Any, now: datetime
) -> Response:
    """Store the answer and return it as a response (the same bytes a replay will send)."""
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    conn.execute(
        insert(db.idempotency).values(
            user_id=user_id, key=key, fingerprint=fp, status_code=status_code, body=body, created_at=now
        )
    )
    return StoredAnswer(status_code, body).response()


Guard = Callable[[Connection], None]
Effect = Callable[[Connection, datetime], tuple[int, Any]]


def run_keyed(
    engine: Engine, clock: Clock, *, user_id: int, key: str, fp: str, guard: Guard,
    effect: Effect, ttl: timedelta = DEFAULT_TTL,
) -> Response:
    """Run a keyed write once (see the module docstring): ``guard(conn)`` raises ``ApiError``
    when the caller may not touch the resource; ``effect(conn, now)`` returns ``(status,
    content)`` to store and send."""
    for attempt in range(2):
        try:
            with db.write_transaction(engine) as conn:
                guard(conn)
                now = clock.now()
                stored = lookup(conn, user_id, key, fp, now, ttl)
                if stored is not None:
                    return stored.response()
                status, content = effect(conn, now)
                return store(conn, user_id, key, fp, status, content, now)
        except IntegrityError:  # a concurrent request stored the same key first: replay it
            if attempt:
                raise
    raise AssertionError("unreachable")


def purge_expired(engine: Engine, now: datetime, ttl: timedelta = DEFAULT_TTL) -> int:
    """Replace answers older than ``ttl`` by the expired tombstone; returns how many."""
    i = db.idempotency
    with db.write_transaction(engine) as conn:
        return int(conn.execute(
            update(i)
            .where(and_(i.c.created_at <= now - ttl, i.c.status_code != EXPIRED_STATUS))
            .values(status_code=EXPIRED_STATUS, body=EXPIRED_BODY)
        ).rowcount or 0)


IdempotencyKey = Annotated[str, Depends(require_key)]
