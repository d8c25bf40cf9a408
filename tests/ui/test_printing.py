"""The printed forms: Mẫu 05 (process-control slip) and Mẫu 04 (apology slip) as HTML, an A5
PDF export, and a rendered page."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.ui.conftest import NOW
from tests.ui.dossier_fixtures import Desk, desk_fixture  # noqa: F401 - the desk_factory fixture
from wfh_client.domain import WorkingCalendar
from wfh_client.domain.timefmt import parse_instant
from wfh_client.ui.detail import open_dossier
from wfh_client.ui.detail.shots import with_apology
from wfh_client.ui.detail.window import DossierWindow
from wfh_client.ui.i18n import set_language
from wfh_client.ui.printing.output import export_pdf, render_page
from wfh_client.ui.printing.slips import apology_details, apology_slip_html, control_slip_html

AGENCY = "Sở Tài nguyên và Môi trường"


def test_control_slip_html_has_the_official_layout(
        desk_factory: Callable[..., Desk], calendar: WorkingCalendar) -> None:
    doc = desk_factory().doc
    html = control_slip_html(doc, calendar, agency=AGENCY).replace("\u00a0", " ")
    for text in ("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", AGENCY.upper(), doc["code"],
                 "THỜI GIAN GIAO, NHẬN HỒ SƠ", "GHI CHÚ", "NGƯỜI GIAO", "NGƯỜI NHẬN",
                 "trước hạn", "đúng hạn", "quá hạn", "Trần Văn Bình",
                 parse_instant(doc["received_at"]).astimezone(calendar.tz).strftime("%d/%m/%Y %H:%M")):
        assert text in html, text
    assert html.count("<tr><td align=\"center\">") == len(doc["history"])


def test_slip_escapes_document_text(desk_factory: Callable[..., Desk],
                                    calendar: WorkingCalendar) -> None:
    doc = desk_factory().doc
    doc["history"][0]["content"] = "<script>x</script> & co"
    html = control_slip_html(doc, calendar, agency="A & B")
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt; &amp; co" in html


def test_apology_slip_html(desk_factory: Callable[..., Desk], calendar: WorkingCalendar) -> None:
    doc = with_apology(desk_factory().doc, calendar, NOW)
    old, new, reason = apology_details(doc)
    assert old is not None and new is not None and new > old
    html = apology_slip_html(doc, calendar, agency=AGENCY, place="Mỹ Tho", issued=NOW).replace(
        "\u00a0", " ")
    tz = calendar.tz
    for text in ("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Kính gửi", doc["applicant"]["name"],
                 reason, old.astimezone(tz).strftime("%d/%m/%Y %H:%M"),
                 new.astimezone(tz).strftime("%d/%m/%Y %H:%M"), "THỦ TRƯỞNG CƠ QUAN",
                 "Mỹ Tho, ngày 10 tháng 03 năm 2026"):
        assert text in html, text


def test_english_slip(desk_factory: Callable[..., Desk], calendar: WorkingCalendar) -> None:
    set_language("en")
    html = control_slip_html(desk_factory().doc, calendar, agency=AGENCY)
    assert "PROCESS-CONTROL SLIP FOR DOSSIER HANDLING" in html and "late" in html


def _media_boxes(pdf: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


def test_export_pdf_is_a5_with_the_dossier_code(qtbot: Any, desk_factory: Callable[..., Desk],
                                                tmp_path: Path) -> None:
    desk = desk_factory()
    window = open_dossier(desk.ctx, desk.id)
    assert isinstance(window, DossierWindow)
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)
    try:
        path = window.export_pdf(tmp_path / "phieu")
    finally:
        window.close()
    assert path == tmp_path / "phieu.pdf"
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = _media_boxes(data)
    assert boxes
    for width, height in boxes:  # A5 = 148 x 210 mm = 419.5 x 595.3 pt
        assert abs(width * 25.4 / 72 - 148) < 1 and abs(height * 25.4 / 72 - 210) < 1
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # the text is extractable (embedded fonts keep their ToUnicode maps)
        text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert desk.doc["code"] in text
        assert "PHIẾU KIỂM SOÁT" in text
    else:
        assert desk.doc["code"] in window_html_fallback(desk)


def window_html_fallback(desk: Desk) -> str:
    return control_slip_html(desk.doc, desk.ctx.calendar, agency=AGENCY)


def test_export_pdf_function_and_rendered_page(desk_factory: Callable[..., Desk],
                                               calendar: WorkingCalendar, tmp_path: Path) -> None:
    html = control_slip_html(desk_factory().doc, calendar, agency=AGENCY)
    path = export_pdf(html, tmp_path / "x.pdf", title="Phiếu kiểm soát")
    assert _media_boxes(path.read_bytes())
    image = render_page(html, dpi=100)
    assert (image.width(), image.height()) == (583, 827)  # 148 x 210 mm at 100 dpi
    # something is drawn in the upper part (the heading), the margins stay white
    assert image.pixelColor(5, 5).name() == "#ffffff"
    dark = sum(1 for x in range(0, image.width(), 3) for y in range(40, 300, 3)
               if image.pixelColor(x, y).lightness() < 100)
    assert dark > 100
