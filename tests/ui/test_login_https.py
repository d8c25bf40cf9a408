"""The sign-in dialog never suggests plain http:// (issue 10.4): a bare host name becomes
https://, an http:// address to another computer is refused in plain words before any attempt,
and loopback (the demo) still works."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from wfh_client.ui.login_dialog import LoginDialog


def dialog_with(qtbot: Any, server: str) -> tuple[LoginDialog, list[tuple[str, str, str]]]:
    attempts: list[tuple[str, str, str]] = []
    dialog = LoginDialog(lambda *args: attempts.append(args), username="cv.tnmt1")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.server, server)
    qtbot.keyClicks(dialog.password, "demo")
    return dialog, attempts


def test_nothing_suggests_plain_http(qtbot: Any) -> None:
    dialog, _ = dialog_with(qtbot, "")
    assert dialog.server.placeholderText().startswith("https://")
    assert "http://" not in dialog.subheading.text()


def test_a_bare_host_name_becomes_https(qtbot: Any) -> None:
    dialog, attempts = dialog_with(qtbot, "motcua.example.gov.vn")
    with qtbot.waitSignal(dialog.logged_in, timeout=10_000):
        qtbot.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    assert attempts == [("https://motcua.example.gov.vn", "cv.tnmt1", "demo")]


def test_plain_http_to_another_computer_is_refused_in_plain_words(qtbot: Any) -> None:
    dialog, attempts = dialog_with(qtbot, "http://motcua.example.gov.vn")
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        qtbot.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    assert "https://" in failed.args[0] and "mã hóa" in failed.args[0]  # why, in Vietnamese
    assert dialog.error_label.isVisible() and attempts == []


def test_loopback_http_still_signs_in(qtbot: Any) -> None:
    dialog, attempts = dialog_with(qtbot, "http://127.0.0.1:8765")
    with qtbot.waitSignal(dialog.logged_in, timeout=10_000):
        qtbot.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    assert attempts == [("http://127.0.0.1:8765", "cv.tnmt1", "demo")]
