"""Server-test fixtures: a server on a frozen clock (token expiry without waiting)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from onestop_server.clock import FrozenClock
from tests.support.clock import TEST_EPOCH
from tests.support.databases import SeedSource
from tests.support.server import RunningServer, start_server


@pytest.fixture
def frozen_clock() -> FrozenClock:
    return FrozenClock(TEST_EPOCH)


@pytest.fixture
def clocked_server(
    seed_source: SeedSource, tmp_path: Path, frozen_clock: FrozenClock
) -> Iterator[RunningServer]:
    with seed_source.clone(tmp_path) as (db, blobs):
        srv = start_server(db, blobs, clock=frozen_clock, max_document_bytes=64 * 1024)
        try:
            yield srv
        finally:
            srv.stop()
