"""POST /actions: applied, conflict, invalid, forbidden; notes never conflict; RBAC on reads."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from onestop_server.clock import FrozenClock
from tests.server.util import Peek, login, new_key
from tests.support.server import RunningServer
from wfh_client.domain.calendar import WorkingCalendar


def test_note_is_applied_and_stored_verbatim(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    c = login(server, username)
    before = peek.dossier(dossier_id)
    text = "'; DROP TABLE dossiers; -- \"quoted\" ✓ Đã kiểm tra"
    r = c.action(dossier_id, "note", before.version, {"text": text})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["outcome"] == "applied" and body["version"] == before.version + 1
    assert body["dossier"]["version"] == body["version"]
    assert body["dossier"]["notes"][-1]["text"] == text
    assert body["dossier"]["notes"][-1]["author_id"] == c.user["id"]
    after = peek.dossier(dossier_id)
    assert after.version == before.version + 1 and after.seq > before.seq
    assert peek.scalar("SELECT COUNT(*) FROM dossiers") > 0
    # the read endpoint serves the same document
    got = c.get(f"/api/v1/dossiers/{dossier_id}")
    assert got.status_code == 200 and got.json() == body["dossier"]


def test_note_with_a_stale_base_is_applied(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    c = login(server, username)
    version = peek.dossier(dossier_id).version
    r = c.action(dossier_id, "note", 0, {"text": "stale but fine"})
    assert r.status_code == 200 and r.json()["version"] == version + 1


def test_status_action_applied_then_stale_conflicts(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier(steps=("assigned", "returned_for_rework"))
    c = login(server, username)
    version = peek.dossier(dossier_id).version
    history_before = peek.scalar("SELECT COUNT(*) FROM history WHERE dossier_id = :d", d=dossier_id)
    r = c.action(dossier_id, "start_review", version)
    assert r.status_code == 200, r.text
    doc = r.json()["dossier"]
    assert doc["step"] == "in_review" and doc["status"] == 4
    assert doc["history"][-1]["action"] == "start_review"
    assert peek.scalar("SELECT COUNT(*) FROM history WHERE dossier_id = :d", d=dossier_id) == history_before + 1
    # the same base again is stale now: 409 with the current dossier attached
    fp = peek.fingerprint()
    stale = c.action(dossier_id, "submit_for_approval", version,
                     {"proposed_result": "Cấp giấy", "decision": "grant"})
    assert stale.status_code == 409
    err = stale.json()
    assert err["code"] == "action.conflict"
    assert err["details"]["outcome"] == "conflict"
    assert err["details"]["dossier"]["version"] == version + 1
    assert err["details"]["dossier"]["id"] == dossier_id
    assert peek.fingerprint() == fp


def test_invalid_actions_change_nothing(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    c = login(server, username)
    version = peek.dossier(dossier_id).version
    fp = peek.fingerprint()
    cases: list[tuple[str, dict[str, Any], str | None]] = [
        ("start_review", {}, "wrong_status"),  # already in review
        ("fly_to_the_moon", {}, "unknown_action"),
        ("note", {"text": "   "}, "text_required"),
        ("note", {"text": 5}, "bad_type"),
        ("note", {"text": "x", "extra": 1}, "unknown_field"),
        ("stop", {}, "reason_required"),
        ("apology", {"reason": "r", "new_due_at": "tomorrow"}, "bad_datetime"),
        ("apology", {"reason": "r", "new_due_at": "9999-12-31T23:59:59+00:00"}, None),
    ]
    for type_, payload, reason in cases:
        r = c.action(dossier_id, type_, version, payload)
        assert r.status_code == 422, (type_, r.text)
        body = r.json()
        assert body["code"] == "action.invalid"
        assert body["details"]["outcome"] == "invalid"
        if reason is not None:
            assert body["details"]["reason"] == reason, (type_, body)
    assert peek.fingerprint() == fp


def test_officer_cannot_approve_or_assign(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    c = login(server, username)
    version = peek.dossier(dossier_id).version
    fp = peek.fingerprint()
    for type_, payload in (("approve", {}), ("assign", {"assignee_id": c.user["id"]})):
        r = c.action(dossier_id, type_, version, payload)
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "action.forbidden"
        assert r.json()["details"]["outcome"] == "forbidden"
    assert peek.fingerprint() == fp


def test_rbac_reads_and_actions_out_of_scope(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    dep = peek.user(username).department_id
    owner = login(server, username)
    other = login(server, peek.other_officer(dep, username))
    head = login(server, peek.head_of(dep))
    stranger_head = login(server, peek.other_head(dep))
    admin = login(server, peek.admin())
    path = f"/api/v1/dossiers/{dossier_id}"
    assert owner.get(path).status_code == 200
    assert head.get(path).status_code == 200
    for c in (other, stranger_head, admin):
        r = c.get(path)
        assert r.status_code == 404 and r.json()["code"] == "dossier.not_found"
    version = peek.dossier(dossier_id).version
    fp = peek.fingerprint()
    for c in (other, stranger_head, admin):
        r = c.action(dossier_id, "note", version, {"text": "not mine"})
        assert r.status_code == 403 and r.json()["details"]["outcome"] == "forbidden"
    assert peek.fingerprint() == fp


def test_head_assigns_and_the_old_assignee_loses_scope(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    dep = peek.user(username).department_id
    owner = login(server, username)
    head = login(server, peek.head_of(dep))
    target_name = peek.other_officer(dep, username)
    target = peek.user(target_name)
    version = peek.dossier(dossier_id).version
    seq = peek.max_seq()
    r = head.action(dossier_id, "assign", version, {"assignee_id": target.id})
    assert r.status_code == 200, r.text
    doc = r.json()["dossier"]
    assert doc["assignee_id"] == target.id and doc["step"] == "assigned"
    change = peek.one("SELECT * FROM changes WHERE seq > :s ORDER BY seq", s=seq)
    assert change.prev_assignee_id == peek.user(username).id and change.assignee_id == target.id
    # the old assignee's queued action now meets "forbidden" (reassigned)
    stale = owner.action(dossier_id, "note", version, {"text": "late note"})
    assert stale.status_code == 403 and stale.json()["code"] == "action.forbidden"
    assert owner.get(f"/api/v1/dossiers/{dossier_id}").status_code == 404
    assert login(server, target_name).get(f"/api/v1/dossiers/{dossier_id}").status_code == 200


def test_assign_to_a_bad_assignee_is_invalid(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    dep = peek.user(username).department_id
    head = login(server, peek.head_of(dep))
    outsider = peek.scalar(
        "SELECT id FROM users WHERE role = 'officer' AND department_id != :d LIMIT 1", d=dep
    )
    version = peek.dossier(dossier_id).version
    fp = peek.fingerprint()
    for assignee in (outsider, head.user["id"], 999_999, 2**40):
        r = head.action(dossier_id, "assign", version, {"assignee_id": assignee})
        assert r.status_code == 422, r.text
        assert r.json()["details"]["reason"] in {"bad_assignee", "bad_value"}
    assert peek.fingerprint() == fp


def test_unknown_dossier_is_404(server: RunningServer) -> None:
    username, _ = Peek(server).officer_dossier()
    c = login(server, username)
    for dossier_id in ("00000000-0000-0000-0000-000000000000", "nope", "' OR 1=1 --"):
        r = c.get(f"/api/v1/dossiers/{dossier_id}")
        assert r.status_code == 404 and r.json()["code"] == "dossier.not_found"
        r = c.action(dossier_id, "note", 1, {"text": "x"})
        assert r.status_code == 404 and r.json()["code"] == "dossier.not_found"
    r = c.get("/api/v1/dossiers/" + "a" * 37)
    assert r.status_code == 422 and r.json()["code"] == "request.invalid"


def test_calendar_and_directory(server: RunningServer) -> None:
    peek = Peek(server)
    username, _ = peek.officer_dossier()
    dep = peek.user(username).department_id
    head = login(server, peek.head_of(dep))
    cal = head.get("/api/v1/calendar")
    assert cal.status_code == 200
    assert cal.json()["time_zone"] == "Asia/Ho_Chi_Minh"
    assert cal.json()["periods"] == [["07:00", "11:30"], ["13:30", "17:00"]]
    d = head.get("/api/v1/directory")
    assert d.status_code == 200
    users = d.json()["users"]
    assert any(u["id"] == peek.user(username).id and u["role"] == "officer" for u in users)
    ids = {u["id"] for u in users}
    deps = {r[0] for r in peek.rows(f"SELECT department_id FROM users WHERE id IN ({','.join(map(str, ids))})")}
    assert deps == {dep}


def test_key_is_per_user(server: RunningServer) -> None:
    """Two users may use the same key independently."""
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    dep = peek.user(username).department_id
    owner, head = login(server, username), login(server, peek.head_of(dep))
    key = new_key()
    v = peek.dossier(dossier_id).version
    assert owner.action(dossier_id, "note", v, {"text": "a"}, key=key).status_code == 200
    assert head.action(dossier_id, "note", v, {"text": "a"}, key=key).status_code == 200
    assert peek.dossier(dossier_id).version == v + 2


def test_head_approves_and_assigns_new_dossiers(server: RunningServer) -> None:
    peek = Peek(server)
    row = peek.one(
        "SELECT id, department_id, version FROM dossiers WHERE status = 4 "
        "AND step = 'submitted_for_approval' ORDER BY code LIMIT 1"
    )
    head = login(server, peek.head_of(row.department_id))
    r = head.action(row.id, "approve", row.version, {"comment": "Đồng ý"})
    assert r.status_code == 200, r.text
    doc = r.json()["dossier"]
    assert doc["status"] in (8, 9) and doc["step"] == "approved" and doc["finished_at"]
    new = peek.rows("SELECT id, department_id, version FROM dossiers WHERE status = 2 ORDER BY code")
    if not new:
        return
    d = new[0]
    head = login(server, peek.head_of(d.department_id))
    officer = peek.scalar(
        "SELECT id FROM users WHERE role = 'officer' AND department_id = :d ORDER BY id LIMIT 1",
        d=d.department_id,
    )
    r = head.action(d.id, "assign", d.version, {"assignee_id": officer})
    assert r.status_code == 200, r.text
    assert r.json()["dossier"]["status"] == 4 and r.json()["dossier"]["assignee_id"] == officer
    change = peek.one("SELECT * FROM changes WHERE dossier_id = :d ORDER BY seq DESC LIMIT 1", d=d.id)
    assert change.assignee_id == officer and change.prev_assignee_id is None


def test_supplement_restarts_the_clock_and_stores_utc(
    clocked_server: RunningServer, frozen_clock: FrozenClock
) -> None:
    server = clocked_server
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    c = login(server, username)
    v = peek.dossier(dossier_id).version
    r = c.action(dossier_id, "request_documents", v, {"missing": ["Bản sao CCCD"], "reason": "Thiếu"})
    assert r.status_code == 200, r.text
    doc = r.json()["dossier"]
    assert doc["status"] == 5 and doc["supplement_count"] >= 1 and doc["clock_stopped_at"]
    frozen_clock.advance(timedelta(days=3))
    now = frozen_clock.now()
    c = login(server, username)  # the access token expired meanwhile
    r = c.action(dossier_id, "documents_received", v + 1)
    assert r.status_code == 200, r.text
    doc = r.json()["dossier"]
    hours = peek.scalar(
        "SELECT p.working_hours FROM procedures p JOIN dossiers d ON d.procedure_code = p.code "
        "WHERE d.id = :d", d=dossier_id,
    )
    expected = WorkingCalendar().add_working_time(now, hours=hours).astimezone(UTC)
    assert doc["status"] == 4 and doc["clock_stopped_at"] is None
    assert doc["due_at"] == expected.isoformat().replace("+00:00", "Z")
