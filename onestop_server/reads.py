"""Read endpoints besides sync: one dossier, the working calendar, the department directory."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, select
from sqlalchemy.engine import Connection, Engine

from onestop_server import db, serialize
from onestop_server.auth import CurrentUserDep
from onestop_server.deps import get_clock, get_engine
from onestop_server.scope import MAX_DOSSIER_ID, load_visible
from onestop_server.workcal import served_calendar

router = APIRouter(tags=["dossiers"])

DossierId = Annotated[str, Path(min_length=1, max_length=MAX_DOSSIER_ID)]
OBJECT_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"schema": {"type": "object"}}}}
}


def document_of(conn: Connection, dossier_id: str, payload: str | None = None) -> dict[str, Any]:
    """The dossier document: the stored payload when present, else built afresh."""
    if payload:
        loaded = json.loads(payload)
        if isinstance(loaded, dict):
            return loaded
    return serialize.dossier_document(conn, dossier_id)


class DirectoryEntry(BaseModel):
    id: int
    full_name: str
    title: str
    role: str


class Directory(BaseModel):
    users: list[DirectoryEntry]


class CalendarOverride(BaseModel):
    day: str
    working: bool
    note: str


class CalendarRange(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    from_: str = Field(alias="from")
    to: str


class CalendarOut(BaseModel):
    """Every exception to Monday-Friday within ``resolved`` is in ``overrides`` (holidays with
    their names, the admin's days off and make-up days); ``version`` changes when any does."""

    time_zone: str
    periods: list[list[str]]
    overrides: list[CalendarOverride]
    resolved: CalendarRange | None = None
    unconfirmed_years: list[int] = []
    version: str


@router.get("/api/v1/dossiers/{dossier_id}", response_class=Response, responses=OBJECT_RESPONSE)
def get_dossier(
    dossier_id: DossierId, user: CurrentUserDep, engine: Annotated[Engine, Depends(get_engine)]
) -> Response:
    with engine.connect() as conn:
        row = load_visible(conn, user, dossier_id)
        if row.payload:
            return Response(content=row.payload, media_type="application/json")
        return JSONResponse(serialize.dossier_document(conn, dossier_id))


@router.get("/api/v1/calendar", response_model=CalendarOut, response_model_by_alias=True)
def get_calendar(
    _user: CurrentUserDep, request: Request, engine: Annotated[Engine, Depends(get_engine)]
) -> dict[str, Any]:
    with engine.connect() as conn:
        return served_calendar(conn, get_clock(request).now())


@router.get("/api/v1/directory", response_model=Directory)
def get_directory(user: CurrentUserDep, engine: Annotated[Engine, Depends(get_engine)]) -> Directory:
    u = db.users
    if user.department_id is None:
        return Directory(users=[])
    with engine.connect() as conn:
        rows = conn.execute(
            select(u.c.id, u.c.full_name, u.c.title, u.c.role)
            .where(and_(u.c.department_id == user.department_id, u.c.disabled_at.is_(None)))
            .order_by(u.c.full_name, u.c.id)
        ).all()
    return Directory(
        users=[DirectoryEntry(id=r.id, full_name=r.full_name, title=r.title or "", role=r.role) for r in rows]
    )
