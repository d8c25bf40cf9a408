"""One calendar everywhere: the served calendar is resolved (every day off and make-up day of
its horizon listed, with a version); an admin adds or removes days through the API or the CLI,
audited and announced; years the holiday data does not confirm are flagged."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from onestop_server.workcal import decreed_through
from tests.server.oncall_support import events_of
from tests.server.util import Peek, login
from tests.support.server import RunningServer
from wfh_client.domain.calendar import WorkingCalendar

ROOT = Path(__file__).resolve().parents[2]
DAY = "2026-03-27"  # a Friday after TEST_EPOCH


def test_the_served_calendar_is_resolved_and_versioned(server: RunningServer) -> None:
    officer = login(server, Peek(server).officer_dossier()[0])
    body = officer.get("/api/v1/calendar").json()
    assert body["resolved"] == {"from": "2025-01-01", "to": "2028-12-31"}  # around TEST_EPOCH
    assert len(body["version"]) == 16
    cal = WorkingCalendar.from_dict(body)
    server_cal = WorkingCalendar()  # the server's own rules (holiday data, no overrides)
    d = date(2025, 1, 1)
    while d <= date(2028, 12, 31):
        assert cal.is_working_day(d) == server_cal.is_working_day(d), d
        d += timedelta(days=1)
    days = {o["day"]: o for o in body["overrides"]}
    assert days["2026-02-17"]["working"] is False and "Tết" in days["2026-02-17"]["note"]
    assert days["2026-08-22"]["working"] is True  # a Saturday make-up day
    # years after the holiday data's last decree are flagged until an admin confirms them
    assert body["unconfirmed_years"] == [y for y in range(2025, 2029) if y > decreed_through()]


def test_an_admin_adds_a_day_off_and_everyone_gets_the_new_version(server: RunningServer) -> None:
    peek = Peek(server)
    officer = login(server, peek.officer_dossier()[0])
    head = login(server, peek.head_of(str(officer.user["department_id"])))
    admin = login(server, "admin")
    before = officer.get("/api/v1/calendar").json()
    after_id = events_of(officer)["last_id"]

    r = admin.http.put(admin.url(f"/api/v1/admin/calendar/days/{DAY}"),
                       json={"working": False, "note": "Thông báo 99/TB-VPCP"}, timeout=30)
    assert r.status_code == 200, r.text
    assert r.json()["audit"][0]["action"] == "set_day"
    assert r.json()["audit"][0]["actor"].startswith("user:") and "admin" in r.json()["audit"][0]["actor"]

    after = officer.get("/api/v1/calendar").json()
    assert after["version"] != before["version"]
    assert {"day": DAY, "working": False, "note": "Thông báo 99/TB-VPCP"} in after["overrides"]
    assert not WorkingCalendar.from_dict(after).is_working_day(date.fromisoformat(DAY))
    # every sync page names the version, so a client notices at its next sync
    page = officer.get("/api/v1/sync/changes", params={"limit": 1})
    assert page.headers["X-Calendar-Version"] == after["version"]
    # and a calendar_changed event reaches the department at once
    kinds = [e["kind"] for e in events_of(officer, after=after_id)["events"]]
    assert "calendar_changed" in kinds
    assert any(e["kind"] == "calendar_changed" for e in events_of(head, after=after_id)["events"])
    # undo: the holiday data decides again
    r = admin.http.delete(admin.url(f"/api/v1/admin/calendar/days/{DAY}"), timeout=30)
    assert r.status_code == 200
    assert officer.get("/api/v1/calendar").json()["version"] == before["version"]
    assert peek.scalar("SELECT COUNT(*) FROM calendar_audit") == 2


def test_confirming_a_year_clears_its_flag(server: RunningServer) -> None:
    admin = login(server, "admin")
    year = decreed_through() + 1
    r = admin.http.put(admin.url(f"/api/v1/admin/calendar/years/{year}"),
                       json={"confirmed": True, "note": "Quyết định 1/QĐ-TTg"}, timeout=30)
    assert r.status_code == 200, r.text
    assert year in r.json()["confirmed_years"]
    body = admin.get("/api/v1/calendar").json()
    assert year not in body["unconfirmed_years"]


def test_only_admins_change_the_calendar_and_bad_input_changes_nothing(
        server: RunningServer) -> None:
    peek = Peek(server)
    head = login(server, peek.head_of("stnmt"))
    admin = login(server, "admin")
    fingerprint = peek.fingerprint()
    r = head.http.put(head.url(f"/api/v1/admin/calendar/days/{DAY}"),
                      json={"working": False, "note": ""}, timeout=30)
    assert r.status_code == 403 and r.json()["code"] == "auth.forbidden"
    for bad_day, body in (("2026-02-30", {"working": False}), ("27-03-2026", {"working": False}),
                          (DAY, {"working": "no"}), (DAY, {"working": False, "x": 1}),
                          (DAY, {"working": False, "note": "a\x00b"})):
        r = admin.http.put(admin.url(f"/api/v1/admin/calendar/days/{bad_day}"), json=body,
                           timeout=30)
        assert r.status_code == 422, (bad_day, body, r.text)
    r = admin.http.delete(admin.url(f"/api/v1/admin/calendar/days/{DAY}"), timeout=30)
    assert r.status_code == 404
    assert peek.fingerprint() == fingerprint
    assert peek.scalar("SELECT COUNT(*) FROM calendar_audit") == 0


def test_the_cli_changes_the_calendar_with_an_audit_row(server: RunningServer,
                                                        tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "onestop_server", "calendar", "--database-url",
                               server.database_url, *args], capture_output=True, text=True,
                              timeout=120, cwd=ROOT, check=False)

    r = cli("day-off", DAY, "--note", "Nghỉ bù")
    assert r.returncode == 0, r.stderr
    assert f"{DAY}  day off  Nghỉ bù" in r.stdout
    shown = json.loads(cli("--json", "show").stdout)
    assert shown["audit"][0]["actor"].startswith("cli:")
    officer = login(server, Peek(server).officer_dossier()[0])
    assert {"day": DAY, "working": False, "note": "Nghỉ bù"} in \
        officer.get("/api/v1/calendar").json()["overrides"]
    assert cli("remove", "2031-01-01").returncode == 1  # nothing there: said, not hidden
    assert cli("day-off", "not-a-date").returncode == 1
