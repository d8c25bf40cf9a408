"""The ``onestop-server`` command line, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("onestop-server")


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "onestop_server", *args],
        capture_output=True, text=True, timeout=timeout,
    )


def test_seed_accounts_and_refusal_to_overwrite(tmp_path: Path) -> None:
    db_path = tmp_path / "demo" / "server.db"
    done = run("seed", "--db", str(db_path), "--dossiers", "25", "--seed", "2")
    assert done.returncode == 0, done.stderr
    assert db_path.is_file() and any((tmp_path / "demo" / "blobs").iterdir())
    assert "25 dossiers" in done.stdout and "demo" in done.stdout

    again = run("seed", "--db", str(db_path), "--dossiers", "5")
    assert again.returncode == 1
    assert "--force" in again.stderr and "already exists" in again.stderr

    listed = run("accounts", "--db", str(db_path), "--json")
    assert listed.returncode == 0, listed.stderr
    body = json.loads(listed.stdout)
    assert body["password"] == "demo" and "demo" in body["password_note"]
    users = {a["username"]: a for a in body["accounts"]}
    assert users["admin"]["role"] == "admin"
    assert users["truongphong.tnmt"]["department"] == "Sở Tài nguyên và Môi trường"
    assert users["cv.mytho1"]["role"] == "officer"
    assert len(users) == 19

    forced = run("seed", "--db", str(db_path), "--dossiers", "5", "--force",
                 "--blobs", str(tmp_path / "other-blobs"))
    assert forced.returncode == 0, forced.stderr
    assert any((tmp_path / "other-blobs").iterdir())
    text = run("accounts", "--db", str(db_path))
    assert text.returncode == 0 and "truongphong.nn" in text.stdout


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    for command in ("accounts", "serve"):
        done = run(command, "--db", str(missing))
        assert done.returncode == 1
        assert "no database" in done.stderr and str(missing) in done.stderr
    assert not missing.exists()


def test_usage_errors_exit_2() -> None:
    assert run().returncode == 2
    assert run("seed").returncode == 2  # --db is required
    assert run("seed", "--db", "x.db", "--dossiers", "many").returncode == 2
    assert run("frobnicate").returncode == 2


def test_openapi_prints_the_document() -> None:
    done = run("openapi")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert "/api/v1/sync/changes" in doc["paths"]
    schema = json.dumps(doc["paths"]["/api/v1/sync/changes"]["get"]["responses"]["200"])
    assert "ChangesPage" in schema


@pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed")
def test_console_script_is_installed() -> None:
    done = subprocess.run([str(SCRIPT), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "seed" in done.stdout
