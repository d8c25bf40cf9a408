"""The change log with concurrent writers on PostgreSQL: a pull never skips a change.

A writer here is the server's own action path (``actions.decide``: a note, with its change-log
row and rebuilt payload) in a transaction on the server's database; pulls go over HTTP.

- Deterministic: writer 1 appends and holds its transaction open; writer 2 appends and commits.
  With the log lock (``db.lock_logs``) writer 2 waits for writer 1, so a pull in between sees
  neither; without it (the lock patched away) the pull moves its cursor past writer 1's
  uncommitted seq and never delivers that change: the test catches the bug it guards against.
- Stress: four writers, each holding every transaction open a random few milliseconds after
  its append, race a head pulling in a loop; at the end the head has every dossier at its final
  version.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from onestop_server import actions, db
from onestop_server.actions import ActionIn
from onestop_server.auth import CurrentUser
from onestop_server.clock import FrozenClock
from tests.server.test_sync import pull, snapshot
from tests.server.util import Client, Peek, login
from tests.support.server import RunningServer

pytestmark = pytest.mark.postgres
NOW = FrozenClock(datetime(2026, 3, 18, 2, 30, tzinfo=UTC))


@pytest.fixture
def engine(server: RunningServer) -> Iterator[Any]:
    eng = db.make_engine(server.database_url)
    try:
        yield eng
    finally:
        eng.dispose()


def officers_dossiers(peek: Peek, department: str) -> list[tuple[CurrentUser, str]]:
    rows = peek.rows(
        "SELECT u.id, u.username, u.full_name, d.id AS dossier FROM dossiers d "
        "JOIN users u ON u.id = d.assignee_id WHERE d.department_id = :dep AND d.status != 7 "
        "AND u.role = 'officer' ORDER BY d.code", dep=department,
    )
    return [
        (CurrentUser(r.id, r.username, r.full_name, "officer", department, 0, "test"), r.dossier)
        for r in rows
    ]


def write_note(conn: Any, user: CurrentUser, dossier_id: str) -> None:
    body = ActionIn(type="note", base_version=0, payload={"text": "song song"})
    status, content = actions.decide(conn, user, dossier_id, body, "k-" + uuid.uuid4().hex, NOW.now())
    assert status == 200, content


def versions(docs: dict[str, dict[str, Any]]) -> dict[str, int]:
    return {k: int(v["version"]) for k, v in docs.items()}


def interleave(
    engine: Any, head: Client, one: tuple[CurrentUser, str], two: tuple[CurrentUser, str],
    locked: bool,
) -> tuple[list[str], list[str]]:
    """Writer one appends and waits; writer two appends and commits; pull; one commits; pull.
    Returns the dossier ids of both pulls."""
    _, cursor, _ = snapshot(head)
    appended, release, two_done = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with db.write_transaction(engine) as conn:
            write_note(conn, *one)
            appended.set()
            release.wait(30)

    def second() -> None:
        appended.wait(30)
        with db.write_transaction(engine) as conn:
            write_note(conn, *two)
        two_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    assert appended.wait(30)
    if locked:
        assert not two_done.wait(1)  # writer two is queued behind writer one's open transaction
    else:
        assert two_done.wait(30)
    between = pull(head, cursor)
    release.set()
    for t in threads:
        t.join(30)
    after = pull(head, between["cursor"])
    return [d["id"] for d in between["upserts"]], [d["id"] for d in after["upserts"]]


def test_a_pull_between_two_writers_skips_nothing(server: RunningServer, engine: Any) -> None:
    head = login(server, "truongphong.tnmt")
    pairs = officers_dossiers(Peek(server), "stnmt")
    one, two = pairs[0], next(p for p in pairs if p[1] != pairs[0][1])
    between, after = interleave(engine, head, one, two, locked=True)
    assert between == []  # writer two queued behind writer one's open transaction
    assert sorted(after) == sorted([one[1], two[1]])


def test_without_the_log_lock_the_same_interleaving_loses_a_change(
    server: RunningServer, engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "lock_logs", lambda conn: None)
    head = login(server, "truongphong.tnmt")
    pairs = officers_dossiers(Peek(server), "stnmt")
    one, two = pairs[0], next(p for p in pairs if p[1] != pairs[0][1])
    between, after = interleave(engine, head, one, two, locked=False)
    assert between == [two[1]]  # the cursor moved past writer one's seq...
    assert after == []  # ...and its committed change is never pulled: the bug the lock prevents


def test_concurrent_writers_racing_a_pull_loop_nothing_missed(server: RunningServer, engine: Any) -> None:
    head = login(server, "truongphong.tnmt")
    pairs = officers_dossiers(Peek(server), "stnmt")
    docs, cursor, _ = snapshot(head)
    seen = versions(docs)
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(30):
                user, dossier = rng.choice(pairs)
                with db.write_transaction(engine) as conn:
                    write_note(conn, user, dossier)
                    stop.wait(rng.uniform(0, 0.02))  # commit a little later than the append
        except BaseException as e:  # noqa: BLE001 - reported by the test below
            errors.append(e)

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in writers:
        t.start()
    pulls = 0
    while any(t.is_alive() for t in writers) or pulls == 0:
        page = pull(head, cursor)
        for d in page["upserts"]:
            seen[d["id"]] = max(seen.get(d["id"], 0), int(d["version"]))
        cursor = page["cursor"]
        pulls += 1
    for t in writers:
        t.join()
    assert errors == []
    while True:  # drain what the last writers committed
        page = pull(head, cursor)
        for d in page["upserts"]:
            seen[d["id"]] = max(seen.get(d["id"], 0), int(d["version"]))
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    final = {r.id: int(r.version) for r in Peek(server).rows(
        "SELECT id, version FROM dossiers WHERE department_id = 'stnmt' AND status != 7")}
    assert pulls > 10
    assert seen == final  # every dossier at its final version: no change was skipped
