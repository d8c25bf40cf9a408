"""The events listener (``wfh_client.sync.feed.FeedListener``) against the real frozen-clock
server over loopback: resume across a server restart with nothing missed or doubled, a prompt
stop in the middle of a 25-s long-poll, reconnection at once after a wall-clock jump (sleep),
``events.reset`` restarting from 0, and a revocation event running the session's wipe path."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.client.oncall_helpers import oncall_client, server_down, server_up, wait_until
from tests.server import oncall_support
from tests.server.oncall_support import OncallServer, z
from tests.server.util import Client, Peek, login
from wfh_client.store.oncall import KEY_FEED_LAST_ID
from wfh_client.store.state import set_state


@pytest.fixture
def oncall(seeded_template: tuple[Path, Path], tmp_path: Path) -> Iterator[OncallServer]:
    yield from oncall_support.oncall_server(seeded_template, tmp_path)


def recall(head: Client, o: OncallServer, *user_ids: int, message: str = "Về cơ quan") -> int:
    r = head.post("/api/v1/oncall/recalls", json={
        "recipients": list(user_ids), "message": message,
        "report_by": z(o.clock.now() + timedelta(hours=1)), "urgency": "urgent"})
    assert r.status_code == 200, r.text
    return int(r.json()["id"])


def received_ids(events: list[tuple[str, dict[str, Any]]]) -> list[int]:
    return [int(kw["event"]["id"]) for name, kw in list(events)
            if name.startswith("feed.") and "event" in kw]


def test_resume_across_server_restart_nothing_missed_or_doubled(
        oncall: OncallServer, tmp_path: Path) -> None:
    with oncall_client(oncall, "cv.nn1", tmp_path, service=False, wait=1.0) as a:
        head = login(oncall.srv, "truongphong.nn")
        start = a.feed.last_id
        assert start is not None  # a fresh client starts at the feed's head
        first = [recall(head, oncall, a.user_id, message=f"A{i}") for i in range(2)]
        wait_until(lambda: len(a.named("feed.recall")) == 2, what="the first recalls")

        server_down(oncall)
        wait_until(lambda: a.feed.connected is False, what="the feed to notice")
        assert a.named("feed.reconnecting")
        server_up(oncall)
        head = login(oncall.srv, "truongphong.nn")
        second = [recall(head, oncall, a.user_id, message=f"B{i}") for i in range(2)]
        wait_until(lambda: len(a.named("feed.recall")) == 4, what="the recalls after restart")

        got = [kw["event"]["payload"]["recall_id"] for kw in a.named("feed.recall")]
        assert got == first + second
        ids = received_ids(a.events)
        expected = [r[0] for r in Peek(oncall.srv).rows(
            "SELECT id FROM events WHERE id > :s AND audience_user_id = :u ORDER BY id",
            s=start, u=a.user_id)]
        assert ids == expected  # in order, none missed, none doubled
        wait_until(lambda: a.feed.last_id == expected[-1], what="the stored last id")
        connected = [kw["connected"] for kw in a.named("feed.connected")]
        assert connected[:3] == [True, False, True]


def test_stop_interrupts_a_long_poll_promptly(oncall: OncallServer, tmp_path: Path) -> None:
    with oncall_client(oncall, "cv.nn2", tmp_path, service=False, wait=25.0) as a:
        hub = oncall.app.state.events
        wait_until(lambda: hub.waiting() >= 1, what="a long-poll waiting on the server")
        threads = [t for t in threading.enumerate() if t.name.startswith("wfh-feed")]
        started = time.monotonic()
        a.feed.stop()
        assert time.monotonic() - started < 1.5
        assert not any(t.is_alive() for t in threads)
        assert a.named("feed.connected")[-1] == {"connected": False}
        # The server still holds the abandoned poll; an event ends it (and teardown waits not).
        head = login(oncall.srv, "truongphong.nn")
        recall(head, oncall, a.user_id)
        wait_until(lambda: hub.waiting() == 0, what="the server to end the abandoned poll")
        assert a.named("feed.recall") == []  # a stopped listener publishes nothing


def test_wall_clock_jump_reconnects_at_once(oncall: OncallServer, tmp_path: Path) -> None:
    offset = [0.0]
    with oncall_client(oncall, "cv.nn3", tmp_path, service=False, wait=1.0, backoff_base=20.0,
                       backoff_cap=20.0, wall_clock=lambda: time.time() + offset[0],
                       watch_interval=0.1) as a:
        server_down(oncall)
        wait_until(lambda: a.named("feed.reconnecting"), what="a backoff wait")
        delay = a.named("feed.reconnecting")[-1]["delay"]
        assert delay >= 10  # without a wake-up the next try is far away
        server_up(oncall)
        offset[0] += 3600  # the laptop slept for an hour
        woke = time.monotonic()
        wait_until(lambda: a.feed.connected, timeout=3.0, what="reconnect after the wake-up")
        assert time.monotonic() - woke < 3.0 < delay
        assert a.named("feed.woke") and a.named("feed.woke")[0]["drift"] > 3000
        head = login(oncall.srv, "truongphong.nn")
        rid = recall(head, oncall, a.user_id)
        wait_until(lambda: [kw for kw in a.named("feed.recall")
                            if kw["event"]["payload"]["recall_id"] == rid], what="the recall")


def test_events_reset_restarts_from_zero(oncall: OncallServer, tmp_path: Path) -> None:
    with oncall_client(oncall, "cv.nn4", tmp_path) as a:
        head = login(oncall.srv, "truongphong.nn")
        rid = recall(head, oncall, a.user_id)
        wait_until(lambda: a.alerts(rid), what="the alert")
        a.feed.stop()
        a.cache.writer.run(lambda db: set_state(db, KEY_FEED_LAST_ID, 10**12))  # beyond the head
        a.feed.start()
        wait_until(lambda: a.named("feed.reset"), what="feed.reset")
        replayed = wait_until(lambda: [kw for kw in a.named("feed.recall") if kw["replay"]],
                              what="the replayed recall")
        assert replayed[0]["event"]["payload"]["recall_id"] == rid
        wait_until(lambda: (a.feed.last_id or 0) < 10**12 and a.feed.connected and a.idle(),
                   what="caught up")
        assert len(a.alerts(rid)) == 1  # the replay does not alert again


def test_revocation_event_for_this_device_runs_the_wipe_path(
        oncall: OncallServer, tmp_path: Path) -> None:
    with oncall_client(oncall, "cv.nn5", tmp_path, service=False, wait=10.0) as a:
        hub = oncall.app.state.events
        wait_until(lambda: hub.waiting() >= 1, what="a long-poll waiting")
        admin = login(oncall.srv, "admin")
        device_pk = Peek(oncall.srv).scalar(
            "SELECT id FROM devices WHERE device_id = :d", d=a.session.device_id)
        assert admin.post(f"/api/v1/admin/devices/{device_pk}/revoke").status_code == 200
        wait_until(lambda: a.revoked, what="on_revoked (the app wipes the account there)")
        assert a.revoked == ["auth.device_revoked"]
        assert [kw["event"]["payload"]["device_id"] for kw in a.named("feed.revocation")] == [
            a.session.device_id]
        wait_until(lambda: a.named("auth.revoked"), what="auth.revoked")
        assert a.named("auth.revoked")[0] == {"reason": "auth.device_revoked"}
        wait_until(lambda: not a.feed.running, what="the listener to stop")
        assert a.feed.stopped_reason == "auth.device_revoked"
