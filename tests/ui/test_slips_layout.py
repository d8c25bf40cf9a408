"""Printed slips a department would sign (issues 12.12 and 12.16).

- Mẫu 02, the request for documents, from the dossier window's Print menu, and the requested
  documents on the overview;
- no title or header word broken across lines (laid out on A5 as printed);
- the signature block never alone on a page, whatever the number of slip rows;
- "Người nhận" always names a person or an office, never a status;
- the place name before the date (from the machine policy).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QImage, QTextDocument

from tests.ui.conftest import NOW
from tests.ui.dossier_fixtures import Desk, desk_fixture  # noqa: F401 - the desk_factory fixture
from wfh_client.config import load_config
from wfh_client.domain import WorkingCalendar
from wfh_client.domain.timefmt import to_iso_utc
from wfh_client.ui.detail import open_dossier
from wfh_client.ui.detail.window import DossierWindow
from wfh_client.ui.i18n import status_name
from wfh_client.ui.printing.output import lay_out, signature_alone
from wfh_client.ui.printing.slips import KEEP_TOGETHER, control_slip_html

AGENCY = "Sở Tài nguyên và Môi trường"
MISSING = ["Bản vẽ thiết kế có chữ ký của chủ đầu tư", "Giấy chứng nhận quyền sử dụng đất"]


def awaiting_documents(doc: dict[str, Any], calendar: WorkingCalendar) -> dict[str, Any]:
    """``doc`` after the officer asked for two documents (the server's slip row text)."""
    changed = copy.deepcopy(doc)
    at = NOW - timedelta(hours=2)
    changed["history"].append({
        "id": "h-req-1", "at": to_iso_utc(at), "actor_id": 7, "actor_name": "Trần Văn Bình",
        "actor_title": "Chuyên viên", "department_name": AGENCY, "action": "request_documents",
        "from_status": 4, "to_status": 5, "from_step": "in_review", "to_step": "in_review",
        "handed_to_id": None, "handed_to_name": None, "step_due_at": None,
        "content": "Yêu cầu bổ sung: " + "; ".join(MISSING) + ". Lý do: Thiếu thành phần hồ sơ",
        "timeliness": None})
    changed.update(status=5, clock_stopped_at=to_iso_utc(at), supplement_count=1)
    return changed


def page_size() -> tuple[QImage, QSizeF]:
    image = QImage(580, 820, QImage.Format.Format_ARGB32)
    return image, QSizeF(520, 740)


def lines_of(doc: QTextDocument) -> list[str]:
    """Every laid-out line of the document's text (table cells included)."""
    out: list[str] = []
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        text = block.text()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            out.append(text[line.textStart():line.textStart() + line.textLength()])
        block = block.next()
    return out


def test_request_for_documents_on_the_overview_and_printed_as_form_02(
        qtbot: Any, desk_factory: Callable[..., Desk], tmp_path: Path,
        calendar: WorkingCalendar) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"place_name": "Mỹ Tho"}), encoding="utf-8")
    base = desk_factory()
    desk = desk_factory(**{k: v for k, v in awaiting_documents(base.doc, calendar).items()
                           if k not in ("id", "code")})
    desk.ctx.config = load_config(tmp_path / "client", policy_path=policy)
    window = open_dossier(desk.ctx, desk.id)
    assert isinstance(window, DossierWindow)
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)
    try:
        box = window.overview.request_box
        assert box.isVisibleTo(window) and box.title().startswith("Hồ sơ yêu cầu")
        assert all(item in window.overview.request_items.text() for item in MISSING)
        assert "chờ công dân" in window.overview.request_state.text()
        assert window.act_print_supplement.isEnabled()
        html = window.slip_html("supplement")
        assert isinstance(html, str)
        plain = html.replace("\u00a0", " ")
        for text in ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Mẫu số 02", *MISSING,
                     "Thiếu thành phần hồ sơ", desk.doc["applicant"]["name"], desk.doc["code"],
                     "Mỹ Tho, ngày"):
            assert text in plain, text
        path = window.export_pdf(tmp_path / "mau-02", "supplement")
        assert path is not None and path.read_bytes().startswith(b"%PDF-")
        # the apology slip has the place name, then the date
        apology = window.slip_html("apology")
        assert isinstance(apology, str) and "Mỹ Tho, ngày" in apology
    finally:
        window.close()


def test_titles_and_headers_never_split_a_word(desk_factory: Callable[..., Desk],
                                               calendar: WorkingCalendar) -> None:
    doc = desk_factory().doc
    image, page = page_size()
    laid = lay_out(lambda n: control_slip_html(doc, calendar, agency=AGENCY, split_last=n),
                   image, page)
    # titles and headers are the capitalised lines (body text may wrap where it must)
    lines = [line.lower() for line in lines_of(laid) if line.strip() and line == line.upper()]
    checked = 0
    for term in KEEP_TOGETHER:
        first, _sep, second = term.partition(" ")
        for i, line in enumerate(lines[:-1]):
            # a line ending with the first syllable while the next starts with the second
            if line.rstrip().endswith(first) and lines[i + 1].lstrip().startswith(second):
                raise AssertionError(f"{term!r} split between {line!r} and {lines[i + 1]!r}")
        checked += any(term.replace(" ", "\u00a0") in line for line in lines)
    assert checked >= 8  # the header, the title and the table's heads hold many of them


def test_the_signatures_are_never_alone_on_a_page(desk_factory: Callable[..., Desk],
                                                  calendar: WorkingCalendar) -> None:
    doc = desk_factory().doc
    first = doc["history"][-1]
    image, page = page_size()
    alone_without_the_rule = 0
    for rows in range(1, 30):
        many = copy.deepcopy(doc)
        many["history"] = [{**first, "id": f"h-{i}",
                            "at": to_iso_utc(NOW + timedelta(hours=i))} for i in range(rows)]
        plain = lay_out(control_slip_html(many, calendar, agency=AGENCY), image, page)
        alone_without_the_rule += signature_alone(plain)
        laid = lay_out(lambda n, d=many: control_slip_html(d, calendar, agency=AGENCY,
                                                           split_last=n), image, page)
        assert not signature_alone(laid), rows
    assert alone_without_the_rule >= 1  # some row counts would have left them alone


def test_the_receiver_is_a_person_or_an_office(desk_factory: Callable[..., Desk],
                                               calendar: WorkingCalendar) -> None:
    doc = awaiting_documents(desk_factory().doc, calendar)
    html = control_slip_html(doc, calendar, agency=AGENCY).replace("\u00a0", " ")
    receivers = [part.split("</td>")[0].split("<br/>")[0]
                 for part in html.split("<b>Người nhận:</b> ")[1:]]
    assert len(receivers) == len(doc["history"])
    statuses = {status_name(code) for code in range(1, 11)}
    for receiver in receivers:
        assert receiver.strip() and not any(s in receiver for s in statuses), receiver
    assert doc["applicant"]["name"] in receivers[-1]  # the request goes to the applicant
