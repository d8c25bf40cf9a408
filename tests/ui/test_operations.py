"""One way to run work the user waits for, and events that cannot be misspelt (issue 12.19).

- A failure is told in plain words in the user's language, never Python's ``str(exc)``: the
  head saving a report into a folder that does not exist, an officer attaching a file larger
  than the server accepts.
- Long work shows a progress dialog with Cancel; quick work shows nothing.
- A misspelt event name, published, subscribed or as an ``on_event_`` handler, raises at once
  instead of never firing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QPushButton, QWidget

from tests.client.sync_helpers import SyncClient, client_for
from tests.support.server import RunningServer
from tests.ui.test_detail_server import context_for, officer_with_work, opened
from tests.ui.test_head_server import head_context
from wfh_client.events import Event, EventBus, UnknownEvent
from wfh_client.sync.documents import MAX_UPLOAD_BYTES
from wfh_client.ui.bridge import EventBridge
from wfh_client.ui.head.reports_view import ReportsPage
from wfh_client.ui.operation import PROGRESS_DELAY_MS, Op, OpControl


@pytest.fixture
def head(server: RunningServer, tmp_path: Path) -> Iterator[SyncClient]:
    with client_for(server, "truongphong.tnmt", tmp_path / "head") as client:
        client.engine.sync_once(prefetch=False)
        yield client


def test_a_report_saved_where_it_cannot_be_says_why_in_plain_words(
        qtbot: Any, head: SyncClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = ReportsPage(head_context(head))
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.reload()
    target = tmp_path / "không-có-thư-mục-này" / "bao-cao.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(target), "")))
    qtbot.mouseClick(page.csv_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Không lưu được" in page.status.text(), timeout=10_000)
    text = page.status.text()
    assert "Tệp hoặc thư mục không tồn tại" in text and str(target) in text
    assert "Errno" not in text and "No such file" not in text  # not Python's English


def test_attaching_a_file_too_big_for_the_server_says_so_in_vietnamese(
        qtbot: Any, server: RunningServer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    username, dossier_id = officer_with_work(server)
    big = tmp_path / "ban-scan.pdf"
    with big.open("wb") as f:  # sparse: takes no disk
        f.truncate(MAX_UPLOAD_BYTES + 1)
    with client_for(server, username, tmp_path / "officer") as client:
        client.engine.sync_once(prefetch=False)
        window = opened(qtbot, context_for(client), dossier_id)
        try:
            panel = window.documents
            monkeypatch.setattr(QFileDialog, "getOpenFileName",
                                staticmethod(lambda *_a, **_k: (str(big), "")))
            qtbot.mouseClick(panel.attach_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: bool(panel.message.text()), timeout=5_000)
            assert panel.message.text() == (
                "ban-scan.pdf lớn hơn 20 MB, mức tối đa máy chủ nhận.")
        finally:
            window.close()


class _Dialogish(QWidget):
    """A parent with an error line, like the action dialogs."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[str] = []

    def show_error(self, text: str) -> None:
        self.errors.append(text)


def test_long_work_shows_progress_and_cancel_stops_it(qtbot: Any) -> None:
    parent = _Dialogish()
    qtbot.addWidget(parent)
    parent.show()
    steps: list[int] = []

    def work(control: OpControl) -> int:
        for i in range(10_000):
            if control.cancelled.is_set():
                raise InterruptedError
            control.progress(i, 10_000)
            steps.append(i)
            time.sleep(0.005)
        return 1

    finished: list[int] = []
    op = Op(parent, work).success(finished.append).with_progress("Đang lưu báo cáo…").run()
    qtbot.waitUntil(lambda: parent.findChild(QProgressDialog, "operationProgress") is not None
                    and parent.findChild(QProgressDialog, "operationProgress").isVisible(),
                    timeout=PROGRESS_DELAY_MS + 3_000)
    dialog = parent.findChild(QProgressDialog, "operationProgress")
    assert dialog.labelText() == "Đang lưu báo cáo…"
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=3_000)  # progress reaches the bar
    [cancel] = dialog.findChildren(QPushButton)
    assert cancel.text() == "Hủy"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not op.running, timeout=3_000)
    qtbot.wait(50)
    assert op.control.cancelled.is_set() and len(steps) < 10_000
    assert not finished and parent.errors == []  # a cancel is no error
    qtbot.waitUntil(lambda: parent.findChild(QProgressDialog, "operationProgress") is None,
                    timeout=3_000)


def test_quick_work_shows_no_progress_and_a_failure_is_told_plainly(qtbot: Any) -> None:
    parent = _Dialogish()
    qtbot.addWidget(parent)
    done: list[int] = []
    op = Op(parent, lambda: 7).success(done.append).with_progress("…").run()
    qtbot.waitUntil(lambda: done == [7], timeout=3_000)
    qtbot.wait(PROGRESS_DELAY_MS + 100)
    assert parent.findChild(QProgressDialog) is None and not op.running

    def fail() -> None:
        raise OSError(28, "No space left on device", "/home/cv/bao-cao.xlsx")

    Op(parent, fail).run()
    qtbot.waitUntil(lambda: bool(parent.errors), timeout=3_000)
    assert parent.errors == ["Ổ đĩa đã đầy: hãy giải phóng bớt dung lượng rồi thử lại. "
                             "(/home/cv/bao-cao.xlsx)"]


def test_a_misspelt_event_fails_loudly(qtbot: Any) -> None:
    bus = EventBus()
    seen: list[dict[str, Any]] = []
    bus.subscribe(Event.DOSSIERS_CHANGED, lambda **kw: seen.append(kw))
    bus.publish("dossiers.changed", ids=["a"])
    assert seen == [{"ids": ["a"]}]  # the enum and the string are one name
    with pytest.raises(UnknownEvent):
        bus.publish("dossier.changed", ids=["a"])
    with pytest.raises(UnknownEvent):
        bus.subscribe("sync.finish", lambda **_kw: None)
    bus.publish("feed.something_new", x=1)  # a newer server's feed kind is no typo of ours

    class Listener(QWidget):
        def on_event_dossier_changed(self, **_kw: Any) -> None:
            """Would never be called: the event is dossiers.changed."""

    listener = Listener()
    qtbot.addWidget(listener)
    with pytest.raises(UnknownEvent, match="on_event_dossier_changed"):
        EventBridge(bus).register(listener)
