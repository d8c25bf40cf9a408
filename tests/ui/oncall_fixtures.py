"""Fixtures for the on-call screens: the frozen-clock server (``tests.server.oncall_support``),
a real on-call client (keyring login, encrypted cache, events feed, ``OnCallService``) with the
real ``ClientApp`` on top, and a recording sound player (``WFH_CLIENT_SOUND_PLAYER``: a tiny
script - a real subprocess - that appends each invocation to a file)."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.client.oncall_helpers import OnCallClient, oncall_client
from tests.server import oncall_support
from tests.server.oncall_support import OncallServer
from tests.server.util import Peek
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.ui import ops
from wfh_client.ui.app import ClientApp
from wfh_client.ui.oncall.wiring import OnCallSession


@pytest.fixture
def oncall(seeded_template: tuple[Path, Path], tmp_path: Path) -> Iterator[OncallServer]:
    yield from oncall_support.oncall_server(seeded_template, tmp_path)


@dataclass
class Player:
    log: Path

    def calls(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []


@pytest.fixture(autouse=True)
def sound_player(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Player:
    log = tmp_path / "played.log"
    script = tmp_path / "player.sh"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("WFH_CLIENT_SOUND_PLAYER", str(script))
    return Player(log)


@dataclass
class OfficerApp:
    shell: ClientApp
    client: OnCallClient
    server: OncallServer

    @property
    def ui(self) -> Any:
        return self.shell.oncall

    @property
    def user_id(self) -> int:
        return self.client.user_id

    def peek(self, sql: str, **params: Any) -> list[Any]:
        return Peek(self.server.srv).rows(sql, **params)

    def checkins(self) -> list[tuple[Any, ...]]:
        """(status, reason, offline) of this user's check-ins on the server."""
        return [(r[0], r[1], bool(r[2])) for r in self.peek(
            "SELECT status, reason, offline FROM checkins WHERE user_id = :u ORDER BY id",
            u=self.user_id)]


@contextmanager
def app_for(qtbot: Any, o: OncallServer, username: str, data_dir: Path) -> Iterator[OfficerApp]:
    """A signed-in ``ClientApp`` of ``username`` with the on-call core attached (the test's
    own feed and service: frozen clock, 1 s long-polls, no APScheduler; ``run_due`` fires)."""
    with oncall_client(o, username, data_dir) as client:
        shell = ClientApp(cache=client.cache, bus=client.bus, calendar=WorkingCalendar(),
                          user=client.session.user, clock=o.clock.now, tray_available=False)
        shell.oncall.attach(OnCallSession(client.session, client.feed, client.service,
                                          owned=False))
        try:
            yield OfficerApp(shell, client, o)
        finally:
            shell.shutdown()
            shell.window.allow_quit()
            shell.window.close()
            shell.window.deleteLater()
            ops.shutdown(wait=True)


def wait_today(qtbot: Any, app: OfficerApp, check: Callable[[list[dict[str, Any]]], bool],
               timeout: int = 10_000) -> None:
    """Re-read today's windows until ``check(windows)`` holds."""
    def ok() -> bool:
        app.ui.refresh_today()
        return check(app.ui.today_windows)

    qtbot.waitUntil(ok, timeout=timeout)
