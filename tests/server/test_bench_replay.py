"""bench/replay.py, the recording proxy ``bench/sync_first.py --replay`` measures the client
behind: a GET it has seen is answered from its recording, byte for byte, without the server."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from tests.client.sync_helpers import client_for
from tests.support.server import RunningServer

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


def test_a_repeated_get_is_answered_from_the_recording(server: RunningServer, replay: Any,
                                                       tmp_path: Path) -> None:
    via_replay = SimpleNamespace(url=replay.url, now=server.now)
    with client_for(via_replay, "truongphong.tnmt", tmp_path / "a") as client:  # type: ignore[arg-type]
        params = {"limit": 5}
        one = client.session.request("GET", "/api/v1/sync/changes", params=params)
        forwarded = replay.counters()["forwarded"]
        two = client.session.request("GET", "/api/v1/sync/changes", params=params)
    assert one.status_code == two.status_code == 200
    # the server's compressed bytes, passed on as they were (requests decoded them)
    assert two.headers["Content-Encoding"] == one.headers["Content-Encoding"] == "zstd"
    assert two.content == one.content and one.json()["upserts"]
    counters = replay.counters()
    assert counters["forwarded"] == forwarded  # the server was not asked again
    assert counters["replayed"] == 1


def test_a_replayed_first_sync_caches_what_the_server_sent(server: RunningServer, replay: Any,
                                                           tmp_path: Path) -> None:
    via_replay = SimpleNamespace(url=replay.url, now=server.now)
    with client_for(via_replay, "truongphong.tnmt", tmp_path / "a",  # type: ignore[arg-type]
                    page_limit=7) as recording:
        recording.engine.sync_once(prefetch=False)
        recorded = recording.ids()
    with client_for(via_replay, "truongphong.tnmt", tmp_path / "b",  # type: ignore[arg-type]
                    page_limit=7) as replayed:
        before = replay.counters()  # its login (a POST) went to the server
        report = replayed.engine.sync_once(prefetch=False)
        after = replay.counters()
        ids = replayed.ids()
    assert report.pages >= 2 and ids == recorded and len(ids) == report.pulled > 0
    assert after["forwarded"] == before["forwarded"]  # every GET of the sync was replayed
    assert after["replayed"] - before["replayed"] >= report.pages
