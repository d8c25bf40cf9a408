"""The head's department board, queues and team load, read from the local cache (offline).

Read-only SQL over the cache (a head's cache holds every dossier of the department except the
withdrawn ones), no Qt, no HTTP; pass ``cache.reader()``, the department's
``WorkingCalendar`` (``SyncEngine.profile().calendar``) and ``now``. The definitions are those
of ``wfh_client.domain.deadlines`` (the server's ``/team/load`` uses the same ones):

* ``open``: status 2/4/5/6; ``awaiting_documents``: status 5 (clock stopped, never due/overdue);
* ``overdue`` / ``due_today`` / ``due_3_days`` (includes due today) / ``needs_apology``: see
  ``deadlines``; their instants come from ``deadlines.thresholds`` and are compared with the
  cache's ``due_at`` text (ISO 8601 UTC with ``Z``; sub-second parts are ignored);
* ``unassigned`` (the department's queue): open with no officer, or status 2, or step
  ``unassigned``; ordered by due date (most urgent first);
* ``awaiting_approval``: status 4, step ``submitted_for_approval``; oldest submission first.

:func:`bucket_ids` returns the dossier ids behind any count for the click-through and
:func:`dossier_rows` their list rows; :func:`assignees` names the officers the cache knows. The local
(optimistic) state is what is counted, so an assignment made offline leaves the queue at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.deadlines import (
    CLOCK_RUNNING_STATUSES,
    OPEN_STATUSES,
    Bucket,
    Thresholds,
    thresholds,
)
from wfh_client.domain.statuses import Status, Step
from wfh_client.domain.timefmt import parse_instant

__all__ = [
    "DossierRow",
    "assignees",
    "dossier_rows",
    "BUCKETS",
    "ApprovalItem",
    "Board",
    "LocalLoad",
    "QueueItem",
    "approval_queue",
    "board",
    "bucket_ids",
    "officer_load",
    "unassigned_queue",
]

UNASSIGNED = "unassigned"
AWAITING_APPROVAL = "awaiting_approval"
AWAITING_DOCUMENTS = "awaiting_documents"
OPEN = "open"


def _in(statuses: Sequence[int]) -> str:
    return "(" + ",".join(str(int(s)) for s in sorted(statuses)) + ")"


_OPEN = f"d.status IN {_in(list(OPEN_STATUSES))}"
_RUNNING = f"d.status IN {_in(list(CLOCK_RUNNING_STATUSES))} AND d.due_at IS NOT NULL"
_APOLOGY_COUNT = "COALESCE(json_extract(j.data, '$.apology_count'), 0)"

#: bucket name -> WHERE clause over ``dossiers d JOIN dossier_json j`` (named parameters from
#: ``Thresholds.iso()``).
BUCKETS: dict[str, str] = {
    OPEN: _OPEN,
    Bucket.OVERDUE: f"{_RUNNING} AND d.due_at < :now",
    Bucket.DUE_TODAY: f"{_RUNNING} AND d.due_at >= :now AND d.due_at < :end_of_today",
    Bucket.WITHIN_3: f"{_RUNNING} AND d.due_at >= :now AND d.due_at <= :three_days",
    Bucket.NEEDS_APOLOGY: (
        f"{_RUNNING} AND {_APOLOGY_COUNT} = 0 "
        f"AND COALESCE(d.step, '') != '{Step.SUBMITTED_FOR_APPROVAL.value}' "
        "AND d.due_at >= :one_day AND d.due_at < :two_days"
    ),
    UNASSIGNED: (
        f"{_OPEN} AND (d.assignee_id IS NULL OR d.status = {int(Status.ACCEPTED)} "
        f"OR d.step = '{Step.UNASSIGNED.value}')"
    ),
    AWAITING_APPROVAL: (
        f"d.status = {int(Status.PROCESSING)} AND d.step = '{Step.SUBMITTED_FOR_APPROVAL.value}'"
    ),
    AWAITING_DOCUMENTS: f"d.status = {int(Status.AWAITING_SUPPLEMENT)}",
}
_FROM = "FROM dossiers d JOIN dossier_json j ON j.rid = d.rid"


_SUBMISSION = (  # the latest submission in the dossier's history (its JSON)
    "SELECT h.value->>'{col}' FROM json_each(j.data, '$.history') h "
    "WHERE h.value->>'action' = 'submit_for_approval' ORDER BY h.key DESC LIMIT 1"
)
# Built from constants only.
_APPROVAL_SQL = (
    "SELECT d.id, d.code, d.procedure_name, d.applicant_name, d.assignee_id, "  # noqa: S608
    "json_extract(j.data, '$.assignee_name'), json_extract(j.data, '$.proposed_decision'), "
    f"({_SUBMISSION.format(col='content')}), ({_SUBMISSION.format(col='at')}) AS submitted, "
    "(SELECT COUNT(*) FROM json_each(j.data, '$.documents') x "
    "WHERE x.value->>'kind' = 'result'), "
    f"d.due_at, d.local_state {_FROM} WHERE {BUCKETS[AWAITING_APPROVAL]} "
    "ORDER BY submitted IS NULL, submitted, d.code"
)


@dataclass(frozen=True)
class Board:
    """The department board's counts (see the module docstring for each definition)."""

    by_status: dict[int, int]
    open: int
    due_today: int
    due_3_days: int
    overdue: int
    needs_apology: int
    unassigned: int
    awaiting_approval: int
    awaiting_documents: int
    thresholds: Thresholds


@dataclass(frozen=True)
class QueueItem:
    id: str
    code: str
    status: int
    step: str | None
    procedure_name: str
    field_name: str
    applicant_name: str
    received_at: str | None
    due_at: str | None
    remaining_hours: float | None  # working hours left (negative = overdue); None if no due
    local_state: str


@dataclass(frozen=True)
class ApprovalItem:
    id: str
    code: str
    procedure_name: str
    applicant_name: str
    assignee_id: int | None
    assignee_name: str
    proposed_decision: str | None  # "grant" / "refuse"
    proposed_result: str  # the submission's text on the process-control slip
    submitted_at: str | None
    due_at: str | None
    remaining_hours: float | None
    result_documents: int
    local_state: str


@dataclass(frozen=True)
class LocalLoad:
    """An officer's load as the head's cache sees it (offline twin of ``/team/load``)."""

    user_id: int
    full_name: str
    open: int
    due_today: int
    due_3_days: int
    overdue: int


def _params(calendar: WorkingCalendar, now: datetime) -> tuple[Thresholds, dict[str, str]]:
    t = thresholds(calendar, now)
    return t, t.iso()


def _count(db: Database, where: str, params: dict[str, str]) -> int:
    return int(db.execute(f"SELECT COUNT(*) {_FROM} WHERE {where}", params).fetchone()[0])


def board(db: Database, calendar: WorkingCalendar, now: datetime) -> Board:
    """Every count of the board, from the cache."""
    t, params = _params(calendar, now)
    by_status = {int(s): int(n) for s, n in db.execute(
        "SELECT status, COUNT(*) FROM dossiers WHERE status IS NOT NULL GROUP BY status")}
    n = {name: _count(db, where, params) for name, where in BUCKETS.items()}
    return Board(
        by_status=by_status, open=n[OPEN], due_today=n[Bucket.DUE_TODAY],
        due_3_days=n[Bucket.WITHIN_3], overdue=n[Bucket.OVERDUE],
        needs_apology=n[Bucket.NEEDS_APOLOGY], unassigned=n[UNASSIGNED],
        awaiting_approval=n[AWAITING_APPROVAL], awaiting_documents=n[AWAITING_DOCUMENTS],
        thresholds=t,
    )


def bucket_ids(
    db: Database, calendar: WorkingCalendar, now: datetime, bucket: str, *,
    assignee_id: int | None = None,
) -> list[str]:
    """Dossier ids behind a count (``BUCKETS`` name or ``status:N``), most urgent first."""
    _, params = _params(calendar, now)
    args: dict[str, Any] = dict(params)
    if bucket.startswith("status:"):
        where = "d.status = :status"
        args["status"] = int(bucket.split(":", 1)[1])
    elif bucket in BUCKETS:
        where = BUCKETS[bucket]
    else:
        raise ValueError(f"unknown bucket: {bucket!r}")
    if assignee_id is not None:
        where += " AND d.assignee_id = :assignee"
        args["assignee"] = assignee_id
    rows = db.execute(
        f"SELECT d.id {_FROM} WHERE {where} "
        "ORDER BY d.due_at IS NULL, d.due_at, d.code", args)
    return [str(r[0]) for r in rows]


@dataclass(frozen=True)
class DossierRow:
    """One dossier of a board list."""

    id: str
    code: str
    procedure_name: str
    applicant_name: str
    assignee_name: str
    status: int | None
    step: str | None
    due_at: str | None
    remaining_hours: float | None
    local_state: str


_CHUNK = 500  # ids per IN (...) list: under SQLite's parameter limit


def dossier_rows(db: Database, calendar: WorkingCalendar, now: datetime,
                 ids: Sequence[str]) -> list[DossierRow]:
    """The list rows of ``ids``, in that order (ids not in the cache are left out)."""
    found: dict[str, DossierRow] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start:start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            "SELECT d.id, d.code, d.procedure_name, d.applicant_name, "  # noqa: S608 - marks
            "json_extract(j.data, '$.assignee_name'), d.status, d.step, d.due_at, d.local_state "
            f"FROM dossiers d JOIN dossier_json j ON j.rid = d.rid WHERE d.id IN ({marks})",
            chunk).fetchall()
        for r in rows:
            found[str(r[0])] = DossierRow(
                id=str(r[0]), code=r[1] or "", procedure_name=r[2] or "",
                applicant_name=r[3] or "", assignee_name=r[4] or "",
                status=None if r[5] is None else int(r[5]), step=r[6], due_at=r[7],
                remaining_hours=_remaining(calendar, now, r[7]), local_state=r[8])
    return [found[i] for i in ids if i in found]


def assignees(db: Database) -> list[tuple[int, str]]:
    """(id, name) of every officer a cached dossier is assigned to, by name."""
    names: dict[int, str] = {}
    for user_id, name in db.execute(
            "SELECT DISTINCT d.assignee_id, json_extract(j.data, '$.assignee_name') "
            "FROM dossiers d JOIN dossier_json j ON j.rid = d.rid "
            "WHERE d.assignee_id IS NOT NULL"):
        if name:
            names[int(user_id)] = str(name)
    return sorted(names.items(), key=lambda p: (p[1], p[0]))


def _remaining(calendar: WorkingCalendar, now: datetime, due: str | None) -> float | None:
    if not due:
        return None
    try:
        return calendar.remaining(now, parse_instant(due)) / calendar.working_length(hours=1)
    except (TypeError, ValueError):
        return None


def unassigned_queue(db: Database, calendar: WorkingCalendar, now: datetime) -> list[QueueItem]:
    """The department's queue: received, not yet assigned; due first."""
    rows = db.execute(
        "SELECT d.id, d.code, d.status, d.step, d.procedure_name, d.field_name, "
        f"d.applicant_name, d.received_at, d.due_at, d.local_state {_FROM} "
        f"WHERE {BUCKETS[UNASSIGNED]} ORDER BY d.due_at IS NULL, d.due_at, d.code").fetchall()
    return [
        QueueItem(
            id=r[0], code=r[1] or "", status=int(r[2]), step=r[3], procedure_name=r[4] or "",
            field_name=r[5] or "", applicant_name=r[6] or "", received_at=r[7], due_at=r[8],
            remaining_hours=_remaining(calendar, now, r[8]), local_state=r[9],
        )
        for r in rows
    ]


def approval_queue(db: Database, calendar: WorkingCalendar, now: datetime) -> list[ApprovalItem]:
    """Dossiers submitted for approval, with the proposal; oldest submission first."""
    rows = db.execute(_APPROVAL_SQL).fetchall()
    return [
        ApprovalItem(
            id=r[0], code=r[1] or "", procedure_name=r[2] or "", applicant_name=r[3] or "",
            assignee_id=None if r[4] is None else int(r[4]), assignee_name=r[5] or "",
            proposed_decision=r[6], proposed_result=r[7] or "", submitted_at=r[8],
            result_documents=int(r[9]), due_at=r[10],
            remaining_hours=_remaining(calendar, now, r[10]), local_state=r[11],
        )
        for r in rows
    ]


def officer_load(db: Database, calendar: WorkingCalendar, now: datetime) -> list[LocalLoad]:
    """Per assignee in the cache: open, due today, due within 3 working days, overdue."""
    _, params = _params(calendar, now)

    def flag(bucket: str) -> str:
        return f"SUM(CASE WHEN {BUCKETS[bucket]} THEN 1 ELSE 0 END)"

    rows = db.execute(
        "SELECT d.assignee_id, MAX(json_extract(j.data, '$.assignee_name')), COUNT(*), "
        f"{flag(Bucket.DUE_TODAY)}, {flag(Bucket.WITHIN_3)}, {flag(Bucket.OVERDUE)} "
        f"{_FROM} WHERE {_OPEN} AND d.assignee_id IS NOT NULL "
        "GROUP BY d.assignee_id ORDER BY 2, 1", params).fetchall()
    return [
        LocalLoad(user_id=int(r[0]), full_name=r[1] or "", open=int(r[2]),
                  due_today=int(r[3] or 0), due_3_days=int(r[4] or 0), overdue=int(r[5] or 0))
        for r in rows
    ]
