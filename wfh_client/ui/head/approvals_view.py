"""Approvals: the proposals officers submitted (step ``submitted_for_approval``), oldest first.

The list comes from the head's cache (``store.board.approval_queue``: the proposed decision and
the text of the last submission on the process-control slip). The panel beside it shows the
selected proposal; "Open dossier" opens the dossier window (documents, history). "Approve…"
(the result becomes ready, or processing stops for a refusal proposal) and "Return for rework…"
(a comment is required) open the workflow dialogs of :mod:`wfh_client.ui.dialogs.actions`,
which validate with the domain and record through the outbox (offline too).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wfh_client.domain import ActionType
from wfh_client.ui.context import AppContext
from wfh_client.ui.dialogs.actions import open_action_dialog
from wfh_client.ui.dialogs.base import ActionDialog
from wfh_client.ui.head import data
from wfh_client.ui.head.models import ApprovalModel, decision_name
from wfh_client.ui.head.page import HeadPage, id_at, table_view
from wfh_client.ui.i18n import format_datetime, parse_iso

__all__ = ["APPROVE_SHORTCUT", "REWORK_SHORTCUT", "ApprovalsPage"]

APPROVE_SHORTCUT = "Ctrl+Alt+P"
REWORK_SHORTCUT = "Ctrl+Alt+T"
_WIDTHS = {"code": 215, "procedure": 240, "applicant": 150, "officer": 150, "decision": 90,
           "submitted": 125, "due": 125}


class ApprovalsPage(HeadPage):
    dialog_opened = Signal(object)  # ActionDialog

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("headApprovals")
        self.model = ApprovalModel(ctx.calendar.tz, ctx.calendar.hours_per_day, self)
        self.table = table_view(self.model, self, widths=_WIDTHS)
        self.table.setObjectName("approvalsTable")
        self.table.doubleClicked.connect(self.open_index)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_current())
        self.summary = QLabel(self)
        self.panel = QGroupBox(self)
        self.decision = QLabel(self.panel)
        self.decision.setObjectName("proposalDecision")
        self.officer = QLabel(self.panel)
        self.submitted = QLabel(self.panel)
        self.documents = QLabel(self.panel)
        self.proposal = QPlainTextEdit(self.panel)
        self.proposal.setObjectName("proposalText")
        self.proposal.setReadOnly(True)
        self.form = QFormLayout()
        self.form.addRow("", self.decision)
        self.form.addRow("", self.officer)
        self.form.addRow("", self.submitted)
        self.form.addRow("", self.documents)
        self.open_button = QPushButton(self.panel)
        self.approve_button = QPushButton(self.panel)
        self.approve_button.setObjectName("approveButton")
        self.rework_button = QPushButton(self.panel)
        self.rework_button.setObjectName("reworkButton")
        self.open_button.clicked.connect(lambda: self.open_index(self.table.currentIndex()))
        self.approve_button.clicked.connect(lambda: self.act(ActionType.APPROVE))
        self.rework_button.clicked.connect(lambda: self.act(ActionType.RETURN_FOR_REWORK))
        self.act_approve = self._shortcut(APPROVE_SHORTCUT, ActionType.APPROVE)
        self.act_rework = self._shortcut(REWORK_SHORTCUT, ActionType.RETURN_FOR_REWORK)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.rework_button)
        buttons.addWidget(self.approve_button)
        side = QVBoxLayout(self.panel)
        side.addLayout(self.form)
        self.proposal_label = QLabel(self.panel)
        side.addWidget(self.proposal_label)
        side.addWidget(self.proposal, 1)
        side.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        self.dialog: ActionDialog | None = None
        self.retranslate_ui()
        self._show_current()
        self.reload()

    def _shortcut(self, keys: str, kind: ActionType) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _c=False, k=kind: self.act(k))
        self.addAction(action)
        return action

    def retranslate_ui(self) -> None:
        native = QKeySequence.SequenceFormat.NativeText
        self.panel.setTitle(self.tr("Proposal"))
        self.proposal_label.setText(self.tr("Proposed result:"))
        self.open_button.setText(self.tr("&Open dossier"))
        self.approve_button.setText(self.tr("A&pprove…"))
        self.approve_button.setToolTip(QKeySequence(APPROVE_SHORTCUT).toString(native))
        self.rework_button.setText(self.tr("Return for &rework…"))
        self.rework_button.setToolTip(QKeySequence(REWORK_SHORTCUT).toString(native))
        self.model.retranslate()
        self._summary()
        self._show_current()

    def read(self) -> Any:
        return data.approvals(self.ctx.cache.reader(), self.ctx.calendar, self.ctx.clock())

    def show_data(self, rows: Any) -> None:
        current = self.current_id()
        self.model.set_rows(rows)
        self.select_id(current)
        if self.current_id() is None and self.model.rowCount():
            self.table.selectRow(0)
        self._summary()
        self._show_current()

    def show_error(self, text: str) -> None:
        self.summary.setText(text)

    def _summary(self) -> None:
        n = self.model.rowCount()
        self.summary.setText(self.tr("%n proposal(s) waiting for your approval", "", n) if n
                             else self.tr("No proposal is waiting for approval."))

    def current_id(self) -> str | None:
        return id_at(self.table.currentIndex())

    def current_item(self) -> Any:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select_id(self, dossier_id: str | None) -> bool:
        for row, item in enumerate(self.model.rows()):
            if item.id == dossier_id:
                self.table.selectRow(row)
                return True
        return False

    def _show_current(self) -> None:
        item = self.current_item()
        for button in (self.open_button, self.approve_button, self.rework_button):
            button.setEnabled(item is not None)
        self.act_approve.setEnabled(item is not None)
        self.act_rework.setEnabled(item is not None)
        if item is None:
            for label in (self.decision, self.officer, self.submitted, self.documents):
                label.clear()
            self.proposal.clear()
            return
        decision = decision_name(item.proposed_decision) or "—"
        self.decision.setText(self.tr("Proposed decision: %1").replace("%1", decision))
        style = "font-weight: 600; color: #8e1b10;" if item.proposed_decision == "refuse" \
            else "font-weight: 600; color: #1b5e20;"
        self.decision.setStyleSheet(style)
        self.officer.setText(self.tr("Officer: %1").replace("%1", item.assignee_name or "—"))
        when = format_datetime(parse_iso(item.submitted_at), self.ctx.calendar.tz)
        self.submitted.setText(self.tr("Submitted: %1").replace("%1", when or "—"))
        self.documents.setText(self.tr("%n result document(s) attached", "",
                                       item.result_documents))
        self.proposal.setPlainText(item.proposed_result)

    def act(self, kind: ActionType) -> ActionDialog | None:
        dossier_id = self.current_id()
        if dossier_id is None:
            return None
        dialog = open_action_dialog(self.ctx, kind, dossier_id, self)
        dialog.recorded.connect(lambda _e: self.schedule_reload())
        self.dialog = dialog
        self.dialog_opened.emit(dialog)
        return dialog
