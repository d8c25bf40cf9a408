"""On-call policy per department and the check-in windows it defines.

``GET /api/v1/oncall/policy`` (any member; an admin names ``department_id``) and
``PUT /api/v1/oncall/policy`` (the department's head, or an admin naming ``department_id``).
A change bumps ``version`` and emits ``policy_changed`` (the new policy) to the department.
A department without a stored policy has ``DEFAULT_POLICY`` at version 0.

The policy's calendar is the domain ``WorkingCalendar`` (VN public holidays) with the server's
``calendar_overrides`` and then the policy's own ``overrides`` on top (the policy wins), in the
policy's time zone with the policy's working periods. ``windows_for(policy, calendar, day)`` is
the shared domain rule (``wfh_client.domain.oncall``): for each working period of a working
day, a window opens at the period start and every ``interval`` after it while inside the
period; a window is ``[start, start + grace]`` (never past the period end).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from onestop_server import db, events
from onestop_server.auth import CurrentUser, CurrentUserDep
from onestop_server.deps import get_clock, get_engine, iso
from onestop_server.errors import ApiError
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.oncall import Window, checkin_windows

router = APIRouter(tags=["oncall"])

DEFAULT_POLICY: dict[str, Any] = {
    "time_zone": "Asia/Ho_Chi_Minh",
    "periods": [["07:00", "11:30"], ["13:30", "17:00"]],
    "overrides": [],
    "checkin": {"interval_minutes": 60, "grace_minutes": 10},
    "recall": {
        "ack_timeout_minutes": 10,
        "renotify_interval_minutes": 2,
        "renotify_max": 5,
        "escalate_to_head": True,
        "outside_channel": True,
    },
}
DepartmentId = Annotated[str | None, Query(min_length=1, max_length=32)]


# ---- models -----------------------------------------------------------------------------------


class CheckinRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    interval_minutes: int = Field(ge=15, le=240, description="a window opens every N minutes")
    grace_minutes: int = Field(ge=1, le=60, description="how long a window stays open")


class RecallRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ack_timeout_minutes: int = Field(ge=1, le=240, description="escalate when not acknowledged")
    renotify_interval_minutes: int = Field(ge=1, le=60)
    renotify_max: int = Field(ge=0, le=30, description="re-notifications per recipient")
    escalate_to_head: bool = True
    outside_channel: bool = True


class OverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    day: str = Field(min_length=10, max_length=10, description="YYYY-MM-DD (local)")
    working: bool
    note: str = Field(default="", max_length=200)


class PolicyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    time_zone: str = Field(min_length=1, max_length=64)
    periods: list[Annotated[list[Annotated[str, Field(max_length=5)]], Field(min_length=2, max_length=2)]] = Field(
        min_length=1, max_length=6, description='[["07:00","11:30"], ...] local wall-clock'
    )
    overrides: list[OverrideIn] = Field(default_factory=list, max_length=400)
    checkin: CheckinRules
    recall: RecallRules
    starts_on: str | None = Field(
        default=None, min_length=10, max_length=10,
        description="YYYY-MM-DD (local): the first day on-call duty counts (check-in reports "
        "count windows from it); kept when omitted, the day the policy is first stored if never set",
    )


class PolicyIn(PolicyBody):
    base_version: int | None = Field(
        default=None, ge=0, le=2**31 - 1,
        description="optional optimistic check: 409 policy.conflict when stale",
    )


class PolicyOut(PolicyBody):
    department_id: str
    version: int
    updated_at: str | None


# ---- the policy as used by the server --------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    department_id: str
    version: int
    updated_at: datetime | None
    data: dict[str, Any]

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=int(self.data["checkin"]["interval_minutes"]))

    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=int(self.data["checkin"]["grace_minutes"]))

    def recall_plan(self) -> dict[str, Any]:
        """The escalation plan a new recall freezes."""
        return dict(self.data["recall"])

    def out(self) -> PolicyOut:
        return PolicyOut(
            department_id=self.department_id,
            version=self.version,
            updated_at=iso(self.updated_at),
            **copy.deepcopy(self.data),
        )


def validate(body: PolicyBody) -> dict[str, Any]:
    """The stored form of a policy; 422 ``policy.invalid`` (details.reason) when unusable."""
    data = body.model_dump(mode="json", include=set(PolicyBody.model_fields))

    def bad(reason: str, message: str) -> ApiError:
        return ApiError(422, "policy.invalid", message, {"reason": reason})

    if body.checkin.grace_minutes >= body.checkin.interval_minutes:
        raise bad("grace_too_long", "The grace must be shorter than the check-in interval.")
    days = [o.day for o in body.overrides]
    if len(set(days)) != len(days):
        raise bad("duplicate_override", "Each override day may appear once.")
    try:
        for o in body.overrides:
            date.fromisoformat(o.day)
        if body.starts_on is not None:
            date.fromisoformat(body.starts_on)
        _calendar(data["time_zone"], _periods_key(data), ())
    except ValueError as e:
        raise bad("bad_calendar", f"The calendar is unusable: {e}") from None
    data["overrides"] = sorted(data["overrides"], key=lambda o: o["day"])
    return data


def _periods_key(data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in data["periods"])


@lru_cache(maxsize=64)
def _calendar(
    time_zone: str,
    periods: tuple[tuple[str, str], ...],
    overrides: tuple[tuple[str, bool, str], ...],
) -> WorkingCalendar:
    return WorkingCalendar.from_dict(
        {
            "time_zone": time_zone,
            "periods": [list(p) for p in periods],
            "overrides": [{"day": d, "working": w, "note": n} for d, w, n in overrides],
        }
    )


def calendar_of(conn: Connection, policy: Policy) -> WorkingCalendar:
    """The department's calendar: VN holidays, server overrides, then the policy's overrides."""
    c = db.calendar_overrides
    merged: dict[str, tuple[bool, str]] = {
        r.day.isoformat(): (bool(r.working), r.note or "")
        for r in conn.execute(select(c.c.day, c.c.working, c.c.note))
    }
    for o in policy.data.get("overrides", []):
        merged[str(o["day"])] = (bool(o["working"]), str(o.get("note", "")))
    key = tuple(sorted((d, w, n) for d, (w, n) in merged.items()))
    return _calendar(str(policy.data["time_zone"]), _periods_key(policy.data), key)


def load_policy(conn: Connection, department_id: str) -> Policy:
    p = db.oncall_policies
    row = conn.execute(select(p).where(p.c.department_id == department_id)).one_or_none()
    if row is None or not isinstance(row.policy, dict):
        return Policy(department_id, 0, None, copy.deepcopy(DEFAULT_POLICY))
    return Policy(department_id, int(row.version), row.updated_at, dict(row.policy))


def windows_for(policy: Policy, calendar: WorkingCalendar, day: date) -> list[Window]:
    """The check-in windows of a local ``day``: the shared rule ``domain.oncall.checkin_windows``
    (the client computes the same windows from the same policy)."""
    return checkin_windows(calendar, day, policy.interval, policy.grace)


# ---- HTTP -------------------------------------------------------------------------------------


def _department_for(user: CurrentUser, department_id: str | None, conn: Connection) -> str:
    if user.role == "admin":
        if department_id is None:
            raise ApiError(422, "request.invalid", "An administrator must name department_id.")
        exists = conn.execute(
            select(db.departments.c.id).where(db.departments.c.id == department_id)
        ).one_or_none()
        if exists is None:
            raise ApiError(404, "not_found", "Unknown department.")
        return department_id
    if user.department_id is None:
        raise ApiError(403, "auth.forbidden", "You belong to no department.")
    if department_id is not None and department_id != user.department_id:
        raise ApiError(403, "auth.forbidden", "Only your own department's policy.")
    return user.department_id


@router.get("/api/v1/oncall/policy", response_model=PolicyOut)
def get_policy(
    user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
    department_id: DepartmentId = None,
) -> PolicyOut:
    with engine.connect() as conn:
        dept = _department_for(user, department_id, conn)
        return load_policy(conn, dept).out()


@router.put(
    "/api/v1/oncall/policy",
    response_model=PolicyOut,
    responses={409: {"description": "policy.conflict"}, 422: {"description": "policy.invalid"}},
)
def put_policy(
    body: PolicyIn,
    request: Request,
    user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
    department_id: DepartmentId = None,
) -> PolicyOut:
    if user.role not in ("head", "admin"):
        raise ApiError(403, "auth.forbidden", "Only a head changes the on-call policy.")
    data = validate(body)
    now = get_clock(request).now()
    p = db.oncall_policies
    with db.write_transaction(engine) as conn:
        dept = _department_for(user, department_id, conn)
        current = load_policy(conn, dept)
        if body.base_version is not None and body.base_version != current.version:
            raise ApiError(
                409, "policy.conflict", "The policy changed since you loaded it.",
                {"policy": current.out().model_dump(mode="json")},
            )
        if data.get("starts_on") is None:  # kept; a new policy starts on the day it is stored
            data["starts_on"] = current.data.get("starts_on") or (
                now.astimezone(_calendar(data["time_zone"], _periods_key(data), ()).tz)
                .date().isoformat())
        if data == current.data and current.version > 0:
            return current.out()  # nothing changed: no new version, no event
        version = current.version + 1
        if current.version == 0:
            conn.execute(
                insert(p).values(
                    department_id=dept, policy=data, version=version, updated_at=now,
                    updated_by=user.id,
                )
            )
        else:
            conn.execute(
                update(p)
                .where(p.c.department_id == dept)
                .values(policy=data, version=version, updated_at=now, updated_by=user.id)
            )
        policy = Policy(dept, version, now, data)
        out = policy.out()
        events.emit(
            conn, events.POLICY_CHANGED, out.model_dump(mode="json"), at=now, department_id=dept
        )
    events.poke(request.app.state)
    return out
