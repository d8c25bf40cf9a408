"""11.6 update mode: a client below the server's minimum is told so clearly at sign-in; in
``notify`` mode a banner names the recommended version and the IT contact; ``managed`` (the
default) shows nothing. Real server (with client versions configured), keyring and widgets."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from onestop_server.client_versions import ClientVersions
from tests.support.server import RunningServer, start_server
from tests.ui.app_helpers import make_config, running_launcher, sign_in
from tests.ui.conftest import NOW
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.versions import is_older, version_key
from wfh_client.events import EventBus
from wfh_client.store import Cache
from wfh_client.sync.account import Account, save_current
from wfh_client.ui.app import ClientApp, create_application
from wfh_client.ui.sample_data import fill_cache, sample_dossiers


@pytest.fixture
def versioned_server(seeded_template: tuple[Path, Path],
                     tmp_path: Path) -> Iterator[RunningServer]:
    db_path, blobs = tmp_path / "server.db", tmp_path / "blobs"
    shutil.copy(seeded_template[0], db_path)
    shutil.copytree(seeded_template[1], blobs)
    srv = start_server(db_path, blobs,
                       client_versions=ClientVersions(minimum="0.1.0", recommended="0.3"))
    try:
        yield srv
    finally:
        srv.stop()


def test_versions_compare_as_numbers() -> None:
    assert version_key("0.10.2") > version_key("0.9") and version_key("1.0.0") == version_key("1")
    assert is_older("0.1.0", "0.2") and not is_older("0.2.0rc1", "0.2") and not is_older("1", None)
    with pytest.raises(ValueError):
        version_key("latest")


def test_server_refuses_sign_in_below_the_minimum(versioned_server: RunningServer) -> None:
    url = versioned_server.url
    assert requests.get(f"{url}/api/v1/client/versions", timeout=10).json() == {
        "minimum": "0.1.0", "recommended": "0.3", "below_minimum": None,
        "below_recommended": None}
    mine = requests.get(f"{url}/api/v1/client/versions", params={"current": "0.1.0"}, timeout=10)
    assert mine.json()["below_minimum"] is False and mine.json()["below_recommended"] is True
    bad = requests.get(f"{url}/api/v1/client/versions", params={"current": "x"}, timeout=10)
    assert bad.status_code == 422 and bad.json()["code"] == "request.invalid"
    body = {"username": "cv.nn1", "password": "demo", "device_id": "dev-versions-1"}
    old = requests.post(f"{url}/api/v1/auth/login", json=body, timeout=30,
                        headers={"X-WFH-Client-Version": "0.0.9"})
    assert old.status_code == 426 and old.json()["code"] == "client.outdated"
    assert old.json()["details"] == {"minimum": "0.1.0", "recommended": "0.3", "current": "0.0.9"}
    ok = requests.post(f"{url}/api/v1/auth/login", json=body, timeout=30,
                       headers={"X-WFH-Client-Version": "0.1.0"})
    assert ok.status_code == 200


def test_an_outdated_app_is_told_so_at_sign_in(qtbot: Any, versioned_server: RunningServer,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from wfh_client.sync import http

    monkeypatch.setattr(http, "__version__", "0.0.9")  # this build, as an old one
    config = make_config(tmp_path, versioned_server)
    with running_launcher(qtbot, config, versioned_server, "cv.nn1") as launcher:
        launcher.start()
        qtbot.waitUntil(lambda: launcher.stage == "login", timeout=10_000)
        dialog = launcher.login_dialog
        assert dialog is not None
        with qtbot.waitSignal(dialog.failed, timeout=30_000) as failed:
            sign_in(qtbot, launcher, "cv.nn1")
        text = failed.args[0]
        assert "0.0.9" in text and "0.1.0" in text and "quá cũ" in text
        assert dialog.error_label.text() == text and launcher.stage == "login"


def shell_for(qtbot: Any, tmp_path: Path, server: RunningServer,
              **policy: Any) -> tuple[ClientApp, Cache]:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps({"server_url": server.url, **policy}))
    from wfh_client.config import load_config

    config = load_config(tmp_path / "client", policy_path=path)
    account = Account(server.url, "cv.nn1")
    save_current(config.data_dir, account)
    cache = Cache.open(account.server_url, account.username, data_dir=config.data_dir)
    fill_cache(cache, list(sample_dossiers(5, calendar=WorkingCalendar(), now=NOW, seed=2)))
    create_application(language="vi")
    shell = ClientApp(cache=cache, bus=EventBus(), calendar=WorkingCalendar(), config=config,
                      tray_available=False)
    qtbot.addWidget(shell.window)
    return shell, cache


def test_notify_mode_shows_a_banner_with_the_it_contact(
        qtbot: Any, versioned_server: RunningServer, tmp_path: Path) -> None:
    shell, cache = shell_for(qtbot, tmp_path, versioned_server, update_mode="notify",
                             support_contact="Phòng CNTT Sở TNMT, 0273 3 888 999")
    try:
        banner = shell.update_banner
        assert banner is not None
        with qtbot.waitSignal(banner.checked, timeout=30_000) as checked:
            shell.show()
        assert checked.args[0] is not None and not checked.args[0].below_minimum
        assert banner.bar.isVisible()
        text = banner.label.text()
        assert "0.3" in text and "0.1.0" in text and "Phòng CNTT Sở TNMT" in text
        assert "phiên bản mới" in text
        shell.window.filter_bar.set_view("all")  # the five seeded, closed ones too
        qtbot.waitUntil(lambda: shell.window.model.rowCount() == 5, timeout=10_000)
    finally:
        shell.shutdown()
        cache.close()


def test_managed_mode_shows_nothing(qtbot: Any, versioned_server: RunningServer,
                                   tmp_path: Path) -> None:
    shell, cache = shell_for(qtbot, tmp_path, versioned_server)
    try:
        banner = shell.update_banner
        assert banner is not None and shell.ctx.config is not None
        assert shell.ctx.config.get("update_mode") == "managed"  # the default
        with qtbot.waitSignal(banner.checked, timeout=30_000) as checked:
            shell.show()
        assert checked.args[0] is None and not banner.bar.isVisible()
        shell.window.filter_bar.set_view("all")  # the five seeded, closed ones too
        qtbot.waitUntil(lambda: shell.window.model.rowCount() == 5, timeout=10_000)
        qtbot.wait(200)  # the list's row blocks are read on the worker pool: let them land
        assert not banner.bar.isVisible()
    finally:
        shell.shutdown()
        cache.close()
