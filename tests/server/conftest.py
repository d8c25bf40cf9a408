"""Server-test fixtures: a server on a frozen clock (token expiry without waiting)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from onestop_server.clock import FrozenClock
from tests.support.clock import TEST_EPOCH
from tests.support.server import RunningServer, start_server


@pytest.fixture
def frozen_clock() -> FrozenClock:
    return FrozenClock(TEST_EPOCH)


@pytest.fixture
def clocked_server(
    seeded_template: tuple[Path, Path], tmp_path: Path, frozen_clock: FrozenClock
) -> Iterator[RunningServer]:
    src_db, src_blobs = seeded_template
    db_path, blobs = tmp_path / "server.db", tmp_path / "blobs"
    shutil.copy(src_db, db_path)
    shutil.copytree(src_blobs, blobs)
    srv = start_server(db_path, blobs, clock=frozen_clock, max_document_bytes=64 * 1024)
    try:
        yield srv
    finally:
        srv.stop()
