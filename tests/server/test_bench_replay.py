"""bench/replay.py, the recording proxy ``bench/sync_first.py --replay`` measures the client
behind: a GET it has seen is answered from its recording, byte for byte, without the server."""

from __future__ import annotations

import importlib.util
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.client.auth_helpers import DEMO_PASSWORD
from tests.support.server import RunningServer
from wfh_client.memory_keyring import MemoryKeyring
from wfh_client.store import Cache, account_paths
from wfh_client.sync.auth import AuthSession, TokenStore, login
from wfh_client.sync.engine import CHANGES_PATH, SyncEngine, SyncReport
from wfh_client.sync.http import HttpClient

ROOT = Path(__file__).resolve().parents[2]


def _replay_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_replay", ROOT / "bench" / "replay.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def replay(server: RunningServer) -> Iterator[Any]:
    proxy = _replay_module().ReplayServer(server.port)
    try:
        yield proxy
    finally:
        proxy.close()


# Like the benchmark: tokens in memory, a cache with a random key (no OS keyring involved;
# these tests also run in the PostgreSQL pass, which has none).
def _session(url: str) -> AuthSession:
    return login(HttpClient(url, timeout=30), "truongphong.tnmt", DEMO_PASSWORD,
                 device_id="replay-" + secrets.token_hex(4), tokens=TokenStore(MemoryKeyring()))


def _sync(session: AuthSession, root: Path) -> tuple[SyncReport, set[str]]:
    cache = Cache(account_paths("replay", root), key=secrets.token_bytes(32))
    try:
        report = SyncEngine(session, cache, page_limit=7, prefetch_max_bytes=0).sync_once(
            prefetch=False)
        return report, {r[0] for r in cache.reader().execute("SELECT id FROM dossiers")}
    finally:
        cache.close()


def test_a_repeated_get_is_answered_from_the_recording(replay: Any) -> None:
    session = _session(replay.url)
    params = {"limit": 5}
    one = session.request("GET", CHANGES_PATH, params=params)
    forwarded = replay.counters()["forwarded"]
    two = session.request("GET", CHANGES_PATH, params=params)
    assert one.status_code == two.status_code == 200
    # the server's compressed bytes, passed on as they were (requests decoded them)
    assert two.headers["Content-Encoding"] == one.headers["Content-Encoding"] == "zstd"
    assert two.content == one.content and one.json()["upserts"]
    counters = replay.counters()
    assert counters["forwarded"] == forwarded  # the server was not asked again
    assert counters["replayed"] == 1


def test_a_replayed_first_sync_caches_what_the_server_sent(replay: Any, tmp_path: Path) -> None:
    recorded_report, recorded = _sync(_session(replay.url), tmp_path / "a")
    session = _session(replay.url)  # its login (a POST) goes to the server
    before = replay.counters()
    report, ids = _sync(session, tmp_path / "b")
    after = replay.counters()
    assert report.pages >= 2 and ids == recorded and len(ids) == report.pulled > 0
    assert recorded_report.pulled == report.pulled
    assert after["forwarded"] == before["forwarded"]  # every GET of the sync was replayed
    assert after["replayed"] - before["replayed"] >= report.pages
