"""The launcher starts the events feed and the on-call core with the main window and stops them
when the account closes (before its cache); an ``assignment`` event syncs at once.

Real server (real clock), real keyring, real encrypted cache, the real ``Launcher``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.server.util import Peek, login
from tests.support.server import RunningServer
from tests.ui import oncall_fixtures
from tests.ui.app_helpers import make_config, model_ids, running_launcher, scope_ids

sound_player = oncall_fixtures.sound_player  # every test: a recording player


def test_feed_and_oncall_follow_the_session(qtbot: Any, server: RunningServer,
                                            tmp_path: Path) -> None:
    officer = "cv.tnmt2"
    config = make_config(tmp_path, server)
    with running_launcher(qtbot, config, server, officer) as launcher:
        launcher.start(auto_login=(officer, "demo"))
        qtbot.waitUntil(lambda: launcher.stage == "main", timeout=60_000)
        shell = launcher.shell
        assert shell is not None
        session = shell.oncall.session
        assert session is not None and session.feed is not None
        feed, service = session.feed, session.service
        qtbot.waitUntil(lambda: feed.connected is True, timeout=15_000)
        qtbot.waitUntil(lambda: shell.window.status.state == "online", timeout=15_000)
        assert service.worker._thread is not None and service.worker._thread.is_alive()

        # the head hands the officer a dossier: the feed's assignment event syncs it now
        qtbot.waitUntil(lambda: shell.sync.state != "syncing"
                        and model_ids(launcher) == scope_ids(server, officer), timeout=30_000)
        peek = Peek(server)
        me = peek.user(officer)
        dossier = peek.rows(
            "SELECT id, version FROM dossiers WHERE department_id = :d AND status IN (2, 4) "
            "AND step IN ('unassigned', 'assigned') AND (assignee_id IS NULL OR "
            "assignee_id != :u) ORDER BY id LIMIT 1",
            d=me.department_id, u=me.id)
        assert dossier, "the seed has an accepted dossier to assign"
        head = login(server, "truongphong.tnmt")
        r = head.action(str(dossier[0][0]), "assign", int(dossier[0][1]),
                        {"assignee_id": me.id})
        assert r.status_code == 200, r.text
        model = shell.window.model
        qtbot.waitUntil(lambda: str(dossier[0][0]) in {model.dossier_id_at(i)
                                                       for i in range(model.rowCount())},
                        timeout=15_000)  # far sooner than the 5-minute sync interval

        launcher.logout(confirm=False)
        qtbot.waitUntil(lambda: launcher.stage == "login", timeout=20_000)
        assert not feed.running
        assert service.worker._thread is None or not service.worker._thread.is_alive()
