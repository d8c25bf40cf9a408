"""Workflow actions follow the dossier the user is on, as a user meets them (issue 12, 1-2, 12).

- Main window: the Dossier menu's actions and their shortcuts work for the selected row, and a
  right-click on a row offers them too.
- Dossier window: after an action the toolbar and the menu change at once (review, then submit
  for approval, in one window), and a disabled action says which rule it waits for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu

from tests.ui.conftest import NOW
from tests.ui.dossier_fixtures import Desk, desk_fixture  # noqa: F401 - the desk_factory fixture
from tests.ui.helpers import press
from tests.ui.shells import for_desk
from wfh_client.domain import ActionType
from wfh_client.ui.app import ClientApp
from wfh_client.ui.detail import open_dossier
from wfh_client.ui.detail.window import DossierWindow
from wfh_client.ui.dialogs.common import action_rule
from wfh_client.ui.dialogs.forms import StartReviewDialog, SubmitForApprovalDialog

ASSIGNED = {"step": "assigned"}


@pytest.fixture
def shell_for(shells: Callable[..., ClientApp]) -> Callable[[Desk], ClientApp]:
    return lambda desk: shells(**for_desk(desk))


def click_row(qtbot: Any, shell: ClientApp, row: int = 0) -> None:
    view = shell.window.list_view
    rect = view.visualRect(view.model().index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def action(shell: ClientApp, kind: str) -> Any:
    return next(a for a in shell.window.dossier_actions if a.data() == kind)


def dialogs_of(kind: type) -> list[Any]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_main_window_actions_follow_the_selected_row(
        qtbot: Any, desk_factory: Callable[..., Desk], shell_for: Any) -> None:
    desk = desk_factory(**ASSIGNED)
    shell = shell_for(desk)
    start = action(shell, "start_review")
    assert not start.isEnabled()  # nothing selected yet
    click_row(qtbot, shell)
    assert shell.window.list_view.current_dossier_id() == desk.id
    assert start.isEnabled()
    assert not action(shell, "submit_for_approval").isEnabled()  # review first
    # the shortcut shown in the menu opens the dialog for that dossier
    press(qtbot, shell.window.list_view, "Ctrl+Shift+R")
    qtbot.waitUntil(lambda: bool(dialogs_of(StartReviewDialog)), timeout=10_000)
    dialog = dialogs_of(StartReviewDialog)[0]
    assert dialog.dossier_id == desk.id
    with qtbot.waitSignal(dialog.recorded, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    # the recorded action changes what the same row offers, without re-selecting it
    qtbot.waitUntil(lambda: action(shell, "submit_for_approval").isEnabled(), timeout=10_000)
    assert not start.isEnabled()


def test_right_click_on_a_row_offers_its_actions(
        qtbot: Any, desk_factory: Callable[..., Desk], shell_for: Any) -> None:
    desk = desk_factory()  # in review: submit, request documents, note, stop, apology
    shell = shell_for(desk)
    view = shell.window.list_view
    click_row(qtbot, shell)
    pos = view.visualRect(view.model().index(0, 1)).center()
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos)))
    menu = shell.window.row_menu
    assert isinstance(menu, QMenu)
    qtbot.waitUntil(menu.isVisible, timeout=10_000)
    entries = {a.data(): a for a in menu.actions() if a.data()}
    assert entries[ActionType.SUBMIT_FOR_APPROVAL.value].isEnabled()
    assert not entries[ActionType.START_REVIEW.value].isEnabled()
    assert "approve" not in entries  # an officer never approves: not offered at all
    assert shell.window.act_open in menu.actions()
    entries[ActionType.SUBMIT_FOR_APPROVAL.value].trigger()
    menu.close()
    qtbot.waitUntil(lambda: bool(dialogs_of(SubmitForApprovalDialog)), timeout=10_000)
    dialogs_of(SubmitForApprovalDialog)[0].reject()


def test_review_then_submit_in_one_dossier_window(
        qtbot: Any, desk_factory: Callable[..., Desk]) -> None:
    desk = desk_factory(**ASSIGNED)
    window = open_dossier(desk.ctx, desk.id)
    assert isinstance(window, DossierWindow)
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)

    def on_toolbar() -> set[str]:
        return {a.data() for a in window.toolbar.actions()}

    start = window.actions_list.action_for("start_review")
    submit = window.actions_list.action_for("submit_for_approval")
    assert "start_review" in on_toolbar() and "submit_for_approval" not in on_toolbar()
    # the menu keeps the disabled action and says what it waits for
    assert submit in window.dossier_menu.actions() and not submit.isEnabled()
    assert action_rule(ActionType.SUBMIT_FOR_APPROVAL) in submit.toolTip()
    button = window.toolbar.widgetForAction(start)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.actions_list.last_dialog
    assert isinstance(dialog, StartReviewDialog)
    with qtbot.waitSignal(dialog.recorded, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "submit_for_approval" in on_toolbar(), timeout=10_000)
    assert submit.isEnabled() and not start.isEnabled()
    assert "start_review" not in on_toolbar()
    qtbot.mouseClick(window.toolbar.widgetForAction(submit), Qt.MouseButton.LeftButton)
    dialog = window.actions_list.last_dialog
    assert isinstance(dialog, SubmitForApprovalDialog)
    dialog.result_text.setPlainText("Dự thảo giấy phép xây dựng")
    with qtbot.waitSignal(dialog.recorded, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "submit_for_approval" not in on_toolbar(), timeout=10_000)
    assert [e.action for e in desk.outbox()] == ["start_review", "submit_for_approval"]
    window.close()


def test_a_disabled_apology_states_the_one_working_day_rule(
        qtbot: Any, desk_factory: Callable[..., Desk]) -> None:
    from wfh_client.domain.timefmt import to_iso_utc

    cal = desk_factory().ctx.calendar
    desk = desk_factory(due_at=to_iso_utc(cal.add_working_time(NOW, hours=3)))
    window = open_dossier(desk.ctx, desk.id)
    assert isinstance(window, DossierWindow)
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)
    apology = window.actions_list.action_for("apology")
    assert apology.isVisible() and not apology.isEnabled()
    assert "chậm nhất một ngày làm việc trước ngày hẹn trả" in apology.toolTip()
    window.close()
