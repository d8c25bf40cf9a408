"""Expected results computed in plain Python from the generated documents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.deadlines import clock_running
from wfh_client.domain.folding import fold


def iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def overdue(docs: list[dict[str, Any]], now: datetime) -> set[str]:
    return {d["id"] for d in docs
            if clock_running(d["status"]) and d["due_at"] < iso(now)}


def due_within(docs: list[dict[str, Any]], cal: WorkingCalendar, now: datetime,
               days: int) -> set[str]:
    limit = iso(cal.add_working_time(now, days=days))
    return {d["id"] for d in docs if clock_running(d["status"])
            and iso(now) <= d["due_at"] <= limit}


def matching(docs: list[dict[str, Any]], words: str) -> set[str]:
    def text(d: dict[str, Any]) -> str:
        a = d["applicant"]
        return fold(" ".join([d["code"], a["name"], a["id_number"], a["phone"],
                              d["procedure_name"], a["address"], d["summary"]]))

    wanted = fold(words).split()
    return {d["id"] for d in docs
            if all(any(tok.startswith(w) for tok in text(d).replace("-", " ").replace(".", " ")
                       .replace(",", " ").split()) for w in wanted)}


def model_ids(model: Any) -> list[str]:
    return [model.dossier_id_at(r) for r in range(model.rowCount())]


def press(qtbot: Any, widget: Any, sequence: str) -> None:
    """Type a shortcut as a user does: the key events reach the focused widget's window
    (through Qt's shortcut map), not a widget directly, which would bypass the shortcuts."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QKeySequence
    from PySide6.QtTest import QTest

    window = widget.window()
    window.activateWindow()
    qtbot.waitActive(window)
    # the key goes to the focus window: wait until Qt has made it this one
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is window.windowHandle(),
                    timeout=10_000)
    widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
    combination = QKeySequence(sequence)[0]
    QTest.keyClick(window.windowHandle(), combination.key(), combination.keyboardModifiers())
