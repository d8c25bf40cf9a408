"""The headless CLI end to end: real subprocesses, the real server, the real keyring.

Subprocesses inherit the D-Bus session of scripts/with-keyring, so they share its keyring."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.client.auth_helpers import DEMO_PASSWORD, Reply, require_real_keyring, tls_server
from tests.support.server import RunningServer, free_port
from wfh_client.store.cache import Cache
from wfh_client.sync.account import Account
from wfh_client.sync.auth import TokenStore
from wfh_client.sync.http import HttpClient

OFFICER = "cv.nn1"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _keyring() -> None:
    require_real_keyring()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    e = dict(os.environ)
    e["WFH_CLIENT_POLICY"] = str(tmp_path / "policy.json")  # absent unless a test writes it
    e["WFH_CLIENT_DATA_DIR"] = str(tmp_path / "data")
    e["PYTHONPATH"] = str(ROOT)
    e.pop("PYTHON_KEYRING_BACKEND", None)
    return e


def run(env: dict[str, str], *args: str, stdin: str | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wfh_client", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def login(env: dict[str, str], server: str, username: str = OFFICER,
          password: str = DEMO_PASSWORD) -> subprocess.CompletedProcess[str]:
    return run(env, "login", "--server", server, "--username", username, "--password-stdin",
               stdin=password + "\n")


def test_login_status_doctor_logout(server: RunningServer, env: dict[str, str],
                                    tmp_path: Path) -> None:
    r = login(env, server.url)
    assert r.returncode == 0, r.stderr
    assert OFFICER in r.stdout
    account = Account(server.url, OFFICER)
    refresh = TokenStore().get_refresh(account.id)
    assert refresh
    data = tmp_path / "data"
    for f in data.rglob("*"):
        if f.is_file():
            assert refresh.encode() not in f.read_bytes()

    r = run(env, "status", "--json")
    assert r.returncode == 0, r.stderr
    st = json.loads(r.stdout)
    assert st["server"] == server.url and st["username"] == OFFICER and st["logged_in"]
    assert st["server_state"] == "online" and st["role"] == "officer"
    assert st["cache"]["available"] is False
    # A real (empty) cache of this account: status reads its counts through the store.
    Cache.open(server.url, OFFICER, data_dir=data).close()
    st = json.loads(run(env, "status", "--json").stdout)
    assert st["cache"] == {"available": True, "dossiers": 0, "pending": 0, "conflicts": 0,
                           "rejected": 0, "last_success_at": None}
    r = run(env, "-v", "status")
    assert r.returncode == 0 and "Dossiers:     0" in r.stdout and "online" in r.stdout
    assert "DEBUG" in r.stderr and "/api/v1/auth/refresh" in r.stderr
    rotated = TokenStore().get_refresh(account.id)
    assert rotated and rotated != refresh  # the CLI refreshed and stored the rotated token
    for secret in (refresh, rotated):
        assert secret not in r.stderr and secret not in r.stdout

    r = run(env, "doctor")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "[  ok] server" in r.stdout and "SecretService" in r.stdout
    assert "integrity ok" in r.stdout
    assert "server_url" in r.stdout and "[user]" in r.stdout and "[default]" in r.stdout
    doc = json.loads(run(env, "doctor", "--json").stdout)
    assert doc["ok"] and {c["name"] for c in doc["checks"]} >= {"server", "keyring", "cache"}

    r = run(env, "logout")
    assert r.returncode == 0, r.stderr
    assert TokenStore().get_refresh(account.id) is None
    r = run(env, "status", "--json")
    assert r.returncode == 8 and json.loads(r.stdout)["logged_in"] is False
    assert run(env, "logout").returncode == 0  # idempotent


def test_wrong_password_and_usage_errors(server: RunningServer, env: dict[str, str]) -> None:
    r = login(env, server.url, password="wrong")
    assert r.returncode == 3 and "Wrong username or password" in r.stderr
    r = run(env, "login", "--server", server.url, "--username", OFFICER, stdin="")
    assert r.returncode == 2 and "--password-stdin" in r.stderr
    r = run(env, "login", "--server", "ftp://x", "--username", OFFICER, "--password-stdin",
            stdin="demo\n")
    assert r.returncode == 2
    assert run(env, "frobnicate").returncode == 2
    r = run(env, "status")
    assert r.returncode == 8 and "Not logged in" in r.stdout


def test_unreachable_server(env: dict[str, str]) -> None:
    r = login(env, f"http://127.0.0.1:{free_port()}")
    assert r.returncode == 4 and "unreachable" in r.stderr


def test_tls_failure_then_trusted_by_policy_ca_bundle(env: dict[str, str], tmp_path: Path) -> None:
    token_answer = {"access_token": "a" * 43, "refresh_token": "r" * 43, "token_type": "bearer",
                    "expires_in": 900, "user": {"id": 9, "username": OFFICER, "full_name": "X",
                                                "role": "officer"}}
    with tls_server(tmp_path, [Reply(200, token_answer)]) as (srv, cert):
        r = login(env, srv.url)
        assert r.returncode == 5 and "TLS" in r.stderr
        r = run(env, "doctor", "--server", srv.url)
        assert r.returncode == 5 and "[FAIL] server" in r.stdout
        Path(env["WFH_CLIENT_POLICY"]).write_text(json.dumps({"ca_bundle": str(cert)}))
        r = login(env, srv.url)
        assert r.returncode == 0, r.stderr
        r = run(env, "doctor")
        assert "[  ok] server" in r.stdout and "TLS verified" in r.stdout
        assert "ca_bundle" in r.stdout and "[policy, locked]" not in r.stdout
        assert "(locked)" in r.stdout
    TokenStore().delete_account(Account(srv.url, OFFICER).id)


def test_keyring_unavailable(server: RunningServer, env: dict[str, str]) -> None:
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # a real (failing) backend
    r = login(env, server.url)
    assert r.returncode == 6 and "keyring" in r.stderr.lower()
    r = run(env, "doctor")
    assert r.returncode == 6 and "[FAIL] keyring" in r.stdout


def test_revoked_device_wipes_and_exits_7(server: RunningServer, env: dict[str, str],
                                          tmp_path: Path) -> None:
    assert login(env, server.url).returncode == 0
    account = Account(server.url, OFFICER)
    data = tmp_path / "data"
    Cache.open(server.url, OFFICER, data_dir=data).close()
    assert (data / "accounts" / account.id / "cache.db").exists()
    admin = HttpClient(server.url, timeout=10)
    body = admin.post("/api/v1/auth/login", json={"username": "admin", "password": DEMO_PASSWORD,
                                                  "device_id": "admin-console"}).json()
    admin.session.headers["Authorization"] = f"Bearer {body['access_token']}"
    me = json.loads(run(env, "status", "--json").stdout)
    user_id = next(d["user_id"] for d in admin.get("/api/v1/admin/devices").json()["devices"]
                   if d["user_id"] and d["device_id"] != "admin-console")
    admin.post(f"/api/v1/admin/users/{user_id}/disable")
    assert me["username"] == OFFICER
    r = run(env, "status", "--json")
    assert r.returncode == 7 and "disabled" in r.stderr and "wiped" in r.stderr
    assert not (data / "accounts" / account.id).exists()
    store = TokenStore()
    assert store.get_refresh(account.id) is None and store.get("cache-key", account.id) is None
    assert not (data / "account.json").exists()
    assert run(env, "status").returncode == 8


def test_session_expired_exits_8(server: RunningServer, env: dict[str, str]) -> None:
    assert login(env, server.url).returncode == 0
    account = Account(server.url, OFFICER)
    stolen = TokenStore().get_refresh(account.id)
    http = HttpClient(server.url, timeout=10)
    device = (Path(env["WFH_CLIENT_DATA_DIR"]) / "device_id").read_text().strip()
    first = http.post("/api/v1/auth/refresh",
                      json={"refresh_token": stolen, "device_id": device}).json()
    http.post("/api/v1/auth/refresh",
              json={"refresh_token": first["refresh_token"], "device_id": device})
    # The thief used the rotated token's successor too, so the grace window that covers a
    # lost answer does not apply: the CLI presents a reused token, the family is revoked.
    r = run(env, "status")
    assert r.returncode == 8, r.stdout + r.stderr
    assert TokenStore().get_refresh(account.id) is None


def test_policy_locks_and_config_command(server: RunningServer, env: dict[str, str]) -> None:
    Path(env["WFH_CLIENT_POLICY"]).write_text(json.dumps(
        {"server_url": server.url, "sync_interval_seconds": 120}))
    r = login(env, "https://elsewhere.example")
    assert r.returncode == 2 and "policy" in r.stderr
    r = run(env, "login", "--username", OFFICER, "--password-stdin", stdin="demo\n")
    assert r.returncode == 0, r.stderr  # the policy's server is used
    r = run(env, "config", "set", "sync_interval_seconds", "600")
    assert r.returncode == 2 and "policy" in r.stderr
    r = run(env, "config", "set", "language", "en")
    assert r.returncode == 0 and 'language = "en"  [user]' in r.stdout
    assert 'sync_interval_seconds = 120  [policy, locked]' in r.stdout
    r = run(env, "config", "set", "prefetch_max_bytes", "-3")
    assert r.returncode == 2
    assert run(env, "logout").returncode == 0
    Path(env["WFH_CLIENT_POLICY"]).write_text("{broken")
    r = run(env, "status")
    assert r.returncode == 1 and env["WFH_CLIENT_POLICY"] in r.stderr


def test_help_and_sync(env: dict[str, str], server: RunningServer) -> None:
    r = run(env, "--help")
    assert r.returncode == 0 and "exit codes" in r.stdout and "7 device revoked" in r.stdout
    if importlib.util.find_spec("wfh_client.sync.engine") is None:
        assert login(env, server.url).returncode == 0
        r = run(env, "sync")
        assert r.returncode == 1 and "not available" in r.stderr
        run(env, "logout")
