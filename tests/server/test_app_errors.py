"""The app's last line of defence: unexpected exceptions become 500 ``internal`` in the error shape.

A route that raises on purpose is the only way to produce an unexpected exception (a fault a
real part cannot be made to produce), so this test adds one to the running app.
"""

from __future__ import annotations

from pathlib import Path

import requests
from fastapi import FastAPI

from tests.support.databases import SeedSource
from tests.support.server import RunningServer, start_server


def test_unexpected_exception_is_500_internal(server: RunningServer) -> None:
    app: FastAPI = server.app

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("kaput")

    r = requests.get(server.url + "/boom", timeout=30)
    assert r.status_code == 500
    assert r.json() == {"code": "internal", "message": "Internal server error.", "details": {}}


def test_json_limit_is_configurable(seed_source: SeedSource, tmp_path: Path) -> None:
    with seed_source.empty(tmp_path) as empty:
        _check_json_limit(start_server(empty, tmp_path / "blobs", max_json_bytes=100))


def _check_json_limit(srv: RunningServer) -> None:
    try:
        url = srv.url + "/api/v1/auth/login"
        r = requests.post(url, json={"username": "u" * 200, "password": "p", "device_id": "d"}, timeout=30)
        assert r.status_code == 413 and r.json()["code"] == "request.too_large"
        r = requests.post(url, json={"username": "u", "password": "p", "device_id": "d"}, timeout=30)
        assert r.status_code == 401 and r.json()["code"] == "auth.invalid_credentials"
    finally:
        srv.stop()
