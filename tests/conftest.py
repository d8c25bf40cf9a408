"""Shared fixtures: a seeded reference server on loopback (real HTTP, real SQLite file)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.support.server import RunningServer, seed_into, start_server  # noqa: E402

DEMO_PASSWORD = "demo"


@pytest.fixture(scope="session", autouse=True)
def _log_dir_of_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Log files of CLI/app runs (wfh_client.logs) go to a temporary folder, not the home."""
    folder = tmp_path_factory.mktemp("logs")
    old = os.environ.get("WFH_CLIENT_LOG_DIR")
    os.environ["WFH_CLIENT_LOG_DIR"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("WFH_CLIENT_LOG_DIR", None)
    else:
        os.environ["WFH_CLIENT_LOG_DIR"] = old


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One seeded database (40 dossiers, seed 1) built once per session and copied per test."""
    root = tmp_path_factory.mktemp("seed-template")
    db_path, blobs = root / "server.db", root / "blobs"
    seed_into(db_path, blobs, dossiers=40, seed=1)
    return db_path, blobs


@pytest.fixture
def server(seeded_template: tuple[Path, Path], tmp_path: Path) -> Iterator[RunningServer]:
    """A fresh copy of the seeded server, running on a free port of 127.0.0.1."""
    src_db, src_blobs = seeded_template
    db_path, blobs = tmp_path / "server.db", tmp_path / "blobs"
    shutil.copy(src_db, db_path)
    shutil.copytree(src_blobs, blobs)
    srv = start_server(db_path, blobs)
    try:
        yield srv
    finally:
        srv.stop()
