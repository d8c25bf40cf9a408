"""POST /api/v1/dossiers/{id}/actions: the push side of sync.

One write transaction per action: idempotency lookup, scope check, version check (notes never
conflict), the domain's ``apply_action`` (``wfh_client.domain.workflow``), the new state, a
note or a process-control-slip row, a version bump, the change-log row, the rebuilt payload and
the stored answer. Applied, conflict, invalid and forbidden answers are all stored under the
Idempotency-Key, so a replay returns the same status and body and has no second effect
(``idempotency.run_keyed``: scope checked before any replay, concurrent duplicates retried).

Server bookkeeping kept in ``dossiers.data`` (not served): ``late_flag``, ``proposed_decision``,
``result_channel``, ``tracking_number``; ``original_due_at`` is served.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine, Row

from onestop_server import db, events, idempotency, serialize
from onestop_server.auth import CurrentUser, CurrentUserDep
from onestop_server.deps import Settings, as_utc, get_clock, get_engine, get_settings, iso
from onestop_server.errors import ApiError
from onestop_server.reads import DossierId, document_of
from onestop_server.scope import in_scope, not_found, scope_of
from onestop_server.workcal import load_calendar
from wfh_client.domain.statuses import ActionType, Role, Status, Step
from wfh_client.domain.timefmt import parse_instant
from wfh_client.domain.workflow import (
    ActionForbidden,
    ActionInvalid,
    Actor,
    DossierState,
    Outcome,
    apply_action,
)

router = APIRouter(tags=["actions"])

MAX_INT = 2**31 - 1
StrictInt = Annotated[int, Field(strict=True, ge=0, le=MAX_INT)]


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # A plain string at runtime so that an unknown type answers action.invalid (unknown_action),
    # which the client quarantines; the schema lists the known types.
    type: str = Field(
        min_length=1,
        max_length=32,
        description="The action type (ActionType).",
        json_schema_extra={"enum": [a.value for a in ActionType]},
    )
    base_version: StrictInt
    payload: dict[str, Any] = Field(default_factory=dict)
    client_time: str | None = Field(default=None, max_length=64)


ACTION_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "applied: {outcome, version, dossier}"},
    403: {"description": "action.forbidden"},
    404: {"description": "dossier.not_found"},
    409: {"description": "action.conflict (details.dossier: the current state)"},
    422: {"description": "action.invalid / request.invalid / idempotency.key_reused"},
}

Answer = tuple[int, dict[str, Any]]


def _error(code: str, message: str, details: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details}


def _invalid(reason: str, message: str) -> Answer:
    return 422, _error("action.invalid", message, {"outcome": "invalid", "reason": reason, "message": message})


def _forbidden(reason: str, message: str) -> Answer:
    return 403, _error("action.forbidden", message, {"outcome": "forbidden", "reason": reason})


def _state_of(row: Row[Any], allowed_hours: int) -> DossierState:
    data = row.data if isinstance(row.data, dict) else {}
    original = data.get("original_due_at")
    return DossierState(
        status=Status(row.status),
        step=Step(row.step) if row.step else None,
        department_id=row.department_id,
        assignee_id=row.assignee_id,
        received_at=as_utc(row.received_at) or row.received_at,
        due_at=as_utc(row.due_at),
        allowed_hours=allowed_hours,
        clock_stopped_at=as_utc(row.clock_stopped_at),
        supplement_count=row.supplement_count or 0,
        apology_count=row.apology_count or 0,
        original_due_at=parse_instant(original) if isinstance(original, str) and original else None,
        finished_at=as_utc(row.finished_at),
        returned_at=as_utc(row.returned_at),
        late_flag=bool(data.get("late_flag", False)),
        proposed_decision=data.get("proposed_decision"),
    )


def _bad_assignee(conn: Connection, assignee_id: Any, department_id: str) -> bool:
    if not isinstance(assignee_id, int) or not 0 < assignee_id <= MAX_INT:
        return True
    u = db.users
    row = conn.execute(
        select(u.c.role, u.c.department_id, u.c.disabled_at).where(u.c.id == assignee_id)
    ).one_or_none()
    return (
        row is None
        or row.role != Role.OFFICER.value
        or row.department_id != department_id
        or row.disabled_at is not None
    )


def _write(
    conn: Connection, row: Row[Any], outcome: Outcome, kind: ActionType, user: CurrentUser,
    key: str, now: datetime,
) -> int:
    """Persist the outcome; returns the new version. Times are stored in UTC (the domain returns
    some in the calendar's zone, and SQLite keeps only the wall-clock part)."""
    new = outcome.state
    data = dict(row.data) if isinstance(row.data, dict) else {}
    data["original_due_at"] = iso(new.original_due_at)
    data["late_flag"] = new.late_flag
    data["proposed_decision"] = new.proposed_decision
    if kind is ActionType.RETURN_RESULT:
        data["result_channel"] = outcome.payload["channel"]
        data["tracking_number"] = outcome.payload.get("tracking_number")
    version = int(row.version) + 1
    d = db.dossiers
    conn.execute(
        update(d)
        .where(d.c.id == row.id)
        .values(
            status=int(new.status),
            step=None if new.step is None else new.step.value,
            assignee_id=new.assignee_id,
            due_at=as_utc(new.due_at),
            finished_at=as_utc(new.finished_at),
            returned_at=as_utc(new.returned_at),
            clock_stopped_at=as_utc(new.clock_stopped_at),
            supplement_count=new.supplement_count,
            apology_count=new.apology_count,
            data=data,
            version=version,
            updated_at=now,
        )
    )
    if outcome.history is None:
        conn.execute(
            insert(db.notes).values(
                dossier_id=row.id, author_id=user.id, text=outcome.payload["text"],
                created_at=now, client_id=key,
            )
        )
    else:
        h = outcome.history
        conn.execute(
            insert(db.history).values(
                dossier_id=row.id, at=now, actor_id=user.id, action=h.action,
                from_status=int(h.from_status), to_status=int(h.to_status),
                from_step=None if h.from_step is None else h.from_step.value,
                to_step=None if h.to_step is None else h.to_step.value,
                handed_to_id=h.handed_to_id, step_due_at=as_utc(h.step_due_at), content=h.content,
                details={"payload": outcome.payload},
            )
        )
    prev_dep, prev_assignee = scope_of(row.department_id, row.assignee_id, row.status)
    new_dep, new_assignee = scope_of(new.department_id, new.assignee_id, int(new.status))
    db.record_change(
        conn, row.id, department_id=new_dep, assignee_id=new_assignee,
        prev_department_id=prev_dep, prev_assignee_id=prev_assignee, at=now,
    )
    return version


def _emit_assignment(
    conn: Connection, row: Row[Any], new_assignee: int | None, version: int, user: CurrentUser,
    now: datetime,
) -> None:
    """``assignment`` events to the new assignee and to the previous one (if another)."""
    payload: dict[str, Any] = {
        "dossier_id": row.id, "code": row.code, "version": version,
        "assignee_id": new_assignee, "previous_assignee_id": row.assignee_id,
        "assigned_by": user.id,
    }
    if new_assignee is not None:
        events.emit(conn, events.ASSIGNMENT, {**payload, "change": "assigned"}, at=now,
                    user_id=new_assignee)
    if row.assignee_id is not None and row.assignee_id != new_assignee:
        events.emit(conn, events.ASSIGNMENT, {**payload, "change": "unassigned"}, at=now,
                    user_id=int(row.assignee_id))


def _scope_guard(conn: Connection, user: CurrentUser, dossier_id: str) -> None:
    """Before any stored answer is replayed: the dossier must still be the caller's (a replay
    after a reassignment must not hand them the dossier's current content)."""
    d = db.dossiers
    row = conn.execute(
        select(d.c.department_id, d.c.assignee_id, d.c.status)
        .where(d.c.id == dossier_id).with_for_update()
    ).one_or_none()
    if row is None:
        raise not_found()
    if not in_scope(user, row.department_id, row.assignee_id, row.status):
        raise ApiError(403, "action.forbidden", "The dossier is not in your scope.",
                       {"outcome": "forbidden", "reason": "out_of_scope"})


def decide(
    conn: Connection, user: CurrentUser, dossier_id: str, body: ActionIn, key: str, now: datetime
) -> Answer:
    """Apply one action inside the caller's transaction; the answer to store and send."""
    d = db.dossiers
    row = conn.execute(select(d).where(d.c.id == dossier_id).with_for_update()).one_or_none()
    if row is None:
        raise not_found()
    if not in_scope(user, row.department_id, row.assignee_id, row.status):
        return _forbidden("out_of_scope", "The dossier is not in your scope.")
    if body.type != ActionType.NOTE.value and body.base_version != row.version:
        current = document_of(conn, row.id, row.payload)
        return 409, _error(
            "action.conflict", "The dossier changed since this action was made.",
            {"outcome": "conflict", "dossier": current, "version": row.version},
        )
    hours = conn.execute(
        select(db.procedures.c.working_hours).where(db.procedures.c.code == row.procedure_code)
    ).scalar_one()
    state = _state_of(row, int(hours))
    actor = Actor(user_id=user.id, role=Role(user.role), department_id=user.department_id)
    try:
        outcome = apply_action(body.type, body.payload, state, actor, load_calendar(conn), now)
    except ActionInvalid as e:
        return _invalid(e.code, e.message)
    except ActionForbidden as e:
        return _forbidden(e.code, e.message)
    except (ValueError, TypeError, OverflowError, ArithmeticError) as e:
        return _invalid("bad_value", f"The payload has an unusable value: {e}")
    kind = ActionType(body.type)
    if kind is ActionType.ASSIGN and _bad_assignee(
        conn, outcome.payload.get("assignee_id"), row.department_id
    ):
        return _invalid("bad_assignee", "The assignee must be an active officer of this department.")
    version = _write(conn, row, outcome, kind, user, key, now)
    if kind is ActionType.ASSIGN:
        _emit_assignment(conn, row, outcome.state.assignee_id, version, user, now)
    dossier = json.loads(serialize.rebuild_payload(conn, row.id))
    return 200, {"outcome": "applied", "version": version, "dossier": dossier}


@router.post(
    "/api/v1/dossiers/{dossier_id}/actions", responses=ACTION_RESPONSES, response_class=Response
)
def post_action(
    dossier_id: DossierId,
    body: ActionIn,
    request: Request,
    user: CurrentUserDep,
    key: idempotency.IdempotencyKey,
    engine: Annotated[Engine, Depends(get_engine)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    if body.client_time is not None:
        try:
            parse_instant(body.client_time)
        except (ValueError, TypeError, OverflowError):
            raise ApiError(
                422, "request.invalid", "client_time must be an ISO 8601 date-time with a zone.",
                {"errors": [{"loc": ["body", "client_time"], "msg": "bad date-time", "type": "datetime"}]},
            ) from None
    fp = idempotency.fingerprint(
        "POST", request.url.path, idempotency.canonical_json(body.model_dump(mode="json"))
    )
    response = idempotency.run_keyed(
        engine, get_clock(request), user_id=user.id, key=key, fp=fp,
        guard=lambda conn: _scope_guard(conn, user, dossier_id),
        effect=lambda conn, now: decide(conn, user, dossier_id, body, key, now),
        ttl=settings.idempotency_ttl,
    )
    if body.type == ActionType.ASSIGN.value:
        events.poke(request.app.state)  # after the commit: wake waiting long-polls
    return response
