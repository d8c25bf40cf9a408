"""Shared fixtures: a seeded reference server on loopback (real HTTP, a real database: SQLite
files, or PostgreSQL when ``ONESTOP_TEST_DATABASE_URL`` is set, see tests/support/databases.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.support.clock import TEST_EPOCH  # noqa: E402
from tests.support.databases import SeedSource, admin_url  # noqa: E402
from tests.support.server import RunningServer, seed_into, start_server  # noqa: E402

DEMO_PASSWORD = "demo"


@pytest.fixture(autouse=True)
def private_runtime_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test gets its own per-user runtime folder (decrypted copies, single-instance
    socket: ``wfh_client.runtime``), short enough for a Unix socket path, shared with any
    subprocess the test starts (environment)."""
    path = tmp_path_factory.mktemp("run")
    monkeypatch.setenv("WFH_CLIENT_RUNTIME_DIR", str(path))
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` need a cluster: ``make test`` runs them in its PostgreSQL pass."""
    if admin_url() is not None:
        return
    skip = pytest.mark.skip(reason="needs ONESTOP_TEST_DATABASE_URL (make test's PostgreSQL pass)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One seeded SQLite database (40 dossiers, seed 1) built once per session and copied per test."""
    root = tmp_path_factory.mktemp("seed-template")
    db_path, blobs = root / "server.db", root / "blobs"
    seed_into(db_path, blobs, dossiers=40, seed=1)
    return db_path, blobs


@pytest.fixture(scope="session")
def seed_source(seeded_template: tuple[Path, Path]) -> Iterator[SeedSource]:
    """The seeded database the server tests clone: SQLite, or PostgreSQL when configured."""
    source = SeedSource(seeded_template, dossiers=40, seed=1, now=TEST_EPOCH)
    try:
        yield source
    finally:
        source.close()


@pytest.fixture
def server(seed_source: SeedSource, tmp_path: Path) -> Iterator[RunningServer]:
    """A fresh copy of the seeded server, running on a free port of 127.0.0.1."""
    with seed_source.clone(tmp_path) as (db, blobs):
        srv = start_server(db, blobs)
        try:
            yield srv
        finally:
            srv.stop()
