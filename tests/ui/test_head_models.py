"""The head's workspace without a server: every table model under qtmodeltester, the QPainter
chart rendered into an image, number formats, the default report range, the Department menu
(heads only) and assigning several dossiers offline from a real encrypted cache."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence

from tests.ui.conftest import NOW, open_cache
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.events import EventBus
from wfh_client.store import Cache
from wfh_client.store import board as store_board
from wfh_client.store import outbox as store_outbox
from wfh_client.store.state import set_state
from wfh_client.sync.engine import KEY_PROFILE, SyncEngine
from wfh_client.ui.bridge import EventBridge
from wfh_client.ui.context import AppContext
from wfh_client.ui.detail.shots import OFFICER, OfflineTransport
from wfh_client.ui.head import data
from wfh_client.ui.head.assign_dialog import BulkAssignDialog
from wfh_client.ui.head.chart import BAD, GOOD, Bar, BarChart, Series
from wfh_client.ui.head.common import format_rate
from wfh_client.ui.head.models import (
    ApprovalModel,
    BucketModel,
    CheckinModel,
    OfficerModel,
    OnTimeModel,
    QueueModel,
)
from wfh_client.ui.head.reports_view import default_range
from wfh_client.ui.head.sample import HEAD, department_dossiers, sample_reports
from wfh_client.ui.i18n import set_language
from wfh_client.ui.main_window import MainWindow
from wfh_client.ui.sample_data import fill_cache


def context(cache: Cache, calendar: WorkingCalendar, user: dict[str, Any]) -> AppContext:
    bus = EventBus()
    cache.writer.run(lambda db: set_state(db, KEY_PROFILE, user))
    transport = OfflineTransport()
    transport.user = user
    return AppContext(cache=cache, bus=bus, calendar=calendar, bridge=EventBridge(bus),
                      engine=SyncEngine(transport, cache, bus=bus), user=user,
                      clock=lambda: NOW)


@pytest.fixture
def dept(tmp_path: Path, calendar: WorkingCalendar) -> Iterator[AppContext]:
    cache = open_cache(tmp_path)
    fill_cache(cache, department_dossiers(120, calendar, NOW))
    yield context(cache, calendar, HEAD)
    cache.wipe()


@pytest.mark.parametrize("kind", ["queue", "approvals", "bucket", "officers", "ontime",
                                  "checkins"])
def test_models(qtmodeltester: Any, dept: AppContext, kind: str) -> None:
    db, cal = dept.cache.reader(), dept.calendar
    tz, day = cal.tz, cal.hours_per_day
    model: Any
    rows: Any
    if kind == "queue":
        model, rows = QueueModel(tz, day), store_board.unassigned_queue(db, cal, NOW)
    elif kind == "approvals":
        model, rows = ApprovalModel(tz, day), store_board.approval_queue(db, cal, NOW)
    elif kind == "bucket":
        model, rows = BucketModel(tz, day), data.bucket_rows(db, cal, NOW, "open")
    elif kind == "officers":
        model, rows = OfficerModel(), data.cached_officers(db, cal, NOW).choices
    else:
        ontime, checkins = sample_reports(date(2026, 1, 1), date(2026, 4, 14))
        model, rows = (OnTimeModel(), ontime.rows) if kind == "ontime" \
            else (CheckinModel(), checkins.rows)
    assert rows
    model.set_rows(rows)
    qtmodeltester.check(model, force_py=True)
    for column in range(model.columnCount()):
        model.sort(column)
        model.sort(column, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model, force_py=True)
    assert all(model.index(0, c).data() is not None for c in range(model.columnCount()))


def test_chart_renders_bars_and_percentages(qapp: Any) -> None:
    chart = BarChart()
    chart.set_data([Bar("Trần Văn Bình", (41, 3), 41 / 44), Bar("Võ Đức Long", (0, 0), None)],
                   [Series("Đúng hạn", GOOD), Series("Trễ hạn", BAD)], title="Tỷ lệ đúng hạn")
    image = chart.render_image(600)
    assert image.width() == 600 and image.height() >= chart.minimumHeight() - 1
    colours = {image.pixelColor(x, y).name() for x in range(0, 600, 3)
               for y in range(0, image.height(), 3)}
    assert {GOOD.name(), BAD.name()} <= colours
    empty = BarChart()
    empty.set_data([], [Series("x", GOOD)], empty_text="Không có dữ liệu")
    blank = empty.render_image(300)
    assert GOOD.name() in {blank.pixelColor(x, y).name() for x in range(0, 60)
                           for y in range(0, blank.height())}  # the legend still shows
    assert QColor(blank.pixelColor(299, blank.height() - 1)).name() == "#ffffff"


def test_formats_follow_the_language(qapp: Any) -> None:
    assert format_rate(0.8532) == "85,3%"
    assert format_rate(None) == "—"
    set_language("en")
    assert format_rate(0.8532) == "85.3%"
    assert default_range(date(2026, 4, 14)) == (date(2025, 11, 1), date(2026, 4, 14))
    assert default_range(date(2026, 8, 31)) == (date(2026, 3, 1), date(2026, 8, 31))


def test_department_menu_for_heads_only(qtbot: Any, dept: AppContext, tmp_path: Path,
                                        calendar: WorkingCalendar) -> None:
    window = MainWindow(dept)
    qtbot.addWidget(window)
    menu = window.department_menu
    assert menu is not None
    shortcuts = {a.shortcut().toString() for a in menu.actions.values()}
    assert shortcuts == {"Ctrl+Alt+Q", "Ctrl+Alt+A", "Ctrl+Alt+B", "Ctrl+Alt+R"}
    others = [a.shortcut() for a in window.findChildren(type(menu.actions["queue"]))
              if a not in menu.actions.values() and not a.shortcut().isEmpty()]
    assert not shortcuts & {k.toString() for k in others}  # no clash in the main window
    assert menu.menu.title() == "&Phòng"
    opened = menu.open("board")
    qtbot.addWidget(opened)
    assert opened.tabs.currentWidget() is opened.board
    officer_cache = open_cache(tmp_path / "officer")
    try:
        officer = MainWindow(context(officer_cache, calendar, OFFICER))
        qtbot.addWidget(officer)
        assert officer.department_menu is None
        assert QKeySequence("Ctrl+Alt+Q") not in [a.shortcut() for a in officer.actions()]
    finally:
        officer_cache.wipe()


def test_assign_many_offline(qtbot: Any, dept: AppContext) -> None:
    ids = [q.id for q in store_board.unassigned_queue(dept.cache.reader(), dept.calendar,
                                                      NOW)[:3]]
    dialog = BulkAssignDialog(dept, ids)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000) as live:
        pass
    assert live.args == [False]
    assert {r.on_leave_now for r in dialog.model.rows()} == {None}
    assert not dialog.ok_button.isEnabled()
    assert dialog.windowTitle() == "Phân công 3 hồ sơ"
    target = dialog.model.rows()[1]
    assert dialog.select_officer(target.user_id) and dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.recorded, timeout=10_000) as recorded:
        dialog.accept()
    assert len(recorded.args[0]) == 3
    entries = store_outbox.entries(dept.cache.reader())
    assert sorted(e.dossier_id for e in entries) == sorted(ids)
    assert {e.payload["assignee_id"] for e in entries} == {target.user_id}
    queue = {q.id for q in store_board.unassigned_queue(dept.cache.reader(), dept.calendar,
                                                        NOW)}
    assert not queue & set(ids)  # the optimistic state leaves the queue at once
