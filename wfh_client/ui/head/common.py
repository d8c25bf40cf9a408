"""What the head's screens share: a small sortable table model, formats and the head check.

:class:`RowsModel` is a read-only ``QAbstractTableModel`` over a Python list of rows (the
department's queue, the approvals, a board bucket, officers' loads, report rows: hundreds of
rows at most, read off the GUI thread by :mod:`~wfh_client.ui.head.data`). A subclass lists its
column keys in :attr:`RowsModel.COLUMNS` and implements :meth:`RowsModel.title` and
:meth:`RowsModel.display`; it may override :meth:`RowsModel.sort_value`, :meth:`RowsModel.urgency`
and :meth:`RowsModel.align`. Sorting is in Python (stable, ``None`` last).

Formats: :func:`format_rate` (``85,3%`` in Vietnamese, ``85.3%`` in English),
:func:`remaining_text` (working hours left, as the dossier list shows it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from wfh_client.domain import Role
from wfh_client.ui.context import AppContext
from wfh_client.ui.dialogs.common import local_profile
from wfh_client.ui.i18n import current_language, format_remaining

__all__ = ["DossierIdRole", "RowsModel", "format_rate", "is_head", "remaining_text",
           "urgency_of"]

Index = QModelIndex | QPersistentModelIndex
DossierIdRole = Qt.ItemDataRole.UserRole + 11
RowRole = Qt.ItemDataRole.UserRole + 12

OVERDUE_BG, OVERDUE_FG = QColor("#fde0dc"), QColor("#8e1b10")
SOON_BG, SOON_FG = QColor("#fff3cd"), QColor("#6d4c00")
SOON_HOURS = 8.0  # one working day


def is_head(ctx: AppContext) -> bool:
    """The signed-in user is a department head (from ``ctx.user``, else the engine profile)."""
    role = (ctx.user or {}).get("role")
    if role is None:
        profile = local_profile(ctx)
        role = None if profile is None else profile.actor.role
    return role == Role.HEAD.value


def format_rate(rate: float | None) -> str:
    """A 0..1 rate as a percentage with one decimal, in the UI language; "—" for None."""
    if rate is None:
        return "—"
    text = f"{rate * 100:.1f}%"
    return text.replace(".", ",") if current_language() == "vi" else text


def remaining_text(hours: float | None, hours_per_day: float) -> str:
    return "" if hours is None else format_remaining(timedelta(hours=hours), hours_per_day)


def urgency_of(hours: float | None, hours_per_day: float = SOON_HOURS) -> str:
    """"overdue" / "soon" (within one working day) / "" from the working hours left."""
    if hours is None:
        return ""
    if hours < 0:
        return "overdue"
    return "soon" if hours <= hours_per_day else ""


class RowsModel(QAbstractTableModel):
    """See the module docstring."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()
    NUMERIC: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # ------------------------------------------------------------------ for subclasses
    def title(self, key: str) -> str:
        return key

    def display(self, row: Any, key: str) -> str:
        value = getattr(row, key, None)
        return "" if value is None else str(value)

    def sort_value(self, row: Any, key: str) -> Any:
        return getattr(row, key, None)

    def urgency(self, row: Any) -> str:
        return ""

    def tooltip(self, row: Any, key: str) -> str | None:
        return None

    def dossier_id(self, row: Any) -> str | None:
        value = getattr(row, "id", None)
        return None if value is None else str(value)

    # ------------------------------------------------------------------------ rows
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def retranslate(self) -> None:
        if self.COLUMNS:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.COLUMNS) - 1))

    # ---------------------------------------------------------------------- Qt API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.title(self.COLUMNS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row = self.row_at(index.row())
        if row is None or not 0 <= index.column() < len(self.COLUMNS):
            return None
        key = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, key)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key in self.NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            urgency = self.urgency(row)
            return OVERDUE_BG if urgency == "overdue" else SOON_BG if urgency == "soon" else None
        if role == Qt.ItemDataRole.ForegroundRole:
            urgency = self.urgency(row)
            return OVERDUE_FG if urgency == "overdue" else SOON_FG if urgency == "soon" else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, key)
        if role == DossierIdRole:
            return self.dossier_id(row)
        if role == RowRole:
            return row
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = {id(r): i for i, r in enumerate(self._rows)}
        persistent = self.persistentIndexList()
        self._sort_rows(column, order)
        self._sort = (column, order)
        new = {id(r): i for i, r in enumerate(self._rows)}
        moved = {i: new[rid] for rid, i in old.items()}
        self.changePersistentIndexList(
            persistent, [self.index(moved.get(p.row(), p.row()), p.column()) for p in persistent])
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        key = self.COLUMNS[column]
        present = [r for r in self._rows if self.sort_value(r, key) is not None]
        missing = [r for r in self._rows if self.sort_value(r, key) is None]
        present.sort(key=lambda r: self.sort_value(r, key),
                     reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = present + missing
