"""Screenshots of the on-call screens (registered in :mod:`wfh_client.ui.screenshots`).

``oncall_checkin`` (the prompt of the 10:00 window) and ``oncall_checkin_offline`` (a check-in
queued while offline), ``oncall_today``, ``oncall_recall_alert``, ``oncall_team`` (a canned
``/oncall/team`` answer: one officer coming, one who cannot, one who missed a window, a leave
request) and ``privacy``. The sound is never started here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from wfh_client.domain.oncall import Window
from wfh_client.oncall.transport import iso_z
from wfh_client.ui.oncall.checkin_prompt import CheckInPrompt
from wfh_client.ui.oncall.privacy import PrivacyDialog
from wfh_client.ui.oncall.recall_alert import RecallAlert
from wfh_client.ui.oncall.team_view import TeamView
from wfh_client.ui.oncall.today import TodayDialog
from wfh_client.ui.screenshots import ShotContext, register


def _windows(shot: ShotContext) -> list[dict[str, Any]]:
    tz = shot.shell.ctx.calendar.tz
    day = shot.now.astimezone(tz).date()
    out = []
    for hour, minute in ((7, 0), (8, 0), (9, 0), (10, 0), (11, 0), (13, 30), (14, 30),
                         (15, 30), (16, 30)):
        start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
        out.append({"start": start.isoformat(), "end": (start + timedelta(minutes=10))
                    .isoformat(), "state": "upcoming", "pending": False})
    for w, state, pending in zip(out, ("done", "missed", "done", "open"),
                                 (False, False, True, False), strict=False):
        w["state"], w["pending"] = state, pending
    return out


@register("oncall_checkin")
def _checkin(shot: ShotContext) -> None:
    tz = shot.shell.ctx.calendar.tz
    start = shot.now.astimezone(tz).replace(hour=10, minute=0, second=0, microsecond=0)
    prompt = CheckInPrompt(tz)
    prompt.set_window(Window(start, start + timedelta(minutes=10)), "open")
    prompt.show()
    prompt.adjustSize()
    shot.save(prompt, "oncall_checkin")
    prompt.reason.setText("Đi nộp hồ sơ ở bưu điện, 10:30 về")
    prompt.show_recorded("away", start + timedelta(minutes=2), queued=True)
    prompt.adjustSize()
    shot.save(prompt, "oncall_checkin_offline")
    prompt.hide()
    prompt.deleteLater()


@register("oncall_today")
def _today(shot: ShotContext) -> None:
    dialog = TodayDialog(shot.shell.ctx.calendar.tz, shot.shell.window)
    dialog.set_windows(_windows(shot), queued=1)
    dialog.show()
    shot.save(dialog, "oncall_today")
    dialog.hide()
    dialog.deleteLater()


RECALL = {"recall_id": 12, "department_id": "stnmt", "created_by": 3,
          "created_by_name": "Nguyễn Thị Lan", "urgency": "urgent", "state": "delivered",
          "message": "Đoàn kiểm tra của tỉnh đến làm việc lúc 14:00 về hồ sơ đất đai. Đề nghị "
                     "anh/chị có mặt tại phòng để báo cáo.", "renotify": 0,
          "local_state": "delivered"}


@register("oncall_recall_alert")
def _recall(shot: ShotContext) -> None:
    recall = {**RECALL, "created_at": iso_z(shot.now - timedelta(minutes=1)),
              "report_by": iso_z(shot.now + timedelta(hours=1))}
    alert = RecallAlert(recall, shot.shell.ctx.calendar.tz, shot.now)
    alert.show()  # not alert(): no sound while rendering pictures
    alert.adjustSize()
    shot.save(alert, "oncall_recall_alert")
    alert.finish()
    alert.deleteLater()


class CannedTeam:
    """The three GETs of the team view, answered from memory (screenshots only)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def request(self, method: str, path: str, **_: Any) -> Any:
        body = self.team() if path.endswith("/team") else self.recalls() \
            if path.endswith("/recalls") else self.leaves()
        return _Answer(body)

    def _z(self, **delta: float) -> str:
        return iso_z(self.now + timedelta(**delta))

    def _recip(self, uid: int, name: str, state: str, **kw: Any) -> dict[str, Any]:
        return {"user_id": uid, "full_name": name, "state": state, "delivered_at": None,
                "seen_at": None, "acknowledged_at": None, "arrival_at": kw.get("arrival_at"),
                "declined_at": None, "decline_reason": kw.get("reason"), "renotify_count": 0,
                "escalated_at": None}

    def recalls(self) -> dict[str, Any]:
        people = [self._recip(7, "Trần Văn Bình", "acknowledged",
                              arrival_at=self._z(minutes=40)),
                  self._recip(8, "Lê Thị Hoa", "declined", reason="Con đang ốm, ở viện"),
                  self._recip(9, "Phạm Minh Tuấn", "seen")]
        return {"recalls": [{"id": 12, "department_id": "stnmt", "created_by": 3,
                             "created_by_name": "Nguyễn Thị Lan", "created_at": self._z(
                                 minutes=-6), "message": RECALL["message"],
                             "report_by": self._z(hours=1), "urgency": "urgent",
                             "closed_at": None, "closed_by": None, "recipients": people}]}

    def team(self) -> dict[str, Any]:
        states = {p["user_id"]: p for p in self.recalls()["recalls"][0]["recipients"]}

        def member(uid: int, name: str, last: tuple[float, str, str | None, bool] | None,
                   done: int, missed: list[float], connected: bool,
                   leave: bool = False) -> dict[str, Any]:
            recall = states.get(uid)
            return {
                "user_id": uid, "full_name": name, "title": "Chuyên viên",
                "last_checkin": None if last is None else {
                    "id": uid, "client_id": f"c{uid}", "client_time": self._z(minutes=last[0]),
                    "received_at": self._z(minutes=last[0] + (50 if last[3] else 0)),
                    "effective_at": self._z(minutes=last[0]), "status": last[1],
                    "reason": last[2], "offline": last[3]},
                "windows_total": 4, "windows_done": done, "missed_today": len(missed),
                "missed_windows": [self._z(minutes=m) for m in missed],
                "current_window": None,
                "connection": {"connected": connected, "open_polls": int(connected),
                               "last_seen_at": self._z(minutes=-2 if connected else -75)},
                "open_recalls": [] if recall is None else [{
                    **{k: v for k, v in recall.items() if k not in ("user_id", "full_name")},
                    "recall_id": 12, "urgency": "urgent", "message": RECALL["message"],
                    "report_by": self._z(hours=1), "created_at": self._z(minutes=-6)}],
                "on_leave_now": leave, "leave_today": [{
                    "id": 4, "user_id": uid, "full_name": name, "starts_at": self._z(hours=-2),
                    "ends_at": self._z(hours=6), "reason": "Nghỉ phép năm",
                    "state": "approved", "requested_at": None, "decided_at": None,
                    "decided_by": 3}] if leave else []}

        return {"department_id": "stnmt", "day": "2026-04-14", "time_zone": "Asia/Ho_Chi_Minh",
                "policy_version": 2, "generated_at": iso_z(self.now), "members": [
                    member(8, "Lê Thị Hoa", (-28, "away", "Đi khám bệnh cho con", False), 2,
                           [], True),
                    member(11, "Nguyễn Văn An", (-150, "working", None, False), 1, [-30], False),
                    member(9, "Phạm Minh Tuấn", (-29, "meeting", None, False), 3, [], True),
                    member(10, "Đỗ Thu Trang", None, 0, [], False, leave=True),
                    member(7, "Trần Văn Bình", (-27, "working", None, True), 3, [], True)]}

    def leaves(self) -> dict[str, Any]:
        return {"leaves": [{"id": 5, "user_id": 9, "full_name": "Phạm Minh Tuấn",
                            "starts_at": "2026-04-16T06:30:00Z", "ends_at": "2026-04-16T10:00:00Z",
                            "reason": "Họp phụ huynh ở trường", "state": "requested",
                            "requested_at": self._z(hours=-1), "decided_at": None,
                            "decided_by": None}]}


class _Answer:
    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body

    def json(self) -> dict[str, Any]:
        return self.body


@register("oncall_team")
def _team(shot: ShotContext) -> None:
    view = TeamView(shot.shell.ctx, CannedTeam(shot.now))
    view.resize(1180, 640)
    view.show()
    shot.wait(lambda: view.model.rowCount() > 0 and not view.loading)
    view.table.selectRow(1)
    first = view.leave_tree.topLevelItem(0)
    if first is not None:
        view.leave_tree.setCurrentItem(first)
    shot.save(view, "oncall_team")
    view.hide()
    view.deleteLater()


@register("privacy")
def _privacy(shot: ShotContext) -> None:
    dialog = PrivacyDialog(shot.shell.window)
    dialog.show()
    dialog.adjustSize()
    shot.save(dialog, "privacy")
    dialog.hide()
    dialog.deleteLater()
