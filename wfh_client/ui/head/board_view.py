"""The department board: counts that matter today, each one a button that lists its dossiers.

Counts come from the head's cache (``store.board.board``: works offline): open dossiers, due
today, due within 3 working days, overdue, needing an apology slip (Mẫu 04: due within the next
working day and not finishable in time), waiting for an officer, for approval, for the
applicant's documents, and one tile per national status. Clicking a tile reads the dossiers
behind it (``store.board.bucket_ids``) into the list below; a double-click or Enter opens the
dossier window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wfh_client.store import board as store_board
from wfh_client.ui.context import AppContext
from wfh_client.ui.head import data
from wfh_client.ui.head.models import BucketModel
from wfh_client.ui.head.page import HeadPage, table_view
from wfh_client.ui.i18n import format_number, status_name
from wfh_client.ui.ops import run_in_background

__all__ = ["BoardPage", "CountTile"]

_TONES = {"overdue": "#fde0dc", "needs_apology": "#ffe0b2", "due_today": "#fff3cd",
          "due_3_days": "#fff8e1"}
_WIDTHS = {"code": 215, "procedure": 280, "applicant": 160, "officer": 160, "status": 140,
           "due": 130}


def _names() -> dict[str, str]:
    return {
        "open": QCoreApplication.translate("BoardPage", "Open"),
        "due_today": QCoreApplication.translate("BoardPage", "Due today"),
        "due_3_days": QCoreApplication.translate("BoardPage", "Due within 3 working days"),
        "overdue": QCoreApplication.translate("BoardPage", "Overdue"),
        "needs_apology": QCoreApplication.translate("BoardPage", "Need an apology slip"),
        "unassigned": QCoreApplication.translate("BoardPage", "Waiting for an officer"),
        "awaiting_approval": QCoreApplication.translate("BoardPage", "Waiting for approval"),
        "awaiting_documents": QCoreApplication.translate("BoardPage", "Waiting for documents"),
    }


def bucket_title(bucket: str) -> str:
    if bucket.startswith("status:"):
        return status_name(int(bucket.split(":", 1)[1]))
    return _names().get(bucket, bucket)


class CountTile(QPushButton):
    """A big number over its name; checkable (the board shows one list at a time)."""

    def __init__(self, bucket: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bucket = bucket
        self.count = 0
        self.setObjectName(f"tile_{bucket.replace(':', '_')}")
        self.setCheckable(True)
        self.setMinimumSize(150, 64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        tone = _TONES.get(bucket)
        background = f"background: {tone};" if tone else ""
        self.setStyleSheet(
            f"QPushButton {{ text-align: left; padding: 6px 10px; {background} }}"
            "QPushButton:checked { border: 2px solid #1a73e8; }")
        self.number = QLabel(self)
        self.number.setStyleSheet("font-size: 20pt; font-weight: 600; background: transparent;")
        self.caption = QLabel(self)
        self.caption.setStyleSheet("background: transparent;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.setSpacing(0)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        for label in (self.number, self.caption):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.set_count(0)

    def set_count(self, count: int) -> None:
        self.count = count
        self.number.setText(format_number(count))
        self.retranslate()

    def retranslate(self) -> None:
        self.caption.setText(bucket_title(self.bucket))
        self.setAccessibleName(f"{bucket_title(self.bucket)}: {self.count}")


class BoardPage(HeadPage):
    list_loaded = Signal(str)  # the bucket now listed

    MAIN = ("open", "due_today", "due_3_days", "overdue", "needs_apology")
    WORK = ("unassigned", "awaiting_approval", "awaiting_documents")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("headBoard")
        self.board: store_board.Board | None = None
        self.tiles: dict[str, CountTile] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.deadlines_box = QGroupBox(self)
        self.work_box = QGroupBox(self)
        self.status_box = QGroupBox(self)
        self._grid(self.deadlines_box, self.MAIN)
        self._grid(self.work_box, self.WORK)
        self.status_grid = QGridLayout(self.status_box)
        self.list_title = QLabel(self)
        self.list_title.setObjectName("bucketTitle")
        self.list_title.setStyleSheet("font-weight: 600;")
        self.model = BucketModel(ctx.calendar.tz, ctx.calendar.hours_per_day, self)
        self.table = table_view(self.model, self, widths=_WIDTHS)
        self.table.setObjectName("bucketTable")
        self.table.doubleClicked.connect(self.open_index)
        self.table.activated.connect(self.open_index)
        self.bucket: str | None = None
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.deadlines_box)
        top_layout.addWidget(self.work_box)
        top_layout.addWidget(self.status_box)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.list_title)
        bottom_layout.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.retranslate_ui()
        self.reload()

    def _tile(self, bucket: str, parent: QWidget) -> CountTile:
        tile = CountTile(bucket, parent)
        tile.clicked.connect(lambda _c=False, b=bucket: self.show_bucket(b))
        self.group.addButton(tile)
        self.tiles[bucket] = tile
        return tile

    def _grid(self, box: QGroupBox, buckets: tuple[str, ...]) -> None:
        grid = QGridLayout(box)
        for column, bucket in enumerate(buckets):
            grid.addWidget(self._tile(bucket, box), 0, column)

    def retranslate_ui(self) -> None:
        self.deadlines_box.setTitle(self.tr("Deadlines (working time)"))
        self.work_box.setTitle(self.tr("Waiting"))
        self.status_box.setTitle(self.tr("By status"))
        for tile in self.tiles.values():
            tile.retranslate()
        self.model.retranslate()
        self._list_title()

    # ------------------------------------------------------------------------ counts
    def read(self) -> Any:
        return store_board.board(self.ctx.cache.reader(), self.ctx.calendar, self.ctx.clock())

    def show_data(self, board: Any) -> None:
        self.board = board
        for bucket in self.MAIN + self.WORK:
            self.tiles[bucket].set_count(int(getattr(board, bucket)))
        statuses = sorted(board.by_status)
        for i, status in enumerate(statuses):
            key = f"status:{status}"
            tile = self.tiles.get(key) or self._tile(key, self.status_box)
            self.status_grid.addWidget(tile, i // 5, i % 5)
            tile.set_count(board.by_status[status])
        for key, tile in self.tiles.items():
            if key.startswith("status:") and int(key.split(":")[1]) not in board.by_status:
                tile.set_count(0)
        if self.bucket is not None:
            self.show_bucket(self.bucket)

    def count_of(self, bucket: str) -> int:
        return self.tiles[bucket].count

    # -------------------------------------------------------------------------- list
    def show_bucket(self, bucket: str) -> None:
        """List the dossiers behind ``bucket`` (read on the worker pool)."""
        self.bucket = bucket
        tile = self.tiles.get(bucket)
        if tile is not None and not tile.isChecked():
            tile.setChecked(True)
        cache, calendar, now = self.ctx.cache, self.ctx.calendar, self.ctx.clock()

        def read() -> list[data.DossierRow]:
            return data.bucket_rows(cache.reader(), calendar, now, bucket)

        def show(rows: list[data.DossierRow]) -> None:
            self._show_rows(bucket, rows)

        run_in_background(read, show, guard=self)

    def _show_rows(self, bucket: str, rows: list[data.DossierRow]) -> None:
        if bucket != self.bucket:
            return
        self.model.set_rows(rows)
        self._list_title()
        self.list_loaded.emit(bucket)

    def _list_title(self) -> None:
        if self.bucket is None:
            self.list_title.setText(self.tr("Click a count to list its dossiers."))
            return
        self.list_title.setText(self.tr("%1: %n dossier(s)", "", self.model.rowCount())
                                .replace("%1", bucket_title(self.bucket)))

    def listed_ids(self) -> list[str]:
        return [row.id for row in self.model.rows()]
