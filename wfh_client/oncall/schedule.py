"""The check-in schedule: the day's windows and the prompts at their start, reminder and end.

Windows come from the department policy (``GET /api/v1/oncall/policy``, cached; replaced on
``feed.policy_changed``) with the shared domain rule (``wfh_client.domain.oncall``): the same
windows the server uses, in the department's local time, none over lunch, weekends or holidays
(Tết). :func:`windows_for_day` is the pure function.

:class:`CheckinScheduler` plans, for each window of today, three jobs: ``window_open`` at its
start, ``window_reminder`` at ``reminder_fraction`` (2/3) of the grace, ``window_missed`` at its
end; and a ``replan`` just after local midnight. :meth:`plan` is pure (tests); :meth:`start`
hands the plan to an APScheduler ``BackgroundScheduler``; :meth:`run_due` fires what is due by
the injectable clock (tests with a frozen clock, and a catch-up after a wake). Firing asks
``state_of(window)`` (the check-ins' view: ``done`` / ``suspended`` / None) and publishes
``oncall.window_open(window)``, ``oncall.window_reminder(window)`` (only while it is still open
and not done) and ``oncall.window_missed(window)`` (only if no check-in was made). ``window`` is
a ``domain.oncall.Window``. Privacy: nothing is recorded here; only the user's own check-ins are.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.oncall import Window, policy_calendar, policy_windows
from wfh_client.events import EventBus
from wfh_client.oncall.transport import utc_now

__all__ = ["CheckinScheduler", "PlannedJob", "windows_for_day"]

log = logging.getLogger(__name__)

OPEN, REMINDER, MISSED, REPLAN = "window_open", "window_reminder", "window_missed", "replan"


def windows_for_day(policy: Mapping[str, Any], day: date,
                    base_overrides: Iterable[Mapping[str, Any]] = ()) -> list[Window]:
    """The check-in windows of a local ``day`` under ``policy`` (+ the server's overrides)."""
    return policy_windows(policy, policy_calendar(policy, base_overrides), day)


@dataclass(frozen=True)
class PlannedJob:
    at: datetime
    kind: str
    window: Window | None = None

    @property
    def key(self) -> tuple[str, datetime]:
        return self.kind, self.at if self.window is None else self.window.start


class CheckinScheduler:
    def __init__(
        self,
        bus: EventBus,
        *,
        clock: Callable[[], datetime] = utc_now,
        state_of: Callable[[Window], str | None] = lambda _w: None,
        reminder_fraction: float = 2 / 3,
    ) -> None:
        self.bus = bus
        self.clock = clock
        self.state_of = state_of
        self.reminder_fraction = reminder_fraction
        self.policy: dict[str, Any] | None = None
        self.base_overrides: list[dict[str, Any]] = []
        self.calendar: WorkingCalendar | None = None
        self._fired: set[tuple[str, datetime]] = set()
        self._fired_day: date | None = None
        self._lock = threading.RLock()
        self._scheduler: BackgroundScheduler | None = None

    # ---- policy -------------------------------------------------------------------------------

    def set_policy(self, policy: Mapping[str, Any],
                   base_overrides: Iterable[Mapping[str, Any]] | None = None) -> None:
        """Use a new policy (and server overrides); reschedules when running."""
        with self._lock:
            if base_overrides is not None:
                self.base_overrides = [dict(o) for o in base_overrides]
            try:
                calendar = policy_calendar(policy, self.base_overrides)
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("unusable on-call policy ignored: %s", exc)
                return
            self.policy, self.calendar = dict(policy), calendar
        self.reschedule()

    def local_day(self, now: datetime | None = None) -> date | None:
        if self.calendar is None:
            return None
        return (now or self.clock()).astimezone(self.calendar.tz).date()

    def on_duty(self, now: datetime | None = None) -> bool:
        """Inside one of the department's working periods now (or no policy known yet: then
        assume so, so the events feed stays quick to reconnect)."""
        with self._lock:
            calendar = self.calendar
        if calendar is None:
            return True
        at = (now or self.clock()).astimezone(calendar.tz)
        return any(start <= at < end for start, end in calendar.working_periods(at.date()))

    def windows(self, day: date) -> list[Window]:
        with self._lock:
            if self.policy is None or self.calendar is None:
                return []
            return policy_windows(self.policy, self.calendar, day)

    # ---- planning (pure given the policy) -----------------------------------------------------

    def jobs_for_day(self, day: date) -> list[PlannedJob]:
        jobs: list[PlannedJob] = []
        for w in self.windows(day):
            jobs.append(PlannedJob(w.start, OPEN, w))
            remind = w.start + (w.end - w.start) * self.reminder_fraction
            if w.start < remind < w.end:
                jobs.append(PlannedJob(remind, REMINDER, w))
            jobs.append(PlannedJob(w.end, MISSED, w))
        return sorted(jobs, key=lambda j: (j.at, j.kind))

    def plan(self, now: datetime) -> list[PlannedJob]:
        """The jobs still to come today after ``now``, then the replan after local midnight.
        A window open at ``now`` gets its ``window_open`` at ``now`` (prompt at once)."""
        if self.calendar is None:
            return []
        local = now.astimezone(self.calendar.tz)
        jobs: list[PlannedJob] = []
        for job in self.jobs_for_day(local.date()):
            if job.at > now:
                jobs.append(job)
            elif job.kind == OPEN and job.window is not None and now <= job.window.end:
                jobs.append(PlannedJob(now, OPEN, job.window))
        midnight = datetime.combine(local.date() + timedelta(days=1), time(0, 0, 1),
                                    tzinfo=self.calendar.tz)
        jobs.append(PlannedJob(midnight, REPLAN))
        return jobs

    # ---- firing -------------------------------------------------------------------------------

    def fire(self, job: PlannedJob, now: datetime | None = None) -> bool:
        """Publish what ``job`` stands for if still relevant; ``True`` if something was."""
        now = now or self.clock()
        if job.kind == REPLAN:
            self.reschedule()
            return True
        w = job.window
        if w is None:
            return False
        with self._lock:
            if job.key in self._fired:
                return False
            self._fired.add(job.key)
        if self.state_of(w) in ("done", "suspended"):
            return False
        if job.kind in (OPEN, REMINDER) and now > w.end:
            return False  # woke up after it closed: the missed job tells
        self.bus.publish(f"oncall.{job.kind}", window=w)
        return True

    def run_due(self, now: datetime | None = None) -> list[PlannedJob]:
        """Fire today's jobs due by ``now`` that have not fired yet (frozen clocks, wake-up)."""
        now = now or self.clock()
        day = self.local_day(now)
        if day is None:
            return []
        self._new_day(day)
        fired = []
        for job in self.jobs_for_day(day):
            if job.at <= now and job.key not in self._fired and self.fire(job, now):
                fired.append(job)
        return fired

    def _new_day(self, day: date) -> None:
        with self._lock:
            if self._fired_day != day:
                self._fired_day = day
                self._fired.clear()

    # ---- APScheduler --------------------------------------------------------------------------

    def start(self) -> None:
        with self._lock:
            if self._scheduler is None:
                # imported when first started, not with the module: APScheduler costs ~80 ms
                # of the desktop app's cold start, before any on-call session exists
                from apscheduler.schedulers.background import BackgroundScheduler

                self._scheduler = BackgroundScheduler(timezone=UTC)
                self._scheduler.start()
        self.reschedule()

    def stop(self) -> None:
        with self._lock:
            scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=False)

    def reschedule(self) -> None:
        """Replace the scheduled jobs with :meth:`plan` from now (policy change, midnight)."""
        with self._lock:
            scheduler = self._scheduler
            if scheduler is None:
                return
            now = self.clock()
            day = self.local_day(now)
            if day is not None:
                self._new_day(day)
            scheduler.remove_all_jobs()
            real_now = datetime.now(UTC)
            for job in self.plan(now):
                # The injectable clock may differ from the real one: schedule by distance.
                run_at = real_now + max(timedelta(0), job.at - now)
                scheduler.add_job(self._run_job, "date", run_date=run_at, args=[job],
                                  misfire_grace_time=None, coalesce=True)

    def _run_job(self, job: PlannedJob) -> None:
        try:
            self.fire(job)
        except Exception:  # noqa: BLE001 - a job must not kill the scheduler thread
            log.exception("on-call job %s failed", job.kind)
