"""Admin API of the working calendar: days off, make-up working days, confirmed years, audit.

``PUT /api/v1/admin/calendar/days/{day}`` ``{working, note}`` adds or changes an override,
``DELETE`` removes it, ``PUT /api/v1/admin/calendar/years/{year}`` ``{confirmed, note}`` records
that a year's days off are decreed, ``GET /api/v1/admin/calendar`` lists the overrides, the
confirmed years and the audit log. Every change is audited and announced
(``workcal.set_day`` & co.); clients fetch the new calendar on the event or at their next sync.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.engine import Engine

from onestop_server import db, events, workcal
from onestop_server.auth import CurrentUser, require_role
from onestop_server.deps import get_clock, get_engine, iso
from onestop_server.errors import ApiError

router = APIRouter(tags=["admin"])
AdminDep = Annotated[CurrentUser, Depends(require_role("admin"))]
DayPath = Annotated[str, Path(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]
YearPath = Annotated[int, Path(ge=2000, le=2100)]
Note = Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]


class DayIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    working: bool
    note: Note = ""


class YearIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    confirmed: bool
    note: Note = ""


class Override(BaseModel):
    day: str
    working: bool
    note: str


class AuditEntry(BaseModel):
    id: int
    at: str | None
    actor: str
    action: str
    day: str | None
    year: int | None
    working: bool | None
    note: str
    previous: dict[str, Any] | None


class AdminCalendar(BaseModel):
    overrides: list[Override]
    confirmed_years: list[int]
    decreed_through: int
    version: str
    audit: list[AuditEntry]


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "request.invalid", "Not a calendar date.", {"day": value}) from None


def _actor(user: CurrentUser) -> str:
    return f"user:{user.id} {user.username}"


def _state(engine: Engine, request: Request) -> AdminCalendar:
    now = get_clock(request).now()
    c, y = db.calendar_overrides, db.calendar_years
    with engine.connect() as conn:
        overrides = [Override(day=r.day.isoformat(), working=bool(r.working), note=r.note or "")
                     for r in conn.execute(select(c).order_by(c.c.day))]
        years = [int(r.year) for r in conn.execute(select(y).where(y.c.confirmed.is_(True))
                                                   .order_by(y.c.year))]
        audit = [AuditEntry(**{**a, "at": iso(a["at"])}) for a in workcal.audit_log(conn)]
        version = workcal.calendar_version(conn, now)
    return AdminCalendar(overrides=overrides, confirmed_years=years,
                         decreed_through=workcal.decreed_through(), version=version, audit=audit)


@router.get("/api/v1/admin/calendar", response_model=AdminCalendar)
def get_admin_calendar(_admin: AdminDep, request: Request,
                       engine: Annotated[Engine, Depends(get_engine)]) -> AdminCalendar:
    return _state(engine, request)


@router.put("/api/v1/admin/calendar/days/{day}", response_model=AdminCalendar)
def put_day(admin: AdminDep, day: DayPath, body: DayIn, request: Request,
            engine: Annotated[Engine, Depends(get_engine)]) -> AdminCalendar:
    when = _day(day)
    with db.write_transaction(engine) as conn:
        workcal.set_day(conn, when, body.working, body.note, now=get_clock(request).now(),
                        actor=_actor(admin))
    events.poke(request.app.state)
    return _state(engine, request)


@router.delete("/api/v1/admin/calendar/days/{day}", response_model=AdminCalendar)
def delete_day(admin: AdminDep, day: DayPath, request: Request,
               engine: Annotated[Engine, Depends(get_engine)]) -> AdminCalendar:
    when = _day(day)
    with db.write_transaction(engine) as conn:
        if not workcal.remove_day(conn, when, now=get_clock(request).now(), actor=_actor(admin)):
            raise ApiError(404, "not_found", "No override on that day.", {"day": day})
    events.poke(request.app.state)
    return _state(engine, request)


@router.put("/api/v1/admin/calendar/years/{year}", response_model=AdminCalendar)
def put_year(admin: AdminDep, year: YearPath, body: YearIn, request: Request,
             engine: Annotated[Engine, Depends(get_engine)]) -> AdminCalendar:
    with db.write_transaction(engine) as conn:
        workcal.confirm_year(conn, year, body.confirmed, body.note,
                             now=get_clock(request).now(), actor=_actor(admin))
    events.poke(request.app.state)
    return _state(engine, request)
