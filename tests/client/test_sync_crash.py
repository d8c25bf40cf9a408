"""Crash safety with a real SIGKILL: the real CLI in a subprocess, the real server on loopback,
the real keyring and SQLCipher file. ``WFH_CLIENT_CRASHPOINT=<point>[@<n>]`` makes the engine
kill its own process (no cleanup, like a power cut) at a named point; the test then opens the
cache the dead process left behind, checks it, and syncs again.

Points: ``pull_page_before_commit`` (a pull page is written but not committed) and
``push_after_response`` (the server applied an action, the client has not recorded it)."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.client.auth_helpers import DEMO_PASSWORD, require_real_keyring
from tests.server.util import Peek
from tests.server.util import login as server_login
from tests.support.server import RunningServer
from wfh_client.store import Cache, keys
from wfh_client.store import dossiers as store_dossiers
from wfh_client.store import outbox as store_outbox
from wfh_client.store.state import KEY_CURSOR, KEY_SNAPSHOT_IN_PROGRESS, get_state

ROOT = Path(__file__).resolve().parents[2]
HEAD = "truongphong.tnmt"
DEPARTMENT = "stnmt"
KILLED = -signal.SIGKILL


@pytest.fixture(autouse=True)
def _keyring() -> None:
    require_real_keyring()


class Cli:
    """``python -m wfh_client --data-dir D ...`` in a subprocess sharing the test's keyring."""

    def __init__(self, tmp_path: Path, server: RunningServer, username: str) -> None:
        self.data = tmp_path / "data"
        self.server = server
        self.username = username
        self.env = dict(os.environ)
        self.env["WFH_CLIENT_POLICY"] = str(tmp_path / "policy.json")  # absent: no policy
        self.env["PYTHONPATH"] = str(ROOT)
        self.env.pop("WFH_CLIENT_CRASHPOINT", None)
        self.env.pop("PYTHON_KEYRING_BACKEND", None)

    def run(self, *args: str, crash: str | None = None, stdin: str | None = None,
            ) -> subprocess.CompletedProcess[str]:
        env = dict(self.env)
        if crash is not None:
            env["WFH_CLIENT_CRASHPOINT"] = crash
        return subprocess.run([sys.executable, "-m", "wfh_client", "--data-dir", str(self.data),
                               *args], input=stdin, env=env, capture_output=True, text=True,
                              timeout=120, cwd=ROOT)

    def ok(self, *args: str) -> str:
        r = self.run(*args)
        assert r.returncode == 0, (args, r.returncode, r.stderr)
        return r.stdout

    def login(self) -> None:
        r = self.run("login", "--server", self.server.url, "--username", self.username,
                     "--password-stdin", stdin=DEMO_PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
        self.ok("config", "set", "prefetch_max_bytes", "0")  # documents are not the point here

    @contextmanager
    def cache(self) -> Iterator[Cache]:
        """The account's cache, opened in the test process (after the CLI exited or died)."""
        cache = Cache.open(self.server.url, self.username, data_dir=self.data)
        try:
            yield cache
        finally:
            cache.close()

    def forget(self) -> None:
        keys.delete_account_secrets(keys.account_id(self.server.url, self.username),
                                    extra_kinds=("refresh-token",))


@pytest.fixture
def head_cli(tmp_path: Path, server: RunningServer) -> Iterator[Cli]:
    cli = Cli(tmp_path, server, HEAD)
    cli.login()
    yield cli
    cli.forget()


def head_scope(server: RunningServer) -> dict[str, dict[str, Any]]:
    return {r[0]: json.loads(r[1]) for r in Peek(server).rows(
        "SELECT id, payload FROM dossiers WHERE department_id = :d AND status != 7",
        d=DEPARTMENT)}


def cached_docs(cache: Cache) -> dict[str, dict[str, Any]]:
    db = cache.reader()
    out: dict[str, dict[str, Any]] = {}
    for (dossier_id,) in db.execute("SELECT id FROM dossiers").fetchall():
        record = store_dossiers.get_dossier(db, dossier_id)
        assert record is not None
        out[dossier_id] = record.data
    return out


def integrity(cache: Cache) -> list[str]:
    return [r[0] for r in cache.reader().execute("PRAGMA integrity_check").fetchall()]


def decode_cursor(cursor: str) -> list[str]:
    """Test-only peek into the server's opaque cursor format (``v1:s:<seq>`` / ``v1:n:...``)."""
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(":")


def assert_converged(cli: Cli) -> None:
    expected = head_scope(cli.server)
    with cli.cache() as cache:
        assert integrity(cache) == ["ok"]
        assert get_state(cache.reader(), KEY_SNAPSHOT_IN_PROGRESS) in (None, False)
        assert cached_docs(cache) == expected


def test_kill_during_an_incremental_pull_page_keeps_the_last_committed_page(
        server: RunningServer, head_cli: Cli) -> None:
    head_cli.ok("sync")
    scope = head_scope(server)
    with head_cli.cache() as cache:
        assert set(cached_docs(cache)) == set(scope)
        before_cursor = get_state(cache.reader(), KEY_CURSOR)
    # Seven dossiers change on the server while the client is away: three pages of 3.
    head = server_login(server, HEAD)
    changed = sorted(scope)[:7]
    for i, dossier_id in enumerate(changed):
        r = head.action(dossier_id, "note", 0, {"text": f"Thay đổi trên máy chủ {i}"})
        assert r.status_code == 200, r.text
    first_page = head.get("/api/v1/sync/changes",
                          params={"cursor": before_cursor, "limit": 3}).json()
    assert first_page["has_more"] and len(first_page["upserts"]) == 3

    r = head_cli.run("sync", "--page-limit", "3", crash="pull_page_before_commit@2")
    assert r.returncode == KILLED, (r.returncode, r.stderr)

    after = head_scope(server)
    with head_cli.cache() as cache:
        assert integrity(cache) == ["ok"]
        # The first page is committed with its cursor; the second page left no trace.
        assert get_state(cache.reader(), KEY_CURSOR) == first_page["cursor"]
        docs = cached_docs(cache)
        committed = {d["id"] for d in first_page["upserts"]}
        for dossier_id in committed:
            assert docs[dossier_id] == after[dossier_id]
        for dossier_id in set(changed) - committed:
            assert docs[dossier_id] == scope[dossier_id]  # still the old copy, not half-written
            assert docs[dossier_id]["version"] < after[dossier_id]["version"]

    report = json.loads(head_cli.ok("sync", "--json", "--page-limit", "3"))
    assert report["pulled"] == len(changed) - len(committed)  # page one is not fetched again
    assert_converged(head_cli)


def test_kill_mid_snapshot_of_a_first_sync_resumes_where_it_stopped(
        server: RunningServer, head_cli: Cli) -> None:
    scope = head_scope(server)
    assert len(scope) > 9, "the seeded department fills more than three pages of 3"

    r = head_cli.run("sync", "--page-limit", "3", crash="pull_page_before_commit@3")
    assert r.returncode == KILLED, (r.returncode, r.stderr)

    with head_cli.cache() as cache:
        assert integrity(cache) == ["ok"]
        db = cache.reader()
        assert get_state(db, KEY_SNAPSHOT_IN_PROGRESS) is True
        cursor = decode_cursor(get_state(db, KEY_CURSOR))
        docs = cached_docs(cache)
    # Two pages committed: the six smallest ids, each equal to the server's copy.
    assert sorted(docs) == sorted(scope)[:6]
    assert cursor[:2] == ["v1", "n"] and cursor[3] == sorted(scope)[5]
    for dossier_id, doc in docs.items():
        assert doc == scope[dossier_id]

    # One dossier already cached changes before the resume: the finished snapshot continues
    # from the position where it started, so the next incremental pull brings it.
    head = server_login(server, HEAD)
    early = sorted(scope)[0]
    assert head.action(early, "note", 0, {"text": "Sửa khi đang đồng bộ"}).status_code == 200

    report = json.loads(head_cli.ok("sync", "--json", "--page-limit", "3"))
    assert report["pulled"] == len(scope) - 6  # committed pages are not requested again
    assert report["removed"] == 0 and not report["resynced"]
    head_cli.ok("sync")
    assert_converged(head_cli)


def test_kill_after_the_server_applied_a_push_sends_it_again_with_one_effect(
        server: RunningServer, head_cli: Cli) -> None:
    head_cli.ok("sync")
    first, second = sorted(head_scope(server))[:2]
    entries: list[str] = []
    texts: dict[str, str] = {}
    for dossier_id, text in ((first, "Ghi chú một lần duy nhất"), (second, "Ghi chú thứ hai")):
        out = json.loads(head_cli.ok("note", dossier_id, text, "--json"))
        assert out["state"] == "pending" and out["dossier_id"] == dossier_id
        entries.append(out["client_id"])
        texts[out["client_id"]] = text

    r = head_cli.run("sync", crash="push_after_response")
    assert r.returncode == KILLED, (r.returncode, r.stderr)

    peek = Peek(server)

    def server_notes(client_id: str) -> int:
        """Notes stemming from this outbox entry (its key or a derived one), checked against
        the count of its text, so a resend under any other key is caught too."""
        by_key = int(peek.scalar("SELECT count(*) FROM notes WHERE client_id LIKE :c",
                                 c=client_id + "%"))
        by_text = int(peek.scalar("SELECT count(*) FROM notes WHERE text = :t",
                                  t=texts[client_id]))
        assert by_key == by_text, (by_key, by_text)
        return by_key

    assert server_notes(entries[0]) == 1  # applied on the server...
    assert server_notes(entries[1]) == 0  # ...the process died before the second was sent
    with head_cli.cache() as cache:
        assert integrity(cache) == ["ok"]
        db = cache.reader()
        states = {e.client_id: e.state for e in store_outbox.entries(db)}
        assert states == {entries[0]: "sending", entries[1]: "pending"}
        local = store_dossiers.get_dossier(db, first)
        assert local is not None and local.local_state == "pending"
        assert [n["text"] for n in local.data["notes"]].count("Ghi chú một lần duy nhất") == 1

    report = json.loads(head_cli.ok("sync", "--json"))
    assert report["applied"] == 2 and report["conflicts"] == 0
    assert server_notes(entries[0]) == 1 and server_notes(entries[1]) == 1  # still once
    expected = head_scope(server)
    with head_cli.cache() as cache:
        db = cache.reader()
        assert {e.client_id: e.state for e in store_outbox.entries(db)} == {
            entries[0]: "applied", entries[1]: "applied"}
        for dossier_id in (first, second):
            record = store_dossiers.get_dossier(db, dossier_id)
            assert record is not None and record.local_state == "synced"
            assert record.data == expected[dossier_id]
    assert_converged(head_cli)


def test_note_command_exit_codes(server: RunningServer, head_cli: Cli) -> None:
    r = head_cli.run("note", "00000000-0000-0000-0000-000000000000", "x")
    assert r.returncode == 1 and "not in the local cache" in r.stderr
    head_cli.ok("sync")
    dossier_id = sorted(head_scope(server))[0]
    r = head_cli.run("note", dossier_id, "   ")
    assert r.returncode == 2 and "empty" in r.stderr
    r = head_cli.run("note", dossier_id, "-", stdin="Ghi chú từ stdin\n")
    assert r.returncode == 0, r.stderr
    with head_cli.cache() as cache:
        [entry] = store_outbox.entries(cache.reader())
    assert entry.payload == {"text": "Ghi chú từ stdin"} and entry.state == "pending"
    r = head_cli.run("sync", "--page-limit", "0")
    assert r.returncode == 2 and "between 1 and 2000" in r.stderr
    assert "note" in head_cli.ok("--help")


def test_a_kill_after_the_server_rotated_the_refresh_token_keeps_the_login(
        head_cli: Cli, server: RunningServer) -> None:
    """Killed between the server's rotation and storing the new token: the keyring still holds
    the rotated one. Within the server's grace window it answers with the same pair, so the next
    run syncs instead of being signed out (``auth.refresh_reused``)."""
    account = keys.account_id(server.url, HEAD)
    before = keys.get_secret("refresh-token", account)
    died = head_cli.run("sync", crash="refresh_after_response")
    assert died.returncode == KILLED, died.stderr
    assert keys.get_secret("refresh-token", account) == before  # the new pair never got stored
    assert Peek(server).scalar("SELECT COUNT(*) FROM refresh_tokens WHERE rotated_at IS NOT NULL "
                               "AND revoked_at IS NULL") >= 1
    again = head_cli.run("sync", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["pulled"] > 0
    assert keys.get_secret("refresh-token", account) not in (None, before)
    assert Peek(server).scalar("SELECT COUNT(*) FROM refresh_tokens WHERE revoked_at IS NOT NULL"
                               ) == 0  # nothing was taken for reuse
