"""The department's queue: dossiers received and not yet assigned, most urgent first.

Read from the head's cache (``store.board.unassigned_queue``: works offline) on the worker
pool. Several rows can be selected; "Assign…" (:data:`ASSIGN_SHORTCUT`) opens the
:class:`~wfh_client.ui.head.assign_dialog.BulkAssignDialog` for all of them; Enter or a
double-click opens the dossier window. An assignment leaves the queue at once (the optimistic
local state is what is read).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from wfh_client.ui.context import AppContext
from wfh_client.ui.head import data
from wfh_client.ui.head.assign_dialog import BulkAssignDialog
from wfh_client.ui.head.models import QueueModel
from wfh_client.ui.head.page import HeadPage, id_at, selected_ids, table_view

__all__ = ["ASSIGN_SHORTCUT", "QueuePage"]

ASSIGN_SHORTCUT = "Ctrl+Alt+G"
_WIDTHS = {"code": 215, "procedure": 300, "field": 130, "applicant": 170, "received": 130,
           "due": 130}


class QueuePage(HeadPage):
    assign_opened = Signal(object)  # BulkAssignDialog

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("headQueue")
        self.model = QueueModel(ctx.calendar.tz, ctx.calendar.hours_per_day, self)
        self.table = table_view(self.model, self, multi=True, widths=_WIDTHS)
        self.table.setObjectName("queueTable")
        self.table.doubleClicked.connect(self.open_index)
        self.table.activated.connect(self.open_index)
        self.summary = QLabel(self)
        self.summary.setObjectName("queueSummary")
        self.assign_button = QPushButton(self)
        self.assign_button.setObjectName("assignButton")
        self.open_button = QPushButton(self)
        self.act_assign = QAction(self)
        self.act_assign.setShortcut(QKeySequence(ASSIGN_SHORTCUT))
        self.act_assign.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.act_assign.triggered.connect(self.assign_selected)
        self.addAction(self.act_assign)
        self.assign_button.clicked.connect(self.assign_selected)
        self.open_button.clicked.connect(lambda: self.open_index(self.table.currentIndex()))
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.assign_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.dialog: BulkAssignDialog | None = None
        self.retranslate_ui()
        self._update_buttons()
        self.reload()

    def retranslate_ui(self) -> None:
        self.assign_button.setText(self.tr("&Assign…"))
        tip = self.tr("Assign the selected dossiers to an officer")
        keys = QKeySequence(ASSIGN_SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)
        self.assign_button.setToolTip(f"{tip} ({keys})")
        self.open_button.setText(self.tr("&Open dossier"))
        self.act_assign.setText(self.tr("Assign…"))
        self._summary()
        self.model.retranslate()

    def read(self) -> Any:
        return data.queue(self.ctx.cache.reader(), self.ctx.calendar, self.ctx.clock())

    def show_data(self, rows: Any) -> None:
        keep = set(selected_ids(self.table))
        self.model.set_rows(rows)
        for row, item in enumerate(self.model.rows()):
            if item.id in keep:
                self.table.selectionModel().select(
                    self.model.index(row, 0),
                    self.table.selectionModel().SelectionFlag.Select
                    | self.table.selectionModel().SelectionFlag.Rows)
        self._summary()
        self._update_buttons()

    def _summary(self) -> None:
        n = self.model.rowCount()
        self.summary.setText(self.tr("%n dossier(s) waiting for an officer", "", n) if n
                             else self.tr("No dossier is waiting for an officer."))

    def show_error(self, text: str) -> None:
        self.summary.setText(text)

    def _update_buttons(self) -> None:
        chosen = bool(selected_ids(self.table))
        self.assign_button.setEnabled(chosen)
        self.act_assign.setEnabled(chosen)
        self.open_button.setEnabled(id_at(self.table.currentIndex()) is not None)

    def selected_ids(self) -> list[str]:
        return selected_ids(self.table)

    def select_ids(self, ids: list[str]) -> None:
        wanted = set(ids)
        self.table.clearSelection()
        for row, item in enumerate(self.model.rows()):
            if item.id in wanted:
                self.table.selectionModel().select(
                    self.model.index(row, 0),
                    self.table.selectionModel().SelectionFlag.Select
                    | self.table.selectionModel().SelectionFlag.Rows)

    def assign_selected(self) -> BulkAssignDialog | None:
        ids = self.selected_ids()
        if not ids:
            return None
        dialog = BulkAssignDialog(self.ctx, ids, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.recorded.connect(lambda _e: self.schedule_reload())
        dialog.open()
        self.dialog = dialog
        self.assign_opened.emit(dialog)
        return dialog
