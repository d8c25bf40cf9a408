"""The on-call vocabulary in the user's language, and the time formats the on-call screens share.

Check-in statuses (``working`` / ``meeting`` / ``away``), window states (``done`` / ``missed`` /
``open`` / ``upcoming`` / ``suspended``), a recipient's recall state (``sent`` -> ``delivered``
-> ``seen`` -> ``acknowledged`` / ``declined``), urgency and leave states. Context ``OnCall``.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QCoreApplication

from wfh_client.ui.i18n import parse_iso

__all__ = ["hhmm", "leave_state_name", "person_state_text", "recall_state_name",
           "status_name", "urgency_name", "when", "window_span", "window_state_name"]


def status_name(status: str) -> str:
    return {"working": QCoreApplication.translate("OnCall", "Working"), "meeting": QCoreApplication.translate("OnCall", "In a meeting"),
            "away": QCoreApplication.translate("OnCall", "Briefly away")}.get(status, status)


def window_state_name(state: str, pending: bool = False) -> str:
    if state == "done" and pending:
        return QCoreApplication.translate("OnCall", "Done (queued, not sent yet)")
    return {"done": QCoreApplication.translate("OnCall", "Done"), "missed": QCoreApplication.translate("OnCall", "Missed"), "open": QCoreApplication.translate("OnCall", "Open now"),
            "upcoming": QCoreApplication.translate("OnCall", "Upcoming"), "suspended": QCoreApplication.translate("OnCall", "Suspended (leave)")}.get(state, state)


def recall_state_name(state: str) -> str:
    return {"sent": QCoreApplication.translate("OnCall", "Sent"), "delivered": QCoreApplication.translate("OnCall", "Delivered"), "seen": QCoreApplication.translate("OnCall", "Seen"),
            "acknowledged": QCoreApplication.translate("OnCall", "Coming"), "declined": QCoreApplication.translate("OnCall", "Cannot come"),
            "closed": QCoreApplication.translate("OnCall", "Closed")}.get(state, state)


def urgency_name(urgency: str) -> str:
    return {"normal": QCoreApplication.translate("OnCall", "Normal"), "urgent": QCoreApplication.translate("OnCall", "Urgent")}.get(urgency, urgency)


def leave_state_name(state: str) -> str:
    return {"requested": QCoreApplication.translate("OnCall", "Waiting for approval"), "approved": QCoreApplication.translate("OnCall", "Approved"),
            "rejected": QCoreApplication.translate("OnCall", "Rejected")}.get(state, state)


def hhmm(value: datetime | str | None, tz: tzinfo) -> str:
    moment = parse_iso(value) if isinstance(value, str) or value is None else value
    return "" if moment is None else moment.astimezone(tz).strftime("%H:%M")


def when(value: datetime | str | None, tz: tzinfo, now: datetime | None = None) -> str:
    """``HH:mm`` today, ``dd/MM HH:mm`` on another day (in ``tz``)."""
    moment = parse_iso(value) if isinstance(value, str) or value is None else value
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    if now is not None and local.date() == now.astimezone(tz).date():
        return local.strftime("%H:%M")
    return local.strftime("%d/%m %H:%M")


def window_span(window: Any, tz: tzinfo) -> str:
    """``09:00–09:10`` for a ``domain.oncall.Window`` or a ``{start, end}`` dict."""
    start = window.get("start") if isinstance(window, dict) else getattr(window, "start", None)
    end = window.get("end") if isinstance(window, dict) else getattr(window, "end", None)
    return f"{hhmm(start, tz)}–{hhmm(end, tz)}"


def person_state_text(row: dict[str, Any], tz: tzinfo) -> str:
    """A recipient's state with its detail: "Coming (arrives 10:30)", "Cannot come: sick"."""
    state = str(row.get("state") or "")
    text = recall_state_name(state)
    if state == "acknowledged" and row.get("arrival_at"):
        return QCoreApplication.translate("OnCall", "%1 (arrives %2)").replace("%1", text).replace(
            "%2", hhmm(str(row["arrival_at"]), tz))
    if state == "declined" and row.get("decline_reason"):
        return QCoreApplication.translate("OnCall", "%1: %2").replace("%1", text).replace("%2", str(row["decline_reason"]))
    return text
