"""Conversion between :class:`DossierState` and the dossier document's JSON fields.

The API's dossier document carries the workflow fields with instants as ISO 8601 strings,
``status`` as an int and ``step`` as a string. :func:`state_from_document` reads them (extra
keys are ignored) and :func:`state_to_document` writes them back (instants as UTC ``Z``).
``allowed_hours``, ``late_flag`` and ``proposed_decision`` are read when present; the caller
may pass ``allowed_hours`` explicitly (e.g. from the procedure table).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from wfh_client.domain.statuses import Status, Step
from wfh_client.domain.timefmt import parse_instant, to_iso_utc
from wfh_client.domain.workflow import DossierState

__all__ = ["STATE_FIELDS", "state_from_document", "state_to_document"]

_INSTANTS = (
    "received_at",
    "due_at",
    "clock_stopped_at",
    "original_due_at",
    "finished_at",
    "returned_at",
)
STATE_FIELDS = (
    "status",
    "step",
    "department_id",
    "assignee_id",
    "allowed_hours",
    "supplement_count",
    "apology_count",
    "late_flag",
    "proposed_decision",
    *_INSTANTS,
)


def _instant(doc: Mapping[str, Any], key: str) -> datetime | None:
    value = doc.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{key} must be an ISO 8601 string")
    return parse_instant(value)


def state_from_document(
    doc: Mapping[str, Any], *, allowed_hours: int | None = None
) -> DossierState:
    """Build the workflow state from a dossier document; ``ValueError`` if it is malformed."""
    try:
        received = _instant(doc, "received_at")
        if received is None:
            raise ValueError("received_at is required")
        step_raw = doc.get("step")
        hours = allowed_hours if allowed_hours is not None else doc.get("allowed_hours", 0)
        assignee = doc.get("assignee_id")
        return DossierState(
            status=Status(int(doc["status"])),
            step=None if step_raw in (None, "") else Step(step_raw),
            department_id=str(doc["department_id"]),
            assignee_id=None if assignee is None else int(assignee),
            received_at=received,
            due_at=_instant(doc, "due_at"),
            allowed_hours=int(hours or 0),
            clock_stopped_at=_instant(doc, "clock_stopped_at"),
            supplement_count=int(doc.get("supplement_count") or 0),
            apology_count=int(doc.get("apology_count") or 0),
            original_due_at=_instant(doc, "original_due_at"),
            finished_at=_instant(doc, "finished_at"),
            returned_at=_instant(doc, "returned_at"),
            late_flag=bool(doc.get("late_flag", False)),
            proposed_decision=doc.get("proposed_decision"),
        )
    except KeyError as exc:
        raise ValueError(f"dossier document lacks {exc.args[0]!r}") from None
    except TypeError as exc:
        raise ValueError(f"malformed dossier document: {exc}") from None


def state_to_document(state: DossierState) -> dict[str, Any]:
    """The workflow fields of ``state`` in the document's JSON form (see :data:`STATE_FIELDS`)."""
    doc: dict[str, Any] = {
        "status": int(state.status),
        "step": None if state.step is None else state.step.value,
        "department_id": state.department_id,
        "assignee_id": state.assignee_id,
        "allowed_hours": state.allowed_hours,
        "supplement_count": state.supplement_count,
        "apology_count": state.apology_count,
        "late_flag": state.late_flag,
        "proposed_decision": state.proposed_decision,
    }
    for key in _INSTANTS:
        value: datetime | None = getattr(state, key)
        doc[key] = None if value is None else to_iso_utc(value)
    return doc
