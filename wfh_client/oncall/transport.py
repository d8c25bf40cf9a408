"""How the on-call core reaches the server without importing ``wfh_client.sync``.

``Transport`` is any object with ``request(method, path, **kwargs)`` returning a response with
``.json()`` and raising on non-2xx answers (the app passes its ``AuthSession``). Errors are
classified by duck typing: an exception with an ``int`` ``status`` and a ``str`` ``code`` is an
API answer (:func:`api_error`); anything else is "could not talk to the server".

:class:`Worker` is the on-call core's one background thread: every network call of
``wfh_client.oncall`` runs there (never on the caller's or the feed's thread), in submission
order, plus a periodic ``tick`` (the queue flush) on an interval that backs off while offline.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from wfh_client.pacing import backoff_delay

__all__ = ["REVOKED_CODES", "Transport", "Worker", "api_error", "iso_z", "utc_now"]

log = logging.getLogger(__name__)

REVOKED_CODES = frozenset({"auth.device_revoked", "auth.account_disabled"})


class Transport(Protocol):
    def request(self, method: str, path: str, **kwargs: Any) -> Any: ...


def api_error(exc: BaseException) -> tuple[int, str, dict[str, Any]] | None:
    """``(status, code, details)`` of an API error answer, None for any other failure."""
    status, code = getattr(exc, "status", None), getattr(exc, "code", None)
    if isinstance(status, int) and isinstance(code, str):
        details = getattr(exc, "details", None)
        return status, code, details if isinstance(details, dict) else {}
    return None


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_z(value: datetime) -> str:
    """An aware datetime as the API's ISO 8601 UTC with ``Z``."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Worker:
    """One daemon thread: queued tasks in order, and ``tick()`` every ``interval`` seconds."""

    def __init__(self, tick: Callable[[], bool], *, interval: float = 30.0,
                 backoff_base: float = 2.0, name: str = "wfh-oncall") -> None:
        self._tick = tick  # returns True when healthy (online)
        self.interval = interval
        self.backoff_base = backoff_base
        self.name = name
        self._tasks: deque[Callable[[], None]] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._tick_requested = False
        self._busy = False
        self._failures = 0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def submit(self, fn: Callable[[], None]) -> None:
        with self._lock:
            self._tasks.append(fn)
        self._wake.set()

    def request_tick(self) -> None:
        """Run ``tick`` as soon as possible (coalesced)."""
        with self._lock:
            self._tick_requested = True
        self._wake.set()

    @property
    def idle(self) -> bool:
        with self._lock:
            return not self._tasks and not self._tick_requested and not self._busy

    def _next(self) -> Callable[[], None] | None:
        with self._lock:
            if self._tasks:
                self._busy = True
                return self._tasks.popleft()
            if self._tick_requested:
                self._tick_requested = False
                self._busy = True
                return self._do_tick
            self._busy = False
            return None

    def _do_tick(self) -> None:
        healthy = self._tick()
        self._failures = 0 if healthy else self._failures + 1

    def _run(self) -> None:
        while not self._stop.is_set():
            task = self._next()
            if task is None:
                delay = self.interval if self._failures == 0 else min(
                    self.interval, backoff_delay(self._failures, self.backoff_base, self.interval))
                if not self._wake.wait(delay):
                    self.request_tick()
                self._wake.clear()
                continue
            try:
                task()
            except Exception:  # noqa: BLE001 - keep the worker alive
                log.exception("on-call background task failed")
            finally:
                with self._lock:
                    self._busy = False
