"""The head's reports: on-time rates and check-in compliance of a department.

* ``GET /api/v1/reports/ontime?from=YYYY-MM-DD&to=YYYY-MM-DD&group=officer|field|month``
  -> ``{department_id, group, from, to, time_zone, generated_at, rows: [{key, label, on_time,
  late, total, rate, apologised}], total: {...same...}}``. Dossiers whose end of processing
  (first of finished/returned) falls on a local day in ``[from, to]`` of the department's time
  zone, judged by ``wfh_client.domain.ontime.verdict`` (one rule for server and client).
  ``group=officer``: the dossier's assignee (every active officer listed, even with nothing
  judged; ``key`` is the user id, ``none`` for dossiers that never had one); ``field``: the
  procedure's field (every field of the department's procedures listed); ``month``: ``YYYY-MM``
  of the end of processing (every month of the range listed). ``rate`` is ``on_time / total``
  in 0..1, ``null`` when nothing was judged.
* ``GET /api/v1/reports/checkins?from=&to=`` -> ``{department_id, from, to, time_zone,
  generated_at, rows: [{user_id, full_name, counted_from, windows, done, missed, suspended,
  outside, rate, offline, offline_max_delay_seconds, offline_median_delay_seconds}]}`` per
  active officer, over the check-in windows (``oncall_policy.windows_for``, the current policy)
  of the range that have closed by now and end after the person's duty started: ``done`` (a
  check-in counts inside), ``suspended`` (approved leave), ``missed``; ``windows = done + missed
  + suspended``, ``rate = done / (done + missed)``; ``outside``: the person's check-ins of the
  range that fall in no window (they never make a window done). ``offline`` counts the done
  windows whose check-in the client declared as made offline (it counts at the client's own
  time); the delays are from that time to when the server received it (``null`` without
  offline check-ins), so a backdated check-in is visible to the head.
  **Duty start** (``counted_from``, the local day): the later of the policy's ``starts_on``
  (else the department's first check-in, else the policy's last change) and the person's first
  sign-in to the app on any device (their start of remote work; a person who never signed in
  counts from the policy's start) - a report over six months must not count 981 windows from
  before anybody was on call.

Who: a head for their own department (another ``department_id`` -> 403 ``auth.forbidden``); an
admin must name ``department_id``; officers get 403 ``auth.forbidden``. Bad dates, ``to`` before
``from`` or a range over 366 days -> 422 ``request.invalid``. Defaults: ``to`` = today (local),
``from`` = the first day of the month five months earlier (six calendar months).

The SQL selects only the department's ended dossiers of the range through narrow columns; the
verdicts are computed in Python with the domain rule (10,000 dossiers in a few tens of ms).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection, Engine

from onestop_server import db
from onestop_server.auth import CurrentUser, CurrentUserDep
from onestop_server.deps import as_utc, get_clock, get_engine, iso
from onestop_server.errors import ApiError
from onestop_server.oncall_checkins import approved_leaves, checkins_between, window_states
from onestop_server.oncall_policy import Policy, calendar_of, load_policy, windows_for
from wfh_client.domain.ontime import (
    OnTimeFacts,
    RateRow,
    Verdict,
    aggregate,
    month_key,
    totals,
    verdict,
)
from wfh_client.domain.statuses import Role, Status

router = APIRouter(tags=["reports"])

MAX_RANGE_DAYS = 366
NO_OFFICER = "none"
DateParam = Annotated[str | None, Query(min_length=10, max_length=10, description="YYYY-MM-DD")]
DepartmentParam = Annotated[
    str | None, Query(min_length=1, max_length=32, description="admins only: the department")
]
GroupParam = Annotated[Literal["officer", "field", "month"], Query()]
_ENDED = [int(s) for s in (Status.REFUSED_AT_INTAKE, Status.STOPPED, Status.RESULT_READY, Status.RETURNED)]


class RateRowOut(BaseModel):
    key: str
    label: str
    on_time: int
    late: int
    total: int
    rate: float | None
    apologised: int


class OnTimeOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    department_id: str
    group: str
    from_: str = Field(alias="from")
    to: str
    time_zone: str
    generated_at: str | None
    rows: list[RateRowOut]
    total: RateRowOut


class CheckinRowOut(BaseModel):
    user_id: int
    full_name: str
    counted_from: str | None = Field(description="YYYY-MM-DD: the person's duty start counted")
    windows: int
    done: int
    missed: int
    suspended: int
    outside: int = Field(description="check-ins of the range outside every window")
    rate: float | None
    offline: int
    offline_max_delay_seconds: int | None
    offline_median_delay_seconds: int | None


class CheckinsOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    department_id: str
    from_: str = Field(alias="from")
    to: str
    time_zone: str
    generated_at: str | None
    rows: list[CheckinRowOut]


def invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "request.invalid", message,
                    {"errors": [{"loc": ["query", field], "msg": message, "type": "value_error"}]})


def report_department(user: CurrentUser, department_id: str | None, conn: Connection) -> str:
    """The department a head or admin may report on; 403 ``auth.forbidden`` otherwise."""
    if user.role == Role.ADMIN.value:
        if department_id is None:
            raise invalid("department_id", "An administrator must name department_id.")
        found = conn.execute(
            select(db.departments.c.id).where(db.departments.c.id == department_id)
        ).one_or_none()
        if found is None:
            raise ApiError(404, "not_found", "Unknown department.")
        return department_id
    if user.role != Role.HEAD.value or user.department_id is None:
        raise ApiError(403, "auth.forbidden", "Only a department head may see this.")
    if department_id is not None and department_id != user.department_id:
        raise ApiError(403, "auth.forbidden", "Only your own department.")
    return user.department_id


def _parse_day(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise invalid(field, f"{field} must be YYYY-MM-DD.") from None


def date_range(frm: str | None, to: str | None, today: date) -> tuple[date, date]:
    """Validated ``(from, to)`` local days, inclusive; defaults described in the docstring."""
    end = _parse_day(to, "to") or today
    start = _parse_day(frm, "from")
    if start is None:
        month = end.month - 5
        year = end.year + (month - 1) // 12
        start = date(year, (month - 1) % 12 + 1, 1)
    if end < start:
        raise invalid("to", "to must not be before from.")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise invalid("to", f"The range may span at most {MAX_RANGE_DAYS} days.")
    return start, end


def local_bounds(tz: ZoneInfo, start: date, end: date) -> tuple[datetime, datetime]:
    """UTC instants of local midnight before ``start`` and after ``end``."""
    lo = datetime.combine(start, time(0), tzinfo=tz).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return lo, hi


def months(start: date, end: date) -> list[str]:
    out: list[str] = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def officers(conn: Connection, dept: str) -> list[tuple[int, str]]:
    u = db.users
    rows = conn.execute(
        select(u.c.id, u.c.full_name)
        .where(and_(u.c.department_id == dept, u.c.role == Role.OFFICER.value, u.c.disabled_at.is_(None)))
        .order_by(u.c.full_name, u.c.id)
    ).all()
    return [(int(r.id), str(r.full_name)) for r in rows]


def ontime_rows(
    conn: Connection, dept: str, group: str, start: date, end: date, tz: ZoneInfo
) -> list[RateRow]:
    """The report's rows (without the total)."""
    d, p = db.dossiers, db.procedures
    lo, hi = local_bounds(tz, start, end)
    ended = func.coalesce(d.c.finished_at, d.c.returned_at)
    rows = conn.execute(
        select(
            d.c.status, d.c.due_at, d.c.finished_at, d.c.returned_at, d.c.clock_stopped_at,
            d.c.supplement_count, d.c.apology_count, d.c.assignee_id, p.c.field_code, p.c.field_name,
        )
        .select_from(d.join(p, p.c.code == d.c.procedure_code))
        .where(and_(d.c.department_id == dept, d.c.status.in_(_ENDED), ended >= lo, ended < hi))
    ).all()
    names = {
        int(r.id): str(r.full_name)
        for r in conn.execute(select(db.users.c.id, db.users.c.full_name))
    }
    keys: list[tuple[str, str]]
    if group == "officer":
        keys = [(str(uid), name) for uid, name in officers(conn, dept)]
    elif group == "field":
        keys = [
            (str(r.field_code), str(r.field_name))
            for r in conn.execute(
                select(p.c.field_code, p.c.field_name).where(p.c.department_id == dept)
                .distinct().order_by(p.c.field_name)
            )
        ]
    else:
        keys = [(m, m) for m in months(start, end)]
    items: list[tuple[str, str, Verdict, bool]] = []
    for r in rows:
        facts = OnTimeFacts(
            status=int(r.status), due_at=as_utc(r.due_at), finished_at=as_utc(r.finished_at),
            returned_at=as_utc(r.returned_at), clock_stopped_at=as_utc(r.clock_stopped_at),
            supplement_count=int(r.supplement_count or 0), apology_count=int(r.apology_count or 0),
        )
        v = verdict(facts)
        if group == "officer":
            key = NO_OFFICER if r.assignee_id is None else str(r.assignee_id)
            label = "" if r.assignee_id is None else names.get(int(r.assignee_id), key)
        elif group == "field":
            key, label = str(r.field_code), str(r.field_name)
        else:
            ended_at = min(t for t in (facts.finished_at, facts.returned_at) if t is not None)
            key = label = month_key(ended_at, tz)
        items.append((key, label, v, facts.apology_count > 0))
    return aggregate(items, keys=keys)


@router.get("/api/v1/reports/ontime", response_model=OnTimeOut, response_model_by_alias=True)
def ontime_report(
    request: Request,
    user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
    group: GroupParam = "officer",
    from_: Annotated[str | None, Query(alias="from", min_length=10, max_length=10, description="YYYY-MM-DD")] = None,
    to: DateParam = None,
    department_id: DepartmentParam = None,
) -> dict[str, Any]:
    now = get_clock(request).now()
    with engine.connect() as conn:
        dept = report_department(user, department_id, conn)
        policy = load_policy(conn, dept)
        tz = ZoneInfo(str(policy.data["time_zone"]))
        start, end = date_range(from_, to, now.astimezone(tz).date())
        rows = ontime_rows(conn, dept, group, start, end, tz)
    return {
        "department_id": dept, "group": group, "from_": start.isoformat(), "to": end.isoformat(),
        "time_zone": str(tz), "generated_at": iso(now), "rows": [r.as_dict() for r in rows],
        "total": totals(rows, key="total", label="Tổng cộng").as_dict(),
    }


def policy_start(conn: Connection, policy: Policy, tz: ZoneInfo, dept: str, now: datetime) -> datetime:
    """The instant (local midnight) on-call duty started for the department."""
    if policy.data.get("starts_on"):
        day = date.fromisoformat(str(policy.data["starts_on"]))
    else:
        c = db.checkins
        first = as_utc(conn.execute(select(func.min(c.c.effective_at))
                                    .where(c.c.department_id == dept)).scalar_one_or_none())
        day = (first or as_utc(policy.updated_at) or now).astimezone(tz).date()
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def duty_starts(conn: Connection, policy: Policy, tz: ZoneInfo, dept: str, ids: list[int],
                now: datetime) -> dict[int, datetime]:
    """Each officer's duty start: see the module docstring."""
    start = policy_start(conn, policy, tz, dept, now)
    dv = db.devices
    firsts = {int(r.user_id): as_utc(r.first) for r in conn.execute(
        select(dv.c.user_id, func.min(dv.c.created_at).label("first"))
        .where(dv.c.user_id.in_(ids)).group_by(dv.c.user_id))} if ids else {}
    return {uid: max(start, firsts.get(uid) or start) for uid in ids}


def checkin_rows(
    conn: Connection, dept: str, start: date, end: date, now: datetime
) -> tuple[str, list[dict[str, Any]]]:
    """(time zone, rows) of the check-in compliance report."""
    policy = load_policy(conn, dept)
    calendar = calendar_of(conn, policy)
    tz = calendar.tz
    staff = officers(conn, dept)
    ids = [uid for uid, _ in staff]
    lo, hi = local_bounds(tz, start, end)
    starts = duty_starts(conn, policy, tz, dept, ids, now)
    per_day: dict[tuple[int, date], list[Any]] = defaultdict(list)
    by_id: dict[int, Any] = {}
    for uid, made in checkins_between(conn, ids, lo, hi).items():
        for c in made:
            at = as_utc(c.effective_at) or now
            per_day[(uid, at.astimezone(tz).date())].append(c)
            by_id[int(c.id)] = c
    leaves = approved_leaves(conn, ids, lo, hi)
    counts = {uid: {"done": 0, "missed": 0, "suspended": 0, "outside": 0} for uid in ids}
    delays: dict[int, list[int]] = {uid: [] for uid in ids}
    day = start
    while day <= end:
        windows = windows_for(policy, calendar, day)
        closed = [w for w in windows if w.end < now]
        for uid in ids:
            mine = per_day.get((uid, day), [])
            counts[uid]["outside"] += sum(
                1 for c in mine
                if not any(w.contains((as_utc(c.effective_at) or now).astimezone(tz))
                           for w in windows))
            counted = [w for w in closed if w.end > starts[uid]]
            for w in window_states(counted, mine, leaves[uid], now):
                if w["state"] in ("done", "missed", "suspended"):
                    counts[uid][w["state"]] += 1
                checkin = by_id.get(w["checkin_id"] or 0)
                if checkin is not None and checkin.offline:
                    delays[uid].append(offline_delay(checkin))
        day += timedelta(days=1)
    out: list[dict[str, Any]] = []
    for uid, name in staff:
        n = counts[uid]
        judged = n["done"] + n["missed"]
        first = max(starts[uid], lo).astimezone(tz).date()
        late = sorted(delays[uid])
        out.append({
            "user_id": uid, "full_name": name, "counted_from": first.isoformat(),
            "windows": judged + n["suspended"], "done": n["done"], "missed": n["missed"],
            "suspended": n["suspended"], "outside": n["outside"],
            "rate": None if judged == 0 else n["done"] / judged,
            "offline": len(late),
            "offline_max_delay_seconds": late[-1] if late else None,
            "offline_median_delay_seconds": late[len(late) // 2] if late else None,
        })
    return calendar.time_zone, out


def offline_delay(checkin: Any) -> int:
    """Seconds from the instant an offline check-in counts for to its arrival at the server."""
    received, effective = as_utc(checkin.received_at), as_utc(checkin.effective_at)
    if received is None or effective is None:
        return 0
    return max(0, int((received - effective).total_seconds()))


@router.get("/api/v1/reports/checkins", response_model=CheckinsOut, response_model_by_alias=True)
def checkins_report(
    request: Request,
    user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
    from_: Annotated[str | None, Query(alias="from", min_length=10, max_length=10, description="YYYY-MM-DD")] = None,
    to: DateParam = None,
    department_id: DepartmentParam = None,
) -> dict[str, Any]:
    now = get_clock(request).now()
    with engine.connect() as conn:
        dept = report_department(user, department_id, conn)
        policy = load_policy(conn, dept)
        tz = ZoneInfo(str(policy.data["time_zone"]))
        start, end = date_range(from_, to, now.astimezone(tz).date())
        zone, rows = checkin_rows(conn, dept, start, end, now)
    return {
        "department_id": dept, "from_": start.isoformat(), "to": end.isoformat(),
        "time_zone": zone, "generated_at": iso(now), "rows": rows,
    }
