"""The list that shows what needs doing, driven as a user does (issue 12.10).

Open dossiers first by urgency (closed ones behind the view choice), a "to do" view, several
statuses at once, a step column that says who the dossier waits for, "paused" while the
applicant is asked for documents, unread markers, empty states with a way out, a column
chooser whose layout is kept, and the keyboard: Down/Enter from the search into the rows, Enter
opens, Ctrl+Enter records a dialog.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import NOW
from tests.ui.dossier_fixtures import OFFICER, Desk, desk_fixture  # noqa: F401 - desk_factory
from tests.ui.helpers import iso, press
from wfh_client.config import load_config
from wfh_client.domain.deadlines import clock_running
from wfh_client.events import EventBus
from wfh_client.store.dossiers import put_server_copy
from wfh_client.store.listing import CLOSED_STATUSES
from wfh_client.ui.app import ClientApp
from wfh_client.ui.dialogs.forms import NoteDialog
from wfh_client.ui.models.dossier_table import COLUMNS

HEAD = {**OFFICER, "id": 3, "role": "head", "full_name": "Phạm Thị Lan"}


@pytest.fixture
def app_of(qtbot: Any, shells: Callable[..., ClientApp], bus: EventBus, calendar: Any,
           tmp_path: Path) -> Callable[..., ClientApp]:
    def make(cache: Any, user: dict[str, Any] = OFFICER, **kwargs: Any) -> ClientApp:
        config = load_config(tmp_path / "client", policy_path=tmp_path / "no-policy.json")
        shell = shells(cache=cache, bus=bus, calendar=calendar, clock=lambda: NOW, user=user,
                       config=config, **kwargs)
        qtbot.waitUntil(lambda: shell.window.model.viewer is not None
                        and shell.window.model.viewer.unread_since is not None, timeout=10_000)
        return shell

    return make


def rows(shell: ClientApp) -> list[Any]:
    model = shell.window.model
    return [model.row_data(r) for r in range(model.rowCount())]


def test_open_dossiers_first_by_urgency_closed_behind_the_view(
        app_of: Any, small: Any) -> None:
    cache, docs = small
    shell = app_of(cache)
    shown = rows(shell)
    assert {r.id for r in shown} == {d["id"] for d in docs if d["status"] not in CLOSED_STATUSES}
    running = [r for r in shown if clock_running(r.status)]
    assert shown[:len(running)] == running  # the running ones first...
    dues = [r.due for r in running]
    assert dues == sorted(dues)  # ...most urgent first
    assert shell.window.list_view.horizontalHeader().sortIndicatorSection() == -1
    bar = shell.window.filter_bar
    bar.view.setCurrentIndex(bar.view.findData("closed"))  # what a user picks in the combo
    assert {r.id for r in rows(shell)} == {d["id"] for d in docs
                                          if d["status"] in CLOSED_STATUSES}
    assert bar.view.currentText() == "Đã kết thúc"
    bar.view.setCurrentIndex(bar.view.findData("all"))
    bar.status_actions[5].trigger()
    bar.status_actions[6].trigger()
    assert {r.status for r in rows(shell)} == {5, 6}
    assert bar.status.text() == "2 trạng thái"


def test_to_do_step_column_and_paused(app_of: Any, small: Any) -> None:
    cache, docs = small
    mine = [d for d in docs if d["status"] == 4][:3]
    waiting_head = copy.deepcopy(mine[0])
    waiting_head.update(step="submitted_for_approval", version=waiting_head["version"] + 1)
    cache.writer.run(lambda db: put_server_copy(db, waiting_head))
    officer = app_of(cache)
    press_view = officer.window.filter_bar
    press_view.view.setCurrentIndex(press_view.view.findData("todo"))
    todo = {r.id for r in rows(officer)}
    assert todo == {d["id"] for d in docs if d["status"] == 4} - {waiting_head["id"]}
    press_view.set_view("all")
    by_id = {r.id: r for r in rows(officer)}
    model = officer.window.model
    step_col = COLUMNS.index("step")
    row = next(i for i in range(model.rowCount())
               if model.dossier_id_at(i) == waiting_head["id"])
    assert model.data(model.index(row, step_col)) == "Chờ lãnh đạo phê duyệt"
    assert model.headerData(step_col, Qt.Orientation.Horizontal) == "Bước xử lý"
    paused = next(i for i in range(model.rowCount()) if by_id[model.dossier_id_at(i)].status == 5)
    assert model.data(model.index(paused, COLUMNS.index("remaining"))) == "tạm dừng"
    assert model.data(model.index(paused, step_col)) == "Chờ công dân bổ sung hồ sơ"


def test_head_to_do_is_what_waits_for_the_head(qtbot: Any, app_of: Any, small: Any) -> None:
    cache, docs = small
    submitted = copy.deepcopy(next(d for d in docs if d["status"] == 4))
    submitted.update(step="submitted_for_approval", version=submitted["version"] + 1)
    cache.writer.run(lambda db: put_server_copy(db, submitted))
    head = app_of(cache, user=HEAD)
    press(qtbot, head.window.list_view, "Ctrl+T")
    todo = {r.id for r in rows(head)}
    expected = {d["id"] for d in docs if d["status"] == 2} | {submitted["id"]}
    assert todo == expected


def test_unread_marker_until_opened(qtbot: Any, app_of: Any, small: Any) -> None:
    cache, docs = small
    shell = app_of(cache)
    model = shell.window.model
    assert not any(r.unread for r in rows(shell))  # what the first download brought is read
    target = copy.deepcopy(next(d for d in docs if d["status"] == 4))
    later = NOW + timedelta(minutes=5)
    target.update(version=target["version"] + 1, updated_at=iso(later), notes=[
        *target.get("notes", []),
        {"id": "n-head-1", "author_id": 3, "author_name": "Phạm Thị Lan",
         "text": "Anh xem lại thửa đất số 12", "created_at": iso(later), "client_id": None}])
    cache.writer.run(lambda db: put_server_copy(db, target))
    shell.ctx.bus.publish("dossiers.changed", ids=[target["id"]])  # as the sync does

    def row_of() -> int:
        return next((i for i in range(model.rowCount()) if model.dossier_id_at(i) == target["id"]),
                    -1)

    qtbot.waitUntil(lambda: row_of() >= 0 and model.row_data(row_of()).unread, timeout=10_000)
    index = model.index(row_of(), 0)
    assert model.data(index, Qt.ItemDataRole.FontRole).bold()
    assert not model.data(index, Qt.ItemDataRole.DecorationRole).isNull()
    assert sum(r.unread for r in rows(shell)) == 1
    # opening it (double-click) reads it
    view = shell.window.list_view
    view.scrollTo(model.index(row_of(), 1))
    rect = view.visualRect(model.index(row_of(), 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: not model.row_data(row_of()).unread, timeout=10_000)
    for window in QApplication.topLevelWidgets():
        if window.objectName() == "dossierWindow":
            window.close()


def test_empty_states_offer_a_way_out(qtbot: Any, app_of: Any, small: Any) -> None:
    cache, docs = small
    shell = app_of(cache)
    view, bar = shell.window.list_view, shell.window.filter_bar
    qtbot.keyClicks(bar.search, "xyzzy khong co")
    bar.flush()
    assert shell.window.model.rowCount() == 0
    qtbot.waitUntil(view.empty_label.isVisible, timeout=10_000)
    assert "Không tìm thấy hồ sơ nào — " in view.empty_label.text()
    assert "Xóa bộ lọc" in view.empty_label.text()
    view.empty_label.linkActivated.emit("clear")  # the link's click
    assert bar.search.text() == "" and shell.window.model.rowCount() > 0
    assert not view.empty_label.isVisible()


def test_column_chooser_and_the_layout_is_kept(qtbot: Any, app_of: Any, small: Any) -> None:
    cache, _docs = small
    shell = app_of(cache)
    view = shell.window.list_view
    header = view.horizontalHeader()
    received = COLUMNS.index("received")
    menu = view.show_column_menu(header.rect().center())
    entries = {a.data(): a for a in menu.actions()}
    assert not entries[COLUMNS.index("code")].isEnabled()  # the code always shows
    entries[received].trigger()  # untick "Ngày nhận"
    menu.close()
    assert header.isSectionHidden(received)
    header.resizeSection(COLUMNS.index("procedure"), 333)
    shell.window.close()  # keeps the layout
    again = app_of(cache)
    header2 = again.window.list_view.horizontalHeader()
    assert header2.isSectionHidden(received)
    assert header2.sectionSize(COLUMNS.index("procedure")) == 333


def test_keyboard_from_search_to_rows_and_ctrl_enter_records(
        qtbot: Any, app_of: Any, desk_factory: Callable[..., Desk]) -> None:
    desk = desk_factory()
    shell = app_of(desk.cache, engine=desk.ctx.engine)
    bar, view = shell.window.filter_bar, shell.window.list_view
    opened: list[str] = []
    shell.window.open_requested.disconnect()
    shell.window.open_requested.connect(opened.append)
    press(qtbot, bar.search, "Ctrl+F")
    qtbot.keyClicks(bar.search, desk.doc["code"][-4:])
    qtbot.keyClick(bar.search, Qt.Key.Key_Down)
    assert view.hasFocus() and view.current_dossier_id() == desk.id
    assert view.selected_dossier_ids() == [desk.id]  # the whole row
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened == [desk.id]
    press(qtbot, view, "Ctrl+N")  # a note: multi-line, so Enter is a new line
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, NoteDialog) and w.isVisible())
    qtbot.keyClicks(dialog.text, "Da goi dien")  # QTest types ASCII only
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
    assert dialog.isVisible() and desk.outbox() == []
    with qtbot.waitSignal(dialog.recorded, timeout=10_000):
        press(qtbot, dialog.text, "Ctrl+Return")
    assert [e.action for e in desk.outbox()] == ["note"]


def test_only_the_current_row_has_the_frameless_delegate(qtbot: Any, small: Any) -> None:
    """The focus frame is drawn for the current cell only, so only the current row is drawn
    through the Python delegate that removes it; the others use Qt's own delegate."""
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    from wfh_client.domain.calendar import WorkingCalendar
    from wfh_client.store.listing import DossierFilter
    from wfh_client.ui.models.dossier_table import DossierTableModel
    from wfh_client.ui.views.dossier_list import DossierListView

    cache, _docs = small
    model = DossierTableModel(cache, WorkingCalendar(), clock=lambda: NOW)
    view = DossierListView(model)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    default = view.itemDelegate()

    def delegate_of(row: int) -> Any:
        return view.itemDelegateForIndex(model.index(row, 1))

    assert all(delegate_of(r) is default for r in range(model.rowCount()))
    view.setCurrentIndex(model.index(3, 1))
    framed = delegate_of(3)
    assert framed is not default
    assert all(delegate_of(r) is default for r in range(model.rowCount()) if r != 3)
    option = QStyleOptionViewItem()
    option.state = QStyle.StateFlag.State_HasFocus | QStyle.StateFlag.State_Enabled
    framed.initStyleOption(option, model.index(3, 1))
    assert not option.state & QStyle.StateFlag.State_HasFocus
    assert option.state & QStyle.StateFlag.State_Enabled
    assert option.text == model.data(model.index(3, 1))
    view.setCurrentIndex(model.index(5, 0))  # moves with the current row
    assert delegate_of(5) is framed and delegate_of(3) is default
    rid = model.rid_at(5)
    view.apply_filter(DossierFilter(text=model.row_data(5).code))  # a new list, same dossier
    row = model.row_of(rid)
    assert row is not None and view.currentIndex().row() == row
    assert delegate_of(row) is framed
    assert all(delegate_of(r) is default for r in range(model.rowCount()) if r != row)
    view.apply_filter(DossierFilter(text="xyzzy-no-such-dossier"))  # no current row at all
    assert not view.currentIndex().isValid()
    view.apply_filter(DossierFilter())
    assert all(delegate_of(r) is default for r in range(model.rowCount()))
