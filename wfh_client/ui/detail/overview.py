"""The top of the detail window: header (code, procedure, field, status and step, sync badge)
and the overview tab (applicant, dates and remaining working time, summary, fees, and the
documents the latest request asked the applicant for - Mẫu 02 - while it is pending or after).

The applicant's personal data (CCCD, phone, address) is displayed here and nowhere logged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from wfh_client.domain import Status, WorkingCalendar
from wfh_client.domain.deadlines import clock_running
from wfh_client.domain.workflow import supplement_request
from wfh_client.ui.detail.data import DossierView
from wfh_client.ui.detail.labels import (
    applicant_type_name,
    channel_name,
    deadline_text,
    step_name,
)
from wfh_client.ui.i18n import (
    format_datetime,
    format_number,
    parse_iso,
    status_name,
    sync_state_name,
)

__all__ = ["HeaderPanel", "OverviewPanel"]

BADGE_STYLES = {
    "pending": "background: #fff4ce; color: #6b4e00; border: 1px solid #e0c060;",
    "conflict": "background: #fde7e9; color: #8a1c24; border: 1px solid #e08a92;",
    "rejected": "background: #fde7e9; color: #8a1c24; border: 1px solid #e08a92;",
}


def _label(parent: QWidget, selectable: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class HeaderPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dossierHeader")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.code = _label(self)
        self.code.setObjectName("dossierCode")
        font = self.code.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.code.setFont(font)
        self.badge = QLabel(self)
        self.badge.setObjectName("syncBadge")
        top.addWidget(self.code, 1)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.procedure = _label(self)
        self.status = _label(self)
        self.status.setObjectName("dossierStatus")
        layout.addWidget(self.procedure)
        layout.addWidget(self.status)

    def set_view(self, view: DossierView) -> None:
        d = view.data
        self.code.setText(view.code)
        field, status_label, officer = self.tr("Field"), self.tr("Status"), self.tr("Officer")
        self.procedure.setText(f"{d.get('procedure_name') or ''} ({d.get('procedure_code') or ''})"
                               f" — {field}: {d.get('field_name') or ''}")
        status = status_name(d.get("status"))
        step = step_name(d.get("step"))
        text = f"{status_label}: {status}" + (f" — {step}" if step else "")
        if d.get("assignee_name"):
            text += f" — {officer}: {d['assignee_name']}"
        self.status.setText(text)
        state = view.sync_state
        if state == "synced":
            self.badge.hide()
        else:
            self.badge.setText(sync_state_name(state))
            self.badge.setStyleSheet(BADGE_STYLES[state] + " padding: 3px 8px; border-radius: 4px;")
            self.badge.show()


class OverviewPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.applicant_box = QGroupBox(self)
        self.dates_box = QGroupBox(self)
        self.content_box = QGroupBox(self)
        self.fields: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        self.applicant_form = self._form(self.applicant_box, ("name", "type", "id_number", "phone",
                                                               "email", "address"))
        self.dates_form = self._form(self.dates_box, ("channel", "received", "due", "remaining",
                                                       "result_method"))
        self.content_form = self._form(self.content_box, ("summary", "fees"))
        self.request_box = QGroupBox(self)
        self.request_box.setObjectName("supplementRequest")
        request_layout = QVBoxLayout(self.request_box)
        self.request_state = _label(self.request_box)
        self.request_items = _label(self.request_box)
        self.request_items.setObjectName("requestedDocuments")
        self.request_reason = _label(self.request_box)
        for label in (self.request_state, self.request_items, self.request_reason):
            request_layout.addWidget(label)
        self.request_box.hide()
        self.fields["remaining"].setObjectName("remainingTime")
        row = QHBoxLayout()
        row.addWidget(self.applicant_box, 1)
        row.addWidget(self.dates_box, 1)
        layout.addLayout(row)
        layout.addWidget(self.content_box)
        layout.addWidget(self.request_box)
        layout.addStretch(1)
        self.retranslate_ui()

    def _form(self, box: QGroupBox, keys: tuple[str, ...]) -> QFormLayout:
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key in keys:
            self.fields[key] = _label(box)
            self.captions[key] = QLabel(box)
            form.addRow(self.captions[key], self.fields[key])
        return form

    def retranslate_ui(self) -> None:
        self.applicant_box.setTitle(self.tr("Applicant"))
        self.dates_box.setTitle(self.tr("Receipt and deadline"))
        self.content_box.setTitle(self.tr("Content"))
        self.request_box.setTitle(self.tr("Documents requested from the applicant (Form 02)"))
        labels = {
            "name": self.tr("Name:"), "type": self.tr("Type:"), "id_number": self.tr("ID number:"),
            "phone": self.tr("Phone:"), "email": self.tr("Email:"), "address": self.tr("Address:"),
            "channel": self.tr("Submitted:"), "received": self.tr("Received:"),
            "due": self.tr("Due:"), "remaining": self.tr("Working time:"),
            "result_method": self.tr("Result by:"), "summary": self.tr("Summary:"),
            "fees": self.tr("Fees:"),
        }
        for key, caption in self.captions.items():
            caption.setText(labels[key])

    def set_view(self, view: DossierView, calendar: WorkingCalendar, now: datetime) -> None:
        d: dict[str, Any] = view.data
        a = d.get("applicant") or {}
        tz = calendar.tz
        values = {
            "name": a.get("name"), "type": applicant_type_name(a.get("type")),
            "id_number": a.get("id_number"), "phone": a.get("phone"), "email": a.get("email"),
            "address": a.get("address"), "channel": channel_name(d.get("channel")),
            "received": format_datetime(parse_iso(d.get("received_at")), tz),
            "due": self._due(d, tz), "remaining": deadline_text(d, calendar, now),
            "result_method": channel_name(d.get("result_method")),
            "summary": d.get("summary"), "fees": self._fees(d.get("fees") or []),
        }
        for key, value in values.items():
            self.fields[key].setText("" if value is None else str(value))
        due = parse_iso(d.get("due_at"))
        overdue = (clock_running(int(d.get("status") or 0)) and due is not None
                   and due < now)
        self.fields["remaining"].setStyleSheet("color: #b3261e; font-weight: bold;"
                                               if overdue else "font-weight: bold;")
        self._show_request(d, tz)

    def _show_request(self, d: dict[str, Any], tz: Any) -> None:
        request = supplement_request(list(d.get("history") or []))
        self.request_box.setVisible(request is not None)
        if request is None:
            return
        waiting = int(d.get("status") or 0) == Status.AWAITING_SUPPLEMENT
        when = format_datetime(parse_iso(request.at), tz)
        state = self.tr("Asked on %1 by %2; waiting for the applicant.") if waiting else \
            self.tr("Asked on %1 by %2; the documents have been received.")
        self.request_state.setText(state.replace("%1", when).replace("%2", request.by))
        self.request_items.setText("\n".join(f"• {item}" for item in request.missing))
        self.request_reason.setText(self.tr("Reason: %1").replace("%1", request.reason)
                                    if request.reason else "")

    def _due(self, d: dict[str, Any], tz: Any) -> str:
        due = format_datetime(parse_iso(d.get("due_at")), tz)
        original = d.get("original_due_at")
        if original and original != d.get("due_at") and int(d.get("apology_count") or 0):
            due += " " + self.tr("(postponed from %1)").replace(
                "%1", format_datetime(parse_iso(original), tz))
        return due

    def _fees(self, fees: list[dict[str, Any]]) -> str:
        if not fees:
            return self.tr("None")
        return "; ".join(f"{f.get('name')}: {format_number(int(f.get('amount') or 0))} đ"
                         for f in fees)
