"""Idempotency keys: one stored answer per (user, key), replayed for the same request.

The fingerprint is SHA-256 over method, path and a canonical form of the body, so the same key
with another request is told apart (422 ``idempotency.key_reused``). The answer is stored in
the same transaction as the effect, so a replay never repeats the effect.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import Response
from sqlalchemy import and_, insert, select
from sqlalchemy.engine import Connection

from onestop_server import db
from onestop_server.errors import ApiError

KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
HEADER = "Idempotency-Key"


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


def lookup(conn: Connection, user_id: int, key: str, fp: str) -> StoredAnswer | None:
    """The stored answer for this key, ``None`` if unused; key_reused for another request."""
    i = db.idempotency
    row = conn.execute(
        select(i.c.fingerprint, i.c.status_code, i.c.body).where(
            and_(i.c.user_id == user_id, i.c.key == key)
        )
    ).one_or_none()
    if row is None:
        return None
    if row.fingerprint != fp:
        raise ApiError(
            422, "idempotency.key_reused", "This Idempotency-Key was already used for another request."
        )
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


IdempotencyKey = Annotated[str, Depends(require_key)]
