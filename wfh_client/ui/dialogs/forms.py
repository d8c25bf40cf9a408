"""The simple action dialogs: note, start review, documents received, submit for approval,
approve / return for rework (heads), refuse / stop (with a reason), result returned.

Each is an :class:`~wfh_client.ui.dialogs.base.ActionDialog`: a few fields, a payload.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from wfh_client.domain import ActionType, restart_clock
from wfh_client.ui.dialogs.base import ActionDialog
from wfh_client.ui.dialogs.common import state_of
from wfh_client.ui.i18n import format_datetime

__all__ = ["ApproveDialog", "DocumentsReceivedDialog", "NoteDialog", "RefuseDialog",
           "ReturnForReworkDialog", "ReturnResultDialog", "StartReviewDialog", "StopDialog",
           "SubmitForApprovalDialog"]


def _text_box(parent: QWidget, placeholder: str, height: int = 90) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(height)
    return box


def _explain(parent: QWidget, text: str) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


class NoteDialog(ActionDialog):
    kind = ActionType.NOTE

    def build(self) -> None:
        self.text = _text_box(self, self.tr("Write a note for this dossier…"), 140)
        self.text.textChanged.connect(self.changed)
        self.form.addRow(self.tr("Note:"), self.text)

    def payload(self) -> dict[str, Any]:
        return {"text": self.text.toPlainText()}


class StartReviewDialog(ActionDialog):
    kind = ActionType.START_REVIEW

    def build(self) -> None:
        self.form.addRow(_explain(self, self.tr(
            "Start reviewing (thẩm định) this dossier. The process-control slip records the "
            "handover to you at this time.")))


class DocumentsReceivedDialog(ActionDialog):
    kind = ActionType.DOCUMENTS_RECEIVED

    def build(self) -> None:
        text = self.tr("The applicant has supplied all the requested documents. The processing "
                       "time restarts from zero.")
        state = state_of(self.doc)
        if state is not None and self.profile is not None:
            cal = self.profile.calendar
            due = restart_clock(cal, self.ctx.clock(), state.allowed_hours)
            text += "\n" + self.tr("New appointment date: %1").replace(
                "%1", format_datetime(due, cal.tz))
        self.form.addRow(_explain(self, text))


class SubmitForApprovalDialog(ActionDialog):
    kind = ActionType.SUBMIT_FOR_APPROVAL

    def build(self) -> None:
        self.result_text = _text_box(self, self.tr(
            "The proposed result, e.g. the draft decision or certificate to sign…"), 140)
        self.result_text.textChanged.connect(self.changed)
        self.grant = QRadioButton(self.tr("Grant (giải quyết)"), self)
        self.refuse = QRadioButton(self.tr("Refuse (từ chối)"), self)
        self.decision = QButtonGroup(self)
        self.decision.addButton(self.grant)
        self.decision.addButton(self.refuse)
        self.grant.setChecked(True)
        self.decision.buttonToggled.connect(self.changed)
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grant)
        layout.addWidget(self.refuse)
        layout.addStretch(1)
        self.form.addRow(self.tr("Decision:"), row)
        self.form.addRow(self.tr("Proposed result:"), self.result_text)

    def payload(self) -> dict[str, Any]:
        return {"proposed_result": self.result_text.toPlainText(),
                "decision": "grant" if self.grant.isChecked() else "refuse"}


class _ReasonDialog(ActionDialog):
    """One free-text field: a reason (refuse, stop) or a comment (approve, rework)."""

    field = "reason"

    def explanation(self) -> str:
        return ""

    def build(self) -> None:
        if text := self.explanation():
            self.form.addRow(_explain(self, text))
        label = self.tr("Reason:") if self.field == "reason" else self.tr("Comment:")
        self.text = _text_box(self, "")
        self.text.textChanged.connect(self.changed)
        self.form.addRow(label, self.text)

    def payload(self) -> dict[str, Any]:
        return {self.field: self.text.toPlainText()}


class RefuseDialog(_ReasonDialog):
    kind = ActionType.REFUSE

    def explanation(self) -> str:
        return self.tr("Refuse the dossier at intake (Mẫu 03). The applicant is told the reason.")


class StopDialog(_ReasonDialog):
    kind = ActionType.STOP

    def explanation(self) -> str:
        return self.tr("Stop processing the dossier. A refusal always carries its reason.")


class ApproveDialog(_ReasonDialog):
    kind = ActionType.APPROVE
    field = "comment"

    def explanation(self) -> str:
        if self.doc.get("proposed_decision") == "refuse":
            return self.tr("Approve the officer's proposal to REFUSE: processing stops.")
        return self.tr("Approve the officer's proposed result: the result is ready.")


class ReturnForReworkDialog(_ReasonDialog):
    kind = ActionType.RETURN_FOR_REWORK
    field = "comment"

    def explanation(self) -> str:
        return self.tr("Send the dossier back to the officer with what to change.")


class ReturnResultDialog(ActionDialog):
    kind = ActionType.RETURN_RESULT

    def build(self) -> None:
        self.channel = QComboBox(self)
        self.channel.addItem(self.tr("At the counter"), "counter")
        self.channel.addItem(self.tr("By post"), "post")
        self.channel.addItem(self.tr("Online"), "online")
        method = self.doc.get("result_method")
        index = self.channel.findData(method)
        if index >= 0:
            self.channel.setCurrentIndex(index)
        self.tracking = QLineEdit(self)
        self.tracking.setPlaceholderText(self.tr("e.g. EL123456789VN"))
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self.tracking.textChanged.connect(self.changed)
        self.form.addRow(self.tr("Returned:"), self.channel)
        self.form.addRow(self.tr("Tracking number:"), self.tracking)
        self._channel_changed()

    def _channel_changed(self, *_args: Any) -> None:
        self.tracking.setEnabled(self.channel.currentData() == "post")
        self.changed()

    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"channel": self.channel.currentData()}
        if self.channel.currentData() == "post":
            payload["tracking_number"] = self.tracking.text()
        return payload
