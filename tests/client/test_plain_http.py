"""Plain HTTP only to loopback (issue 10.4): an http:// server elsewhere is refused before any
connection (the password and tokens would cross the network readable), in the settings, the
CLI and the HTTP layer; redirects are never followed (no downgrade, no change of host)."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.client.auth_helpers import require_real_keyring
from tests.support.server import RunningServer
from wfh_client.config import REGISTRY, check_server_url
from wfh_client.sync.account import Account, save_current
from wfh_client.sync.auth import TokenStore
from wfh_client.sync.errors import ApiError, InsecureServerUrl
from wfh_client.sync.http import HttpClient

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("url", ["http://motcua.example.gov.vn", "http://10.0.0.5:8765",
                                 "http://192.168.1.10", "http://[2001:db8::1]:8080",
                                 "http://localhost.evil.example", "http://127.0.0.1.nip.io"])
def test_plain_http_elsewhere_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="https"):
        check_server_url(url)
    with pytest.raises(ValueError):
        REGISTRY["server_url"].validate(url)
    with pytest.raises(InsecureServerUrl):
        HttpClient(url)


@pytest.mark.parametrize("url", ["https://motcua.example.gov.vn", "http://127.0.0.1:8765",
                                 "http://localhost:8765", "http://[::1]:8765",
                                 "http://127.0.0.2"])
def test_https_and_loopback_are_allowed(url: str) -> None:
    check_server_url(url)
    HttpClient(url).close()


def test_the_cli_refuses_plain_http_before_connecting(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "wfh_client", "--data-dir", str(tmp_path / "d"), "login",
         "--server", "http://motcua.example.gov.vn", "--username", "cv.nn1", "--password-stdin"],
        input="demo\n", capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert r.returncode == 2 and "https" in r.stderr


def test_a_remembered_plain_http_account_is_refused(tmp_path: Path) -> None:
    """account.json is user-writable: a plain http:// server there is refused, not contacted
    (contacting this unresolvable name would end in "unreachable", exit 4, instead)."""
    require_real_keyring()
    data = tmp_path / "data"
    account = Account("http://motcua.invalid", "cv.nn1")
    save_current(data, account)
    tokens = TokenStore()
    tokens.set_refresh(account.id, "a-refresh-token")
    try:
        r = subprocess.run(
            [sys.executable, "-m", "wfh_client", "--data-dir", str(data), "sync"],
            capture_output=True, text=True, timeout=60, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT),
                 "WFH_CLIENT_POLICY": str(tmp_path / "none.json")})
    finally:
        tokens.delete_account(account.id)
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "https" in r.stderr and "unreachable" not in r.stderr.lower()


class Redirect(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self.send_response(302)
        self.send_header("Location", "http://motcua.example.gov.vn/api/v1/me")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def redirecting() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_redirects_are_not_followed(redirecting: str) -> None:
    client = HttpClient(redirecting, timeout=10)
    with pytest.raises(ApiError) as err:
        client.get("/api/v1/me", headers={"Authorization": "Bearer secret-token"})
    assert err.value.status == 302


def test_the_real_server_on_loopback_still_works(server: RunningServer) -> None:
    client = HttpClient(server.url, timeout=10)
    assert client.get("/api/v1/openapi.json").status_code == 200
