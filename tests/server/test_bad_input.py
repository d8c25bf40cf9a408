"""Every kind of bad input is a clear 4xx, never a 500, and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests

from tests.server.util import Peek, login, new_key
from tests.support.server import RunningServer


@pytest.fixture
def ctx(server: RunningServer) -> Iterator[tuple[RunningServer, Peek, str, str]]:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    yield server, peek, username, dossier_id


def _post_raw(server: RunningServer, path: str, body: bytes, token: str | None = None,
              content_type: str = "application/json", **headers: str) -> requests.Response:
    h = {"Content-Type": content_type, "Idempotency-Key": new_key(), **headers}
    if token:
        h["Authorization"] = f"Bearer {token}"
    return requests.post(server.url + path, data=body, headers=h, timeout=30)


MALFORMED = [b"{not json", b"[1, 2]", b'"a string"', b"", b"\xff\xfe\x00garbage", b"null", b"123"]


@pytest.mark.parametrize("body", MALFORMED)
def test_malformed_bodies(ctx: tuple[RunningServer, Peek, str, str], body: bytes) -> None:
    server, peek, username, dossier_id = ctx
    c = login(server, username)
    fp = peek.fingerprint()
    for path in (f"/api/v1/dossiers/{dossier_id}/actions", "/api/v1/auth/login", "/api/v1/auth/refresh"):
        r = _post_raw(server, path, body, c.access)
        assert r.status_code == 400, (path, body, r.text)
        assert r.json()["code"] == "request.malformed"
    assert peek.fingerprint() == fp


WRONG = [
    {"type": "note", "base_version": "1", "payload": {"text": "x"}},
    {"type": "note", "base_version": True, "payload": {"text": "x"}},
    {"type": "note", "base_version": -1, "payload": {"text": "x"}},
    {"type": "note", "base_version": 2**70, "payload": {"text": "x"}},
    {"type": "note", "base_version": 1.5, "payload": {"text": "x"}},
    {"type": "note", "base_version": 1, "payload": "text"},
    {"type": "note", "base_version": 1, "payload": [1]},
    {"type": 5, "base_version": 1, "payload": {}},
    {"type": "x" * 100, "base_version": 1, "payload": {}},
    {"base_version": 1, "payload": {}},
    {"type": "note", "payload": {"text": "x"}},
    {"type": "note", "base_version": 1, "payload": {"text": "x"}, "extra": 1},
    {"type": "note", "base_version": 1, "payload": {"text": "x"}, "client_time": "yesterday"},
    {"type": "note", "base_version": 1, "payload": {"text": "x"}, "client_time": 5},
]


@pytest.mark.parametrize("body", WRONG)
def test_wrong_types_and_fields(ctx: tuple[RunningServer, Peek, str, str], body: dict[str, object]) -> None:
    server, peek, username, dossier_id = ctx
    c = login(server, username)
    fp = peek.fingerprint()
    r = c.post(f"/api/v1/dossiers/{dossier_id}/actions", json=body, headers={"Idempotency-Key": new_key()})
    assert r.status_code == 422, r.text
    err = r.json()
    assert err["code"] == "request.invalid"
    assert isinstance(err["details"]["errors"], list) and err["details"]["errors"]
    assert peek.fingerprint() == fp


def test_login_validation(ctx: tuple[RunningServer, Peek, str, str]) -> None:
    server, peek, username, _ = ctx
    fp = peek.fingerprint()
    for body in (
        {"username": username, "password": "demo"},
        {"username": username, "password": "demo", "device_id": ""},
        {"username": "u" * 65, "password": "demo", "device_id": "d"},
        {"username": username, "password": "demo", "device_id": "d", "admin": True},
        {"username": ["a"], "password": "demo", "device_id": "d"},
        {"username": username, "password": "p" * 300, "device_id": "d"},
    ):
        r = requests.post(server.url + "/api/v1/auth/login", json=body, timeout=30)
        assert r.status_code == 422 and r.json()["code"] == "request.invalid", body
    r = requests.post(server.url + "/api/v1/auth/login",
                      json={"username": "' OR '1'='1", "password": "' OR '1'='1", "device_id": "d"}, timeout=30)
    assert r.status_code == 401 and r.json()["code"] == "auth.invalid_credentials"
    assert peek.fingerprint() == fp


def test_oversized_bodies(ctx: tuple[RunningServer, Peek, str, str]) -> None:
    server, peek, username, dossier_id = ctx
    c = login(server, username)
    fp = peek.fingerprint()
    big = json.dumps({"type": "note", "base_version": 1, "payload": {"text": "x" * (1024 * 1024 + 10)}}).encode()
    path = f"/api/v1/dossiers/{dossier_id}/actions"
    r = _post_raw(server, path, big, c.access)
    assert r.status_code == 413 and r.json()["code"] == "request.too_large"

    def chunked() -> Iterator[bytes]:
        for _ in range(200):
            yield b" " * 8192

    r = requests.post(server.url + path, data=chunked(), timeout=30, headers={
        "Authorization": f"Bearer {c.access}", "Content-Type": "application/json",
        "Idempotency-Key": new_key()})
    assert r.status_code == 413 and r.json()["code"] == "request.too_large"
    # a note over the domain's length limit (but under the body limit) is invalid
    r = c.action(dossier_id, "note", 1, {"text": "x" * 20_000})
    assert r.status_code == 422 and r.json()["code"] == "action.invalid"
    assert peek.fingerprint() == fp


def test_sql_metacharacters_everywhere(ctx: tuple[RunningServer, Peek, str, str]) -> None:
    server, peek, username, dossier_id = ctx
    c = login(server, username)
    nasty = "'; DROP TABLE dossiers; --"
    r = requests.post(server.url + "/api/v1/auth/login",
                      json={"username": nasty, "password": nasty, "device_id": nasty}, timeout=30)
    assert r.status_code == 401
    r = c.get(f"/api/v1/dossiers/{nasty}")
    assert r.status_code == 404
    admin = login(server, peek.admin())
    r = admin.get("/api/v1/admin/devices", params={"user_id": nasty})
    assert r.status_code == 422 and r.json()["code"] == "request.invalid"
    r = c.action(dossier_id, "request_documents", peek.dossier(dossier_id).version,
                 {"missing": [nasty, "Bản sao CCCD"], "reason": nasty})
    assert r.status_code == 200, r.text
    assert peek.scalar("SELECT COUNT(*) FROM dossiers") >= 1
    assert nasty in r.json()["dossier"]["history"][-1]["content"]


def test_unknown_routes_and_methods(ctx: tuple[RunningServer, Peek, str, str]) -> None:
    server, _, username, dossier_id = ctx
    c = login(server, username)
    r = c.get("/api/v1/nope")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = c.http.delete(server.url + f"/api/v1/dossiers/{dossier_id}", timeout=30)
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"
    r = c.get("/api/v1/../../etc/passwd")
    assert r.status_code == 404
    r = c.get("/api/v1/sync/changes", params={"limit": "lots"})
    assert r.status_code == 422 and r.json()["code"] == "request.invalid"
    json.dumps(r.json())  # details are JSON-safe


def test_error_shape_is_uniform(ctx: tuple[RunningServer, Peek, str, str]) -> None:
    server, _, _, _ = ctx
    for r in (
        requests.get(server.url + "/api/v1/me", timeout=30),
        requests.get(server.url + "/nothing", timeout=30),
        requests.post(server.url + "/api/v1/auth/login", data=b"{", timeout=30,
                      headers={"Content-Type": "application/json"}),
    ):
        assert set(r.json()) == {"code", "message", "details"}
        assert r.headers["content-type"].startswith("application/json")
