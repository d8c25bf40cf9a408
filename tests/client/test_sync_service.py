"""The background sync service against the real server on loopback, the real keyring and cache:
the interval, ``sync_now``, offline backoff and reconnect (the outbox is sent as soon as the
server is back), a wall-clock jump (sleep/resume) and ``stop``. Waits poll the published events
with deadlines; nothing asserts on a fixed sleep."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.client.sync_helpers import SyncClient, client_for
from tests.server.util import Peek
from tests.support.server import RunningServer, start_server
from wfh_client.store import outbox as store_outbox
from wfh_client.sync import operations
from wfh_client.sync.http import RetryPolicy
from wfh_client.sync.service import SyncService

HEAD = "truongphong.tnmt"
DEPARTMENT = "stnmt"


def wait_until(condition: Callable[[], Any], timeout: float = 20.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what or condition}")
        time.sleep(0.01)


def named(client: SyncClient, name: str) -> list[dict[str, Any]]:
    return [kw for n, kw in list(client.events) if n == name]


@pytest.fixture
def head(server: RunningServer, tmp_path: Path) -> Iterator[SyncClient]:
    with client_for(server, HEAD, tmp_path / "head") as client:
        yield client


@pytest.fixture
def service_factory() -> Iterator[Callable[..., SyncService]]:
    started: list[SyncService] = []

    def make(client: SyncClient, **kwargs: Any) -> SyncService:
        service = SyncService(client.engine, **kwargs)
        started.append(service)
        service.start()
        return service

    yield make
    for service in started:
        service.stop()


def test_syncs_on_its_interval_and_sync_now_wakes_it(
        head: SyncClient, service_factory: Callable[..., SyncService]) -> None:
    service = service_factory(head, interval=0.2)
    wait_until(lambda: len(named(head, "sync.finished")) >= 3, what="three interval syncs")
    assert service.online is True
    assert named(head, "connectivity") == [{"online": True}]  # published once, on change
    service.stop()
    assert service._thread is not None and not service._thread.is_alive()
    stopped_at = len(named(head, "sync.finished"))

    # A long interval: only sync_now makes the second sync happen.
    calls = {"wall": 0}

    def wall() -> float:
        calls["wall"] += 1
        return time.time()

    service = service_factory(head, interval=600, wall_clock=wall, clock_check=0.02)
    wait_until(lambda: len(named(head, "sync.finished")) == stopped_at + 1, what="first sync")
    seen = calls["wall"]
    wait_until(lambda: calls["wall"] >= seen + 5, what="the service sleeping")
    assert len(named(head, "sync.finished")) == stopped_at + 1  # asleep: no sync on its own
    service.sync_now()
    wait_until(lambda: len(named(head, "sync.finished")) == stopped_at + 2, timeout=5,
               what="the sync asked for")
    service.stop()
    assert not service._thread.is_alive()


def test_a_wall_clock_jump_triggers_an_immediate_sync(
        head: SyncClient, service_factory: Callable[..., SyncService]) -> None:
    offset = {"seconds": 0.0, "reads": 0}

    def wall() -> float:
        offset["reads"] += 1
        return time.time() + offset["seconds"]

    service_factory(head, interval=600, wall_clock=wall, clock_check=0.02)
    wait_until(lambda: len(named(head, "sync.finished")) == 1, what="first sync")
    reads = offset["reads"]
    wait_until(lambda: offset["reads"] >= reads + 5, what="the service sleeping")
    assert len(named(head, "sync.finished")) == 1
    offset["seconds"] = 3600.0  # the laptop slept for an hour
    wait_until(lambda: len(named(head, "sync.finished")) == 2, timeout=5,
               what="a sync after the clock jump")


def test_offline_backoff_then_reconnect_sends_the_outbox(
        seeded_template: tuple[Path, Path], tmp_path: Path,
        service_factory: Callable[..., SyncService]) -> None:
    db_path, blobs = tmp_path / "server.db", tmp_path / "blobs"
    shutil.copy(seeded_template[0], db_path)
    shutil.copytree(seeded_template[1], blobs)
    server = start_server(db_path, blobs)
    port = server.port
    try:
        with client_for(server, HEAD, tmp_path / "c") as client:
            # Fail fast at the HTTP layer: the service's own backoff is under test here.
            client.session.http.retry = RetryPolicy(total=0)
            client.engine.sync_once()
            dossier_id = sorted(client.ids())[0]
            server.stop()  # the network is gone

            entry = operations.record_action(client.engine, dossier_id, "note",
                                             {"text": "Gửi khi có mạng lại"})
            service = service_factory(client, interval=600, backoff_base=0.05, backoff_cap=0.2)
            wait_until(lambda: named(client, "connectivity") == [{"online": False}],
                       what="offline")
            failed = len(named(client, "sync.failed"))
            # Backoff, not the 600 s interval: it keeps trying every fraction of a second.
            wait_until(lambda: len(named(client, "sync.failed")) >= failed + 3,
                       what="retries with backoff")
            assert 0 < service.next_delay() <= 0.2
            assert store_outbox.get_entry(client.cache.reader(), entry.client_id).state in (
                "pending", "sending")

            server = start_server(db_path, blobs, port=port, clock=server.clock)
            wait_until(lambda: named(client, "connectivity")[-1:] == [{"online": True}],
                       what="online again")
            wait_until(lambda: store_outbox.get_entry(client.cache.reader(),
                                                      entry.client_id).state == "applied",
                       what="the outbox sent")
            assert named(client, "connectivity") == [{"online": False}, {"online": True}]
            assert service.next_delay() == 600
            assert Peek(server).scalar("SELECT count(*) FROM notes WHERE client_id = :c",
                                       c=entry.client_id) == 1
            stopping = time.monotonic()
            service.stop()
            assert service._thread is not None and not service._thread.is_alive()
            assert time.monotonic() - stopping < 5
    finally:
        server.stop()


def test_progress_events_count_towards_their_total(server: RunningServer, tmp_path: Path,
                                                   service_factory: Callable[..., SyncService],
                                                   ) -> None:
    scope = int(Peek(server).scalar(
        "SELECT count(*) FROM dossiers WHERE department_id = :d AND status != 7", d=DEPARTMENT))
    with client_for(server, HEAD, tmp_path / "p", page_limit=4) as client:
        done_event = threading.Event()
        client.bus.subscribe("sync.finished", lambda **kw: done_event.set())
        service_factory(client, interval=600)
        assert done_event.wait(30)
        snapshot = [kw for kw in named(client, "sync.progress") if kw["phase"] == "snapshot"]
        assert len(snapshot) == -(-scope // 4)  # one event per page
        dones = [kw["done"] for kw in snapshot]
        assert dones == sorted(dones) and dones[-1] == scope
        assert all(kw["total"] >= kw["done"] for kw in snapshot)
        assert snapshot[-1]["total"] == scope  # the last page knows the real total

        # Pushes count their entries: done 0..n-1 then n, always out of n.
        for dossier_id in sorted(client.ids())[:3]:
            operations.record_action(client.engine, dossier_id, "note", {"text": "tiến độ"})
        client.events.clear()
        done_event.clear()
        client.engine.sync_once()
        push = [kw for kw in named(client, "sync.progress") if kw["phase"] == "push"]
        assert [kw["done"] for kw in push] == [0, 1, 2, 3]
        assert {kw["total"] for kw in push} == {3}
