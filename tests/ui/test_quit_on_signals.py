"""Ctrl+C in the terminal that started the app (or a SIGTERM) ends it like Quit, with its
normal shutdown and no traceback, also while a modal dialog runs its own event loop."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from wfh_client.ui.app import quit_on_signals


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_ends_every_event_loop_without_a_traceback(
        qapp: QApplication, qtbot: Any, capfd: pytest.CaptureFixture[str], sig: int) -> None:
    before = signal.getsignal(sig)
    undo = quit_on_signals(qapp)
    dialog = QDialog()  # a modal dialog in its own nested loop, like the login dialog
    qtbot.addWidget(dialog)
    seen: list[str] = []
    QTimer.singleShot(300, lambda: os.kill(os.getpid(), sig))
    # a watchdog: if the signal did not end the loops, this ends them and the test fails
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: (seen.append("watchdog"), dialog.reject(), qapp.exit(9)))
    watchdog.start(30_000)
    def modal() -> None:  # runs inside the main loop, as the app's dialogs do
        dialog.exec()
        seen.append("dialog ended")

    QTimer.singleShot(0, modal)
    try:
        code = qapp.exec()
    finally:
        watchdog.stop()
        undo()
    assert seen == ["dialog ended"] and code == 0
    assert signal.getsignal(sig) is before  # undone: pytest's own handlers are back
    err = capfd.readouterr().err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
