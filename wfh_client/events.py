"""Plain-Python events from the core to whoever listens (the UI bridges them onto the GUI thread).

Core code calls ``bus.publish("sync.progress", done=3, total=10)`` from any thread; subscribers
are called on the publishing thread and must not block. A failing subscriber is logged and never
breaks the publisher.

Every name is a member of :class:`Event` (a ``StrEnum``, so ``Event.SYNC_PROGRESS`` and the
string are interchangeable): publishing or subscribing to a name that is not one raises
``UnknownEvent`` at once, and the UI bridge refuses an ``on_event_<name>`` handler that matches
none, so a typo fails loudly instead of never firing. The one exception: ``feed.<kind>`` for a
kind the server sends that this version does not know is published (nobody listens to it).
Event names:

- ``sync.started`` / ``sync.progress(done, total, phase)`` / ``sync.finished(report)`` /
  ``sync.failed(error, message)``
- ``auth.revoked(reason)`` - the device or account was revoked and the cache wiped
- ``outbox.changed(dossier_id)``, ``dossiers.changed(ids)``, ``document.progress(doc_id, done, total)``
- ``dossiers.seen(ids)`` - the user opened or acted on these dossiers (the UI; unread markers)
- ``calendar.changed(calendar)`` - the server's working calendar changed (its wire form)
- ``connectivity(online: bool)``
- ``network.changed(online: bool)`` - the operating system says the network went away or came
  back (published by the UI from ``QNetworkInformation``; the core may wake its loops on it)
- events feed (``sync.feed.FeedListener``): ``feed.connected(connected)``,
  ``feed.reconnecting(attempt, delay)``, ``feed.heartbeat(at)``, ``feed.woke(drift)``,
  ``feed.reset(last_id)``, ``feed.stopped(reason)`` and one ``feed.<kind>(event, replay)`` per
  server event (``recall``, ``recall_state``, ``recall_escalated``, ``recall_closed``,
  ``assignment``, ``policy_changed``, ``revocation``, ``leave``, ``calendar_changed``);
  ``event = {id, at, kind, payload}``
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
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)

Handler = Callable[..., None]

__all__ = ["FEED_PREFIX", "Event", "EventBus", "UnknownEvent", "check_event"]

FEED_PREFIX = "feed."


class Event(StrEnum):
    """Every event the core and the UI exchange (see the module docstring)."""

    SYNC_STARTED = "sync.started"
    SYNC_PROGRESS = "sync.progress"
    SYNC_FINISHED = "sync.finished"
    SYNC_FAILED = "sync.failed"
    AUTH_REVOKED = "auth.revoked"
    OUTBOX_CHANGED = "outbox.changed"
    DOSSIERS_CHANGED = "dossiers.changed"
    DOSSIERS_SEEN = "dossiers.seen"
    DOCUMENT_PROGRESS = "document.progress"
    CALENDAR_CHANGED = "calendar.changed"
    CONNECTIVITY = "connectivity"
    NETWORK_CHANGED = "network.changed"
    FEED_CONNECTED = "feed.connected"
    FEED_RECONNECTING = "feed.reconnecting"
    FEED_HEARTBEAT = "feed.heartbeat"
    FEED_WOKE = "feed.woke"
    FEED_RESET = "feed.reset"
    FEED_STOPPED = "feed.stopped"
    FEED_RECALL = "feed.recall"
    FEED_RECALL_STATE = "feed.recall_state"
    FEED_RECALL_ESCALATED = "feed.recall_escalated"
    FEED_RECALL_CLOSED = "feed.recall_closed"
    FEED_ASSIGNMENT = "feed.assignment"
    FEED_POLICY_CHANGED = "feed.policy_changed"
    FEED_REVOCATION = "feed.revocation"
    FEED_LEAVE = "feed.leave"
    FEED_CALENDAR_CHANGED = "feed.calendar_changed"
    ONCALL_WINDOW_OPEN = "oncall.window_open"
    ONCALL_WINDOW_REMINDER = "oncall.window_reminder"
    ONCALL_WINDOW_MISSED = "oncall.window_missed"
    ONCALL_CHECKIN_RECORDED = "oncall.checkin_recorded"
    ONCALL_SENT = "oncall.sent"
    ONCALL_SEND_FAILED = "oncall.send_failed"
    ONCALL_TODAY_CHANGED = "oncall.today_changed"
    ONCALL_POLICY_CHANGED = "oncall.policy_changed"
    ONCALL_RECALL_ALERT = "oncall.recall_alert"
    ONCALL_RECALL_CHANGED = "oncall.recall_changed"
    ONCALL_RECALL_CLOSED = "oncall.recall_closed"


_KNOWN = frozenset(e.value for e in Event)


class UnknownEvent(ValueError):
    """A name that is not an :class:`Event` (a typo, or an event nobody declared)."""


def check_event(name: str, *, publishing: bool = False) -> str:
    """``name`` if it is an event; ``UnknownEvent`` otherwise (see the module docstring)."""
    if name in _KNOWN or (publishing and name.startswith(FEED_PREFIX)):
        return name
    raise UnknownEvent(f"unknown event {name!r}: declare it in wfh_client.events.Event")


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handlers: dict[str, list[Handler]] = defaultdict(list)

    def subscribe(self, name: str, handler: Handler) -> Callable[[], None]:
        """Subscribe to ``name`` (or ``"*"`` for every event); returns an unsubscribe function.
        Raises :class:`UnknownEvent` for a name that is no :class:`Event`."""
        if name != "*":
            name = check_event(name)
        with self._lock:
            self._handlers[name].append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._handlers[name]:
                    self._handlers[name].remove(handler)

        return unsubscribe

    def publish(self, name: str, **payload: Any) -> None:
        """Call every subscriber of ``name`` (an :class:`Event`, or a server's ``feed.<kind>``)."""
        name = check_event(name, publishing=True)
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
