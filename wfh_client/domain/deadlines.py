"""Deadline buckets of open dossiers for the head's board and the team's load (pure).

Definitions (the server's ``/team/load`` and the client's offline board use the same ones):

* **Open**: status 2, 4, 5 or 6 (accepted, processing, awaiting documents, awaiting fees).
* **Clock running** (:func:`clock_running`, THE definition: the officer's list and its colours,
  the status-bar counts, the alerts, the dossier window, the head's board and the server's team
  load all use it): open and not status 5; a dossier awaiting the applicant's documents has its
  clock stopped, so it is never counted as due or overdue (its due date restarts when the
  documents come back). Status 1 (submitted, not yet accepted) has no clock yet: it starts at
  receipt. SQL callers take the same set as :data:`CLOCK_RUNNING_STATUSES`.
* **Overdue**: clock running and ``due_at < now``.
* **Due today**: clock running, ``now <= due_at`` and ``due_at`` before the next local midnight.
* **Due within N working days**: clock running and ``now <= due_at <= now + N working days``
  (``WorkingCalendar.add_working_time``); ``within_3`` includes those due today.
* **Needs an apology slip** (Mẫu 04): the apology must be issued at least one working day before
  the due date (``workflow`` refuses it later: ``apology_too_late``), so a dossier needs one
  *now* when that last chance falls within the next working day: clock running, no apology yet
  (the new date may be set only once), not waiting for the head's signature (step
  ``submitted_for_approval`` can still be finished by approving it) and
  ``now + 1 working day <= due_at < now + 2 working days``.

:func:`thresholds` turns ``now`` into the instants those comparisons need, so that stores can
count with plain SQL comparisons over a ``due_at`` column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.statuses import Status, Step
from wfh_client.domain.timefmt import ensure_aware

__all__ = [
    "CLOCK_RUNNING_STATUSES",
    "clock_running",
    "OPEN_STATUSES",
    "Bucket",
    "Thresholds",
    "buckets",
    "thresholds",
]

OPEN_STATUSES = frozenset(
    {Status.ACCEPTED, Status.PROCESSING, Status.AWAITING_SUPPLEMENT, Status.AWAITING_FEES}
)


def clock_running(status: int | None) -> bool:
    """Whether a dossier in ``status`` has its deadline clock running (see the module doc)."""
    return status in OPEN_STATUSES and status != Status.AWAITING_SUPPLEMENT


#: the statuses :func:`clock_running` accepts, for SQL ``IN (...)`` clauses
CLOCK_RUNNING_STATUSES = frozenset(s for s in Status if clock_running(s))


class Bucket:
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    WITHIN_3 = "due_3_days"
    NEEDS_APOLOGY = "needs_apology"


@dataclass(frozen=True)
class Thresholds:
    """Instants (UTC) derived from ``now``: see the module docstring."""

    now: datetime
    end_of_today: datetime  # next local midnight
    one_day: datetime  # now + 1 working day
    two_days: datetime  # now + 2 working days
    three_days: datetime  # now + 3 working days

    def iso(self) -> dict[str, str]:
        """Each instant as ``YYYY-MM-DDTHH:MM:SSZ`` (comparable with the cache's text)."""
        return {
            name: getattr(self, name).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            for name in ("now", "end_of_today", "one_day", "two_days", "three_days")
        }


def thresholds(calendar: WorkingCalendar, now: datetime) -> Thresholds:
    now = ensure_aware(now, "now").astimezone(UTC)
    local = now.astimezone(calendar.tz)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=calendar.tz)

    def ahead(days: int) -> datetime:
        return calendar.add_working_time(now, days=days).astimezone(UTC)

    return Thresholds(now, midnight.astimezone(UTC), ahead(1), ahead(2), ahead(3))


def buckets(
    t: Thresholds,
    status: int,
    due_at: datetime | None,
    *,
    step: str | None = None,
    apology_count: int = 0,
) -> set[str]:
    """The board buckets one dossier falls in (the reference for the SQL versions)."""
    if not clock_running(status) or due_at is None:
        return set()
    due = ensure_aware(due_at, "due_at")
    out: set[str] = set()
    if due < t.now:
        out.add(Bucket.OVERDUE)
        return out
    if due < t.end_of_today:
        out.add(Bucket.DUE_TODAY)
    if due <= t.three_days:
        out.add(Bucket.WITHIN_3)
    if (
        apology_count == 0
        and step != Step.SUBMITTED_FOR_APPROVAL.value
        and t.one_day <= due < t.two_days
    ):
        out.add(Bucket.NEEDS_APOLOGY)
    return out
