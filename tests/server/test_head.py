"""The head's workspace on the server: scope, assignment (slip rows, events, pulls), approval.

A head acts on their own department only; officers may neither assign nor approve nor read the
reports; a reassignment reaches both officers (the old one's pull removes the dossier, the new
one's delivers it, each with an ``assignment`` event); every assignment is a Mẫu 05 row.
"""

from __future__ import annotations

from typing import Any

from tests.server.util import Client, Peek, login
from tests.support.server import RunningServer


def pull_all(c: Client, cursor: str | None = None) -> tuple[list[dict[str, Any]], list[str], str]:
    """Every page of the caller's pull from ``cursor``: (upserts, removal ids, new cursor)."""
    upserts: list[dict[str, Any]] = []
    removals: list[str] = []
    while True:
        params = {"limit": 500} | ({"cursor": cursor} if cursor else {})
        r = c.get("/api/v1/sync/changes", params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        upserts += body["upserts"]
        removals += [x["id"] for x in body["removals"]]
        cursor = body["cursor"]
        if not body["has_more"]:
            assert cursor is not None
            return upserts, removals, cursor


def events_after(c: Client, after: int) -> list[dict[str, Any]]:
    r = c.get("/api/v1/events", params={"after": after, "wait": 0})
    assert r.status_code == 200, r.text
    events: list[dict[str, Any]] = r.json()["events"]
    return events


def last_event_id(c: Client) -> int:
    r = c.get("/api/v1/events", params={"after": 0, "wait": 0, "limit": 500})
    body = r.json()
    while body["has_more"]:
        body = c.get("/api/v1/events", params={"after": body["last_id"], "wait": 0, "limit": 500}).json()
    return int(body["last_id"])


def test_head_cannot_assign_to_or_read_another_department(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    dept = peek.user(username).department_id
    head = login(server, peek.head_of(dept))
    outsider = peek.one(
        "SELECT id FROM users WHERE role = 'officer' AND department_id != :d ORDER BY id LIMIT 1",
        d=dept).id
    version = peek.dossier(dossier_id).version
    before = peek.fingerprint()
    r = head.action(dossier_id, "assign", version, {"assignee_id": outsider})
    assert r.status_code == 422 and r.json()["code"] == "action.invalid"
    assert r.json()["details"]["reason"] == "bad_assignee"
    assert peek.fingerprint() == before
    foreign = peek.one("SELECT id, version FROM dossiers WHERE department_id != :d "
                       "AND status != 7 ORDER BY code LIMIT 1", d=dept)
    r = head.get(f"/api/v1/dossiers/{foreign.id}")
    assert r.status_code == 404 and r.json()["code"] == "dossier.not_found"
    r = head.action(foreign.id, "assign", foreign.version, {"assignee_id": outsider})
    assert r.status_code == 403 and r.json()["code"] == "action.forbidden"
    other_dept = peek.scalar("SELECT department_id FROM users WHERE id = :u", u=outsider)
    r = head.get("/api/v1/reports/ontime", params={"department_id": other_dept})
    assert r.status_code == 403 and r.json()["code"] == "auth.forbidden"
    assert peek.fingerprint() == before


def test_officer_cannot_assign_approve_or_see_the_team(server: RunningServer) -> None:
    peek = Peek(server)
    row = peek.one("SELECT d.id, d.version, u.username, u.department_id FROM dossiers d "
                   "JOIN users u ON u.id = d.assignee_id WHERE d.status = 4 "
                   "AND d.step = 'submitted_for_approval' ORDER BY d.code LIMIT 1")
    officer = login(server, row.username)
    colleague = peek.user(peek.other_officer(row.department_id, row.username))
    before = peek.fingerprint()
    for type_, payload in (("approve", {}), ("return_for_rework", {"comment": "Sửa lại"}),
                           ("assign", {"assignee_id": colleague.id})):
        r = officer.action(row.id, type_, row.version, payload)
        assert r.status_code == 403, (type_, r.text)
        assert r.json()["code"] == "action.forbidden"
    for path in ("/api/v1/team/load", "/api/v1/reports/ontime", "/api/v1/reports/checkins"):
        r = officer.get(path)
        assert r.status_code == 403 and r.json()["code"] == "auth.forbidden"
    assert peek.fingerprint() == before


def test_reassignment_reaches_both_officers(server: RunningServer) -> None:
    peek = Peek(server)
    old_name, dossier_id = peek.officer_dossier()
    dept = peek.user(old_name).department_id
    new_name = peek.other_officer(dept, old_name)
    head = login(server, peek.head_of(dept))
    old, new = login(server, old_name), login(server, new_name)
    held, _, old_cursor = pull_all(old)
    assert dossier_id in {d["id"] for d in held}
    _, _, new_cursor = pull_all(new)
    old_last, new_last = last_event_id(old), last_event_id(new)
    slip_rows = peek.scalar("SELECT COUNT(*) FROM history WHERE dossier_id = :d", d=dossier_id)

    version = peek.dossier(dossier_id).version
    r = head.action(dossier_id, "assign", version, {"assignee_id": new.user["id"]})
    assert r.status_code == 200, r.text

    upserts, removals, _ = pull_all(old, old_cursor)
    assert dossier_id in removals and dossier_id not in {d["id"] for d in upserts}
    [gone] = [e for e in events_after(old, old_last) if e["kind"] == "assignment"]
    assert gone["payload"]["dossier_id"] == dossier_id
    assert gone["payload"]["change"] == "unassigned"
    assert gone["payload"]["assignee_id"] == new.user["id"]

    upserts, removals, _ = pull_all(new, new_cursor)
    [doc] = [d for d in upserts if d["id"] == dossier_id]
    assert doc["assignee_id"] == new.user["id"] and doc["step"] == "assigned"
    [came] = [e for e in events_after(new, new_last) if e["kind"] == "assignment"]
    assert came["payload"]["change"] == "assigned"
    assert came["payload"]["previous_assignee_id"] == old.user["id"]
    assert came["payload"]["assigned_by"] == head.user["id"]

    # the process-control slip: one row, handed to the new officer
    assert peek.scalar("SELECT COUNT(*) FROM history WHERE dossier_id = :d", d=dossier_id) == slip_rows + 1
    last = doc["history"][-1]
    assert last["action"] == "assign" and last["handed_to_id"] == new.user["id"]
    assert last["handed_to_name"] and last["actor_id"] == head.user["id"]


def test_every_assignment_is_a_slip_row(server: RunningServer) -> None:
    peek = Peek(server)
    dept = "stnmt"
    head = login(server, peek.head_of(dept))
    queue = peek.rows("SELECT id, version FROM dossiers WHERE department_id = :d "
                      "AND status = 2 ORDER BY code", d=dept)
    assert queue, "the seed has unassigned dossiers"
    officers = [r.id for r in peek.rows(
        "SELECT id FROM users WHERE role = 'officer' AND department_id = :d ORDER BY id", d=dept)]
    for n, row in enumerate(queue):
        before = peek.scalar("SELECT COUNT(*) FROM history WHERE dossier_id = :d", d=row.id)
        target = officers[n % len(officers)]
        r = head.action(row.id, "assign", row.version, {"assignee_id": target})
        assert r.status_code == 200, r.text
        rows = peek.rows("SELECT action, handed_to_id, actor_id, from_status, to_status "
                         "FROM history WHERE dossier_id = :d ORDER BY id", d=row.id)
        assert len(rows) == before + 1
        assert tuple(rows[-1]) == ("assign", target, head.user["id"], 2, 4)
    left = head.get("/api/v1/team/load").json()["unassigned"]
    assert left == peek.scalar(
        "SELECT COUNT(*) FROM dossiers WHERE department_id = :d AND status IN (2, 4, 5, 6) "
        "AND (assignee_id IS NULL OR status = 2 OR step = 'unassigned')", d=dept)


def test_approve_return_for_rework_and_refusal(server: RunningServer) -> None:
    peek = Peek(server)
    rows = peek.rows("SELECT id, version, department_id FROM dossiers WHERE status = 4 "
                     "AND step = 'submitted_for_approval' ORDER BY code")
    assert len(rows) >= 2
    first, second = rows[0], rows[1]
    head = login(server, peek.head_of(first.department_id))
    r = head.action(first.id, "return_for_rework", first.version, {})
    assert r.status_code == 422 and r.json()["code"] == "action.invalid"
    r = head.action(first.id, "return_for_rework", first.version, {"comment": "  "})
    assert r.status_code == 422
    r = head.action(first.id, "return_for_rework", first.version, {"comment": "Bổ sung căn cứ"})
    assert r.status_code == 200, r.text
    doc = r.json()["dossier"]
    assert doc["status"] == 4 and doc["step"] == "returned_for_rework"
    assert doc["history"][-1]["content"].endswith("Bổ sung căn cứ")

    head = login(server, peek.head_of(second.department_id))
    proposal = peek.json_of(peek.dossier(second.id).data).get("proposed_decision")
    assert proposal in ("grant", "refuse")
    r = head.action(second.id, "approve", second.version, {"comment": "Đồng ý"})
    assert r.status_code == 200, r.text
    doc = r.json()["dossier"]
    assert doc["status"] == (8 if proposal == "refuse" else 9) and doc["finished_at"]

    # an officer's refusal proposal ends in "stopped" (8) when approved
    username, dossier_id = peek.officer_dossier()
    officer = login(server, username)
    v = peek.dossier(dossier_id).version
    r = officer.action(dossier_id, "submit_for_approval", v,
                       {"proposed_result": "Không đủ điều kiện", "decision": "refuse"})
    assert r.status_code == 200, r.text
    head = login(server, peek.head_of(peek.user(username).department_id))
    r = head.action(dossier_id, "approve", v + 1, {})
    assert r.status_code == 200, r.text
    assert r.json()["dossier"]["status"] == 8
