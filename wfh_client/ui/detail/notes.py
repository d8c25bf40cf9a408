"""The notes tab: the dossier's notes (pending ones marked) and an "Add note" box.

Notes are append-only and never conflict; a new one is validated by the domain
(``validate_action("note", ...)``) before the button enables, recorded offline through
``record_action`` on the worker pool, and shown at once as waiting to sync.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wfh_client.domain import ActionError, ActionType, validate_action
from wfh_client.sync.operations import record_action
from wfh_client.ui.context import AppContext
from wfh_client.ui.dialogs.common import engine_of, local_profile, reason_text, state_of
from wfh_client.ui.i18n import format_datetime, parse_iso
from wfh_client.ui.operation import Op

__all__ = ["NotesPanel"]


class NotesPanel(QWidget):
    recorded = Signal(object)  # OutboxEntry

    def __init__(self, ctx: AppContext, dossier_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dossier_id = dossier_id
        self.doc: dict[str, Any] = {}
        self._busy = False
        layout = QVBoxLayout(self)
        self.list = QListWidget(self)
        self.list.setObjectName("notesList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        layout.addWidget(self.list, 1)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("noteEditor")
        self.editor.setTabChangesFocus(True)
        self.editor.setMaximumHeight(90)
        self.editor.textChanged.connect(self.revalidate)
        layout.addWidget(self.editor)
        row = QHBoxLayout()
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #b3261e;")
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addNote")
        self.add_button.clicked.connect(self.add_note)
        row.addWidget(self.reason, 1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self.retranslate_ui()
        self.revalidate()

    def retranslate_ui(self) -> None:
        self.editor.setPlaceholderText(self.tr("Write a note for colleagues and the head…"))
        self.add_button.setText(self.tr("Add note"))

    def set_notes(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        tz = self.ctx.calendar.tz
        self.list.clear()
        for note in doc.get("notes") or []:
            pending = note.get("id") is None
            head = f"{note.get('author_name') or ''} — " \
                   f"{format_datetime(parse_iso(note.get('created_at')), tz)}"
            if pending:
                head += " — " + self.tr("waiting to sync")
            item = QListWidgetItem(f"{head}\n{note.get('text') or ''}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, "pending" if pending else "synced")
            if pending:
                font = QFont(item.font())
                font.setItalic(True)
                item.setFont(font)
        self.list.scrollToBottom()
        self.revalidate()

    def _error(self) -> ActionError | None:
        profile = local_profile(self.ctx)
        state = state_of(self.doc)
        if profile is None or state is None or engine_of(self.ctx) is None:
            return ActionError("not_signed_in", "Not signed in.")
        try:
            validate_action(ActionType.NOTE, {"text": self.editor.toPlainText()}, state,
                            profile.actor, profile.calendar, self.ctx.clock())
        except ActionError as err:
            return err
        return None

    def revalidate(self) -> None:
        err = self._error()
        self.add_button.setEnabled(err is None and not self._busy)
        empty = not self.editor.toPlainText().strip()
        self.reason.setText("" if err is None or empty else reason_text(err))

    def add_note(self) -> None:
        engine = engine_of(self.ctx)
        if self._busy or engine is None or self._error() is not None:
            return
        text = self.editor.toPlainText()
        when = self.ctx.clock()
        self._busy = True
        self.revalidate()

        def done(entry: Any) -> None:
            self._busy = False
            self.editor.clear()
            self.recorded.emit(entry)

        def failed(_exc: BaseException, words: str) -> None:
            self._busy = False
            self.revalidate()
            self.reason.setText(words)  # the domain's reason, or what went wrong

        Op(self, lambda: record_action(engine, self.dossier_id, "note", {"text": text},
                                       now=when)).success(done).failure(failed).run()
