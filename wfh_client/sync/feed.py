"""The events listener: long-polls ``GET /api/v1/events`` and publishes each event on the bus.

``FeedListener(session, cache, bus).start()`` runs a daemon thread that asks for
``/api/v1/events?after=<last id>&wait=25`` (read timeout ``wait + 15`` s) again and again (the
first poll after a (re)connection has ``wait=0``: catch up at once, then wait). After
each batch it publishes ``feed.<kind>(event, replay)`` for every event, in id order (``event`` is
``{id, at, kind, payload}``; ``replay`` is true while catching up after an ``events.reset``), and
then stores the last id in ``sync_state`` (``feed.last_id``, through ``cache.writer``), so it
resumes where it stopped across disconnects, sleeps, client and server restarts. Delivery is at
least once: a crash between publishing and storing republishes that batch; consumers are
idempotent (recalls by id and re-notification number, answers by client id).

* A fresh cache (no stored id) starts at the feed's head (an ``after`` beyond the head answers
  410 with ``details.last_id``): what happened before is restored by the on-call ``/me`` call
  and the sync, not replayed as alerts.
* 410 ``events.reset`` (the server's feed is shorter than our id: a replaced database): restart
  from 0 with ``replay=True`` until caught up, and publish ``feed.reset(last_id)``.
* Network or server errors: ``feed.connected(connected=False)`` and
  ``feed.reconnecting(attempt, delay)``; exponential backoff with jitter and a cap
  (``wfh_client.pacing``): ``duty_backoff_cap`` (1 s) while ``on_duty()`` (the department's
  working hours), ``backoff_cap`` (60 s) otherwise; connects time out after 3 s. ``wake_now()``
  cuts a wait short: the app calls it on a network change, after a successful sync and on
  wake from sleep. The long-poll itself is sent without retries (``NO_RETRY``): this
  loop owns reconnection. Any answer, events or an empty heartbeat: ``feed.connected(True)``
  (on change) and ``feed.heartbeat(at)``.
* Sleep/wake: a watchdog thread compares the wall clock with the monotonic clock; on a jump it
  publishes ``feed.woke(drift)``, aborts the in-flight long-poll (its socket is shut down) or
  the backoff wait, and polls again at once (catching up from the stored id).
* ``revocation`` for this device (``device_id``) or this account (``account_disabled``): one
  authenticated request lets the session discover the revocation and run its ``on_revoked``
  (the app's wipe); a ``DeviceRevoked`` from any request publishes ``auth.revoked(reason)`` and
  stops the listener. ``SessionExpired``/``NotLoggedIn`` publish ``feed.stopped(reason)``.

``stop()`` returns within about a second: it shuts down the socket of the in-flight long-poll
(the listener uses its own ``requests`` session, with an adapter that tracks its connections)
and joins. Nothing of the events' content is logged (privacy); ids and kinds only.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from wfh_client.events import EventBus
from wfh_client.pacing import ClockJumpDetector, backoff_delay
from wfh_client.store.cache import Cache
from wfh_client.store.oncall import KEY_FEED_LAST_ID
from wfh_client.store.state import get_state, set_state
from wfh_client.sync.auth import AuthSession
from wfh_client.sync.errors import (
    ApiError,
    ClientError,
    DeviceRevoked,
    NotLoggedIn,
    SessionExpired,
)
from wfh_client.sync.http import NO_RETRY, HttpClient

__all__ = ["AbortableAdapter", "FeedListener"]

log = logging.getLogger(__name__)

EVENTS_PATH = "/api/v1/events"
ME_PATH = "/api/v1/me"
HEAD_PROBE_ID = 2**53  # the server's largest accepted id: answers 410 with the head's id


class AbortableAdapter(HTTPAdapter):
    """An adapter whose in-flight connections another thread can abort (:meth:`abort`)."""

    def __init__(self, ssl_context: Any = None, **kwargs: Any) -> None:
        self._ssl_context = ssl_context
        self._inflight: set[Any] = set()
        self._track_lock = threading.Lock()
        super().__init__(**kwargs)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        if self._ssl_context is not None:
            pool_kwargs["ssl_context"] = self._ssl_context
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": self._tracking(HTTPConnectionPool),
            "https": self._tracking(HTTPSConnectionPool),
        }

    def _tracking(self, base: type[HTTPConnectionPool]) -> type[HTTPConnectionPool]:
        adapter = self

        class Tracking(base):  # type: ignore[valid-type,misc]
            def _get_conn(self, timeout: float | None = None) -> Any:
                conn = super()._get_conn(timeout)
                with adapter._track_lock:
                    adapter._inflight.add(conn)
                return conn

            def _put_conn(self, conn: Any) -> None:
                if conn is not None:
                    with adapter._track_lock:
                        adapter._inflight.discard(conn)
                super()._put_conn(conn)

        return Tracking

    def forget(self) -> None:
        with self._track_lock:
            self._inflight.clear()

    def abort(self) -> int:
        """Shut down the sockets of the requests in flight; returns how many."""
        with self._track_lock:
            conns = list(self._inflight)
        count = 0
        for conn in conns:
            sock = getattr(conn, "sock", None)
            if sock is None:
                continue
            try:
                sock.shutdown(socket.SHUT_RDWR)
                count += 1
            except OSError:
                pass
        return count


def feed_http(base: HttpClient) -> tuple[HttpClient, AbortableAdapter]:
    """A client for the same server as ``base`` with its own abortable connection."""
    https = base.session.get_adapter("https://feed.invalid")
    session = requests.Session()
    adapter = AbortableAdapter(getattr(https, "_ssl_context", None), pool_connections=1,
                               pool_maxsize=2)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update(base.session.headers)
    session.proxies.update(base.session.proxies)
    return HttpClient(base.base_url, session=session, retry=NO_RETRY), adapter


@dataclass
class _Run:
    """The state of one start()..stop() run; an old run's threads can never touch a new one."""

    http: HttpClient
    adapter: AbortableAdapter
    stop: threading.Event = field(default_factory=threading.Event)
    wake: threading.Event = field(default_factory=threading.Event)
    jumped: threading.Event = field(default_factory=threading.Event)
    polling: bool = False
    threads: list[threading.Thread] = field(default_factory=list)


class FeedListener:
    def __init__(
        self,
        session: AuthSession,
        cache: Cache,
        bus: EventBus,
        *,
        wait: float = 25.0,
        limit: int = 100,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        duty_backoff_cap: float = 1.0,
        on_duty: Callable[[], bool] | None = None,
        connect_timeout: float = 3.0,
        wall_clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        jump_threshold: float = 30.0,
        watch_interval: float = 0.5,
        start_at_head: bool = True,
    ) -> None:
        self.session = session
        self.cache = cache
        self.bus = bus
        self.wait = wait
        self.limit = limit
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        # While on duty a recall must arrive within seconds of the network coming back: the
        # reconnection attempts never wait longer than this (they are cheap: a refused or
        # timed-out connect). Off duty the usual, longer cap applies.
        self.duty_backoff_cap = duty_backoff_cap
        self.on_duty = on_duty
        self.connect_timeout = connect_timeout
        self._wall = wall_clock
        self._mono = monotonic
        self.jump_threshold = jump_threshold
        self.watch_interval = watch_interval
        self.start_at_head = start_at_head
        self.connected: bool | None = None
        self.polls = 0  # answered long-polls (tests and diagnostics)
        self.failures = 0
        self.stopped_reason: str | None = None
        self.last_contact: float | None = None  # monotonic time of the last answer
        self._run_state: _Run | None = None
        self._lock = threading.Lock()

    # ---- lifecycle ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        run = self._run_state
        return run is not None and not run.stop.is_set()

    @property
    def last_id(self) -> int | None:
        value = get_state(self.cache.reader(), KEY_FEED_LAST_ID)
        return None if value is None else int(value)

    def start(self) -> None:
        with self._lock:
            if self.running:
                return
            http, adapter = feed_http(self.session.http)
            run = _Run(http, adapter)
            self._run_state = run
            self.stopped_reason = None
            self.failures = 0
            for target, name in ((self._loop, "wfh-feed"), (self._watch, "wfh-feed-watch")):
                thread = threading.Thread(target=target, args=(run,), name=name, daemon=True)
                run.threads.append(thread)
                thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        """Stop and join (the in-flight long-poll is aborted, not awaited)."""
        with self._lock:
            run, self._run_state = self._run_state, None
        if run is None:
            return
        run.stop.set()
        run.wake.set()
        run.adapter.abort()
        deadline = time.monotonic() + timeout
        for thread in run.threads:
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))
        run.http.close()
        self._set_connected(False)

    def current_backoff_cap(self) -> float:
        """The longest wait between reconnection attempts right now (short while on duty)."""
        if self.on_duty is None:
            return self.backoff_cap
        try:
            duty = self.on_duty()
        except Exception:  # noqa: BLE001 - never let the duty check stop the listener
            duty = True
        return min(self.backoff_cap, self.duty_backoff_cap) if duty else self.backoff_cap

    def wake_now(self, **_: Any) -> None:
        """Cut a backoff wait short (e.g. the sync service just reached the server)."""
        run = self._run_state
        if run is not None:
            run.wake.set()

    def follow(self, bus: EventBus) -> Callable[[], None]:
        """Reconnect at once when there is news of the network: a sync that reached the server
        (``sync.finished``) or the OS saying the network changed (``network.changed``, from
        the UI's QNetworkInformation). Returns the unsubscribe function."""
        undo = [bus.subscribe(name, self.wake_now) for name in ("sync.finished", "network.changed")]

        def unsubscribe() -> None:
            for u in undo:
                u()
        return unsubscribe

    # ---- the loop -----------------------------------------------------------------------------

    def _set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self.bus.publish("feed.connected", connected=connected)

    def _finish(self, run: _Run, reason: str) -> None:
        self.stopped_reason = reason
        run.stop.set()
        run.wake.set()
        with self._lock:
            if self._run_state is run:
                self._run_state = None
        self._set_connected(False)

    def _get(self, run: _Run, after: int, wait: float) -> dict[str, Any]:
        run.polling = True
        try:
            response = self.session.request(
                "GET", EVENTS_PATH, params={"after": after, "wait": wait, "limit": self.limit},
                via=run.http, retry=NO_RETRY, timeout=(self.connect_timeout, wait + 15.0),
            )
            body = response.json()
        finally:
            run.polling = False
            run.adapter.forget()
        if not isinstance(body, dict) or not isinstance(body.get("events"), list):
            raise ValueError("malformed events answer")
        return body

    def _head_id(self, run: _Run) -> int:
        try:
            body = self._get(run, HEAD_PROBE_ID, 0)
        except ApiError as exc:
            if exc.code == "events.reset" and isinstance(exc.details.get("last_id"), int):
                return int(exc.details["last_id"])
            raise
        return int(body.get("last_id") or 0)

    def _store(self, last_id: int) -> None:
        self.cache.writer.run(lambda db: set_state(db, KEY_FEED_LAST_ID, last_id))

    def _loop(self, run: _Run) -> None:
        replay = False
        fresh = True  # the first poll after (re)connecting catches up at once (wait=0)
        while not run.stop.is_set():
            run.jumped.clear()
            try:
                after = self.last_id
                if after is None:
                    after = self._head_id(run) if self.start_at_head else 0
                    self._store(after)
                body = self._get(run, after, 0 if fresh else self.wait)
            except DeviceRevoked as exc:
                if not run.stop.is_set():
                    self.bus.publish("auth.revoked", reason=exc.reason)
                    self._finish(run, exc.reason)
                return
            except (SessionExpired, NotLoggedIn) as exc:
                if not run.stop.is_set():
                    self.bus.publish("feed.stopped", reason=type(exc).__name__)
                    self._finish(run, type(exc).__name__)
                return
            except ApiError as exc:
                if exc.code == "events.reset" and not run.stop.is_set():
                    log.info("events feed reset by the server: restarting from 0")
                    try:
                        self._store(0)
                    except RuntimeError:
                        self._finish(run, "cache_closed")
                        return
                    replay = True
                    self.bus.publish("feed.reset", last_id=exc.details.get("last_id"))
                    continue
                fresh = True
                self._failed(run, exc)
                continue
            except (ClientError, ValueError, requests.RequestException) as exc:
                fresh = True
                self._failed(run, exc)
                continue
            except RuntimeError:  # the cache was closed under us (logout, wipe)
                self._finish(run, "cache_closed")
                return
            if run.stop.is_set():
                return  # stopped meanwhile: publish nothing, store nothing
            self.failures = 0
            self.polls += 1
            self.last_contact = self._mono()
            self._set_connected(True)
            try:
                self._deliver(run, body, after, replay)
            except RuntimeError:
                self._finish(run, "cache_closed")
                return
            if not body.get("has_more"):
                replay = False
                fresh = False

    def _failed(self, run: _Run, exc: BaseException) -> None:
        if run.stop.is_set():
            return
        if run.jumped.is_set():  # aborted because we woke up: poll again at once
            run.jumped.clear()
            self.failures = 0
            return
        self.failures += 1
        self._set_connected(False)
        delay = backoff_delay(self.failures, self.backoff_base, self.current_backoff_cap())
        log.info("events feed: %s; reconnecting in %.1f s", type(exc).__name__, delay)
        self.bus.publish("feed.reconnecting", attempt=self.failures, delay=delay)
        if run.wake.wait(delay):
            run.wake.clear()

    def _deliver(self, run: _Run, body: dict[str, Any], after: int, replay: bool) -> None:
        events = [e for e in body["events"] if isinstance(e, dict) and int(e.get("id", 0)) > after]
        for event in events:
            if run.stop.is_set():
                return
            kind = str(event.get("kind"))
            log.debug("event %s: %s", event.get("id"), kind)
            self.bus.publish(f"feed.{kind}", event=event, replay=replay)
            if kind == "revocation":
                self._revocation(run, event)
        last_id = int(body.get("last_id") or after)
        if events:
            last_id = max(last_id, int(events[-1]["id"]))
        if last_id != after and not run.stop.is_set():
            self._store(last_id)
        if not events:
            self.bus.publish("feed.heartbeat", at=body.get("heartbeat_at"))

    def _revocation(self, run: _Run, event: dict[str, Any]) -> None:
        payload = event.get("payload") or {}
        me = (self.session.user or {}).get("id")
        mine = payload.get("device_id") == self.session.device_id or (
            payload.get("reason") == "account_disabled" and payload.get("user_id") == me
        )
        if not mine:
            return
        try:  # the session sees the revocation, runs on_revoked (the wipe) and raises
            self.session.request("GET", ME_PATH, retry=NO_RETRY)
        except DeviceRevoked as exc:
            self.bus.publish("auth.revoked", reason=exc.reason)
            self._finish(run, exc.reason)
        except ClientError as exc:
            log.info("revocation check failed: %s", type(exc).__name__)

    # ---- sleep/wake watchdog ------------------------------------------------------------------

    def _watch(self, run: _Run) -> None:
        jumps = ClockJumpDetector(wall_clock=self._wall, monotonic=self._mono,
                                  threshold=self.jump_threshold)
        while not run.stop.wait(self.watch_interval):
            drift = jumps.jumped()
            if drift is not None:
                log.info("wall clock jumped by %.0f s: reconnecting the events feed now", drift)
                run.jumped.set()
                run.wake.set()
                self.bus.publish("feed.woke", drift=drift)
                run.adapter.abort()
            elif run.jumped.is_set() and run.polling:
                run.adapter.abort()  # the abort raced the connect: try again
