"""Conflicts and rejected changes: both sides side by side, and what the server refused.

**Conflicts** tab: one row per open conflict (``store.outbox.open_conflicts``). For the one
selected, the user's version and the server's are compared field by field (status, step, due
date, assignee, version, latest history entries); rows that differ are highlighted. Notes never
conflict, so the notes of both sides are shown merged - the user's unsent notes are kept
whichever side wins. **Keep mine** sends the user's action again on the server's version
(``operations.keep_mine``), **Take theirs** keeps the server's version (``operations.take_theirs``;
the action stays listed as rejected). Both run on the worker pool (they write through the
cache's writer themselves).

**Rejected changes** tab: invalid and rejected outbox entries (the dossier's code and procedure
as they were when the change was made - the dossier itself may have left the cache -, action,
when, the reason in plain words), **Dismiss** for the selected ones once read
(``operations.dismiss_refused``: they leave the list and the warnings, not the export) and
**Export…** to a JSON file (``store.outbox.export_rejected``). The view opens on the tab that
has something to show.

Reloads on ``outbox.changed`` / ``dossiers.changed`` through the bridge (deferred while hidden).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from wfh_client.store import dossiers as store_dossiers
from wfh_client.store import outbox as store_outbox
from wfh_client.sync import operations
from wfh_client.ui.context import AppContext
from wfh_client.ui.dialogs.common import engine_of
from wfh_client.ui.i18n import format_datetime, parse_iso, status_name
from wfh_client.ui.messages import action_name, reason_text
from wfh_client.ui.operation import Op
from wfh_client.ui.ops import run_in_background
from wfh_client.ui.widgets.saved import confirm_saved

log = logging.getLogger(__name__)

__all__ = ["ConflictsView"]

DIFF_BRUSH = QBrush(QColor("#fff1c2"))
HISTORY_SHOWN = 3


@dataclass(frozen=True)
class _Data:
    conflicts: list[store_outbox.Conflict]
    entries: dict[str, store_outbox.OutboxEntry]  # client id -> entry (of the conflicts)
    rejected: list[store_outbox.OutboxEntry]
    codes: dict[str, str]  # dossier id -> code
    local: dict[str, dict[str, Any]]  # dossier id -> the local copy now (notes added since)


def _step(step: Any) -> str:
    try:  # the dossier view's vocabulary, when this build has it
        from wfh_client.ui.detail.labels import step_name
    except ImportError:
        return str(step or "")
    return step_name(step)


def _load(ctx: AppContext) -> _Data:
    db = ctx.cache.reader()
    conflicts = store_outbox.open_conflicts(db)
    entries = {c.client_id: e for c in conflicts if c.client_id
               and (e := store_outbox.get_entry(db, c.client_id)) is not None}
    rejected = store_outbox.needs_attention(db)
    codes: dict[str, str] = {e.dossier_id: e.dossier_code for e in rejected if e.dossier_code}
    for c in conflicts:
        for side in (c.theirs, c.mine):
            if isinstance(side, dict) and side.get("code"):
                codes.setdefault(c.dossier_id, str(side["code"]))
    local = {c.dossier_id: r.data for c in conflicts
             if (r := store_dossiers.get_dossier(db, c.dossier_id)) is not None}
    return _Data(conflicts, entries, rejected, codes, local)


class ConflictsView(QDialog):
    # a reload finished (tests wait on it)
    loaded = Signal()
    # a conflict was resolved: (conflict id, "mine" | "theirs")
    resolved = Signal(int, str)
    # export finished: (path, count)
    exported = Signal(str, int)
    # rejected changes were put away: how many
    dismissed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsView")
        self.ctx = ctx
        self.data = _Data([], {}, [], {}, {})
        self.busy = False
        self._first_load = True
        self.saved_notice: QMessageBox | None = None
        self.tabs = QTabWidget(self)
        # conflicts tab
        self.conflict_list = QListWidget(self)
        self.conflict_list.currentRowChanged.connect(self._show_conflict)
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.explain.setTextFormat(Qt.TextFormat.PlainText)
        self.compare = QTableWidget(0, 3, self)
        self.compare.verticalHeader().hide()
        self.compare.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare.setWordWrap(True)
        self.compare.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for col in (1, 2):
            self.compare.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.notes_label = QLabel(self)
        self.notes = QTextBrowser(self)
        self.notes.setMaximumHeight(120)
        self.keep_mine_button = QPushButton(self)
        self.take_theirs_button = QPushButton(self)
        self.keep_mine_button.clicked.connect(lambda: self.resolve("mine"))
        self.take_theirs_button.clicked.connect(lambda: self.resolve("theirs"))
        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.explain)
        rl.addWidget(self.compare, 1)
        rl.addWidget(self.notes_label)
        rl.addWidget(self.notes)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.take_theirs_button)
        buttons.addWidget(self.keep_mine_button)
        rl.addLayout(buttons)
        self.split = QSplitter(self)
        self.split.addWidget(self.conflict_list)
        self.split.addWidget(right)
        self.split.setStretchFactor(1, 3)
        self.split.setSizes([260, 740])
        conflicts_tab = QWidget(self)
        cl = QVBoxLayout(conflicts_tab)
        cl.addWidget(self.empty_label)
        cl.addWidget(self.split, 1)
        # rejected tab
        self.rejected_table = QTableWidget(0, 6, self)
        self.rejected_table.setObjectName("rejectedTable")
        self.rejected_table.verticalHeader().hide()
        self.rejected_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rejected_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rejected_table.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection)
        self.rejected_table.setWordWrap(True)
        self.rejected_table.horizontalHeader().setStretchLastSection(True)
        self.rejected_table.itemSelectionChanged.connect(self._update_dismiss)
        self.rejected_info = QLabel(self)
        self.rejected_info.setWordWrap(True)
        self.export_button = QPushButton(self)
        self.export_button.clicked.connect(self.choose_export)
        self.dismiss_button = QPushButton(self)
        self.dismiss_button.setObjectName("dismiss")
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        rejected_tab = QWidget(self)
        rt = QVBoxLayout(rejected_tab)
        rt.addWidget(self.rejected_info)
        rt.addWidget(self.rejected_table, 1)
        eb = QHBoxLayout()
        eb.addWidget(self.dismiss_button)
        eb.addStretch(1)
        eb.addWidget(self.export_button)
        rt.addLayout(eb)
        self.tabs.addTab(conflicts_tab, "")
        self.tabs.addTab(rejected_tab, "")
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.close_buttons)
        self.resize(1040, 620)
        self.retranslate_ui()
        ctx.bridge.register(self)
        self.reload()

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        ctx = self.ctx
        run_in_background(lambda: _load(ctx), self._loaded,
                          lambda exc: log.warning("conflicts: %s", exc), guard=self)

    def _loaded(self, data: _Data) -> None:
        current = self.current_conflict()
        self.data = data
        self.conflict_list.blockSignals(True)
        self.conflict_list.clear()
        for c in data.conflicts:
            entry = data.entries.get(c.client_id or "")
            what = action_name(entry.action) if entry else self.tr("Local changes")
            item = QListWidgetItem(f"{self._code(c.dossier_id)}\n{what}")
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.conflict_list.addItem(item)
        self.conflict_list.blockSignals(False)
        ids = [c.id for c in data.conflicts]
        row = ids.index(current.id) if current is not None and current.id in ids else 0
        has = bool(ids)
        self.split.setVisible(has)
        self.empty_label.setVisible(not has)
        if has:
            self.conflict_list.setCurrentRow(row)
            self._show_conflict(row)
        self._fill_rejected()
        self.retranslate_tabs()
        if self._first_load:  # open where there is something to read
            self._first_load = False
            self.tabs.setCurrentIndex(1 if data.rejected and not data.conflicts else 0)
        self.loaded.emit()

    def current_conflict(self) -> store_outbox.Conflict | None:
        row = self.conflict_list.currentRow()
        if 0 <= row < len(self.data.conflicts):
            return self.data.conflicts[row]
        return None

    # ------------------------------------------------------------------ comparison
    def _show_conflict(self, row: int) -> None:
        conflict = self.current_conflict() if row >= 0 else None
        self.compare.setRowCount(0)
        self.notes.clear()
        enabled = conflict is not None and self.ctx.engine is not None and not self.busy
        self.keep_mine_button.setEnabled(enabled)
        self.take_theirs_button.setEnabled(enabled)
        if conflict is None:
            self.explain.clear()
            return
        mine = conflict.mine if isinstance(conflict.mine, dict) else {}
        theirs = conflict.theirs if isinstance(conflict.theirs, dict) else {}
        entry = self.data.entries.get(conflict.client_id or "")
        self.explain.setText(self._explanation(entry, theirs))
        for label, left, right in self._rows(mine, theirs):
            self._add_row(label, left, right)
        self.compare.resizeRowsToContents()
        self.notes.setPlainText(self._merged_notes(
            mine, theirs, self.data.local.get(conflict.dossier_id, {})))

    def _explanation(self, entry: store_outbox.OutboxEntry | None, theirs: dict[str, Any]) -> str:
        if entry is None:
            return self.tr("Your local copy and the server's copy differ.")
        text = self.tr("Your change \u201c%1\u201d was made on version %2, but the server now "
                       "has version %3.").replace("%1", action_name(entry.action)) \
            .replace("%2", str(entry.base_version)).replace("%3", str(theirs.get("version")))
        reason = reason_text(entry.last_error_code, entry.last_error_message)
        return f"{text} {reason}".strip()

    def _rows(self, mine: dict[str, Any], theirs: dict[str, Any]) -> list[tuple[str, str, str]]:
        tz = self.ctx.calendar.tz

        def due(doc: dict[str, Any]) -> str:
            return format_datetime(parse_iso(doc.get("due_at")), tz)

        def history(doc: dict[str, Any]) -> str:
            lines = []
            for h in (doc.get("history") or [])[-HISTORY_SHOWN:]:
                when = format_datetime(parse_iso(h.get("at")), tz)
                who = h.get("actor_name") or ""
                action = str(h.get("action") or "")
                what = action_name(action)
                if what == action and h.get("content"):  # an action this version does not name
                    what = str(h["content"])
                lines.append(f"{when} {who}: {what}".strip())
            return "\n".join(lines)

        return [
            (self.tr("Status"), status_name(mine.get("status")), status_name(theirs.get("status"))),
            (self.tr("Step"), _step(mine.get("step")), _step(theirs.get("step"))),
            (self.tr("Due date"), due(mine), due(theirs)),
            (self.tr("Assignee"), str(mine.get("assignee_name") or ""),
             str(theirs.get("assignee_name") or "")),
            (self.tr("Version"), str(mine.get("version") or ""), str(theirs.get("version") or "")),
            (self.tr("Latest history"), history(mine), history(theirs)),
        ]

    def _add_row(self, label: str, left: str, right: str) -> None:
        row = self.compare.rowCount()
        self.compare.insertRow(row)
        items = [QTableWidgetItem(label), QTableWidgetItem(left), QTableWidgetItem(right)]
        differs = left != right
        for item in items:
            item.setToolTip(item.text())
            if differs:
                item.setBackground(DIFF_BRUSH)
        if differs:
            font = QFont(items[0].font())
            font.setBold(True)
            items[0].setFont(font)
            items[0].setData(Qt.ItemDataRole.UserRole, "differs")
        for col, item in enumerate(items):
            self.compare.setItem(row, col, item)

    def differing_rows(self) -> list[str]:
        """Labels of the highlighted rows (for tests)."""
        items = [self.compare.item(r, 0) for r in range(self.compare.rowCount())]
        return [i.text() for i in items
                if i is not None and i.data(Qt.ItemDataRole.UserRole) == "differs"]

    def _merged_notes(self, mine: dict[str, Any], theirs: dict[str, Any],
                      now: dict[str, Any]) -> str:
        seen: set[Any] = set()
        merged: list[tuple[str, str, str, bool]] = []
        for doc, local in ((theirs, False), (mine, True), (now, True)):
            for note in doc.get("notes") or []:
                key = note.get("client_id") or note.get("id")
                if key in seen:
                    continue
                seen.add(key)
                unsent = local and note.get("id") is None
                merged.append((str(note.get("created_at") or ""),
                               str(note.get("author_name") or ""), str(note.get("text") or ""),
                               unsent))
        tz = self.ctx.calendar.tz
        lines = []
        for at, who, text, unsent in sorted(merged):
            mark = " " + self.tr("(yours, not sent yet)") if unsent else ""
            lines.append(f"{format_datetime(parse_iso(at), tz)} {who}{mark}: {text}")
        return "\n".join(lines) or self.tr("No notes.")

    # ------------------------------------------------------------------ resolving
    def resolve(self, resolution: str) -> bool:
        """Keep mine / take theirs for the selected conflict, on the worker pool."""
        conflict, engine = self.current_conflict(), engine_of(self.ctx)
        if conflict is None or engine is None or self.busy:
            return False
        fn = operations.keep_mine if resolution == "mine" else operations.take_theirs
        self.busy = True
        self._show_conflict(self.conflict_list.currentRow())
        conflict_id = conflict.id
        Op(self, lambda: fn(engine, conflict_id)) \
            .success(lambda _d: self._resolved(conflict_id, resolution)) \
            .failure(self._resolve_failed).run()
        return True

    def _resolved(self, conflict_id: int, resolution: str) -> None:
        self.busy = False
        self.resolved.emit(conflict_id, resolution)
        self.reload()

    def _resolve_failed(self, _exc: BaseException, words: str) -> None:
        self.busy = False
        self.explain.setText(words)
        self.reload()

    # ------------------------------------------------------------------ rejected
    def _code(self, dossier_id: str) -> str:
        return self.data.codes.get(dossier_id) or self.tr("(dossier no longer on this computer)")

    def _fill_rejected(self) -> None:
        rows = self.data.rejected
        table = self.rejected_table
        table.setRowCount(len(rows))
        tz = self.ctx.calendar.tz
        for r, e in enumerate(rows):
            state = self.tr("Invalid") if e.state == "invalid" else self.tr("Rejected")
            values = [self._code(e.dossier_id), e.dossier_title or "", action_name(e.action),
                      format_datetime(parse_iso(e.created_at), tz), state,
                      reason_text(e.last_error_code, e.last_error_message)]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                item.setData(Qt.ItemDataRole.UserRole, e.client_id)
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        table.setColumnWidth(1, min(table.columnWidth(1), 260))
        table.resizeRowsToContents()
        self.export_button.setEnabled(bool(rows))
        self._update_dismiss()

    def selected_rejected(self) -> list[str]:
        """Client ids of the selected rejected changes."""
        rows = sorted({i.row() for i in self.rejected_table.selectedIndexes()})
        return [self.data.rejected[r].client_id for r in rows if r < len(self.data.rejected)]

    def _update_dismiss(self) -> None:
        self.dismiss_button.setEnabled(bool(self.selected_rejected()) and
                                       self.ctx.engine is not None and not self.busy)

    def dismiss_selected(self) -> bool:
        """Put the selected rejected changes away (read; still in the export)."""
        ids, engine = self.selected_rejected(), engine_of(self.ctx)
        if not ids or engine is None or self.busy:
            return False
        self.busy = True
        self._update_dismiss()

        def done(count: int) -> None:
            self.busy = False
            self.rejected_info.setText(self.tr("%1 changes put away. They stay in the export.")
                                       .replace("%1", str(count)))
            self.dismissed.emit(count)
            self.reload()

        def failed(_exc: BaseException, words: str) -> None:
            self.busy = False
            self.rejected_info.setText(words)
            self.reload()

        Op(self, lambda: operations.dismiss_refused(engine, ids)).success(done) \
            .failure(failed).run()
        return True

    def choose_export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export rejected changes"),
            str(Path.home() / "wfh-rejected-changes.json"), self.tr("JSON files (*.json)"))
        if path:
            self.export_rejected(Path(path))

    def export_rejected(self, path: Path) -> None:
        cache = self.ctx.cache
        Op(self, lambda: store_outbox.export_rejected(cache.reader(), path)) \
            .success(lambda n: self._exported(path, n)) \
            .failure(lambda _exc, words: self.rejected_info.setText(
                self.tr("The file could not be written: %1").replace("%1", words))).run()

    def _exported(self, path: Path, count: int) -> None:
        self.rejected_info.setText(self.tr("%1 changes exported to %2")
                                   .replace("%1", str(count)).replace("%2", str(path)))
        self.saved_notice = confirm_saved(self, path)
        self.exported.emit(str(path), count)

    # ------------------------------------------------------------------ events
    def on_event_outbox_changed(self, **_: Any) -> None:
        self.reload()

    def on_event_dossiers_changed(self, **_: Any) -> None:
        self.reload()

    # ------------------------------------------------------------------ translation
    def retranslate_tabs(self) -> None:
        self.tabs.setTabText(0, self.tr("Conflicts (%1)").replace(
            "%1", str(len(self.data.conflicts))))
        self.tabs.setTabText(1, self.tr("Rejected changes (%1)").replace(
            "%1", str(len(self.data.rejected))))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Conflicts and rejected changes"))
        self.retranslate_tabs()
        self.compare.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Your version"), self.tr("Server's version")])
        self.rejected_table.setHorizontalHeaderLabels(
            [self.tr("Dossier"), self.tr("Procedure"), self.tr("Action"), self.tr("When"),
             self.tr("State"), self.tr("Reason")])
        self.notes_label.setText(self.tr("Notes never conflict: the notes of both sides are "
                                         "kept (merged)."))
        self.keep_mine_button.setText(self.tr("&Keep mine (send again)"))
        self.take_theirs_button.setText(self.tr("&Take the server's version"))
        self.keep_mine_button.setToolTip(self.tr("Send your change again on top of the "
                                                 "server's version"))
        self.take_theirs_button.setToolTip(self.tr("Discard your change and keep the server's "
                                                   "version; it stays listed as rejected"))
        self.export_button.setText(self.tr("&Export…"))
        self.dismiss_button.setText(self.tr("&Dismiss the selected"))
        self.dismiss_button.setToolTip(self.tr("You have read them: they leave this list and "
                                               "the warnings, and stay in the export"))
        self.empty_label.setText(self.tr("No conflicts: everything you changed agrees with "
                                         "the server."))
        self.rejected_info.setText(self.tr("Changes the server will never accept. They are "
                                           "kept here so nothing is lost silently; export them "
                                           "to redo them another way."))
        close = self.close_buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Close"))
        if self.data.conflicts:
            self._show_conflict(self.conflict_list.currentRow())
        self._fill_rejected()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
