"""``GET /api/v1/team/load``: each officer's current load, for the head's assignment dialog.

-> ``{department_id, generated_at, thresholds: {now, end_of_today, one_day, two_days,
three_days}, unassigned, officers: [{user_id, full_name, title, open, due_today, due_3_days,
overdue, on_leave_now, checked_in_recently, last_checkin_at}]}``.

Counts follow ``wfh_client.domain.deadlines`` (the client's offline board uses the same
definitions): ``open`` = assigned dossiers in status 2/4/5/6; ``overdue`` / ``due_today`` /
``due_3_days`` only for dossiers whose clock runs (not status 5), with the working calendar of
the deadlines (``workcal``); ``due_3_days`` includes ``due_today``. ``unassigned``: open dossiers
with no officer (or still at step ``unassigned`` / status 2).

``on_leave_now``: approved leave covers now. ``checked_in_recently``: the last check-in counts
at or after the start of the last check-in window that has closed (or of the one open now, if
none closed yet in the last two weeks): the officer answered the current or the last window.
``last_checkin_at``: the latest ``effective_at``.

Who: a head (own department), an admin naming ``department_id``; officers 403 ``auth.forbidden``.
One grouped query for the counts, one for the last check-ins, one for leave.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.engine import Connection, Engine

from onestop_server import db
from onestop_server.auth import CurrentUserDep
from onestop_server.deps import as_utc, get_clock, get_engine, iso
from onestop_server.oncall_checkins import approved_leaves
from onestop_server.oncall_policy import Policy, calendar_of, load_policy, windows_for
from onestop_server.reports import DepartmentParam, officers, report_department
from onestop_server.workcal import load_calendar
from wfh_client.domain.deadlines import CLOCK_RUNNING_STATUSES, OPEN_STATUSES, thresholds
from wfh_client.domain.statuses import Status, Step

router = APIRouter(tags=["reports"])
_LOOKBACK_DAYS = 14


class ThresholdsOut(BaseModel):
    now: str
    end_of_today: str
    one_day: str
    two_days: str
    three_days: str


class OfficerLoadOut(BaseModel):
    user_id: int
    full_name: str
    title: str
    open: int
    due_today: int
    due_3_days: int
    overdue: int
    on_leave_now: bool
    checked_in_recently: bool
    last_checkin_at: str | None


class TeamLoadOut(BaseModel):
    department_id: str
    generated_at: str | None
    thresholds: ThresholdsOut
    unassigned: int
    officers: list[OfficerLoadOut]


def unassigned_clause() -> Any:
    """Open dossiers no officer holds (the department's queue)."""
    d = db.dossiers
    return and_(
        d.c.status.in_([int(s) for s in OPEN_STATUSES]),
        or_(d.c.assignee_id.is_(None), d.c.status == int(Status.ACCEPTED),
            d.c.step == Step.UNASSIGNED.value),
    )


def recent_window_start(conn: Connection, policy: Policy, now: datetime) -> datetime | None:
    """Start of the last closed check-in window (or of the open one if none closed lately)."""
    calendar = calendar_of(conn, policy)
    today = now.astimezone(calendar.tz).date()
    current: datetime | None = None
    for back in range(_LOOKBACK_DAYS + 1):
        windows = windows_for(policy, calendar, today - timedelta(days=back))
        closed = [w for w in windows if w.end < now]
        if closed:
            return closed[-1].start
        if back == 0:
            current = next((w.start for w in windows if w.start <= now), None)
    return current


def load_rows(conn: Connection, dept: str, now: datetime) -> dict[str, Any]:
    d, c, u = db.dossiers, db.checkins, db.users
    t = thresholds(load_calendar(conn), now)
    running = d.c.status.in_([int(s) for s in CLOCK_RUNNING_STATUSES])

    def count_if(cond: Any) -> Any:
        return func.sum(case((and_(running, cond), 1), else_=0))

    grouped = conn.execute(
        select(
            d.c.assignee_id, func.count().label("open"),
            count_if(d.c.due_at < t.now).label("overdue"),
            count_if(and_(d.c.due_at >= t.now, d.c.due_at < t.end_of_today)).label("due_today"),
            count_if(and_(d.c.due_at >= t.now, d.c.due_at <= t.three_days)).label("due_3_days"),
        )
        .where(and_(
            d.c.department_id == dept, d.c.assignee_id.is_not(None),
            d.c.status.in_([int(s) for s in OPEN_STATUSES]),
        ))
        .group_by(d.c.assignee_id)
    ).all()
    by_user = {int(r.assignee_id): r for r in grouped}
    unassigned = conn.execute(
        select(func.count()).select_from(d).where(and_(d.c.department_id == dept, unassigned_clause()))
    ).scalar_one()
    staff = officers(conn, dept)
    ids = [uid for uid, _ in staff]
    titles = {int(r.id): str(r.title or "") for r in conn.execute(
        select(u.c.id, u.c.title).where(u.c.id.in_(ids)))} if ids else {}
    last = {int(r.user_id): as_utc(r.last) for r in conn.execute(
        select(c.c.user_id, func.max(c.c.effective_at).label("last"))
        .where(c.c.user_id.in_(ids)).group_by(c.c.user_id))} if ids else {}
    leaves = approved_leaves(conn, ids, now, now + timedelta(microseconds=1))
    since = recent_window_start(conn, load_policy(conn, dept), now)
    rows: list[dict[str, Any]] = []
    for uid, name in staff:
        g = by_user.get(uid)
        seen = last.get(uid)
        rows.append({
            "user_id": uid, "full_name": name, "title": titles.get(uid, ""),
            "open": int(g.open) if g else 0,
            "due_today": int(g.due_today or 0) if g else 0,
            "due_3_days": int(g.due_3_days or 0) if g else 0,
            "overdue": int(g.overdue or 0) if g else 0,
            "on_leave_now": bool(leaves[uid]),
            "checked_in_recently": seen is not None and since is not None and seen >= since,
            "last_checkin_at": iso(seen),
        })
    return {"thresholds": t.iso(), "unassigned": int(unassigned), "officers": rows}


@router.get("/api/v1/team/load", response_model=TeamLoadOut)
def team_load(
    request: Request,
    user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
    department_id: DepartmentParam = None,
) -> dict[str, Any]:
    now = get_clock(request).now()
    with engine.connect() as conn:
        dept = report_department(user, department_id, conn)
        body = load_rows(conn, dept, now)
    return {"department_id": dept, "generated_at": iso(now), **body}
