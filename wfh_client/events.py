"""Plain-Python events from the core to whoever listens (the UI bridges them onto the GUI thread).

Core code calls ``bus.publish("sync.progress", done=3, total=10)`` from any thread; subscribers
are called on the publishing thread and must not block. A failing subscriber is logged and never
breaks the publisher. Event names used so far:

- ``sync.started`` / ``sync.progress(done, total, phase)`` / ``sync.finished(report)`` /
  ``sync.failed(error, message)``
- ``auth.revoked(reason)`` - the device or account was revoked and the cache wiped
- ``outbox.changed(dossier_id)``, ``dossiers.changed(ids)``, ``document.progress(doc_id, done, total)``
- ``dossiers.seen(ids)`` - the user opened or acted on these dossiers (the UI; unread markers)
- ``connectivity(online: bool)``
- ``network.changed(online: bool)`` - the operating system says the network went away or came
  back (published by the UI from ``QNetworkInformation``; the core may wake its loops on it)
- events feed (``sync.feed.FeedListener``): ``feed.connected(connected)``,
  ``feed.reconnecting(attempt, delay)``, ``feed.heartbeat(at)``, ``feed.woke(drift)``,
  ``feed.reset(last_id)``, ``feed.stopped(reason)`` and one ``feed.<kind>(event, replay)`` per
  server event (``recall``, ``recall_state``, ``recall_escalated``, ``recall_closed``,
  ``assignment``, ``policy_changed``, ``revocation``, ``leave``); ``event = {id, at, kind, payload}``
- on-call (``oncall.service.OnCallService``): ``oncall.window_open(window)``,
  ``oncall.window_reminder(window)``, ``oncall.window_missed(window)`` (``domain.oncall.Window``),
  ``oncall.checkin_recorded(checkin)``, ``oncall.sent(kind, client_id, recall_id)``,
  ``oncall.send_failed(kind, client_id, recall_id, code)``, ``oncall.today_changed(windows)``,
  ``oncall.policy_changed(policy)``, ``oncall.recall_alert(recall)``,
  ``oncall.recall_changed(recall)``, ``oncall.recall_closed(recall_id, recall)``
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Handler = Callable[..., None]


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handlers: dict[str, list[Handler]] = defaultdict(list)

    def subscribe(self, name: str, handler: Handler) -> Callable[[], None]:
        """Subscribe to ``name`` (or ``"*"`` for every event); returns an unsubscribe function."""
        with self._lock:
            self._handlers[name].append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._handlers[name]:
                    self._handlers[name].remove(handler)

        return unsubscribe

    def publish(self, name: str, **payload: Any) -> None:
        with self._lock:
            handlers = list(self._handlers.get(name, ())) + list(self._handlers.get("*", ()))
        for handler in handlers:
            try:
                if handler in self._handlers.get("*", ()):
                    handler(name, **payload)
                else:
                    handler(**payload)
            except Exception:  # noqa: BLE001 - a broken listener must not break the core
                log.exception("event handler for %s failed", name)
