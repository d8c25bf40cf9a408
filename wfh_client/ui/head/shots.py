"""Screenshots of the head's workspace (registered in :mod:`wfh_client.ui.screenshots`).

``head_queue``, ``head_assign`` (the assignment dialog for three dossiers with the team's
load), ``head_approvals``, ``head_board`` (with the overdue list open) and ``head_reports``
(on-time rate by officer, with its chart), in vi and en. They use their own throw-away
encrypted cache filled with :func:`~wfh_client.ui.head.sample.department_dossiers`, a head's
profile and a sync engine whose transport is offline; the team load and the reports are the
server-shaped samples of :mod:`~wfh_client.ui.head.sample`.
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import Any

from wfh_client.store import Cache, account_paths
from wfh_client.store.state import set_state
from wfh_client.sync.engine import KEY_PROFILE, SyncEngine
from wfh_client.sync.reports import OfficerLoad, TeamLoad
from wfh_client.ui.context import AppContext
from wfh_client.ui.detail.shots import OfflineTransport
from wfh_client.ui.head.data import from_team_load
from wfh_client.ui.head.sample import HEAD, department_dossiers, sample_reports, sample_team
from wfh_client.ui.head.window import DepartmentWindow, open_department
from wfh_client.ui.sample_data import fill_cache
from wfh_client.ui.screenshots import ShotContext, register

__all__: list[str] = []


def _head_context(shot: ShotContext, root: Path) -> tuple[AppContext, Cache]:
    base = shot.shell.ctx
    cache = Cache(account_paths("head-shots", root), key=secrets.token_bytes(32))
    fill_cache(cache, department_dossiers(260, base.calendar, shot.now))
    cache.writer.run(lambda db: set_state(db, KEY_PROFILE, HEAD))
    transport = OfflineTransport()
    transport.user = HEAD
    engine = SyncEngine(transport, cache, bus=base.bus)
    ctx = AppContext(cache=cache, bus=base.bus, calendar=base.calendar, bridge=base.bridge,
                     config=base.config, engine=engine, user=HEAD, clock=lambda: shot.now)
    return ctx, cache


def _team(shot: ShotContext) -> Any:
    officers = tuple(OfficerLoad(title=o.pop("title"), **o) for o in sample_team(shot.now))
    return from_team_load(TeamLoad("dep-tnmt", "2026-04-14T02:25:00Z", 14, officers, {}))


@register("head_workspace")
def _head(shot: ShotContext) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ctx, cache = _head_context(shot, Path(tmp))
        window = open_department(ctx, "queue")
        assert isinstance(window, DepartmentWindow)
        window.resize(1280, 720)
        try:
            _pictures(shot, window)
        finally:
            window.close()
            shot.settle()
            shot.wait(lambda: False, timeout=0.3)  # let queued reads finish before closing
            cache.close()


def _pictures(shot: ShotContext, window: DepartmentWindow) -> None:
    queue = window.queue
    shot.wait(lambda: queue.loads > 0)
    queue.table.selectRow(0)
    shot.save(window, "head_queue")
    queue.select_ids([r.id for r in queue.model.rows()[:3]])
    dialog = queue.assign_selected()
    assert dialog is not None
    shot.wait(lambda: dialog.officers is not None)
    dialog.show_officers(_team(shot))
    dialog.select_officer(12)
    dialog.resize(760, 400)
    shot.save(dialog, "head_assign")
    dialog.reject()
    window.show_page("approvals")
    approvals = window.approvals
    shot.wait(lambda: approvals.loads > 0)
    approvals.table.selectRow(0)
    shot.save(window, "head_approvals")
    window.show_page("board")
    board = window.board
    shot.wait(lambda: board.loads > 0)
    board.show_bucket("overdue")
    shot.wait(lambda: board.model.rowCount() > 0)
    shot.save(window, "head_board")
    window._reports_loaded = True  # offline: show the prepared reports instead of fetching
    window.show_page("reports")
    reports = window.reports
    start, end = reports.range()
    reports.show_reports(*sample_reports(start, end, "officer"))
    shot.save(window, "head_reports")
