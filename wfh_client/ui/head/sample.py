"""A department's worth of synthetic dossiers and reports for the head's tests and screenshots.

:func:`department_dossiers` takes :func:`wfh_client.ui.sample_data.sample_dossiers` and spreads
them over five officers: accepted dossiers wait in the queue (no officer), some in-process ones
are submitted for approval (with the submission on the slip, a proposed decision and a result
document). :func:`sample_reports` and :func:`sample_team` are report and team-load answers
shaped like the server's. Pure Python (no Qt).
"""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.timefmt import to_iso_utc
from wfh_client.sync.reports import CheckinReport, CheckinRow, OnTimeReport, OnTimeRow
from wfh_client.ui.sample_data import sample_dossiers

__all__ = ["HEAD", "OFFICERS", "department_dossiers", "sample_reports", "sample_team"]

DEPARTMENT = "dep-tnmt"
HEAD = {"id": 3, "username": "truongphong.tnmt", "full_name": "Phạm Thị Lan",
        "title": "Trưởng phòng", "role": "head", "department_id": DEPARTMENT,
        "department_name": "Sở Tài nguyên và Môi trường"}
OFFICERS = [(11, "Trần Văn Bình"), (12, "Nguyễn Thị Hạnh"), (13, "Lê Minh Quân"),
            (14, "Phạm Thu Trang"), (15, "Võ Đức Long")]
_PROPOSALS = [
    ("grant", "Hồ sơ đủ điều kiện. Đề nghị cấp giấy chứng nhận theo dự thảo kèm theo."),
    ("grant", "Đã xác minh thực địa, ranh giới thửa đất khớp bản đồ địa chính. Đề nghị duyệt."),
    ("refuse", "Công trình nằm trong hành lang bảo vệ đê điều; đề nghị từ chối cấp phép."),
]


def department_dossiers(count: int, calendar: WorkingCalendar, now: datetime,
                        seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    docs = []
    for i, doc in enumerate(sample_dossiers(count, calendar=calendar, now=now, seed=seed)):
        doc["department_id"] = DEPARTMENT
        user_id, name = OFFICERS[rng.randrange(len(OFFICERS))]
        doc["allowed_hours"] = 80
        if doc["status"] in (1, 2):
            doc.update(status=2, step="unassigned", assignee_id=None, assignee_name=None)
        else:
            doc.update(assignee_id=user_id, assignee_name=name)
        if doc["status"] == 4 and i % 5 == 0:
            decision, text = _PROPOSALS[i % len(_PROPOSALS)]
            doc.update(step="submitted_for_approval", proposed_decision=decision)
            doc["history"] = [*doc["history"], {
                "id": f"h-{i}-submit", "at": to_iso_utc(now.replace(hour=1, minute=i % 60)),
                "actor_id": user_id, "actor_name": name, "actor_title": "Chuyên viên",
                "department_name": HEAD["department_name"], "action": "submit_for_approval",
                "from_status": 4, "to_status": 4, "from_step": "in_review",
                "to_step": "submitted_for_approval", "handed_to_id": HEAD["id"],
                "handed_to_name": HEAD["full_name"], "step_due_at": None, "content": text,
                "timeliness": "on_time"}]
            doc["documents"] = [*doc["documents"], {
                "id": f"doc-{i}-result", "name": "du-thao-ket-qua.pdf", "kind": "result",
                "mime": "application/pdf", "size": 88_000, "sha256": "1" * 64}]
        docs.append(doc)
    return docs


def sample_reports(start: date, end: date, group: str = "officer"
                   ) -> tuple[OnTimeReport, CheckinReport]:
    figures = {"officer": [(name, 41 - 6 * k, 3 + 2 * k) for k, (_u, name) in enumerate(OFFICERS)],
               "field": [("Đất đai", 96, 14), ("Xây dựng", 38, 9), ("Môi trường", 22, 2),
                         ("Tài nguyên nước", 11, 1), ("Khoáng sản", 4, 2)],
               "month": [(f"{m:02d}/2026", 20 + 3 * m, 5 - m % 3) for m in range(1, 7)]}[group]
    rows = tuple(OnTimeRow(str(i), label, ok, late, ok + late, ok / (ok + late))
                 for i, (label, ok, late) in enumerate(figures))
    ok, late = sum(r.on_time for r in rows), sum(r.late for r in rows)
    total = OnTimeRow("total", "", ok, late, ok + late, ok / (ok + late))
    ontime = OnTimeReport(DEPARTMENT, group, start, end, "Asia/Ho_Chi_Minh", None, rows, total)
    checkins = CheckinReport(DEPARTMENT, start, end, "Asia/Ho_Chi_Minh", None, tuple(
        CheckinRow(u, name, 480, 470 - 23 * k, 4 + 19 * k, 6 - k, (470 - 23 * k) / (474 - 4 * k),
                   offline=k % 3, offline_max_delay_seconds=(k % 3) * 2700 or None,
                   offline_median_delay_seconds=(k % 3) * 1200 or None)
        for k, (u, name) in enumerate(OFFICERS)))
    return ontime, checkins


def sample_team(now: datetime) -> list[dict[str, Any]]:
    """``/team/load``-shaped officers (leave and check-in known), for the assignment picture."""
    return [{"user_id": u, "full_name": name, "title": "Chuyên viên", "open": 9 + 3 * k,
             "due_today": k % 2, "due_3_days": 1 + k, "overdue": max(0, k - 2),
             "on_leave_now": k == 3, "checked_in_recently": k not in (3, 4),
             "last_checkin_at": to_iso_utc(now)} for k, (u, name) in enumerate(OFFICERS)]
