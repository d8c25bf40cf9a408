"""Recalls: a head calls one or more officers back; each recipient answers.

``POST /api/v1/oncall/recalls`` (head) ``{client_id?, recipients: [user id], message, report_by,
urgency: normal|urgent}``: recipients are active staff of the head's own department. The
escalation ``plan`` is copied from the department policy's ``recall`` rules at creation (frozen:
later policy changes do not touch it). Each recipient gets a ``recall`` event. Idempotent by
``client_id`` per head.

Per-recipient lifecycle (monotonic; answers are idempotent):
``sent -> delivered -> seen -> acknowledged | declined``; ``closed`` is the recall's, set by the
head (``POST .../close``, event ``recall_closed``).
- ``delivered`` / ``seen`` are receipts: repeating them, or sending them after a later state or
  after the close, changes nothing and answers 200 with the current state.
- ``acknowledge {arrival_at}`` from any open state, including ``declined`` (a recipient may
  change their mind and come after all); acknowledging again may update ``arrival_at``.
- ``decline {reason}`` from ``sent``/``delivered``/``seen``; after ``acknowledged`` it is 409
  ``recall.illegal_transition`` (never go back from "coming"); declining again is a no-op.
- Acknowledge / decline on a closed recall: 409 ``recall.closed``.
Each change emits ``recall_state`` to the department's heads and to the recipient (their other
devices). A later state fills the earlier receipts' times when they were skipped.

Timers: ``next_due_at`` is the recall's one live timer, recomputed in every transaction that
changes the recall (``compute_due``) and mirrored by ``oncall_escalation.EscalationScheduler``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Connection, Engine, Row

from onestop_server import db, events
from onestop_server.auth import CurrentUser, CurrentUserDep
from onestop_server.deps import as_utc, get_clock, get_engine, iso
from onestop_server.errors import ApiError
from onestop_server.oncall_checkins import ClientId, member, parse_time, require_head
from onestop_server.oncall_policy import load_policy

if TYPE_CHECKING:
    from onestop_server.oncall_escalation import EscalationScheduler

router = APIRouter(tags=["oncall"])

MAX_ID = 2**31 - 1
MAX_RECIPIENTS = 500
MAX_REPORT_AHEAD = timedelta(days=7)
MAX_ARRIVAL_AHEAD = timedelta(days=7)
PAST_TOLERANCE = timedelta(minutes=5)
RANK = {"sent": 0, "delivered": 1, "seen": 2, "acknowledged": 3, "declined": 3}
ANSWERED = ("acknowledged", "declined")


# ---- models -----------------------------------------------------------------------------------


class RecallIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    client_id: ClientId | None = None
    recipients: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        min_length=1, max_length=MAX_RECIPIENTS
    )
    message: str = Field(min_length=1, max_length=1000)
    report_by: str = Field(max_length=64, description="when to report (ISO 8601 with a zone)")
    urgency: Literal["normal", "urgent"] = "normal"


class AcknowledgeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    arrival_at: str = Field(max_length=64, description="when the recipient will arrive")


class DeclineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)


class RecipientOut(BaseModel):
    user_id: int
    full_name: str
    state: str
    delivered_at: str | None
    seen_at: str | None
    acknowledged_at: str | None
    arrival_at: str | None
    declined_at: str | None
    decline_reason: str | None
    renotify_count: int
    escalated_at: str | None


class PlanOut(BaseModel):
    ack_timeout_minutes: int
    renotify_interval_minutes: int
    renotify_max: int
    escalate_to_head: bool
    outside_channel: bool


class RecallOut(BaseModel):
    id: int
    department_id: str
    created_by: int
    created_by_name: str
    created_at: str | None
    message: str
    report_by: str | None
    urgency: str
    plan: PlanOut
    closed_at: str | None
    closed_by: int | None
    recipients: list[RecipientOut]


class RecallList(BaseModel):
    recalls: list[RecallOut]


# ---- core -------------------------------------------------------------------------------------


def recall_query() -> Any:
    r, u = db.recalls, db.users
    return select(r, u.c.full_name.label("created_by_name")).select_from(
        r.join(u, u.c.id == r.c.created_by)
    )


def load_recall(conn: Connection, recall_id: int) -> Row[Any] | None:
    return conn.execute(recall_query().where(db.recalls.c.id == recall_id)).one_or_none()


def load_recipients(
    conn: Connection, recall_ids: list[int], user_id: int | None = None
) -> dict[int, list[Row[Any]]]:
    rr, u = db.recall_recipients, db.users
    out: dict[int, list[Row[Any]]] = {i: [] for i in recall_ids}
    if not recall_ids:
        return out
    query = (
        select(rr, u.c.full_name)
        .select_from(rr.join(u, u.c.id == rr.c.user_id))
        .where(rr.c.recall_id.in_(recall_ids))
        .order_by(rr.c.recall_id, u.c.full_name, rr.c.user_id)
    )
    if user_id is not None:
        query = query.where(rr.c.user_id == user_id)
    for row in conn.execute(query):
        out[int(row.recall_id)].append(row)
    return out


def recipient_dict(row: Row[Any]) -> dict[str, Any]:
    return {
        "user_id": int(row.user_id), "full_name": row.full_name, "state": row.state,
        "delivered_at": iso(row.delivered_at), "seen_at": iso(row.seen_at),
        "acknowledged_at": iso(row.acknowledged_at), "arrival_at": iso(row.arrival_at),
        "declined_at": iso(row.declined_at), "decline_reason": row.decline_reason,
        "renotify_count": int(row.renotify_count or 0), "escalated_at": iso(row.escalated_at),
    }


def recall_out(recall: Row[Any], recipients: list[Row[Any]]) -> RecallOut:
    return RecallOut(
        id=int(recall.id), department_id=recall.department_id, created_by=int(recall.created_by),
        created_by_name=recall.created_by_name, created_at=iso(recall.created_at),
        message=recall.message, report_by=iso(recall.report_by), urgency=recall.urgency,
        plan=PlanOut(**recall.plan), closed_at=iso(recall.closed_at), closed_by=recall.closed_by,
        # built without validation: the values come straight from typed columns (a recall has
        # up to 500 recipients; validating each cost a quarter of creating or closing one)
        recipients=[RecipientOut.model_construct(**recipient_dict(r)) for r in recipients],
    )


def recall_event(recall: Row[Any], recipient: Row[Any], renotify: int) -> dict[str, Any]:
    """The ``recall`` event's payload for one recipient."""
    return {
        "recall_id": int(recall.id), "department_id": recall.department_id,
        "created_by": int(recall.created_by), "created_by_name": recall.created_by_name,
        "created_at": iso(recall.created_at), "message": recall.message,
        "report_by": iso(recall.report_by), "urgency": recall.urgency,
        "state": recipient.state, "renotify": renotify,
    }


def state_event(recall_id: int, recipient: Row[Any]) -> dict[str, Any]:
    d = recipient_dict(recipient)
    d.pop("renotify_count")
    d.pop("escalated_at")
    return {"recall_id": recall_id, **d}


def escalates(plan: dict[str, Any]) -> bool:
    return bool(plan.get("escalate_to_head")) or bool(plan.get("outside_channel"))


def escalation_at(recall: Row[Any]) -> datetime:
    created = as_utc(recall.created_at)
    assert created is not None
    return created + timedelta(minutes=int(recall.plan["ack_timeout_minutes"]))


def compute_due(recall: Row[Any], recipients: list[Row[Any]]) -> datetime | None:
    """The recall's next timer: the earliest re-notification or escalation still pending."""
    if recall.closed_at is not None:
        return None
    plan = recall.plan
    renotify_max = int(plan["renotify_max"])
    escalation = escalation_at(recall) if escalates(plan) else None
    due: set[datetime] = set()
    for r in recipients:
        if r.state in ANSWERED:
            continue
        nxt = as_utc(r.next_renotify_at)
        if nxt is not None and int(r.renotify_count or 0) < renotify_max:
            due.add(nxt)
        if escalation is not None and r.escalated_at is None:
            due.add(escalation)
    return min(due) if due else None


def refresh_due(conn: Connection, recall_id: int) -> datetime | None:
    """Recompute and store ``next_due_at`` in the caller's transaction."""
    recall = load_recall(conn, recall_id)
    assert recall is not None
    due = compute_due(recall, load_recipients(conn, [recall_id])[recall_id])
    conn.execute(update(db.recalls).where(db.recalls.c.id == recall_id).values(next_due_at=due))
    return due


def _scheduler(request: Request) -> EscalationScheduler | None:
    return getattr(request.app.state, "escalation", None)


def _schedule(request: Request, recall_id: int, due: datetime | None) -> None:
    scheduler = _scheduler(request)
    if scheduler is not None:
        scheduler.schedule(recall_id, due)
    events.poke(request.app.state)


# ---- head: create, list, close ----------------------------------------------------------------


def _invalid(reason: str, message: str, **details: Any) -> ApiError:
    return ApiError(422, "recall.invalid", message, {"reason": reason, **details})


@router.post(
    "/api/v1/oncall/recalls",
    response_model=RecallOut,
    responses={422: {"description": "recall.invalid / recall.client_id_reused / request.invalid"}},
)
def create_recall(
    body: RecallIn,
    request: Request,
    user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
) -> RecallOut:
    dept = require_head(user)
    recipients = sorted(set(body.recipients))
    if len(recipients) != len(body.recipients):
        raise _invalid("duplicate_recipient", "Each recipient may appear once.")
    message = body.message.strip()
    if not message:
        raise _invalid("empty_message", "The message is empty.")
    report_by = parse_time(body.report_by, "report_by")
    now = get_clock(request).now()
    if not now - PAST_TOLERANCE <= report_by <= now + MAX_REPORT_AHEAD:
        raise _invalid("bad_report_by", "report_by must be from now to 7 days ahead.")
    r, rr, u = db.recalls, db.recall_recipients, db.users
    with db.write_transaction(engine) as conn:
        if body.client_id is not None:
            found = conn.execute(
                recall_query().where(and_(r.c.created_by == user.id, r.c.client_id == body.client_id))
            ).one_or_none()
            if found is not None:
                rows = load_recipients(conn, [int(found.id)])[int(found.id)]
                same = (
                    sorted(int(x.user_id) for x in rows) == recipients
                    and found.message == message
                    and as_utc(found.report_by) == report_by
                    and found.urgency == body.urgency
                )
                if not same:
                    raise ApiError(
                        422, "recall.client_id_reused",
                        "This client_id was already used for another recall.",
                    )
                return recall_out(found, rows)
        valid = set(
            conn.execute(
                select(u.c.id).where(
                    and_(
                        u.c.id.in_(recipients), u.c.department_id == dept,
                        u.c.role.in_(("officer", "head")), u.c.disabled_at.is_(None),
                        u.c.id != user.id,
                    )
                )
            ).scalars()
        )
        bad = [i for i in recipients if i not in valid]
        if bad:
            raise _invalid(
                "bad_recipient", "Recipients must be active staff of your department.",
                user_ids=bad,
            )
        plan = load_policy(conn, dept).recall_plan()
        interval = timedelta(minutes=int(plan["renotify_interval_minutes"]))
        first_renotify = now + interval if int(plan["renotify_max"]) > 0 else None
        recall_id = int(conn.execute(
            insert(r).values(
                department_id=dept, created_by=user.id, client_id=body.client_id, created_at=now,
                message=message, report_by=report_by, urgency=body.urgency, plan=plan,
            ).returning(r.c.id)
        ).scalar_one())
        conn.execute(insert(rr), [
            {"recall_id": recall_id, "user_id": uid, "state": "sent", "renotify_count": 0,
             "next_renotify_at": first_renotify, "updated_at": now}
            for uid in recipients
        ])
        recall = load_recall(conn, recall_id)
        assert recall is not None
        rows = load_recipients(conn, [recall_id])[recall_id]
        due = compute_due(recall, rows)
        conn.execute(update(r).where(r.c.id == recall_id).values(next_due_at=due))
        # Every recipient is "sent", renotify 0: one payload for all, inserted in one statement.
        events.emit_to_users(
            conn, events.RECALL, recall_event(recall, rows[0], 0), [int(x.user_id) for x in rows],
            at=now,
        )
        out = recall_out(recall, rows)
    _schedule(request, recall_id, due)
    return out


@router.get("/api/v1/oncall/recalls", response_model=RecallList)
def list_recalls(
    user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
    open: Annotated[bool, Query(description="only recalls not closed")] = False,  # noqa: A002
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> RecallList:
    """A head: the department's recalls with every recipient; staff: their own recalls with
    their own row only. Newest first."""
    dept = member(user)
    r, rr = db.recalls, db.recall_recipients
    query = recall_query().order_by(r.c.id.desc()).limit(limit)
    if user.role == "head":
        query = query.where(r.c.department_id == dept)
    else:
        query = query.where(
            r.c.id.in_(select(rr.c.recall_id).where(rr.c.user_id == user.id))
        )
    if open:
        query = query.where(r.c.closed_at.is_(None))
    with engine.connect() as conn:
        recalls = conn.execute(query).all()
        ids = [int(x.id) for x in recalls]
        rows = load_recipients(conn, ids, None if user.role == "head" else user.id)
        return RecallList(recalls=[recall_out(x, rows[int(x.id)]) for x in recalls])


RecallId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _not_found() -> ApiError:
    return ApiError(404, "recall.not_found", "Unknown recall.")


def _visible_recall(conn: Connection, user: CurrentUser, recall_id: int) -> tuple[Row[Any], list[Row[Any]]]:
    dept = member(user)
    recall = load_recall(conn, recall_id)
    if recall is None:
        raise _not_found()
    if user.role == "head" and recall.department_id == dept:
        return recall, load_recipients(conn, [recall_id])[recall_id]
    mine = load_recipients(conn, [recall_id], user.id)[recall_id]
    if not mine:
        raise _not_found()
    return recall, mine


@router.get("/api/v1/oncall/recalls/{recall_id}", response_model=RecallOut)
def get_recall(
    recall_id: RecallId, user: CurrentUserDep, engine: Annotated[Engine, Depends(get_engine)]
) -> RecallOut:
    with engine.connect() as conn:
        return recall_out(*_visible_recall(conn, user, recall_id))


@router.post("/api/v1/oncall/recalls/{recall_id}/close", response_model=RecallOut)
def close_recall(
    recall_id: RecallId,
    request: Request,
    user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
) -> RecallOut:
    dept = require_head(user)
    now = get_clock(request).now()
    r = db.recalls
    with db.write_transaction(engine) as conn:
        recall = load_recall(conn, recall_id)
        if recall is None or recall.department_id != dept:
            raise _not_found()
        rows = load_recipients(conn, [recall_id])[recall_id]
        if recall.closed_at is not None:
            return recall_out(recall, rows)
        conn.execute(
            update(r).where(r.c.id == recall_id).values(closed_at=now, closed_by=user.id, next_due_at=None)
        )
        payload = {"recall_id": recall_id, "closed_at": iso(now), "closed_by": user.id}
        events.emit_to_users(conn, events.RECALL_CLOSED, payload, [int(x.user_id) for x in rows],
                             at=now)
        events.emit(conn, events.RECALL_CLOSED, payload, at=now, department_id=dept, role="head")
        fresh = load_recall(conn, recall_id)
        assert fresh is not None
        out = recall_out(fresh, rows)
    _schedule(request, recall_id, None)
    return out


# ---- recipient answers ------------------------------------------------------------------------


def _answer(
    request: Request,
    user: CurrentUser,
    engine: Engine,
    recall_id: int,
    action: str,
    arrival_at: datetime | None = None,
    reason: str | None = None,
) -> RecallOut:
    member(user)
    now = get_clock(request).now()
    rr = db.recall_recipients
    changed = False
    due: datetime | None = None
    with db.write_transaction(engine) as conn:
        recall = load_recall(conn, recall_id)
        if recall is None:
            raise _not_found()
        mine = load_recipients(conn, [recall_id], user.id)[recall_id]
        if not mine:
            raise _not_found()
        row = mine[0]
        state = row.state
        closed = recall.closed_at is not None
        values: dict[str, Any] = {}
        if action == "delivered":
            if state == "sent" and not closed:
                values = {"state": "delivered", "delivered_at": now}
        elif action == "seen":
            if RANK[state] < RANK["seen"] and not closed:
                values = {"state": "seen", "seen_at": now, "delivered_at": row.delivered_at or now}
        elif closed:
            raise ApiError(409, "recall.closed", "This recall is closed.", {"state": state})
        elif action == "acknowledge":
            assert arrival_at is not None
            if state == "acknowledged":
                if as_utc(row.arrival_at) != arrival_at:
                    values = {"arrival_at": arrival_at}
            else:
                values = {
                    "state": "acknowledged", "acknowledged_at": now, "arrival_at": arrival_at,
                    "delivered_at": row.delivered_at or now, "seen_at": row.seen_at or now,
                }
        elif action == "decline":
            if state == "acknowledged":
                raise ApiError(
                    409, "recall.illegal_transition",
                    "An acknowledged recall cannot be declined.", {"state": state},
                )
            if state != "declined":
                values = {
                    "state": "declined", "declined_at": now, "decline_reason": reason,
                    "delivered_at": row.delivered_at or now, "seen_at": row.seen_at or now,
                }
        if values:
            changed = True
            conn.execute(
                update(rr)
                .where(and_(rr.c.recall_id == recall_id, rr.c.user_id == user.id))
                .values(updated_at=now, **values)
            )
            due = refresh_due(conn, recall_id)
            row = load_recipients(conn, [recall_id], user.id)[recall_id][0]
            payload = state_event(recall_id, row)
            events.emit(
                conn, events.RECALL_STATE, payload, at=now, department_id=recall.department_id,
                role="head",
            )
            events.emit(conn, events.RECALL_STATE, payload, at=now, user_id=user.id)
        out = recall_out(recall, [row])
    if changed:
        _schedule(request, recall_id, due)
    return out


@router.post("/api/v1/oncall/recalls/{recall_id}/delivered", response_model=RecallOut)
def recall_delivered(
    recall_id: RecallId, request: Request, user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
) -> RecallOut:
    return _answer(request, user, engine, recall_id, "delivered")


@router.post("/api/v1/oncall/recalls/{recall_id}/seen", response_model=RecallOut)
def recall_seen(
    recall_id: RecallId, request: Request, user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
) -> RecallOut:
    return _answer(request, user, engine, recall_id, "seen")


@router.post(
    "/api/v1/oncall/recalls/{recall_id}/acknowledge",
    response_model=RecallOut,
    responses={409: {"description": "recall.closed"}},
)
def recall_acknowledge(
    recall_id: RecallId, body: AcknowledgeIn, request: Request, user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
) -> RecallOut:
    arrival = parse_time(body.arrival_at, "arrival_at")
    now = get_clock(request).now()
    if not now - PAST_TOLERANCE <= arrival <= now + MAX_ARRIVAL_AHEAD:
        raise _invalid("bad_arrival_at", "arrival_at must be from now to 7 days ahead.")
    return _answer(request, user, engine, recall_id, "acknowledge", arrival_at=arrival)


@router.post(
    "/api/v1/oncall/recalls/{recall_id}/decline",
    response_model=RecallOut,
    responses={409: {"description": "recall.closed / recall.illegal_transition"}},
)
def recall_decline(
    recall_id: RecallId, body: DeclineIn, request: Request, user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
) -> RecallOut:
    reason = body.reason.strip()
    if not reason:
        raise _invalid("reason_required", "Say why you cannot come.")
    return _answer(request, user, engine, recall_id, "decline", reason=reason)
