"""The dossier list view: a QTableView over the lazy model that keeps the selection.

It listens (through the bridge) to ``dossiers.changed`` and ``outbox.changed``; bursts of
events during a sync are coalesced into one refresh (:data:`REFRESH_DELAY_MS`), and while the
view is hidden (window in the tray) the bridge defers them until it is shown again. Every
refresh keeps the selected dossiers, the current one and the scroll position. Double-click or
Enter emits :attr:`DossierListView.open_requested` with the dossier id (the detail view plugs
in there).

Rows are selected and drawn whole (no per-cell focus frame). An empty list says why and offers
the way out (:attr:`DossierListView.clear_requested` when filters hide everything,
:attr:`DossierListView.sync_requested` when nothing was downloaded yet,
:attr:`DossierListView.view_requested` to show the closed ones). A right-click on the
header chooses the columns; :meth:`save_layout` / :meth:`restore_layout` keep the columns'
order, widths and visibility (the main window stores them per user).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from wfh_client.store.listing import DossierFilter
from wfh_client.ui.models.dossier_table import COLUMNS, DossierCells, DossierTableModel

__all__ = ["REFRESH_DELAY_MS", "DossierListView"]

REFRESH_DELAY_MS = 150
_WIDTHS = {"code": 205, "procedure": 290, "applicant": 170, "received": 90, "due": 140,
           "remaining": 150, "status": 140, "step": 190, "sync": 120}
_ALWAYS_SHOWN = ("code",)  # a row must say which dossier it is
_HAS_FOCUS = QStyle.StateFlag.State_HasFocus
_WITHOUT_FOCUS = ~QStyle.StateFlag.State_HasFocus


class _RowDelegate(QStyledItemDelegate):
    """Draws cells without the per-cell focus frame: the row is one thing.

    Only the current row can have the focus frame, so the view gives this delegate to that
    row alone (:meth:`DossierListView._follow_current`); every other cell is drawn by Qt's own
    delegate without a call into Python."""

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if option.state & _HAS_FOCUS:  # one cell at most: the enum operations cost per cell
            option.state &= _WITHOUT_FOCUS


class DossierListView(QTableView):
    open_requested = Signal(str)
    # the row count after each refresh
    refreshed = Signal(int)
    # the empty state's way out: clear the filters / sync now
    clear_requested = Signal()
    sync_requested = Signal()
    view_requested = Signal(str)  # "all": show the closed ones too

    def __init__(self, model: DossierTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dossierList")
        # Qt paints from the cells of the rows on screen (see DossierCells); row i of the
        # view is row i of ``model``, which answers everything else
        self.cells = DossierCells(model, self)
        self.setModel(self.cells)
        self.dossiers = model
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Qt's delegate lays each cell's text out three times per paint (size, elision, draw);
        # HarfBuzz shaping was half of a screen's 20-25 ms. Vietnamese in composed form (the
        # cells are NFC) needs no shaping: glyphs come from the font's character map. Scripts
        # that require shaping are still shaped (Qt decides per script run).
        font = self.font()
        font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
        self.setFont(font)
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
        if model.sort_column < 0:  # the urgency order: no column's arrow
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        # the focus frame is only ever on the current row: only it needs the Python delegate
        self._focus_delegate = _RowDelegate(self)
        self._focus_row = -1
        self.selectionModel().currentRowChanged.connect(lambda *_: self._follow_current())
        self.cells.modelReset.connect(self._follow_current)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.show_column_menu)
        self.column_menu: QMenu | None = None
        self.filtered = False  # the list is narrowed by a filter (for the empty state)
        self.empty_label = QLabel(self.viewport())
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.RichText)
        self.empty_label.linkActivated.connect(self._empty_link)
        self.empty_label.hide()
        self.viewport().installEventFilter(self)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(lambda: self.refresh(reload=True))
        self.doubleClicked.connect(self._open_index)
        model.refreshed.connect(self.refreshed)
        model.refreshed.connect(lambda _n: self._update_empty())

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # the rows about to be painted (or asked for a tooltip) get their cells first
        if event.type() in (QEvent.Type.Paint, QEvent.Type.ToolTip):
            self.fill_shown()
        return super().viewportEvent(event)

    def fill_shown(self) -> None:
        """Give the rows on screen their cells (:meth:`DossierCells.fill`)."""
        rows = self.cells.rowCount()
        if rows:
            first = self.rowAt(0)
            last = self.rowAt(self.viewport().height() - 1)
            self.cells.fill(max(first, 0), last if last >= 0 else rows - 1)

    # Callers may still hand in an index of the dossier model (row i there is row i here).
    def _own(self, index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        if index.isValid() and (index.model() is self.dossiers or index.model() is self.cells):
            return self.cells.index(index.row(), index.column())
        return index if isinstance(index, QModelIndex) else QModelIndex()

    def setCurrentIndex(self, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        super().setCurrentIndex(self._own(index))

    def scrollTo(self, index: QModelIndex | QPersistentModelIndex,  # noqa: N802 - Qt API
                 hint: QAbstractItemView.ScrollHint =
                 QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        super().scrollTo(self._own(index), hint)

    def visualRect(self, index: QModelIndex | QPersistentModelIndex) -> QRect:  # noqa: N802
        return super().visualRect(self._own(index))

    def currentChanged(self, current: QModelIndex | QPersistentModelIndex,  # noqa: N802
                       previous: QModelIndex | QPersistentModelIndex) -> None:
        # the new current row may be off screen yet; accessibility reads it now
        if current.isValid():
            self.cells.fill(current.row(), current.row())
        super().currentChanged(current, previous)

    def _follow_current(self) -> None:
        """Give the frameless delegate to the current row (and take it from the last one)."""
        current = self.currentIndex()
        row = current.row() if current.isValid() else -1
        if row == self._focus_row:
            return
        if self._focus_row >= 0:
            self.setItemDelegateForRow(self._focus_row, None)  # type: ignore[arg-type]
        if row >= 0:
            self.setItemDelegateForRow(row, self._focus_delegate)
        self._focus_row = row

    # --------------------------------------------------------------------- refresh
    def apply_filter(self, f: DossierFilter, *, narrowed: bool | None = None) -> None:
        """A new search/filter: keep the selection where it survives, scroll to the top.
        ``narrowed``: whether the user narrowed the list (the empty state offers to clear)."""
        self.filtered = (f.text.strip() != "" or bool(f.statuses) or f.field is not None
                         or f.due != "any" or f.unsent or f.conflict or f.view == "todo") \
            if narrowed is None else narrowed
        self._keeping_selection(lambda: self.dossiers.set_filter(f), keep_scroll=False)

    # ---------------------------------------------------------------- empty state
    def _update_empty(self) -> None:
        if self.dossiers.rowCount():
            self.empty_label.hide()
            return
        if self.filtered or self.dossiers.filter.view not in ("all", "open"):
            text = self.tr("No dossiers found — <a href=\"clear\">Clear the filters</a>")
        elif self.dossiers.filter.view == "open":
            text = self.tr("No dossiers in progress — <a href=\"all\">Show all dossiers</a> or "
                           "<a href=\"sync\">sync now</a> (F5)")
        else:
            text = self.tr("No dossiers on this computer yet — <a href=\"sync\">Sync now</a> (F5)")
        self.empty_label.setText(text)
        self._place_empty()
        self.empty_label.show()

    def _place_empty(self) -> None:
        area = self.viewport().rect()
        self.empty_label.setGeometry(area.adjusted(24, 24, -24, -area.height() // 2))

    def _empty_link(self, link: str) -> None:
        if link == "sync":
            self.sync_requested.emit()
        elif link == "all":
            self.view_requested.emit("all")
        else:
            self.clear_requested.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.viewport() and event.type() == QEvent.Type.Resize \
                and self.empty_label.isVisible():
            self._place_empty()
        return super().eventFilter(watched, event)

    # ---------------------------------------------------------------- columns
    def show_column_menu(self, pos: QPoint) -> QMenu:
        """The header's menu: which columns to show (the code column always stays)."""
        header = self.horizontalHeader()
        menu = QMenu(self)
        for section, key in enumerate(COLUMNS):
            action = menu.addAction(self.dossiers.column_title(section))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(section))
            action.setEnabled(key not in _ALWAYS_SHOWN)
            action.setData(section)
            action.toggled.connect(lambda on, s=section: header.setSectionHidden(s, not on))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.column_menu = menu
        menu.popup(header.mapToGlobal(pos))
        return menu

    def save_layout(self) -> QByteArray:
        """The columns' order, widths and visibility (QHeaderView state)."""
        return self.horizontalHeader().saveState()

    def restore_layout(self, state: QByteArray | bytes) -> bool:
        header = self.horizontalHeader()
        done = header.restoreState(QByteArray(state))
        if done and header.count() != len(COLUMNS):  # a layout from another version
            return False
        for key in _ALWAYS_SHOWN:
            header.setSectionHidden(COLUMNS.index(key), False)
        if self.dossiers.sort_column < 0:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        return bool(done)

    # ---------------------------------------------------------------- keyboard
    def focus_rows(self) -> None:
        """From the search box: into the rows, on the current one (the first if none)."""
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        current = self.currentIndex()
        if not current.isValid() and self.dossiers.rowCount():
            current = self.cells.index(0, 0)
        if current.isValid() and not self.selectionModel().isRowSelected(current.row()):
            self.selectionModel().setCurrentIndex(
                current, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    def refresh(self, *, reload: bool = True) -> None:
        """The data changed: re-query, keeping selection, current row and scroll position."""
        self._refresh_timer.stop()
        self._keeping_selection(lambda: self.dossiers.refresh(reload=reload), keep_scroll=True)

    def changing(self, change: Any) -> None:
        """Run ``change()`` (anything that re-queries the model) keeping the selection."""
        self._keeping_selection(change, keep_scroll=True)

    def schedule_refresh(self) -> None:
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def on_event_dossiers_changed(self, **_: Any) -> None:
        self.schedule_refresh()

    def on_event_outbox_changed(self, **_: Any) -> None:
        self.schedule_refresh()

    def on_event_dossiers_seen(self, **_: Any) -> None:
        self.schedule_refresh()  # an unread row was opened

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
                selection.select(self.cells.index(row, 0),
                                 self.cells.index(row, len(COLUMNS) - 1))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.selectionModel().select(selection, flags)
        current_row = model.row_of(current) if current is not None else None
        if current_row is not None:
            self.selectionModel().setCurrentIndex(
                self.cells.index(current_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        if keep_scroll:
            self.verticalScrollBar().setValue(scroll)
        elif current_row is not None:
            self.scrollTo(self.cells.index(current_row, 0))
        else:
            self.scrollToTop()

    # ---------------------------------------------------------------------- access
    def selected_dossier_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.selectionModel().selectedRows())
        return [d for d in (self.dossiers.dossier_id_at(r) for r in rows) if d is not None]

    def current_dossier_id(self) -> str | None:
        index = self.currentIndex()
        return self.dossiers.dossier_id_at(index.row()) if index.isValid() else None

    def _open_index(self, index: QModelIndex) -> None:
        dossier_id = self.dossiers.dossier_id_at(index.row())
        if dossier_id is not None:
            self.open_requested.emit(dossier_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open_index(self.currentIndex())
            return
        super().keyPressEvent(event)
