"""The security audit log: who signed in, who failed and why, which devices were registered.

Events (``event`` column; ``details`` is a small JSON object, never a password or a token):

=============================== =============================================================
``login.success``               a login issued tokens
``login.failure``               ``details.reason``: ``bad_password``, ``unknown_user``,
                                ``account_disabled``, ``device_revoked``
``login.blocked``               failures reached the throttling threshold: ``details.scope``
                                (``account`` / ``address``), ``failures``, ``until``
``device.registered``           a login from a new device (``details.name``)
``device.limit_reached``        a new device was refused: ``details.limit``, ``active`` and
                                ``oldest`` (the least recently seen device, for the admin)
=============================== =============================================================

Rows are written by :func:`record` inside the caller's transaction. Admins read them with
``GET /api/v1/admin/audit?user_id=&username=&event=&before_id=&limit=`` (``admin.py``; newest
first, paged by ``before_id``) or ``onestop-server audit --db PATH``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import and_, insert, select
from sqlalchemy.engine import Connection

from onestop_server import db
from onestop_server.deps import iso

LOGIN_SUCCESS = "login.success"
LOGIN_FAILURE = "login.failure"
LOGIN_BLOCKED = "login.blocked"
DEVICE_REGISTERED = "device.registered"
DEVICE_LIMIT = "device.limit_reached"
EVENTS = (LOGIN_SUCCESS, LOGIN_FAILURE, LOGIN_BLOCKED, DEVICE_REGISTERED, DEVICE_LIMIT)
MAX_ID = 2**31 - 1
MAX_LIMIT = 500


def record(
    conn: Connection, event: str, *, at: datetime, username: str | None = None,
    user_id: int | None = None, device_pk: int | None = None, address: str | None = None,
    **details: Any,
) -> None:
    """Append one audit row in the caller's transaction."""
    conn.execute(insert(db.auth_audit).values(
        at=at, event=event, username=username, user_id=user_id, device_pk=device_pk,
        address=address, details=details,
    ))


class AuditEntry(BaseModel):
    id: int
    at: str | None
    event: str
    username: str | None
    user_id: int | None
    device_pk: int | None
    address: str | None
    details: dict[str, Any]


class AuditPage(BaseModel):
    entries: list[AuditEntry]
    next_before_id: int | None


def entries(
    conn: Connection, *, user_id: int | None = None, username: str | None = None,
    event: str | None = None, before_id: int | None = None, limit: int = 100,
) -> AuditPage:
    """Newest first; ``next_before_id`` continues with older rows (``None``: no more)."""
    a = db.auth_audit
    query = select(a).order_by(a.c.id.desc()).limit(limit + 1)
    conditions = []
    if user_id is not None:
        conditions.append(a.c.user_id == user_id)
    if username is not None:
        conditions.append(a.c.username == username)
    if event is not None:
        conditions.append(a.c.event == event)
    if before_id is not None:
        conditions.append(a.c.id < before_id)
    if conditions:
        query = query.where(and_(*conditions))
    rows = conn.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    out = [
        AuditEntry(id=r.id, at=iso(r.at), event=r.event, username=r.username, user_id=r.user_id,
                   device_pk=r.device_pk, address=r.address,
                   details=r.details if isinstance(r.details, dict) else {})
        for r in rows
    ]
    return AuditPage(entries=out, next_before_id=rows[-1].id if more and rows else None)
