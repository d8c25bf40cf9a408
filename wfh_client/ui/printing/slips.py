"""HTML of the official forms, built from a dossier document (pure functions, Qt only for tr).

- :func:`control_slip_html` — Mẫu 05 "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ": agency and
  national motto header, dossier code and particulars, one table row per handover (agency /
  handing over — receiving, time, result early / on time / late, notes) and signature lines.
- :func:`apology_slip_html` — Mẫu 04 "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" addressed to
  the applicant, with the reason, the old and the new appointment, and the signature block.

Every value from the document is HTML-escaped. The HTML keeps to what ``QTextDocument``
renders (tables with attributes, inline CSS for fonts and alignment).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication

from wfh_client.domain import WorkingCalendar
from wfh_client.ui.detail.labels import TIMELINESS_COLOURS, row_timeliness, timeliness_name
from wfh_client.ui.detail.timeline import to_text
from wfh_client.ui.i18n import format_datetime, parse_iso

__all__ = ["apology_details", "apology_slip_html", "control_slip_html"]

_REASON_MARK = "Lý do: "


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _labels() -> dict[str, str]:
    """Every fixed text of the forms, in the current language (literal calls, for lupdate)."""
    return {
        "nation": QCoreApplication.translate("Slip", "SOCIALIST REPUBLIC OF VIETNAM"),
        "motto": QCoreApplication.translate("Slip", "Independence - Freedom - Happiness"),
        "from": QCoreApplication.translate("Slip", "From"),
        "to": QCoreApplication.translate("Slip", "To"),
        "none": QCoreApplication.translate("Slip", "No handover yet."),
        "giver": QCoreApplication.translate("Slip", "HANDED OVER BY"),
        "receiver": QCoreApplication.translate("Slip", "RECEIVED BY"),
        "sign": QCoreApplication.translate("Slip", "(signature and full name)"),
        "addressee": QCoreApplication.translate("Slip", "Dear"),
        "request": QCoreApplication.translate("Slip", "Request"),
        "appointment": QCoreApplication.translate("Slip", "Appointment to return the result"),
        "reason": QCoreApplication.translate("Slip", "Reason"),
        "head": QCoreApplication.translate("Slip", "HEAD OF THE AGENCY"),
        "sorry": QCoreApplication.translate(
            "Slip", "This delay has caused you inconvenience. %1 sincerely apologises and "
            "will return the result on %2."),
    }


def _header(agency: str, place_date: str = "") -> str:
    text = _labels()
    right = f"<b>{_e(text['nation'])}</b><br/><b><u>{_e(text['motto'])}</u></b>"
    if place_date:
        right += f"<br/><i>{_e(place_date)}</i>"
    return (
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td width="40%" align="center" style="font-size: 8pt"><b>{_e(agency.upper())}</b>'
        '<br/>———</td>'
        f'<td width="60%" align="center" style="font-size: 8pt">{right}</td>'
        "</tr></table>")


def _from_cell(row: Mapping[str, Any]) -> str:
    text = _labels()
    giver = _e(row.get("actor_name"))
    if row.get("department_name"):
        giver += f" ({_e(row['department_name'])})"
    return (f"<b>{_e(text['from'])}:</b> {giver}<br/>"
            f"<b>{_e(text['to'])}:</b> {_e(to_text(dict(row)))}")


def control_slip_html(doc: Mapping[str, Any], calendar: WorkingCalendar, *,
                      agency: str) -> str:
    """Mẫu 05 for ``doc`` (see the module docstring)."""
    tz = calendar.tz
    text = _labels()
    applicant = doc.get("applicant") or {}
    rows = []
    for i, row in enumerate(doc.get("history") or [], start=1):
        verdict = row_timeliness(calendar, row)
        result = ""
        if verdict is not None:
            result = (f'<span style="color: {TIMELINESS_COLOURS[verdict]}"><b>'
                      f"{_e(timeliness_name(verdict))}</b></span>")
        note = _e(row.get("content"))
        if row.get("step_due_at"):
            note += "<br/><i>" + _e(QCoreApplication.translate("Slip", "Step due: %1").replace(
                "%1", format_datetime(parse_iso(row.get("step_due_at")), tz))) + "</i>"
        rows.append(
            f'<tr><td align="center">{i}</td><td>{_from_cell(row)}</td>'
            f'<td align="center">{_e(format_datetime(parse_iso(row.get("at")), tz))}</td>'
            f'<td align="center">{result}</td><td>{note}</td></tr>')
    if not rows:
        rows.append(f'<tr><td colspan="5" align="center"><i>{_e(text["none"])}</i></td></tr>')
    particulars = [
        (QCoreApplication.translate("Slip", "Dossier code"), f"<b>{_e(doc.get('code'))}</b>"),
        (QCoreApplication.translate("Slip", "Procedure"), _e(doc.get("procedure_name"))),
        (QCoreApplication.translate("Slip", "Applicant"), _e(applicant.get("name"))),
        (QCoreApplication.translate("Slip", "Received"), _e(format_datetime(parse_iso(doc.get("received_at")), tz))),
        (QCoreApplication.translate("Slip", "Appointment"), _e(format_datetime(parse_iso(doc.get("due_at")), tz))),
    ]
    info = "".join(f"<tr><td width=\"28%\">{_e(k)}:</td><td>{v}</td></tr>" for k, v in particulars)
    head = "".join(f'<th bgcolor="#eeeeee" width="{w}%" style="font-size: 7pt">{_e(h)}</th>'
                   for w, h in (
        (7, QCoreApplication.translate("Slip", "No.")), (31, QCoreApplication.translate("Slip", "AGENCY NAME / handing over — receiving")),
        (16, QCoreApplication.translate("Slip", "TIME OF HANDOVER")), (18, QCoreApplication.translate("Slip", "RESULT (early / on time / late)")),
        (28, QCoreApplication.translate("Slip", "NOTES"))))
    return (
        '<html><body style="font-size: 9pt">'
        + _header(agency)
        + '<p align="center" style="font-size: 12pt; margin-top: 10px"><b>'
        + _e(QCoreApplication.translate("Slip", "PROCESS-CONTROL SLIP FOR DOSSIER HANDLING")) + "</b></p>"
        + '<p align="center" style="font-size: 8.5pt"><i>'
        + _e(QCoreApplication.translate("Slip", "(Form 05, Circular 01/2018/TT-VPCP)")) + "</i></p>"
        + f'<table width="100%" cellspacing="0" cellpadding="1">{info}</table><br/>'
        + '<table width="100%" border="1" cellspacing="0" cellpadding="3" '
        + 'style="border-collapse: collapse; font-size: 8pt">'
        + f"<tr>{head}</tr>{''.join(rows)}</table><br/>"
        + '<table width="100%"><tr>'
        + f'<td width="50%" align="center"><b>{_e(text["giver"])}</b><br/>'
        + f'<i>{_e(text["sign"])}</i></td>'
        + f'<td width="50%" align="center"><b>{_e(text["receiver"])}</b><br/>'
        + f'<i>{_e(text["sign"])}</i></td></tr></table>'
        + "</body></html>")


def apology_details(doc: Mapping[str, Any]) -> tuple[datetime | None, datetime | None, str]:
    """(old appointment, new appointment, reason) from the dossier's apology, if any."""
    old = parse_iso(doc.get("original_due_at"))
    new = parse_iso(doc.get("due_at"))
    reason = ""
    for row in reversed(doc.get("history") or []):
        if row.get("action") == "apology":
            content = str(row.get("content") or "")
            reason = content.partition(_REASON_MARK)[2].strip() if _REASON_MARK in content else ""
            break
    return old, new, reason


def apology_slip_html(doc: Mapping[str, Any], calendar: WorkingCalendar, *, agency: str,
                      place: str = "", issued: datetime | None = None) -> str:
    """Mẫu 04 for ``doc``: addressed to the applicant, reason, old and new appointment."""
    tz = calendar.tz
    text = _labels()
    applicant = doc.get("applicant") or {}
    old, new, reason = apology_details(doc)
    when = issued or datetime.now(tz)
    local = when.astimezone(tz)
    day = QCoreApplication.translate("Slip", "day %1 month %2 year %3").replace(
        "%1", f"{local:%d}").replace("%2", f"{local:%m}").replace("%3", f"{local:%Y}")
    dated = QCoreApplication.translate("Slip", "%1, %2").replace("%1", place or "…").replace(
        "%2", day)

    def para(text: str) -> str:
        return f'<p style="margin-top: 4px">{text}</p>'

    body = [
        para(f'<b>{_e(text["addressee"])}:</b> {_e(applicant.get("name"))}'),
        para(_e(QCoreApplication.translate("Slip", "On %1, %2 received the dossier of Mr/Ms/organisation %3.")
                .replace("%1", format_datetime(parse_iso(doc.get("received_at")), tz))
                .replace("%2", agency).replace("%3", str(applicant.get("name") or "")))),
        para(f'{_e(QCoreApplication.translate("Slip", "Dossier code"))}: <b>{_e(doc.get("code"))}</b>'),
        para(f'{_e(text["request"])}: {_e(doc.get("procedure_name"))}'),
        para(f'{_e(text["appointment"])}: '
             f'<b>{_e(format_datetime(old, tz))}</b>'),
        para(_e(QCoreApplication.translate("Slip", "However, %1 has not yet returned the result of the dossier to you.")
                .replace("%1", agency))),
        para(f'{_e(text["reason"])}: {_e(reason)}'),
        para(_e(text["sorry"].replace("%1", agency)).replace(
            "%2", f"<b>{_e(format_datetime(new, tz))}</b>")),
        para(_e(QCoreApplication.translate("Slip", "Thank you for your cooperation."))),
    ]
    return (
        '<html><body style="font-size: 10pt">'
        + _header(agency, dated)
        + '<p align="center" style="font-size: 12pt; margin-top: 12px"><b>'
        + _e(QCoreApplication.translate("Slip", "APOLOGY AND NEW APPOINTMENT FOR THE RESULT")) + "</b></p>"
        + '<p align="center" style="font-size: 8.5pt"><i>'
        + _e(QCoreApplication.translate("Slip", "(Form 04, Circular 01/2018/TT-VPCP)")) + "</i></p>"
        + "".join(body)
        + '<br/><table width="100%"><tr><td width="45%"></td>'
        + f'<td width="55%" align="center"><b>{_e(text["head"])}</b><br/>'
        + f'<i>{_e(text["sign"])}</i><br/><br/><br/></td></tr></table>'
        + "</body></html>")
