"""Several workers on one PostgreSQL database, as real ``onestop-server serve`` processes.

- A recall created through one worker reaches a long-poll held by another (LISTEN/NOTIFY: the
  fallback read is set to 300 s, so nothing else could deliver it within the poll), and the
  head sees the officer connected through the shared presence.
- ``--workers 2``: the worker that claimed a recall's escalation lease is SIGKILLed on the spot
  (a crash point); once the lease runs out another worker escalates, exactly once.
- SIGTERM ends a waiting long-poll at once with an empty answer (graceful shutdown); this one
  runs on SQLite too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.server.oncall_support import events_of, policy_body, z
from tests.server.util import Client, Peek, login
from tests.support.databases import SeedSource
from tests.support.serve import ServeProcess, WebhookReceiver, wait_until
from tests.support.server import database_url


def _now(client: Client) -> datetime:
    """The server's clock (the heartbeat of an events answer), never this machine's."""
    return datetime.fromisoformat(events_of(client)["heartbeat_at"].replace("Z", "+00:00"))


def _recall(head: Client, recipients: list[int], report_by: str) -> dict[str, Any]:
    r = head.post("/api/v1/oncall/recalls", json={
        "recipients": recipients, "message": "Về cơ quan ngay", "report_by": report_by,
        "urgency": "urgent",
    })
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def _dead(pid: int) -> bool:
    """Gone, or a zombie its supervisor has not reaped yet (uvicorn notices a dead worker only
    when its health-check ping times out, seconds later)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def _connection(head: Client, user_id: int) -> dict[str, Any]:
    members = head.get("/api/v1/oncall/team").json()["members"]
    found: dict[str, Any] = next(m for m in members if m["user_id"] == user_id)["connection"]
    return found


@contextlib.contextmanager
def _two_servers(seed_source: SeedSource, tmp_path: Path) -> Iterator[tuple[ServeProcess, ServeProcess]]:
    """Two ``serve`` processes (one worker each) on one cloned database, ready."""
    with seed_source.clone(tmp_path) as (db, blobs):
        env = {"ONESTOP_EVENTS_FALLBACK_SECONDS": "300"}
        one = ServeProcess(database_url(db), blobs, env=env, log_file=tmp_path / "one.log")
        two = ServeProcess(database_url(db), blobs, env=env, log_file=tmp_path / "two.log")
        try:
            one.wait_ready()
            two.wait_ready()
            yield one, two
        finally:
            one.stop()
            two.stop()


@pytest.mark.postgres
def test_recall_created_on_one_worker_reaches_a_long_poll_on_another(
    seed_source: SeedSource, tmp_path: Path
) -> None:
    with _two_servers(seed_source, tmp_path) as (one, two):
        ids = {requests.get(s.url + "/healthz", timeout=10).json()["worker"] for s in (one, two)}
        assert len(ids) == 2  # two workers, one database
        head = login(one, "truongphong.nn")  # type: ignore[arg-type]
        officer = login(two, "cv.nn1")  # type: ignore[arg-type]
        start = events_of(officer)["last_id"]
        got: dict[str, Any] = {}
        poll = threading.Thread(
            target=lambda: got.update(events_of(officer, after=start, wait=25))
        )
        poll.start()
        # The poll is held by worker two; worker one sees it through the shared presence.
        seen = wait_until(lambda: _connection(head, officer.user["id"])["connected"] and
                          _connection(head, officer.user["id"]), 20, "the shared presence")
        assert seen["open_polls"] == 1
        report_by = z(_now(head) + timedelta(hours=1))
        recall = _recall(head, [officer.user["id"]], report_by)
        poll.join(timeout=40)
        assert not poll.is_alive()
        assert [e["kind"] for e in got["events"]] == ["recall"]
        assert got["events"][0]["payload"]["recall_id"] == recall["id"]
        wait_until(lambda: not _connection(head, officer.user["id"])["connected"], 20,
                   "the poll to end in the shared presence")


@pytest.mark.postgres
def test_a_revocation_on_one_worker_clears_the_feed_cache_of_another(
    seed_source: SeedSource, tmp_path: Path
) -> None:
    """The events feed authenticates from each worker's cache; a device revoked through one
    worker is refused on the other too (``NOTIFY onestop_auth``), at once on the first."""
    with _two_servers(seed_source, tmp_path) as (one, two):
        admin = login(one, "admin")  # type: ignore[arg-type]
        officer = login(one, "cv.nn1")  # type: ignore[arg-type]

        def feed(server: ServeProcess) -> requests.Response:
            return requests.get(server.url + "/api/v1/events", params={"wait": 0}, timeout=10,
                                headers={"Authorization": f"Bearer {officer.access}"})

        for server in (one, two, one, two):  # both caches hold the token
            assert feed(server).status_code == 200
        device = next(
            d for d in admin.get("/api/v1/admin/devices", params={"user_id": officer.user["id"]})
            .json()["devices"] if d["device_id"] == officer.device_id
        )
        assert admin.post(f"/api/v1/admin/devices/{device['id']}/revoke").status_code == 200
        assert feed(one).json()["code"] == "auth.device_revoked"
        wait_until(lambda: feed(two).status_code == 403, 20,
                   "the other worker to forget the token")
        assert feed(two).json()["code"] == "auth.device_revoked"


@pytest.mark.postgres
def test_killed_worker_holding_the_escalation_lease_escalation_happens_once(
    seed_source: SeedSource, tmp_path: Path
) -> None:
    receiver = WebhookReceiver()
    offset, marker = tmp_path / "clock-offset", tmp_path / "crashed-worker"
    offset.write_text("0")
    env = {
        "ONESTOP_CLOCK_OFFSET_FILE": str(offset), "ONESTOP_OUTSIDE_CHANNEL": "webhook:" + receiver.url,
        "ONESTOP_CRASHPOINT": "escalation_after_claim", "ONESTOP_CRASHPOINT_MARKER": str(marker),
        "ONESTOP_ESCALATION_LEASE_SECONDS": "30",
    }
    with seed_source.clone(tmp_path) as (db, blobs):
        srv = ServeProcess(database_url(db), blobs, workers=2, env=env, log_file=tmp_path / "serve.log")
        try:
            srv.wait_ready()
            head = login(srv, "truongphong.nn")  # type: ignore[arg-type]
            a, b = login(srv, "cv.nn1"), login(srv, "cv.nn2")  # type: ignore[arg-type]
            policy = policy_body(recall={"ack_timeout_minutes": 1, "renotify_max": 0,
                                         "escalate_to_head": True, "outside_channel": True})
            assert head.http.put(head.url("/api/v1/oncall/policy"), json=policy, timeout=30).ok
            now = _now(head)
            recall = _recall(head, [a.user["id"], b.user["id"]], z(now + timedelta(hours=1)))
            rid = recall["id"]
            ack = a.post(f"/api/v1/oncall/recalls/{rid}/acknowledge",
                         json={"arrival_at": z(now + timedelta(minutes=30))})
            assert ack.status_code == 200, ack.text

            peek = Peek(srv)  # type: ignore[arg-type]
            escalations = ("SELECT COUNT(*) FROM events WHERE kind = 'recall_escalated' "
                           "AND CAST(payload AS TEXT) LIKE :rid")
            like = f'%"recall_id": {rid},%'
            offset.write_text("61")  # past the 1-minute timeout: some worker claims the timer...
            wait_until(marker.exists, 60, "a worker to claim the lease and die")
            killed = int(marker.read_text())
            held = peek.one("SELECT lease_owner, lease_until, next_due_at FROM recalls WHERE id = :i", i=rid)
            assert held.lease_owner is not None and f":{killed}:" in held.lease_owner
            assert peek.scalar(escalations, rid=like) == 0  # ...and died holding it
            assert receiver.received() == []

            offset.write_text(str(61 + 31))  # the lease runs out: another worker takes over
            wait_until(lambda: peek.scalar(escalations, rid=like) == 1, 60, "the escalation")
            wait_until(receiver.received, 30, "the gateway notice")
            done = peek.one("SELECT lease_owner, next_due_at FROM recalls WHERE id = :i", i=rid)
            assert done.lease_owner is None and done.next_due_at is None  # nothing left to fire
            people = peek.rows("SELECT user_id, escalated_at FROM recall_recipients "
                               "WHERE recall_id = :i ORDER BY user_id", i=rid)
            assert [(p.user_id, p.escalated_at is not None) for p in people] == [
                (a.user["id"], False), (b.user["id"], True)]
            assert [(n["recall_id"], n["recipient_id"]) for n in receiver.received()] == [(rid, b.user["id"])]
            assert _dead(killed)
            head_feed = events_of(head)["events"]
            assert [e["payload"]["recall_id"] for e in head_feed if e["kind"] == "recall_escalated"] == [rid]
        finally:
            srv.stop()
            receiver.close()


def test_sigterm_ends_a_waiting_long_poll_at_once(seed_source: SeedSource, tmp_path: Path) -> None:
    with seed_source.clone(tmp_path) as (db, blobs):
        srv = ServeProcess(database_url(db), blobs, log_file=tmp_path / "serve.log")
        try:
            srv.wait_ready()
            officer = login(srv, "cv.nn1")  # type: ignore[arg-type]
            start = events_of(officer)["last_id"]
            got: dict[str, Any] = {}

            def poll() -> None:
                got["answer"] = officer.get("/api/v1/events", params={"after": start, "wait": 30})
                got["at"] = time.monotonic()

            t = threading.Thread(target=poll)
            t.start()
            wait_until(lambda: "onestop_events_open_polls 1.0" in requests.get(
                srv.url + "/metrics", timeout=10).text, 20, "the long-poll to wait")
            stopped_at = time.monotonic()
            code = srv.stop()
            t.join(timeout=40)
            answer = got["answer"]
            assert answer.status_code == 200 and answer.json()["events"] == []
            assert got["at"] - stopped_at < 15  # ended by the shutdown, not by its 30 s wait
            # uvicorn re-raises the signal it handled once it has shut down cleanly
            assert code in (0, -signal.SIGTERM)
            log = (tmp_path / "serve.log").read_text()
            assert "Application shutdown complete." in log and "Traceback" not in log
            assert Peek(srv).scalar("SELECT COUNT(*) FROM workers") == 0  # it said goodbye
        finally:
            srv.stop()
