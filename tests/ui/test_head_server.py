"""The head's workspace against the real reference server on loopback (real keyring, real
encrypted cache, real HTTP): the queue, assigning two dossiers (online and offline), approvals,
the board's counts and click-through, and the reports with their chart and exports."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QPushButton

from tests.client.sync_helpers import SyncClient, client_for
from tests.server.util import Peek
from tests.support.clock import TEST_EPOCH
from tests.support.server import RunningServer
from wfh_client.domain.deadlines import OPEN_STATUSES, buckets, thresholds
from wfh_client.store import outbox as store_outbox
from wfh_client.ui.bridge import EventBridge
from wfh_client.ui.context import AppContext
from wfh_client.ui.head.approvals_view import ApprovalsPage
from wfh_client.ui.head.assign_dialog import BulkAssignDialog
from wfh_client.ui.head.board_view import BoardPage
from wfh_client.ui.head.queue_view import QueuePage
from wfh_client.ui.head.reports_view import ReportsPage
from wfh_client.ui.head.window import open_department

NOW = TEST_EPOCH


def head_context(client: SyncClient) -> AppContext:
    return AppContext(cache=client.cache, bus=client.bus,
                      calendar=client.engine.profile().calendar,
                      bridge=EventBridge(client.bus), engine=client.engine,
                      user=client.session.user, clock=lambda: NOW)


@pytest.fixture
def tnmt(server: RunningServer, tmp_path: Path) -> Iterator[SyncClient]:
    with client_for(server, "truongphong.tnmt", tmp_path / "head") as client:
        client.engine.sync_once(prefetch=False)
        yield client


def server_unassigned(server: RunningServer, department: str) -> set[str]:
    open_ = ",".join(str(int(s)) for s in OPEN_STATUSES)
    rows = Peek(server).rows(
        f"SELECT id FROM dossiers WHERE department_id = :d AND status IN ({open_}) "
        "AND (assignee_id IS NULL OR status = 2 OR step = 'unassigned')", d=department)
    return {str(r[0]) for r in rows}


def test_queue_lists_exactly_the_unassigned(qtbot: Any, qtmodeltester: Any, server: RunningServer,
                                            tnmt: SyncClient) -> None:
    page = QueuePage(head_context(tnmt))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.loads > 0, timeout=10_000)
    expected = server_unassigned(server, "stnmt")
    assert expected, "the seeded department has unassigned dossiers"
    assert {r.id for r in page.model.rows()} == expected
    dues = [r.due_at for r in page.model.rows()]
    assert dues == sorted(dues)  # most urgent first
    assert page.model.index(0, 6).data()  # remaining working time shown
    qtmodeltester.check(page.model, force_py=True)
    assert not page.assign_button.isEnabled()
    page.table.selectAll()
    assert page.assign_button.isEnabled()


def test_assign_two_dossiers_with_the_live_load(qtbot: Any, qtmodeltester: Any,
                                                server: RunningServer, tnmt: SyncClient,
                                                tmp_path: Path) -> None:
    peek = Peek(server)
    page = QueuePage(head_context(tnmt))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.loads > 0, timeout=10_000)
    ids = sorted(server_unassigned(server, "stnmt"))[:2]
    assert len(ids) == 2
    page.select_ids(ids)
    assert sorted(page.selected_ids()) == ids
    with qtbot.waitSignal(page.assign_opened) as opened:
        page.act_assign.trigger()
    dialog: BulkAssignDialog = opened.args[0]
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # the model tester holds it
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.officers is not None, timeout=10_000)
    assert dialog.officers is not None and dialog.officers.live
    qtmodeltester.check(dialog.model, force_py=True)
    officer = peek.user("cv.tnmt2")
    open_now = peek.scalar(
        "SELECT COUNT(*) FROM dossiers WHERE assignee_id = :u AND status IN (2, 4, 5, 6)",
        u=officer.id)
    [row] = [r for r in dialog.model.rows() if r.user_id == officer.id]
    assert row.open == open_now and row.on_leave_now is not None
    assert "máy chủ" in dialog.source.text()
    assert not dialog.ok_button.isEnabled()  # nobody chosen yet
    assert dialog.select_officer(officer.id)
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.recorded, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    entries = [e for e in store_outbox.entries(tnmt.cache.reader()) if e.action == "assign"]
    assert sorted(e.dossier_id for e in entries) == ids
    assert all(e.payload == {"assignee_id": officer.id} for e in entries)
    qtbot.waitUntil(lambda: not set(ids) & {r.id for r in page.model.rows()}, timeout=10_000)
    tnmt.engine.sync_once(prefetch=False)
    for dossier_id in ids:
        assert peek.scalar("SELECT assignee_id FROM dossiers WHERE id = :i",
                           i=dossier_id) == officer.id
        assert peek.scalar("SELECT COUNT(*) FROM history WHERE dossier_id = :i AND "
                           "action = 'assign' AND handed_to_id = :u",
                           i=dossier_id, u=officer.id) == 1
    with client_for(server, "cv.tnmt2", tmp_path / "officer") as other:
        other.engine.sync_once(prefetch=False)
        assert set(ids) <= other.ids()


def test_assign_offline_from_the_cache(qtbot: Any, server: RunningServer,
                                       tnmt: SyncClient) -> None:
    ctx = head_context(tnmt)
    ids = sorted(server_unassigned(server, "stnmt"))
    server.stop()  # the network is gone
    dialog = BulkAssignDialog(ctx, ids)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=20_000) as live:
        pass
    assert live.args == [False]
    assert dialog.model.rowCount() >= 2
    assert dialog.model.index(0, 4).data() == "không rõ"  # leave unknown offline
    target = dialog.model.row_at(0)
    dialog.select_officer(target.user_id)
    with qtbot.waitSignal(dialog.recorded, timeout=10_000):
        dialog.accept()
    pending = [e for e in store_outbox.entries(tnmt.cache.reader())
               if e.action == "assign" and e.state == "pending"]
    assert sorted(e.dossier_id for e in pending) == ids


def test_approve_and_return_for_rework(qtbot: Any, qtmodeltester: Any, server: RunningServer,
                                       tmp_path: Path) -> None:
    peek = Peek(server)
    submitted = {str(r[0]) for r in peek.rows(
        "SELECT id FROM dossiers WHERE department_id = 'ubnd-mytho' "
        "AND status = 4 AND step = 'submitted_for_approval'")}
    assert len(submitted) >= 2
    with client_for(server, "truongphong.mytho", tmp_path / "head") as client:
        client.engine.sync_once(prefetch=False)
        page = ApprovalsPage(head_context(client))
        qtbot.addWidget(page)
        qtbot.waitUntil(lambda: page.loads > 0, timeout=10_000)
        assert {r.id for r in page.model.rows()} == set(submitted)
        qtmodeltester.check(page.model, force_py=True)
        first, second = page.model.rows()[:2]
        assert page.select_id(first.id)
        assert page.proposal.toPlainText() == first.proposed_result != ""
        # Return the first for rework: a comment is required.
        with qtbot.waitSignal(page.dialog_opened) as opened:
            page.act_rework.trigger()
        rework = opened.args[0]
        assert not rework.ok_button.isEnabled()
        rework.text.setPlainText("Bổ sung ý kiến của phòng Quản lý đô thị")
        assert rework.ok_button.isEnabled()
        with qtbot.waitSignal(rework.recorded, timeout=10_000):
            qtbot.mouseClick(rework.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: first.id not in {r.id for r in page.model.rows()},
                        timeout=10_000)
        assert page.select_id(second.id)
        with qtbot.waitSignal(page.dialog_opened) as opened:
            qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
        approve = opened.args[0]
        with qtbot.waitSignal(approve.recorded, timeout=10_000):
            qtbot.mouseClick(approve.ok_button, Qt.MouseButton.LeftButton)
        client.engine.sync_once(prefetch=False)
        back = peek.one("SELECT status, step FROM dossiers WHERE id = :i", i=first.id)
        assert tuple(back) == (4, "returned_for_rework")
        done = peek.one("SELECT status, step FROM dossiers WHERE id = :i", i=second.id)
        expected_status = 8 if second.proposed_decision == "refuse" else 9
        assert tuple(done) == (expected_status, "approved")
        qtbot.waitUntil(lambda: page.model.rowCount() == len(submitted) - 2, timeout=10_000)


def _server_due(value: Any) -> datetime | None:
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def test_board_counts_equal_the_server(qtbot: Any, qtmodeltester: Any, server: RunningServer,
                                       tnmt: SyncClient) -> None:
    ctx = head_context(tnmt)
    page = BoardPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.loads > 0, timeout=10_000)
    rows = Peek(server).rows("SELECT id, status, step, due_at, apology_count, assignee_id "
                             "FROM dossiers WHERE department_id = 'stnmt' AND status != 7")
    t = thresholds(ctx.calendar, NOW)
    expected: dict[str, set[str]] = {"open": set(), "unassigned": set(), "due_today": set(),
                                     "due_3_days": set(), "overdue": set(),
                                     "needs_apology": set(), "awaiting_approval": set()}
    for dossier_id, status, step, due_at, apologies, assignee in rows:
        if status in OPEN_STATUSES:
            expected["open"].add(dossier_id)
            if assignee is None or status == 2 or step == "unassigned":
                expected["unassigned"].add(dossier_id)
        if status == 4 and step == "submitted_for_approval":
            expected["awaiting_approval"].add(dossier_id)
        for bucket in buckets(t, status, _server_due(due_at), step=step,
                              apology_count=apologies or 0):
            expected[bucket].add(dossier_id)
    for bucket, ids in expected.items():
        assert page.count_of(bucket) == len(ids), bucket
    statuses: dict[int, int] = {}
    for _i, status, *_rest in rows:
        statuses[status] = statuses.get(status, 0) + 1
    for status, n in statuses.items():
        assert page.count_of(f"status:{status}") == n
    # Clicking a count lists exactly those dossiers; a double-click opens one.
    with qtbot.waitSignal(page.list_loaded, timeout=10_000):
        qtbot.mouseClick(page.tiles["open"], Qt.MouseButton.LeftButton)
    assert set(page.listed_ids()) == expected["open"]
    qtmodeltester.check(page.model, force_py=True)
    busiest = max(expected, key=lambda b: len(expected[b]) if b != "open" else -1)
    with qtbot.waitSignal(page.list_loaded, timeout=10_000):
        qtbot.mouseClick(page.tiles[busiest], Qt.MouseButton.LeftButton)
    assert set(page.listed_ids()) == expected[busiest]
    with qtbot.waitSignal(page.open_requested) as opened:
        page.table.doubleClicked.emit(page.model.index(0, 0))
    assert opened.args == [page.listed_ids()[0]]


def test_department_window_opens_dossiers(qtbot: Any, tnmt: SyncClient) -> None:
    ctx = head_context(tnmt)
    window = open_department(ctx, "board")
    qtbot.addWidget(window)
    assert window.tabs.currentWidget() is window.board
    window.page_actions["queue"].trigger()
    assert window.tabs.currentWidget() is window.queue
    qtbot.waitUntil(lambda: window.queue.loads > 0, timeout=10_000)
    first = window.queue.model.rows()[0].id
    detail = window.open_dossier(first)  # a child of the department window
    assert detail.isVisible()
    detail.close()
    assert open_department(ctx, "reports") is window


def test_reports_chart_and_exports(qtbot: Any, qtmodeltester: Any, server: RunningServer,
                                   tnmt: SyncClient, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    page = ReportsPage(head_context(tnmt))
    qtbot.addWidget(page)
    page.resize(900, 700)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.reload()
    assert page.ontime is not None and page.checkins is not None
    officers = Peek(server).scalar("SELECT COUNT(*) FROM users WHERE role = 'officer' AND "
                                   "department_id = 'stnmt' AND disabled_at IS NULL")
    assert len(page.ontime.rows) >= officers  # every active officer listed
    assert page.ontime_model.rowCount() == len(page.ontime.rows)
    assert page.ontime.total.total > 0
    qtmodeltester.check(page.ontime_model, force_py=True)  # one model per tester
    image = page.ontime_chart.render_image(640)
    assert not image.isNull() and image.height() > 100
    colours = {image.pixelColor(x, y).name() for x in range(0, 640, 4)
               for y in range(0, image.height(), 4)}
    assert QColor("#2e7d32").name() in colours  # on-time bars were drawn
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.group.setCurrentIndex(2)  # by month: refetches
    assert page.ontime.group == "month"
    csv_path, xlsx_path = tmp_path / "bao-cao.csv", tmp_path / "bao-cao.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(csv_path), "")))
    with qtbot.waitSignal(page.exported, timeout=10_000):
        qtbot.mouseClick(page.csv_button, Qt.MouseButton.LeftButton)
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    # the file says what it is: title, department, period; then the table
    assert table[0] == ["Tỷ lệ đúng hạn theo tháng"]
    assert table[1] == [f"Đơn vị: {tnmt.session.user['department_name']}"]  # type: ignore[index]
    assert table[2][0].startswith("Kỳ báo cáo: ") and table[3] == []
    table = table[4:]
    assert table[0][0] == "Tháng"
    assert len(table) == len(page.ontime.rows) + 2  # header, rows, total
    notice = page.saved_notice
    assert notice is not None and notice.isVisible()
    assert notice.text() == "Đã lưu — bao-cao.csv"
    opened = _FileUrls()
    QDesktopServices.setUrlHandler("file", opened, "open")  # the desktop's "open this file"
    try:
        qtbot.mouseClick(notice.findChild(QPushButton, "openFile"), Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [Path(u.toLocalFile()) for u in opened.urls] == [csv_path]
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(xlsx_path), "")))
    with qtbot.waitSignal(page.exported, timeout=10_000):
        qtbot.mouseClick(page.xlsx_button, Qt.MouseButton.LeftButton)
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(xlsx_path)
    assert len(book.sheetnames) == 2
    ontime, checkins = (book[n] for n in book.sheetnames)
    assert ontime.cell(row=1, column=1).value == "Tỷ lệ đúng hạn theo tháng"
    assert str(ontime.cell(row=3, column=1).value).startswith("Kỳ báo cáo: ")
    assert ontime.max_row == 5 + len(page.ontime.rows) + 1  # preamble, blank, header, rows
    assert checkins.max_row == 5 + len(page.checkins.rows)


class _FileUrls(QObject):
    """Receives the file URLs the app asks the desktop to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)
