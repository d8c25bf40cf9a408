"""``OnCallService``: the on-call core the UI talks to (schedule + check-ins + recalls).

    service = OnCallService(auth_session, cache, bus)   # transport: anything with .request()
    service.start()            # background: policy, calendar, /oncall/me, queue flush, schedule
    service.check_in("working")
    service.today()            # [{start, end, state, pending}]
    service.acknowledge(recall_id, arrival_at)
    service.stop()

It consumes the events feed from the bus (``wfh_client.sync.feed.FeedListener`` publishes
``feed.*``; this package never imports ``wfh_client.sync``): ``feed.connected`` (reachability;
on reconnect the queue is sent and ``/oncall/me`` re-read), ``feed.recall`` /
``feed.recall_state`` / ``feed.recall_closed`` (:mod:`.recalls`), ``feed.policy_changed`` (new
windows, rescheduled), ``feed.leave`` and ``feed.reset`` (re-read ``/oncall/me``).

Publishes (besides those of :mod:`.schedule`, :mod:`.checkins`, :mod:`.recalls` and
:mod:`.queue`): ``oncall.policy_changed(policy)`` and ``oncall.today_changed(windows)`` after
each ``/oncall/me`` read. All network work runs on one worker thread (:class:`.Worker`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from wfh_client.events import EventBus
from wfh_client.oncall.checkins import Checkins
from wfh_client.oncall.queue import QueueSender
from wfh_client.oncall.recalls import Recalls
from wfh_client.oncall.schedule import CheckinScheduler, PlannedJob
from wfh_client.oncall.transport import Transport, Worker, api_error, utc_now
from wfh_client.store import oncall as store
from wfh_client.store.cache import Cache
from wfh_client.store.state import get_state, set_state

__all__ = ["OnCallService"]

log = logging.getLogger(__name__)

POLICY_PATH = "/api/v1/oncall/policy"
CALENDAR_PATH = "/api/v1/calendar"


class OnCallService:
    def __init__(
        self,
        transport: Transport,
        cache: Cache,
        bus: EventBus,
        *,
        clock: Callable[[], datetime] = utc_now,
        user_id: int | None = None,
        flush_interval: float = 30.0,
        use_scheduler: bool = True,
    ) -> None:
        self.transport = transport
        self.cache = cache
        self.bus = bus
        self.clock = clock
        self._user_id = user_id
        self.use_scheduler = use_scheduler
        self.sender = QueueSender(transport, cache, bus, clock=clock)
        self.worker = Worker(self.sender.flush, interval=flush_interval)
        self.schedule = CheckinScheduler(bus, clock=clock, state_of=self._settled)
        self.checkins = Checkins(transport, cache, bus, self.sender, self.schedule, clock=clock,
                                 request_send=self.worker.request_tick)
        self.recalls = Recalls(cache, bus, user_id=self.user_id, clock=clock,
                               request_send=self.worker.request_tick)
        self.sender.on_failed.append(self.recalls.answer_refused)
        self.sender.on_sent.append(self._sent)
        self._unsubscribe: list[Callable[[], None]] = []

    # ---- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        reader = self.cache.reader()
        policy = get_state(reader, store.KEY_POLICY)
        calendar = get_state(reader, store.KEY_CALENDAR) or {}
        if isinstance(policy, dict):
            self.schedule.set_policy(policy, calendar.get("overrides") or [])
        handlers: dict[str, Callable[..., None]] = {
            "feed.connected": self._on_connected,
            "feed.recall": self.recalls.on_recall,
            "feed.recall_state": self.recalls.on_recall_state,
            "feed.recall_closed": self.recalls.on_recall_closed,
            "feed.policy_changed": self._on_policy_changed,
            "feed.calendar_changed": lambda **_: self.worker.submit(self._refresh_all),
            "feed.leave": lambda **_: self.refresh_me(),
            "feed.reset": lambda **_: self.refresh_me(),
        }
        self._unsubscribe = [self.bus.subscribe(n, h) for n, h in handlers.items()]
        self.worker.start()
        self.worker.submit(self._refresh_all)
        self.worker.request_tick()
        if self.use_scheduler:
            self.schedule.start()

    def stop(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        self.schedule.stop()
        self.worker.stop()

    def refresh(self) -> None:
        """Re-read the policy, the calendar and ``/oncall/me`` in the background."""
        self.worker.submit(self._refresh_all)

    def refresh_me(self) -> None:
        self.worker.submit(self._refresh_me)

    def send_now(self) -> None:
        self.worker.request_tick()

    # ---- what the UI calls --------------------------------------------------------------------

    def user_id(self) -> int | None:
        if self._user_id is None:
            user = getattr(self.transport, "user", None)
            if isinstance(user, dict) and isinstance(user.get("id"), int):
                self._user_id = int(user["id"])
            else:
                me = self.checkins.cached_me()
                if me is not None and isinstance(me.get("user_id"), int):
                    self._user_id = int(me["user_id"])
        return self._user_id

    @property
    def policy(self) -> dict[str, Any] | None:
        return self.schedule.policy

    def on_duty(self) -> bool:
        """Within the department's working hours now (the events feed reconnects faster)."""
        return self.schedule.on_duty(self.clock())

    def check_in(self, status: str, reason: str | None = None) -> str:
        return self.checkins.check_in(status, reason)

    def today(self, now: datetime | None = None) -> list[dict[str, Any]]:
        return self.checkins.today(now)

    def pending(self) -> list[store.QueueEntry]:
        return self.sender.pending()

    def open_recalls(self) -> list[dict[str, Any]]:
        return self.recalls.open_recalls()

    def mark_seen(self, recall_id: int) -> None:
        self.recalls.mark_seen(recall_id)

    def acknowledge(self, recall_id: int, arrival_at: datetime) -> None:
        self.recalls.acknowledge(recall_id, arrival_at)

    def decline(self, recall_id: int, reason: str) -> None:
        self.recalls.decline(recall_id, reason)

    def run_due(self, now: datetime | None = None) -> list[PlannedJob]:
        """Fire the schedule's due prompts now (frozen clocks in tests, catch-up after a wake)."""
        return self.schedule.run_due(now)

    # ---- background ---------------------------------------------------------------------------

    def _settled(self, window: Any) -> str | None:
        return self.checkins.settled_state(window)

    def _on_connected(self, connected: bool = False, **_: Any) -> None:
        self.sender.online = bool(connected)
        if connected:
            self.worker.request_tick()
            self.worker.submit(self._refresh_me)

    def _on_policy_changed(self, event: dict[str, Any] | None = None, **_: Any) -> None:
        policy = (event or {}).get("payload")
        if isinstance(policy, dict):
            self.cache.writer.run(lambda db: set_state(db, store.KEY_POLICY, policy))
            self.schedule.set_policy(policy)
            self.bus.publish("oncall.policy_changed", policy=policy)
        self.refresh_me()

    def _sent(self, entry: store.QueueEntry, _answer: dict[str, Any]) -> None:
        if entry.kind == "checkin":
            self.worker.submit(self._refresh_me)

    def _refresh_all(self) -> None:
        try:
            policy = self.transport.request("GET", POLICY_PATH).json()
            calendar = self.transport.request("GET", CALENDAR_PATH).json()
        except Exception as exc:  # noqa: BLE001 - offline: keep the cached policy
            self._network_failed(exc, "policy")
            return
        if isinstance(policy, dict) and isinstance(calendar, dict):
            def write(db: Any) -> None:
                set_state(db, store.KEY_POLICY, policy)
                set_state(db, store.KEY_CALENDAR, calendar)

            self.cache.writer.run(write)
            changed = policy != self.schedule.policy
            self.schedule.set_policy(policy, calendar.get("overrides") or [])
            if changed:
                self.bus.publish("oncall.policy_changed", policy=policy)
        self._refresh_me()

    def _refresh_me(self) -> None:
        try:
            me = self.checkins.refresh_me()
        except Exception as exc:  # noqa: BLE001 - offline: the local view stands
            self._network_failed(exc, "/oncall/me")
            return
        if isinstance(me.get("user_id"), int) and self._user_id is None:
            self._user_id = int(me["user_id"])
        self.recalls.reconcile([r for r in me.get("open_recalls") or [] if isinstance(r, dict)])
        self.bus.publish("oncall.today_changed", windows=self.today())

    def _network_failed(self, exc: BaseException, what: str) -> None:
        err = api_error(exc)
        if err is None:
            self.sender.online = False
        log.info("on-call: could not read %s (%s)", what, type(exc).__name__ if err is None
                 else err[1])
