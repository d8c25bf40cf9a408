"""The process-control slip (Mẫu 05) as a timeline: one row per history entry.

Columns: time, from (actor, title, department), to (:func:`to_text`: always who received the
dossier - a person or an office, never a status), what was done, the step's deadline and its verdict (early / on time / late, as a
colour and a word: the server's ``timeliness`` when present, else the domain's classification).
Rows recorded locally and not yet synced are in italics and say so.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from wfh_client.domain import WorkingCalendar
from wfh_client.ui.detail.labels import (
    TIMELINESS_COLOURS,
    row_timeliness,
    timeliness_name,
)
from wfh_client.ui.i18n import format_datetime, parse_iso

__all__ = ["TimelineTable", "from_text", "to_text"]


def from_text(row: dict[str, Any]) -> str:
    who = str(row.get("actor_name") or "")
    if row.get("actor_title"):
        who += f" ({row['actor_title']})"
    if row.get("department_name"):
        who += f"\n{row['department_name']}"
    return who


def to_text(row: dict[str, Any], doc: dict[str, Any] | None = None) -> str:
    """Who received the dossier at this handover (Mẫu 05's "người nhận"): the person it was
    handed to, else who the workflow gives it to - the applicant when it goes back to them,
    the officer who keeps working on it, the head for approval, the one-stop desk for the
    result."""
    if row.get("handed_to_name"):
        return str(row["handed_to_name"])
    doc = doc or {}
    applicant = str((doc.get("applicant") or {}).get("name") or "")
    officer = str(doc.get("assignee_name") or "")
    action = str(row.get("action") or "")
    if action in ("request_documents", "return_result", "refuse", "stop") and applicant:
        return applicant
    if action in ("start_review", "documents_received", "note", "apology"):
        return str(row.get("actor_name") or officer)
    if action in ("assign", "return_for_rework") and officer:
        return officer
    if action == "submit_for_approval":
        return _dept(QCoreApplication.translate("Slip", "Head of %1"), row)
    if action == "approve":
        return QCoreApplication.translate("Slip", "One-stop desk")
    if row.get("to_step") == "unassigned" or action in ("accept", "handover"):
        # the desk hands it to a department (named in the row's text when the desk wrote it)
        _, _sep, department = str(row.get("content") or "").partition("chuyển ")
        return QCoreApplication.translate("Slip", "Head of %1").replace(
            "%1", department.strip()) if department.strip() else \
            QCoreApplication.translate("Slip", "Head of the department")
    return officer or applicant


def _dept(pattern: str, row: dict[str, Any]) -> str:
    name = str(row.get("department_name") or "")
    return pattern.replace("%1", name) if name else \
        QCoreApplication.translate("Slip", "Head of the department")


class TimelineTable(QTableWidget):
    COLUMNS = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, self.COLUMNS, parent)
        self.setObjectName("timeline")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(True)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.rows: list[dict[str, Any]] = []
        self.doc: dict[str, Any] = {}
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setHorizontalHeaderLabels([
            self.tr("Time"), self.tr("From"), self.tr("To"), self.tr("Action"),
            self.tr("Step due"), self.tr("Result")])

    def set_history(self, history: list[dict[str, Any]], calendar: WorkingCalendar,
                    doc: dict[str, Any] | None = None) -> None:
        self.rows = list(history)
        self.doc = doc or {}
        self.setRowCount(len(self.rows))
        tz = calendar.tz
        for r, row in enumerate(self.rows):
            pending = row.get("id") is None
            verdict = row_timeliness(calendar, row)
            content = str(row.get("content") or "")
            if pending:
                content += "\n" + self.tr("(waiting to sync)")
            cells = [format_datetime(parse_iso(row.get("at")), tz), from_text(row),
                     to_text(row, self.doc),
                     content, format_datetime(parse_iso(row.get("step_due_at")), tz),
                     timeliness_name(verdict)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if pending:
                    font = QFont(item.font())
                    font.setItalic(True)
                    item.setFont(font)
                if c == 5 and verdict is not None:
                    colour = QColor(TIMELINESS_COLOURS[verdict])
                    item.setForeground(QBrush(colour))
                    bold = QFont(item.font())
                    bold.setBold(True)
                    item.setFont(bold)
                    item.setData(Qt.ItemDataRole.UserRole, verdict.value)
                self.setItem(r, c, item)
        self.resizeRowsToContents()

    def verdict_at(self, row: int) -> str | None:
        item = self.item(row, 5)
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return None if value is None else str(value)
