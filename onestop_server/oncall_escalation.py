"""Recall escalation: one live timer per recall, re-notification, escalation, outside channels.

``EscalationScheduler`` (owned by the app, started in its lifespan) keeps one timer per open
recall: ``recall_id -> due instant``, mirroring ``recalls.next_due_at`` (the database is the
truth; ``start()`` rebuilds the timers from it after a restart). ``tick(now)`` does the due work
and is what tests call with a frozen clock; a background task calls it when the earliest timer
is due by the injectable clock (checked at least once a second).

Due work per unanswered recipient (not acknowledged, not declined) of an open recall, by the
plan frozen in the recall:
- re-notify every ``renotify_interval_minutes``, at most ``renotify_max`` times: a new
  ``recall`` event with ``renotify: n``. One re-notification per tick even when the clock
  jumped over several intervals (no bursts after a sleep);
- once ``ack_timeout_minutes`` have passed since creation, escalate (once per recipient): the
  event ``recall_escalated`` to the department's heads (``escalate_to_head``) and
  ``OutsideChannel.notify`` per recipient (``outside_channel``), called after the commit;
  a failing channel is logged, never retried in a loop (at most once).

``OutsideChannel`` is the seam for an SMS or call gateway. ``LoggingChannel`` (the default)
logs only the recall id and the recipient id: no names, numbers or message text in logs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import anyio.to_thread
from sqlalchemy import and_, select, update
from sqlalchemy.engine import Engine

from onestop_server import db, events
from onestop_server.clock import Clock
from onestop_server.deps import as_utc, iso
from onestop_server.oncall_recalls import (
    ANSWERED,
    escalates,
    escalation_at,
    load_recall,
    load_recipients,
    recall_event,
    refresh_due,
)

log = logging.getLogger(__name__)
_MAX_SLEEP = 1.0


@dataclass(frozen=True)
class OutsideNotice:
    """What an outside gateway needs to reach an unanswered recipient."""

    recall_id: int
    department_id: str
    recipient_id: int
    recipient_name: str
    recipient_phone: str | None
    urgency: str
    report_by: str | None
    message: str


class OutsideChannel(Protocol):
    def notify(self, notice: OutsideNotice) -> None:
        """Deliver the notice (SMS, call...). May raise; the scheduler logs and moves on."""


class LoggingChannel:
    """The default channel: logs the recall id and the recipient id only (no personal data)."""

    def notify(self, notice: OutsideNotice) -> None:
        log.warning(
            "recall %s escalated: outside notice for user %s", notice.recall_id, notice.recipient_id
        )


class EscalationScheduler:
    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        channel: OutsideChannel,
        poke: Any = None,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.channel = channel
        self._poke = poke
        self._timers: dict[int, datetime] = {}
        self._lock = threading.RLock()  # one tick at a time; guards the timers
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kick: asyncio.Event | None = None

    # ---- timers -----------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Load the timers of open recalls from the database (start-up, restart)."""
        r = db.recalls
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(r.c.id, r.c.next_due_at).where(
                    and_(r.c.closed_at.is_(None), r.c.next_due_at.is_not(None))
                )
            ).all()
        with self._lock:
            self._timers = {int(x.id): due for x in rows if (due := as_utc(x.next_due_at))}

    def schedule(self, recall_id: int, due: datetime | None) -> None:
        """Set (or, with ``None``, cancel) the recall's one timer."""
        with self._lock:
            if due is None:
                self._timers.pop(recall_id, None)
            else:
                self._timers[recall_id] = due
        loop, kick = self._loop, self._kick
        if loop is not None and kick is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(kick.set)

    def timers(self) -> dict[int, datetime]:
        with self._lock:
            return dict(self._timers)

    def next_due(self) -> datetime | None:
        with self._lock:
            return min(self._timers.values(), default=None)

    # ---- the work -----------------------------------------------------------------------------
    def tick(self, now: datetime | None = None) -> int:
        """Process every recall due at ``now``; returns how many were processed."""
        now = now or self.clock.now()
        r = db.recalls
        with self._lock:
            with self.engine.connect() as conn:
                due_ids = [
                    int(x)
                    for x in conn.execute(
                        select(r.c.id)
                        .where(and_(r.c.closed_at.is_(None), r.c.next_due_at <= now))
                        .order_by(r.c.next_due_at, r.c.id)
                    ).scalars()
                ]
            for recall_id in due_ids:
                try:
                    self._process(recall_id, now)
                except Exception:  # noqa: BLE001 - one bad recall must not stop the others
                    log.exception("escalation of recall %s failed", recall_id)
            return len(due_ids)

    def _process(self, recall_id: int, now: datetime) -> None:
        rr = db.recall_recipients
        notices: list[OutsideNotice] = []
        with db.write_transaction(self.engine) as conn:
            recall = load_recall(conn, recall_id)
            if recall is None or recall.closed_at is not None:
                self.schedule(recall_id, None)
                return
            plan = recall.plan
            interval = timedelta(minutes=int(plan["renotify_interval_minutes"]))
            escalate_now = escalates(plan) and now >= escalation_at(recall)
            escalated: list[Any] = []
            for row in load_recipients(conn, [recall_id])[recall_id]:
                if row.state in ANSWERED:
                    continue
                values: dict[str, Any] = {}
                nxt = as_utc(row.next_renotify_at)
                count = int(row.renotify_count or 0)
                if nxt is not None and nxt <= now and count < int(plan["renotify_max"]):
                    count += 1
                    following = nxt + interval
                    values.update(renotify_count=count, next_renotify_at=max(following, now + interval))
                    events.emit(
                        conn, events.RECALL, recall_event(recall, row, count), at=now,
                        user_id=int(row.user_id),
                    )
                if escalate_now and row.escalated_at is None:
                    values["escalated_at"] = now
                    escalated.append(row)
                if values:
                    conn.execute(
                        update(rr)
                        .where(and_(rr.c.recall_id == recall_id, rr.c.user_id == row.user_id))
                        .values(**values)
                    )
            if escalated and plan.get("escalate_to_head"):
                events.emit(
                    conn, events.RECALL_ESCALATED,
                    {
                        "recall_id": recall_id, "escalated_at": iso(now),
                        "outside_channel": bool(plan.get("outside_channel")),
                        "recipients": [
                            {"user_id": int(x.user_id), "full_name": x.full_name, "state": x.state}
                            for x in escalated
                        ],
                    },
                    at=now, department_id=recall.department_id, role="head",
                )
            if escalated and plan.get("outside_channel"):
                phones: dict[int, str | None] = {
                    int(p.id): p.phone
                    for p in conn.execute(
                        select(db.users.c.id, db.users.c.phone).where(
                            db.users.c.id.in_([int(x.user_id) for x in escalated])
                        )
                    )
                }
                notices = [
                    OutsideNotice(
                        recall_id=recall_id, department_id=recall.department_id,
                        recipient_id=int(x.user_id), recipient_name=x.full_name,
                        recipient_phone=phones.get(int(x.user_id)), urgency=recall.urgency,
                        report_by=iso(recall.report_by), message=recall.message,
                    )
                    for x in escalated
                ]
            due = refresh_due(conn, recall_id)
        self.schedule(recall_id, due)
        if self._poke is not None:
            self._poke()
        for notice in notices:
            try:
                self.channel.notify(notice)
            except Exception:  # noqa: BLE001 - a gateway failure is logged, not fatal
                log.exception(
                    "outside channel failed for recall %s, user %s",
                    notice.recall_id, notice.recipient_id,
                )

    # ---- background ---------------------------------------------------------------------------
    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._kick = asyncio.Event()
        await anyio.to_thread.run_sync(self.rebuild)
        self._task = asyncio.create_task(self._run(), name="recall-escalation")

    async def stop(self) -> None:
        task, self._task = self._task, None
        self._loop = None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        assert self._kick is not None
        while True:
            due = self.next_due()
            if due is not None and due <= self.clock.now():
                try:
                    await anyio.to_thread.run_sync(self.tick)
                    still = self.next_due()
                    if still is not None and still <= self.clock.now():
                        await anyio.to_thread.run_sync(self.rebuild)  # out of step with the DB
                except Exception:  # noqa: BLE001 - keep the timer task alive
                    log.exception("escalation tick failed")
                still = self.next_due()
                if still is None or still > self.clock.now():
                    continue
                due = None  # nothing more can be done now: wait a while
            delay = _MAX_SLEEP
            if due is not None:
                delay = min(_MAX_SLEEP, max(0.0, (due - self.clock.now()).total_seconds()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kick.wait(), timeout=delay)
            self._kick.clear()
