"""Check-ins and leave.

``POST /api/v1/oncall/checkins`` ``{client_id, client_time?, status, reason?, offline}``:
idempotent by ``client_id`` per user (the same request again answers the same, one row; the
same id with another request is 422 ``checkin.client_id_reused``). The server stamps
``received_at``. A check-in counts at ``effective_at``: the client's time when it was made
offline and that time is plausible (not after receipt + 2 minutes of clock skew, not more than
24 hours before receipt), else the time of receipt. ``status`` is ``working``, ``meeting`` or
``away`` (``away`` needs a ``reason``). Nothing but these fields is recorded.

Windows (``oncall_policy.windows_for``) get a state for a user and a local day
(``day_windows``): ``done`` (a check-in counts inside it), ``suspended`` (approved leave covers
its start), ``missed`` (closed without a check-in), ``open`` or ``upcoming``, all computed by the
server in the department's time zone.

Leave: ``POST /api/v1/oncall/leave`` ``{client_id?, starts_at, ends_at, reason}`` (state
``requested``, event ``leave`` to the heads), ``GET /api/v1/oncall/leave`` (own, or the
department's for a head), ``POST /api/v1/oncall/leave/{id}/approve|reject`` (the head; event
``leave`` to the requester). Deciding again the same way is a no-op; the other way is 409
``leave.already_decided``. Approved leave suspends windows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Connection, Engine, Row

from onestop_server import db, events
from onestop_server.auth import CurrentUser, CurrentUserDep
from onestop_server.deps import as_utc, get_clock, get_engine, iso
from onestop_server.errors import ApiError
from onestop_server.oncall_policy import Policy, calendar_of, load_policy, windows_for
from wfh_client.domain.oncall import Window
from wfh_client.domain.timefmt import parse_instant

router = APIRouter(tags=["oncall"])

MAX_ID = 2**31 - 1
CLIENT_ID = r"^[A-Za-z0-9._:-]{8,128}$"
MAX_SKEW = timedelta(minutes=2)
MAX_OFFLINE_AGE = timedelta(hours=24)
MAX_LEAVE = timedelta(days=366)
ClientId = Annotated[str, Field(pattern=CLIENT_ID, description="client-generated, 8-128 chars")]


def bad_time(field: str) -> ApiError:
    return ApiError(
        422, "request.invalid", f"{field} must be an ISO 8601 date-time with a zone.",
        {"errors": [{"loc": ["body", field], "msg": "bad date-time", "type": "datetime"}]},
    )


def parse_time(value: str, field: str) -> datetime:
    try:
        parsed = parse_instant(value)
        return parsed.astimezone(UTC)
    except (ValueError, TypeError, OverflowError):
        raise bad_time(field) from None


def member(user: CurrentUser) -> str:
    """The caller's department; officers and heads only."""
    if user.role not in ("officer", "head") or user.department_id is None:
        raise ApiError(403, "auth.forbidden", "Only department staff are on call.")
    return user.department_id


def require_head(user: CurrentUser) -> str:
    if user.role != "head" or user.department_id is None:
        raise ApiError(403, "auth.forbidden", "Only a department head may do this.")
    return user.department_id


# ---- check-ins --------------------------------------------------------------------------------


class CheckinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    client_id: ClientId
    client_time: str | None = Field(default=None, max_length=64)
    status: Literal["working", "meeting", "away"]
    reason: str | None = Field(default=None, max_length=500)
    offline: bool = False


class WindowRef(BaseModel):
    start: str | None
    end: str | None


class CheckinOut(BaseModel):
    id: int
    client_id: str
    client_time: str | None
    received_at: str | None
    effective_at: str | None
    status: str
    reason: str | None
    offline: bool
    window: WindowRef | None


def checkin_dict(row: Row[Any]) -> dict[str, Any]:
    return {
        "id": int(row.id), "client_id": row.client_id, "client_time": iso(row.client_time),
        "received_at": iso(row.received_at), "effective_at": iso(row.effective_at),
        "status": row.status, "reason": row.reason, "offline": bool(row.offline),
    }


def window_of(conn: Connection, policy: Policy, at: datetime) -> Window | None:
    calendar = calendar_of(conn, policy)
    local = at.astimezone(calendar.tz)
    for w in windows_for(policy, calendar, local.date()):
        if w.contains(local):
            return w
    return None


def _checkin_out(conn: Connection, row: Row[Any], policy: Policy) -> CheckinOut:
    effective = as_utc(row.effective_at)
    assert effective is not None
    w = window_of(conn, policy, effective)
    return CheckinOut(
        **checkin_dict(row),
        window=None if w is None else WindowRef(start=iso(w.start), end=iso(w.end)),
    )


@router.post(
    "/api/v1/oncall/checkins",
    response_model=CheckinOut,
    responses={422: {"description": "request.invalid / checkin.reason_required / checkin.client_id_reused"}},
)
def post_checkin(
    body: CheckinIn,
    request: Request,
    user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
) -> CheckinOut:
    dept = member(user)
    client_time = None if body.client_time is None else parse_time(body.client_time, "client_time")
    reason = (body.reason or "").strip() or None
    if body.status == "away" and reason is None:
        raise ApiError(422, "checkin.reason_required", "Say why you are away.")
    now = get_clock(request).now()
    c = db.checkins
    with db.write_transaction(engine) as conn:
        existing = conn.execute(
            select(c).where(and_(c.c.user_id == user.id, c.c.client_id == body.client_id))
        ).one_or_none()
        if existing is None:
            effective = now
            if (
                body.offline
                and client_time is not None
                and now - MAX_OFFLINE_AGE <= client_time <= now + MAX_SKEW
            ):
                effective = min(client_time, now)
            new_id = conn.execute(
                insert(c)
                .values(
                    user_id=user.id, department_id=dept, client_id=body.client_id,
                    client_time=client_time, received_at=now, effective_at=effective,
                    status=body.status, reason=reason, offline=body.offline,
                )
                .returning(c.c.id)
            ).scalar_one()
            existing = conn.execute(select(c).where(c.c.id == new_id)).one()
        elif (
            existing.status != body.status
            or (existing.reason or None) != reason
            or bool(existing.offline) != body.offline
            or as_utc(existing.client_time) != client_time
        ):
            raise ApiError(
                422, "checkin.client_id_reused",
                "This client_id was already used for another check-in.",
            )
        return _checkin_out(conn, existing, load_policy(conn, str(existing.department_id)))


# ---- windows of a day -------------------------------------------------------------------------


def local_day_bounds(tz: Any, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def approved_leaves(
    conn: Connection, user_ids: list[int], lo: datetime, hi: datetime
) -> dict[int, list[Row[Any]]]:
    """Approved leave overlapping [lo, hi) per user."""
    lv = db.leaves
    out: dict[int, list[Row[Any]]] = {u: [] for u in user_ids}
    if not user_ids:
        return out
    rows = conn.execute(
        select(lv).where(
            and_(
                lv.c.user_id.in_(user_ids), lv.c.state == "approved",
                lv.c.starts_at < hi, lv.c.ends_at > lo,
            )
        ).order_by(lv.c.starts_at)
    ).all()
    for r in rows:
        out[int(r.user_id)].append(r)
    return out


def checkins_between(
    conn: Connection, user_ids: list[int], lo: datetime, hi: datetime
) -> dict[int, list[Row[Any]]]:
    c = db.checkins
    out: dict[int, list[Row[Any]]] = {u: [] for u in user_ids}
    if not user_ids:
        return out
    rows = conn.execute(
        select(c).where(
            and_(c.c.user_id.in_(user_ids), c.c.effective_at >= lo, c.c.effective_at < hi)
        ).order_by(c.c.effective_at, c.c.id)
    ).all()
    for r in rows:
        out[int(r.user_id)].append(r)
    return out


def window_states(
    windows: list[Window], checkins: list[Row[Any]], leaves: list[Row[Any]], now: datetime
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for w in windows:
        done = next(
            (c for c in checkins if w.contains((as_utc(c.effective_at) or now).astimezone(w.start.tzinfo))),
            None,
        )
        on_leave = any(
            (as_utc(lv.starts_at) or now) <= w.start < (as_utc(lv.ends_at) or now) for lv in leaves
        )
        if done is not None:
            state = "done"
        elif on_leave:
            state = "suspended"
        elif now > w.end:
            state = "missed"
        elif now >= w.start:
            state = "open"
        else:
            state = "upcoming"
        out.append({
            "start": iso(w.start), "end": iso(w.end), "state": state,
            "checkin_id": None if done is None else int(done.id),
        })
    return out


def day_windows(
    conn: Connection, policy: Policy, user_ids: list[int], day: date, now: datetime
) -> dict[int, list[dict[str, Any]]]:
    """Window states per user for a local ``day`` of the policy's department."""
    calendar = calendar_of(conn, policy)
    windows = windows_for(policy, calendar, day)
    lo, hi = local_day_bounds(calendar.tz, day)
    cks = checkins_between(conn, user_ids, lo, hi)
    lvs = approved_leaves(conn, user_ids, lo, hi)
    return {u: window_states(windows, cks[u], lvs[u], now) for u in user_ids}


# ---- leave ------------------------------------------------------------------------------------


class LeaveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    client_id: ClientId | None = None
    starts_at: str = Field(max_length=64)
    ends_at: str = Field(max_length=64)
    reason: str = Field(min_length=1, max_length=500)


class LeaveOut(BaseModel):
    id: int
    user_id: int
    full_name: str
    starts_at: str | None
    ends_at: str | None
    reason: str
    state: str
    requested_at: str | None
    decided_at: str | None
    decided_by: int | None


class LeaveList(BaseModel):
    leaves: list[LeaveOut]


def _leave_query() -> Any:
    lv, u = db.leaves, db.users
    return select(lv, u.c.full_name).select_from(lv.join(u, u.c.id == lv.c.user_id))


def leave_out(row: Row[Any], full_name: str | None = None) -> LeaveOut:
    return LeaveOut(
        id=int(row.id), user_id=int(row.user_id),
        full_name=row.full_name if full_name is None else full_name,
        starts_at=iso(row.starts_at), ends_at=iso(row.ends_at), reason=row.reason,
        state=row.state, requested_at=iso(row.requested_at), decided_at=iso(row.decided_at),
        decided_by=row.decided_by,
    )


def _load_leave(conn: Connection, leave_id: int) -> Row[Any] | None:
    return conn.execute(_leave_query().where(db.leaves.c.id == leave_id)).one_or_none()


@router.post("/api/v1/oncall/leave", response_model=LeaveOut)
def request_leave(
    body: LeaveIn,
    request: Request,
    user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
) -> LeaveOut:
    dept = member(user)
    starts = parse_time(body.starts_at, "starts_at")
    ends = parse_time(body.ends_at, "ends_at")
    reason = body.reason.strip()
    if not reason:
        raise ApiError(422, "leave.invalid", "Give a reason.", {"reason": "reason_required"})
    if ends <= starts or ends - starts > MAX_LEAVE:
        raise ApiError(
            422, "leave.invalid", "Leave must end after it starts and last at most a year.",
            {"reason": "bad_range"},
        )
    now = get_clock(request).now()
    lv = db.leaves
    with db.write_transaction(engine) as conn:
        if body.client_id is not None:
            found = conn.execute(
                _leave_query().where(and_(lv.c.user_id == user.id, lv.c.client_id == body.client_id))
            ).one_or_none()
            if found is not None:
                if (as_utc(found.starts_at), as_utc(found.ends_at), found.reason) != (starts, ends, reason):
                    raise ApiError(
                        422, "leave.client_id_reused",
                        "This client_id was already used for another leave request.",
                    )
                return leave_out(found)
        new_id = int(conn.execute(
            insert(lv).values(
                user_id=user.id, department_id=dept, client_id=body.client_id, starts_at=starts,
                ends_at=ends, reason=reason, state="requested", requested_at=now,
            ).returning(lv.c.id)
        ).scalar_one())
        row = _load_leave(conn, new_id)
        assert row is not None
        out = leave_out(row)
        events.emit(
            conn, events.LEAVE, out.model_dump(mode="json"), at=now, department_id=dept,
            role="head",
        )
    events.poke(request.app.state)
    return out


@router.get("/api/v1/oncall/leave", response_model=LeaveList)
def list_leave(
    user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
    state: Annotated[Literal["requested", "approved", "rejected"] | None, Query()] = None,
) -> LeaveList:
    dept = member(user)
    lv = db.leaves
    query = _leave_query().order_by(lv.c.starts_at, lv.c.id)
    if user.role == "head":
        query = query.where(lv.c.department_id == dept)
    else:
        query = query.where(lv.c.user_id == user.id)
    if state is not None:
        query = query.where(lv.c.state == state)
    with engine.connect() as conn:
        return LeaveList(leaves=[leave_out(r) for r in conn.execute(query.limit(1000))])


def _decide(
    request: Request, user: CurrentUser, engine: Engine, leave_id: int, decision: str
) -> LeaveOut:
    dept = require_head(user)
    now = get_clock(request).now()
    lv = db.leaves
    with db.write_transaction(engine) as conn:
        row = _load_leave(conn, leave_id)
        if row is None or row.department_id != dept:
            raise ApiError(404, "leave.not_found", "Unknown leave request.")
        if row.state == decision:
            return leave_out(row)
        if row.state != "requested":
            raise ApiError(
                409, "leave.already_decided", "This leave request was already decided.",
                {"state": row.state},
            )
        conn.execute(
            update(lv).where(lv.c.id == leave_id).values(state=decision, decided_at=now, decided_by=user.id)
        )
        fresh = _load_leave(conn, leave_id)
        assert fresh is not None
        out = leave_out(fresh)
        payload = out.model_dump(mode="json")
        events.emit(conn, events.LEAVE, payload, at=now, user_id=int(row.user_id))
        events.emit(conn, events.LEAVE, payload, at=now, department_id=dept, role="head")
    events.poke(request.app.state)
    return out


LeaveId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("/api/v1/oncall/leave/{leave_id}/approve", response_model=LeaveOut)
def approve_leave(
    leave_id: LeaveId, request: Request, user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
) -> LeaveOut:
    return _decide(request, user, engine, leave_id, "approved")


@router.post("/api/v1/oncall/leave/{leave_id}/reject", response_model=LeaveOut)
def reject_leave(
    leave_id: LeaveId, request: Request, user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
) -> LeaveOut:
    return _decide(request, user, engine, leave_id, "rejected")
