"""Reports over real HTTP on a province seeded at a fixed ``now`` with a frozen clock.

The on-time rates are checked against an independent calculation written here over the raw
``dossiers`` + ``history`` rows (end of processing = the first slip row that reaches a final
status; supplement requests and the open waiting interval read from the slip), not through
``wfh_client.domain.ontime``. Check-in compliance and the team load on a hand-made scenario.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import time_ns
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from onestop_server import db
from onestop_server.clock import FrozenClock
from onestop_server.seed import seed_database
from tests.server.util import Client, Peek, login
from tests.support.databases import SeedSource
from tests.support.server import RunningServer, start_server
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.deadlines import thresholds

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 18, 3, 0, tzinfo=UTC)  # Wednesday 10:00 in Vietnam
LONG = timedelta(days=400)
FINAL = (3, 8, 9, 10)


@dataclass
class Reporting:
    srv: RunningServer
    clock: FrozenClock
    peek: Peek

    def head(self, dept: str = "stnmt") -> Client:
        return login(self.srv, self.peek.head_of(dept))


@pytest.fixture(scope="module")
def fixed_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("reports-seed")
    engine = db.make_engine(db.sqlite_url(str(root / "server.db")))
    try:
        seed_database(engine, root / "blobs", dossiers=400, seed=7, now=NOW)
    finally:
        engine.dispose()
    return root / "server.db", root / "blobs"


@pytest.fixture(scope="module")
def fixed_source(fixed_template: tuple[Path, Path]) -> Iterator[SeedSource]:
    source = SeedSource(fixed_template, dossiers=400, seed=7, now=NOW)
    try:
        yield source
    finally:
        source.close()


@pytest.fixture
def rep(fixed_source: SeedSource, tmp_path: Path) -> Iterator[Reporting]:
    with fixed_source.clone(tmp_path) as (db_ref, blobs):
        clock = FrozenClock(NOW)
        srv = start_server(db_ref, blobs, clock=clock, access_ttl=LONG, refresh_ttl=LONG)
        try:
            yield Reporting(srv, clock, Peek(srv))
        finally:
            srv.stop()


# ---- the independent calculation ---------------------------------------------------------------


def _t(value: Any) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def independent(peek: Peek, dept: str, start: date, end: date) -> dict[str, dict[str, Any]]:
    """dossier id -> {officer, field, month, late} for the judged dossiers of the range."""
    dossiers = {r.id: r for r in peek.rows(
        "SELECT d.id, d.status, d.due_at, d.assignee_id, p.field_code FROM dossiers d "
        "JOIN procedures p ON p.code = d.procedure_code WHERE d.department_id = :d", d=dept)}
    slips: dict[str, list[Any]] = defaultdict(list)
    for h in peek.rows(
        "SELECT h.dossier_id, h.at, h.action, h.to_status FROM history h JOIN dossiers d "
        "ON d.id = h.dossier_id WHERE d.department_id = :d ORDER BY h.dossier_id, h.at, h.id",
        d=dept,
    ):
        slips[h.dossier_id].append(h)
    out: dict[str, dict[str, Any]] = {}
    for dossier_id, d in dossiers.items():
        if d.status not in FINAL or d.due_at is None:
            continue
        ended: datetime | None = None
        waiting_since: datetime | None = None
        requests_made = 0
        for h in slips[dossier_id]:
            at = _t(h.at)
            if h.action == "request_documents":
                requests_made += 1
                waiting_since = at
            elif h.action == "documents_received":
                waiting_since = None
            if h.to_status in FINAL:
                ended = at
                break
        assert ended is not None, dossier_id
        local_day = ended.astimezone(VN).date()
        if not start <= local_day <= end:
            continue
        judged_at = min(ended, waiting_since) if waiting_since is not None else ended
        due = _t(d.due_at)
        assert due is not None
        out[dossier_id] = {
            "officer": "none" if d.assignee_id is None else str(d.assignee_id),
            "field": d.field_code, "month": ended.astimezone(VN).strftime("%Y-%m"),
            "late": requests_made >= 2 or judged_at > due,
        }
    return out


def grouped(verdicts: dict[str, dict[str, Any]], group: str) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for v in verdicts.values():
        counts[v[group]][1 if v["late"] else 0] += 1
    return {k: (c[0], c[1]) for k, c in counts.items()}


def served(client: Client, group: str, start: date, end: date, **extra: str) -> dict[str, Any]:
    r = client.get("/api/v1/reports/ontime",
                   params={"group": group, "from": start.isoformat(), "to": end.isoformat(), **extra})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def served_counts(body: dict[str, Any]) -> dict[str, tuple[int, int]]:
    for row in body["rows"]:
        assert row["total"] == row["on_time"] + row["late"]
        assert row["rate"] == (None if row["total"] == 0 else row["on_time"] / row["total"])
    return {r["key"]: (r["on_time"], r["late"]) for r in body["rows"] if r["total"]}


# ---- on-time rate ------------------------------------------------------------------------------


def test_ontime_rate_equals_an_independent_calculation(rep: Reporting) -> None:
    start, end = date(2025, 12, 1), date(2026, 3, 18)
    late_seen, months_seen = 0, set()
    for dept in ("snn", "stnmt", "ubnd-mytho"):
        head = rep.head(dept)
        verdicts = independent(rep.peek, dept, start, end)
        assert len(verdicts) >= 10, dept
        late_seen += sum(v["late"] for v in verdicts.values())
        months_seen |= {v["month"] for v in verdicts.values()}
        for group in ("officer", "field", "month"):
            body = served(head, group, start, end)
            assert body["department_id"] == dept and body["group"] == group
            assert served_counts(body) == grouped(verdicts, group), (dept, group)
            total = body["total"]
            assert total["total"] == len(verdicts)
            assert total["late"] == sum(v["late"] for v in verdicts.values())
        months = served(head, "month", start, end)["rows"]
        assert [r["key"] for r in months] == ["2025-12", "2026-01", "2026-02", "2026-03"]
        officers = {r["key"] for r in served(head, "officer", start, end)["rows"]}
        active = {str(r.id) for r in rep.peek.rows(
            "SELECT id FROM users WHERE role = 'officer' AND department_id = :d", d=dept)}
        assert active <= officers  # every officer is listed, even with nothing judged
    assert late_seen > 0 and len(months_seen) >= 2  # the data set is not trivially on time


def _dossier(peek: Peek, dept: str, exclude: set[str]) -> Any:
    three_days = thresholds(WorkingCalendar(), NOW).three_days
    for r in peek.rows(
        "SELECT d.id, d.version, d.due_at, u.username FROM dossiers d JOIN users u "
        "ON u.id = d.assignee_id WHERE d.department_id = :d AND d.status = 4 "
        "AND d.step = 'in_review' AND d.apology_count = 0 ORDER BY d.code", d=dept,
    ):
        due = _t(r.due_at)
        if r.id not in exclude and due is not None and three_days < due < NOW + timedelta(days=35):
            return r
    raise AssertionError("the seed has no suitable in-review dossier")


def _act(c: Client, peek: Peek, dossier_id: str, type_: str, payload: dict[str, Any]) -> None:
    version = peek.dossier(dossier_id).version
    r = c.action(dossier_id, type_, version, payload)
    assert r.status_code == 200, (type_, r.text)


def test_supplements_waiting_and_apology_follow_the_rule(rep: Reporting) -> None:
    """Two supplement requests -> late; waiting for documents is excluded once (the clock
    restarts); stopped while waiting -> judged when the clock stopped; apology -> new date."""
    peek, dept = rep.peek, "stnmt"
    head = rep.head(dept)
    chosen: set[str] = set()
    picks = {}
    for name in ("twice", "waited", "stopped", "apology"):
        row = _dossier(peek, dept, chosen)
        chosen.add(row.id)
        picks[name] = row
    officer = {name: login(rep.srv, r.username) for name, r in picks.items()}
    ask = {"missing": ["Bản sao CCCD"], "reason": "Thiếu giấy tờ"}
    submit = {"proposed_result": "Dự thảo kết quả", "decision": "grant"}

    a = picks["twice"].id
    for _ in range(2):
        _act(officer["twice"], peek, a, "request_documents", ask)
        rep.clock.advance(timedelta(minutes=30))
        _act(officer["twice"], peek, a, "documents_received", {})
    _act(officer["twice"], peek, a, "submit_for_approval", submit)
    _act(head, peek, a, "approve", {})

    _act(officer["waited"], peek, picks["waited"].id, "request_documents", ask)
    _act(officer["stopped"], peek, picks["stopped"].id, "request_documents", ask)
    d_due = _t(picks["apology"].due_at)
    assert d_due is not None
    _act(officer["apology"], peek, picks["apology"].id, "apology", {
        "reason": "Cần xác minh thực địa",
        "new_due_at": (d_due + timedelta(days=60)).isoformat().replace("+00:00", "Z"),
    })

    rep.clock.advance(timedelta(days=40))  # past every original due date
    later = rep.clock.now()
    for name in ("waited", "apology"):
        d = picks[name]
        assert later > _t(d.due_at)  # type: ignore[operator]
    b = picks["waited"].id
    _act(officer["waited"], peek, b, "documents_received", {})
    _act(officer["waited"], peek, b, "submit_for_approval", submit)
    _act(head, peek, b, "approve", {})
    _act(officer["stopped"], peek, picks["stopped"].id, "stop", {"reason": "Không bổ sung"})
    _act(officer["apology"], peek, picks["apology"].id, "submit_for_approval", submit)
    _act(head, peek, picks["apology"].id, "approve", {})

    start, end = date(2026, 1, 1), date(2026, 12, 31)
    verdicts = independent(peek, dept, start, end)
    assert verdicts[a]["late"] is True
    assert verdicts[b]["late"] is False
    assert verdicts[picks["stopped"].id]["late"] is False
    assert verdicts[picks["apology"].id]["late"] is False
    assert verdicts[b]["month"] == later.astimezone(VN).strftime("%Y-%m")
    for group in ("officer", "field", "month"):
        body = served(head, group, start, end)
        assert served_counts(body) == grouped(verdicts, group), group
    assert served(head, "officer", start, end)["total"]["apologised"] >= 1


# ---- who may see, and validation -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/reports/ontime", "/api/v1/reports/checkins",
                                  "/api/v1/team/load"])
def test_reports_are_for_heads_of_their_own_department(rep: Reporting, path: str) -> None:
    officer = login(rep.srv, "cv.tnmt1")
    r = officer.get(path)
    assert r.status_code == 403 and r.json()["code"] == "auth.forbidden"
    head = rep.head("stnmt")
    assert head.get(path).status_code == 200
    r = head.get(path, params={"department_id": "snn"})
    assert r.status_code == 403 and r.json()["code"] == "auth.forbidden"
    admin = login(rep.srv, "admin")
    r = admin.get(path)
    assert r.status_code == 422 and r.json()["code"] == "request.invalid"
    r = admin.get(path, params={"department_id": "snn"})
    assert r.status_code == 200 and r.json()["department_id"] == "snn"
    assert admin.get(path, params={"department_id": "nowhere"}).status_code == 404


@pytest.mark.parametrize("params", [
    {"from": "2026-13-01"}, {"from": "yesterday!"}, {"to": "2026-02-30"},
    {"from": "2026-03-10", "to": "2026-03-01"}, {"from": "2024-01-01", "to": "2026-01-01"},
    {"group": "weekday"},
])
def test_bad_report_parameters_are_422(rep: Reporting, params: dict[str, str]) -> None:
    r = rep.head().get("/api/v1/reports/ontime", params=params)
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "request.invalid"


def test_defaults_cover_six_months_and_a_year_is_accepted(rep: Reporting) -> None:
    head = rep.head()
    body = head.get("/api/v1/reports/ontime", params={"group": "month"}).json()
    assert (body["from"], body["to"]) == ("2025-10-01", "2026-03-18")
    assert len(body["rows"]) == 6
    r = head.get("/api/v1/reports/checkins", params={"from": "2025-03-18", "to": "2026-03-18"})
    assert r.status_code == 200


# ---- check-in compliance and team load -----------------------------------------------------------


def _local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=VN).astimezone(UTC)


def _z(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _checkin(c: Client, **extra: Any) -> None:
    body = {"client_id": "ck-" + uuid.uuid4().hex, "status": "working", "offline": False, **extra}
    r = c.post("/api/v1/oncall/checkins", json=body)
    assert r.status_code == 200, r.text


def start_duty(head: Client, day: date) -> None:
    """The department's on-call duty starts on ``day`` (the seed starts it on its own day)."""
    policy = head.get("/api/v1/oncall/policy").json()
    body = {k: policy[k] for k in ("time_zone", "periods", "overrides", "checkin", "recall")}
    assert head.put("/api/v1/oncall/policy",
                    json={**body, "starts_on": day.isoformat()}).status_code == 200


def test_checkin_compliance_and_team_load(rep: Reporting) -> None:
    mon, tue, wed = date(2026, 3, 16), date(2026, 3, 17), date(2026, 3, 18)
    peek = rep.peek
    assert peek.scalar("SELECT COUNT(*) FROM checkins") == 0
    # duty started on Monday (the seed starts it on its own day): everybody signs in then
    rep.clock.set(_local(mon, 6))
    a, b, c = (login(rep.srv, f"cv.tnmt{n}") for n in (1, 2, 3))
    head = rep.head("stnmt")
    start_duty(head, mon)
    leave = c.post("/api/v1/oncall/leave", json={
        "starts_at": _z(_local(tue, 0)), "ends_at": _z(_local(date(2026, 3, 19), 0)),
        "reason": "Nghỉ phép năm"})
    assert leave.status_code == 200, leave.text
    assert head.post(f"/api/v1/oncall/leave/{leave.json()['id']}/approve").status_code == 200

    rep.clock.set(_local(tue, 7, 5))
    _checkin(a)
    rep.clock.set(_local(tue, 8, 5))
    _checkin(a)
    _checkin(b)
    rep.clock.set(_local(tue, 10, 40))  # made offline in the 10:00 window, sent late
    _checkin(b, offline=True, client_time=_z(_local(tue, 10, 3)))
    rep.clock.set(_local(wed, 7, 5))
    _checkin(a)
    rep.clock.set(_local(wed, 7, 30))

    r = head.get("/api/v1/reports/checkins", params={"from": tue.isoformat(), "to": tue.isoformat()})
    assert r.status_code == 200, r.text
    rows = {row["user_id"]: row for row in r.json()["rows"]}
    assert len(rows) == 5
    windows = 9  # 07, 08, 09, 10, 11, 13:30, 14:30, 15:30, 16:30 (hourly, 10 minutes' grace)
    ua, ub, uc = (x.user["id"] for x in (a, b, c))
    assert (rows[ua]["done"], rows[ua]["missed"], rows[ua]["outside"]) == (2, 7, 0)
    assert rows[ua]["rate"] == pytest.approx(2 / 9)
    assert (rows[ub]["done"], rows[ub]["missed"], rows[ub]["suspended"]) == (2, 7, 0)
    assert (rows[uc]["done"], rows[uc]["missed"], rows[uc]["suspended"]) == (0, 0, windows)
    assert rows[uc]["rate"] is None and rows[uc]["windows"] == windows
    for uid, row in rows.items():
        assert row["windows"] == windows
        if uid not in (ua, ub, uc):
            assert (row["done"], row["missed"], row["rate"]) == (0, windows, 0.0)
    # Wednesday so far: only the 07:00 window has closed
    wed_rows = head.get("/api/v1/reports/checkins",
                        params={"from": wed.isoformat(), "to": wed.isoformat()}).json()["rows"]
    assert {row["user_id"]: row["done"] for row in wed_rows}[ua] == 1
    assert all(row["windows"] == 1 for row in wed_rows)

    load = head.get("/api/v1/team/load")
    assert load.status_code == 200, load.text
    body = load.json()
    people = {o["user_id"]: o for o in body["officers"]}
    assert people[ua]["checked_in_recently"] is True
    assert people[ua]["last_checkin_at"] == _z(_local(wed, 7, 5))
    assert people[ub]["checked_in_recently"] is False
    assert people[uc]["on_leave_now"] is True and people[ua]["on_leave_now"] is False
    _assert_load_counts(peek, body, "stnmt", rep.clock.now())


def test_checkin_report_counts_from_each_persons_duty_start(rep: Reporting) -> None:
    """Six months of report on a department whose duty started on the seed's day (Wednesday
    18/03, 10:00 now): nobody is charged with the months before; a person who starts working
    from home on Thursday counts from Thursday; a check-in between windows is listed apart."""
    wed, thu = date(2026, 3, 18), date(2026, 3, 19)
    head = rep.head("stnmt")
    late = "cv.tnmt4"
    rep.clock.set(_local(thu, 7, 2))
    newcomer = login(rep.srv, late)  # first sign-in to the app: Thursday 07:02
    _checkin(newcomer)  # inside the 07:00-07:10 window
    rep.clock.set(_local(thu, 7, 40))
    _checkin(newcomer)  # between windows
    rep.clock.set(_local(thu, 9, 30))
    body = head.get("/api/v1/reports/checkins").json()  # default range: six months
    assert body["from"] == "2025-10-01"
    rows = {row["full_name"]: row for row in body["rows"]}
    closed_wed = 9  # every window of Wednesday, the seed's day (duty starts at its midnight)
    closed_thu = 3  # 07:00, 08:00 and 09:00 of Thursday have closed by 09:30
    me = next(r for r in body["rows"] if r["user_id"] == newcomer.user["id"])
    assert me["counted_from"] == thu.isoformat()
    assert (me["done"], me["missed"], me["outside"]) == (1, closed_thu - 1, 1)
    assert me["windows"] == closed_thu
    for name, row in rows.items():
        if row["user_id"] == newcomer.user["id"]:
            continue
        # never signed in: counted from the policy's start, the seed's day, not from October
        assert row["counted_from"] == wed.isoformat(), name
        assert row["windows"] == closed_wed + closed_thu, name
        assert row["outside"] == 0


def _assert_load_counts(peek: Peek, body: dict[str, Any], dept: str, now: datetime) -> None:
    t = thresholds(WorkingCalendar(), now)
    midnight = datetime.combine(now.astimezone(VN).date() + timedelta(days=1), time(0), tzinfo=VN)
    expected: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    unassigned = 0
    for r in peek.rows("SELECT assignee_id, status, step, due_at FROM dossiers "
                       "WHERE department_id = :d AND status IN (2, 4, 5, 6)", d=dept):
        if r.assignee_id is None or r.status == 2 or r.step == "unassigned":
            unassigned += 1
        if r.assignee_id is None:
            continue
        e = expected[int(r.assignee_id)]
        e[0] += 1
        due = _t(r.due_at)
        if r.status == 5 or due is None:
            continue
        e[1] += due < now
        e[2] += now <= due < midnight
        e[3] += now <= due <= t.three_days
    assert body["unassigned"] == unassigned
    for o in body["officers"]:
        got = [o["open"], o["overdue"], o["due_today"], o["due_3_days"]]
        assert got == expected.get(o["user_id"], [0, 0, 0, 0]), o["full_name"]
    assert sum(o["open"] for o in body["officers"]) > 0


def test_team_load_counts_on_the_seed(rep: Reporting) -> None:
    for dept in ("snn", "stnmt", "ubnd-mytho"):
        body = rep.head(dept).get("/api/v1/team/load").json()
        assert body["thresholds"]["now"] == "2026-03-18T03:00:00Z"
        assert len(body["officers"]) == 5
        _assert_load_counts(rep.peek, body, dept, NOW)
    assert any(o["overdue"] for o in rep.head("stnmt").get("/api/v1/team/load").json()["officers"])


@pytest.mark.slow
def test_reports_are_fast_on_ten_thousand_dossiers(tmp_path: Path) -> None:
    engine = db.make_engine(db.sqlite_url(str(tmp_path / "big.db")))
    try:
        seed_database(engine, tmp_path / "blobs", dossiers=10_000, seed=5, now=NOW,
                      only_department="stnmt")
    finally:
        engine.dispose()
    srv = start_server(tmp_path / "big.db", tmp_path / "blobs", clock=FrozenClock(NOW))
    try:
        head = login(srv, "truongphong.tnmt")
        calls = [("/api/v1/reports/ontime", {"group": g, "from": "2025-06-01"})
                 for g in ("officer", "field", "month")]
        calls += [("/api/v1/reports/checkins", {"from": "2025-03-19"}), ("/api/v1/team/load", {})]
        head.get(calls[0][0], params=calls[0][1])  # warm-up (imports, caches)
        for path, params in calls:
            started = time_ns()
            r = head.get(path, params=params)
            elapsed = (time_ns() - started) / 1e9
            assert r.status_code == 200, r.text
            assert elapsed < 1.0, (path, params, elapsed)
        total = head.get(calls[0][0], params=calls[0][1]).json()["total"]
        assert total["total"] > 2000
    finally:
        srv.stop()


def test_offline_checkins_and_their_delay_are_visible_in_the_report(rep: Reporting) -> None:
    """Issue 10.10: the client declares ``offline`` and its own time; the head sees which
    windows were done offline and how late they reached the server (backdating shows)."""
    mon, tue = date(2026, 3, 16), date(2026, 3, 17)
    rep.clock.set(_local(mon, 6))  # duty (and the app) started on Monday
    a, b = (login(rep.srv, f"cv.tnmt{n}") for n in (1, 2))
    head = rep.head("stnmt")
    start_duty(head, mon)
    rep.clock.set(_local(tue, 7, 5))
    _checkin(a)  # online, on time
    rep.clock.set(_local(tue, 10, 40))  # "made" at 08:03 and 09:02, sent hours later
    _checkin(b, offline=True, client_time=_z(_local(tue, 8, 3)))
    _checkin(b, offline=True, client_time=_z(_local(tue, 9, 2)))
    rep.clock.set(_local(tue, 11, 8))  # made offline a minute before it was sent
    _checkin(b, offline=True, client_time=_z(_local(tue, 11, 7)))
    rep.clock.set(_local(tue, 18, 0))
    rows = {row["user_id"]: row for row in head.get(
        "/api/v1/reports/checkins", params={"from": tue.isoformat(), "to": tue.isoformat()}
    ).json()["rows"]}
    ra, rb = rows[a.user["id"]], rows[b.user["id"]]
    assert (ra["done"], ra["offline"]) == (1, 0)
    assert ra["offline_max_delay_seconds"] is None and ra["offline_median_delay_seconds"] is None
    assert (rb["done"], rb["offline"]) == (3, 3)
    delays = sorted([(10 * 60 + 40) - (8 * 60 + 3), (10 * 60 + 40) - (9 * 60 + 2), 1])
    assert rb["offline_max_delay_seconds"] == delays[-1] * 60  # 2 h 37 min: visible
    assert rb["offline_median_delay_seconds"] == delays[1] * 60
