"""Recalls over real HTTP: lifecycle, idempotent and illegal answers, the frozen escalation plan,
re-notification, escalation to the head and the outside channel, one timer per recall, and the
timers rebuilt after a restart. Time is a FrozenClock; the scheduler's ``tick`` is called
directly (the background task would call it when real time passes)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.server import oncall_support
from tests.server.oncall_support import OncallServer, events_of, kinds, policy_body, z
from tests.server.util import Client, Peek, login
from tests.support.databases import SeedSource


@pytest.fixture
def oncall(seed_source: SeedSource, tmp_path: Path) -> Iterator[OncallServer]:
    yield from oncall_support.oncall_server(seed_source, tmp_path)


def create(head: Client, o: OncallServer, recipients: list[int], **kw: Any) -> dict[str, Any]:
    body = {
        "recipients": recipients, "message": "Về cơ quan họp khẩn",
        "report_by": z(o.clock.now() + timedelta(hours=1)), "urgency": "urgent", **kw,
    }
    r = head.post("/api/v1/oncall/recalls", json=body)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def answer(c: Client, recall_id: int, what: str, body: dict[str, Any] | None = None) -> Any:
    return c.post(f"/api/v1/oncall/recalls/{recall_id}/{what}", json=body)


def person(recall: dict[str, Any], user_id: int) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in recall["recipients"] if p["user_id"] == user_id)
    return found


def test_recall_lifecycle_idempotent_and_illegal_answers(oncall: OncallServer) -> None:
    head = login(oncall.srv, "truongphong.nn")
    a, b, c = (login(oncall.srv, f"cv.nn{i}") for i in (1, 2, 3))
    marks = {x.username: events_of(x)["last_id"] for x in (head, a, b, c)}
    recall = create(head, oncall, [a.user["id"], b.user["id"]])
    rid = recall["id"]
    assert recall["plan"] == {"ack_timeout_minutes": 10, "renotify_interval_minutes": 2,
                              "renotify_max": 5, "escalate_to_head": True, "outside_channel": True}
    assert {p["state"] for p in recall["recipients"]} == {"sent"}
    assert oncall.timers() == {rid: oncall.clock.now() + timedelta(minutes=2)}
    for who in (a, b):
        feed = events_of(who, after=marks[who.username])
        assert kinds(feed) == ["recall"]
        p = feed["events"][0]["payload"]
        assert p["recall_id"] == rid and p["renotify"] == 0 and p["urgency"] == "urgent"
        assert p["message"] == "Về cơ quan họp khẩn" and p["state"] == "sent"
        assert p["created_by"] == head.user["id"]
    assert events_of(c, after=marks[c.username])["events"] == []

    # a: delivered, seen, acknowledged; repeats change nothing.
    r = answer(a, rid, "delivered")
    assert r.status_code == 200 and person(r.json(), a.user["id"])["state"] == "delivered"
    assert [p["user_id"] for p in r.json()["recipients"]] == [a.user["id"]]  # own row only
    mark = events_of(head, after=marks[head.username])["last_id"]
    assert answer(a, rid, "delivered").json() == r.json()
    assert events_of(head, after=mark)["events"] == []
    assert person(answer(a, rid, "seen").json(), a.user["id"])["state"] == "seen"
    assert person(answer(a, rid, "delivered").json(), a.user["id"])["state"] == "seen"
    arrival = z(oncall.clock.now() + timedelta(minutes=30))
    r = answer(a, rid, "acknowledge", {"arrival_at": arrival})
    assert r.status_code == 200
    mine = person(r.json(), a.user["id"])
    assert mine["state"] == "acknowledged" and mine["arrival_at"] == arrival
    assert answer(a, rid, "acknowledge", {"arrival_at": arrival}).json() == r.json()
    later = z(oncall.clock.now() + timedelta(minutes=45))
    assert person(answer(a, rid, "acknowledge", {"arrival_at": later}).json(), a.user["id"])["arrival_at"] == later
    r = answer(a, rid, "decline", {"reason": "Bận"})
    assert r.status_code == 409 and r.json()["code"] == "recall.illegal_transition"
    assert person(answer(a, rid, "seen").json(), a.user["id"])["state"] == "acknowledged"

    # The head watched it change: delivered -> seen -> acknowledged -> (new arrival).
    feed = events_of(head, after=marks[head.username])
    states = [(e["payload"]["user_id"], e["payload"]["state"]) for e in feed["events"] if e["kind"] == "recall_state"]
    assert states == [(a.user["id"], s) for s in ("delivered", "seen", "acknowledged", "acknowledged")]
    assert feed["events"][-1]["payload"]["arrival_at"] == later
    # Recipients see their own state changes (other devices), but not each other's.
    assert {e["payload"]["user_id"] for e in events_of(a, after=marks[a.username])["events"]
            if e["kind"] == "recall_state"} == {a.user["id"]}
    assert "recall_state" not in kinds(events_of(b, after=marks[b.username]))

    # b declines straight from "sent" (receipts filled in), then changes their mind.
    r = answer(b, rid, "decline", {"reason": "Đang đi công tác"})
    mine = person(r.json(), b.user["id"])
    assert mine["state"] == "declined" and mine["decline_reason"] == "Đang đi công tác"
    assert mine["delivered_at"] and mine["seen_at"]
    assert answer(b, rid, "decline", {"reason": "khác"}).json()["recipients"][0]["decline_reason"] == "Đang đi công tác"
    assert person(answer(b, rid, "acknowledge", {"arrival_at": arrival}).json(), b.user["id"])["state"] == "acknowledged"
    assert oncall.timers() == {}  # everyone answered: nothing left to time

    # Not a recipient: 404, as for an unknown recall.
    for what, body in (("delivered", None), ("seen", None), ("acknowledge", {"arrival_at": arrival})):
        r = answer(c, rid, what, body)
        assert r.status_code == 404 and r.json()["code"] == "recall.not_found"
    assert c.get(f"/api/v1/oncall/recalls/{rid}").status_code == 404
    assert answer(a, 999_999, "seen").status_code == 404

    # The head sees everyone; closes; answers after the close.
    listed = head.get("/api/v1/oncall/recalls", params={"open": "true"}).json()["recalls"]
    assert [x["id"] for x in listed] == [rid] and len(listed[0]["recipients"]) == 2
    assert [x["id"] for x in a.get("/api/v1/oncall/recalls").json()["recalls"]] == [rid]
    assert answer(a, rid, "close").status_code == 403
    other_head = login(oncall.srv, "truongphong.tnmt")
    assert answer(other_head, rid, "close").status_code == 404
    closed = answer(head, rid, "close").json()
    assert closed["closed_at"] == z(oncall.clock.now()) and closed["closed_by"] == head.user["id"]
    assert answer(head, rid, "close").json() == closed
    assert kinds(events_of(b, after=marks[b.username]))[-1] == "recall_closed"
    r = answer(b, rid, "decline", {"reason": "x"})
    assert r.status_code == 409 and r.json()["code"] == "recall.closed"
    r = answer(a, rid, "acknowledge", {"arrival_at": arrival})
    assert r.status_code == 409 and r.json()["code"] == "recall.closed"
    assert answer(a, rid, "delivered").status_code == 200
    assert head.get("/api/v1/oncall/recalls", params={"open": "true"}).json()["recalls"] == []
    assert a.get("/api/v1/oncall/me").json()["open_recalls"] == []


def test_recall_rbac_bad_input_and_client_id(oncall: OncallServer) -> None:
    head = login(oncall.srv, "truongphong.nn")
    officer = login(oncall.srv, "cv.nn1")
    peek = Peek(oncall.srv)
    outsider = peek.user("cv.tnmt1").id
    now = oncall.clock.now()
    good = {"recipients": [officer.user["id"]], "message": "Về ngay", "report_by": z(now + timedelta(hours=1))}
    r = officer.post("/api/v1/oncall/recalls", json=good)
    assert r.status_code == 403 and r.json()["code"] == "auth.forbidden"
    assert officer.get("/api/v1/oncall/team").status_code == 403
    bad_cases: list[tuple[dict[str, Any], str]] = [
        ({**good, "recipients": [outsider]}, "recall.invalid"),
        ({**good, "recipients": [head.user["id"]]}, "recall.invalid"),
        ({**good, "recipients": [officer.user["id"], officer.user["id"]]}, "recall.invalid"),
        ({**good, "recipients": [999_999]}, "recall.invalid"),
        ({**good, "recipients": []}, "request.invalid"),
        ({**good, "recipients": [0]}, "request.invalid"),
        ({**good, "message": ""}, "request.invalid"),
        ({**good, "message": "   "}, "recall.invalid"),
        ({**good, "report_by": z(now - timedelta(hours=1))}, "recall.invalid"),
        ({**good, "report_by": z(now + timedelta(days=8))}, "recall.invalid"),
        ({**good, "report_by": "tomorrow"}, "request.invalid"),
        ({**good, "urgency": "panic"}, "request.invalid"),
        ({**good, "escalate": False}, "request.invalid"),
    ]
    for body, code in bad_cases:
        r = head.post("/api/v1/oncall/recalls", json=body)
        assert r.status_code == 422 and r.json()["code"] == code, (body, r.text)
    r = head.post("/api/v1/oncall/recalls", json={**good, "recipients": [outsider, 999_999]})
    assert r.json()["details"]["user_ids"] == sorted([outsider, 999_999])
    assert peek.scalar("SELECT COUNT(*) FROM recalls") == 0
    assert peek.scalar("SELECT COUNT(*) FROM events WHERE kind LIKE 'recall%'") == 0
    assert oncall.timers() == {}

    keyed = {**good, "client_id": "rc-0000001"}
    first = head.post("/api/v1/oncall/recalls", json=keyed).json()
    assert head.post("/api/v1/oncall/recalls", json=keyed).json() == first
    r = head.post("/api/v1/oncall/recalls", json={**keyed, "message": "Khác"})
    assert r.status_code == 422 and r.json()["code"] == "recall.client_id_reused"
    assert peek.scalar("SELECT COUNT(*) FROM recalls") == 1
    assert peek.scalar("SELECT COUNT(*) FROM events WHERE kind = 'recall'") == 1

    rid = first["id"]
    for arrival in ("later", z(now - timedelta(hours=1)), z(now + timedelta(days=30))):
        r = answer(officer, rid, "acknowledge", {"arrival_at": arrival})
        assert r.status_code == 422, arrival
    assert answer(officer, rid, "acknowledge", {}).status_code == 422
    assert answer(officer, rid, "decline", {"reason": ""}).status_code == 422
    assert answer(officer, rid, "decline", {"reason": "  "}).json()["code"] == "recall.invalid"
    assert officer.post("/api/v1/oncall/recalls/abc/seen").status_code == 422
    assert person(head.get(f"/api/v1/oncall/recalls/{rid}").json(), officer.user["id"])["state"] == "sent"


def test_plan_is_frozen_renotify_and_escalate(oncall: OncallServer) -> None:
    head = login(oncall.srv, "truongphong.nn")
    a, b = login(oncall.srv, "cv.nn1"), login(oncall.srv, "cv.nn2")
    marks = {x.username: events_of(x)["last_id"] for x in (head, a, b)}
    created = oncall.clock.now()
    recall = create(head, oncall, [a.user["id"], b.user["id"]])
    rid = recall["id"]
    # The head loosens the policy afterwards: the recall keeps its plan.
    body = policy_body(recall={"ack_timeout_minutes": 60, "renotify_interval_minutes": 15, "renotify_max": 1,
                               "outside_channel": False})
    assert head.http.put(head.url("/api/v1/oncall/policy"), json=body, timeout=30).status_code == 200
    assert head.get(f"/api/v1/oncall/recalls/{rid}").json()["plan"] == recall["plan"]

    oncall.advance(minutes=1)
    assert oncall.tick() == 0
    oncall.advance(minutes=1)  # +2: first re-notification for both
    oncall.tick()
    for who in (a, b):
        renots = [e["payload"]["renotify"] for e in events_of(who, after=marks[who.username])["events"] if e["kind"] == "recall"]
        assert renots == [0, 1]
    assert answer(a, rid, "acknowledge", {"arrival_at": z(oncall.clock.now() + timedelta(minutes=20))}).status_code == 200
    oncall.advance(minutes=2)  # +4: b only
    oncall.tick()
    assert [e["payload"]["renotify"] for e in events_of(a, after=marks[a.username])["events"] if e["kind"] == "recall"] == [0, 1]
    assert [e["payload"]["renotify"] for e in events_of(b, after=marks[b.username])["events"] if e["kind"] == "recall"] == [0, 1, 2]
    assert oncall.channel.notices == []
    assert "recall_escalated" not in kinds(events_of(head, after=marks[head.username]))

    oncall.clock.set(created + timedelta(minutes=10))  # the timeout: escalate b (not a)
    oncall.tick()
    oncall.tick()  # nothing twice
    esc = [e for e in events_of(head, after=marks[head.username])["events"] if e["kind"] == "recall_escalated"]
    assert len(esc) == 1
    assert esc[0]["payload"]["recall_id"] == rid and esc[0]["payload"]["outside_channel"] is True
    assert [p["user_id"] for p in esc[0]["payload"]["recipients"]] == [b.user["id"]]
    assert [(n.recall_id, n.recipient_id) for n in oncall.channel.notices] == [(rid, b.user["id"])]
    assert oncall.channel.notices[0].urgency == "urgent"
    assert "recall_escalated" not in kinds(events_of(a, after=marks[a.username]))
    got = head.get(f"/api/v1/oncall/recalls/{rid}").json()
    assert person(got, b.user["id"])["escalated_at"] == z(oncall.clock.now())
    assert person(got, a.user["id"])["escalated_at"] is None

    # A long sleep: one re-notification per tick, never a burst, up to renotify_max (5).
    for _ in range(6):
        oncall.advance(minutes=30)
        oncall.tick()
    renots = [e["payload"]["renotify"] for e in events_of(b, after=marks[b.username])["events"] if e["kind"] == "recall"]
    assert renots == [0, 1, 2, 3, 4, 5]
    assert person(head.get(f"/api/v1/oncall/recalls/{rid}").json(), b.user["id"])["renotify_count"] == 5
    assert oncall.timers() == {}  # nothing left to do for this recall
    assert len(oncall.channel.notices) == 1

    # A recall made now follows the new policy: no outside channel, 1 re-notification.
    second = create(head, oncall, [b.user["id"]])
    assert second["plan"]["renotify_max"] == 1 and second["plan"]["outside_channel"] is False


def test_one_timer_per_recall_and_restart_rebuilds(oncall: OncallServer) -> None:
    head = login(oncall.srv, "truongphong.nn")
    users = [login(oncall.srv, f"cv.nn{i}").user["id"] for i in (1, 2, 3)]
    ids = [create(head, oncall, [u])["id"] for u in users]
    create(head, oncall, users, client_id="rc-replay-1")
    create(head, oncall, users, client_id="rc-replay-1")  # a replay adds no timer
    timers = oncall.timers()
    assert len(timers) == 4 and set(ids) <= set(timers)
    assert answer(head, ids[0], "close").status_code == 200
    assert ids[0] not in oncall.timers() and len(oncall.timers()) == 3
    before = oncall.timers()
    peek = Peek(oncall.srv)
    db_due = {r[0] for r in peek.rows("SELECT id FROM recalls WHERE next_due_at IS NOT NULL AND closed_at IS NULL")}
    assert db_due == set(before)

    oncall.restart()
    assert oncall.timers() == before
    oncall.advance(minutes=10)
    oncall.tick()
    # Three open recalls escalate once each; the closed one does not.
    assert sorted(n.recall_id for n in oncall.channel.notices) == sorted([ids[1], ids[2]] + [max(before)] * 3)
    oncall.restart()
    oncall.tick()
    assert len(oncall.channel.notices) == 5  # nothing repeated after a restart
    assert all(due > oncall.clock.now() for due in oncall.timers().values())
