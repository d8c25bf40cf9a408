"""The running app (``ClientApp``) for UI tests, built and closed the way the launcher does.

``shells`` (a fixture, offered to every UI test by tests/ui/conftest.py) makes shown, exposed apps from
``ClientApp`` keyword arguments; :func:`for_client` / :func:`for_desk` give those arguments for
a real synced client (tests.client.sync_helpers) or an offline desk (tests.ui.dossier_fixtures).
At teardown every app is shut down and its window deleted before the caches close, as the
launcher does (a deleted window's timers can no longer read a closed cache).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from wfh_client.ui.app import ClientApp

__all__ = ["close_shell", "for_client", "for_desk", "shells"]


def close_shell(shell: ClientApp) -> None:
    shell.shutdown()
    shell.window.close()
    shell.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def for_client(client: Any) -> dict[str, Any]:
    """``ClientApp`` arguments for a real, synced ``SyncClient``."""
    return {"cache": client.cache, "bus": client.bus,
            "calendar": client.engine.profile().calendar, "engine": client.engine,
            "user": client.session.user}


def for_desk(desk: Any) -> dict[str, Any]:
    """``ClientApp`` arguments for a ``Desk`` (offline engine, fixed clock)."""
    ctx = desk.ctx
    return {"cache": ctx.cache, "bus": ctx.bus, "calendar": ctx.calendar, "engine": ctx.engine,
            "user": ctx.user, "clock": ctx.clock}


@pytest.fixture
def shells(qtbot: Any) -> Iterator[Callable[..., ClientApp]]:
    made: list[ClientApp] = []

    def make(**kwargs: Any) -> ClientApp:
        kwargs.setdefault("tray_available", False)
        shell = ClientApp(**kwargs)
        made.append(shell)
        shell.show()
        qtbot.waitExposed(shell.window)
        return shell

    yield make
    for shell in made:
        close_shell(shell)
