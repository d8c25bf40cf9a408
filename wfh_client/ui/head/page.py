"""The base of the department window's pages: background reloads driven by the bridge.

A :class:`HeadPage` reads its data on the worker pool (:meth:`HeadPage.read`, no Qt) and shows
it on the GUI thread (:meth:`HeadPage.show_data`); :meth:`HeadPage.reload` does both and emits
:attr:`HeadPage.loaded`. ``dossiers.changed`` / ``outbox.changed`` / ``sync.finished`` schedule
one coalesced reload (the bridge defers them while the page is hidden, e.g. on another tab).
:func:`table_view` builds the pages' row-selecting, sortable table views.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from wfh_client.ui.context import AppContext
from wfh_client.ui.head.common import DossierIdRole, RowsModel
from wfh_client.ui.operation import Op

__all__ = ["HeadPage", "id_at", "selected_ids", "table_view"]

RELOAD_DELAY_MS = 200


def table_view(model: RowsModel, parent: QWidget, *, multi: bool = False,
               widths: dict[str, int] | None = None) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                          else QAbstractItemView.SelectionMode.SingleSelection)
    # No sort column until the user clicks a header: rows keep the order they were read in
    # (most urgent first); Qt would otherwise sort by column 0, descending.
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setHighlightSections(False)
    for i, key in enumerate(model.COLUMNS):
        if widths and key in widths:
            view.setColumnWidth(i, widths[key])
    return view


def selected_ids(view: QTableView) -> list[str]:
    rows = sorted(i.row() for i in view.selectionModel().selectedRows())
    model = view.model()
    ids = [model.index(r, 0).data(DossierIdRole) for r in rows]
    return [str(i) for i in ids if i]


def id_at(index: QModelIndex) -> str | None:
    value = index.siblingAtColumn(0).data(DossierIdRole) if index.isValid() else None
    return None if value is None else str(value)


class HeadPage(QWidget):
    """See the module docstring."""

    loaded = Signal()
    open_requested = Signal(str)  # dossier id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loads = 0  # finished reloads (tests)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)

    # ----------------------------------------------------------------- for subclasses
    def read(self) -> Any:
        """Runs on a worker thread: return what :meth:`show_data` shows."""
        return None

    def show_data(self, data: Any) -> None:
        """Runs on the GUI thread with what :meth:`read` returned."""

    def retranslate_ui(self) -> None:
        """Texts of the page (called at construction and on a language change)."""

    # ------------------------------------------------------------------------ reload
    def reload(self) -> None:
        self._reload_timer.stop()
        Op(self, self.read).success(self._done) \
            .failure(lambda _exc, words: self.show_error(words)).run()

    def schedule_reload(self) -> None:
        if not self._reload_timer.isActive():
            self._reload_timer.start()

    def _done(self, data: Any) -> None:
        self.show_data(data)
        self.loads += 1
        self.loaded.emit()

    def show_error(self, text: str) -> None:
        """Subclasses show ``text`` where they show their status."""

    def open_index(self, index: QModelIndex) -> None:
        dossier_id = id_at(index)
        if dossier_id:
            self.open_requested.emit(dossier_id)

    # ------------------------------------------------------------------------ events
    def on_event_dossiers_changed(self, **_: Any) -> None:
        self.schedule_reload()

    def on_event_outbox_changed(self, **_: Any) -> None:
        self.schedule_reload()

    def on_event_sync_finished(self, **_: Any) -> None:
        self.schedule_reload()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

