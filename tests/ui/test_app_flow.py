"""The desktop app end to end: sign in, first sync, sync now, offline, revocation, sign out.

Real reference server on loopback, real OS keyring (scripts/with-keyring), real encrypted cache,
real widgets offscreen. Waits on signals and conditions only.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox

from tests.server.util import Peek, login
from tests.support.server import RunningServer, start_server
from tests.ui.app_helpers import (
    busiest_officer,
    make_config,
    model_ids,
    running_launcher,
    scope_ids,
    sign_in,
)
from wfh_client.store import keys
from wfh_client.store.state import KEY_SNAPSHOT_IN_PROGRESS, get_state
from wfh_client.sync.account import load_current
from wfh_client.sync.auth import TokenStore
from wfh_client.sync.errors import AuthFailed
from wfh_client.ui.messages import describe_error


def test_wrong_password_then_first_sync_then_main_window(qtbot: Any, server: RunningServer,
                                                         tmp_path: Path) -> None:
    user = busiest_officer(server)
    expected = scope_ids(server, user)
    config = make_config(tmp_path, server)
    with running_launcher(qtbot, config, server, user, page_limit=3) as launcher:
        progress: list[tuple[int, int, str]] = []

        def on_stage(stage: str) -> None:
            if stage == "first_sync":
                assert launcher.shell is not None
                launcher.shell.sync.progress.connect(lambda *a: progress.append(a))

        launcher.stage_changed.connect(on_stage)
        launcher.start()
        qtbot.waitUntil(lambda: launcher.stage == "login", timeout=10_000)
        dialog = launcher.login_dialog
        assert dialog is not None
        assert dialog.server.isReadOnly() and dialog.server.text() == server.url  # policy
        with qtbot.waitSignal(dialog.failed, timeout=20_000) as failed:
            sign_in(qtbot, launcher, user, "wrong password")
        assert failed.args[0] == describe_error(AuthFailed(401, "auth.invalid_credentials", ""))
        assert "mật khẩu" in dialog.error_label.text()  # in Vietnamese, in plain words
        assert dialog.error_label.isVisible() and dialog.username.isEnabled()

        dialog.password.setText("demo")
        assert dialog.submit()
        qtbot.waitUntil(lambda: launcher.stage == "main", timeout=60_000)
        assert launcher.first_sync is None
        snapshot = [p for p in progress if p[2] in ("snapshot", "pull")]
        assert len(snapshot) >= 2  # several pages, each reported
        assert snapshot[-1][0] == len(expected) and snapshot[0][0] < len(expected)
        shell = launcher.shell
        assert shell is not None and shell.window.isVisible()
        qtbot.waitUntil(lambda: model_ids(launcher) == expected, timeout=10_000)
        assert load_current(config.data_dir).account.username == user  # type: ignore[union-attr]
        assert shell.sync.service_running is False  # the first background pass waits
        assert shell.window.status.state in ("online", "syncing")


def test_remembered_account_opens_without_asking(qtbot: Any, server: RunningServer,
                                                 tmp_path: Path) -> None:
    user = busiest_officer(server)
    config = make_config(tmp_path, server)
    with running_launcher(qtbot, config, server, user, forget=False) as first:
        first.start(auto_login=(user, "demo"))
        qtbot.waitUntil(lambda: first.stage == "main", timeout=60_000)
    # the refresh token was kept in the keyring: the next start asks for nothing
    stages: list[str] = []
    with running_launcher(qtbot, config, server, user) as second:
        second.stage_changed.connect(stages.append)
        second.start()
        qtbot.waitUntil(lambda: second.stage == "main", timeout=30_000)
        assert "login" not in stages and "first_sync" not in stages
        qtbot.waitUntil(lambda: model_ids(second) == scope_ids(server, user), timeout=30_000)


def test_cancel_first_sync_then_resume(qtbot: Any, server: RunningServer,
                                       tmp_path: Path) -> None:
    peek = Peek(server)
    head = peek.head_of(peek.user(busiest_officer(server)).department_id)
    expected = scope_ids(server, head)
    config = make_config(tmp_path, server)
    first_page = threading.Event()
    go_on = threading.Event()

    def hold_first_page(**kw: Any) -> None:  # runs on the engine's thread
        if kw.get("phase") == "snapshot" and not first_page.is_set():
            first_page.set()
            go_on.wait(20)

    with running_launcher(qtbot, config, server, head, page_limit=2) as launcher:
        def on_stage(stage: str) -> None:
            if stage == "first_sync":
                assert launcher.opened is not None
                launcher.opened.bus.subscribe("sync.progress", hold_first_page)

        launcher.stage_changed.connect(on_stage)
        launcher.start(auto_login=(head, "demo"))
        qtbot.waitUntil(first_page.is_set, timeout=30_000)
        dialog = launcher.first_sync
        assert dialog is not None and dialog.isVisible()
        dialog.cancel_button.click()
        go_on.set()
        qtbot.waitUntil(lambda: launcher.stage == "main", timeout=30_000)
        assert launcher.shell is not None and launcher.opened is not None
        cache = launcher.opened.cache
        partial = model_ids(launcher)
        assert 0 < len(partial) < len(expected)  # what was downloaded is kept
        assert get_state(cache.reader(), KEY_SNAPSHOT_IN_PROGRESS)
        # F5: the service starts and the download continues from where it stopped
        launcher.shell.window.act_sync.trigger()
        qtbot.waitUntil(lambda: model_ids(launcher) == expected, timeout=30_000)
        qtbot.waitUntil(lambda: not get_state(cache.reader(), KEY_SNAPSHOT_IN_PROGRESS),
                        timeout=10_000)


def _signed_in(qtbot: Any, launcher: Any, user: str) -> None:
    launcher.start(auto_login=(user, "demo"))
    qtbot.waitUntil(lambda: launcher.stage == "main", timeout=60_000)


def test_sync_now_shows_a_server_side_change(qtbot: Any, server: RunningServer,
                                             tmp_path: Path) -> None:
    peek = Peek(server)
    user, dossier_id = peek.officer_dossier()
    config = make_config(tmp_path, server)
    with running_launcher(qtbot, config, server, user) as launcher:
        _signed_in(qtbot, launcher, user)
        shell = launcher.shell
        assert shell is not None
        head = login(server, peek.head_of(peek.dossier(dossier_id).department_id))
        version = int(peek.dossier(dossier_id).version)
        r = head.action(dossier_id, "stop", version, {"reason": "Thiếu căn cứ pháp lý"})
        assert r.status_code == 200, r.text
        shell.window.act_sync.trigger()  # F5
        shell.window.filter_bar.set_view("all")  # a stopped dossier is closed: shown under "all"
        model = shell.window.model

        def row_status() -> Any:
            for r in range(model.rowCount()):
                if model.dossier_id_at(r) == dossier_id:
                    row = model.row_data(r)
                    return None if row is None else row.status
            return None

        qtbot.waitUntil(lambda: row_status() == 8, timeout=30_000)
        qtbot.waitUntil(lambda: shell.window.status.counts is not None
                        and shell.window.status.counts.last_success_at is not None,
                        timeout=10_000)


def test_offline_indicator_and_back_online(qtbot: Any, server: RunningServer,
                                           tmp_path: Path) -> None:
    user = busiest_officer(server)
    config = make_config(tmp_path, server)
    with running_launcher(qtbot, config, server, user) as launcher:
        _signed_in(qtbot, launcher, user)
        shell = launcher.shell
        assert shell is not None
        status = shell.window.status
        server.stop()
        shell.window.act_sync.trigger()
        qtbot.waitUntil(lambda: status.state == "offline", timeout=60_000)
        assert "máy chủ" in status.error.lower()  # the reason, in plain Vietnamese
        restarted = start_server(server.db_path, server.blob_dir, port=server.port,
                                 clock=server.clock)
        try:
            qtbot.waitUntil(lambda: status.state == "online", timeout=60_000)
            assert status.error == ""
        finally:
            shell.sync.shutdown()
            restarted.stop()


def test_revocation_wipes_and_returns_to_login(qtbot: Any, server: RunningServer,
                                               tmp_path: Path) -> None:
    user = busiest_officer(server)
    config = make_config(tmp_path, server)
    with running_launcher(qtbot, config, server, user) as launcher:
        _signed_in(qtbot, launcher, user)
        assert launcher.opened is not None
        account = launcher.opened.account
        cache_dir = launcher.opened.cache.paths.root
        assert cache_dir.exists()
        admin = login(server, "admin")
        user_id = Peek(server).user(user).id
        devices = admin.get(f"/api/v1/admin/devices?user_id={user_id}").json()["devices"]
        for device in devices:
            assert admin.post(f"/api/v1/admin/devices/{device['id']}/revoke").status_code == 200
        with qtbot.waitSignal(launcher.message_shown, timeout=30_000) as shown:
            assert launcher.shell is not None
            launcher.shell.window.act_sync.trigger()
        assert "thu hồi" in shown.args[0]  # "revoked", in Vietnamese
        box = launcher.message_box
        assert isinstance(box, QMessageBox) and box.isVisible()
        # wiped: cache folder, keyring entries, remembered account
        assert not cache_dir.exists()
        assert TokenStore().get_refresh(account.id) is None
        assert keys.load_cache_key(account.id) is None
        assert load_current(config.data_dir) is None
        box.button(QMessageBox.StandardButton.Ok).click()
        qtbot.waitUntil(lambda: launcher.stage == "login", timeout=10_000)
        assert launcher.login_dialog is not None
        assert launcher.login_dialog.username.text() == user


def test_sign_out_asks_when_changes_are_unsent_and_keeps_the_cache(
        qtbot: Any, server: RunningServer, tmp_path: Path) -> None:
    from wfh_client.sync.operations import record_action

    peek = Peek(server)
    user, dossier_id = peek.officer_dossier()
    config = make_config(tmp_path, server)
    with running_launcher(qtbot, config, server, user) as launcher:
        _signed_in(qtbot, launcher, user)
        opened, shell = launcher.opened, launcher.shell
        assert opened is not None and shell is not None
        shell.sync.shutdown()  # keep the note unsent
        engine = shell.ctx.engine
        record_action(engine, dossier_id, "note", {"text": "Ghi chú chưa gửi"})  # type: ignore[arg-type]
        shell.window.act_logout.trigger()
        box = launcher.message_box
        assert isinstance(box, QMessageBox)
        qtbot.waitUntil(box.isVisible, timeout=5000)
        assert "1" in box.text()
        box.button(QMessageBox.StandardButton.Yes).click()
        qtbot.waitUntil(lambda: launcher.stage == "login", timeout=30_000)
        assert launcher.login_dialog is not None
        assert launcher.login_dialog.username.text() == user  # remembered
        assert launcher.login_dialog.password.text() == ""
        assert TokenStore().get_refresh(opened.account.id) is None
        assert opened.cache.paths.db.exists()  # the cache (and the unsent note) stay
