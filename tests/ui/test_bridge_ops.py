"""The event bridge and the operations helpers deliver on the GUI thread."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from wfh_client.events import EventBus
from wfh_client.store.state import get_state, set_state
from wfh_client.ui.bridge import EventBridge, handler_name, immediate
from wfh_client.ui.ops import run_in_background, run_in_db_writer


class Listener(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, Any, int]] = []

    def on_event_sync_progress(self, done: int, total: int, phase: str) -> None:
        self.calls.append(("progress", (done, total, phase), threading.get_ident()))

    @immediate
    def on_event_auth_revoked(self, reason: str) -> None:
        self.calls.append(("revoked", reason, threading.get_ident()))


def test_handler_name() -> None:
    assert handler_name("sync.progress") == "on_event_sync_progress"
    assert handler_name("connectivity") == "on_event_connectivity"


def test_worker_thread_event_runs_handler_on_gui_thread(qtbot: Any, bus: EventBus) -> None:
    bridge = EventBridge(bus)
    listener = Listener()
    qtbot.addWidget(listener)
    listener.show()
    bridge.register(listener)
    worker = threading.Thread(target=lambda: bus.publish("sync.progress", done=3, total=10,
                                                         phase="pull"))
    with qtbot.waitSignal(bridge.delivered, timeout=5000):
        worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(listener.calls) == 1)
    name, payload, thread = listener.calls[0]
    assert (name, payload) == ("progress", (3, 10, "pull"))
    assert thread == threading.main_thread().ident != worker.ident
    bridge.close()


def test_hidden_view_defers_until_shown(qtbot: Any, bus: EventBus) -> None:
    bridge = EventBridge(bus)
    listener = Listener()
    qtbot.addWidget(listener)
    bridge.register(listener)
    bus.publish("sync.progress", done=1, total=2, phase="push")
    bus.publish("auth.revoked", reason="device_revoked")
    qtbot.waitUntil(lambda: bridge.deferred_count(listener) == 1)
    # the immediate handler ran although hidden; the refresh waits
    assert [c[0] for c in listener.calls] == ["revoked"]
    listener.show()
    qtbot.waitUntil(lambda: len(listener.calls) == 2)
    assert listener.calls[1][:2] == ("progress", (1, 2, "push"))
    assert bridge.deferred_count(listener) == 0
    bridge.close()


def test_destroyed_listener_is_dropped(qtbot: Any, bus: EventBus) -> None:
    bridge = EventBridge(bus)
    listener = Listener()
    listener.show()
    bridge.register(listener)
    listener.deleteLater()
    qtbot.waitUntil(lambda: not _alive(listener))
    with qtbot.waitSignal(bridge.delivered, timeout=5000):
        bus.publish("sync.progress", done=1, total=1, phase="x")  # no crash on a dead view
    assert bridge._targets[handler_name("sync.progress")] == []
    bridge.close()


def test_run_in_db_writer_delivers_result_on_gui_thread(qtbot: Any, small: Any) -> None:
    cache, _docs = small
    seen: dict[str, Any] = {}

    def write(db: Any) -> str:
        seen["writer"] = threading.get_ident()
        set_state(db, "ui_test", "xin chào")
        return str(get_state(db, "ui_test"))

    def done(value: str) -> None:
        seen["value"], seen["gui"] = value, threading.get_ident()

    run_in_db_writer(cache, write, done)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["value"] == "xin chào"
    assert seen["gui"] == threading.main_thread().ident != seen["writer"]


def test_errors_reach_on_error(qtbot: Any, small: Any) -> None:
    cache, _docs = small
    errors: list[BaseException] = []

    def broken(db: Any) -> None:
        db.execute("INSERT INTO no_such_table VALUES (1)")

    run_in_db_writer(cache, broken, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1)

    def fail() -> None:
        raise ValueError("mạng lỗi")

    run_in_background(fail, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 2)
    assert isinstance(errors[1], ValueError)


def test_run_in_background_skips_destroyed_guard(qtbot: Any) -> None:
    guard = QWidget()
    gate = threading.Event()
    results: list[int] = []
    future = run_in_background(lambda: gate.wait(5) and 1, results.append, guard=guard)
    guard.deleteLater()
    qtbot.waitUntil(lambda: not _alive(guard))
    gate.set()
    future.result(5)
    marker: list[int] = []
    run_in_background(lambda: 2, marker.append)
    qtbot.waitUntil(lambda: marker == [2])
    assert results == []


def _alive(obj: Any) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(obj))


@pytest.mark.parametrize("event", ["dossiers.changed", "outbox.changed"])
def test_bus_events_reach_bridge_signal(qtbot: Any, bus: EventBus, event: str) -> None:
    bridge = EventBridge(bus)
    with qtbot.waitSignal(bridge.delivered, timeout=5000) as blocker:
        bus.publish(event, ids=["a"]) if event == "dossiers.changed" else \
            bus.publish(event, dossier_id="a")
    assert blocker.args[0] == event
    bridge.close()
