"""The dossier list view: a QTableView over the lazy model that keeps the selection.

It listens (through the bridge) to ``dossiers.changed`` and ``outbox.changed``; bursts of
events during a sync are coalesced into one refresh (:data:`REFRESH_DELAY_MS`), and while the
view is hidden (window in the tray) the bridge defers them until it is shown again. Every
refresh keeps the selected dossiers, the current one and the scroll position. Double-click or
Enter emits :attr:`DossierListView.open_requested` with the dossier id (the detail view plugs
in there).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from wfh_client.ui.models.dossier_query import DossierFilter
from wfh_client.ui.models.dossier_table import COLUMNS, DossierTableModel

__all__ = ["REFRESH_DELAY_MS", "DossierListView"]

REFRESH_DELAY_MS = 150
_WIDTHS = {"code": 205, "procedure": 290, "applicant": 170, "received": 90, "due": 140,
           "remaining": 175, "status": 160, "sync": 130}


class DossierListView(QTableView):
    open_requested = Signal(str)
    # the row count after each refresh
    refreshed = Signal(int)

    def __init__(self, model: DossierTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dossierList")
        self.setModel(model)
        self.dossiers = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view never measures 100,000 rows.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for i, key in enumerate(COLUMNS):
            self.setColumnWidth(i, _WIDTHS[key])
        header.setSortIndicator(model.sort_column, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(lambda: self.refresh(reload=True))
        self.doubleClicked.connect(self._open_index)
        model.refreshed.connect(self.refreshed)

    # --------------------------------------------------------------------- refresh
    def apply_filter(self, f: DossierFilter) -> None:
        """A new search/filter: keep the selection where it survives, scroll to the top."""
        self._keeping_selection(lambda: self.dossiers.set_filter(f), keep_scroll=False)

    def refresh(self, *, reload: bool = True) -> None:
        """The data changed: re-query, keeping selection, current row and scroll position."""
        self._refresh_timer.stop()
        self._keeping_selection(lambda: self.dossiers.refresh(reload=reload), keep_scroll=True)

    def schedule_refresh(self) -> None:
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def on_event_dossiers_changed(self, **_: Any) -> None:
        self.schedule_refresh()

    def on_event_outbox_changed(self, **_: Any) -> None:
        self.schedule_refresh()

    def _keeping_selection(self, change: Any, *, keep_scroll: bool) -> None:
        model = self.dossiers
        selected = [model.rid_at(i.row()) for i in self.selectionModel().selectedRows()]
        current = model.rid_at(self.currentIndex().row()) if self.currentIndex().isValid() \
            else None
        scroll = self.verticalScrollBar().value()
        change()
        selection = QItemSelection()
        for rid in selected:
            row = model.row_of(rid) if rid is not None else None
            if row is not None:
                selection.select(model.index(row, 0), model.index(row, len(COLUMNS) - 1))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.selectionModel().select(selection, flags)
        current_row = model.row_of(current) if current is not None else None
        if current_row is not None:
            self.selectionModel().setCurrentIndex(
                model.index(current_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        if keep_scroll:
            self.verticalScrollBar().setValue(scroll)
        elif current_row is not None:
            self.scrollTo(model.index(current_row, 0))
        else:
            self.scrollToTop()

    # ---------------------------------------------------------------------- access
    def selected_dossier_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.selectionModel().selectedRows())
        return [d for d in (self.dossiers.dossier_id_at(r) for r in rows) if d is not None]

    def current_dossier_id(self) -> str | None:
        index = self.currentIndex()
        return self.dossiers.dossier_id_at(index.row()) if index.isValid() else None

    def select_dossier(self, dossier_id: str) -> bool:
        """Select ``dossier_id`` if it is in the list (reads rows until found: tests/tools)."""
        for row in range(self.dossiers.rowCount()):
            if self.dossiers.dossier_id_at(row) == dossier_id:
                self.selectRow(row)
                return True
        return False

    def _open_index(self, index: QModelIndex) -> None:
        dossier_id = self.dossiers.dossier_id_at(index.row())
        if dossier_id is not None:
            self.open_requested.emit(dossier_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open_index(self.currentIndex())
            return
        super().keyPressEvent(event)
