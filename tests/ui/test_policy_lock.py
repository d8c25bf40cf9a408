"""A locked server always wins in the desktop app, also over the user's ``account.json``.

Real server, real keyring, real widgets: a remembered account on another server (with a
refresh token in the keyring) must not be resumed; the sign-in dialog opens on the locked one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.server import RunningServer
from tests.ui.app_helpers import make_config, running_launcher
from wfh_client.sync.account import Account, load_current, save_current
from wfh_client.sync.auth import TokenStore


def test_remembered_account_on_another_server_is_not_resumed(
        qtbot: Any, server: RunningServer, tmp_path: Path) -> None:
    config = make_config(tmp_path, server)  # the policy locks server.url
    elsewhere = Account("http://127.0.0.1:9", "cv.tnmt1")  # edited into account.json by the user
    save_current(config.data_dir, elsewhere, {"full_name": "Nguyễn Văn A"})
    tokens = TokenStore()
    tokens.set_refresh(elsewhere.id, "a-refresh-token-the-user-kept")
    try:
        with running_launcher(qtbot, config, server, tokens=tokens) as launcher:
            stages: list[str] = []
            launcher.stage_changed.connect(stages.append)
            launcher.start()
            qtbot.waitUntil(lambda: launcher.stage == "login", timeout=10_000)
            dialog = launcher.login_dialog
            assert dialog is not None
            assert dialog.server.isReadOnly() and dialog.server.text() == server.url
            assert dialog.notice.text() == ""  # a clean sign-in, not a failed resume
            assert launcher.opened is None and "first_sync" not in stages and "main" not in stages
            current = load_current(config.data_dir)
            assert current is not None and current.account == elsewhere  # nothing was wiped
    finally:
        tokens.delete_refresh(elsewhere.id)
