"""The on-time rule (DOMAIN.md) and its aggregations, shared by the server's reports and the client.

The rule, as implemented by :func:`verdict`:

* **Judged dossiers.** Only dossiers whose processing has ended are judged. The end of
  processing is the first of ``finished_at`` (result approved, stopped after review, refused) and
  ``returned_at`` (result handed over). Withdrawn dossiers (status 7) are never judged: the
  applicant ended them, not the department. A dossier without an appointment (``due_at`` is
  None, e.g. refused at the desk before it was ever accepted) is not judged either
  (:attr:`Verdict.EXCLUDED`). A dossier whose processing has not ended is :attr:`Verdict.OPEN`.
* **The appointment is the due date in force** (``dossiers.due_at``): the apology's new date
  (Mẫu 04) when one was set, and, after a supplement, the date recomputed when the complete
  dossier came back.
* **Waiting for the applicant is excluded, counted exactly once.** When the missing documents
  come back the domain restarts the clock from zero (``workflow`` ``documents_received`` sets
  ``due_at = restart_clock(resumed_at, allowed_hours)``), so the due date in force already gives
  the whole allowed time again *after* the wait: the waiting interval lies before the new
  allowed time starts and does not consume any of it. Subtracting waiting intervals from the end
  of processing as well would count them twice, so closed waiting intervals are deliberately
  not used. The only interval still to exclude is an *open* one: a dossier that ended while the
  clock was stopped (stopped/refused while awaiting documents, ``clock_stopped_at`` still set)
  is judged at the moment the clock stopped, ``min(end, clock_stopped_at)``, against the due
  date that was then in force.
* **On time** when that effective end is at or before the appointment (``end <= due_at``, to the
  second); else **late**.
* **More than one supplement request counts as late** (``supplement_count >= 2``), whatever the
  dates say.

Aggregation: :func:`aggregate` counts on-time / late / total per key (officer, field, month)
with the rate ``on_time / total`` (None when nothing was judged), so charts can show both the
rate and the volume. :func:`month_key` puts a dossier in the month of its end of processing in
the department's time zone. Pure Python: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum

from wfh_client.domain.statuses import Status
from wfh_client.domain.timefmt import ensure_aware

__all__ = [
    "LATE_SUPPLEMENTS",
    "OnTimeFacts",
    "RateRow",
    "Verdict",
    "aggregate",
    "effective_end",
    "end_of_processing",
    "month_key",
    "totals",
    "verdict",
]

#: This many supplement requests (or more) make a dossier late ("bổ sung một lần").
LATE_SUPPLEMENTS = 2

#: Statuses whose processing has ended and that are judged (withdrawn is never judged).
_JUDGED = frozenset({Status.REFUSED_AT_INTAKE, Status.STOPPED, Status.RESULT_READY, Status.RETURNED})


class Verdict(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    OPEN = "open"  # processing has not ended
    EXCLUDED = "excluded"  # withdrawn, or no appointment to judge against


@dataclass(frozen=True)
class OnTimeFacts:
    """A dossier's timeline facts (aware datetimes). ``due_at`` is the due date in force."""

    status: int
    due_at: datetime | None
    finished_at: datetime | None = None
    returned_at: datetime | None = None
    clock_stopped_at: datetime | None = None
    supplement_count: int = 0
    apology_count: int = 0


def end_of_processing(facts: OnTimeFacts) -> datetime | None:
    """The first of finished / returned; None while processing goes on (or if withdrawn)."""
    if facts.status == Status.WITHDRAWN or facts.status not in _JUDGED:
        return None
    ends = [ensure_aware(t, "end") for t in (facts.finished_at, facts.returned_at) if t is not None]
    return min(ends) if ends else None


def effective_end(facts: OnTimeFacts) -> datetime | None:
    """The end of processing with an open waiting interval cut off (see the module docstring)."""
    end = end_of_processing(facts)
    if end is None:
        return None
    stopped = facts.clock_stopped_at
    if stopped is not None and ensure_aware(stopped, "clock_stopped_at") < end:
        return stopped
    return end


def verdict(facts: OnTimeFacts) -> Verdict:
    """ON_TIME / LATE for an ended dossier, OPEN while processing, EXCLUDED if not judged."""
    if facts.status == Status.WITHDRAWN:
        return Verdict.EXCLUDED
    end = effective_end(facts)
    if end is None:
        return Verdict.OPEN if facts.status not in _JUDGED else Verdict.EXCLUDED
    if facts.due_at is None:
        return Verdict.EXCLUDED
    if facts.supplement_count >= LATE_SUPPLEMENTS:
        return Verdict.LATE
    return Verdict.ON_TIME if end <= ensure_aware(facts.due_at, "due_at") else Verdict.LATE


def month_key(end: datetime, tz: tzinfo) -> str:
    """``YYYY-MM`` of ``end`` in the department's time zone."""
    return ensure_aware(end, "end").astimezone(tz).strftime("%Y-%m")


@dataclass(frozen=True)
class RateRow:
    """One bar of a chart: counts of judged dossiers and the on-time rate (0..1 or None)."""

    key: str
    label: str
    on_time: int
    late: int
    apologised: int = 0  # judged dossiers that had an apology / new appointment

    @property
    def total(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float | None:
        return None if self.total == 0 else self.on_time / self.total

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label, "on_time": self.on_time, "late": self.late,
                "total": self.total, "rate": self.rate, "apologised": self.apologised}


def aggregate(
    items: Iterable[tuple[str, str, Verdict, bool]],
    *,
    keys: Iterable[tuple[str, str]] = (),
) -> list[RateRow]:
    """Count ``(key, label, verdict, apologised)`` items per key; OPEN/EXCLUDED are skipped.

    ``keys`` lists ``(key, label)`` that must appear even with nothing judged (every officer,
    every month of the range), in that order; other keys follow sorted by key.
    """
    order: dict[str, str] = {}
    for key, label in keys:
        order.setdefault(key, label)
    counts: dict[str, list[int]] = {k: [0, 0, 0] for k in order}
    for key, label, v, apologised in items:
        if v not in (Verdict.ON_TIME, Verdict.LATE):
            continue
        if key not in counts:
            counts[key] = [0, 0, 0]
        order.setdefault(key, label)
        c = counts[key]
        c[0 if v is Verdict.ON_TIME else 1] += 1
        c[2] += int(apologised)
    listed = [k for k, _ in keys]
    rest = sorted(k for k in counts if k not in set(listed))
    seen: set[str] = set()
    out: list[RateRow] = []
    for k in [*listed, *rest]:
        if k in seen:
            continue
        seen.add(k)
        c = counts[k]
        out.append(RateRow(key=k, label=order[k], on_time=c[0], late=c[1], apologised=c[2]))
    return out


def totals(rows: Iterable[RateRow], key: str = "total", label: str = "") -> RateRow:
    """The sum of ``rows`` as one row."""
    on_time = late = apologised = 0
    for r in rows:
        on_time, late, apologised = on_time + r.on_time, late + r.late, apologised + r.apologised
    return RateRow(key=key, label=label, on_time=on_time, late=late, apologised=apologised)
