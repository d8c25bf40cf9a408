"""Assign (or reassign) one or many dossiers to an officer, seeing each officer's load.

:class:`BulkAssignDialog` lists the department's officers with their open dossiers, those due
within 3 working days, the overdue ones, and whether they are on leave or checked in recently:
live from ``GET /api/v1/team/load`` (worker pool) when the server answers, else from the head's
cache (``store.board.officer_load``; leave and check-ins shown as unknown). On OK it validates
the assignment of every dossier with the domain, then records one ``assign`` action per dossier
through :func:`wfh_client.sync.operations.record_action` on the worker pool (optimistic local
result + outbox entry; works offline). :attr:`BulkAssignDialog.recorded` carries the entries.

The single-dossier :class:`~wfh_client.ui.dialogs.assign.AssignDialog` (dossier menu, detail
window) stays as it is; the queue and the board use this one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wfh_client.domain import ActionError, ActionType, validate_action
from wfh_client.store.outbox import OutboxEntry
from wfh_client.sync.operations import record_action
from wfh_client.ui.context import AppContext
from wfh_client.ui.dialogs.common import (
    engine_of,
    load_document,
    local_profile,
    reason_text,
    state_of,
    submit_on_ctrl_enter,
)
from wfh_client.ui.head.data import Officers, officer_choices
from wfh_client.ui.head.models import OfficerModel
from wfh_client.ui.i18n import format_datetime, parse_iso
from wfh_client.ui.messages import describe_error
from wfh_client.ui.operation import Op

__all__ = ["BulkAssignDialog"]

_ERROR = "color: #b3261e;"
_HINT = "color: palette(mid);"


class BulkAssignDialog(QDialog):
    recorded = Signal(object)  # list[OutboxEntry]
    loaded = Signal(bool)  # True: live team load from the server

    def __init__(self, ctx: AppContext, dossier_ids: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dossier_ids = list(dict.fromkeys(dossier_ids))
        self.docs = {i: load_document(ctx, i) or {} for i in self.dossier_ids}
        self.entries: list[OutboxEntry] = []
        self.officers: Officers | None = None
        self._busy = False
        self.setObjectName("bulkAssignDialog")
        self.setMinimumSize(720, 420)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.intro)
        self.model = OfficerModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("officerLoad")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((0, 100, 130, 90, 100, 120)):
            if width:
                self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.revalidate())
        self.table.doubleClicked.connect(lambda _i: self.accept())
        layout.addWidget(self.table, 1)
        self.source = QLabel(self)
        self.source.setObjectName("loadSource")
        self.source.setWordWrap(True)
        self.source.setStyleSheet(_HINT)
        layout.addWidget(self.source)
        self.reason = QLabel(self)
        self.reason.setObjectName("assignReason")
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        submit_on_ctrl_enter(self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        self.source.setText(self.tr("Loading the officers' workload…"))
        self.revalidate()
        self._load()

    # ----------------------------------------------------------------------- texts
    def retranslate_ui(self) -> None:
        n = len(self.dossier_ids)
        self.setWindowTitle(self.tr("Assign %n dossier(s)", "", n))
        codes = [str(self.docs[i].get("code") or i) for i in self.dossier_ids]
        shown = ", ".join(codes[:6]) + (" …" if len(codes) > 6 else "")
        self.intro.setText(self.tr("Choose the officer for %n dossier(s): %1", "", n)
                           .replace("%1", shown))
        self.ok_button.setText(self.tr("Assign"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))

    # ------------------------------------------------------------------------ load
    def _load(self) -> None:
        engine = engine_of(self.ctx)
        cache, calendar, now = self.ctx.cache, self.ctx.calendar, self.ctx.clock()
        Op(self, lambda: officer_choices(engine, cache.reader, calendar, now)) \
            .success(self.show_officers).failure(self._load_failed).run()

    def show_officers(self, officers: Officers) -> None:
        """Show ``officers`` (also used by the screenshots with a prepared team load)."""
        self.officers = officers
        current = {d.get("assignee_id") for d in self.docs.values()}
        self.model.set_rows(officers.choices)
        if officers.live:
            when = format_datetime(parse_iso(officers.generated_at), self.ctx.calendar.tz)
            self.source.setText(self.tr("Live workload from the server (%1).").replace("%1", when)
                                if when else self.tr("Live workload from the server."))
        else:
            self.source.setText(self.tr(
                "Offline: workload counted from the dossiers on this computer; leave and "
                "check-ins are unknown."))
        if len(current) == 1:
            self.select_officer(next(iter(current)))
        self.revalidate()
        self.loaded.emit(officers.live)

    def _load_failed(self, _exc: BaseException, words: str) -> None:
        self.source.setText(self.tr("The officers could not be read: %1").replace("%1", words))

    def select_officer(self, user_id: Any) -> bool:
        for row, choice in enumerate(self.model.rows()):
            if choice.user_id == user_id:
                self.table.selectionModel().select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                self.table.setCurrentIndex(self.model.index(row, 0))
                return True
        return False

    def chosen(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    # ------------------------------------------------------------------ validation
    def validation_error(self) -> ActionError | None:
        profile = local_profile(self.ctx)
        if profile is None or engine_of(self.ctx) is None:
            return ActionError("not_signed_in", "Not signed in.")
        choice = self.chosen()
        if choice is None:
            return ActionError("assignee_id_required", "Choose an officer.")
        for dossier_id in self.dossier_ids:
            state = state_of(self.docs[dossier_id])
            if state is None:
                return ActionError("bad_document", "The cached dossier cannot be read.")
            try:
                validate_action(ActionType.ASSIGN, {"assignee_id": choice.user_id}, state,
                                profile.actor, profile.calendar, self.ctx.clock())
            except ActionError as err:
                code = self.docs[dossier_id].get("code") or dossier_id
                return ActionError(err.code, f"{code}: {err.message}")
        return None

    def revalidate(self) -> None:
        err = self.validation_error()
        self.ok_button.setEnabled(err is None and not self._busy and bool(self.dossier_ids))
        if err is None:
            self.reason.clear()
            choice = self.chosen()
            if choice is not None and choice.on_leave_now:
                self.reason.setStyleSheet(_ERROR)
                self.reason.setText(self.tr("%1 is on leave now.").replace("%1", choice.full_name))
            return
        self.reason.setStyleSheet(_HINT if err.code.endswith("_required") else _ERROR)
        text = reason_text(err)
        if len(self.dossier_ids) > 1 and not err.code.endswith("_required") \
                and err.code not in ("not_signed_in", "bad_document"):
            text = f"{err.message.split(':', 1)[0]}: {text}"
        self.reason.setText(text)

    # ---------------------------------------------------------------------- record
    def accept(self) -> None:
        if self._busy:
            return
        self.revalidate()
        engine = engine_of(self.ctx)
        choice = self.chosen()
        if engine is None or choice is None or not self.ok_button.isEnabled():
            return
        self._busy = True
        self.ok_button.setEnabled(False)
        self.setCursor(Qt.CursorShape.BusyCursor)
        ids, when, payload = list(self.dossier_ids), self.ctx.clock(), {"assignee_id": choice.user_id}

        def record_all() -> tuple[list[OutboxEntry], list[tuple[str, BaseException]]]:
            done: list[OutboxEntry] = []
            failed: list[tuple[str, BaseException]] = []
            for dossier_id in ids:  # one action per dossier; one failure does not stop the rest
                try:
                    done.append(record_action(engine, dossier_id, ActionType.ASSIGN.value,
                                              payload, now=when))
                except (ActionError, KeyError) as exc:
                    failed.append((dossier_id, exc))
            return done, failed

        Op(self, record_all).success(self._recorded).failure(self._failed).run()

    def _recorded(self, result: tuple[list[OutboxEntry],
                                      list[tuple[str, BaseException]]]) -> None:
        entries, failed = result
        self._busy = False
        self.unsetCursor()
        self.entries.extend(entries)
        if entries:
            self.recorded.emit(entries)
        if not failed:
            super().accept()
            return
        # Keep only what is still to do, and say why it failed.
        self.dossier_ids = [d for d, _e in failed]
        self.retranslate_ui()
        dossier_id, exc = failed[0]
        code = self.docs[dossier_id].get("code") or dossier_id
        why = describe_error(exc)  # the domain's reason, or "no longer on this computer"
        self.reason.setStyleSheet(_ERROR)
        self.reason.setText(self.tr("%n dossier(s) could not be assigned", "", len(failed))
                            + f" — {code}: {why}")

    def _failed(self, exc: BaseException, words: str) -> None:
        self._busy = False
        self.unsetCursor()
        self.reason.setStyleSheet(_ERROR)
        self.reason.setText(words if isinstance(exc, ActionError) else
                            self.tr("The assignment could not be recorded: %1")
                            .replace("%1", words))
        self.ok_button.setEnabled(True)
