"""Run the real reference server over HTTP on 127.0.0.1 for tests and benchmarks.

``running_server(db_path, blob_dir)`` seeds nothing: call ``seed_into`` first (or use the
``server`` fixture in tests/conftest.py). uvicorn runs in a thread on a free port.
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

from onestop_server import db
from onestop_server.app import create_app
from onestop_server.clock import Clock


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningServer:
    url: str
    port: int
    db_path: Path
    blob_dir: Path
    app: Any
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def seed_into(db_path: Path, blob_dir: Path, *, dossiers: int = 40, seed: int = 1,
              now: datetime | None = None) -> None:
    from onestop_server.seed import seed_database

    engine = db.make_engine(db.sqlite_url(str(db_path)))
    try:
        seed_database(engine, blob_dir, dossiers=dossiers, seed=seed, now=now)
    finally:
        engine.dispose()


def copy_seeded(template: tuple[Path, Path], into: Path) -> tuple[Path, Path]:
    """A private copy of a seeded (database, blob folder) pair, for a test that writes."""
    db_path, blobs = into / "server.db", into / "blobs"
    shutil.copy(template[0], db_path)
    shutil.copytree(template[1], blobs)
    return db_path, blobs


def start_server(
    db_path: Path, blob_dir: Path, *, clock: Clock | None = None, port: int | None = None, **app_kwargs: Any
) -> RunningServer:
    app = create_app(
        database_url=db.sqlite_url(str(db_path)), blob_dir=blob_dir, clock=clock, **app_kwargs
    )
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn:{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("reference server did not start")
        time.sleep(0.02)
    return RunningServer(f"http://127.0.0.1:{port}", port, db_path, blob_dir, app, server, thread)


@contextlib.contextmanager
def running_server(db_path: Path, blob_dir: Path, **kwargs: Any) -> Iterator[RunningServer]:
    srv = start_server(db_path, blob_dir, **kwargs)
    try:
        yield srv
    finally:
        srv.stop()
