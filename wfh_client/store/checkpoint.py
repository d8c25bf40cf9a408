"""Background WAL checkpoints: the writer's commits never wait for them.

In WAL mode every commit appends pages to the ``-wal`` file; a *checkpoint* copies them into
the database file and syncs it to disk. SQLite runs one inside the commit that crosses
``wal_autocheckpoint`` pages, so the writer (and the sync page waiting for it) used to pay the
copy and the fsyncs: during a first sync of 10,000 dossiers, about 0.15 s per 32 MiB.

:class:`Checkpointer` does it on a thread and connection of its own instead: the writer calls
:meth:`~Checkpointer.request` after each commit and goes on; the checkpointer runs a PASSIVE
checkpoint (it never blocks the writer or readers, and copies only what is committed) at most
every ``min_interval`` seconds. Once it has caught up, SQLite starts the WAL over at the next
write, so the file stays small. The writer keeps a large ``wal_autocheckpoint`` as a backstop,
should this thread fall behind. A checkpoint is not a write of the cache's data: the
single-writer rule (one thread changes rows) holds.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable

from sqlite_utils import Database

from wfh_client.threadpriority import lower_current_thread

__all__ = ["Checkpointer"]

log = logging.getLogger(__name__)


class Checkpointer:
    """One thread running ``PRAGMA wal_checkpoint(PASSIVE)`` when asked (coalesced)."""

    def __init__(self, connect: Callable[[], Database], *, min_interval: float = 0.2,
                 name: str = "wfh-store-checkpoint") -> None:
        self._connect = connect
        self._min_interval = min_interval
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self.runs = 0  # checkpoints done (for tests and diagnostics)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def request(self) -> None:
        """Ask for a checkpoint soon (returns at once; several requests make one run)."""
        self._wake.set()

    def _run(self) -> None:
        lower_current_thread()  # background copying: the writer and the GUI go first
        db: Database | None = None
        try:
            while True:
                self._wake.wait()
                if self._stopping.is_set():
                    return
                self._wake.clear()
                try:
                    if db is None:
                        db = self._connect()
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.runs += 1
                except Exception as exc:  # noqa: BLE001 - the next one (or close) retries
                    log.warning("background WAL checkpoint failed (nothing is lost): %s", exc)
                if self._stopping.wait(self._min_interval):
                    return
        finally:
            if db is not None:
                with contextlib.suppress(Exception):
                    db.close()

    def close(self, timeout: float = 30.0) -> None:
        """Stop the thread (a checkpoint under way finishes first) and close its connection."""
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout)
