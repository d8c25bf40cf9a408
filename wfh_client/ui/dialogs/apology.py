"""Apology and new appointment date (Mẫu 04, phiếu xin lỗi và hẹn lại ngày trả kết quả).

The rules (from ``wfh_client.domain.workflow``) are shown above the fields with the computed
deadline: the new date is set only once, it must be later than the current due date, and the
apology must be made at least one working day before that due date. The date is entered as
wall-clock time in the calendar's zone (Asia/Ho_Chi_Minh), ``dd/MM/yyyy HH:mm``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDateTimeEdit, QLabel, QPlainTextEdit

from wfh_client.domain import ActionType
from wfh_client.domain.timefmt import to_iso_utc
from wfh_client.ui.dialogs.base import ActionDialog
from wfh_client.ui.dialogs.common import state_of
from wfh_client.ui.i18n import format_datetime, format_remaining

__all__ = ["ApologyDialog", "apology_deadline"]


def apology_deadline(calendar: Any, now: datetime, due: datetime,
                     clock_stopped_at: datetime | None = None) -> datetime | None:
    """The last instant the apology may be made (one working day before ``due``), or None if
    that moment has passed. While the clock is stopped, the stop instant counts."""
    as_of = clock_stopped_at or now
    spare = calendar.remaining(as_of, due) - calendar.working_length(1)
    if spare < timedelta(0):
        return None
    if clock_stopped_at is not None:
        return due  # the clock does not run: the limit moves with the restart
    result: datetime = calendar.add_working_time(as_of, hours=spare / timedelta(hours=1))
    return result


class ApologyDialog(ActionDialog):
    kind = ActionType.APOLOGY

    def build(self) -> None:
        self.rules = QLabel(self)
        self.rules.setObjectName("apologyRules")
        self.rules.setWordWrap(True)
        self.form.addRow(self.rules)
        self.new_date = QDateTimeEdit(self)
        self.new_date.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.new_date.setCalendarPopup(True)
        self.extension = QLabel(self)
        self.reason_box = QPlainTextEdit(self)
        self.reason_box.setTabChangesFocus(True)
        self.reason_box.setMinimumHeight(80)
        self.reason_box.setPlaceholderText(self.tr(
            "Why the result will be late, as the applicant will read it"))
        self.form.addRow(self.tr("New appointment:"), self.new_date)
        self.form.addRow("", self.extension)
        self.form.addRow(self.tr("Reason:"), self.reason_box)
        self._fill_rules()
        self.new_date.dateTimeChanged.connect(self.changed)
        self.reason_box.textChanged.connect(self.changed)

    @property
    def _calendar(self) -> Any:
        return self.profile.calendar if self.profile is not None else self.ctx.calendar

    def _fill_rules(self) -> None:
        cal = self._calendar
        state = state_of(self.doc)
        due = state.due_at if state is not None else None
        lines = [self.tr("A new appointment date may be set only once; it must be later than "
                         "the current due date, and the apology must be made at least one "
                         "working day before that date.")]
        if due is not None and state is not None:
            lines.append(self.tr("Current due date: %1").replace("%1", format_datetime(due, cal.tz)))
            limit = apology_deadline(cal, self.ctx.clock(), due, state.clock_stopped_at)
            if limit is None:
                lines.append(self.tr("It is too late: less than one working day is left."))
            else:
                lines.append(self.tr("Make the apology by: %1").replace(
                    "%1", format_datetime(limit, cal.tz)))
            self.set_new_date(cal.add_working_time(due, days=3))
        self.rules.setText("\n".join(lines))

    def set_new_date(self, value: datetime) -> None:
        local = value.astimezone(self._calendar.tz)
        self.new_date.setDateTime(QDateTime(QDate(local.year, local.month, local.day),
                                            QTime(local.hour, local.minute)))

    def chosen(self) -> datetime:
        """The edited wall-clock time, read as the calendar's zone (not the machine's)."""
        d, t = self.new_date.date(), self.new_date.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(),
                        tzinfo=self._calendar.tz)

    def revalidate(self) -> None:
        super().revalidate()
        state = state_of(self.doc)
        if hasattr(self, "extension") and state is not None and state.due_at is not None:
            cal = self._calendar
            gained = cal.working_time_between(state.due_at, self.chosen())
            if gained > timedelta(0):
                self.extension.setText(self.tr("%1 of working time later").replace(
                    "%1", format_remaining(gained, cal.hours_per_day)))
            else:
                self.extension.clear()

    def payload(self) -> dict[str, Any]:
        return {"reason": self.reason_box.toPlainText(), "new_due_at": to_iso_utc(self.chosen())}
