"""The head's table models (all :class:`~wfh_client.ui.head.common.RowsModel` s).

- :class:`QueueModel` - ``store.board.QueueItem`` s: the dossiers waiting for an officer;
- :class:`ApprovalModel` - ``store.board.ApprovalItem`` s: proposals waiting for approval;
- :class:`BucketModel` - ``store.board.DossierRow`` s: the dossiers behind a board count;
- :class:`OfficerModel` - ``head.data.OfficerChoice`` s: officers with their load;
- :class:`OnTimeModel` / :class:`CheckinModel` - report rows (``sync.reports``).

Every model takes the calendar's time zone and day length where it shows dates or time left.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QObject

from wfh_client.domain.deadlines import clock_running
from wfh_client.sync.reports import CheckinRow, OnTimeRow
from wfh_client.ui.head.common import RowsModel, format_rate, remaining_text, urgency_of
from wfh_client.ui.i18n import (
    format_datetime,
    format_number,
    format_remaining,
    parse_iso,
    status_name,
)

__all__ = ["ApprovalModel", "BucketModel", "CheckinModel", "OfficerModel", "OnTimeModel",
           "QueueModel"]


def _titles() -> dict[str, str]:
    return {
        "code": QCoreApplication.translate("HeadModels", "Code"), "procedure": QCoreApplication.translate("HeadModels", "Procedure"), "field": QCoreApplication.translate("HeadModels", "Field"),
        "applicant": QCoreApplication.translate("HeadModels", "Applicant"), "received": QCoreApplication.translate("HeadModels", "Received"), "due": QCoreApplication.translate("HeadModels", "Due"),
        "remaining": QCoreApplication.translate("HeadModels", "Time left"), "status": QCoreApplication.translate("HeadModels", "Status"), "officer": QCoreApplication.translate("HeadModels", "Officer"),
        "decision": QCoreApplication.translate("HeadModels", "Proposal"), "submitted": QCoreApplication.translate("HeadModels", "Submitted"), "open": QCoreApplication.translate("HeadModels", "Open"),
        "due_3_days": QCoreApplication.translate("HeadModels", "Due ≤ 3 days"), "overdue": QCoreApplication.translate("HeadModels", "Overdue"), "leave": QCoreApplication.translate("HeadModels", "On leave"),
        "checkin": QCoreApplication.translate("HeadModels", "Checked in"), "label": QCoreApplication.translate("HeadModels", "Name"), "on_time": QCoreApplication.translate("HeadModels", "On time"),
        "late": QCoreApplication.translate("HeadModels", "Late"), "total": QCoreApplication.translate("HeadModels", "Total"), "rate": QCoreApplication.translate("HeadModels", "Rate"),
        "windows": QCoreApplication.translate("HeadModels", "Windows"), "done": QCoreApplication.translate("HeadModels", "Done"), "missed": QCoreApplication.translate("HeadModels", "Missed"),
        "suspended": QCoreApplication.translate("HeadModels", "On leave"), "month": QCoreApplication.translate("HeadModels", "Month"),
        "counted_from": QCoreApplication.translate("HeadModels", "Counted from"),
        "outside": QCoreApplication.translate("HeadModels", "Outside a window"),
        "offline": QCoreApplication.translate("HeadModels", "Made offline"),
        "offline_delay": QCoreApplication.translate("HeadModels", "Longest offline delay"),
    }


def decision_name(decision: str | None) -> str:
    if decision == "grant":
        return QCoreApplication.translate("HeadModels", "Grant")
    if decision == "refuse":
        return QCoreApplication.translate("HeadModels", "Refuse")
    return ""


def yes_no_unknown(value: bool | None) -> str:
    if value is None:
        return QCoreApplication.translate("HeadModels", "unknown")
    return QCoreApplication.translate("HeadModels", "yes") if value else QCoreApplication.translate("HeadModels", "no")


class _DossierModel(RowsModel):
    """Dates and the time left, shared by the dossier-row models."""

    NUMERIC: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, tz: ZoneInfo, hours_per_day: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.hours_per_day = hours_per_day

    def title(self, key: str) -> str:
        return _titles().get(key, key)

    def _date(self, text: str | None) -> str:
        return format_datetime(parse_iso(text), self.tz)

    def urgency(self, row: Any) -> str:
        return urgency_of(getattr(row, "remaining_hours", None), self.hours_per_day)

    def tooltip(self, row: Any, key: str) -> str | None:
        if key in ("procedure", "applicant"):
            return self.display(row, key) or None
        return None


class QueueModel(_DossierModel):
    COLUMNS = ("code", "procedure", "field", "applicant", "received", "due", "remaining")

    def display(self, row: Any, key: str) -> str:
        if key == "received":
            return self._date(row.received_at)
        if key == "due":
            return self._date(row.due_at)
        if key == "remaining":
            return remaining_text(row.remaining_hours, self.hours_per_day)
        return str(self.sort_value(row, key) or "")

    def sort_value(self, row: Any, key: str) -> Any:
        return {"code": row.code, "procedure": row.procedure_name, "field": row.field_name,
                "applicant": row.applicant_name, "received": row.received_at,
                "due": row.due_at, "remaining": row.remaining_hours}[key]


class ApprovalModel(_DossierModel):
    COLUMNS = ("code", "procedure", "applicant", "officer", "decision", "submitted", "due",
               "remaining")

    def display(self, row: Any, key: str) -> str:
        if key == "decision":
            return decision_name(row.proposed_decision)
        if key == "submitted":
            return self._date(row.submitted_at)
        if key == "due":
            return self._date(row.due_at)
        if key == "remaining":
            return remaining_text(row.remaining_hours, self.hours_per_day)
        return str(self.sort_value(row, key) or "")

    def sort_value(self, row: Any, key: str) -> Any:
        return {"code": row.code, "procedure": row.procedure_name,
                "applicant": row.applicant_name, "officer": row.assignee_name,
                "decision": row.proposed_decision, "submitted": row.submitted_at,
                "due": row.due_at, "remaining": row.remaining_hours}[key]


class BucketModel(_DossierModel):
    COLUMNS = ("code", "procedure", "applicant", "officer", "status", "due", "remaining")

    def display(self, row: Any, key: str) -> str:
        if key == "status":
            return status_name(row.status)
        if key == "due":
            return self._date(row.due_at)
        if key == "remaining":
            running = clock_running(row.status)
            return remaining_text(row.remaining_hours, self.hours_per_day) if running else ""
        return str(self.sort_value(row, key) or "")

    def sort_value(self, row: Any, key: str) -> Any:
        return {"code": row.code, "procedure": row.procedure_name,
                "applicant": row.applicant_name, "officer": row.assignee_name,
                "status": row.status, "due": row.due_at, "remaining": row.remaining_hours}[key]

    def urgency(self, row: Any) -> str:
        return super().urgency(row) if clock_running(row.status) else ""


class OfficerModel(RowsModel):
    COLUMNS = ("officer", "open", "due_3_days", "overdue", "leave", "checkin")
    NUMERIC = frozenset({"open", "due_3_days", "overdue"})

    def title(self, key: str) -> str:
        return _titles()[key]

    def display(self, row: Any, key: str) -> str:
        if key == "officer":
            return str(row.full_name)
        if key in self.NUMERIC:
            return format_number(int(getattr(row, key)))
        if key == "leave":
            return yes_no_unknown(row.on_leave_now)
        return yes_no_unknown(row.checked_in_recently)

    def sort_value(self, row: Any, key: str) -> Any:
        return {"officer": row.full_name, "open": row.open, "due_3_days": row.due_3_days,
                "overdue": row.overdue, "leave": row.on_leave_now,
                "checkin": row.checked_in_recently}[key]

    def urgency(self, row: Any) -> str:
        return "soon" if row.on_leave_now else ""

    def tooltip(self, row: Any, key: str) -> str | None:
        if key == "checkin" and row.last_checkin_at:
            return QCoreApplication.translate("HeadModels", "Last check-in: %1").replace("%1", row.last_checkin_at)
        return None

    def dossier_id(self, row: Any) -> str | None:
        return None


class OnTimeModel(RowsModel):
    COLUMNS = ("label", "on_time", "late", "total", "rate")
    NUMERIC = frozenset({"on_time", "late", "total", "rate"})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.group = "officer"

    def title(self, key: str) -> str:
        if key == "label":
            return {"officer": QCoreApplication.translate("HeadModels", "Officer"), "field": QCoreApplication.translate("HeadModels", "Field"),
                    "month": QCoreApplication.translate("HeadModels", "Month")}.get(self.group, QCoreApplication.translate("HeadModels", "Name"))
        return _titles()[key]

    def display(self, row: OnTimeRow, key: str) -> str:
        if key == "label":
            return row.label or row.key
        if key == "rate":
            return format_rate(row.rate)
        return format_number(int(getattr(row, key)))

    def sort_value(self, row: OnTimeRow, key: str) -> Any:
        return (row.label or row.key) if key == "label" else getattr(row, key)

    def dossier_id(self, row: Any) -> str | None:
        return None


class CheckinModel(RowsModel):
    """Compliance per officer from their duty start; check-ins outside every window; offline
    check-ins and their longest delay (from the time the check-in claims to when the server got
    it) make backdating visible."""

    COLUMNS = ("officer", "counted_from", "windows", "done", "missed", "suspended", "rate",
               "outside", "offline", "offline_delay")
    NUMERIC = frozenset({"windows", "done", "missed", "suspended", "rate", "outside", "offline",
                         "offline_delay"})

    def title(self, key: str) -> str:
        return _titles()[key]

    def display(self, row: CheckinRow, key: str) -> str:
        if key == "officer":
            return row.full_name
        if key == "counted_from":
            return date.fromisoformat(row.counted_from).strftime("%d/%m/%Y") \
                if row.counted_from else ""
        if key == "rate":
            return format_rate(row.rate)
        if key == "offline_delay":
            seconds = row.offline_max_delay_seconds
            return "" if seconds is None else format_remaining(timedelta(seconds=seconds), 24)
        return format_number(int(getattr(row, key)))

    def sort_value(self, row: CheckinRow, key: str) -> Any:
        if key == "counted_from":
            return row.counted_from or ""
        if key == "offline_delay":
            return row.offline_max_delay_seconds or 0
        return row.full_name if key == "officer" else getattr(row, key)

    def dossier_id(self, row: Any) -> str | None:
        return None
