"""One connection indicator, and it tells the truth quickly (issue 12.8, the UI half of 9.10).

The officer's app talks to the real server through a loopback TCP proxy; the events feed runs
with its real 25-second long-poll. Cutting the proxy (every connection reset, new ones refused,
as when the server dies) turns the one status-bar indicator to "offline" within seconds, well
before the next sync would; restoring it turns it back. The operating system's "network down"
(QNetworkInformation, which a test cannot cause) shows offline at once and is passed to the core.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtNetwork import QNetworkInformation
from PySide6.QtWidgets import QLabel

from tests.client.sync_helpers import SyncClient, client_for
from tests.server.util import Peek
from tests.support.server import RunningServer
from tests.support.tcp_proxy import TcpProxy
from tests.ui.shells import for_client
from wfh_client.sync.feed import FeedListener
from wfh_client.ui.app import ClientApp


@pytest.fixture
def proxy(server: RunningServer) -> Iterator[TcpProxy]:
    p = TcpProxy(server.port)
    yield p
    p.close()


@pytest.fixture
def officer(server: RunningServer, proxy: TcpProxy,
            tmp_path: Path) -> Iterator[SyncClient]:
    username, _ = Peek(server).officer_dossier()
    via_proxy = dataclasses.replace(server, url=proxy.url)
    with client_for(via_proxy, username, tmp_path / "officer") as client:
        client.engine.sync_once(prefetch=False)
        yield client


@pytest.fixture
def shell(shells: Any, officer: SyncClient) -> Iterator[ClientApp]:
    app = shells(**for_client(officer))
    feed = FeedListener(officer.session, officer.cache, officer.bus)  # real 25 s long-poll
    feed.start()
    yield app
    feed.stop()


def connection_labels(app: ClientApp) -> list[str]:
    """Every visible status-bar text that speaks of the connection."""
    words = ("trực tuyến", "ngoại tuyến", "kết nối", "đồng bộ…")
    return [w.text() for w in app.window.statusBar().findChildren(QLabel)
            if w.isVisible() and any(x in w.text().lower() for x in words)]


def test_one_indicator_goes_offline_within_seconds_and_back(
        qtbot: Any, proxy: TcpProxy, shell: ClientApp) -> None:
    status = shell.window.status
    qtbot.waitUntil(lambda: shell.sync.source == "feed" and status.state == "online",
                    timeout=20_000)
    assert connection_labels(shell) == ["Trực tuyến"]  # one indicator, not two green dots
    cut_at = time.monotonic()
    proxy.cut()
    qtbot.waitUntil(lambda: status.state == "offline", timeout=10_000)
    took = time.monotonic() - cut_at
    assert connection_labels(shell) == ["Ngoại tuyến"]
    print(f"offline shown {took:.2f} s after the cut")  # figure for the report (-s)
    proxy.restore()
    qtbot.waitUntil(lambda: status.state == "online", timeout=30_000)
    assert connection_labels(shell) == ["Trực tuyến"]


def test_the_operating_system_losing_the_network_shows_offline_at_once(
        qtbot: Any, shell: ClientApp, officer: SyncClient) -> None:
    status = shell.window.status
    qtbot.waitUntil(lambda: status.state == "online", timeout=20_000)
    told: list[bool] = []
    officer.bus.subscribe("network.changed", lambda online: told.append(online))
    shell.sync.on_network_changed(QNetworkInformation.Reachability.Disconnected)
    assert status.state == "offline" and told == [False]
    with qtbot.waitSignal(shell.sync.finished, timeout=20_000):  # back: it tries at once
        shell.sync.on_network_changed(QNetworkInformation.Reachability.Online)
    assert told == [False, True]
    qtbot.waitUntil(lambda: status.state == "online", timeout=10_000)
