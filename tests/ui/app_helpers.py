"""Helpers for the end-to-end UI tests: a Launcher against the real server, real keyring."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.client.auth_helpers import require_real_keyring
from tests.server.util import Peek
from tests.support.server import RunningServer
from wfh_client.config import Config, load_config
from wfh_client.store import keys
from wfh_client.ui.launcher import Launcher

PASSWORD = "demo"


def make_config(tmp_path: Path, server: RunningServer, *, lock_server: bool = True,
                **policy: Any) -> Config:
    path = tmp_path / "policy.json"
    if lock_server:
        policy["server_url"] = server.url
    path.write_text(json.dumps(policy), encoding="utf-8")
    config = load_config(tmp_path / "client", policy_path=path)
    if not lock_server:
        config.set_user("server_url", server.url)
    return config


def scope_ids(server: RunningServer, username: str) -> set[str]:
    """The dossier ids an officer (or a head) sees through sync, from the server's database."""
    peek = Peek(server)
    user = peek.user(username)
    if user.role == "head":
        rows = peek.rows("SELECT id FROM dossiers WHERE department_id = :d AND status != 7",
                         d=user.department_id)
    else:
        rows = peek.rows("SELECT id FROM dossiers WHERE assignee_id = :u AND status != 7",
                         u=user.id)
    return {str(r[0]) for r in rows}


def busiest_officer(server: RunningServer) -> str:
    peek = Peek(server)
    return str(peek.scalar(
        "SELECT u.username FROM users u JOIN dossiers d ON d.assignee_id = u.id "
        "WHERE u.role = 'officer' AND u.disabled_at IS NULL AND d.status != 7 "
        "GROUP BY u.id ORDER BY count(*) DESC, u.username LIMIT 1"))


def forget_secrets(server: RunningServer, *usernames: str) -> None:
    for username in usernames:
        keys.delete_account_secrets(keys.account_id(server.url, username),
                                    extra_kinds=("refresh-token",))


@contextmanager
def running_launcher(qtbot: Any, config: Config, server: RunningServer, *usernames: str,
                     forget: bool = True, **kwargs: Any) -> Iterator[Launcher]:
    require_real_keyring()
    kwargs.setdefault("clock", server.now)  # the seeded world's fixed, ticking clock
    launcher = Launcher(config, tray_available=False, **kwargs)
    try:
        yield launcher
    finally:
        launcher.shutdown()
        if forget:
            forget_secrets(server, *usernames)


def sign_in(qtbot: Any, launcher: Launcher, username: str, password: str = PASSWORD) -> None:
    qtbot.waitUntil(lambda: launcher.login_dialog is not None, timeout=10_000)
    dialog = launcher.login_dialog
    assert dialog is not None
    dialog.username.setText(username)
    dialog.password.setText(password)
    assert dialog.submit()


def model_ids(launcher: Launcher) -> set[str]:
    """Every dossier the list can show (the "all" view: closed ones too)."""
    assert launcher.shell is not None
    launcher.shell.window.filter_bar.set_view("all")
    model = launcher.shell.window.model
    return {model.dossier_id_at(r) for r in range(model.rowCount())}
