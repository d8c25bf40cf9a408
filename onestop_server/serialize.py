"""Builds the dossier JSON document of the API contract and stores it in ``dossiers.payload``.

Contract (do not change the signatures without updating the callers):
- ``dossier_document(conn, dossier_id) -> dict``: the full document (docs/architecture.md).
- ``rebuild_payload(conn, dossier_id) -> str``: rebuild, store in ``dossiers.payload``, return it.
- ``build_documents(conn, ids)`` / ``rebuild_payloads(conn, ids)``: the same for many dossiers with
  a handful of queries per chunk (the seeder and bulk repairs).

Where the fields come from:
- dossier columns (status, step, dates, counters) and ``dossiers.data`` for the rest:
  ``channel``, ``applicant`` ({name, type, id_number, email, phone, address}), ``summary``,
  ``original_due_at`` (ISO string), ``result_method`` (the applicant's choice; ``result_channel``
  once the result was returned wins), ``fees`` ([{name, amount}]); other keys
  of ``data`` are the server's own bookkeeping and are not served.
- procedures (name, field), users (assignee/author/actor names and titles), departments.
- history rows: ``actor_name``/``actor_title``/``department_name``/``handed_to_name`` come from
  the users table; rows without a user (the one-stop desk, the system) take them from
  ``history.details`` keys of the same names. ``timeliness`` is the slip's verdict for the step
  the row completes (``wfh_client.domain.slip.step_timeliness(at, step_due_at)``).
Times are ISO 8601 UTC with ``Z``; naive datetimes read back from SQLite are UTC.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from onestop_server import db
from onestop_server.workcal import load_calendar
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.slip import step_timeliness

CHUNK = 500  # ids per IN (...) query
Rowish = Mapping[Any, Any]  # a result row mapping or a plain dict with the table's columns


def iso(value: datetime | str | None) -> str | None:
    """ISO 8601 UTC with ``Z`` (microseconds only when non-zero); strings pass through."""
    if value is None or isinstance(value, str):
        return value
    utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return utc.isoformat().replace("+00:00", "Z")


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def dumps(document: dict[str, Any]) -> str:
    """The stored/served form: compact JSON, UTF-8 text kept as is."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _chunks(ids: Sequence[str], size: int = CHUNK) -> Iterable[Sequence[str]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _user_map(conn: Connection, ids: set[int] | None) -> dict[int, Rowish]:
    """id -> {full_name, title, department_id} for ``ids`` (every user when ``None``)."""
    if ids is not None and not ids:
        return {}
    u = db.users
    query = select(u.c.id, u.c.full_name, u.c.title, u.c.department_id)
    if ids is not None:
        query = query.where(u.c.id.in_(sorted(ids)))
    return {r["id"]: r for r in conn.execute(query).mappings()}


def user_map(conn: Connection) -> dict[int, Rowish]:
    return _user_map(conn, None)


def procedure_map(conn: Connection) -> dict[str, Rowish]:
    """code -> {name, field_code, field_name, working_hours}."""
    p = db.procedures
    query = select(p.c.code, p.c.name, p.c.field_code, p.c.field_name, p.c.working_hours)
    return {r["code"]: r for r in conn.execute(query).mappings()}


def department_names(conn: Connection) -> dict[str, str]:
    return {r.id: r.name for r in conn.execute(select(db.departments.c.id, db.departments.c.name))}


def build_documents(
    conn: Connection, dossier_ids: Sequence[str], *, calendar: WorkingCalendar | None = None
) -> dict[str, dict[str, Any]]:
    """The documents of ``dossier_ids`` (unknown ids are skipped), a few queries per chunk."""
    cal = calendar or load_calendar(conn)
    dept_names = department_names(conn)
    procs = procedure_map(conn)
    result: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(list(dossier_ids)):
        d = db.dossiers
        rows = conn.execute(
            select(
                d.c.id, d.c.code, d.c.version, d.c.department_id, d.c.assignee_id, d.c.status,
                d.c.step, d.c.procedure_code, d.c.received_at, d.c.due_at, d.c.finished_at,
                d.c.returned_at, d.c.clock_stopped_at, d.c.supplement_count, d.c.apology_count,
                d.c.data, d.c.updated_at,
            ).where(d.c.id.in_(chunk))
        ).mappings().all()
        if not rows:
            continue
        docs: dict[str, list[dict[str, Any]]] = defaultdict(list)
        t = db.documents
        for r in conn.execute(
            select(t.c.id, t.c.dossier_id, t.c.name, t.c.kind, t.c.mime, t.c.size, t.c.sha256)
            .where(t.c.dossier_id.in_(chunk))
            .order_by(t.c.id)
        ).mappings():
            docs[r["dossier_id"]].append(document_entry(r))
        n = db.notes
        note_rows = conn.execute(
            select(n.c.id, n.c.dossier_id, n.c.author_id, n.c.text, n.c.created_at, n.c.client_id)
            .where(n.c.dossier_id.in_(chunk))
            .order_by(n.c.id)
        ).mappings().all()
        h = db.history
        hist_rows = conn.execute(
            select(
                h.c.id, h.c.dossier_id, h.c.at, h.c.actor_id, h.c.action, h.c.from_status,
                h.c.to_status, h.c.from_step, h.c.to_step, h.c.handed_to_id, h.c.step_due_at,
                h.c.content, h.c.details,
            )
            .where(h.c.dossier_id.in_(chunk))
            .order_by(h.c.at, h.c.id)
        ).mappings().all()
        user_ids = {r["assignee_id"] for r in rows if r["assignee_id"] is not None}
        user_ids.update(r["author_id"] for r in note_rows)
        for r in hist_rows:
            if r["actor_id"] is not None:
                user_ids.add(r["actor_id"])
            if r["handed_to_id"] is not None:
                user_ids.add(r["handed_to_id"])
        users = _user_map(conn, user_ids)
        notes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in note_rows:
            notes[r["dossier_id"]].append(note_entry(r, users))
        history: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in hist_rows:
            history[r["dossier_id"]].append(history_entry(r, users, dept_names, cal))
        for r in rows:
            result[r["id"]] = assemble(
                r, procs, users, docs.get(r["id"], []), notes.get(r["id"], []),
                history.get(r["id"], []),
            )
    return result


def document_entry(r: Rowish) -> dict[str, Any]:
    return {"id": r["id"], "name": r["name"], "kind": r["kind"], "mime": r["mime"],
            "size": r["size"], "sha256": r["sha256"]}


def note_entry(r: Rowish, users: Mapping[int, Rowish]) -> dict[str, Any]:
    author = users.get(r["author_id"])
    return {"id": r["id"], "author_id": r["author_id"],
            "author_name": author["full_name"] if author is not None else None,
            "text": r["text"], "created_at": iso(r["created_at"]), "client_id": r["client_id"]}


def history_entry(
    r: Rowish,
    users: Mapping[int, Rowish],
    dept_names: Mapping[str, str],
    cal: WorkingCalendar,
) -> dict[str, Any]:
    """One slip row; rows without a user take names from ``details`` (see module docstring)."""
    details: dict[str, Any] = r["details"] if isinstance(r["details"], dict) else {}
    actor_id, handed_to_id = r["actor_id"], r["handed_to_id"]
    actor = users.get(actor_id) if actor_id is not None else None
    handed = users.get(handed_to_id) if handed_to_id is not None else None
    if actor is not None:
        actor_name, actor_title = actor["full_name"], actor["title"] or ""
        department_name = dept_names.get(
            actor["department_id"] or "", details.get("department_name")
        )
    else:
        actor_name = details.get("actor_name")
        actor_title = details.get("actor_title")
        department_name = details.get("department_name")
    at = _aware(r["at"])
    step_due = _aware(r["step_due_at"])
    timeliness = step_timeliness(cal, at, step_due) if at is not None else None
    return {
        "id": r["id"],
        "at": iso(at),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "actor_title": actor_title,
        "department_name": department_name,
        "action": r["action"],
        "from_status": r["from_status"],
        "to_status": r["to_status"],
        "from_step": r["from_step"],
        "to_step": r["to_step"],
        "handed_to_id": handed_to_id,
        "handed_to_name": (
            handed["full_name"] if handed is not None else details.get("handed_to_name")
        ),
        "step_due_at": iso(step_due),
        "content": r["content"] or "",
        "timeliness": None if timeliness is None else timeliness.value,
    }


def assemble(
    r: Rowish,
    procs: Mapping[str, Rowish],
    users: Mapping[int, Rowish],
    documents: list[dict[str, Any]],
    notes: list[dict[str, Any]],
    history: list[dict[str, Any]],
) -> dict[str, Any]:
    """The document from a dossier row (mapping) and its already-built parts."""
    data: dict[str, Any] = r["data"] if isinstance(r["data"], dict) else {}
    proc = procs.get(r["procedure_code"])
    assignee_id = r["assignee_id"]
    assignee = users.get(assignee_id) if assignee_id is not None else None
    raw_applicant = data.get("applicant")
    applicant: dict[str, Any] = raw_applicant if isinstance(raw_applicant, dict) else {}
    return {
        "id": r["id"],
        "code": r["code"],
        "version": r["version"],
        "department_id": r["department_id"],
        "assignee_id": assignee_id,
        "assignee_name": assignee["full_name"] if assignee is not None else None,
        "status": r["status"],
        "step": r["step"],
        "procedure_code": r["procedure_code"],
        "procedure_name": proc["name"] if proc is not None else "",
        "field_code": proc["field_code"] if proc is not None else "",
        "field_name": proc["field_name"] if proc is not None else "",
        "channel": data.get("channel", "counter"),
        "applicant": {
            "name": applicant.get("name", ""),
            "type": applicant.get("type", "citizen"),
            "id_number": applicant.get("id_number"),
            "email": applicant.get("email"),
            "phone": applicant.get("phone"),
            "address": applicant.get("address"),
        },
        "summary": data.get("summary", ""),
        "received_at": iso(r["received_at"]),
        "due_at": iso(r["due_at"]),
        "original_due_at": iso(data.get("original_due_at")),
        "finished_at": iso(r["finished_at"]),
        "returned_at": iso(r["returned_at"]),
        "result_method": data.get("result_channel") or data.get("result_method"),
        "fees": list(data.get("fees") or []),
        "clock_stopped_at": iso(r["clock_stopped_at"]),
        "supplement_count": r["supplement_count"],
        "apology_count": r["apology_count"],
        # The workflow fields the client needs to predict the server's decision offline.
        "allowed_hours": proc["working_hours"] if proc is not None else 0,
        "late_flag": bool(data.get("late_flag", False)),
        "proposed_decision": data.get("proposed_decision"),
        "documents": documents,
        "notes": notes,
        "history": history,
        "updated_at": iso(r["updated_at"]),
    }


def dossier_document(conn: Connection, dossier_id: str) -> dict[str, Any]:
    """The dossier's document; ``LookupError`` if there is no such dossier."""
    found = build_documents(conn, [dossier_id])
    if dossier_id not in found:
        raise LookupError(f"no dossier {dossier_id!r}")
    return found[dossier_id]


def rebuild_payload(conn: Connection, dossier_id: str) -> str:
    """Rebuild the stored payload of one dossier (call after every change) and return it."""
    payload = dumps(dossier_document(conn, dossier_id))
    conn.execute(update(db.dossiers).where(db.dossiers.c.id == dossier_id).values(payload=payload))
    return payload


def rebuild_payloads(
    conn: Connection, dossier_ids: Sequence[str], *, calendar: WorkingCalendar | None = None
) -> int:
    """Rebuild and store the payloads of many dossiers (bulk); returns how many were written."""
    cal = calendar or load_calendar(conn)
    written = 0
    stmt = (
        update(db.dossiers)
        .where(db.dossiers.c.id == bindparam("b_id"))
        .values(payload=bindparam("b_payload"))
    )
    for chunk in _chunks(list(dossier_ids), 2000):
        built = build_documents(conn, chunk, calendar=cal)
        if built:
            conn.execute(
                stmt, [{"b_id": k, "b_payload": dumps(v)} for k, v in built.items()]
            )
            written += len(built)
    return written


# ---- the document's schema, for the OpenAPI description -----------------------------------


class ApplicantOut(BaseModel):
    name: str
    type: str
    id_number: str | None
    email: str | None
    phone: str | None
    address: str | None


class FeeOut(BaseModel):
    name: str
    amount: int


class DocumentRefOut(BaseModel):
    id: int
    name: str
    kind: str
    mime: str
    size: int
    sha256: str


class NoteOut(BaseModel):
    id: int
    author_id: int
    author_name: str | None
    text: str
    created_at: str | None
    client_id: str | None


class HistoryOut(BaseModel):
    id: int
    at: str | None
    actor_id: int | None
    actor_name: str | None
    actor_title: str | None
    department_name: str | None
    action: str
    from_status: int | None
    to_status: int | None
    from_step: str | None
    to_step: str | None
    handed_to_id: int | None
    handed_to_name: str | None
    step_due_at: str | None
    content: str
    timeliness: str | None


class DossierOut(BaseModel):
    """The dossier document (docs/architecture.md); served from ``dossiers.payload``."""

    id: str
    code: str
    version: int
    department_id: str
    assignee_id: int | None
    assignee_name: str | None
    status: int
    step: str | None
    procedure_code: str
    procedure_name: str
    field_code: str
    field_name: str
    channel: str
    applicant: ApplicantOut
    summary: str
    received_at: str | None
    due_at: str | None
    original_due_at: str | None
    finished_at: str | None
    returned_at: str | None
    result_method: str | None
    fees: list[FeeOut]
    clock_stopped_at: str | None
    supplement_count: int
    apology_count: int
    allowed_hours: int
    late_flag: bool
    proposed_decision: str | None
    documents: list[DocumentRefOut]
    notes: list[NoteOut]
    history: list[HistoryOut]
    updated_at: str | None
