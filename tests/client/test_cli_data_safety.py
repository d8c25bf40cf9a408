"""Nothing the user did is lost without telling them how much: the real CLI in subprocesses,
the real server on loopback, the real keyring and SQLCipher files.

- a cache whose key is missing or wrong: ``sync`` exits 6 and says what to do; ``login`` moves
  it aside (kept, never deleted), says it cannot tell how many unsent changes it held, keeps the
  refresh token, and ``sync`` works again;
- a damaged cache (the key opens it, ``quick_check`` fails): moved aside at once, its unsent
  notes carried over and sent;
- a revoked device with unsent changes: ``sync`` exits 7 and says how many were discarded;
- a full disk at close (the WAL checkpoint fails): ``note`` reports the committed note as
  recorded, so nobody retries it into a double.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.client.auth_helpers import DEMO_PASSWORD, require_real_keyring
from tests.client.test_sync_crash import Cli
from tests.server.util import Peek
from tests.support.server import RunningServer
from wfh_client.store import keys
from wfh_client.store.cache import account_paths
from wfh_client.store.state import unsent_changes
from wfh_client.sync.http import HttpClient

OFFICER = "cv.tnmt1"


@pytest.fixture(autouse=True)
def _keyring() -> None:
    require_real_keyring()


@pytest.fixture
def cli(tmp_path: Path, server: RunningServer) -> Iterator[Cli]:
    c = Cli(tmp_path, server, OFFICER)
    c.login()
    c.ok("sync")
    yield c
    c.forget()


def account(server: RunningServer) -> str:
    return keys.account_id(server.url, OFFICER)


def some_dossier(server: RunningServer) -> str:
    user_id = int(Peek(server).user(OFFICER).id)
    return str(Peek(server).scalar(
        "SELECT id FROM dossiers WHERE assignee_id = :u AND status != 7 ORDER BY code LIMIT 1",
        u=user_id))


def notes_on_server(server: RunningServer, text: str) -> int:
    return int(Peek(server).scalar("SELECT COUNT(*) FROM notes WHERE text = :t", t=text))


def set_aside_folders(cli: Cli, server: RunningServer) -> list[Path]:
    root = account_paths(account(server), cli.data).root / "set-aside"
    return sorted(root.iterdir()) if root.exists() else []


@pytest.mark.parametrize("how", ["key_missing", "wrong_key"])
def test_an_unreadable_cache_is_moved_aside_and_login_brings_sync_back(
        cli: Cli, server: RunningServer, how: str) -> None:
    dossier = some_dossier(server)
    cli.ok("note", dossier, "Ghi chú chưa gửi")  # one unsent change in the old file
    refresh = keys.get_secret("refresh-token", account(server))
    if how == "key_missing":
        keys.delete_secret(keys.CACHE_KEY, account(server))
    else:
        keys.set_secret(keys.CACHE_KEY, account(server), "11" * 32)
    old = account_paths(account(server), cli.data).db
    old_bytes = old.read_bytes()

    r = cli.run("sync")
    assert r.returncode == 6, r.stderr  # a keyring problem, said in words, with the way out
    assert "wfh-client login" in r.stderr and "Traceback" not in r.stderr
    assert old.read_bytes() == old_bytes  # nothing was touched
    assert keys.get_secret("refresh-token", account(server)) == refresh

    r = cli.run("login", "--server", server.url, "--username", OFFICER, "--password-stdin",
                stdin=DEMO_PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert "moved aside" in r.stderr and "cannot be told" in r.stderr
    [folder] = set_aside_folders(cli, server)
    assert (folder / "cache.db").read_bytes() == old_bytes  # kept, byte for byte
    assert how in folder.name and (folder / "README.txt").exists()

    report = json.loads(cli.ok("sync", "--json"))
    assert report["pulled"] > 0
    status = json.loads(cli.ok("status", "--json", "--offline"))
    assert status["cache"]["available"] and status["cache"]["pending"] == 0
    assert notes_on_server(server, "Ghi chú chưa gửi") == 0  # could not be recovered: said so
    doctor = cli.run("doctor", "--json")
    assert any("set-aside" in c["detail"] for c in json.loads(doctor.stdout)["checks"])


def test_a_damaged_cache_is_set_aside_and_its_unsent_notes_are_sent(
        cli: Cli, server: RunningServer) -> None:
    dossier = some_dossier(server)
    texts = [f"Ghi chú {n} trước khi hỏng" for n in range(3)]
    for text in texts:
        cli.ok("note", dossier, text)
    db_path = account_paths(account(server), cli.data).db
    with cli.cache() as cache:  # damage the dossier JSON table's root page (not the outbox)
        db = cache.reader()
        page = int(db.execute("PRAGMA page_size").fetchone()[0])
        target = int(db.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'dossier_json'").fetchone()[0])
    with db_path.open("r+b") as fh:
        fh.seek((target - 1) * page + 512)
        fh.write(b"\x5a" * 256)

    r = cli.run("sync", "--json")
    assert r.returncode == 0, r.stderr
    assert "moved aside" in r.stderr and "3 unsent changes: 3 were carried over" in r.stderr
    report = json.loads(r.stdout)
    assert report["applied"] == 3
    for text in texts:
        assert notes_on_server(server, text) == 1
    [folder] = set_aside_folders(cli, server)
    assert "damaged" in folder.name and (folder / "cache.db").exists()
    assert keys.get_secret("refresh-token", account(server)) is not None
    r = cli.run("doctor", "--json")
    cache_check = next(c for c in json.loads(r.stdout)["checks"] if c["name"] == "cache")
    assert cache_check["ok"], cache_check


def test_revocation_with_unsent_changes_exits_7_and_says_how_many(
        cli: Cli, server: RunningServer) -> None:
    dossier = some_dossier(server)
    cli.ok("note", dossier, "Sẽ bị hủy 1")
    cli.ok("note", dossier, "Sẽ bị hủy 2")
    admin = HttpClient(server.url, timeout=30)
    body = admin.post("/api/v1/auth/login", json={"username": "admin", "password": DEMO_PASSWORD,
                                                  "device_id": "admin-console"}).json()
    admin.session.headers["Authorization"] = f"Bearer {body['access_token']}"
    user_id = int(Peek(server).user(OFFICER).id)
    devices = admin.get("/api/v1/admin/devices", params={"user_id": user_id}).json()["devices"]
    for device in devices:
        admin.post(f"/api/v1/admin/devices/{device['id']}/revoke")

    r = cli.run("sync")
    assert r.returncode == 7, (r.returncode, r.stderr)
    assert "revoked" in r.stderr and "wiped" in r.stderr
    assert "2 unsent changes were discarded" in r.stderr
    assert "RuntimeError" not in r.stderr and "Traceback" not in r.stderr
    assert not account_paths(account(server), cli.data).root.exists()
    assert keys.get_secret("refresh-token", account(server)) is None
    assert notes_on_server(server, "Sẽ bị hủy 1") == 0


def test_a_failed_checkpoint_at_close_does_not_report_a_committed_note_as_failed(
        cli: Cli, server: RunningServer, tmp_path: Path) -> None:
    """A full disk makes the WAL checkpoint at close fail after the note committed. The
    checkpoint's failure is injected (a real full disk needs root and a small filesystem)."""
    dossier = some_dossier(server)
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import sqlite_utils\n"
        "_execute = sqlite_utils.Database.execute\n"
        "def execute(self, sql, *a, **k):\n"
        "    if 'wal_checkpoint' in sql:\n"
        "        import sqlcipher3\n"
        "        raise sqlcipher3.OperationalError('database or disk is full')\n"
        "    return _execute(self, sql, *a, **k)\n"
        "sqlite_utils.Database.execute = execute\n", encoding="utf-8")
    cli.env["PYTHONPATH"] = f"{hook}:{cli.env['PYTHONPATH']}"
    r = cli.run("note", dossier, "Ghi chú khi đầy đĩa", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["state"] == "pending"
    del cli.env["PYTHONPATH"]
    cli.env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    with cli.cache() as cache:
        assert unsent_changes(cache.reader()) == 1  # committed exactly once
    cli.ok("sync")
    assert notes_on_server(server, "Ghi chú khi đầy đĩa") == 1


def test_doctor_shows_the_calendar_and_flags_years_not_decreed(cli: Cli) -> None:
    r = cli.run("doctor", "--json")
    check = next(c for c in json.loads(r.stdout)["checks"] if c["name"] == "calendar")
    assert check["ok"] and "resolved 2025-01-01 .. 2028-12-31" in check["detail"]
    assert "2027" in check["detail"] and "not confirmed" in check["detail"]
