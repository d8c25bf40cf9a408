"""Shared helpers for the domain tests: a calendar, actors and a dossier-state factory."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.statuses import Role, Status, Step
from wfh_client.domain.workflow import Actor, DossierState

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkingCalendar()
DEPT = "dat-dai"

HEAD = Actor(1, Role.HEAD, DEPT)
OFFICER = Actor(2, Role.OFFICER, DEPT)  # the assignee
OTHER_OFFICER = Actor(3, Role.OFFICER, DEPT)
ADMIN = Actor(4, Role.ADMIN, DEPT)
FOREIGN_HEAD = Actor(9, Role.HEAD, "tu-phap")
FOREIGN_OFFICER = Actor(2, Role.OFFICER, "tu-phap")  # same id, other department


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=VN)


# Received Mon 2/3/2026 08:00, 24 working hours: Mon 7 h, Tue 8 h, Wed 8 h (23 h),
# Thu 07:00 + 1 h -> due Thu 5/3 08:00.
RECEIVED = at(2026, 3, 2, 8)
DUE = at(2026, 3, 5, 8)
NOW = at(2026, 3, 3, 9)  # Tuesday morning: 15 working hours before the due instant


def state(
    status: Status = Status.PROCESSING, step: Step | None = Step.IN_REVIEW, **kw: Any
) -> DossierState:
    base: dict[str, Any] = dict(
        status=status,
        step=step,
        department_id=DEPT,
        assignee_id=OFFICER.user_id,
        received_at=RECEIVED,
        due_at=DUE,
        allowed_hours=24,
    )
    base.update(kw)
    return DossierState(**base)
