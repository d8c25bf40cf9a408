"""Reports: on-time rate per officer, field or month, and check-in compliance per officer.

Fetched from the server (``sync.reports.fetch_ontime`` / ``fetch_checkins``) on the worker pool
for a date range (default: the first day of the month five months ago to today, six calendar
months, as the server's default); reports need a connection. Each is shown as a
:class:`~wfh_client.ui.head.chart.BarChart` (on time vs late, checked in vs missed) over a table.
"Export CSV…" writes the report on the visible tab, "Export Excel…" both reports (one sheet
each), through ``sync.export`` on the worker pool, with the UI language's headers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wfh_client.sync import export
from wfh_client.sync.reports import CheckinReport, OnTimeReport, fetch_checkins, fetch_ontime
from wfh_client.ui.context import AppContext
from wfh_client.ui.dialogs.common import engine_of
from wfh_client.ui.head.chart import BAD, GOOD, NEUTRAL, Bar, BarChart, Series
from wfh_client.ui.head.common import format_rate
from wfh_client.ui.head.data import transport_of
from wfh_client.ui.head.models import CheckinModel, OnTimeModel
from wfh_client.ui.head.page import table_view
from wfh_client.ui.i18n import current_language
from wfh_client.ui.operation import Op
from wfh_client.ui.widgets.saved import confirm_saved

__all__ = ["ReportsPage", "default_range"]

GROUPS = ("officer", "field", "month")


def default_range(today: date) -> tuple[date, date]:
    """The first day of the month five months before ``today``, and ``today``."""
    month = today.month - 5
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1), today


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class ReportsPage(QWidget):
    loaded = Signal()
    failed = Signal(str)
    exported = Signal(str)  # path

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headReports")
        self.ctx = ctx
        self.saved_notice: QMessageBox | None = None  # the last "Đã lưu — Mở tệp"
        self.ontime: OnTimeReport | None = None
        self.checkins: CheckinReport | None = None
        start, end = default_range(ctx.clock().astimezone(ctx.calendar.tz).date())
        self.start, self.end = QDateEdit(_qdate(start), self), QDateEdit(_qdate(end), self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.group = QComboBox(self)
        self.group.setObjectName("reportGroup")
        for key in GROUPS:
            self.group.addItem("", key)
        self.load_button = QPushButton(self)
        self.load_button.setObjectName("loadReports")
        self.csv_button = QPushButton(self)
        self.csv_button.setObjectName("exportCsv")
        self.xlsx_button = QPushButton(self)
        self.xlsx_button.setObjectName("exportXlsx")
        self.from_label, self.to_label, self.group_label = QLabel(self), QLabel(self), QLabel(self)
        self.status = QLabel(self)
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        for w in (self.from_label, self.start, self.to_label, self.end, self.group_label,
                  self.group, self.load_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.csv_button)
        bar.addWidget(self.xlsx_button)
        self.ontime_chart, self.checkin_chart = BarChart(self), BarChart(self)
        self.ontime_model, self.checkin_model = OnTimeModel(self), CheckinModel(self)
        self.ontime_table = table_view(self.ontime_model, self)
        self.checkin_table = table_view(self.checkin_model, self)
        for table in (self.ontime_table, self.checkin_table):
            header = table.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            for column in range(1, table.model().columnCount()):
                table.setColumnWidth(column, 120)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("reportTabs")
        self.tabs.addTab(self._pane(self.ontime_chart, self.ontime_table), "")
        self.tabs.addTab(self._pane(self.checkin_chart, self.checkin_table), "")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self.load_button.clicked.connect(self.reload)
        self.group.currentIndexChanged.connect(lambda _i: self.reload())
        self.csv_button.clicked.connect(self.ask_export_csv)
        self.xlsx_button.clicked.connect(self.ask_export_xlsx)
        self._busy = False
        self.retranslate_ui()
        self._enable_exports()

    def _pane(self, chart: BarChart, table: QWidget) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(chart)
        splitter.addWidget(table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([420, 200])
        return splitter

    def retranslate_ui(self) -> None:
        self.from_label.setText(self.tr("From:"))
        self.to_label.setText(self.tr("To:"))
        self.group_label.setText(self.tr("On-time rate by:"))
        names = {"officer": self.tr("officer"), "field": self.tr("field"),
                 "month": self.tr("month")}
        for i, key in enumerate(GROUPS):
            self.group.setItemText(i, names[key])
        self.load_button.setText(self.tr("&Show"))
        self.csv_button.setText(self.tr("Export &CSV…"))
        self.xlsx_button.setText(self.tr("Export &Excel…"))
        self.tabs.setTabText(0, self.tr("On-time rate"))
        self.tabs.setTabText(1, self.tr("Check-ins"))
        self.ontime_model.retranslate()
        self.checkin_model.retranslate()
        self._draw()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -------------------------------------------------------------------------- fetch
    def range(self) -> tuple[date, date]:
        return _pydate(self.start.date()), _pydate(self.end.date())

    def reload(self) -> None:
        engine = engine_of(self.ctx)
        if engine is None:
            self.show_error(self.tr("Sign in to see the reports."))
            return
        start, end = self.range()
        if end < start:
            self.show_error(self.tr("The end date is before the start date."))
            return
        group = str(self.group.currentData())
        transport = transport_of(engine)
        self._busy = True
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Loading the reports…"))

        def fetch() -> tuple[OnTimeReport, CheckinReport]:
            return (fetch_ontime(transport, group, start, end),  # type: ignore[arg-type]
                    fetch_checkins(transport, start, end))

        Op(self, fetch).success(self._fetched).failure(self._failed).run()

    def _fetched(self, reports: tuple[OnTimeReport, CheckinReport]) -> None:
        self._busy = False
        self.show_reports(*reports)

    def _failed(self, _exc: BaseException, words: str) -> None:
        self._busy = False
        self.show_error(words)

    def show_error(self, text: str) -> None:
        self.status.setStyleSheet("color: #b3261e;")
        self.status.setText(text)
        self.failed.emit(text)

    def show_reports(self, ontime: OnTimeReport, checkins: CheckinReport) -> None:
        """Show fetched reports (also used by the screenshots with prepared ones)."""
        self.ontime, self.checkins = ontime, checkins
        self.ontime_model.group = ontime.group
        self.ontime_model.set_rows(ontime.rows)
        self.ontime_model.retranslate()
        self.checkin_model.set_rows(checkins.rows)
        self.status.setStyleSheet("")
        self._draw()
        self._enable_exports()
        self.loaded.emit()

    def _draw(self) -> None:
        if self.ontime is None or self.checkins is None:
            return
        total = self.ontime.total
        self.status.setText(self.tr("%1 – %2: %3 on time of %4 judged dossiers (%5).")
                            .replace("%1", self.ontime.start.strftime("%d/%m/%Y"))
                            .replace("%2", self.ontime.end.strftime("%d/%m/%Y"))
                            .replace("%3", str(total.on_time)).replace("%4", str(total.total))
                            .replace("%5", format_rate(total.rate)))
        self.ontime_chart.set_data(
            [Bar(r.label or r.key, (r.on_time, r.late), r.rate) for r in self.ontime.rows],
            [Series(self.tr("On time"), GOOD), Series(self.tr("Late"), BAD)],
            title=self.tr("On-time rate by %1").replace("%1", self.group.currentText()),
            empty_text=self.tr("No dossier ended in this period."))
        self.checkin_chart.set_data(
            [Bar(r.full_name, (r.done, r.missed), r.rate) for r in self.checkins.rows],
            [Series(self.tr("Checked in"), GOOD), Series(self.tr("Missed"), BAD),
             Series(self.tr("On leave (not counted)"), NEUTRAL)],
            title=self.tr("Check-in compliance"),
            empty_text=self.tr("No check-in window closed in this period."))

    # ------------------------------------------------------------------------- export
    def _enable_exports(self) -> None:
        ready = self.ontime is not None and self.checkins is not None
        self.csv_button.setEnabled(ready)
        self.xlsx_button.setEnabled(ready)

    def _lang(self) -> Any:
        return "vi" if current_language() == "vi" else "en"

    def _suggested(self, suffix: str) -> str:
        start, end = self.range()
        stem = "bao-cao" if current_language() == "vi" else "report"
        return str(Path.home() / f"{stem}_{start:%Y%m%d}_{end:%Y%m%d}.{suffix}")

    def ask_export_csv(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, self.tr("Export CSV"),
                                               self._suggested("csv"), self.tr("CSV (*.csv)"))
        if path:
            self.export_csv(path)

    def ask_export_xlsx(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, self.tr("Export Excel"),
                                               self._suggested("xlsx"),
                                               self.tr("Excel workbook (*.xlsx)"))
        if path:
            self.export_xlsx(path)

    def export_csv(self, path: str) -> None:
        """Write the report on the visible tab to ``path`` (worker pool)."""
        if self.ontime is None or self.checkins is None:
            return
        lang = self._lang()
        dept = self._department()
        table = export.ontime_table(self.ontime, lang=lang, department=dept) \
            if self.tabs.currentIndex() == 0 else \
            export.checkins_table(self.checkins, lang=lang, department=dept)
        self._export(lambda: export.export_csv(table, path))

    def export_xlsx(self, path: str) -> None:
        """Write both reports (one sheet each) to ``path`` (worker pool)."""
        if self.ontime is None or self.checkins is None:
            return
        lang = self._lang()
        dept = self._department()
        tables = [export.ontime_table(self.ontime, lang=lang, department=dept),
                  export.checkins_table(self.checkins, lang=lang, department=dept)]
        self._export(lambda: export.export_xlsx(tables, path))

    def _department(self) -> str:
        return str((self.ctx.user or {}).get("department_name") or "")

    def _export(self, write: Any) -> None:
        def done(target: Path) -> None:
            self.status.setStyleSheet("")
            self.status.setText(self.tr("Saved %1").replace("%1", str(target)))
            self.saved_notice = confirm_saved(self, target)
            self.exported.emit(str(target))

        Op(self, write).success(done).with_progress(self.tr("Saving the report…")) \
            .failure(lambda _exc, words: self.show_error(
                self.tr("The file could not be saved: %1").replace("%1", words))).run()
