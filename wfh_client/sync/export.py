"""Export report tables to CSV and XLSX (no Qt; run off the GUI thread for big tables).

A :class:`Table` is a title, lines that say what it covers (the department, the period),
typed :class:`Column` s and rows (mappings by column key). :func:`ontime_table`,
:func:`checkins_table` and :func:`load_table` build them from the report dataclasses of
``wfh_client.sync.reports`` with Vietnamese or English headers; both writers put the title and
those lines above the column headers, so a file read later says what it is.

* :func:`export_csv` writes one table as UTF-8 **with a BOM** (Excel otherwise reads Vietnamese
  as mojibake), comma-separated, CRLF line ends; integers as digits, rates as a percentage with
  one decimal in a column whose header ends with ``(%)``, empty cells for ``None``.
* :func:`export_xlsx` writes one sheet per table (names cut to Excel's 31 characters, made
  unique): a bold, filled, frozen header row with autofilter, column widths from the content,
  integers as numbers, rates as numbers formatted ``0.0%``.

XLSX is written with openpyxl (pure Python, reads as well as writes: the same package reads the
file back in the tests and can later import templates; XlsxWriter only writes).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from wfh_client.sync.reports import CheckinReport, OnTimeReport, OnTimeRow, TeamLoad

__all__ = [
    "Column",
    "Table",
    "checkins_table",
    "header_row",
    "export_csv",
    "export_xlsx",
    "load_table",
    "ontime_table",
]

Kind = Literal["text", "int", "rate"]
Lang = Literal["vi", "en"]
PERCENT_FORMAT = "0.0%"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_HEADER_FILL_COLOUR = "DDE6F0"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: Kind = "text"
    width: int | None = None  # characters; None = from the content


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)
    about: tuple[str, ...] = ()  # "Đơn vị: ...", "Kỳ báo cáo: ..." (above the headers)

    @property
    def preamble(self) -> list[str]:
        """The lines above the column headers: the title, then :attr:`about`."""
        return [self.title, *self.about]


# ---- building tables from reports -------------------------------------------------------------

_T: dict[str, tuple[str, str]] = {
    "officer": ("Cán bộ", "Officer"),
    "field": ("Lĩnh vực", "Field"),
    "month": ("Tháng", "Month"),
    "on_time": ("Đúng hạn", "On time"),
    "late": ("Quá hạn", "Late"),
    "total": ("Tổng số", "Total"),
    "rate": ("Tỷ lệ đúng hạn", "On-time rate"),
    "apologised": ("Có xin lỗi, hẹn lại", "With apology"),
    "windows": ("Số lượt điểm danh", "Windows"),
    "done": ("Đã điểm danh", "Done"),
    "missed": ("Bỏ lỡ", "Missed"),
    "suspended": ("Nghỉ phép", "On leave"),
    "checkin_rate": ("Tỷ lệ điểm danh", "Check-in rate"),
    "outside": ("Điểm danh ngoài khung giờ", "Checked in outside a window"),
    "counted_from": ("Tính từ ngày", "Counted from"),
    "offline": ("Điểm danh ngoại tuyến", "Made offline"),
    "offline_max_delay": ("Độ trễ ngoại tuyến lớn nhất (phút)", "Longest offline delay (min)"),
    "open": ("Đang xử lý", "Open"),
    "due_today": ("Đến hạn hôm nay", "Due today"),
    "due_3_days": ("Đến hạn trong 3 ngày", "Due in 3 working days"),
    "overdue": ("Quá hạn", "Overdue"),
    "on_leave_now": ("Đang nghỉ phép", "On leave"),
    "checked_in_recently": ("Đã điểm danh gần đây", "Checked in recently"),
    "last_checkin_at": ("Lần điểm danh cuối", "Last check-in"),
    "grand_total": ("Tổng cộng", "Total"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "title_ontime": ("Tỷ lệ đúng hạn theo {group}", "On-time rate by {group}"),
    "title_checkins": ("Điểm danh", "Check-ins"),
    "title_load": ("Khối lượng công việc", "Workload"),
    "department": ("Đơn vị: {}", "Department: {}"),
    "period": ("Kỳ báo cáo: {} – {}", "Period: {} – {}"),
    "as_of": ("Số liệu lúc: {}", "As of: {}"),
}


def _t(key: str, lang: Lang) -> str:
    vi, en = _T[key]
    return vi if lang == "vi" else en


def _about(lang: Lang, department: str, start: Any = None, end: Any = None,
           as_of: str | None = None) -> tuple[str, ...]:
    lines = []
    if department:
        lines.append(_t("department", lang).format(department))
    if start is not None and end is not None:
        lines.append(_t("period", lang).format(f"{start:%d/%m/%Y}", f"{end:%d/%m/%Y}"))
    if as_of:
        lines.append(_t("as_of", lang).format(as_of))
    return tuple(lines)


def _day(iso_day: str | None) -> str:
    """``YYYY-MM-DD`` as the app writes dates (dd/mm/yyyy)."""
    if not iso_day:
        return ""
    y, m, d = iso_day.split("-")
    return f"{d}/{m}/{y}"


def ontime_table(report: OnTimeReport, *, lang: Lang = "vi", department: str = "") -> Table:
    """Rows of the on-time report plus a total row."""
    group = report.group if report.group in ("officer", "field", "month") else "officer"

    def row(r: OnTimeRow, label: str | None = None) -> dict[str, Any]:
        return {"label": label if label is not None else (r.label or r.key),
                "on_time": r.on_time, "late": r.late, "total": r.total, "rate": r.rate,
                "apologised": r.apologised}

    return Table(
        title=_t("title_ontime", lang).format(group=_t(group, lang).lower()),
        columns=(
            Column("label", _t(group, lang)), Column("on_time", _t("on_time", lang), "int"),
            Column("late", _t("late", lang), "int"), Column("total", _t("total", lang), "int"),
            Column("rate", _t("rate", lang), "rate"),
            Column("apologised", _t("apologised", lang), "int"),
        ),
        rows=(*[row(r) for r in report.rows], row(report.total, _t("grand_total", lang))),
        about=_about(lang, department, report.start, report.end),
    )


def checkins_table(report: CheckinReport, *, lang: Lang = "vi", department: str = "") -> Table:
    return Table(
        title=_t("title_checkins", lang),
        columns=(
            Column("full_name", _t("officer", lang)),
            Column("counted_from", _t("counted_from", lang)),
            Column("windows", _t("windows", lang), "int"),
            Column("done", _t("done", lang), "int"), Column("missed", _t("missed", lang), "int"),
            Column("suspended", _t("suspended", lang), "int"),
            Column("rate", _t("checkin_rate", lang), "rate"),
            Column("outside", _t("outside", lang), "int"),
            Column("offline", _t("offline", lang), "int"),
            Column("offline_max_delay", _t("offline_max_delay", lang), "int"),
        ),
        rows=tuple({"full_name": r.full_name, "counted_from": _day(r.counted_from),
                    "windows": r.windows, "done": r.done, "missed": r.missed,
                    "suspended": r.suspended, "rate": r.rate, "outside": r.outside,
                    "offline": r.offline,
                    "offline_max_delay": None if r.offline_max_delay_seconds is None
                    else r.offline_max_delay_seconds // 60}
                   for r in report.rows),
        about=_about(lang, department, report.start, report.end),
    )


def load_table(load: TeamLoad, *, lang: Lang = "vi", department: str = "") -> Table:
    def yes(value: bool) -> str:
        return _t("yes" if value else "no", lang)

    return Table(
        title=_t("title_load", lang),
        columns=(
            Column("full_name", _t("officer", lang)), Column("open", _t("open", lang), "int"),
            Column("due_today", _t("due_today", lang), "int"),
            Column("due_3_days", _t("due_3_days", lang), "int"),
            Column("overdue", _t("overdue", lang), "int"),
            Column("on_leave_now", _t("on_leave_now", lang)),
            Column("checked_in_recently", _t("checked_in_recently", lang)),
            Column("last_checkin_at", _t("last_checkin_at", lang)),
        ),
        rows=tuple({"full_name": o.full_name, "open": o.open, "due_today": o.due_today,
                    "due_3_days": o.due_3_days, "overdue": o.overdue,
                    "on_leave_now": yes(o.on_leave_now),
                    "checked_in_recently": yes(o.checked_in_recently),
                    "last_checkin_at": o.last_checkin_at or ""}
                   for o in load.officers),
        about=_about(lang, department, as_of=load.generated_at),
    )


# ---- writers ----------------------------------------------------------------------------------


def _csv_cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.kind == "rate":
        return f"{float(value) * 100:.1f}"
    if column.kind == "int":
        return str(int(value))
    return str(value)


def csv_header(column: Column) -> str:
    return f"{column.header} (%)" if column.kind == "rate" else column.header


def export_csv(table: Table, path: Path | str) -> Path:
    """Write ``table`` as CSV (UTF-8 with BOM); returns the path."""
    target = Path(path)
    with target.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        for line in table.preamble:
            writer.writerow([line])
        writer.writerow([])
        writer.writerow([csv_header(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([_csv_cell(c, row.get(c.key)) for c in table.columns])
    return target


def _sheet_name(title: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", title).strip().strip("'") or "Sheet"
    name, n = base[:31], 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def _xlsx_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "rate":
        return float(value)
    if column.kind == "int":
        return int(value)
    return str(value)


def header_row(table: Table) -> int:
    """The 1-based row of the column headers (after the preamble and a blank line)."""
    return len(table.preamble) + 2


def export_xlsx(tables: Table | Sequence[Table], path: Path | str) -> Path:
    """Write one sheet per table to an .xlsx workbook; returns the path."""
    # openpyxl is imported here, not at the top: importing it costs ~0.35 s, and this module is
    # loaded with the head's window at every start of the app, not only when exporting.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    target = Path(path)
    items = [tables] if isinstance(tables, Table) else list(tables)
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL_COLOUR)
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    taken: set[str] = set()
    bold = Font(bold=True)
    for table in items:
        ws = wb.create_sheet(_sheet_name(table.title, taken))
        widths = [max(len(c.header), 6) for c in table.columns]
        for r, line in enumerate(table.preamble, start=1):
            ws.cell(row=r, column=1, value=line).font = Font(bold=r == 1, size=13 if r == 1 else 11)
        head = header_row(table)
        for col, column in enumerate(table.columns, start=1):
            cell = ws.cell(row=head, column=col, value=column.header)
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for r, row in enumerate(table.rows, start=head + 1):
            for col, column in enumerate(table.columns, start=1):
                value = _xlsx_value(column, row.get(column.key))
                cell = ws.cell(row=r, column=col, value=value)
                if column.kind == "rate":
                    cell.number_format = PERCENT_FORMAT
                if value is not None:
                    shown = 7 if column.kind == "rate" else len(str(value))
                    widths[col - 1] = max(widths[col - 1], shown)
        for col, column in enumerate(table.columns, start=1):
            width = column.width or min(widths[col - 1] + 2, 60)
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = f"A{head + 1}"
        if table.rows:
            last = get_column_letter(len(table.columns))
            ws.auto_filter.ref = f"A{head}:{last}{head + len(table.rows)}"
    wb.save(target)
    return target
