"""Sends the on-call queue (check-ins and recall answers) to the server, oldest first.

Each entry of ``oncall_queue`` (``wfh_client.store.oncall``) becomes one idempotent POST:
``checkin`` -> ``/api/v1/oncall/checkins`` (body = payload, de-duplicated by ``client_id``);
``delivered``/``seen``/``acknowledge``/``decline`` -> ``/api/v1/oncall/recalls/<id>/<kind>``.
An entry is ``sending`` while its request is out; a lost answer leaves it so and it is sent
again (one effect on the server). Outcomes:

* answered 2xx: ``sent`` (the answer is kept); ``on_sent(entry, answer)`` is called.
* no answer (offline, timeout) or 5xx/429/401/403-revoked: back to ``pending``, the flush stops
  (order is kept) and the worker retries later with backoff, or at once on reconnect. A
  check-in that could not be sent is re-marked ``offline: true`` so the server counts it at its
  client time. If the server already holds the first attempt (``checkin.client_id_reused``: the
  answer was lost), the other flag is sent once: still one row. A check-in whose first attempt
  comes more than 30 s after it was made (queued behind a slow request) is offline as well.
* an acknowledgement whose ``arrival_at`` is now in the past (sent late) is sent with ``now``.
* any other 4xx will never succeed: ``failed`` with the error code, ``on_failed`` is called,
  and the flush goes on with the next entry (the queue is never blocked).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from wfh_client.domain.timefmt import parse_instant
from wfh_client.events import EventBus
from wfh_client.oncall.transport import REVOKED_CODES, Transport, api_error, iso_z, utc_now
from wfh_client.store import oncall as store
from wfh_client.store.cache import Cache

__all__ = ["QueueSender"]

log = logging.getLogger(__name__)

CHECKINS_PATH = "/api/v1/oncall/checkins"
RECALLS_PATH = "/api/v1/oncall/recalls"
RECALL_KINDS = ("delivered", "seen", "acknowledge", "decline")
LATE_FIRST_SEND = timedelta(seconds=30)


class QueueSender:
    def __init__(self, transport: Transport, cache: Cache, bus: EventBus, *,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.transport = transport
        self.cache = cache
        self.bus = bus
        self.clock = clock
        self.online: bool = True  # last known reachability (feed state or last request)
        self.on_sent: list[Callable[[store.QueueEntry, dict[str, Any]], None]] = []
        self.on_failed: list[Callable[[store.QueueEntry, str], None]] = []
        self._lock = threading.Lock()  # one flush at a time

    def pending(self) -> list[store.QueueEntry]:
        return store.unsent(self.cache.reader())

    def flush(self) -> bool:
        """Send what is queued; ``True`` unless the server could not be reached."""
        with self._lock:
            for entry in self.pending():
                if not self._send_one(entry):
                    return False
            return True

    # ---- one entry ------------------------------------------------------------------------

    def _request(self, entry: store.QueueEntry, body: dict[str, Any] | None) -> dict[str, Any]:
        if entry.kind == "checkin":
            path = CHECKINS_PATH
        else:
            path = f"{RECALLS_PATH}/{entry.recall_id}/{entry.kind}"
        response = self.transport.request("POST", path, json=body)
        answer = response.json()
        return answer if isinstance(answer, dict) else {}

    def _body(self, entry: store.QueueEntry) -> dict[str, Any] | None:
        if entry.kind == "checkin":
            body = dict(entry.payload)
            made = parse_instant(str(body["client_time"]))
            if entry.attempts == 0 and not body.get("offline") and \
                    self.clock() - made > LATE_FIRST_SEND:
                body["offline"] = True  # never tried in time: count it at its client time
                self.cache.writer.run(lambda db: store.set_payload(db, entry.client_id, body))
            return body
        if entry.kind == "acknowledge":
            arrival = parse_instant(str(entry.payload["arrival_at"]))
            now = self.clock()
            if arrival < now:  # sent late: "I am coming" now
                arrival = now + timedelta(seconds=30)
            return {"arrival_at": iso_z(arrival)}
        if entry.kind == "decline":
            return {"reason": entry.payload["reason"]}
        return None

    def _send_one(self, entry: store.QueueEntry) -> bool:
        cid = entry.client_id
        self.cache.writer.run(lambda db: store.mark(db, cid, "sending", attempt=True))
        body = self._body(entry)
        try:
            try:
                answer = self._request(entry, body)
            except Exception as exc:  # noqa: BLE001 - classified below
                err = api_error(exc)
                if err is None or err[1] != "checkin.client_id_reused" or body is None:
                    raise
                # The first attempt reached the server with the other offline flag.
                body = {**body, "offline": not body.get("offline")}
                answer = self._request(entry, body)
                self.cache.writer.run(lambda db: store.set_payload(db, cid, body))
        except Exception as exc:  # noqa: BLE001 - network errors are not importable here
            return self._failed(entry, exc, body)
        self.online = True
        self.cache.writer.run(lambda db: store.mark(db, cid, "sent", answer=answer))
        log.debug("on-call %s sent", entry.kind)
        for callback in self.on_sent:
            callback(entry, answer)
        self.bus.publish("oncall.sent", kind=entry.kind, client_id=cid, recall_id=entry.recall_id)
        return True

    def _failed(self, entry: store.QueueEntry, exc: BaseException,
                body: dict[str, Any] | None) -> bool:
        cid = entry.client_id
        err = api_error(exc)
        retry_later = err is None or err[0] >= 500 or err[0] in (401, 429) \
            or err[1] in REVOKED_CODES
        if retry_later:
            code = type(exc).__name__ if err is None else err[1]
            if err is None:
                self.online = False
            if err is None and entry.kind == "checkin" and body is not None \
                    and not body.get("offline"):
                body = {**body, "offline": True}  # it will count at its client time
                self.cache.writer.run(lambda db: store.set_payload(db, cid, body))
            self.cache.writer.run(lambda db: store.mark(db, cid, "pending", error=code))
            log.info("on-call %s not sent (%s): kept in the queue", entry.kind, code)
            return False
        assert err is not None
        code = err[1]
        self.cache.writer.run(lambda db: store.mark(db, cid, "failed", error=code))
        log.warning("on-call %s refused by the server: %s", entry.kind, code)
        for callback in self.on_failed:
            callback(entry, code)
        self.bus.publish("oncall.send_failed", kind=entry.kind, client_id=cid,
                         recall_id=entry.recall_id, code=code)
        return True
