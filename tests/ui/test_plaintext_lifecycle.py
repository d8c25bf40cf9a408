"""Decrypted copies in the desktop app's life (issue 10.2, 9.11): a copy left by a killed run
is removed when the app starts again; signing out removes the account's copies.

Real server, real keyring, real encrypted cache, the real Launcher (offscreen)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.kill import leave_a_copy_by_kill
from tests.support.server import RunningServer
from tests.ui.app_helpers import busiest_officer, make_config, running_launcher
from wfh_client.store import Cache


def test_a_copy_left_by_a_kill_is_removed_at_the_next_start(
        qtbot: Any, server: RunningServer, tmp_path: Path) -> None:
    user = busiest_officer(server)
    config = make_config(tmp_path, server)
    with running_launcher(qtbot, config, server, user) as launcher:
        copy = leave_a_copy_by_kill(server.url, user, config.data_dir)
        launcher.start()
        qtbot.waitUntil(lambda: launcher.stage == "login", timeout=10_000)
        assert not copy.exists() and not copy.parent.exists()


def test_signing_out_removes_the_accounts_copies(
        qtbot: Any, server: RunningServer, tmp_path: Path) -> None:
    user = busiest_officer(server)
    config = make_config(tmp_path, server)
    with running_launcher(qtbot, config, server, user) as launcher:
        launcher.start(auto_login=(user, "demo"))
        qtbot.waitUntil(lambda: launcher.stage == "main", timeout=60_000)
        assert launcher.opened is not None
        cache: Cache = launcher.opened.cache
        cache.documents.write_bytes("doc-open", b"%PDF-1.4 Nguyen Thi Hoa")
        copy = cache.documents.decrypt_copy("doc-open", "Ban sao.pdf")  # a viewer has it open
        assert copy.exists()
        launcher.logout(confirm=False)
        qtbot.waitUntil(lambda: launcher.stage == "login", timeout=20_000)
        assert not copy.exists() and not copy.parent.exists()
