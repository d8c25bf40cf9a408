"""HTML of the official forms, built from a dossier document (pure functions, Qt only for tr).

- :func:`control_slip_html` — Mẫu 05 "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ": agency and
  national motto header, dossier code and particulars, one table row per handover (agency /
  handing over — receiving, time, result early / on time / late, notes) and signature lines.
- :func:`apology_slip_html` — Mẫu 04 "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" addressed to
  the applicant, with the reason, the old and the new appointment, and the signature block.
- :func:`supplement_slip_html` — Mẫu 02 "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ": the
  documents the applicant must bring (the dossier's latest request), the reason, the officer.

Every value from the document is HTML-escaped. The HTML keeps to what ``QTextDocument``
renders (tables with attributes, inline CSS for fonts and alignment). Layout rules: the place
name comes before the date ("Mỹ Tho, ngày 14 tháng 04 năm 2026"); titles and headers never
break a Vietnamese word (two-syllable terms are glued with no-break spaces, :func:`keep_words`);
the header has room above it for capital letters' accents; ``split_last`` moves the last
slip rows to a new page with the signatures (see ``printing.output``: the signature block
is never alone on a page).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication

from wfh_client.domain import WorkingCalendar
from wfh_client.domain.workflow import supplement_request
from wfh_client.ui.detail.labels import TIMELINESS_COLOURS, row_timeliness, timeliness_name
from wfh_client.ui.detail.timeline import to_text
from wfh_client.ui.i18n import format_datetime, parse_iso

__all__ = ["KEEP_TOGETHER", "apology_details", "apology_slip_html", "control_slip_html",
           "keep_words", "supplement_slip_html"]

_REASON_MARK = "Lý do: "
#: Vietnamese terms a line must not split (glued with no-break spaces in titles and headers)
KEEP_TOGETHER = ("hồ sơ", "thời gian", "kết quả", "giải quyết", "cơ quan", "ghi chú",
                 "người giao", "người nhận", "trước hạn", "đúng hạn", "quá hạn", "tài nguyên",
                 "môi trường", "nông nghiệp", "phát triển", "nông thôn", "thành phố", "ủy ban",
                 "nhân dân", "tư pháp", "xây dựng", "công thương", "giao thông", "vận tải",
                 "kế hoạch", "đầu tư", "văn hóa", "thể thao", "du lịch", "y tế", "giáo dục",
                 "đào tạo", "tài chính", "nội vụ", "lao động", "thương binh", "xã hội",
                 "khoa học", "công nghệ", "thông tin", "truyền thông", "một cửa", "bộ phận",
                 "bổ sung", "hoàn thiện", "xin lỗi", "hẹn lại", "kiểm soát", "quá trình",
                 "độc lập", "tự do", "hạnh phúc", "cộng hòa", "chủ nghĩa", "việt nam",
                 "thủ trưởng", "cán bộ", "ký tên", "họ tên")
_NBSP = "\u00a0"


def keep_words(text: str) -> str:
    """``text`` with the :data:`KEEP_TOGETHER` terms glued (any case), so no line splits them."""
    out = text
    for term in KEEP_TOGETHER:
        start = 0
        lowered = out.lower()
        while (i := lowered.find(term, start)) >= 0:
            end = i + len(term)
            edge_ok = (i == 0 or not lowered[i - 1].isalpha()) and \
                (end == len(out) or not lowered[end].isalpha())
            if edge_ok:
                out = out[:i] + out[i:end].replace(" ", _NBSP) + out[end:]
            start = end
    return out


def _k(value: Any) -> str:
    """Escaped and glued: for titles, headers and the signature block."""
    return _e(keep_words("" if value is None else str(value)))


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
        "officer": QCoreApplication.translate("Slip", "OFFICER IN CHARGE"),
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
    right = f"<b>{_k(text['nation'])}</b><br/><b><u>{_k(text['motto'])}</u></b>"
    if place_date:
        right += f"<br/><i>{_e(place_date)}</i>"
    # cellpadding: the capitals' accents (À, Ũ, Ĩ) rise above the line; at the very top of the
    # page they were clipped off
    return (
        '<table width="100%" cellspacing="0" cellpadding="3"><tr>'
        f'<td width="42%" align="center" style="font-size: 8pt"><b>{_k(agency.upper())}</b>'
        '<br/>———</td>'
        f'<td width="58%" align="center" style="font-size: 8pt">{right}</td>'
        "</tr></table>")


def _dated(place: str, issued: datetime, tz: Any) -> str:
    """The place name, then the date: "Mỹ Tho, ngày 14 tháng 04 năm 2026"."""
    local = issued.astimezone(tz)
    day = QCoreApplication.translate("Slip", "day %1 month %2 year %3").replace(
        "%1", f"{local:%d}").replace("%2", f"{local:%m}").replace("%3", f"{local:%Y}")
    return QCoreApplication.translate("Slip", "%1, %2").replace("%1", place or "…").replace(
        "%2", day)


def _title(title: str, form: str) -> str:
    return ('<p align="center" style="font-size: 12pt; margin-top: 10px"><b>'
            + _k(title) + "</b></p>"
            + '<p align="center" style="font-size: 8.5pt"><i>' + _e(form) + "</i></p>")


def _para(html: str) -> str:
    return f'<p style="margin-top: 4px">{html}</p>'


def _slip(size: str, header: str, title: str, form: str, body: str, signatures: str) -> str:
    """One whole slip: agency header, title and form line, body, signatures last."""
    return (f'<html><body style="font-size: {size}">' + header + _title(title, form) + body
            + signatures + "</body></html>")


def _signatures(*who: str) -> str:
    """The signature block (the last table of every slip: see ``printing.output``)."""
    text = _labels()
    width = 100 // len(who)
    cells = "".join(f'<td width="{width}%" align="center"><b>{_k(w)}</b><br/>'
                    f'<i>{_e(text["sign"])}</i><br/><br/><br/></td>' if w else
                    f'<td width="{width}%"></td>' for w in who)
    return '<table width="100%" cellpadding="2"><tr>' + cells + '</tr></table>'



def _from_cell(row: Mapping[str, Any], doc: Mapping[str, Any]) -> str:
    text = _labels()
    giver = _e(row.get("actor_name"))
    if row.get("department_name"):
        giver += f" ({_e(row['department_name'])})"
    return (f"<b>{_e(text['from'])}:</b> {giver}<br/>"
            f"<b>{_e(text['to'])}:</b> {_e(to_text(dict(row), dict(doc)))}")


def control_slip_html(doc: Mapping[str, Any], calendar: WorkingCalendar, *,
                      agency: str, split_last: int = 0) -> str:
    """Mẫu 05 for ``doc`` (see the module docstring); ``split_last`` > 0 starts a new page
    with the last rows and the signatures."""
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
            f'<tr><td align="center">{i}</td><td>{_from_cell(row, doc)}</td>'
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
    head = "".join(f'<th bgcolor="#eeeeee" width="{w}%" style="font-size: 7pt">{_k(h)}</th>'
                   for w, h in (
        (7, QCoreApplication.translate("Slip", "No.")), (31, QCoreApplication.translate("Slip", "AGENCY NAME / handing over — receiving")),
        (16, QCoreApplication.translate("Slip", "TIME OF HANDOVER")), (18, QCoreApplication.translate("Slip", "RESULT (early / on time / late)")),
        (28, QCoreApplication.translate("Slip", "NOTES"))))
    table = ('<table width="100%" border="1" cellspacing="0" cellpadding="3" '
             'style="border-collapse: collapse; font-size: 8pt">')
    keep = min(max(0, split_last), max(0, len(rows) - 1))
    first, last = rows[:len(rows) - keep], rows[len(rows) - keep:]
    moved = ""
    if last:  # a new page: the last rows (header repeated) with the signatures
        moved = (f'<p style="page-break-before: always; margin: 0"></p>{table}'
                 f"<tr>{head}</tr>{''.join(last)}</table>")
    return _slip(
        "9pt", _header(agency),
        QCoreApplication.translate("Slip", "PROCESS-CONTROL SLIP FOR DOSSIER HANDLING"),
        QCoreApplication.translate("Slip", "(Form 05, Circular 01/2018/TT-VPCP)"),
        f'<table width="100%" cellspacing="0" cellpadding="1">{info}</table><br/>'
        f"{table}<tr>{head}</tr>{''.join(first)}</table>{moved}<br/>",
        _signatures(text["giver"], text["receiver"]))


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
    dated = _dated(place, issued or datetime.now(tz), tz)

    body = [
        _para(f'<b>{_e(text["addressee"])}:</b> {_e(applicant.get("name"))}'),
        _para(_e(QCoreApplication.translate("Slip", "On %1, %2 received the dossier of Mr/Ms/organisation %3.")
                .replace("%1", format_datetime(parse_iso(doc.get("received_at")), tz))
                .replace("%2", agency).replace("%3", str(applicant.get("name") or "")))),
        _para(f'{_e(QCoreApplication.translate("Slip", "Dossier code"))}: <b>{_e(doc.get("code"))}</b>'),
        _para(f'{_e(text["request"])}: {_e(doc.get("procedure_name"))}'),
        _para(f'{_e(text["appointment"])}: '
             f'<b>{_e(format_datetime(old, tz))}</b>'),
        _para(_e(QCoreApplication.translate("Slip", "However, %1 has not yet returned the result of the dossier to you.")
                .replace("%1", agency))),
        _para(f'{_e(text["reason"])}: {_e(reason)}'),
        _para(_e(text["sorry"].replace("%1", agency)).replace(
            "%2", f"<b>{_e(format_datetime(new, tz))}</b>")),
        _para(_e(QCoreApplication.translate("Slip", "Thank you for your cooperation."))),
    ]
    return _slip(
        "10pt", _header(agency, dated),
        QCoreApplication.translate("Slip", "APOLOGY AND NEW APPOINTMENT FOR THE RESULT"),
        QCoreApplication.translate("Slip", "(Form 04, Circular 01/2018/TT-VPCP)"),
        "".join(body) + "<br/>", _signatures("", text["head"]))


def supplement_slip_html(doc: Mapping[str, Any], calendar: WorkingCalendar, *, agency: str,
                         place: str = "", issued: datetime | None = None) -> str:
    """Mẫu 02 for ``doc``: the documents its latest request asks for (empty list if none)."""
    tz = calendar.tz
    text = _labels()
    applicant = doc.get("applicant") or {}
    request = supplement_request(list(doc.get("history") or []))
    asked_at = parse_iso(request.at) if request is not None else None
    dated = _dated(place, issued or asked_at or datetime.now(tz), tz)

    items = "".join(f"<li>{_e(item)}</li>" for item in (request.missing if request else ()))
    body = [
        _para(f'<b>{_e(text["addressee"])}:</b> {_e(applicant.get("name"))}'),
        _para(_e(QCoreApplication.translate(
            "Slip", "On %1, %2 received the dossier of Mr/Ms/organisation %3.")
            .replace("%1", format_datetime(parse_iso(doc.get("received_at")), tz))
            .replace("%2", agency).replace("%3", str(applicant.get("name") or "")))),
        _para(f'{_e(QCoreApplication.translate("Slip", "Dossier code"))}: <b>{_e(doc.get("code"))}</b>'),
        _para(f'{_e(text["request"])}: {_e(doc.get("procedure_name"))}'),
        _para(_e(QCoreApplication.translate(
            "Slip", "After review, the dossier is not yet complete. Please supplement it with "
            "the following documents:"))),
        f'<ol style="margin-top: 2px">{items}</ol>',
        _para(f'{_e(text["reason"])}: {_e(request.reason if request else "")}'),
        _para(_e(QCoreApplication.translate(
            "Slip", "The time limit restarts from the day the complete dossier is received. "
            "This request is made once: no other document will be asked for."))),
        _para(_e(QCoreApplication.translate("Slip", "Requested on %1 by %2.")
                .replace("%1", format_datetime(asked_at, tz))
                .replace("%2", request.by if request else ""))),
    ]
    return _slip(
        "10pt", _header(agency, dated),
        QCoreApplication.translate("Slip", "REQUEST TO SUPPLEMENT AND COMPLETE THE DOSSIER"),
        QCoreApplication.translate("Slip", "(Form 02, Circular 01/2018/TT-VPCP)"),
        "".join(body) + "<br/>", _signatures(text["officer"], text["head"]))
