"""The shell: main window, status-bar counts, refresh on events, tray, sync, languages."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import NOW
from tests.ui.helpers import due_within, overdue
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.deadlines import clock_running
from wfh_client.events import EventBus
from wfh_client.store.dossiers import put_server_copy, set_local_state
from wfh_client.store.listing import CLOSED_STATUSES, ListCounts
from wfh_client.store.outbox import record_conflict
from wfh_client.store.state import KEY_LAST_SUCCESS_AT, set_state
from wfh_client.ui.app import ClientApp, create_application
from wfh_client.ui.models.dossier_table import COLUMNS


class FakeEngine:
    """Stands in for the lead's engine: records the thread and publishes like it will."""

    def __init__(self, bus: EventBus) -> None:
        self.bus = bus
        self.threads: list[int] = []
        self.release = threading.Event()

    def sync_once(self, cancel: threading.Event | None = None) -> dict[str, int]:
        self.threads.append(threading.get_ident())
        self.bus.publish("sync.started")
        self.bus.publish("sync.progress", done=1, total=2, phase="pull")
        self.release.wait(10)
        self.bus.publish("sync.finished", report={"pulled": 0})
        return {"pulled": 0}


@pytest.fixture
def make_shell(qtbot: Any, bus: EventBus, calendar: WorkingCalendar) -> Iterator[Any]:
    shells: list[ClientApp] = []

    def make(cache: Any, **kwargs: Any) -> ClientApp:
        create_application(language="vi")
        shell = ClientApp(cache=cache, bus=bus, calendar=calendar, clock=lambda: NOW,
                          tray_available=kwargs.pop("tray_available", False), **kwargs)
        qtbot.addWidget(shell.window)
        shells.append(shell)
        return shell

    yield make
    for shell in shells:
        shell.engine_release = None
        shell.shutdown()


def wait_counts(qtbot: Any, shell: ClientApp) -> ListCounts:
    with qtbot.waitSignal(shell.window.counts_updated, timeout=10_000) as blocker:
        shell.window.refresh_counts()
    counts: ListCounts = blocker.args[0]
    return counts


def test_status_bar_counts(qtbot: Any, make_shell: Any, small: Any,
                           calendar: WorkingCalendar) -> None:
    cache, docs = small
    cache.writer.run(lambda db: set_local_state(db, docs[0]["id"], "pending"))
    cache.writer.run(lambda db: record_conflict(db, docs[1]["id"], None, {}, {}))
    cache.writer.run(lambda db: set_state(db, KEY_LAST_SUCCESS_AT, "2026-03-10T01:30:00Z"))
    shell = make_shell(cache)
    shell.show()
    counts = wait_counts(qtbot, shell)
    assert counts == ListCounts(len(docs), len(overdue(docs, NOW)),
                                len(due_within(docs, calendar, NOW, 1)), 1, 1,
                                "2026-03-10T01:30:00Z")
    text = shell.window.status.counts_text()
    open_docs = [d for d in docs if d["status"] not in CLOSED_STATUSES]  # the default view
    assert f"Hiển thị: {len(open_docs)} / {len(docs)}" in text
    assert f"Quá hạn: {counts.overdue}" in text and "Chưa gửi: 1" in text
    assert shell.window.status.last_sync_label.text() == "Đồng bộ lần cuối: 10/03/2026 08:30"
    shell.window.filter_bar.search.setText("dang ky dat dai")
    with qtbot.waitSignal(shell.window.list_view.refreshed, timeout=2000):
        pass  # the debounce timer fires by itself
    assert f"Hiển thị: {shell.window.model.rowCount()} / {len(docs)}" in \
        shell.window.status.counts_text()


def test_filter_bar_drives_model(qtbot: Any, make_shell: Any, small: Any) -> None:
    cache, docs = small
    shell = make_shell(cache)
    bar, model = shell.window.filter_bar, shell.window.model
    bar.status_actions[4].trigger()
    assert model.filter.statuses == {4}
    assert model.rowCount() == sum(d["status"] == 4 for d in docs)
    bar.status_actions[5].trigger()  # several statuses at once
    assert model.rowCount() == sum(d["status"] in (4, 5) for d in docs)
    bar.status_actions[5].trigger()
    bar.field.setCurrentIndex(bar.field.findData("Hộ tịch"))
    bar.due.setCurrentIndex(bar.due.findData("overdue"))
    bar.unsent.setChecked(True)
    assert model.filter.field == "Hộ tịch" and model.filter.due == "overdue" and model.filter.unsent
    bar.clear()
    assert model.rowCount() == sum(d["status"] not in CLOSED_STATUSES for d in docs)
    bar.set_view("all")
    assert model.rowCount() == len(docs)


def test_refresh_on_event_keeps_selection(qtbot: Any, make_shell: Any, small: Any,
                                          bus: EventBus) -> None:
    cache, docs = small
    shell = make_shell(cache)
    shell.show()
    view, model = shell.window.list_view, shell.window.model
    target = model.dossier_id_at(10)
    view.selectRow(10)
    # another running dossier's due date moves to the very top of the (urgency-ordered) list
    moved = dict(next(d for d in docs if d["id"] != target and clock_running(d["status"])))
    moved.update(version=moved["version"] + 1, due_at="2020-01-01T00:00:00Z")
    cache.writer.run(lambda db: put_server_copy(db, moved))
    worker = threading.Thread(target=lambda: bus.publish("dossiers.changed", ids=[moved["id"]]))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: model.dossier_id_at(0) == moved["id"], timeout=10_000)
    assert view.selected_dossier_ids() == [target]
    assert view.current_dossier_id() == target


def test_hidden_window_refreshes_when_shown(qtbot: Any, make_shell: Any, small: Any,
                                            bus: EventBus) -> None:
    cache, docs = small
    shell = make_shell(cache)
    view = shell.window.list_view
    bus.publish("outbox.changed", dossier_id=docs[0]["id"])
    qtbot.waitUntil(lambda: shell.bridge.deferred_count(view) == 1)
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        shell.show()


def test_close_keeps_running_in_tray(qtbot: Any, make_shell: Any, small: Any) -> None:
    cache, _docs = small
    shell = make_shell(cache, tray_available=True)
    shell.show()
    qtbot.waitExposed(shell.window)
    notes: list[tuple[str, str]] = []
    shell.tray.notified.connect(lambda t, x: notes.append((t, x)))
    shell.window.close()
    assert not shell.window.isVisible()
    assert notes and notes[0][0] == "Ứng dụng vẫn đang chạy"
    shell.tray.show_requested.emit()
    assert shell.window.isVisible()
    shell.window.close()
    assert len(notes) == 1  # the hint is shown once
    shell.notify("Triệu tập", "Lãnh đạo yêu cầu có mặt")
    assert notes[-1] == ("Triệu tập", "Lãnh đạo yêu cầu có mặt")


def test_without_tray_close_really_closes(qtbot: Any, make_shell: Any, small: Any) -> None:
    cache, _docs = small
    shell = make_shell(cache, tray_available=False)
    shell.show()
    shell.window.close()
    assert not shell.window.isVisible()
    assert shell.window.testAttribute(Qt.WidgetAttribute.WA_WState_Hidden)


def test_sync_now_runs_engine_off_gui_thread(qtbot: Any, make_shell: Any, small: Any,
                                             bus: EventBus) -> None:
    cache, _docs = small
    engine = FakeEngine(bus)
    shell = make_shell(cache, engine=engine)
    assert shell.window.act_sync.shortcut().toString() == "F5"
    states: list[str] = []
    shell.sync.state_changed.connect(states.append)
    assert shell.sync.sync_now()
    assert not shell.sync.sync_now()  # one pass at a time
    qtbot.waitUntil(lambda: shell.window.status.state_label.text() == "Đang đồng bộ…")
    with qtbot.waitSignal(shell.sync.finished, timeout=10_000):
        engine.release.set()
    assert engine.threads and engine.threads[0] != threading.main_thread().ident
    qtbot.waitUntil(lambda: shell.window.status.state_label.text() == "Trực tuyến")
    bus.publish("connectivity", online=False)
    qtbot.waitUntil(lambda: shell.window.status.state_label.text() == "Ngoại tuyến")


def test_language_switch_live(qtbot: Any, make_shell: Any, small: Any) -> None:
    cache, _docs = small
    shell = make_shell(cache)
    w = shell.window
    assert w.windowTitle() == "Hồ sơ — Làm việc tại nhà"
    assert w.model.headerData(0, Qt.Orientation.Horizontal) == "Mã hồ sơ"
    assert w.filter_bar.unsent.text() == "Thay đổi chưa gửi"
    assert w.sync_menu.title() == "Đồng &bộ"
    status_col = COLUMNS.index("status")
    vi_status = w.model.data(w.model.index(0, status_col))
    shell.set_language("en")
    qtbot.waitUntil(lambda: w.windowTitle() == "Dossiers — Work from home")
    assert w.model.headerData(0, Qt.Orientation.Horizontal) == "Code"
    assert w.filter_bar.unsent.text() == "Unsent changes"
    assert w.act_sync.text() == "Sync &now"
    en_status = w.model.data(w.model.index(0, status_col))
    assert en_status != vi_status and en_status.isascii()
    assert w.status.counts_text().startswith("Shown: ")
    shell.set_language("vi")
    qtbot.waitUntil(lambda: w.windowTitle() == "Hồ sơ — Làm việc tại nhà")
