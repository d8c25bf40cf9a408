"""The on-call views: ``GET /api/v1/oncall/me`` (own day) and ``GET /api/v1/oncall/team`` (head).

``/me?day=YYYY-MM-DD`` (default: today in the department's zone): the day's windows with their
states, the next window, the last check-in, own leave that is current or ahead, and own open
recalls (so a restarted client restores its alerts).

``/team`` (a head, own department): per active officer the last check-in, today's windows
done / missed (and which), the connection state (an events long-poll open now, and when they
last asked for events), open recalls with their per-person state and
approved leave today. The connection state is shared by every worker through the database
(``presence.py``): at most one flush (a second) behind for polls held by another worker.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection, Engine

from onestop_server import db
from onestop_server.auth import CurrentUserDep
from onestop_server.deps import as_utc, get_clock, get_engine, iso
from onestop_server.errors import ApiError
from onestop_server.events import EventHub
from onestop_server.oncall_checkins import (
    LeaveOut,
    WindowRef,
    approved_leaves,
    checkin_dict,
    day_windows,
    leave_out,
    local_day_bounds,
    member,
    require_head,
)
from onestop_server.oncall_policy import Policy, calendar_of, load_policy, windows_for
from onestop_server.oncall_recalls import (
    RecallOut,
    load_recipients,
    recall_out,
    recall_query,
    recipient_dict,
)

router = APIRouter(tags=["oncall"])
_LOOKAHEAD_DAYS = 40


class WindowState(BaseModel):
    start: str | None
    end: str | None
    state: str = Field(description="done | missed | open | upcoming | suspended")
    checkin_id: int | None


class LastCheckin(BaseModel):
    id: int
    client_id: str
    client_time: str | None
    received_at: str | None
    effective_at: str | None
    status: str
    reason: str | None
    offline: bool


class MeOut(BaseModel):
    user_id: int
    department_id: str
    day: str
    time_zone: str
    policy_version: int
    windows: list[WindowState]
    missed: int
    next_window: WindowRef | None
    last_checkin: LastCheckin | None
    leaves: list[LeaveOut]
    open_recalls: list[RecallOut]


class Connection_(BaseModel):
    connected: bool
    open_polls: int
    last_seen_at: str | None


class MemberRecall(BaseModel):
    recall_id: int
    urgency: str
    message: str
    report_by: str | None
    created_at: str | None
    state: str
    delivered_at: str | None
    seen_at: str | None
    acknowledged_at: str | None
    arrival_at: str | None
    declined_at: str | None
    decline_reason: str | None
    renotify_count: int
    escalated_at: str | None


class MemberOut(BaseModel):
    user_id: int
    full_name: str
    title: str
    last_checkin: LastCheckin | None
    windows_total: int
    windows_done: int
    missed_today: int
    missed_windows: list[str]
    current_window: WindowState | None
    connection: Connection_
    open_recalls: list[MemberRecall]
    on_leave_now: bool
    leave_today: list[LeaveOut]


class TeamOut(BaseModel):
    department_id: str
    day: str
    time_zone: str
    policy_version: int
    generated_at: str | None
    members: list[MemberOut]


DayParam = Annotated[str | None, Query(min_length=10, max_length=10, description="YYYY-MM-DD")]


def _day(value: str | None, policy: Policy, conn: Connection, now: datetime) -> date:
    if value is None:
        return now.astimezone(calendar_of(conn, policy).tz).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(
            422, "request.invalid", "day must be YYYY-MM-DD.",
            {"errors": [{"loc": ["query", "day"], "msg": "bad date", "type": "date"}]},
        ) from None


def _last_checkins(conn: Connection, user_ids: list[int]) -> dict[int, LastCheckin]:
    c = db.checkins
    if not user_ids:
        return {}
    latest = (
        select(func.max(c.c.id)).where(c.c.user_id.in_(user_ids)).group_by(c.c.user_id)
    ).scalar_subquery()
    rows = conn.execute(select(c).where(c.c.id.in_(latest))).all()
    return {int(r.user_id): LastCheckin(**checkin_dict(r)) for r in rows}


def _next_window(
    conn: Connection, policy: Policy, day: date, windows: list[dict[str, Any]]
) -> WindowRef | None:
    for w in windows:
        if w["state"] in ("open", "upcoming"):
            return WindowRef(start=w["start"], end=w["end"])
    calendar = calendar_of(conn, policy)
    for n in range(1, _LOOKAHEAD_DAYS):
        found = windows_for(policy, calendar, day + timedelta(days=n))
        if found:
            return WindowRef(start=iso(found[0].start), end=iso(found[0].end))
    return None


@router.get("/api/v1/oncall/me", response_model=MeOut)
def oncall_me(
    request: Request,
    user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
    day: DayParam = None,
) -> MeOut:
    dept = member(user)
    now = get_clock(request).now()
    lv, r, rr = db.leaves, db.recalls, db.recall_recipients
    with engine.connect() as conn:
        policy = load_policy(conn, dept)
        the_day = _day(day, policy, conn, now)
        windows = day_windows(conn, policy, [user.id], the_day, now)[user.id]
        leaves = conn.execute(
            select(lv, db.users.c.full_name)
            .select_from(lv.join(db.users, db.users.c.id == lv.c.user_id))
            .where(and_(lv.c.user_id == user.id, lv.c.ends_at > now, lv.c.state != "rejected"))
            .order_by(lv.c.starts_at)
        ).all()
        open_recalls = conn.execute(
            recall_query()
            .where(and_(
                r.c.closed_at.is_(None),
                r.c.id.in_(select(rr.c.recall_id).where(rr.c.user_id == user.id)),
            ))
            .order_by(r.c.id)
        ).all()
        mine = load_recipients(conn, [int(x.id) for x in open_recalls], user.id)
        return MeOut(
            user_id=user.id,
            department_id=dept,
            day=the_day.isoformat(),
            time_zone=str(policy.data["time_zone"]),
            policy_version=policy.version,
            windows=[WindowState(**w) for w in windows],
            missed=sum(1 for w in windows if w["state"] == "missed"),
            next_window=_next_window(conn, policy, the_day, windows),
            last_checkin=_last_checkins(conn, [user.id]).get(user.id),
            leaves=[leave_out(x) for x in leaves],
            open_recalls=[recall_out(x, mine[int(x.id)]) for x in open_recalls],
        )


@router.get("/api/v1/oncall/team", response_model=TeamOut)
def oncall_team(
    request: Request,
    user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
    day: DayParam = None,
) -> TeamOut:
    dept = require_head(user)
    now = get_clock(request).now()
    hub: EventHub | None = getattr(request.app.state, "events", None)
    u, r = db.users, db.recalls
    with engine.connect() as conn:
        policy = load_policy(conn, dept)
        the_day = _day(day, policy, conn, now)
        staff = conn.execute(
            select(u.c.id, u.c.full_name, u.c.title)
            .where(and_(u.c.department_id == dept, u.c.role == "officer", u.c.disabled_at.is_(None)))
            .order_by(u.c.full_name, u.c.id)
        ).all()
        ids = [int(s.id) for s in staff]
        windows = day_windows(conn, policy, ids, the_day, now)
        last = _last_checkins(conn, ids)
        calendar = calendar_of(conn, policy)
        plain = windows_for(policy, calendar, the_day)
        lo, hi = local_day_bounds(calendar.tz, the_day)
        leaves = approved_leaves(conn, ids, lo, hi)
        names = {int(s.id): s.full_name for s in staff}
        open_recalls = conn.execute(
            select(r).where(and_(r.c.department_id == dept, r.c.closed_at.is_(None))).order_by(r.c.id)
        ).all()
        recipients = load_recipients(conn, [int(x.id) for x in open_recalls])
        per_user: dict[int, list[MemberRecall]] = {i: [] for i in ids}
        for recall in open_recalls:
            for row in recipients[int(recall.id)]:
                if int(row.user_id) in per_user:
                    d = recipient_dict(row)
                    d.pop("user_id")
                    d.pop("full_name")
                    per_user[int(row.user_id)].append(MemberRecall(
                        recall_id=int(recall.id), urgency=recall.urgency, message=recall.message,
                        report_by=iso(recall.report_by), created_at=iso(recall.created_at), **d,
                    ))
        presences = hub.presence_of(conn, ids) if hub is not None else {}
        members: list[MemberOut] = []
        for s in staff:
            uid = int(s.id)
            ws = windows[uid]
            presence = presences.get(uid)
            current = next(
                (ws[i] for i, w in enumerate(plain) if w.contains(now) and i < len(ws)), None
            )
            on_leave = any(
                (as_utc(x.starts_at) or now) <= now < (as_utc(x.ends_at) or now) for x in leaves[uid]
            )
            members.append(MemberOut(
                user_id=uid, full_name=names[uid], title=s.title or "",
                last_checkin=last.get(uid),
                windows_total=len(ws),
                windows_done=sum(1 for w in ws if w["state"] == "done"),
                missed_today=sum(1 for w in ws if w["state"] == "missed"),
                missed_windows=[w["start"] for w in ws if w["state"] == "missed"],
                current_window=None if current is None else WindowState(**current),
                connection=Connection_(
                    connected=bool(presence and presence.connected),
                    open_polls=presence.open_polls if presence else 0,
                    last_seen_at=iso(presence.last_seen_at) if presence else None,
                ),
                open_recalls=per_user[uid],
                on_leave_now=on_leave,
                leave_today=[leave_out(x, names[uid]) for x in leaves[uid]],
            ))
        return TeamOut(
            department_id=dept, day=the_day.isoformat(), time_zone=str(policy.data["time_zone"]),
            policy_version=policy.version, generated_at=iso(now), members=members,
        )

