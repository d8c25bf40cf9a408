"""The dossier list as a lazy Qt table model over the SQLite cache (Anki's browser model).

The ``rid`` of every matching dossier in display order comes from index-only SQL
(:mod:`wfh_client.store.listing`: the sort column's index gives the order, cached per sort key until the
data changes; each filter - FTS search, status, field, deadline, outbox - is a set of rids). Row data is fetched only when
``data()`` asks for it, in blocks of :attr:`DossierTableModel.BLOCK` rows kept in a small LRU,
so a view over 100,000 dossiers touches a few hundred rows; a block keeps the raw SQL rows and a
:class:`Row` is built when one is first shown. The first use of a row computes every column's
``{role: value}`` (:meth:`DossierTableModel.cells_at`); ``data()`` answers from them with two
dict lookups, and the list view paints from :class:`DossierCells`, which copies them for the
rows on screen into Qt items so that Qt's 7 look-ups per painted cell never call into Python.
A search matching more than a few hundred dossiers orders its rids only as far as they are read
(:class:`_FilteredIds`). The remaining working time is
computed with the domain's :class:`WorkingCalendar` only for rows being shown; a dossier waiting
for the applicant's documents reads "paused". The default order is ``urgency`` (running
dossiers first, by due instant). The step column says whose turn it is ("waiting for the head's
approval"); a row someone else changed since the user last opened it is bold with a dot
(:class:`~wfh_client.store.listing.Viewer`).

:meth:`refresh` re-runs the query (after a filter change, a sort, or a ``dossiers.changed`` /
``outbox.changed`` event - see :class:`~wfh_client.ui.views.dossier_list.DossierListView`,
which also keeps the selection). :meth:`tick` moves "now" forward for the deadline colours.
"""

from __future__ import annotations

import logging
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import Any, overload

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.deadlines import clock_running
from wfh_client.domain.statuses import Status
from wfh_client.store import Cache
from wfh_client.store.listing import (
    SORT_SQL,
    DossierFilter,
    Thresholds,
    Viewer,
    apply_filter,
    data_version,
    fetch_rows,
    filter_rids,
    ordered_ids,
    sort_indexes,
)
from wfh_client.ui.detail.labels import progress_text
from wfh_client.ui.i18n import (
    format_date,
    format_datetime,
    format_remaining,
    parse_iso,
    status_name,
    sync_state_name,
)
from wfh_client.ui.icons import icon
from wfh_client.ui.ops import run_in_background

log = logging.getLogger(__name__)

__all__ = ["COLUMNS", "DossierCells", "DossierIdRole", "DossierTableModel", "Row",
           "UrgencyRole"]

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("code", "procedure", "applicant", "received", "due", "remaining", "status", "step",
           "sync")
DossierIdRole = Qt.ItemDataRole.UserRole + 1
UrgencyRole = Qt.ItemDataRole.UserRole + 2  # "overdue" | "soon" | ""

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ID, _URGENCY = int(DossierIdRole), int(UrgencyRole)
_OVERDUE_BG, _OVERDUE_FG = QColor("#fde0dc"), QColor("#8e1b10")
_SOON_BG, _SOON_FG = QColor("#fff3cd"), QColor("#6d4c00")
_STATE_FG = {"conflict": QColor("#b34700"), "rejected": QColor("#b00020")}
_fonts: dict[str, QFont] = {}


def _bold() -> QFont:
    """A bold font for unread rows (made once, after the QApplication exists)."""
    if "bold" not in _fonts:
        font = QFont()
        font.setBold(True)
        _fonts["bold"] = font
    return _fonts["bold"]


class Row:
    """One fetched row: raw values plus display strings computed once."""

    __slots__ = ("assignee_id", "code", "due", "due_text", "id", "procedure", "applicant",
                 "received_text", "remaining_text", "rid", "status", "status_text", "step",
                 "step_text", "sync_state", "sync_text", "unread", "urgency")

    def __init__(self, raw: tuple[Any, ...], th: Thresholds, cal: WorkingCalendar,
                 names: dict[Any, str] | None = None) -> None:
        (self.rid, self.id, self.code, self.procedure, _field, self.applicant, received,
         due_at, self.status, self.sync_state, self.step, self.assignee_id, unread) = raw
        self.unread = bool(unread)
        # the translated words repeat from row to row: ``names`` (the model's, emptied when
        # the language changes) keeps them, so a row costs no catalogue look-ups
        names = {} if names is None else names
        key: Any = ("step", self.status, self.step)
        if key not in names:
            names[key] = progress_text(self.status, self.step)
        self.step_text = names[key]
        if self.status not in names:
            names[self.status] = status_name(self.status)
        self.status_text = names[self.status]
        key = ("sync", self.sync_state)
        if key not in names:
            names[key] = sync_state_name(self.sync_state)
        self.sync_text = names[key]
        self.due = parse_iso(due_at)
        self.received_text = format_date(parse_iso(received), cal.tz)
        self.due_text = format_datetime(self.due, cal.tz)
        self.remaining_text: str | None = None
        self.urgency = ""
        if due_at and clock_running(self.status):
            if due_at < th.now:
                self.urgency = "overdue"
            elif due_at <= th.soon:
                self.urgency = "soon"


class _FilteredIds:
    """``ordered`` restricted to ``keep`` (reversed if ``descending``), built only as far as
    it is read: a search matching 60,000 of 100,000 dossiers shows its first rows after a
    scan of a few hundred rids instead of all 100,000 (~13 ms per keystroke), one matching
    8,000 after a few thousand instead of sorting them (~9 ms). ``keep`` must be a subset of
    ``ordered`` (its size is the length)."""

    def __init__(self, ordered: list[int], keep: set[int], descending: bool) -> None:
        self._rest: Iterator[int] = (r for r in (reversed(ordered) if descending else ordered)
                                     if r in keep)
        self._done: list[int] = []
        self._length = len(keep)

    def __len__(self) -> int:
        return self._length

    def _upto(self, end: int) -> list[int]:
        done = self._done
        if len(done) < end:
            done.extend(islice(self._rest, end - len(done)))
        return done

    @overload
    def __getitem__(self, key: int) -> int: ...

    @overload
    def __getitem__(self, key: slice) -> list[int]: ...

    def __getitem__(self, key: int | slice) -> int | list[int]:
        if isinstance(key, slice):
            start, stop, step = key.indices(self._length)
            return self._upto(stop)[start:stop:step]
        if key < 0:
            key += self._length
        if not 0 <= key < self._length:
            raise IndexError(key)
        return self._upto(key + 1)[key]

    def __iter__(self) -> Iterator[int]:
        return iter(self._upto(self._length))


class DossierTableModel(QAbstractTableModel):
    """Lazy, SQL-sorted model of the cached dossiers; see the module docstring."""

    BLOCK = 64  # about two screens of rows: a keystroke builds only what it can show
    # A result smaller than 1/SORT_BELOW of the order (under ~800 of 100,000) is sorted by
    # position; a larger one is walked lazily (_FilteredIds): its first block lies on average
    # within BLOCK * SORT_BELOW rids of the start, where sorting 8,000 rids took ~9 ms.
    SORT_BELOW = 128
    MAX_BLOCKS = 32
    # emitted after every refresh (filter, sort or data change) with the new row count
    refreshed = Signal(int)
    # True while a slow sort runs in the background, False when it is done
    busy = Signal(bool)

    def __init__(self, cache: Cache, calendar: WorkingCalendar, parent: QObject | None = None,
                 *, clock: Callable[[], datetime] | None = None,
                 viewer: Viewer | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.calendar = calendar
        self.viewer = viewer
        self._clock = clock or (lambda: datetime.now(UTC))
        self._filter = DossierFilter()
        self._sort_key, self._descending = "urgency", False
        self._ids: list[int] | _FilteredIds = []
        self._every: dict[str, set[int]] = {}  # sort key -> the set of its order's rids
        self._ordered: dict[str, list[int]] = {}  # sort key -> every rid, ascending
        # sort key -> the reader's data_version just before its order was read here
        self._versions: dict[str, int] = {}
        self._positions: dict[str, dict[int, int]] = {}  # sort key -> rid -> index
        # the view's rids and the numbers searched (store.fts.NumberIndex), until the data changes
        self._memo: dict[Any, Any] = {}
        self._indexes = sort_indexes(cache.reader())
        self._row_of: dict[int, int] | None = None
        # a block holds the raw SQL rows; each becomes a Row when first asked for
        self._blocks: OrderedDict[int, list[Row | tuple[Any, ...] | None]] = OrderedDict()
        self._names: dict[Any, str] = {}  # translated statuses, steps, sync states (see Row)
        # row number -> per column {role: value}: what data() answers from (see _cells)
        self._cell_rows: dict[int, tuple[dict[int, Any], ...]] = {}
        self.rows_fetched = 0  # rows read from SQLite since the last refresh (tests, bench)
        # due instant -> its "time left" text at ``_now`` (emptied when ``_now`` moves): the
        # rows of a screen often share a deadline, and the working-time sum is the row's
        # costliest cell
        self._left: dict[datetime, str] = {}
        self._now = self._clock()
        self.thresholds = Thresholds.compute(calendar, self._now)
        self.refresh()

    # --------------------------------------------------------------------- querying
    @property
    def filter(self) -> DossierFilter:
        return self._filter

    def set_filter(self, f: DossierFilter) -> None:
        if f != self._filter:
            self._filter = f
            self.refresh()

    def refresh(self, *, reload: bool = False) -> None:
        """Re-apply the filter; ``reload=True`` after the data changed (re-reads the order)."""
        db = self.cache.reader()
        if reload:
            self._ordered.clear()
            self._versions.clear()
            self._positions.clear()
            self._every.clear()
            self._memo.clear()
            self._indexes = sort_indexes(db)  # a first sync builds some only at its end
        self._now = self._clock()
        self._left.clear()
        self.thresholds = Thresholds.compute(self.calendar, self._now)
        ordered = self._ordered.get(self._sort_key)
        if ordered is None:
            self._versions[self._sort_key] = data_version(db)
            ordered = self._ordered[self._sort_key] = ordered_ids(db, self._sort_key,
                                                                  self._indexes)
        keep = filter_rids(db, self._filter, self.thresholds, self.viewer, self._memo)
        positions = None
        if keep is not None and len(keep) * self.SORT_BELOW < len(ordered):
            positions = self._positions.get(self._sort_key)
            if positions is None:
                positions = self._positions[self._sort_key] = {
                    r: i for i, r in enumerate(ordered)}
        ids: list[int] | _FilteredIds
        if keep is None or positions is not None:
            ids = apply_filter(ordered, keep, self._descending, positions)
        else:  # more matches: the view shows the first ones, found after a few hundred rids
            every = self._every.get(self._sort_key)
            if every is None:  # the rids of this very order (a background sort reads later)
                every = self._every[self._sort_key] = set(ordered)
            # a dossier that arrived after the order was read: not if nothing was committed
            # since (the check costs ~2 ms for a one-letter search)
            if self._versions.get(self._sort_key) != data_version(db) and not keep <= every:
                keep = keep & every
            ids = _FilteredIds(ordered, keep, self._descending)
        self.beginResetModel()
        self._ids, self._row_of = ids, None
        self._blocks.clear()
        self._cell_rows.clear()
        self.rows_fetched = 0
        self.endResetModel()
        self.refreshed.emit(len(ids))

    def tick(self) -> None:
        """Time passed: recompute deadline colours and remaining time of the shown rows."""
        self._now = self._clock()
        self._left.clear()
        self.thresholds = Thresholds.compute(self.calendar, self._now)
        self._blocks.clear()
        self._cell_rows.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def retranslate(self) -> None:
        """The language changed: rebuild display strings and headers."""
        self._blocks.clear()
        self._cell_rows.clear()
        self._names.clear()
        self._left.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def set_viewer(self, viewer: Viewer | None) -> None:
        """Who looks (the to-do view and unread markers follow them); refreshes."""
        if viewer != self.viewer:
            self.viewer = viewer
            self.refresh()

    def sort_by_urgency(self) -> None:
        """Back to the default order: running dossiers first, most urgent first."""
        if (self._sort_key, self._descending) != ("urgency", False):
            self._sort_key, self._descending = "urgency", False
            self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key, desc = COLUMNS[column], order == Qt.SortOrder.DescendingOrder
        if (key, desc) == (self._sort_key, self._descending):
            return
        if key in self._ordered or SORT_SQL[key] in self._indexes:
            self._sort_key, self._descending = key, desc
            self.refresh()
            return
        # No index on this column: SQLite must sort every row - do it off the GUI thread.
        self.busy.emit(True)

        def load() -> list[int]:
            return ordered_ids(self.cache.reader(), key, self._indexes)

        def done(ordered: list[int]) -> None:
            self.busy.emit(False)
            self._ordered[key] = ordered
            self._versions.pop(key, None)  # read by another connection: always checked
            self._sort_key, self._descending = key, desc
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.busy.emit(False)
            log.error("sorting by %s failed", key, exc_info=exc)

        run_in_background(load, done, failed, guard=self)

    @property
    def sort_column(self) -> int:
        """The column the order follows (-1 for the urgency order, which has none)."""
        return COLUMNS.index(self._sort_key) if self._sort_key in COLUMNS else -1

    @property
    def sort_key(self) -> str:
        return self._sort_key

    # ------------------------------------------------------------------- row access
    def rid_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, rid: int) -> int | None:
        if self._row_of is None:
            self._row_of = {r: i for i, r in enumerate(self._ids)}
        return self._row_of.get(rid)

    def row_data(self, row: int) -> Row | None:
        if not 0 <= row < len(self._ids):
            return None
        number = row // self.BLOCK
        block = self._blocks.get(number)
        if block is None:
            if self.cache.closed:
                return None  # signed out or quitting while the list is still painted
            block = self._fetch_block(number)
        else:
            self._blocks.move_to_end(number)
        item = block[row - number * self.BLOCK]
        if isinstance(item, tuple):
            item = block[row - number * self.BLOCK] = Row(item, self.thresholds, self.calendar,
                                                         self._names)
        return item

    def dossier_id_at(self, row: int) -> str | None:
        data = self.row_data(row)
        return None if data is None else data.id

    def loaded_rows(self) -> int:
        """How many rows are held in memory right now (bounded by the LRU)."""
        return sum(len(b) for b in self._blocks.values())

    def _fetch_block(self, number: int) -> list[Row | tuple[Any, ...] | None]:
        rids = self._ids[number * self.BLOCK:(number + 1) * self.BLOCK]
        raw = fetch_rows(self.cache.reader(), rids, self.viewer)
        block: list[Row | tuple[Any, ...] | None] = [raw.get(r) for r in rids]
        self.rows_fetched += len(raw)
        self._blocks[number] = block
        while len(self._blocks) > self.MAX_BLOCKS:
            self._blocks.popitem(last=False)
        return block

    def _remaining(self, row: Row) -> str:
        if row.remaining_text is None:
            if row.status == Status.AWAITING_SUPPLEMENT:
                row.remaining_text = QCoreApplication.translate("DossierTableModel", "paused")
            elif row.due is None or not clock_running(row.status):
                row.remaining_text = ""
            else:
                text = self._left.get(row.due)
                if text is None:
                    left = self.calendar.remaining(self._now, row.due)
                    text = self._left[row.due] = format_remaining(left,
                                                                   self.calendar.hours_per_day)
                row.remaining_text = text
        return row.remaining_text

    # --------------------------------------------------------------------- Qt API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.column_title(section)
        return None

    @staticmethod
    def column_title(section: int) -> str:
        titles = (
            QCoreApplication.translate("DossierTableModel", "Code"),
            QCoreApplication.translate("DossierTableModel", "Procedure"),
            QCoreApplication.translate("DossierTableModel", "Applicant"),
            QCoreApplication.translate("DossierTableModel", "Received"),
            QCoreApplication.translate("DossierTableModel", "Due"),
            QCoreApplication.translate("DossierTableModel", "Time left"),
            QCoreApplication.translate("DossierTableModel", "Status"),
            QCoreApplication.translate("DossierTableModel", "Step"),
            QCoreApplication.translate("DossierTableModel", "Sync"),
        )
        return titles[section]

    # flags(): QAbstractTableModel's own (enabled, selectable, never has children) - not
    # overridden, so painting a cell does not call into Python for it.

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Qt calls this 7 times per painted cell (once per role the delegate asks for): the
        # cost is the call itself, so the common case is two lookups in row -> precomputed
        # cells (:meth:`_cells`). (``multiData`` would make it one call per cell, but PySide's
        # marshalling of the role span costs as much as the seven calls.) The list view paints
        # from DossierCells, which copies these cells; the dossier id and urgency are not part
        # of them (Qt never paints them).
        if role == _ID or role == _URGENCY:
            if not index.isValid() or not 0 <= index.column() < len(COLUMNS):
                return None
            row = self.row_data(index.row())
            return None if row is None else row.id if role == _ID else row.urgency
        try:
            return self._cell_rows[index.row()][index.column()].get(role)
        except (KeyError, IndexError):
            pass
        if not index.isValid() or not 0 <= index.column() < len(COLUMNS):
            return None
        cells = self.cells_at(index.row())
        return None if cells is None else cells[index.column()].get(role)

    def cells_at(self, row: int) -> tuple[dict[int, Any], ...] | None:
        """Per column, the value of every role Qt paints with for ``row`` (what :meth:`data`
        answers from; the list view's :class:`DossierCells` copies them into Qt items); None
        past the end."""
        cells = self._cell_rows.get(row)
        if cells is None:
            data = self.row_data(row)
            if data is None:
                return None
            if len(self._cell_rows) >= self.BLOCK * 4:
                self._cell_rows.clear()  # bounded: a screen or two of rows is what gets painted
            cells = self._cell_rows[row] = self._cells(data)
        return cells

    def _cells(self, row: Row) -> tuple[dict[int, Any], ...]:
        """Every painted role's value of every column of ``row`` (None values left out; the
        dossier id and urgency roles are read from the row), computed once per fetched row: a
        paint then only looks them up. The row's colours and font follow
        its deadline and unread state; the sync column's colour its sync state."""
        urgency = row.urgency
        background = _OVERDUE_BG if urgency == "overdue" else \
            _SOON_BG if urgency == "soon" else None
        foreground = _OVERDUE_FG if urgency == "overdue" else \
            _SOON_FG if urgency == "soon" else None
        font = _bold() if row.unread else None
        base: dict[int, Any] = {}
        if background is not None:
            base[_BACKGROUND] = background
        if foreground is not None:
            base[_FOREGROUND] = foreground
        if font is not None:
            base[_FONT] = font
        cells = []
        for column in COLUMNS:
            cell = dict(base)
            # composed (NFC): the list draws without text shaping (see DossierListView), and
            # only shaping places a decomposed name's combining marks well
            cell[_DISPLAY] = unicodedata.normalize("NFC", self._display(row, column) or "")
            tooltip: str | None = None
            if column in ("due", "remaining"):
                tooltip = self._remaining(row) or None
            elif column == "code" and row.unread:
                tooltip = QCoreApplication.translate(
                    "DossierTableModel", "Changed by someone else since you last opened it")
            elif column in ("procedure", "applicant", "status", "step"):
                tooltip = cell[_DISPLAY] or None
            if tooltip is not None:
                cell[_TOOLTIP] = tooltip
            decoration = None
            if column == "code" and row.unread:
                decoration = icon("unread")
            elif column == "due" and urgency:
                decoration = icon("overdue" if urgency == "overdue" else "due-soon")
            elif column == "sync" and row.sync_state in _STATE_FG:
                decoration = icon("conflict")
            if decoration is not None:
                cell[_DECORATION] = decoration
            if column == "sync" and row.sync_state in _STATE_FG:
                cell[_FOREGROUND] = _STATE_FG[row.sync_state]
            cells.append(cell)
        return tuple(cells)

    def _display(self, row: Row, column: str | None) -> str | None:
        if column == "code":
            return str(row.code)
        if column == "procedure":
            return row.procedure or ""
        if column == "applicant":
            return row.applicant or ""
        if column == "received":
            return row.received_text
        if column == "due":
            return row.due_text
        if column == "remaining":
            return self._remaining(row)
        if column == "status":
            return row.status_text
        if column == "step":
            return row.step_text
        if column == "sync":
            return row.sync_text
        return None


# what QAbstractTableModel answers for every cell of the source (QStandardItem's own default
# would make the cells editable and draggable)
_CELL_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled \
    | Qt.ItemFlag.ItemNeverHasChildren


class DossierCells(QStandardItemModel):
    """What the list view shows: the rows of a :class:`DossierTableModel`, in its order, with
    the cells of the rows on screen held by Qt itself.

    A painted cell asks its model for 7 roles: through the source's Python ``data()`` that is
    some 1,800 calls into Python per screen, about half the paint. Here Qt answers them from
    ``QStandardItem`` s: before painting, the view (``DossierListView.viewportEvent``) calls
    :meth:`fill` for the rows on screen, which copies :meth:`DossierTableModel.cells_at` into
    items; the other rows have none (at most :attr:`KEEP` rows keep theirs). Row ``i`` here is
    row ``i`` of the source. The source's reset resets this model (same row count); its
    ``dataChanged`` (time passing, the language) drops the items so the next paint refills
    them; the header titles follow it. Sorting and the view's type-to-find go to the source."""

    KEEP = 256  # rows whose items are kept: a few screens

    def __init__(self, source: DossierTableModel, parent: QObject | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.source = source
        prototype = QStandardItem()  # the items made by fill() are copies of it
        prototype.setFlags(_CELL_FLAGS)
        self.setItemPrototype(prototype)
        self._filled: set[int] = set()
        self._titles()
        self._reset()
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._reset_done)
        source.dataChanged.connect(self._changed)
        source.headerDataChanged.connect(lambda *_: self._titles())

    def _titles(self) -> None:
        self.setHorizontalHeaderLabels(
            [self.source.column_title(i) for i in range(len(COLUMNS))])

    def _reset(self) -> None:
        """As many rows as the source, none filled (signals blocked: inside a reset). Only the
        filled rows' items are dropped and the row count changed at the end: emptying all
        100,000 rows and making them again took ~3 ms."""
        self._drop(list(self._filled))
        blocked = self.blockSignals(True)
        try:
            self.setRowCount(self.source.rowCount())
        finally:
            self.blockSignals(blocked)

    def _reset_done(self) -> None:
        self._reset()
        self.endResetModel()

    def _drop(self, rows: Iterable[int]) -> None:
        """Forget the items of ``rows`` (signals blocked: the caller repaints if needed)."""
        blocked = self.blockSignals(True)
        try:
            for row in rows:
                for column in range(len(COLUMNS)):
                    self.takeItem(row, column)
                self._filled.discard(row)
        finally:
            self.blockSignals(blocked)

    def _changed(self, *_: Any) -> None:
        if self._filled:
            self._drop(list(self._filled))
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, len(COLUMNS) - 1))

    def filled(self, row: int) -> bool:
        return row in self._filled

    def fill(self, first: int, last: int) -> None:
        """Make sure rows ``first``..``last`` (inclusive, clipped) have their items."""
        first, last = max(first, 0), min(last, self.rowCount() - 1)
        missing = [r for r in range(first, last + 1) if r not in self._filled]
        if not missing:
            return
        if len(self._filled) + len(missing) > self.KEEP:
            self._drop([r for r in self._filled if not first <= r <= last])
        blocked = self.blockSignals(True)  # painted right after: no update to schedule
        try:
            for row in missing:
                cells = self.source.cells_at(row)
                if cells is None:
                    continue
                for column, cell in enumerate(cells):
                    self.setItemData(self.index(row, column), cell)
                self._filled.add(row)
        finally:
            self.blockSignals(blocked)

    # ------------------------------------------------------------ to the source
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.source.sort(column, order)

    def match(self, start: Index, role: int, value: Any, hits: int = 1,
              flags: Qt.MatchFlag = Qt.MatchFlag.MatchStartsWith | Qt.MatchFlag.MatchWrap,
              ) -> list[QModelIndex]:
        """Type-to-find looks through every row, filled or not (the source's data)."""
        found = self.source.match(self.source.index(start.row(), start.column()), role, value,
                                  hits, flags)
        return [self.index(i.row(), i.column()) for i in found]
