"""Running work off the GUI thread and getting the result back onto it (Anki's task manager).

- :func:`run_in_db_writer` queues ``fn(db)`` on the cache's single writer (one transaction)
  and calls ``on_done(result)`` / ``on_error(exc)`` on the GUI thread.
- :func:`run_in_background` runs ``fn()`` on a small thread pool (network, sync engine,
  slow reads) with the same delivery.
- :func:`run_on_gui` runs a closure on the GUI thread from any thread.
- :func:`mark_seen` records that the user looked at a dossier (the list's unread marker) and
  tells the list (``dossiers.seen``).

Callbacks may name a ``guard`` QObject: if Qt has destroyed it by the time the result arrives
(the dialog was closed), the callbacks are skipped. :func:`shutdown` cancels queued jobs and
joins the pool at exit (``ClientApp.shutdown`` calls it). Errors without an ``on_error`` are
logged, never swallowed silently.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from wfh_client.store import Cache

log = logging.getLogger(__name__)

__all__ = ["TaskRunner", "mark_seen", "run_in_background", "run_in_db_writer", "run_on_gui", "runner",
           "shutdown"]

T = TypeVar("T")
OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


class _GuiInvoker(QObject):
    """Lives in the GUI thread; a queued signal carries closures to it."""

    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.call.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception:  # noqa: BLE001 - a failing callback must not kill the event loop
            log.exception("GUI-thread callback failed")


_invoker: _GuiInvoker | None = None
_invoker_lock = threading.Lock()


def _get_invoker() -> _GuiInvoker:
    global _invoker
    with _invoker_lock:
        if _invoker is None or not shiboken6.isValid(_invoker):
            app = QCoreApplication.instance()
            if app is None:
                raise RuntimeError("create the QApplication before running operations")
            _invoker = _GuiInvoker()
            _invoker.moveToThread(app.thread())
        return _invoker


def run_on_gui(fn: Callable[[], None]) -> None:
    """Run ``fn()`` on the GUI thread (queued, also when called from the GUI thread)."""
    _get_invoker().call.emit(fn)


def _deliver(future: Future[Any], on_done: OnDone | None, on_error: OnError | None,
             guard: QObject | None) -> None:
    def finish() -> None:
        if guard is not None and not shiboken6.isValid(guard):
            return
        if future.cancelled():
            return
        exc = future.exception()
        if exc is None:
            if on_done is not None:
                on_done(future.result())
        elif on_error is not None:
            on_error(exc)
        else:
            log.error("background operation failed", exc_info=exc)

    run_on_gui(finish)


class TaskRunner:
    """A small pool for network and engine work; results come back on the GUI thread."""

    def __init__(self, max_workers: int = 4) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="wfh-ui-bg")
        self._lock = threading.Lock()
        self._closed = False
        _get_invoker()  # created on the GUI thread, before any worker needs it

    def submit(self, fn: Callable[[], T], on_done: Callable[[T], None] | None = None,
               on_error: OnError | None = None, *, guard: QObject | None = None) -> Future[T]:
        with self._lock:
            if self._closed:
                raise RuntimeError("the task runner is shut down")
            future = self._pool.submit(fn)
        future.add_done_callback(lambda f: _deliver(f, on_done, on_error, guard))
        return future

    def shutdown(self, wait: bool = True) -> None:
        """Cancel queued jobs and join running ones (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._pool.shutdown(wait=wait, cancel_futures=True)

    @property
    def closed(self) -> bool:
        return self._closed


_runner: TaskRunner | None = None


def runner() -> TaskRunner:
    """The application's shared pool (created on first use, on the GUI thread)."""
    global _runner
    if _runner is None or _runner.closed:
        _runner = TaskRunner()
    return _runner


def run_in_background(fn: Callable[[], T], on_done: Callable[[T], None] | None = None,
                      on_error: OnError | None = None, *,
                      guard: QObject | None = None) -> Future[T]:
    """Run ``fn()`` on the worker pool; deliver its result or error on the GUI thread."""
    return runner().submit(fn, on_done, on_error, guard=guard)


def run_in_db_writer(cache: Cache, fn: Callable[[Any], T],
                     on_done: Callable[[T], None] | None = None,
                     on_error: OnError | None = None, *,
                     guard: QObject | None = None) -> Future[T]:
    """Run ``fn(db)`` in one transaction on the cache writer; deliver on the GUI thread."""
    future = cache.writer.submit(fn)
    future.add_done_callback(lambda f: _deliver(f, on_done, on_error, guard))
    return future


def shutdown(wait: bool = True) -> None:
    """Join the shared pool (at application exit)."""
    global _runner
    if _runner is not None:
        _runner.shutdown(wait=wait)
        _runner = None


def mark_seen(ctx: Any, dossier_id: str) -> None:
    """The user has looked at (or acted on) ``dossier_id``: no longer unread (a writer job)."""
    from wfh_client.store.listing import mark_seen as store_mark_seen

    now, bus = ctx.clock(), ctx.bus
    run_in_db_writer(ctx.cache, lambda db: store_mark_seen(db, dossier_id, now),
                     lambda _r: bus.publish("dossiers.seen", ids=[dossier_id]),
                     lambda exc: log.warning("cannot mark %s as seen: %s", dossier_id, exc))
