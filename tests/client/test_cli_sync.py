"""``wfh-client sync``/``status``/``note`` end to end: real subprocesses sharing the test's
keyring (scripts/with-keyring), the real server on loopback, the real encrypted cache."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.client.auth_helpers import require_real_keyring
from tests.client.test_sync_crash import Cli
from tests.server.util import Peek
from tests.support.server import RunningServer
from wfh_client.store import dossiers as store_dossiers

OFFICER = "cv.tnmt1"


@pytest.fixture(autouse=True)
def _keyring() -> None:
    require_real_keyring()


@pytest.fixture
def officer_cli(tmp_path: Path, server: RunningServer) -> Iterator[Cli]:
    cli = Cli(tmp_path, server, OFFICER)
    cli.login()
    yield cli
    cli.forget()


def scope(server: RunningServer) -> dict[str, dict[str, Any]]:
    peek = Peek(server)
    user_id = int(peek.user(OFFICER).id)
    return {r[0]: json.loads(r[1]) for r in peek.rows(
        "SELECT id, payload FROM dossiers WHERE assignee_id = :u AND status != 7", u=user_id)}


def status(cli: Cli) -> dict[str, Any]:
    info: dict[str, Any] = json.loads(cli.ok("status", "--json"))
    return info


def test_sync_then_status_shows_the_cached_scope(server: RunningServer, officer_cli: Cli) -> None:
    before = status(officer_cli)
    assert before["cache"]["available"] is False  # never synced: no cache yet

    out = officer_cli.ok("sync")
    expected = scope(server)
    assert expected, "the seeded officer has work"
    assert f"{len(expected)} dossiers received" in out

    info = status(officer_cli)
    assert info["server_state"] == "online" and info["logged_in"] is True
    cache = info["cache"]
    assert cache["available"] is True
    assert cache["dossiers"] == len(expected)
    assert (cache["pending"], cache["conflicts"], cache["rejected"]) == (0, 0, 0)
    assert cache["last_success_at"] and cache["last_success_at"].endswith("Z")
    with officer_cli.cache() as c:
        db = c.reader()
        for dossier_id, doc in expected.items():
            record = store_dossiers.get_dossier(db, dossier_id)
            assert record is not None and record.data == doc


def test_an_offline_note_is_pending_until_the_next_sync(server: RunningServer,
                                                        officer_cli: Cli) -> None:
    officer_cli.ok("sync")
    dossier_id = sorted(scope(server))[0]
    officer_cli.ok("note", dossier_id, "Đã liên hệ công dân qua điện thoại")
    info = json.loads(officer_cli.ok("status", "--json", "--offline"))
    assert info["cache"]["pending"] == 1 and info["cache"]["rejected"] == 0

    report = json.loads(officer_cli.ok("sync", "--json"))
    assert report["applied"] == 1 and report["pushed"] == 1
    assert report["conflicts"] == 0 and report["errors"] == []
    assert status(officer_cli)["cache"]["pending"] == 0
    notes = [n["text"] for n in scope(server)[dossier_id]["notes"]]
    assert notes.count("Đã liên hệ công dân qua điện thoại") == 1


def test_sync_json_prints_the_report(server: RunningServer, officer_cli: Cli) -> None:
    first = json.loads(officer_cli.ok("sync", "--json", "--page-limit", "2"))
    expected = len(scope(server))
    assert first["pulled"] == expected and first["pages"] == max(1, -(-expected // 2))
    assert first["removed"] == 0 and first["applied"] == 0 and not first["resynced"]
    assert set(first) >= {"pushed", "applied", "rebased", "conflicts", "invalid", "rejected",
                          "pulled", "removed", "pages", "requests", "resynced", "documents",
                          "document_bytes", "errors"}
    again = json.loads(officer_cli.ok("sync", "--json"))
    assert again["pulled"] == 0 and again["requests"] == 1 and again["pages"] == 1
    resync = json.loads(officer_cli.ok("sync", "--json", "--resync"))
    assert resync["resynced"] is True and resync["pulled"] == expected


def test_sync_without_login_exits_8(tmp_path: Path, server: RunningServer) -> None:
    cli = Cli(tmp_path, server, OFFICER)
    r = cli.run("sync")
    assert r.returncode == 8 and "login" in r.stderr
    r = cli.run("note", "x", "y")
    assert r.returncode == 8
