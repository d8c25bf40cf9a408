"""Language and print (issue 12.15): Qt's own dialogs speak Vietnamese, one term per concept,
one dash style, sizes in MB, and reports that say what they are (the report files themselves:
tests/client/test_reports.py and tests/ui/test_head_server.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QCalendarWidget, QDialogButtonBox, QFileDialog

from wfh_client.config import load_config
from wfh_client.domain import ActionType, Timeliness
from wfh_client.sync.export import _t as export_term
from wfh_client.ui.detail.labels import format_size, timeliness_name
from wfh_client.ui.dialogs.common import action_title
from wfh_client.ui.head.board_view import bucket_title
from wfh_client.ui.i18n import TRANSLATIONS_DIR, set_language, status_name
from wfh_client.ui.settings_dialog import SettingsDialog

MOTTO = "Độc lập - Tự do - Hạnh phúc"  # the national motto is written with hyphens


def test_qt_dialogs_speak_vietnamese_then_english(qtbot: Any) -> None:
    set_language("vi")
    files = QFileDialog()
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(files)
    assert files.labelText(QFileDialog.DialogLabel.FileName) == "&Tên tệp:"
    assert files.labelText(QFileDialog.DialogLabel.LookIn) == "&Tìm trong:"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Hủy"
    printer = QPrinter()
    printing = QPrintDialog(printer)
    qtbot.addWidget(printing)
    assert printing.windowTitle() == "In"
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    assert calendar.locale().language() == QLocale.Language.Vietnamese
    assert "3" in QLocale().monthName(3) and QLocale().monthName(3) != "March"
    set_language("en")
    again = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(again)
    assert again.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
    assert QLocale().monthName(3) == "March"


def test_one_term_per_concept() -> None:
    set_language("vi")
    asked = action_title(ActionType.REQUEST_DOCUMENTS)
    assert asked == "Yêu cầu bổ sung hồ sơ"
    assert status_name(5) == asked  # the status
    assert bucket_title("awaiting_documents") == asked  # the head's board
    assert export_term("late", "vi") == "Quá hạn"  # reports
    assert timeliness_name(Timeliness.LATE) == "quá hạn"  # the slip


def test_a_label_means_what_its_screen_says() -> None:
    """The same English word can need two Vietnamese ones: "From:" is the sender on the recall
    alert, the first day of the period in the reports."""
    set_language("vi")
    translate = QCoreApplication.translate
    assert translate("RecallAlert", "From:") == "Người triệu tập:"
    assert translate("ReportsPage", "From:") == "Từ ngày:"


def test_one_dash_style_in_every_vietnamese_text() -> None:
    root = ET.parse(TRANSLATIONS_DIR / "wfh_vi.ts").getroot()
    texts = [t.text or "" for t in root.iter("translation")] + \
        [f.text or "" for f in root.iter("numerusform")]
    hyphenated = [t for t in texts if " - " in t and t != MOTTO]
    assert hyphenated == []


def test_sizes_are_in_mb(qtbot: Any, tmp_path: Path) -> None:
    set_language("vi")
    assert format_size(5 * 1024 * 1024) == "5.0 MB"
    dialog = SettingsDialog(load_config(tmp_path / "client", policy_path=tmp_path / "none.json"))
    qtbot.addWidget(dialog)
    assert dialog.prefetch.suffix() == " MB"


def test_the_qt_catalogue_is_compiled_from_its_source(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    tool = str(lrelease) if lrelease.exists() else shutil.which("pyside6-lrelease")
    assert tool is not None, "PySide6 ships pyside6-lrelease"
    out = tmp_path / "qt_vi.qm"
    subprocess.run([tool, str(TRANSLATIONS_DIR / "qt_vi.ts"), "-qm", str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == (TRANSLATIONS_DIR / "qt_vi.qm").read_bytes(), \
        "qt_vi.qm is stale: run `make translations`"


def test_dates_are_shown_in_the_calendars_zone_day_first() -> None:
    """format_date / format_datetime (f-strings since strftime went through the import hook):
    dd/mm/yyyy [HH:MM] in the office's time zone, empty for no date."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from wfh_client.ui.i18n import format_date, format_datetime

    hcm = ZoneInfo("Asia/Ho_Chi_Minh")
    late = datetime(2026, 3, 4, 17, 5, tzinfo=UTC)  # 00:05 on the 5th in Vietnam
    assert format_date(late, hcm) == "05/03/2026"
    assert format_datetime(late, hcm) == "05/03/2026 00:05"
    assert format_datetime(datetime(999, 1, 2, 3, 4, tzinfo=UTC), UTC) == "02/01/0999 03:04"
    assert format_date(None, hcm) == "" and format_datetime(None, hcm) == ""
    assert format_datetime(late, hcm) == late.astimezone(hcm).strftime("%d/%m/%Y %H:%M")
