"""Recalls on the client end to end: two officers' real clients (feed listener + OnCallService)
and their head over HTTP against the frozen-clock server. Delivered receipts reach the head,
one officer acknowledges, the other is re-notified and escalated after the timeout (the
server's escalation ``tick``); a recall issued while a client was shut down is shown once and
acknowledged exactly once after it comes back; a decline and the close."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.client.oncall_helpers import oncall_client, server_down, server_up, wait_until
from tests.server import oncall_support
from tests.server.oncall_support import OncallServer, z
from tests.server.util import Client, Peek, login
from wfh_client.store import oncall as store


@pytest.fixture
def oncall(seeded_template: tuple[Path, Path], tmp_path: Path) -> Iterator[OncallServer]:
    yield from oncall_support.oncall_server(seeded_template, tmp_path)


def recall(head: Client, o: OncallServer, *user_ids: int) -> int:
    r = head.post("/api/v1/oncall/recalls", json={
        "recipients": list(user_ids), "message": "Về cơ quan họp khẩn",
        "report_by": z(o.clock.now() + timedelta(hours=1)), "urgency": "urgent"})
    assert r.status_code == 200, r.text
    return int(r.json()["id"])


def people(head: Client, rid: int) -> dict[int, dict[str, Any]]:
    r = head.get("/api/v1/oncall/recalls", params={"open": 1})
    assert r.status_code == 200, r.text
    found = next(x for x in r.json()["recalls"] if x["id"] == rid)
    return {p["user_id"]: p for p in found["recipients"]}


def state_events(o: OncallServer, rid: int, user_id: int, state: str) -> int:
    """How many ``recall_state`` events the server emitted for the heads with this state."""
    rows = Peek(o.srv).rows(
        "SELECT payload FROM events WHERE kind = 'recall_state' AND audience_role = 'head'")
    payloads = [json.loads(r[0]) if isinstance(r[0], str) else r[0] for r in rows]
    return sum(1 for p in payloads
               if p["recall_id"] == rid and p["user_id"] == user_id and p["state"] == state)


def test_two_clients_delivered_one_acknowledges_the_other_escalates(
        oncall: OncallServer, tmp_path: Path) -> None:
    with oncall_client(oncall, "cv.nn1", tmp_path) as a, \
            oncall_client(oncall, "cv.nn2", tmp_path) as b:
        head = login(oncall.srv, "truongphong.nn")
        rid = recall(head, oncall, a.user_id, b.user_id)
        for c in (a, b):
            alert = wait_until(lambda c=c: c.alerts(rid), what=f"{c.username}'s alert")[0]
            assert alert["message"] == "Về cơ quan họp khẩn" and alert["urgency"] == "urgent"
            assert alert["renotify"] == 0 and alert["local_state"] == "delivered"
        wait_until(lambda: {p["state"] for p in people(head, rid).values()} == {"delivered"},
                   what="both receipts at the head")

        a.service.mark_seen(rid)
        arrival = oncall.clock.now() + timedelta(minutes=30)
        a.service.acknowledge(rid, arrival)
        a.service.acknowledge(rid, arrival)  # a double click changes nothing
        wait_until(lambda: people(head, rid)[a.user_id]["state"] == "acknowledged",
                   what="the acknowledgement at the head")
        assert people(head, rid)[a.user_id]["arrival_at"] == z(arrival)
        assert people(head, rid)[b.user_id]["state"] == "delivered"

        oncall.advance(minutes=2)
        oncall.tick()  # re-notification for b only
        second = wait_until(lambda: [x for x in b.alerts(rid) if x["renotify"] == 1],
                            what="b's re-notification")
        assert second[0]["local_state"] == "delivered"
        oncall.advance(minutes=8)  # the 10-minute acknowledgement timeout
        oncall.tick()
        wait_until(lambda: people(head, rid)[b.user_id]["escalated_at"] is not None,
                   what="the escalation")
        assert people(head, rid)[a.user_id]["escalated_at"] is None
        assert [(n.recall_id, n.recipient_id) for n in oncall.channel.notices] == [
            (rid, b.user_id)]
        escalated = [e for e in head.get("/api/v1/events", params={"after": 0}).json()["events"]
                     if e["kind"] == "recall_escalated"]
        assert [p["user_id"] for p in escalated[-1]["payload"]["recipients"]] == [b.user_id]

        assert len(a.alerts(rid)) == 1  # answered: never shown again
        renotifies = [x["renotify"] for x in b.alerts(rid)]
        assert renotifies == sorted(set(renotifies)) and len(renotifies) >= 2
        assert state_events(oncall, rid, a.user_id, "acknowledged") == 1
        assert len([e for e in store.queue_entries(a.cache.reader())
                    if e.recall_id == rid]) == 3  # delivered, seen, acknowledge: once each

        # b declines after all; the head closes the recall: both clients close their alert.
        b.service.decline(rid, "Đang đi khám bệnh")
        wait_until(lambda: people(head, rid)[b.user_id]["state"] == "declined", what="decline")
        with pytest.raises(ValueError):
            a.service.decline(rid, "không")  # never go back from "coming"
        assert head.post(f"/api/v1/oncall/recalls/{rid}/close").status_code == 200
        for c in (a, b):
            wait_until(lambda c=c: [kw for kw in c.named("oncall.recall_closed")
                                    if kw["recall_id"] == rid], what="the close")
            assert c.service.open_recalls() == []


def test_recall_while_the_client_was_shut_down_is_shown_once_and_acknowledged_once(
        oncall: OncallServer, tmp_path: Path) -> None:
    with oncall_client(oncall, "cv.tnmt2", tmp_path) as a:
        wait_until(a.idle, what="the first refresh")
        a.feed.stop()
        a.service.stop()  # the app is closed
        head = login(oncall.srv, "truongphong.tnmt")
        rid = recall(head, oncall, a.user_id)
        assert people(head, rid)[a.user_id]["state"] == "sent"

        # The app starts again on the same cache: the feed resumes from its stored id and the
        # service asks /oncall/me for open recalls; the alert is shown once.
        a.new_service(oncall).start()
        a.new_feed().start()
        wait_until(lambda: a.alerts(rid), what="the alert after the restart")
        wait_until(lambda: a.feed.connected and a.idle()
                   and len(a.named("oncall.today_changed")) >= 3, what="the reconnect check")
        wait_until(lambda: people(head, rid)[a.user_id]["state"] == "delivered",
                   what="the receipt")
        assert len(a.alerts(rid)) == 1

        a.service.acknowledge(rid, oncall.clock.now() + timedelta(minutes=20))
        a.feed.stop()  # a reconnect after the answer does not resend or re-alert
        a.new_feed().start()
        wait_until(lambda: people(head, rid)[a.user_id]["state"] == "acknowledged",
                   what="the acknowledgement")
        wait_until(lambda: a.feed.connected and a.idle(), what="settled")
        assert len(a.alerts(rid)) == 1
        assert state_events(oncall, rid, a.user_id, "acknowledged") == 1
        acks = store.queue_entries(a.cache.reader(), "acknowledge")
        assert [(e.recall_id, e.state) for e in acks] == [(rid, "sent")]


def test_answer_made_offline_is_sent_on_reconnect(oncall: OncallServer, tmp_path: Path) -> None:
    with oncall_client(oncall, "cv.mytho1", tmp_path) as a:
        head = login(oncall.srv, "truongphong.mytho")
        rid = recall(head, oncall, a.user_id)
        wait_until(lambda: a.alerts(rid), what="the alert")
        a.feed.stop()
        server_down(oncall)
        a.service.decline(rid, "Con ốm")
        # The attempt counter rises when the request goes out ("sending"); a failed attempt
        # leaves the entry queued ("pending"), never dropped or "failed".
        wait_until(lambda: (e := store.get_entry(a.cache.reader(), f"r{rid}.decline"))
                   and e.attempts >= 1 and e.state == "pending", what="a failed attempt")
        server_up(oncall)
        a.new_feed().start()
        head = login(oncall.srv, "truongphong.mytho")
        wait_until(lambda: people(head, rid)[a.user_id]["state"] == "declined",
                   what="the queued decline")
        assert people(head, rid)[a.user_id]["decline_reason"] == "Con ốm"
