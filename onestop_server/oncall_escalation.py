"""Recall escalation: one timer per recall, re-notification, escalation, outside channels.

The timer is ``recalls.next_due_at`` in the database, recomputed by every transaction that
changes a recall; any worker may fire it, exactly one does. ``tick(now)`` claims due recalls
with a *lease* (``lease_owner``, ``lease_until``: ``SELECT ... FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so workers never wait on each other's rows) and then does each recall's due work in
one transaction that also frees the lease; a worker that finds the lease no longer its own does
nothing. A worker killed while holding a lease leaves it to expire
(``escalation_lease_seconds``); another worker then takes the recall over. The background task
of every worker checks the earliest due timer at least once a second (and at once when this
worker changed a recall); tests call ``tick`` with a frozen clock.

Due work per unanswered recipient (not acknowledged, not declined) of an open recall, by the
plan frozen in the recall:
- re-notify every ``renotify_interval_minutes``, at most ``renotify_max`` times: a new
  ``recall`` event with ``renotify: n``. One re-notification per tick even when the clock
  jumped over several intervals (no bursts after a sleep);
- once ``ack_timeout_minutes`` have passed since creation, escalate (once per recipient): the
  event ``recall_escalated`` to the department's heads (``escalate_to_head``) and
  ``OutsideChannel.notify`` per recipient (``outside_channel``), called after the commit;
  a failing channel is logged, never retried in a loop (at most once: a worker that dies
  between the commit and the call loses that notice, never doubles it).

``OutsideChannel`` is the seam for an SMS or call gateway: ``WebhookChannel`` POSTs each notice
as JSON to the gateway's URL; ``LoggingChannel`` (the default) logs only the recall id and the
recipient id: no names, numbers or message text in logs.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import threading
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import anyio.to_thread
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.engine import Engine

from onestop_server import db, events, metrics
from onestop_server.clock import Clock
from onestop_server.crash import crashpoint
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
_CLAIM_BATCH = 50


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


class WebhookChannel:
    """POSTs each notice as JSON to an SMS/call gateway (``outside_channel = "webhook:URL"``)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self.timeout = timeout

    def notify(self, notice: OutsideNotice) -> None:
        body = json.dumps(dataclasses.asdict(notice), ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 - the operator's configured gateway URL
            self.url, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
            if answer.status >= 300:
                raise RuntimeError(f"gateway answered {answer.status}")


def channel_from_setting(setting: str) -> OutsideChannel:
    if setting.startswith("webhook:"):
        return WebhookChannel(setting.removeprefix("webhook:"))
    return LoggingChannel()


class EscalationScheduler:
    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        channel: OutsideChannel,
        poke: Any = None,
        worker_id: str = "single",
        lease: timedelta = timedelta(seconds=30),
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.channel = channel
        self._poke = poke
        self.worker_id = worker_id
        self.lease = lease
        self._lock = threading.RLock()  # one tick at a time in this process
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kick: asyncio.Event | None = None

    # ---- timers (the database is the truth) -------------------------------------------------
    def schedule(self, recall_id: int, due: datetime | None) -> None:
        """A recall's timer changed (already stored): look again now."""
        loop, kick = self._loop, self._kick
        if loop is not None and kick is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(kick.set)

    def timers(self) -> dict[int, datetime]:
        """Every open recall's timer: recall id -> due instant."""
        r = db.recalls
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(r.c.id, r.c.next_due_at).where(
                    and_(r.c.closed_at.is_(None), r.c.next_due_at.is_not(None))
                )
            ).all()
        return {int(x.id): due for x in rows if (due := as_utc(x.next_due_at))}

    def next_due(self) -> datetime | None:
        r = db.recalls
        with self.engine.connect() as conn:
            due = conn.execute(
                select(func.min(r.c.next_due_at)).where(r.c.closed_at.is_(None))
            ).scalar_one_or_none()
        return as_utc(due)

    # ---- the work -----------------------------------------------------------------------------
    def tick(self, now: datetime | None = None) -> int:
        """Claim and process every recall due at ``now``; returns how many this worker did."""
        now = now or self.clock.now()
        with self._lock:
            claimed = self._claim(now)
            crashpoint("escalation_after_claim", bool(claimed))
            for recall_id in claimed:
                try:
                    self._process(recall_id, now)
                except Exception:  # noqa: BLE001 - one bad recall must not stop the others
                    log.exception("escalation of recall %s failed", recall_id)
            return len(claimed)

    def _claim(self, now: datetime) -> list[int]:
        """Lease the due recalls nobody else holds (an expired lease is free again)."""
        r = db.recalls
        with db.write_transaction(self.engine) as conn:
            ids = [
                int(x)
                for x in conn.execute(
                    select(r.c.id)
                    .where(and_(
                        r.c.closed_at.is_(None), r.c.next_due_at <= now,
                        or_(r.c.lease_until.is_(None), r.c.lease_until <= now),
                    ))
                    .order_by(r.c.next_due_at, r.c.id)
                    .limit(_CLAIM_BATCH)
                    .with_for_update(skip_locked=True)
                ).scalars()
            ]
            if ids:
                conn.execute(
                    update(r).where(r.c.id.in_(ids))
                    .values(lease_owner=self.worker_id, lease_until=now + self.lease)
                )
        return ids

    def _process(self, recall_id: int, now: datetime) -> None:
        rr = db.recall_recipients
        notices: list[OutsideNotice] = []
        with db.write_transaction(self.engine) as conn:
            r = db.recalls
            owner = conn.execute(
                select(r.c.lease_owner).where(r.c.id == recall_id).with_for_update()
            ).scalar_one_or_none()
            if owner != self.worker_id:
                return  # the lease ran out and another worker took the recall over
            recall = load_recall(conn, recall_id)
            if recall is None or recall.closed_at is not None:
                conn.execute(update(r).where(r.c.id == recall_id).values(lease_owner=None, lease_until=None))
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
            refresh_due(conn, recall_id)
            conn.execute(update(r).where(r.c.id == recall_id).values(lease_owner=None, lease_until=None))
        metrics.ESCALATIONS.inc(len(escalated))
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
            try:
                due = await anyio.to_thread.run_sync(self.next_due)
                if due is not None and due <= self.clock.now():
                    await anyio.to_thread.run_sync(self.tick)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - keep the timer task alive (database away...)
                log.exception("escalation tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kick.wait(), timeout=_MAX_SLEEP)
            self._kick.clear()
