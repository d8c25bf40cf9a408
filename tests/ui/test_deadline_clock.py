"""One definition of "deadline clock running", and everybody agrees on every status (issue 9.9).

Twenty dossiers of one officer on the real server, two per national status 1-10: one overdue,
one due in two working hours. The server's team load, the officer's list (filter, colours,
status-bar counts), the officer's alerts, the dossier window's deadline line and the head's
board (counts and their list) must all see exactly the same ones as overdue and due soon: those
whose status :func:`wfh_client.domain.deadlines.clock_running` accepts (2, 4 and 6).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select, update

from onestop_server import db
from onestop_server.clock import FrozenClock
from onestop_server.serialize import rebuild_payload
from tests.client.sync_helpers import client_for
from tests.server.util import Peek, login
from tests.support.server import RunningServer, copy_seeded, seed_into, start_server
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.deadlines import Bucket, clock_running
from wfh_client.domain.timefmt import to_iso_utc
from wfh_client.store import board as store_board
from wfh_client.store.listing import DossierFilter, list_counts
from wfh_client.ui.app import ClientApp
from wfh_client.ui.detail.data import DossierView, load_view
from wfh_client.ui.detail.overview import OverviewPanel

NOW = datetime(2026, 3, 18, 3, 0, tzinfo=UTC)  # Wednesday 10:00 in Hà Nội
LONG = timedelta(days=400)
STATUSES = range(1, 11)
STEPS = {2: "assigned", 4: "in_review", 5: "in_review", 6: "in_review", 9: "approved",
         10: "approved"}


@dataclass
class Scene:
    server: RunningServer
    officer: str
    head: str
    overdue: dict[int, str]  # status -> dossier id (due a day ago)
    soon: dict[int, str]  # status -> dossier id (due in two working hours)

    def running(self, which: dict[int, str]) -> set[str]:
        return {i for s, i in which.items() if clock_running(s)}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("clock-seed")
    seed_into(root / "server.db", root / "blobs", dossiers=90, seed=4, now=NOW)
    return root / "server.db", root / "blobs"


@pytest.fixture
def scene(template: tuple[Path, Path], tmp_path: Path) -> Iterator[Scene]:
    db_path, blobs = copy_seeded(template, tmp_path)
    calendar = WorkingCalendar()
    soon_at = calendar.add_working_time(NOW, hours=2)
    engine = db.make_engine(db.sqlite_url(str(db_path)))
    d, u = db.dossiers, db.users
    try:
        with engine.begin() as conn:
            dept = "stnmt"
            staff = [str(r.username) for r in conn.execute(
                select(u.c.username).where(u.c.department_id == dept, u.c.role == "officer")
                .order_by(u.c.id))]
            officer, other = staff[0], staff[1]
            ids = {str(r.username): int(r.id) for r in conn.execute(select(u.c.id, u.c.username))}
            # only the twenty below are this officer's
            conn.execute(update(d).where(d.c.assignee_id == ids[officer])
                         .values(assignee_id=ids[other]))
            picked = [str(r.id) for r in conn.execute(
                select(d.c.id).where(d.c.department_id == dept).order_by(d.c.code).limit(20))]
            assert len(picked) == 20
            overdue, soon = {}, {}
            for n, status in enumerate(STATUSES):
                for which, due, dossier_id in ((overdue, NOW - timedelta(days=1), picked[2 * n]),
                                               (soon, soon_at, picked[2 * n + 1])):
                    conn.execute(update(d).where(d.c.id == dossier_id).values(
                        status=status, step=STEPS.get(status), assignee_id=ids[officer],
                        due_at=due, clock_stopped_at=due - timedelta(days=3)
                        if status == 5 else None, apology_count=0))
                    rebuild_payload(conn, dossier_id)
                    which[status] = dossier_id
            head = str(conn.execute(select(u.c.username).where(
                u.c.department_id == dept, u.c.role == "head")).scalar_one())
    finally:
        engine.dispose()
    server = start_server(db_path, blobs, clock=FrozenClock(NOW), access_ttl=LONG,
                          refresh_ttl=LONG)
    try:
        yield Scene(server, officer, head, overdue, soon)
    finally:
        server.stop()


def test_list_alerts_window_board_and_server_agree_on_every_status(
        qtbot: Any, scene: Scene, tmp_path: Path) -> None:
    overdue, soon = scene.running(scene.overdue), scene.running(scene.soon)
    assert len(overdue) == len(soon) == 3  # statuses 2, 4 and 6

    # the server's team load
    head = login(scene.server, scene.head)
    me = int(Peek(scene.server).user(scene.officer).id)
    load = {o["user_id"]: o for o in head.get("/api/v1/team/load").json()["officers"]}[me]
    assert (load["overdue"], load["due_3_days"]) == (3, 3)

    with client_for(scene.server, scene.officer, tmp_path / "officer") as officer:
        officer.engine.sync_once(prefetch=False)
        calendar = officer.engine.profile().calendar
        shell = ClientApp(cache=officer.cache, bus=officer.bus, calendar=calendar,
                          engine=officer.engine, user=officer.session.user, clock=lambda: NOW,
                          tray_available=False)
        try:
            # the officer's list: the overdue filter, the row colours, the status-bar counts
            model = shell.window.model
            model.set_filter(DossierFilter(due="overdue"))
            assert {model.dossier_id_at(r) for r in range(model.rowCount())} == overdue
            model.set_filter(DossierFilter())
            urgency = {model.dossier_id_at(r): model.row_data(r).urgency  # type: ignore[union-attr]
                       for r in range(model.rowCount())}
            assert {i for i, v in urgency.items() if v == "overdue"} == overdue
            assert {i for i, v in urgency.items() if v == "soon"} == soon
            counts = list_counts(officer.cache.reader(), model.thresholds)
            assert (counts.overdue, counts.due_soon) == (3, 3)

            # the officer's alert: due within a working day
            with qtbot.waitSignal(shell.alerts.notified, timeout=10_000) as got:
                shell.alerts.check_due()
            codes = {str((officer.doc(i) or {})["code"]) for i in soon}
            assert got.args[1].startswith("3 hồ sơ") and all(c in got.args[1] for c in codes)

            # the dossier window's deadline line: red exactly for the overdue running ones
            panel = OverviewPanel()
            red = set()
            for dossier_id in set(scene.overdue.values()) | set(scene.soon.values()):
                view = load_view(officer.cache, dossier_id)
                if not isinstance(view, DossierView):
                    continue  # withdrawn (7): out of everybody's scope
                panel.set_view(view, calendar, NOW)
                if "#b3261e" in panel.fields["remaining"].styleSheet():
                    red.add(dossier_id)
            assert red == overdue
        finally:
            shell.shutdown()
            shell.window.deleteLater()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    # the head's board, from the head's cache
    with client_for(scene.server, scene.head, tmp_path / "head") as chief:
        chief.engine.sync_once(prefetch=False)
        cache_db = chief.cache.reader()
        mine = set(scene.overdue.values()) | set(scene.soon.values())
        late = set(store_board.bucket_ids(cache_db, calendar, NOW, Bucket.OVERDUE)) & mine
        assert late == overdue
        within = set(store_board.bucket_ids(cache_db, calendar, NOW, Bucket.WITHIN_3)) & mine
        assert within == soon
        local = {o.user_id: o for o in store_board.officer_load(cache_db, calendar, NOW)}[me]
        assert (local.overdue, local.due_3_days) == (3, 3)
    # and the statuses themselves: running are exactly 2, 4 and 6
    assert [s for s in STATUSES if clock_running(s)] == [2, 4, 6]
    assert to_iso_utc(NOW)  # the fixed clock of the scene
