"""The desktop app never deletes user work silently: an unreadable cache is moved aside only
after the user agrees (or signs in), they are told how many unsent changes it held, and a
revocation says how many unsent changes it erased.

Real server on loopback, real keyring, real SQLCipher files, real widgets offscreen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox

from tests.server.util import Peek, login
from tests.support.server import RunningServer
from tests.ui.app_helpers import make_config, running_launcher
from wfh_client.store import keys
from wfh_client.store.cache import account_paths
from wfh_client.sync.auth import TokenStore
from wfh_client.sync.operations import record_action


def _main(qtbot: Any, launcher: Any, user: str) -> None:
    launcher.start(auto_login=(user, "demo"))
    qtbot.waitUntil(lambda: launcher.stage == "main", timeout=60_000)


def _note_offline(launcher: Any, dossier_id: str, text: str) -> None:
    shell = launcher.shell
    shell.sync.shutdown()  # keep it unsent
    shell.sync.service = None  # "sync now" then runs one pass on the worker pool
    record_action(shell.ctx.engine, dossier_id, "note", {"text": text})


def test_a_lost_key_asks_first_then_moves_the_cache_aside_and_stays_signed_in(
        qtbot: Any, server: RunningServer, tmp_path: Path) -> None:
    user, dossier_id = Peek(server).officer_dossier()
    config = make_config(tmp_path, server)
    account = keys.account_id(server.url, user)
    with running_launcher(qtbot, config, server, user, forget=False) as launcher:
        _main(qtbot, launcher, user)
        _note_offline(launcher, dossier_id, "Ghi chú trong tệp sẽ mất khóa")
        db_file = launcher.opened.cache.paths.db
    keys.delete_secret(keys.CACHE_KEY, account)  # the password store lost the cache key
    before = db_file.read_bytes()

    # 1. Quit: nothing moves, the user can fix the password store first
    with running_launcher(qtbot, config, server, user, forget=False) as launcher:
        launcher.start()
        qtbot.waitUntil(lambda: launcher.stage == "cache_unreadable", timeout=30_000)
        box = launcher.message_box
        assert isinstance(box, QMessageBox) and box.isVisible()
        assert "khóa" in box.text()  # the reason, in Vietnamese
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Close)
        box.button(QMessageBox.StandardButton.Close).click()
        qtbot.waitUntil(lambda: launcher.stage == "stopped", timeout=10_000)
    assert db_file.read_bytes() == before

    # 2. Move aside: the app opens on a fresh copy without asking for the password again
    with running_launcher(qtbot, config, server, user) as launcher:
        launcher.start()
        qtbot.waitUntil(lambda: launcher.stage == "cache_unreadable", timeout=30_000)
        box = launcher.message_box
        assert isinstance(box, QMessageBox)
        with qtbot.waitSignal(launcher.message_shown, timeout=60_000) as shown:
            box.button(QMessageBox.StandardButton.Yes).click()
        text = shown.args[0]
        assert "không xác định" in text.lower() or "không thể biết" in text.lower(), text
        assert launcher.stage == "main" and launcher.login_dialog is None
        folders = list((account_paths(account, config.data_dir).root / "set-aside").iterdir())
        assert len(folders) == 1 and (folders[0] / "cache.db").read_bytes() == before
        assert str(folders[0]) in text
        assert TokenStore().get_refresh(account) is not None  # still signed in


def test_revocation_says_how_many_unsent_changes_were_erased(
        qtbot: Any, server: RunningServer, tmp_path: Path) -> None:
    peek = Peek(server)
    user, dossier_id = peek.officer_dossier()
    config = make_config(tmp_path, server)
    with running_launcher(qtbot, config, server, user) as launcher:
        _main(qtbot, launcher, user)
        _note_offline(launcher, dossier_id, "Sẽ bị xóa 1")
        record_action(launcher.shell.ctx.engine, dossier_id, "note", {"text": "Sẽ bị xóa 2"})
        admin = login(server, "admin")
        for device in admin.get(f"/api/v1/admin/devices?user_id={peek.user(user).id}"
                                ).json()["devices"]:
            assert admin.post(f"/api/v1/admin/devices/{device['id']}/revoke").status_code == 200
        with qtbot.waitSignal(launcher.message_shown, timeout=60_000) as shown:
            launcher.shell.window.act_sync.trigger()
        assert "thu hồi" in shown.args[0]
        assert "2 thay đổi" in shown.args[0], shown.args[0]
        assert peek.scalar("SELECT COUNT(*) FROM notes WHERE text LIKE 'Sẽ bị xóa%'") == 0


def test_a_big_cache_found_damaged_in_the_background_is_salvaged(
        qtbot: Any, server: RunningServer, tmp_path: Path, monkeypatch: Any) -> None:
    """Caches over VERIFY_AT_OPEN_MAX_BYTES open at once and are checked while the user works
    (the threshold is lowered to 0 here so the seeded cache counts as big)."""
    import wfh_client.store.cache as cache_module

    monkeypatch.setattr(cache_module, "VERIFY_AT_OPEN_MAX_BYTES", 0)
    peek = Peek(server)
    user, dossier_id = peek.officer_dossier()
    config = make_config(tmp_path, server)
    with running_launcher(qtbot, config, server, user, forget=False) as launcher:
        _main(qtbot, launcher, user)
        _note_offline(launcher, dossier_id, "Ghi chú cứu được")
        cache = launcher.opened.cache
        db = cache.reader()
        page = int(db.execute("PRAGMA page_size").fetchone()[0])
        root = int(db.execute("SELECT rootpage FROM sqlite_master "
                              "WHERE name = 'dossier_json'").fetchone()[0])
        db_file = cache.paths.db
    with db_file.open("r+b") as fh:  # damage the dossiers' JSON, not the outbox
        fh.seek((root - 1) * page + 512)
        fh.write(b"\x5a" * 256)

    with running_launcher(qtbot, config, server, user) as launcher:
        with qtbot.waitSignal(launcher.message_shown, timeout=90_000) as shown:
            launcher.start()
        assert "1" in shown.args[0] and "khôi phục" in shown.args[0], shown.args[0]
        qtbot.waitUntil(lambda: launcher.stage == "main", timeout=30_000)
        launcher.shell.window.act_sync.trigger()
        qtbot.waitUntil(lambda: peek.scalar("SELECT COUNT(*) FROM notes WHERE text = :t",
                                            t="Ghi chú cứu được") == 1, timeout=60_000)
        folders = list((db_file.parent / "set-aside").iterdir())
        assert len(folders) == 1 and "damaged" in folders[0].name
