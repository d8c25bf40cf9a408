"""Translated names and display helpers shared by the detail view and the printed slips.

Steps, timeliness (with its colour), result channels, applicant types, document states, file
sizes, and the working-time deadline line ("còn 2 ngày 3 giờ" / "quá hạn 1 ngày").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from wfh_client.domain import Timeliness, WorkingCalendar
from wfh_client.domain.deadlines import clock_running
from wfh_client.domain.slip import step_timeliness
from wfh_client.domain.statuses import Status, Step
from wfh_client.domain.turns import Party, whose_turn
from wfh_client.ui.i18n import format_datetime, format_remaining, parse_iso

__all__ = ["TIMELINESS_COLOURS", "progress_text", "applicant_type_name", "channel_name", "deadline_text",
           "document_state_name", "format_size", "row_timeliness", "step_name",
           "timeliness_name"]

TIMELINESS_COLOURS = {
    Timeliness.EARLY: "#1b7f3b",
    Timeliness.ON_TIME: "#1f5fa8",
    Timeliness.LATE: "#b3261e",
}


def step_name(step: str | None) -> str:
    names = {
        "unassigned": QCoreApplication.translate("Step", "Not assigned yet"),
        "assigned": QCoreApplication.translate("Step", "Assigned to an officer"),
        "in_review": QCoreApplication.translate("Step", "In review"),
        "submitted_for_approval": QCoreApplication.translate("Step", "Submitted for approval"),
        "returned_for_rework": QCoreApplication.translate("Step", "Returned for rework"),
        "approved": QCoreApplication.translate("Step", "Approved"),
    }
    return names.get(step or "", step or "")


def progress_text(status: int | None, step: str | None) -> str:
    """Where the dossier stands, saying who it waits for (the list's step column)."""
    turn = whose_turn(status, step)
    if turn is Party.HEAD:
        if step == Step.SUBMITTED_FOR_APPROVAL:
            return QCoreApplication.translate("Step", "Waiting for the head's approval")
        return QCoreApplication.translate("Step", "Waiting to be assigned")
    if turn is Party.APPLICANT:
        if status == Status.AWAITING_FEES:
            return QCoreApplication.translate("Step", "Waiting for the applicant's fees")
        return QCoreApplication.translate("Step", "Waiting for the applicant's documents")
    if turn is Party.OFFICER:
        return step_name(step)
    return ""


def timeliness_name(value: Timeliness | str | None) -> str:
    names = {
        Timeliness.EARLY: QCoreApplication.translate("Timeliness", "early"),
        Timeliness.ON_TIME: QCoreApplication.translate("Timeliness", "on time"),
        Timeliness.LATE: QCoreApplication.translate("Timeliness", "late"),
    }
    try:
        return names[Timeliness(value)] if value else ""
    except ValueError:
        return str(value)


def channel_name(value: str | None) -> str:
    names = {
        "counter": QCoreApplication.translate("Channel", "At the counter"),
        "online": QCoreApplication.translate("Channel", "Online"),
        "post": QCoreApplication.translate("Channel", "By post"),
    }
    return names.get(value or "", value or "")


def applicant_type_name(value: str | None) -> str:
    names = {
        "citizen": QCoreApplication.translate("Applicant", "Citizen"),
        "business": QCoreApplication.translate("Applicant", "Business"),
        "agency": QCoreApplication.translate("Applicant", "Agency"),
        "other": QCoreApplication.translate("Applicant", "Other"),
    }
    return names.get(value or "", value or "")


def document_state_name(value: str | None) -> str:
    names = {
        "remote": QCoreApplication.translate("DocumentState", "Not downloaded"),
        "partial": QCoreApplication.translate("DocumentState", "Partly downloaded"),
        "downloaded": QCoreApplication.translate("DocumentState", "Downloaded"),
        "failed": QCoreApplication.translate("DocumentState", "Download failed"),
        "uploading": QCoreApplication.translate("DocumentState", "Waiting to sync"),
    }
    return names.get(value or "", value or "")


def format_size(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return QCoreApplication.translate("Size", "%1 B").replace("%1", str(size))
    if size < 1024 * 1024:
        return QCoreApplication.translate("Size", "%1 KB").replace("%1", f"{size / 1024:.0f}")
    return QCoreApplication.translate("Size", "%1 MB").replace("%1", f"{size / (1024 * 1024):.1f}")


def row_timeliness(calendar: WorkingCalendar, row: Mapping[str, Any]) -> Timeliness | None:
    """The slip row's verdict: the server's ``timeliness`` if present, else the domain's."""
    given = row.get("timeliness")
    if given:
        try:
            return Timeliness(given)
        except ValueError:
            pass
    at, due = parse_iso(row.get("at")), parse_iso(row.get("step_due_at"))
    if at is None or due is None:
        return None
    return step_timeliness(calendar, at, due)


def deadline_text(doc: Mapping[str, Any], calendar: WorkingCalendar, now: datetime) -> str:
    """Working time left ("còn 2 ngày 3 giờ"), overdue, stopped, or the final verdict."""
    due = parse_iso(doc.get("due_at"))
    if due is None:
        return ""
    status = int(doc.get("status") or 0)
    stopped = parse_iso(doc.get("clock_stopped_at"))
    ended = parse_iso(doc.get("finished_at")) or parse_iso(doc.get("returned_at"))
    if status == 5 and stopped is not None:
        left = format_remaining(calendar.remaining(stopped, due), calendar.hours_per_day)
        return QCoreApplication.translate("Deadline", "clock stopped since %1 (awaiting documents); %2 were left") \
            .replace("%1", format_datetime(stopped, calendar.tz)).replace("%2", left)
    if not clock_running(status):
        if ended is None:
            return ""
        verdict = timeliness_name(calendar.classify(ended, due))
        return QCoreApplication.translate("Deadline", "finished %1 (%2)").replace(
            "%1", format_datetime(ended, calendar.tz)).replace("%2", verdict)
    remaining = calendar.remaining(now, due)
    text = format_remaining(remaining, calendar.hours_per_day)
    if remaining.total_seconds() < 0:
        return text
    return QCoreApplication.translate("Deadline", "%1 left").replace("%1", text)
