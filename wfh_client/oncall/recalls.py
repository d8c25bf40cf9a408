"""Recalls on the client: alert once (again on re-notification), receipts and answers never lost.

Feed events in (``wfh_client.sync.feed`` publishes them; this module only sees the bus):

* ``feed.recall(event)``: store the recall (``oncall_recalls``), queue the ``delivered`` receipt
  and publish ``oncall.recall_alert(recall)`` the first time, and again for a re-notification
  (``renotify`` above the last one alerted) unless it is answered or closed. De-duplicated by
  recall id + re-notification number, so replays and the reconnect check never alert twice.
  While the feed replays after a reset (``replay=True``) the recall is stored only; the
  reconnect check (:meth:`reconcile`) decides from the server's open recalls.
* ``feed.recall_state(event)`` about this user (another device answered): local state follows,
  ``oncall.recall_changed(recall)``.
* ``feed.recall_closed(event)``: ``oncall.recall_closed(recall_id, recall)``.

User actions (never wait for the network; the queue sends them, idempotent server endpoints):
``mark_seen(id)``, ``acknowledge(id, arrival_at)``, ``decline(id, reason)`` (``ValueError``
for a decline after an acknowledgement, or any answer once closed). An answer's queue id is
``r<id>.<kind>``: a double click or a replay queues nothing new, so a recall is acknowledged
exactly once.

:meth:`reconcile` takes ``open_recalls`` of ``GET /api/v1/oncall/me`` (at start and on every
reconnect): a recall issued while the client was away is alerted once; local open recalls that
the server no longer lists are closed. ``recall`` payloads are the event payload plus
``local_state``, ``answer`` and ``closed_at`` (``store.oncall.LocalRecall.as_dict``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from wfh_client.events import EventBus
from wfh_client.oncall.transport import iso_z, utc_now
from wfh_client.store import oncall as store
from wfh_client.store.cache import Cache

__all__ = ["Recalls"]

ANSWERED = ("acknowledged", "declined")


def answer_id(recall_id: int, kind: str) -> str:
    return f"r{recall_id}.{kind}"


class Recalls:
    def __init__(self, cache: Cache, bus: EventBus, *, user_id: Callable[[], int | None],
                 clock: Callable[[], datetime] = utc_now,
                 request_send: Callable[[], None] = lambda: None) -> None:
        self.cache = cache
        self.bus = bus
        self.user_id = user_id
        self.clock = clock
        self.request_send = request_send
        self._lock = threading.RLock()  # "known? alerted?" and the update are one step

    def get(self, recall_id: int) -> store.LocalRecall | None:
        return store.get_recall(self.cache.reader(), recall_id)

    def open_recalls(self) -> list[dict[str, Any]]:
        return [r.as_dict() for r in store.list_recalls(self.cache.reader(), open_only=True)]

    # ---- feed events --------------------------------------------------------------------------

    def on_recall(self, event: dict[str, Any], replay: bool = False, **_: Any) -> None:
        payload = dict(event.get("payload") or {})
        if not isinstance(payload.get("recall_id"), int):
            return
        self._receive(payload, alert_from_renotify=True, replay=replay)

    def _receive(self, payload: dict[str, Any], *, alert_from_renotify: bool,
                 replay: bool = False) -> None:
        rid = int(payload["recall_id"])
        renotify = int(payload.get("renotify") or 0)
        server_answered = payload.get("state") in ANSWERED
        with self._lock:
            def write(db: Any) -> store.LocalRecall | None:
                store.put_recall(db, rid, payload)
                rec = store.get_recall(db, rid)
                assert rec is not None
                if server_answered and not rec.answered:
                    kind = "acknowledge" if payload["state"] == "acknowledged" else "decline"
                    store.set_recall_state(db, rid, "answered", {"kind": kind, "by": "server"})
                    rec = store.get_recall(db, rid)
                    assert rec is not None
                if replay or rec.answered or rec.closed_at is not None:
                    return None
                if not alert_from_renotify and rec.alerted_renotify is not None:
                    return None  # the reconnect check: shown already
                if rec.alerted_renotify is not None and renotify <= rec.alerted_renotify:
                    return None
                if rec.state == "delivered":
                    store.enqueue(db, answer_id(rid, "delivered"), "delivered", {}, recall_id=rid)
                store.set_alerted(db, rid, renotify)
                return store.get_recall(db, rid)

            alert = self.cache.writer.run(write)
        if alert is not None:
            self.request_send()
            self.bus.publish("oncall.recall_alert", recall=alert.as_dict())

    def on_recall_state(self, event: dict[str, Any], **_: Any) -> None:
        payload = event.get("payload") or {}
        rid, me = payload.get("recall_id"), self.user_id()
        if not isinstance(rid, int) or me is None or payload.get("user_id") != me:
            return
        state = payload.get("state")
        with self._lock:
            rec = self.get(rid)
            if rec is None:
                return
            if state in ANSWERED and not rec.answered:
                answer = {"kind": "acknowledge", "arrival_at": payload.get("arrival_at")} \
                    if state == "acknowledged" else {"kind": "decline",
                                                     "reason": payload.get("decline_reason")}
                self.cache.writer.run(lambda db: store.set_recall_state(db, rid, "answered",
                                                                        answer))
            elif state == "seen" and rec.state == "delivered":
                self.cache.writer.run(lambda db: store.set_recall_state(db, rid, "seen"))
            else:
                return
        self._changed(rid)

    def on_recall_closed(self, event: dict[str, Any], **_: Any) -> None:
        payload = event.get("payload") or {}
        rid = payload.get("recall_id")
        if isinstance(rid, int):
            self._close(rid, str(payload.get("closed_at") or iso_z(self.clock())))

    def _close(self, rid: int, closed_at: str) -> None:
        with self._lock:
            rec = self.get(rid)
            if rec is None or rec.closed_at is not None:
                return
            self.cache.writer.run(lambda db: store.close_recall(db, rid, closed_at))
        fresh = self.get(rid)
        self.bus.publish("oncall.recall_closed", recall_id=rid,
                         recall=None if fresh is None else fresh.as_dict())

    def _changed(self, rid: int) -> None:
        fresh = self.get(rid)
        if fresh is not None:
            self.bus.publish("oncall.recall_changed", recall=fresh.as_dict())

    # ---- the reconnect check ------------------------------------------------------------------

    def reconcile(self, open_recalls: list[dict[str, Any]]) -> None:
        """Align with the server's open recalls (``RecallOut`` of ``/oncall/me``)."""
        listed: set[int] = set()
        for r in open_recalls:
            mine = (r.get("recipients") or [{}])[0]
            rid = int(r["id"])
            listed.add(rid)
            payload = {
                "recall_id": rid, "department_id": r.get("department_id"),
                "created_by": r.get("created_by"), "created_by_name": r.get("created_by_name"),
                "created_at": r.get("created_at"), "message": r.get("message"),
                "report_by": r.get("report_by"), "urgency": r.get("urgency"),
                "state": mine.get("state"), "renotify": int(mine.get("renotify_count") or 0),
            }
            self._receive(payload, alert_from_renotify=False)
        for rec in store.list_recalls(self.cache.reader(), open_only=True):
            if rec.id not in listed:
                self._close(rec.id, iso_z(self.clock()))

    # ---- user actions -------------------------------------------------------------------------

    def _require(self, rid: int) -> store.LocalRecall:
        rec = self.get(rid)
        if rec is None:
            raise ValueError(f"unknown recall {rid}")
        if rec.closed_at is not None:
            raise ValueError("this recall is closed")
        return rec

    def mark_seen(self, recall_id: int) -> None:
        with self._lock:
            rec = self._require(recall_id)
            if rec.state != "delivered":
                return

            def write(db: Any) -> None:
                store.set_recall_state(db, recall_id, "seen")
                store.enqueue(db, answer_id(recall_id, "seen"), "seen", {}, recall_id=recall_id)

            self.cache.writer.run(write)
        self.request_send()
        self._changed(recall_id)

    def acknowledge(self, recall_id: int, arrival_at: datetime) -> None:
        """"I am coming, I will be there at ``arrival_at``" (aware datetime)."""
        if arrival_at.tzinfo is None:
            raise ValueError("arrival_at must be timezone-aware")
        answer = {"kind": "acknowledge", "arrival_at": iso_z(arrival_at)}
        with self._lock:
            rec = self._require(recall_id)
            if rec.answer is not None and rec.answer.get("kind") == "acknowledge":
                return  # acknowledged once: nothing more to send

            def write(db: Any) -> None:
                store.set_recall_state(db, recall_id, "answered", answer)
                store.enqueue(db, answer_id(recall_id, "acknowledge"), "acknowledge",
                              {"arrival_at": answer["arrival_at"]}, recall_id=recall_id)

            self.cache.writer.run(write)
        self.request_send()
        self._changed(recall_id)

    def decline(self, recall_id: int, reason: str) -> None:
        reason = (reason or "").strip()
        if not reason:
            raise ValueError("say why you cannot come")
        with self._lock:
            rec = self._require(recall_id)
            if rec.answer is not None:
                if rec.answer.get("kind") == "acknowledge":
                    raise ValueError("an acknowledged recall cannot be declined")
                return

            def write(db: Any) -> None:
                store.set_recall_state(db, recall_id, "answered",
                                       {"kind": "decline", "reason": reason})
                store.enqueue(db, answer_id(recall_id, "decline"), "decline",
                              {"reason": reason[:500]}, recall_id=recall_id)

            self.cache.writer.run(write)
        self.request_send()
        self._changed(recall_id)

    def answer_refused(self, entry: store.QueueEntry, code: str) -> None:
        """The server refused an answer for good (e.g. ``recall.closed``)."""
        if entry.recall_id is None:
            return
        if code == "recall.closed":
            self._close(entry.recall_id, iso_z(self.clock()))
