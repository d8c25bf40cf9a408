"""Retention, run by the server's own scheduled job (the ``jobs`` lease), on a frozen clock.

After 40 days: delivered events are gone (the recipient's device polled past them) while an
undelivered one stays; stored idempotency answers and expired token families are gone; the
change log is kept. After 100 days: every event is gone (the hard limit), yet an old event
position is still valid (no ``events.reset``); the change log is compacted and a client behind
it gets ``sync.resync_required``, then syncs again from scratch.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from onestop_server.clock import FrozenClock
from onestop_server.config import Options, Retention
from onestop_server.deps import as_utc
from tests.server.oncall_support import WED_0905, events_of, z
from tests.server.test_sync import note, pull, snapshot
from tests.server.util import Peek, login
from tests.support.databases import SeedSource
from tests.support.serve import wait_until
from tests.support.server import RunningServer, start_server

LONG = timedelta(days=30)
SETTINGS = Retention(interval_minutes=0.005, events_days=30, events_max_days=90,
                     idempotency_days=30, idempotency_tombstone_days=90, tokens_days=7,
                     changes_days=60)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(WED_0905)


@pytest.fixture
def srv(seed_source: SeedSource, tmp_path: Path, clock: FrozenClock) -> Iterator[RunningServer]:
    options = Options(presence_flush_seconds=0.2, retention=SETTINGS)
    with seed_source.clone(tmp_path) as (db, blobs):
        server = start_server(db, blobs, clock=clock, access_ttl=LONG, refresh_ttl=LONG, options=options)
        try:
            yield server
        finally:
            server.stop()


def purged_at(peek: Peek, clock: FrozenClock) -> None:
    """Wait for the scheduled job to have run at the clock's current time."""
    def ran() -> bool:
        rows = peek.rows("SELECT last_run_at FROM jobs WHERE name = 'retention'")
        if not rows or rows[0][0] is None:
            return False
        value = rows[0][0]
        at = as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)
        return at == clock.now()
    wait_until(ran, 30, "the retention job")


def test_scheduled_retention_purges_what_is_done_with(srv: RunningServer, clock: FrozenClock) -> None:
    peek = Peek(srv)
    head, seen, unseen = (login(srv, u) for u in ("truongphong.nn", "cv.nn1", "cv.nn2"))
    mark = events_of(seen)["last_id"]
    recall = head.post("/api/v1/oncall/recalls", json={
        "recipients": [seen.user["id"], unseen.user["id"]], "message": "Về họp",
        "report_by": z(clock.now() + timedelta(hours=1)),
    }).json()
    assert head.post(f"/api/v1/oncall/recalls/{recall['id']}/close").status_code == 200
    got = events_of(seen, after=mark)
    assert [e["kind"] for e in got["events"]] == ["recall", "recall_closed"]
    events_of(seen, after=got["last_id"])  # the device confirms it has everything
    delivered = got["events"][0]["id"]
    undelivered = int(peek.scalar(
        "SELECT MAX(id) FROM events WHERE kind = 'recall' AND audience_user_id = :u", u=unseen.user["id"]))
    dossier = pull(seen)["upserts"][0]["id"]
    _, old_cursor, _ = snapshot(seen)
    note(seen, dossier)
    throwaway = login(srv, "cv.nn3")
    assert throwaway.post("/api/v1/auth/logout").status_code == 204
    wait_until(lambda: peek.rows(
        "SELECT 1 FROM feed_positions WHERE user_id = :u AND last_event_id >= :e",
        u=seen.user["id"], e=delivered), 10, "the feed position to be flushed")
    assert peek.scalar("SELECT COUNT(*) FROM idempotency") >= 1

    clock.advance(timedelta(days=40))
    purged_at(peek, clock)
    assert peek.rows("SELECT id FROM events WHERE id = :e", e=delivered) == []
    assert peek.rows("SELECT id FROM events WHERE id = :e", e=undelivered) != []
    # stored answers became the small 'expired' tombstone: a late replay never repeats the effect
    assert peek.scalar("SELECT COUNT(*) FROM idempotency WHERE status_code != 410") == 0
    assert peek.scalar("SELECT COUNT(*) FROM idempotency WHERE status_code = 410") >= 1
    assert peek.scalar("SELECT COUNT(*) FROM refresh_tokens") == 0  # all expired 10 days ago
    assert peek.scalar("SELECT COUNT(*) FROM access_tokens") == 0
    assert peek.scalar("SELECT COUNT(*) FROM changes") > 0
    again = login(srv, "cv.nn1")  # the old session is gone: sign in again
    r = again.get("/api/v1/events", params={"after": got["last_id"]})
    assert r.status_code == 200 and r.json()["events"] == []  # the old position is still valid
    assert again.get("/api/v1/sync/changes", params={"cursor": old_cursor}).status_code == 200

    clock.advance(timedelta(days=60))
    purged_at(peek, clock)
    assert peek.scalar("SELECT COUNT(*) FROM events WHERE id <= :e", e=undelivered) == 0
    assert peek.scalar("SELECT COUNT(*) FROM idempotency") == 0  # tombstones older than 90 days
    assert int(peek.scalar("SELECT value FROM server_meta WHERE key = 'min_seq'")) > 0
    fresh = login(srv, "cv.nn1")
    r = fresh.get("/api/v1/events", params={"after": got["last_id"]})
    assert r.status_code == 200  # not events.reset: the head survives the purge
    r = fresh.get("/api/v1/sync/changes", params={"cursor": old_cursor})
    assert r.status_code == 410 and r.json()["code"] == "sync.resync_required"
    docs, cursor, _ = snapshot(fresh)
    assert dossier in docs and pull(fresh, cursor)["upserts"] == []
