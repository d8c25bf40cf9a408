"""The single writer: every write to the cache runs on one thread, one transaction per call.

``writer.submit(fn)`` queues ``fn(db)`` and returns a ``Future``; ``writer.run(fn)`` waits for
it. ``fn`` runs inside ``BEGIN IMMEDIATE`` ... ``COMMIT`` on the writer's own connection and
is rolled back if it raises (the exception reaches the caller through the future). Calling
``run``/``submit`` from inside a writer task runs ``fn`` inline (a nested savepoint), so
helpers can compose without deadlocking. Readers use their own connections (WAL).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from sqlite_utils import Database

__all__ = ["Writer"]

T = TypeVar("T")
log = logging.getLogger(__name__)


class Writer:
    """Serialises all writes through one thread and one connection."""

    def __init__(self, connect: Callable[[], Database], *, name: str = "wfh-store-writer",
                 after_commit: Callable[[Database], None] | None = None) -> None:
        """``after_commit(db)``: called on the writer thread after each committed task, with
        its connection (checkpoint upkeep); it should be quick, and what it raises is
        logged."""
        self._after_commit = after_commit
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._thread_ident: int | None = None
        self._closed = False
        self._lock = threading.Lock()
        # The connection is opened on the writer thread itself.
        try:
            self._db: Database = self._executor.submit(self._open, connect).result()
        except BaseException:
            self._closed = True
            self._executor.shutdown(wait=True)
            raise

    def _open(self, connect: Callable[[], Database]) -> Database:
        self._thread_ident = threading.get_ident()
        return connect()

    def in_writer_thread(self) -> bool:
        return threading.get_ident() == self._thread_ident

    def _transaction(self, fn: Callable[[Database], T]) -> T:
        db = self._db
        if db.conn.in_transaction:  # nested call from inside a task: savepoint
            with db.atomic():
                return fn(db)
        db.execute("BEGIN IMMEDIATE")
        try:
            result = fn(db)
        except BaseException:
            if db.conn.in_transaction:
                db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        if self._after_commit is not None:
            try:
                self._after_commit(db)
            except Exception:  # the write is committed: never report it as failed
                log.exception("after-commit hook failed")
        return result

    def submit(self, fn: Callable[[Database], T]) -> Future[T]:
        """Queue ``fn(db)`` to run in its own transaction on the writer thread."""
        if self.in_writer_thread():
            done: Future[T] = Future()
            try:
                done.set_result(self._transaction(fn))
            except Exception as exc:  # noqa: BLE001 - delivered through the future
                done.set_exception(exc)
            return done
        with self._lock:
            if self._closed:
                raise RuntimeError("the cache writer is closed")
            return self._executor.submit(self._transaction, fn)

    def run(self, fn: Callable[[Database], T], timeout: float | None = None) -> T:
        """Run ``fn(db)`` in one transaction on the writer thread and return its result."""
        return self.submit(fn).result(timeout)

    def close(self) -> None:
        """Finish queued writes, checkpoint the WAL and close the connection (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._executor.submit(self._close_db).result()
        self._executor.shutdown(wait=True)

    def _close_db(self) -> None:
        # Every write is already committed (in the WAL): a checkpoint that fails here (disk
        # full, another reader) loses nothing and is redone at the next open. Raising would
        # make a caller report a committed write as failed, and a retry would double it.
        try:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception as exc:  # noqa: BLE001 - see above
            log.warning("WAL checkpoint at close failed (nothing is lost): %s", exc)
        finally:
            self._db.close()
