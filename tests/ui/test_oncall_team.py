"""The head's team view: a live roster (qtmodeltester), recalls issued from it reach an
officer's client and their per-person state follows live, closing a recall, leave approval.

Two real clients of one department in one process (the head's and an officer's: each its own
keyring login, encrypted cache, events feed and on-call core under a ``ClientApp``) on the
frozen-clock server.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from tests.server.oncall_support import OncallServer, z
from tests.server.util import login
from tests.ui import oncall_fixtures
from tests.ui.oncall_fixtures import app_for
from wfh_client.ui.oncall.labels import recall_state_name
from wfh_client.ui.oncall.team_model import COLUMNS
from wfh_client.ui.oncall.team_view import TeamView

oncall = oncall_fixtures.oncall
sound_player = oncall_fixtures.sound_player  # every test: a recording player


def cell(view: TeamView, user_id: int, column: str) -> str:
    row = view.model.row_of(user_id)
    if row < 0:
        return ""
    return str(view.model.index(row, COLUMNS.index(column)).data() or "")


def recall_items(view: TeamView) -> list[QTreeWidgetItem]:
    tree = view.recall_tree
    return [it for it in (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
            if it is not None]


def test_roster_recall_live_states_and_close(qtbot: Any, qtmodeltester: Any,
                                             oncall: OncallServer, tmp_path: Path) -> None:
    with app_for(qtbot, oncall, "truongphong.nn", tmp_path / "head") as head, \
            app_for(qtbot, oncall, "cv.nn1", tmp_path / "officer") as officer:
        assert head.ui.act_team is not None and officer.ui.act_team is None  # heads only
        assert head.ui.act_team.shortcut().toString() == "F8"
        head.ui.act_team.trigger()
        view: TeamView = head.ui.team_view
        qtbot.waitUntil(lambda: view.model.rowCount() > 0 and not view.loading, timeout=10_000)
        qtmodeltester.check(view.model)
        row = view.model.row_of(officer.user_id)
        assert row >= 0
        assert cell(view, officer.user_id, "connection") == view.model.tr("Connected")

        # check in as the officer: the roster shows it
        officer.ui.check_in("working")
        qtbot.waitUntil(lambda: bool(officer.checkins()), timeout=10_000)
        view.refresh()
        qtbot.waitUntil(lambda: "·" in cell(view, officer.user_id, "last_checkin"),
                        timeout=10_000)

        # recall the officer from the view
        view.table.selectRow(row)
        qtbot.mouseClick(view.recall_button, Qt.MouseButton.LeftButton)
        dialog = view.recall_dialog
        assert dialog is not None and dialog.recipients[0]["user_id"] == officer.user_id
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)
        assert dialog.error.isVisible()  # a message is required
        dialog.message.setPlainText("Dân đang chờ ở bộ phận một cửa, đề nghị về ngay.")
        dialog.urgency.setCurrentIndex(1)
        with qtbot.waitSignal(view.recall_sent, timeout=10_000) as sent:
            qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                             Qt.MouseButton.LeftButton)
        rid = int(sent.args[0]["id"])
        assert sent.args[0]["urgency"] == "urgent"

        qtbot.waitUntil(lambda: rid in officer.ui.alerts, timeout=10_000)
        alert = officer.ui.alerts[rid]
        assert alert.message.text().startswith("Dân đang chờ")
        # delivered, then seen (the alert was shown): live, through the head's feed
        qtbot.waitUntil(lambda: recall_state_name("seen") in cell(view, officer.user_id,
                                                                  "recalls"), timeout=10_000)
        qtmodeltester.check(view.model)
        qtbot.mouseClick(alert.coming_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: recall_state_name("acknowledged") in cell(
            view, officer.user_id, "recalls"), timeout=10_000)
        assert view.recall_tree.topLevelItemCount() >= 1

        # the head closes it from the view
        item = next(it for it in recall_items(view) if it.text(0).startswith(f"#{rid} "))
        view.recall_tree.setCurrentItem(item)
        assert view.close_recall_button.isEnabled()
        qtbot.mouseClick(view.close_recall_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not any(it.text(0).startswith(f"#{rid} ")
                                        for it in recall_items(view)), timeout=10_000)
        assert officer.peek("SELECT closed_at FROM recalls WHERE id = :r", r=rid)[0][0]
        assert cell(view, officer.user_id, "recalls") == ""


def test_a_closed_recall_closes_the_officers_alert(qtbot: Any, oncall: OncallServer,
                                                   tmp_path: Path) -> None:
    with app_for(qtbot, oncall, "truongphong.nn", tmp_path / "head") as head, \
            app_for(qtbot, oncall, "cv.nn2", tmp_path / "officer") as officer:
        view = head.ui.open_team()
        qtbot.waitUntil(lambda: view.model.row_of(officer.user_id) >= 0, timeout=10_000)
        view.table.selectRow(view.model.row_of(officer.user_id))
        dialog = view.open_recall_dialog()
        assert dialog is not None
        dialog.message.setPlainText("Họp gấp")
        with qtbot.waitSignal(view.recall_sent, timeout=10_000) as sent:
            dialog.buttons.accepted.emit()
        rid = int(sent.args[0]["id"])
        qtbot.waitUntil(lambda: rid in officer.ui.alerts, timeout=10_000)
        alert = officer.ui.alerts[rid]
        qtbot.waitUntil(lambda: view.recall_tree.topLevelItemCount() == 1, timeout=10_000)
        person = recall_items(view)[0].child(0)
        assert person is not None
        view.recall_tree.setCurrentItem(person)
        view.close_selected_recall()
        qtbot.waitUntil(lambda: not shiboken6.isValid(alert) or not alert.isVisible(),
                        timeout=10_000)


def test_leave_request_is_approved_from_the_view(qtbot: Any, oncall: OncallServer,
                                                 tmp_path: Path) -> None:
    with app_for(qtbot, oncall, "truongphong.nn", tmp_path / "head") as head:
        view = head.ui.open_team()
        qtbot.waitUntil(lambda: view.model.rowCount() > 0 and not view.loading, timeout=10_000)
        assert view.leave_tree.topLevelItemCount() == 0
        officer = login(oncall.srv, "cv.nn4")
        start = oncall.clock.now() + timedelta(days=1)
        r = officer.post("/api/v1/oncall/leave", json={
            "starts_at": z(start), "ends_at": z(start + timedelta(hours=4)),
            "reason": "Họp phụ huynh"})
        assert r.status_code == 200, r.text
        lid = int(r.json()["id"])
        # the head's feed carries the request: the view refreshes by itself
        qtbot.waitUntil(lambda: view.leave_tree.topLevelItemCount() == 1, timeout=10_000)
        item = view.leave_tree.topLevelItem(0)
        assert item is not None and item.text(2) == "Họp phụ huynh"
        view.leave_tree.setCurrentItem(item)
        qtbot.mouseClick(view.approve_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: view.leave_tree.topLevelItemCount() == 0, timeout=10_000)
        state = head.peek("SELECT state FROM leaves WHERE id = :i", i=lid)[0][0]
        assert state == "approved"
