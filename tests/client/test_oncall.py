"""The client's on-call core (``wfh_client.oncall``) end to end: real frozen-clock server over
loopback, real keyring, encrypted caches, two officers' clients of one department (feed
listener + ``OnCallService`` each) and the head over HTTP. Check-in windows (pure and as the
server computes them), offline check-ins, missed windows, the policy change, and the schedule's
plan. Recalls are in ``test_oncall_recalls.py``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.client.oncall_helpers import oncall_client, server_down, server_up, wait_until
from tests.server import oncall_support
from tests.server.oncall_support import OncallServer, policy_body
from tests.server.util import Peek, login
from wfh_client.domain.timefmt import parse_instant
from wfh_client.events import EventBus
from wfh_client.oncall.schedule import CheckinScheduler, windows_for_day
from wfh_client.store import oncall as store

WED = date(2026, 3, 18)
SAT = date(2026, 3, 21)
TET = date(2026, 2, 17)  # Mùng 1 Tết Bính Ngọ


@pytest.fixture
def oncall(seeded_template: tuple[Path, Path], tmp_path: Path) -> Iterator[OncallServer]:
    yield from oncall_support.oncall_server(seeded_template, tmp_path)


def policy() -> dict[str, object]:
    return policy_body()


def hhmm(ws: list[object]) -> list[tuple[str, str]]:
    return [(w.start.strftime("%H:%M"), w.end.strftime("%H:%M")) for w in ws]  # type: ignore[attr-defined]


def test_windows_skip_lunch_weekend_and_tet_like_the_server(
        oncall: OncallServer, tmp_path: Path) -> None:
    p = policy()
    wed = windows_for_day(p, WED)
    assert hhmm(wed) == [("07:00", "07:10"), ("08:00", "08:10"), ("09:00", "09:10"),
                         ("10:00", "10:10"), ("11:00", "11:10"), ("13:30", "13:40"),
                         ("14:30", "14:40"), ("15:30", "15:40"), ("16:30", "16:40")]
    assert not [w for w in wed if "11:30" <= w.start.strftime("%H:%M") < "13:30"]  # lunch
    assert windows_for_day(p, SAT) == [] and windows_for_day(p, TET) == []
    assert all(w.start.utcoffset() == timedelta(hours=7) for w in wed)
    # The server's windows are the same instants.
    officer = login(oncall.srv, "cv.nn1")
    for day in (WED, SAT, TET):
        me = officer.get("/api/v1/oncall/me", params={"day": day.isoformat()}).json()
        served = [(parse_instant(w["start"]), parse_instant(w["end"])) for w in me["windows"]]
        assert served == [(w.start, w.end) for w in windows_for_day(p, day)]
    # The client's service computes today from the cached policy + /oncall/me.
    with oncall_client(oncall, "cv.nn1", tmp_path) as a:
        wait_until(lambda: a.named("oncall.today_changed"), what="the first /oncall/me")
        today = a.service.today()
        assert [(parse_instant(w["start"]), w["state"]) for w in today] == [
            (w.start, s) for w, s in zip(wed, ["missed", "missed", "open"] + ["upcoming"] * 6,
                                         strict=True)]


def test_policy_change_reaches_the_schedule(oncall: OncallServer, tmp_path: Path) -> None:
    with oncall_client(oncall, "cv.nn2", tmp_path) as a:
        wait_until(lambda: a.service.policy is not None, what="the policy")
        head = login(oncall.srv, "truongphong.nn")
        body = policy_body(checkin={"interval_minutes": 90, "grace_minutes": 15},
                           overrides=[{"day": SAT.isoformat(), "working": True, "note": "bù"}])
        assert head.http.put(head.url("/api/v1/oncall/policy"), json=body,
                             timeout=30).status_code == 200
        wait_until(lambda: (a.service.policy or {}).get("checkin", {}).get("interval_minutes")
                   == 90, what="the new policy from the feed")
        assert a.named("oncall.policy_changed")[-1]["policy"]["checkin"]["interval_minutes"] == 90
        sat = a.service.schedule.windows(SAT)
        assert hhmm(sat)[:2] == [("07:00", "07:15"), ("08:30", "08:45")]
        me = login(oncall.srv, "cv.nn2").get("/api/v1/oncall/me",
                                             params={"day": SAT.isoformat()}).json()
        assert [parse_instant(w["start"]) for w in me["windows"]] == [w.start for w in sat]
        assert a.service.schedule.windows(TET) == []


def test_offline_checkin_is_queued_and_sent_once_with_offline_flag(
        oncall: OncallServer, tmp_path: Path) -> None:
    with oncall_client(oncall, "cv.nn3", tmp_path) as a:
        wait_until(lambda: a.named("oncall.today_changed"), what="the first /oncall/me")
        server_down(oncall)
        wait_until(lambda: a.feed.connected is False, what="offline")
        oncall.advance(minutes=1)  # 09:06 local, inside the 09:00-09:10 window
        made_at = oncall.clock.now()
        cid = a.service.check_in("working")
        wait_until(lambda: (e := store.get_entry(a.cache.reader(), cid)) and e.attempts >= 1
                   and e.state == "pending", what="a failed send attempt")
        entry = store.get_entry(a.cache.reader(), cid)
        assert entry is not None and entry.payload["offline"] is True
        assert [w["state"] for w in a.service.today()][2] == "done"  # shown done while queued
        assert [w["pending"] for w in a.service.today()][2] is True
        oncall.advance(minutes=5)  # the network comes back at 09:11, after the window closed
        server_up(oncall)
        wait_until(lambda: (e := store.get_entry(a.cache.reader(), cid)) and e.state == "sent",
                   what="the queued check-in to be sent")
        rows = Peek(oncall.srv).rows(
            "SELECT client_id, offline FROM checkins WHERE user_id = :u", u=a.user_id)
        assert [(r[0], bool(r[1])) for r in rows] == [(cid, True)]
        me = login(oncall.srv, "cv.nn3").get("/api/v1/oncall/me").json()
        assert me["windows"][2]["state"] == "done" and me["last_checkin"]["offline"] is True
        last = me["last_checkin"]
        assert parse_instant(last["effective_at"]) == parse_instant(entry.payload["client_time"])
        assert abs(parse_instant(last["effective_at"]) - made_at) < timedelta(milliseconds=1)
        assert parse_instant(last["received_at"]) == oncall.clock.now()
        # A lost answer: the same entry is sent again -> still one row on the server.
        a.cache.writer.run(lambda db: store.mark(db, cid, "sending"))
        a.service.send_now()
        wait_until(lambda: (e := store.get_entry(a.cache.reader(), cid)) and e.state == "sent"
                   and e.attempts >= 3, what="the resend")
        assert Peek(oncall.srv).scalar(
            "SELECT COUNT(*) FROM checkins WHERE user_id = :u", u=a.user_id) == 1


def test_missed_window_is_announced_and_the_server_agrees(
        oncall: OncallServer, tmp_path: Path) -> None:
    with oncall_client(oncall, "cv.tnmt1", tmp_path) as a:
        wait_until(lambda: a.service.policy is not None, what="the policy")
        fired = a.service.run_due()  # 09:05: earlier windows closed, 09:00 open
        assert [j.kind for j in fired if j.window and j.window.start.hour == 9] == ["window_open"]
        assert [kw["window"].start.hour for kw in a.named("oncall.window_missed")] == [7, 8]
        oncall.advance(minutes=2)  # 09:07: 2/3 of the grace
        a.service.run_due()
        assert [kw["window"].start.hour for kw in a.named("oncall.window_reminder")] == [9]
        oncall.advance(minutes=4)  # 09:11: closed without a check-in
        a.service.run_due()
        assert [kw["window"].start.hour for kw in a.named("oncall.window_missed")] == [7, 8, 9]
        a.service.refresh_me()
        wait_until(lambda: (a.service.checkins.cached_me() or {}).get("missed") == 3,
                   what="the server's view")
        assert [w["state"] for w in a.service.checkins.cached_me()["windows"][:4]] == [  # type: ignore[index]
            "missed", "missed", "missed", "upcoming"]
        # A check-in in the 10:00 window: no missed prompt for it.
        oncall.advance(minutes=52)  # 10:03
        a.service.run_due()
        a.service.check_in("meeting")
        oncall.advance(minutes=10)  # 10:13
        wait_until(lambda: not a.service.pending(), what="the check-in sent")
        a.service.run_due()
        assert [kw["window"].start.hour for kw in a.named("oncall.window_missed")] == [7, 8, 9]
        a.service.refresh_me()
        wait_until(lambda: (a.service.checkins.cached_me() or {}).get("windows", [{}] * 4)[3]
                   .get("state") == "done", what="the 10:00 window done on the server")


def test_plan_is_pure_and_follows_the_day() -> None:
    sched = CheckinScheduler(EventBus())
    sched.set_policy(policy())
    now = datetime(2026, 3, 18, 9, 5, tzinfo=UTC) - timedelta(hours=7)  # 09:05 local
    plan = sched.plan(now)
    kinds = [(j.kind, j.at.astimezone(sched.calendar.tz).strftime("%H:%M"))  # type: ignore[union-attr]
             for j in plan]
    assert kinds[:5] == [("window_open", "09:05"),  # open now: prompt at once
                         ("window_reminder", "09:06"), ("window_missed", "09:10"),
                         ("window_open", "10:00"), ("window_reminder", "10:06")]
    assert ("window_missed", "09:10") in kinds and ("window_reminder", "10:06") in kinds
    assert kinds[-1] == ("replan", "00:00")
    assert not [k for k in kinds if "11:30" <= k[1] < "13:30"]
    friday_night = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)  # 19:00 local
    assert [j.kind for j in sched.plan(friday_night)] == ["replan"]


class LosingTransport:
    """Injects the one fault a real server will not produce on demand: the first check-in POST
    reaches the server but its answer is lost on the way back."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.lost = 0

    def request(self, method: str, path: str, **kw: object) -> object:
        response = self.inner.request(method, path, **kw)  # type: ignore[attr-defined]
        if path.endswith("/oncall/checkins") and not self.lost:
            self.lost += 1
            raise ConnectionResetError("answer lost")
        return response


def test_lost_answer_then_offline_flag_still_one_row(oncall: OncallServer, tmp_path: Path) -> None:
    with oncall_client(oncall, "cv.tnmt3", tmp_path, start=False) as a:
        svc = a.new_service(oncall)
        svc.transport = svc.sender.transport = LosingTransport(a.session)
        cid = svc.check_in("away", "Đi họp ở xã")
        assert svc.sender.flush() is False  # the answer was lost: still queued
        entry = store.get_entry(a.cache.reader(), cid)
        assert entry is not None and entry.state == "pending" and entry.payload["offline"] is True
        assert svc.sender.flush() is True  # 422 client_id_reused -> the first flag, one row
        entry = store.get_entry(a.cache.reader(), cid)
        assert entry is not None and entry.state == "sent" and entry.payload["offline"] is False
        rows = Peek(oncall.srv).rows(
            "SELECT client_id, offline, reason FROM checkins WHERE user_id = :u", u=a.user_id)
        assert [(r[0], bool(r[1]), r[2]) for r in rows] == [(cid, False, "Đi họp ở xã")]
        with pytest.raises(ValueError):
            svc.check_in("away")  # away needs a reason
