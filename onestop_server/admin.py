"""Admin endpoints: list devices, revoke a device (and its tokens), disable an account, read
the security audit log.

The client wipes itself when it next meets ``auth.device_revoked`` / ``auth.account_disabled``.
``GET /api/v1/admin/devices?user_id=&order=last_seen`` lists the least recently seen first: the
candidates to revoke when an account reaches the device cap (``login_guard``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine, Row

from onestop_server import audit, db, events
from onestop_server.auth import CurrentUser, require_role, revoke_device_tokens
from onestop_server.deps import get_clock, get_engine, iso
from onestop_server.errors import ApiError

router = APIRouter(tags=["admin"])

MAX_ID = 2**31 - 1
AdminDep = Annotated[CurrentUser, Depends(require_role("admin"))]


class DeviceOut(BaseModel):
    id: int
    device_id: str
    user_id: int
    name: str
    created_at: str | None
    last_seen_at: str | None
    revoked_at: str | None


class DeviceList(BaseModel):
    devices: list[DeviceOut]


class DisabledOut(BaseModel):
    id: int
    disabled_at: str | None


def _device_out(row: Row[Any]) -> DeviceOut:
    return DeviceOut(
        id=row.id,
        device_id=row.device_id,
        user_id=row.user_id,
        name=row.name or "",
        created_at=iso(row.created_at),
        last_seen_at=iso(row.last_seen_at),
        revoked_at=iso(row.revoked_at),
    )


@router.get("/api/v1/admin/devices", response_model=DeviceList)
def list_devices(
    _admin: AdminDep,
    engine: Annotated[Engine, Depends(get_engine)],
    user_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    order: Annotated[Literal["id", "last_seen"], Query(
        description="id (registration order) or last_seen (least recently seen first)")] = "id",
) -> DeviceList:
    d = db.devices
    query = select(d).order_by(
        d.c.id if order == "id" else func.coalesce(d.c.last_seen_at, d.c.created_at), d.c.id)
    if user_id is not None:
        query = query.where(db.devices.c.user_id == user_id)
    with engine.connect() as conn:
        return DeviceList(devices=[_device_out(r) for r in conn.execute(query)])


@router.post("/api/v1/admin/devices/{device_pk}/revoke", response_model=DeviceOut)
def revoke_device(
    _admin: AdminDep,
    device_pk: Annotated[int, Path(ge=1, le=MAX_ID)],
    request: Request,
    engine: Annotated[Engine, Depends(get_engine)],
) -> DeviceOut:
    now = get_clock(request).now()
    d = db.devices
    with db.write_transaction(engine) as conn:
        row = conn.execute(select(d).where(d.c.id == device_pk)).one_or_none()
        if row is None:
            raise ApiError(404, "not_found", "Unknown device.")
        if row.revoked_at is None:
            conn.execute(update(d).where(d.c.id == device_pk).values(revoked_at=now))
            events.emit(
                conn, events.REVOCATION,
                {"reason": "device_revoked", "user_id": row.user_id, "device_id": row.device_id,
                 "device_pk": device_pk},
                at=now, user_id=int(row.user_id),
            )
        revoke_device_tokens(conn, device_pk, now)
        out = _device_out(conn.execute(select(d).where(d.c.id == device_pk)).one())
    events.poke(request.app.state)
    return out


@router.post("/api/v1/admin/users/{user_id}/disable", response_model=DisabledOut)
def disable_user(
    admin_user: AdminDep,
    user_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    request: Request,
    engine: Annotated[Engine, Depends(get_engine)],
) -> DisabledOut:
    now = get_clock(request).now()
    u = db.users
    if user_id == admin_user.id:
        raise ApiError(422, "request.invalid", "An administrator cannot disable their own account.")
    with db.write_transaction(engine) as conn:
        row = conn.execute(select(u.c.id, u.c.disabled_at).where(u.c.id == user_id)).one_or_none()
        if row is None:
            raise ApiError(404, "not_found", "Unknown user.")
        if row.disabled_at is None:
            conn.execute(update(u).where(u.c.id == user_id).values(disabled_at=now))
            events.emit(
                conn, events.REVOCATION,
                {"reason": "account_disabled", "user_id": user_id, "device_id": None,
                 "device_pk": None},
                at=now, user_id=user_id,
            )
        for device_pk in conn.execute(select(db.devices.c.id).where(db.devices.c.user_id == user_id)).scalars():
            revoke_device_tokens(conn, device_pk, now)
        disabled_at = conn.execute(select(u.c.disabled_at).where(u.c.id == user_id)).scalar_one()
    events.poke(request.app.state)
    return DisabledOut(id=user_id, disabled_at=iso(disabled_at))


@router.get("/api/v1/admin/audit", response_model=audit.AuditPage)
def list_audit(
    _admin: AdminDep,
    engine: Annotated[Engine, Depends(get_engine)],
    user_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    username: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    event: Annotated[str | None, Query(max_length=32, description=", ".join(audit.EVENTS))] = None,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_LIMIT)] = 100,
) -> audit.AuditPage:
    """The security audit log, newest first; ``next_before_id`` pages to older entries."""
    with engine.connect() as conn:
        return audit.entries(conn, user_id=user_id, username=username, event=event,
                             before_id=before_id, limit=limit)
