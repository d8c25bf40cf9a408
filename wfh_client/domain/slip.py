"""The process-control slip (Mẫu 05): history rows and their per-step timeliness.

Every state-changing action produces one :class:`HistoryEntry` (a handover row: from which
status/step to which, to whom, when, a Vietnamese summary, and the deadline of the step that
the action completes). :func:`step_timeliness` / :func:`classify_steps` judge each row early,
on time or late against its ``step_due_at`` with the working calendar.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.statuses import Status, Step, Timeliness
from wfh_client.domain.timefmt import parse_instant, to_iso_utc

__all__ = [
    "HistoryEntry",
    "HasStepTimes",
    "classify_steps",
    "format_local",
    "step_timeliness",
]


@dataclass(frozen=True)
class HistoryEntry:
    """One row of the process-control slip produced by an action."""

    action: str
    from_status: Status
    to_status: Status
    from_step: Step | None
    to_step: Step | None
    handed_to_id: int | None
    content: str  # Vietnamese, human-readable
    step_due_at: datetime | None  # deadline of the step this action completes
    at: datetime  # when the action happened (the ``now`` given to apply_action)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (instants as ISO 8601 UTC ``Z``; enums as their values)."""
        return {
            "action": self.action,
            "from_status": int(self.from_status),
            "to_status": int(self.to_status),
            "from_step": None if self.from_step is None else self.from_step.value,
            "to_step": None if self.to_step is None else self.to_step.value,
            "handed_to_id": self.handed_to_id,
            "content": self.content,
            "step_due_at": None if self.step_due_at is None else to_iso_utc(self.step_due_at),
            "at": to_iso_utc(self.at),
        }


class HasStepTimes(Protocol):
    @property
    def at(self) -> datetime: ...

    @property
    def step_due_at(self) -> datetime | None: ...


def format_local(calendar: WorkingCalendar, instant: datetime) -> str:
    """``dd/mm/yyyy HH:MM`` in the calendar's time zone (the slip's format)."""
    return instant.astimezone(calendar.tz).strftime("%d/%m/%Y %H:%M")


def step_timeliness(
    calendar: WorkingCalendar, at: datetime, step_due_at: datetime | None
) -> Timeliness | None:
    """Timeliness of one handover; ``None`` when the step had no deadline."""
    if step_due_at is None:
        return None
    return calendar.classify(at, step_due_at)


def _instant(value: Any, name: str) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, str):
        return parse_instant(value)
    raise TypeError(f"{name} must be a datetime or an ISO 8601 string")


def classify_steps(
    calendar: WorkingCalendar, rows: Iterable[HasStepTimes | Mapping[str, Any]]
) -> list[Timeliness | None]:
    """Classify each history row (objects or mappings with ``at`` and ``step_due_at``).

    Mapping values may be aware datetimes or ISO 8601 strings. Rows without a step deadline
    give ``None``.
    """
    result: list[Timeliness | None] = []
    for row in rows:
        if isinstance(row, Mapping):
            at = _instant(row.get("at"), "at")
            due = _instant(row.get("step_due_at"), "step_due_at")
        else:
            at, due = row.at, row.step_due_at
        if at is None:
            raise ValueError("history row without 'at'")
        result.append(step_timeliness(calendar, at, due))
    return result
