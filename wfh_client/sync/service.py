"""Background sync: on an interval, on demand, and as soon as the server is reachable again.

A single worker thread runs :meth:`SyncEngine.sync_once`. While the server is unreachable it
retries with exponential backoff and jitter (capped) instead of waiting for the full interval,
so a reconnect is noticed within seconds; a wall-clock jump (the laptop slept) also triggers an
immediate sync. Publishes ``connectivity(online=...)`` besides the engine's ``sync.*`` events.
Neighbours: ``engine``; the UI starts and stops it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from wfh_client.pacing import ClockJumpDetector, backoff_delay
from wfh_client.sync.engine import MassDeletionRefused, SyncCancelled, SyncEngine
from wfh_client.sync.errors import (
    ClientError,
    DeviceRevoked,
    NetworkError,
    NotLoggedIn,
    SessionExpired,
)
from wfh_client.sync.http import NO_RETRY

__all__ = ["SyncService"]

log = logging.getLogger(__name__)

PROBE_PATH = "/api/v1/me"
PROBE_TIMEOUT = (3.0, 5.0)


class SyncService:
    def __init__(
        self,
        engine: SyncEngine,
        *,
        interval: float = 300.0,
        backoff_base: float = 2.0,
        backoff_cap: float = 120.0,
        wall_clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        clock_check: float = 5.0,
    ) -> None:
        self.engine = engine
        self.interval = interval
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._wall = wall_clock
        self._mono = monotonic
        self.clock_check = clock_check  # how often a sleeping service compares the clocks
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0
        self.online: bool | None = None
        self.stopped_reason: str | None = None
        self._unfollow: list[Callable[[], None]] = []
        self._probe_lock = threading.Lock()  # one quick probe at a time
        self._online_lock = threading.Lock()

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._follow()
            self._thread = threading.Thread(target=self._run, name="wfh-sync", daemon=True)
            self._thread.start()

    def _follow(self) -> None:
        """Sync at once when the events feed loses or regains the server, or the OS says the
        network changed: the connection state then follows within seconds (not at the next
        interval), and what waited offline is sent as soon as the server is back."""
        if self._unfollow:
            return
        bus = self.engine.bus
        self._unfollow = [bus.subscribe("feed.connected", self._on_feed_connected),
                          bus.subscribe("network.changed", lambda **_: self.sync_now())]

    def _on_feed_connected(self, connected: bool = False, **_: object) -> None:
        if connected == self.online:
            return
        if connected:
            self.sync_now()
            return
        # A sync pass may be busy retrying; the connection state should not wait for it.
        threading.Thread(target=self._probe_now, name="wfh-sync-probe", daemon=True).start()

    def _probe_now(self) -> None:
        with self._probe_lock:
            if self.online is not False and not self._probe():
                self._failures = max(self._failures, 1)
                self._set_online(False)

    def sync_now(self) -> None:
        """Ask for a sync as soon as possible (F5, reconnect, an action just recorded)."""
        self._wake.set()

    def cancel_current(self) -> None:
        self._cancel.set()

    def stop(self, timeout: float = 10.0) -> None:
        for undo in self._unfollow:
            undo()
        self._unfollow = []
        self._stop.set()
        self._cancel.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def next_delay(self) -> float:
        """Seconds until the next attempt: the interval when healthy, backoff when offline."""
        if self._failures == 0:
            return self.interval
        return min(self.interval, backoff_delay(self._failures, self.backoff_base,
                                                self.backoff_cap))

    def _set_online(self, online: bool) -> None:
        with self._online_lock:  # the sync thread and a probe may both report
            if online == self.online:
                return
            self.online = online
        self.engine.bus.publish("connectivity", online=online)

    def _probe(self) -> bool:
        """One quick request without retries: is the server there at all? (A sync pass retries
        its requests for several seconds before giving up; the connection state should not.)"""
        try:
            self.engine.session.request("GET", PROBE_PATH, retry=NO_RETRY,
                                        timeout=PROBE_TIMEOUT)
        except NetworkError:
            return False
        except ClientError:
            return True  # an answer (even an error) means the server is reachable
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            self._cancel.clear()
            try:
                self.engine.sync_once(self._cancel)
                self._failures = 0
                self._set_online(True)
            except NetworkError:
                self._failures += 1
                self._set_online(False)
            except SyncCancelled:
                pass
            except (DeviceRevoked, NotLoggedIn, SessionExpired) as exc:
                self.stopped_reason = type(exc).__name__
                log.warning("background sync stopped: %s", exc)
                return
            except MassDeletionRefused as exc:
                log.warning("%s", exc)  # the sync.failed event tells the user
            except Exception:  # noqa: BLE001 - keep the service alive; the event reports it
                log.exception("sync failed")
                self._failures += 1
            self._sleep(self.next_delay())

    def _sleep(self, seconds: float) -> None:
        """Wait ``seconds`` unless woken; wake early if the wall clock jumped (sleep/resume)."""
        deadline = self._mono() + seconds
        jumps = ClockJumpDetector(wall_clock=self._wall, monotonic=self._mono)
        while not self._stop.is_set():
            remaining = deadline - self._mono()
            if remaining <= 0:
                return
            if self._wake.wait(min(remaining, self.clock_check)):
                self._wake.clear()
                return
            drift = jumps.jumped()
            if drift is not None:  # the machine slept or the clock was reset: sync now
                log.info("wall clock jumped by %.0f s: syncing now", drift)
                return
