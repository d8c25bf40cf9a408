"""On-call duty over real HTTP: policy, check-in windows, check-ins, leave, the team roster."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from onestop_server import db
from onestop_server.oncall_policy import Policy, windows_for
from onestop_server.seed import seed_database
from tests.server import oncall_support
from tests.server.oncall_support import OncallServer, events_of, kinds, policy_body, z
from tests.server.util import Peek, login
from tests.support.databases import SeedSource
from wfh_client.domain.calendar import WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def oncall(seed_source: SeedSource, tmp_path: Path) -> Iterator[OncallServer]:
    yield from oncall_support.oncall_server(seed_source, tmp_path)


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=VN)


WED = date(2026, 3, 18)


# ---- windows (pure) ---------------------------------------------------------------------------


def _policy(**checkin: int) -> Policy:
    data = policy_body(checkin=checkin) if checkin else policy_body()
    return Policy("snn", 1, None, data)


def test_windows_follow_periods_and_skip_lunch_weekends_and_tet() -> None:
    cal = WorkingCalendar()
    windows = windows_for(_policy(), cal, WED)
    starts = [w.start.astimezone(VN).strftime("%H:%M") for w in windows]
    assert starts == ["07:00", "08:00", "09:00", "10:00", "11:00", "13:30", "14:30", "15:30", "16:30"]
    assert all(w.end - w.start == timedelta(minutes=10) for w in windows)
    lunch = (local(WED, 11, 30), local(WED, 13, 30))
    assert not [w for w in windows if lunch[0] < w.end and w.start < lunch[1]]
    assert windows_for(_policy(), cal, date(2026, 3, 21)) == []  # Saturday
    assert windows_for(_policy(), cal, date(2026, 3, 22)) == []  # Sunday
    for d in range(16, 21):  # Tết 2026: Monday 16 to Friday 20 February
        assert windows_for(_policy(), cal, date(2026, 2, d)) == [], d
    assert len(windows_for(_policy(), cal, date(2026, 2, 23))) == 9
    # A grace that would run past the period end is cut at the end: 11:20 + 15 > 11:30.
    tight = windows_for(_policy(interval_minutes=20, grace_minutes=15), cal, WED)
    morning_last = [w for w in tight if w.start.astimezone(VN).time() == time(11, 20)][0]
    assert morning_last.end.astimezone(VN).time() == time(11, 30)
    # Overrides: a make-up Saturday works, a day off does not.
    cal2 = WorkingCalendar(overrides={date(2026, 3, 21): True, WED: False})
    assert len(windows_for(_policy(), cal2, date(2026, 3, 21))) == 9
    assert windows_for(_policy(), cal2, WED) == []


# ---- policy over HTTP -------------------------------------------------------------------------


def test_policy_get_put_version_and_event(oncall: OncallServer) -> None:
    officer = login(oncall.srv, "cv.nn1")
    head = login(oncall.srv, "truongphong.nn")
    other = login(oncall.srv, "cv.tnmt1")
    got = officer.get("/api/v1/oncall/policy").json()
    assert got["department_id"] == "snn" and got["version"] == 1
    assert got["checkin"] == {"interval_minutes": 60, "grace_minutes": 10}
    assert got["recall"]["ack_timeout_minutes"] == 10 and got["recall"]["renotify_max"] == 5
    before = events_of(officer)["last_id"]
    other_before = events_of(other)["last_id"]

    r = officer.http.put(officer.url("/api/v1/oncall/policy"), json=policy_body(), timeout=30)
    assert r.status_code == 403 and r.json()["code"] == "auth.forbidden"

    body = policy_body(checkin={"interval_minutes": 30}, base_version=1)
    r = head.http.put(head.url("/api/v1/oncall/policy"), json=body, timeout=30)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and r.json()["checkin"]["interval_minutes"] == 30
    feed = events_of(officer, after=before)
    assert kinds(feed) == ["policy_changed"]
    assert feed["events"][0]["payload"]["version"] == 2
    assert feed["events"][0]["payload"]["checkin"]["interval_minutes"] == 30
    assert events_of(other, after=other_before)["events"] == []  # another department

    # The same policy again: no new version, no event. A stale base_version: 409.
    r = head.http.put(head.url("/api/v1/oncall/policy"), json=policy_body(checkin={"interval_minutes": 30}), timeout=30)
    assert r.status_code == 200 and r.json()["version"] == 2
    assert len(events_of(officer, after=before)["events"]) == 1
    r = head.http.put(head.url("/api/v1/oncall/policy"), json=policy_body(base_version=1), timeout=30)
    assert r.status_code == 409 and r.json()["code"] == "policy.conflict"
    assert r.json()["details"]["policy"]["version"] == 2

    # Own department only; an admin names one.
    r = head.get("/api/v1/oncall/policy", params={"department_id": "stnmt"})
    assert r.status_code == 403
    admin = login(oncall.srv, "admin")
    assert admin.get("/api/v1/oncall/policy").status_code == 422
    assert admin.get("/api/v1/oncall/policy", params={"department_id": "nope"}).status_code == 404
    assert admin.get("/api/v1/oncall/policy", params={"department_id": "snn"}).json()["version"] == 2


BAD_POLICIES: list[tuple[dict[str, Any], int, str]] = [
    (policy_body(checkin={"interval_minutes": 10}), 422, "request.invalid"),
    (policy_body(checkin={"interval_minutes": 241}), 422, "request.invalid"),
    (policy_body(checkin={"grace_minutes": 0}), 422, "request.invalid"),
    (policy_body(checkin={"grace_minutes": 61}), 422, "request.invalid"),
    (policy_body(checkin={"interval_minutes": 30, "grace_minutes": 30}), 422, "policy.invalid"),
    (policy_body(recall={"ack_timeout_minutes": 0}), 422, "request.invalid"),
    (policy_body(recall={"renotify_max": -1}), 422, "request.invalid"),
    (policy_body(time_zone="Mars/Olympus"), 422, "policy.invalid"),
    (policy_body(periods=[["07:00", "12:00"], ["11:00", "17:00"]]), 422, "policy.invalid"),
    (policy_body(periods=[["25:00", "26:00"]]), 422, "policy.invalid"),
    (policy_body(periods=[["09:00", "08:00"]]), 422, "policy.invalid"),
    (policy_body(periods=[]), 422, "request.invalid"),
    (policy_body(periods=[["07:00"]]), 422, "request.invalid"),
    (policy_body(overrides=[{"day": "2026-02-30", "working": True}]), 422, "policy.invalid"),
    (policy_body(overrides=[{"day": "2026-03-21", "working": True}] * 2), 422, "policy.invalid"),
    (policy_body(extra=1), 422, "request.invalid"),
    ({"time_zone": "Asia/Ho_Chi_Minh"}, 422, "request.invalid"),
]


def test_policy_validation_is_4xx_and_changes_nothing(oncall: OncallServer) -> None:
    head = login(oncall.srv, "truongphong.nn")
    peek = Peek(oncall.srv)
    events_before = peek.scalar("SELECT COUNT(*) FROM events")
    for body, status, code in BAD_POLICIES:
        r = head.http.put(head.url("/api/v1/oncall/policy"), json=body, timeout=30)
        assert (r.status_code, r.json()["code"]) == (status, code), (body, r.text)
        assert set(r.json()) == {"code", "message", "details"}
    r = head.http.put(
        head.url("/api/v1/oncall/policy"), data=b"{not json", timeout=30,
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 400 and r.json()["code"] == "request.malformed"
    assert head.get("/api/v1/oncall/policy").json()["version"] == 1
    assert peek.scalar("SELECT COUNT(*) FROM events") == events_before


def test_policy_overrides_shape_windows(oncall: OncallServer) -> None:
    """A department day off (policy override) leaves the day without windows."""
    head = login(oncall.srv, "truongphong.nn")
    officer = login(oncall.srv, "cv.nn1")
    body = policy_body(overrides=[{"day": "2026-03-18", "working": False, "note": "Lễ hội"}])
    assert head.http.put(head.url("/api/v1/oncall/policy"), json=body, timeout=30).status_code == 200
    me = officer.get("/api/v1/oncall/me").json()
    assert me["windows"] == [] and me["missed"] == 0
    assert me["next_window"]["start"] == z(local(date(2026, 3, 19), 7))
    assert len(officer.get("/api/v1/oncall/me", params={"day": "2026-03-19"}).json()["windows"]) == 9


# ---- check-ins --------------------------------------------------------------------------------


def checkin(client: Any, client_id: str, **kw: Any) -> requests.Response:
    body = {"client_id": client_id, "status": "working", "offline": False, **kw}
    return client.post("/api/v1/oncall/checkins", json=body)  # type: ignore[no-any-return]


def states(me: dict[str, Any]) -> list[str]:
    return [w["state"] for w in me["windows"]]


def test_checkins_idempotent_offline_and_missed_windows(oncall: OncallServer) -> None:
    officer = login(oncall.srv, "cv.nn1")
    peek = Peek(oncall.srv)
    me = officer.get("/api/v1/oncall/me").json()
    assert me["day"] == "2026-03-18" and me["time_zone"] == "Asia/Ho_Chi_Minh"
    assert states(me) == ["missed", "missed", "open"] + ["upcoming"] * 6
    assert me["missed"] == 2 and me["last_checkin"] is None
    assert me["next_window"]["start"] == z(local(WED, 9))

    r = checkin(officer, "ck-000001")
    assert r.status_code == 200, r.text
    first = r.json()
    assert first["effective_at"] == first["received_at"] == z(oncall.clock.now())
    assert first["window"]["start"] == z(local(WED, 9))
    again = checkin(officer, "ck-000001")
    assert again.status_code == 200 and again.json() == first
    assert peek.scalar("SELECT COUNT(*) FROM checkins WHERE client_id = 'ck-000001'") == 1
    r = checkin(officer, "ck-000001", status="meeting")
    assert r.status_code == 422 and r.json()["code"] == "checkin.client_id_reused"

    # Made offline at 08:05 and sent now: it counts for the 08:00 window.
    r = checkin(officer, "ck-000002", client_time=z(local(WED, 8, 5)), offline=True)
    assert r.json()["effective_at"] == z(local(WED, 8, 5))
    assert r.json()["window"]["start"] == z(local(WED, 8))
    # Not flagged offline: the client's time is only recorded, receipt time counts.
    r = checkin(officer, "ck-000003", client_time=z(local(WED, 7, 5)))
    assert r.json()["effective_at"] == z(oncall.clock.now())
    assert r.json()["client_time"] == z(local(WED, 7, 5))
    # Implausible offline times (future, older than a day) count at receipt.
    for i, when in enumerate((local(WED, 10), local(WED, 7, 5) - timedelta(days=2))):
        r = checkin(officer, f"ck-10000{i}", client_time=z(when), offline=True)
        assert r.json()["effective_at"] == z(oncall.clock.now()), when
    me = officer.get("/api/v1/oncall/me").json()
    assert states(me)[:3] == ["missed", "done", "done"] and me["missed"] == 1
    assert me["last_checkin"]["client_id"] == "ck-100001"

    # Away needs a reason; meeting does not.
    r = checkin(officer, "ck-000004", status="away")
    assert r.status_code == 422 and r.json()["code"] == "checkin.reason_required"
    r = checkin(officer, "ck-000004", status="away", reason="  ")
    assert r.status_code == 422
    r = checkin(officer, "ck-000004", status="away", reason="Đi lấy hồ sơ ở bộ phận một cửa")
    assert r.status_code == 200 and r.json()["reason"].startswith("Đi lấy")
    assert checkin(officer, "ck-000005", status="meeting").status_code == 200

    count = peek.scalar("SELECT COUNT(*) FROM checkins")
    for bad in (
        {"client_id": "short", "status": "working"},
        {"client_id": "ck-000009", "status": "sleeping"},
        {"client_id": "ck-000009", "status": "working", "client_time": "yesterday"},
        {"client_id": "ck-000009", "status": "working", "client_time": "2026-03-18T08:00:00"},
        {"client_id": "ck-000009", "status": "working", "offline": "maybe"},
        {"client_id": "ck-000009", "status": "working", "gps": [10.3, 106.3]},
        {"status": "working"},
    ):
        r = officer.post("/api/v1/oncall/checkins", json=bad)
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["code"] == "request.invalid"
    assert peek.scalar("SELECT COUNT(*) FROM checkins") == count

    # Time passes: 09:00 stays done, 10:00 is missed at 10:15.
    oncall.clock.set(local(WED, 10, 15).astimezone(UTC))
    me = officer.get("/api/v1/oncall/me").json()
    assert states(me)[:5] == ["missed", "done", "done", "missed", "upcoming"]

    admin = login(oncall.srv, "admin")
    r = checkin(admin, "ck-admin-1")
    assert r.status_code == 403 and r.json()["code"] == "auth.forbidden"


# ---- leave ------------------------------------------------------------------------------------


def test_leave_request_approve_suspends_windows(oncall: OncallServer) -> None:
    officer = login(oncall.srv, "cv.nn2")
    head = login(oncall.srv, "truongphong.nn")
    other_head = login(oncall.srv, "truongphong.tnmt")
    head_before = events_of(head)["last_id"]
    off_before = events_of(officer)["last_id"]
    body: dict[str, Any] = {"client_id": "lv-000001", "starts_at": z(local(WED, 13)), "ends_at": z(local(WED, 17, 30)),
            "reason": "Khám bệnh"}
    r = officer.post("/api/v1/oncall/leave", json=body)
    assert r.status_code == 200, r.text
    leave = r.json()
    assert leave["state"] == "requested" and leave["user_id"] == officer.user["id"]
    assert officer.post("/api/v1/oncall/leave", json=body).json() == leave  # idempotent
    r = officer.post("/api/v1/oncall/leave", json={**body, "reason": "Khác"})
    assert r.status_code == 422 and r.json()["code"] == "leave.client_id_reused"
    feed = events_of(head, after=head_before)
    assert kinds(feed) == ["leave"] and feed["events"][0]["payload"]["state"] == "requested"
    assert states(officer.get("/api/v1/oncall/me").json())[5:] == ["upcoming"] * 4

    assert officer.post(f"/api/v1/oncall/leave/{leave['id']}/approve").status_code == 403
    assert other_head.post(f"/api/v1/oncall/leave/{leave['id']}/approve").status_code == 404
    r = head.post(f"/api/v1/oncall/leave/{leave['id']}/approve")
    assert r.status_code == 200 and r.json()["state"] == "approved"
    assert head.post(f"/api/v1/oncall/leave/{leave['id']}/approve").json()["state"] == "approved"
    r = head.post(f"/api/v1/oncall/leave/{leave['id']}/reject")
    assert r.status_code == 409 and r.json()["code"] == "leave.already_decided"
    assert head.post("/api/v1/oncall/leave/999999/approve").status_code == 404
    feed = events_of(officer, after=off_before)
    assert kinds(feed) == ["leave"] and feed["events"][0]["payload"]["state"] == "approved"

    me = officer.get("/api/v1/oncall/me").json()
    assert states(me)[5:] == ["suspended"] * 4
    assert [lv["id"] for lv in me["leaves"]] == [leave["id"]]
    oncall.clock.set(local(WED, 17, 10).astimezone(UTC))
    me = officer.get("/api/v1/oncall/me").json()
    assert states(me) == ["missed"] * 5 + ["suspended"] * 4
    team = {m["user_id"]: m for m in head.get("/api/v1/oncall/team").json()["members"]}
    assert team[officer.user["id"]]["on_leave_now"] is True
    assert team[officer.user["id"]]["missed_today"] == 5
    assert [lv["id"] for lv in team[officer.user["id"]]["leave_today"]] == [leave["id"]]
    assert head.get("/api/v1/oncall/leave", params={"state": "approved"}).json()["leaves"][0]["id"] == leave["id"]
    assert officer.get("/api/v1/oncall/leave").json()["leaves"][0]["id"] == leave["id"]
    assert login(oncall.srv, "cv.nn3").get("/api/v1/oncall/leave").json()["leaves"] == []

    for bad in (
        {**body, "client_id": None, "ends_at": body["starts_at"]},
        {**body, "client_id": None, "ends_at": z(local(WED, 13) + timedelta(days=400))},
    ):
        r = officer.post("/api/v1/oncall/leave", json=bad)
        assert r.status_code == 422 and r.json()["code"] == "leave.invalid"
    bad2: dict[str, Any]
    for bad2 in (
        {**body, "client_id": None, "starts_at": "soon"},
        {**body, "client_id": None, "reason": ""},
        {"starts_at": body["starts_at"]},
    ):
        r = officer.post("/api/v1/oncall/leave", json=bad2)
        assert r.status_code == 422 and r.json()["code"] == "request.invalid"


# ---- the team roster --------------------------------------------------------------------------


def test_team_roster_rbac_and_connection_state(oncall: OncallServer) -> None:
    head = login(oncall.srv, "truongphong.nn")
    officer = login(oncall.srv, "cv.nn1")
    for who in (officer, login(oncall.srv, "admin")):
        r = who.get("/api/v1/oncall/team")
        assert r.status_code == 403 and r.json()["code"] == "auth.forbidden"
    assert checkin(officer, "ck-team-01").status_code == 200

    holder: dict[str, Any] = {}

    def long_poll() -> None:
        holder["body"] = events_of(officer, after=events_of(officer)["last_id"], wait=3)

    t = threading.Thread(target=long_poll)
    t.start()
    try:
        for _ in range(1500):  # up to ~30 s on a busy machine
            if oncall.app.state.events.waiting():
                break
            threading.Event().wait(0.02)
        team = head.get("/api/v1/oncall/team").json()
    finally:
        t.join()
    assert team["department_id"] == "snn" and team["day"] == "2026-03-18"
    members = {m["user_id"]: m for m in team["members"]}
    peek = Peek(oncall.srv)
    snn = {r[0] for r in peek.rows("SELECT id FROM users WHERE department_id='snn' AND role='officer'")}
    assert set(members) == snn
    me = members[officer.user["id"]]
    assert me["connection"]["connected"] is True and me["connection"]["open_polls"] == 1
    assert me["last_checkin"]["client_id"] == "ck-team-01"
    assert me["windows_total"] == 9 and me["windows_done"] == 1 and me["missed_today"] == 2
    assert me["missed_windows"] == [z(local(WED, 7)), z(local(WED, 8))]
    assert me["current_window"]["state"] == "done"
    others = [m for uid, m in members.items() if uid != officer.user["id"]]
    assert all(m["connection"]["connected"] is False and m["last_checkin"] is None for m in others)
    assert all(m["missed_today"] == 2 and m["current_window"]["state"] == "open" for m in others)
    after = {m["user_id"]: m for m in head.get("/api/v1/oncall/team").json()["members"]}
    assert after[officer.user["id"]]["connection"]["connected"] is False
    assert after[officer.user["id"]]["connection"]["last_seen_at"] == z(oncall.clock.now())
    r = head.get("/api/v1/oncall/team", params={"day": "18-03-2026"})
    assert r.status_code == 422 and r.json()["code"] == "request.invalid"


# ---- seed -------------------------------------------------------------------------------------


def test_seed_adds_default_policies_and_optional_extra_officers(tmp_path: Path) -> None:
    now = datetime(2026, 3, 18, 3, 0, tzinfo=UTC)
    results = []
    for name, extra in (("a", 0), ("b", 3)):
        engine = db.make_engine(db.sqlite_url(str(tmp_path / f"{name}.db")))
        try:
            summary = seed_database(engine, tmp_path / "blobs", dossiers=20, seed=2, now=now,
                                    extra_officers=extra)
            with engine.connect() as conn:
                payloads = [tuple(r) for r in conn.exec_driver_sql(
                    "SELECT code, payload FROM dossiers ORDER BY code")]
                policies = [tuple(r) for r in conn.exec_driver_sql(
                    "SELECT department_id, version FROM oncall_policies ORDER BY department_id")]
                extras = [r[0] for r in conn.exec_driver_sql(
                    "SELECT username FROM users WHERE username LIKE 'cv.tnmt.x%' ORDER BY id")]
        finally:
            engine.dispose()
        results.append((summary.users, payloads, policies, extras))
    (users_a, payloads_a, policies_a, extras_a), (users_b, payloads_b, _, extras_b) = results
    assert users_a == 19 and users_b == 22
    assert payloads_a == payloads_b  # extra officers change nothing else
    assert policies_a == [("snn", 1), ("stnmt", 1), ("ubnd-mytho", 1)]
    assert extras_a == [] and extras_b == ["cv.tnmt.x0001", "cv.tnmt.x0002", "cv.tnmt.x0003"]
    with pytest.raises(ValueError):
        seed_database(db.make_engine("sqlite://"), tmp_path / "blobs", extra_officers=-1)
