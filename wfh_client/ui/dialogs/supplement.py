"""Request for more documents (Mẫu 02, "bổ sung một lần"): the list must be complete at once.

A checklist of the dossier's submitted documents plus free lines for documents the applicant
did not submit at all, and a reason. The dialog warns that the request may be made once: a
second one on the same dossier marks it late (the domain sets ``late_flag``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPlainTextEdit

from wfh_client.domain import ActionType
from wfh_client.ui.dialogs.base import ERROR_STYLE, ActionDialog

__all__ = ["RequestDocumentsDialog"]


class RequestDocumentsDialog(ActionDialog):
    kind = ActionType.REQUEST_DOCUMENTS

    def build(self) -> None:
        count = int(self.doc.get("supplement_count") or 0)
        warning = QLabel(self)
        warning.setObjectName("supplementWarning")
        warning.setWordWrap(True)
        if count:
            warning.setText(self.tr(
                "Documents were already requested on this dossier. Another request is allowed "
                "but counts as LATE for the department."))
            warning.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        else:
            warning.setText(self.tr(
                "List everything that is missing now: the request may be made only once. "
                "While the dossier waits, its clock stops; when the documents arrive the "
                "processing time restarts from zero. A second request marks the dossier late."))
        self.form.addRow(warning)
        self.checklist = QListWidget(self)
        self.checklist.setObjectName("submittedDocuments")
        for doc in self.doc.get("documents") or []:
            if doc.get("kind") == "result":
                continue
            item = QListWidgetItem(str(doc.get("name") or ""), self.checklist)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.checklist.setMinimumHeight(110)
        self.checklist.itemChanged.connect(self.changed)
        self.form.addRow(self.tr("Submitted documents to supplement or correct:"), self.checklist)
        self.extra = QPlainTextEdit(self)
        self.extra.setObjectName("missingLines")
        self.extra.setPlaceholderText(self.tr(
            "Documents not submitted at all, one per line, e.g.\n"
            "Bản sao Giấy chứng nhận quyền sử dụng đất"))
        self.extra.setTabChangesFocus(True)
        self.extra.setMinimumHeight(80)
        self.extra.textChanged.connect(self.changed)
        self.form.addRow(self.tr("Other missing documents:"), self.extra)
        self.reason_box = QPlainTextEdit(self)
        self.reason_box.setTabChangesFocus(True)
        self.reason_box.setMaximumHeight(70)
        self.reason_box.setPlaceholderText(self.tr("Why they are needed (optional)"))
        self.reason_box.textChanged.connect(self.changed)
        self.form.addRow(self.tr("Reason:"), self.reason_box)

    def checked_names(self) -> list[str]:
        items = (self.checklist.item(i) for i in range(self.checklist.count()))
        return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]

    def set_checked(self, name: str, checked: bool = True) -> None:
        for i in range(self.checklist.count()):
            item = self.checklist.item(i)
            if item.text() == name:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def payload(self) -> dict[str, Any]:
        lines = [line for line in self.extra.toPlainText().splitlines() if line.strip()]
        payload: dict[str, Any] = {"missing": self.checked_names() + lines}
        reason = self.reason_box.toPlainText().strip()
        if reason:
            payload["reason"] = reason
        return payload
