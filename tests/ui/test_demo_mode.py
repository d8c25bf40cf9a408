"""Demo mode: the embedded seeded server starts and the app opens signed in as a demo officer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.client.auth_helpers import require_real_keyring
from wfh_client import demo
from wfh_client.store import keys
from wfh_client.ui.launcher import Launcher


def test_demo_starts_the_server_and_opens_the_main_window(qtbot: Any, tmp_path: Path) -> None:
    require_real_keyring()
    args = demo.build_parser().parse_args(
        ["--dir", str(tmp_path / "demo"), "--dossiers", "30", "--port", "0",
         "--user", "truongphong.tnmt"])
    started = demo.start_demo(args)
    launcher = Launcher(started.config, tray_available=False,
                        plaintext_cache=started.plaintext_cache)
    try:
        assert not started.plaintext_cache  # a real keyring: the cache is encrypted
        assert started.config.locked("server_url")
        assert started.config.get("server_url") == started.server.url
        assert started.config.data_dir == tmp_path / "demo" / "client"
        assert any(a.get("username") == "truongphong.tnmt" for a in started.accounts)
        launcher.start(auto_login=started.auto_login)
        qtbot.waitUntil(lambda: launcher.stage == "main", timeout=60_000)
        shell = launcher.shell
        assert shell is not None and shell.window.isVisible()
        assert shell.ctx.user is not None and shell.ctx.user["role"] == "head"
        qtbot.waitUntil(lambda: shell.window.model.rowCount() > 0, timeout=10_000)
        assert (tmp_path / "demo" / "server.db").exists()
    finally:
        launcher.shutdown()
        started.stop()
        keys.delete_account_secrets(keys.account_id(started.server.url, "truongphong.tnmt"),
                                    extra_kinds=("refresh-token",))
    assert not started.server.thread.is_alive()
