"""Run the real reference server over HTTP on 127.0.0.1 for tests and benchmarks.

``running_server(db, blob_dir)`` seeds nothing: call ``seed_into`` first (or use the ``server``
fixture in tests/conftest.py). ``db`` is a SQLite file (a ``Path``) or a database URL (a
``str``, e.g. a PostgreSQL database from ``tests.support.databases``). uvicorn runs in a thread
on a free port.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import uvicorn

from onestop_server import db as server_db
from onestop_server.app import create_app
from onestop_server.clock import Clock
from tests.support.clock import TEST_EPOCH, ticking

Database = Path | str  # a SQLite file, or a database URL


def database_url(db: Database) -> str:
    return db if isinstance(db, str) else server_db.sqlite_url(str(db))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningServer:
    url: str
    port: int
    db: Database
    blob_dir: Path
    app: Any
    server: uvicorn.Server
    thread: threading.Thread
    clock: Clock

    def now(self) -> datetime:
        """The server's "now" (the tests' fixed, ticking clock for the seeded servers)."""
        return self.clock.now()

    @property
    def database_url(self) -> str:
        return database_url(self.db)

    @property
    def db_path(self) -> Path:
        """The SQLite file (client tests that open it directly run on SQLite only)."""
        assert isinstance(self.db, Path), "this test needs a SQLite server database"
        return self.db

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def seed_into(db: Database, blob_dir: Path, *, dossiers: int = 40, seed: int = 1,
              now: datetime = TEST_EPOCH) -> None:
    """Seed at a fixed instant (``TEST_EPOCH`` unless told): the data is the same on any date."""
    from onestop_server.seed import seed_database

    engine = server_db.make_engine(database_url(db))
    try:
        seed_database(engine, blob_dir, dossiers=dossiers, seed=seed, now=now)
    finally:
        engine.dispose()


def start_server(
    db: Database, blob_dir: Path, *, clock: Clock | None = None, port: int | None = None,
    log_level: str = "warning", **app_kwargs: Any
) -> RunningServer:
    """Serve ``db`` on 127.0.0.1. Without ``clock`` the server runs on a clock that starts
    at ``TEST_EPOCH`` (where the test data is seeded) and ticks in real time.
    ``log_level="debug"`` also turns on uvicorn's access log (the log-privacy test)."""
    clock = clock or ticking()
    app = create_app(database_url=database_url(db), blob_dir=blob_dir, clock=clock, **app_kwargs)
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level=log_level, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn:{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("reference server did not start")
        time.sleep(0.02)
    return RunningServer(f"http://127.0.0.1:{port}", port, db, blob_dir, app, server, thread,
                         clock)


@contextlib.contextmanager
def running_server(db: Database, blob_dir: Path, **kwargs: Any) -> Iterator[RunningServer]:
    srv = start_server(db, blob_dir, **kwargs)
    try:
        yield srv
    finally:
        srv.stop()


@contextlib.contextmanager
def server_copy(template: tuple[Path, Path], tmp_path: Path, **kwargs: Any) -> Iterator[RunningServer]:
    """A fresh copy of a seeded (database, blobs) template in ``tmp_path``, served with
    ``start_server(**kwargs)`` (a clock, limits, policies...) and stopped afterwards."""
    with running_server(*copy_seeded(template, tmp_path), **kwargs) as srv:
        yield srv


def copy_seeded(template: tuple[Path, Path], into: Path) -> tuple[Path, Path]:
    """A private copy of a seeded (database, blob folder) pair, for a test that changes the
    data before serving it (else :func:`server_copy`)."""
    db_path, blobs = into / "server.db", into / "blobs"
    shutil.copy(template[0], db_path)
    shutil.copytree(template[1], blobs)
    return db_path, blobs
