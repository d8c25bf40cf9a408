"""The events feed over real HTTP: prompt long-poll delivery, heartbeat, resume across a server
restart with nothing missed or doubled, assignment and revocation events, visibility, bad input."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.server import oncall_support
from tests.server.oncall_support import OncallServer, events_of, kinds, z
from tests.server.util import Client, Peek, login
from tests.support.databases import SeedSource


@pytest.fixture
def oncall(seed_source: SeedSource, tmp_path: Path) -> Iterator[OncallServer]:
    yield from oncall_support.oncall_server(seed_source, tmp_path)


def recall(head: Client, o: OncallServer, *users: int, message: str = "Về cơ quan") -> int:
    r = head.post("/api/v1/oncall/recalls", json={
        "recipients": list(users), "message": message,
        "report_by": z(o.clock.now() + timedelta(hours=1)),
    })
    assert r.status_code == 200, r.text
    return int(r.json()["id"])


class Poller(threading.Thread):
    """One long-poll in a thread; records when the answer arrived."""

    def __init__(self, client: Client, after: int, wait: float) -> None:
        super().__init__(daemon=True)
        self.client, self.after, self.wait = client, after, wait
        self.body: dict[str, Any] = {}
        self.status = 0
        self.done_at = 0.0

    def run(self) -> None:
        r = self.client.get("/api/v1/events", params={"after": self.after, "wait": self.wait})
        self.done_at = time.perf_counter()
        self.status = r.status_code
        self.body = r.json()


def wait_for_waiters(o: OncallServer, n: int) -> None:
    deadline = time.monotonic() + 5
    while o.app.state.events.waiting() < n:
        assert time.monotonic() < deadline, "long-polls did not start waiting"
        time.sleep(0.01)


def test_long_poll_wakes_promptly_and_heartbeats(oncall: OncallServer) -> None:
    head = login(oncall.srv, "truongphong.nn")
    officer = login(oncall.srv, "cv.nn1")
    start = events_of(officer)["last_id"]
    poller = Poller(officer, start, wait=10)
    started = time.perf_counter()
    poller.start()
    wait_for_waiters(oncall, 1)
    rid = recall(head, oncall, officer.user["id"])
    posted = time.perf_counter()
    poller.join(timeout=15)
    assert poller.status == 200
    assert kinds(poller.body) == ["recall"] and poller.body["events"][0]["payload"]["recall_id"] == rid
    assert poller.done_at - posted < 1.0
    assert poller.done_at - started < 5.0
    assert poller.body["last_id"] == poller.body["events"][0]["id"]

    # Heartbeat: nothing new within `wait` -> an empty answer with the same last_id.
    t0 = time.perf_counter()
    beat = events_of(officer, after=poller.body["last_id"], wait=0.5)
    elapsed = time.perf_counter() - t0
    assert beat["events"] == [] and beat["last_id"] == poller.body["last_id"]
    assert beat["heartbeat_at"] == z(oncall.clock.now()) and beat["has_more"] is False
    assert 0.45 <= elapsed < 3.0
    # Without wait the answer is immediate.
    t0 = time.perf_counter()
    assert events_of(officer, after=beat["last_id"])["events"] == []
    assert time.perf_counter() - t0 < 1.0

    # Only the addressee wakes: a colleague's long-poll keeps waiting.
    other = login(oncall.srv, "cv.nn2")
    p_other = Poller(other, events_of(other)["last_id"], wait=1.0)
    p_me = Poller(officer, beat["last_id"], wait=10)
    p_other.start()
    p_me.start()
    wait_for_waiters(oncall, 2)
    recall(head, oncall, officer.user["id"])
    p_me.join(timeout=15)
    p_other.join(timeout=15)
    assert kinds(p_me.body) == ["recall"] and p_other.body["events"] == []


def test_paging_visibility_and_bad_input(oncall: OncallServer) -> None:
    head = login(oncall.srv, "truongphong.nn")
    officer = login(oncall.srv, "cv.nn1")
    other_head = login(oncall.srv, "truongphong.tnmt")
    start = {c.username: events_of(c)["last_id"] for c in (head, officer, other_head)}
    ids = [recall(head, oncall, officer.user["id"], message=f"Lần {i}") for i in range(5)]
    page = events_of(officer, after=start["cv.nn1"], limit=2)
    assert len(page["events"]) == 2 and page["has_more"] is True
    rest = events_of(officer, after=page["last_id"], limit=100)
    assert rest["has_more"] is False
    got = [e["payload"]["recall_id"] for e in page["events"] + rest["events"]]
    assert got == ids
    # Recall state changes go to the department's heads (and the recipient), nobody else.
    requests_ = officer.post(f"/api/v1/oncall/recalls/{ids[0]}/seen")
    assert requests_.status_code == 200
    assert kinds(events_of(head, after=start["truongphong.nn"])) == ["recall_state"]
    assert events_of(other_head, after=start["truongphong.tnmt"])["events"] == []
    colleague = login(oncall.srv, "cv.nn2")
    assert "recall_state" not in kinds(events_of(colleague))

    peek = Peek(oncall.srv)
    top = int(peek.scalar("SELECT MAX(id) FROM events"))
    r = officer.get("/api/v1/events", params={"after": top + 100})
    assert r.status_code == 410 and r.json()["code"] == "events.reset"
    assert r.json()["details"]["last_id"] == top
    for params in ({"after": -1}, {"after": "abc"}, {"wait": 31}, {"wait": -1}, {"limit": 0},
                   {"limit": 501}, {"after": 2**60}):
        r = officer.get("/api/v1/events", params=params)
        assert r.status_code == 422 and r.json()["code"] == "request.invalid", params
    r = requests.get(oncall.url + "/api/v1/events", timeout=10)
    assert r.status_code == 401 and r.json()["code"] == "auth.invalid_token"


def test_resume_across_restart_nothing_missed_or_doubled(oncall: OncallServer) -> None:
    head = login(oncall.srv, "truongphong.nn")
    officer = login(oncall.srv, "cv.nn1")
    start = events_of(officer)["last_id"]
    first = [recall(head, oncall, officer.user["id"], message=f"A{i}") for i in range(3)]
    seen: list[int] = []
    page = events_of(officer, after=start, limit=2)  # the client read part of it...
    seen += [e["id"] for e in page["events"]]
    last_id = page["last_id"]

    oncall.restart()  # ...and the server went away and came back on the same database
    second = [recall(head, oncall, officer.user["id"], message=f"B{i}") for i in range(3)]
    cursor = last_id
    received: list[dict[str, Any]] = list(page["events"])
    while True:
        body = events_of(officer, after=cursor, limit=1)
        if not body["events"]:
            break
        received += body["events"]
        seen += [e["id"] for e in body["events"]]
        cursor = body["last_id"]
    assert seen == sorted(set(seen))  # no doubles, in order
    assert [e["payload"]["recall_id"] for e in received] == first + second
    peek = Peek(oncall.srv)
    expected = [r[0] for r in peek.rows(
        "SELECT id FROM events WHERE id > :s AND audience_user_id = :u ORDER BY id",
        s=start, u=officer.user["id"])]
    assert seen == expected
    # A long-poll across the restart boundary still wakes on the new server.
    poller = Poller(officer, cursor, wait=10)
    poller.start()
    wait_for_waiters(oncall, 1)
    rid = recall(head, oncall, officer.user["id"])
    poller.join(timeout=15)
    assert [e["payload"]["recall_id"] for e in poller.body["events"]] == [rid]


def test_assignment_events_to_new_and_old_assignee(oncall: OncallServer) -> None:
    peek = Peek(oncall.srv)
    username, dossier_id = peek.officer_dossier()
    dep = peek.user(username).department_id
    old = login(oncall.srv, username)
    head = login(oncall.srv, peek.head_of(dep))
    new = login(oncall.srv, peek.other_officer(dep, username))
    marks = {c.username: events_of(c)["last_id"] for c in (old, new, head)}
    poller = Poller(new, marks[new.username], wait=10)
    poller.start()
    wait_for_waiters(oncall, 1)
    version = peek.dossier(dossier_id).version
    r = head.action(dossier_id, "assign", version, {"assignee_id": new.user["id"]})
    assert r.status_code == 200, r.text
    posted = time.perf_counter()
    poller.join(timeout=15)
    assert poller.done_at - posted < 1.0
    assert kinds(poller.body) == ["assignment"]
    p = poller.body["events"][0]["payload"]
    assert p == {"dossier_id": dossier_id, "code": peek.dossier(dossier_id).code,
                 "version": version + 1, "assignee_id": new.user["id"],
                 "previous_assignee_id": old.user["id"], "assigned_by": head.user["id"],
                 "change": "assigned"}
    gone = events_of(old, after=marks[old.username])
    assert kinds(gone) == ["assignment"] and gone["events"][0]["payload"]["change"] == "unassigned"
    assert events_of(head, after=marks[head.username])["events"] == []
    # A replayed action (same Idempotency-Key) emits nothing new; a note emits nothing.
    n = peek.scalar("SELECT COUNT(*) FROM events")
    assert new.action(dossier_id, "note", version + 1, {"text": "đã nhận"}).status_code == 200
    assert peek.scalar("SELECT COUNT(*) FROM events") == n


def test_revocation_events_reach_open_long_polls(oncall: OncallServer) -> None:
    admin = login(oncall.srv, "admin")
    peek = Peek(oncall.srv)
    laptop = login(oncall.srv, "cv.nn3", device_id="laptop-0001")
    desktop = login(oncall.srv, "cv.nn3", device_id="desktop-0001")
    mark = events_of(laptop)["last_id"]
    pollers = [Poller(laptop, mark, wait=10), Poller(desktop, mark, wait=10)]
    for p in pollers:
        p.start()
    wait_for_waiters(oncall, 2)
    device_pk = peek.scalar(
        "SELECT id FROM devices WHERE device_id = 'laptop-0001' AND user_id = :u", u=laptop.user["id"])
    assert admin.post(f"/api/v1/admin/devices/{device_pk}/revoke").status_code == 200
    for p in pollers:
        p.join(timeout=15)
        assert kinds(p.body) == ["revocation"]
        assert p.body["events"][0]["payload"] == {
            "reason": "device_revoked", "user_id": laptop.user["id"], "device_id": "laptop-0001",
            "device_pk": device_pk}
    r = laptop.get("/api/v1/events", params={"after": mark})
    assert r.status_code == 403 and r.json()["code"] == "auth.device_revoked"
    # Revoking again emits nothing new; disabling the account does, to the open long-poll.
    admin.post(f"/api/v1/admin/devices/{device_pk}/revoke")
    last = pollers[1].body["last_id"]
    assert events_of(desktop, after=last)["events"] == []
    p = Poller(desktop, last, wait=10)
    p.start()
    wait_for_waiters(oncall, 1)
    assert admin.post(f"/api/v1/admin/users/{laptop.user['id']}/disable").status_code == 200
    p.join(timeout=15)
    assert [e["payload"]["reason"] for e in p.body["events"]] == ["account_disabled"]
    r = desktop.get("/api/v1/events")
    assert r.status_code == 403 and r.json()["code"] == "auth.account_disabled"


def _feed_count(url: str) -> float:
    line = 'onestop_http_requests_total{method="GET",route="/api/v1/events",status="200"} '
    text = requests.get(url + "/metrics", timeout=10).text
    return sum(float(x[len(line):]) for x in text.splitlines() if x.startswith(line))


def test_the_feeds_fast_path_answers_like_the_route(oncall: OncallServer) -> None:
    """A renewed poll with a cached token is answered by ``events.FeedFastPath`` (no FastAPI
    routing); a repeated parameter goes through the route. Same answers, same metrics route."""
    head = login(oncall.srv, "truongphong.nn")
    officer = login(oncall.srv, "cv.nn1")
    start = events_of(officer)["last_id"]  # the first lookup fills the worker's cache
    ids = [recall(head, oncall, officer.user["id"], message=f"Lần {i}") for i in range(3)]
    cache = oncall.app.state.auth_cache
    # On PostgreSQL the logins' auth writes are announced by NOTIFY, which a busy machine may
    # deliver after the first lookup, emptying the cache once: look up again until a lookup is
    # answered from it.
    deadline = time.monotonic() + 10
    while True:
        before = cache.hits
        events_of(officer)
        if cache.hits > before or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    hits, counted = cache.hits, _feed_count(oncall.url)
    fast = officer.get("/api/v1/events", params={"after": start, "limit": 2, "wait": 0})
    assert cache.hits > hits  # answered from the cache
    assert _feed_count(oncall.url) == counted + 1  # under the route's own metrics label
    routed = officer.get(f"/api/v1/events?after={start}&limit=7&limit=2&wait=0")  # FastAPI: the last
    for r in (fast, routed):
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    a, b = fast.json(), routed.json()
    assert a.pop("heartbeat_at") and b.pop("heartbeat_at")
    assert a == b and [e["payload"]["recall_id"] for e in a["events"]] == ids[:2]
    assert a["has_more"] is True
    # a long-poll through the fast path wakes on the next event
    top = events_of(officer, after=a["last_id"])["last_id"]
    got: dict[str, Any] = {}
    poll = threading.Thread(target=lambda: got.update(events_of(officer, after=top, wait=20)))
    poll.start()
    time.sleep(0.3)
    new = recall(head, oncall, officer.user["id"])
    poll.join(timeout=30)
    assert [e["payload"]["recall_id"] for e in got["events"]] == [new]
