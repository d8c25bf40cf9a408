"""The served OpenAPI document equals the committed docs/openapi.json."""

from __future__ import annotations

import json
from pathlib import Path

import requests

from onestop_server.app import openapi_json
from tests.support.server import RunningServer

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_committed_openapi_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == openapi_json(), (
        "docs/openapi.json is stale: run `onestop-server openapi > docs/openapi.json`"
    )


def test_served_openapi_equals_committed(server: RunningServer) -> None:
    r = requests.get(server.url + "/api/v1/openapi.json", timeout=30)
    assert r.status_code == 200
    served = r.json()
    assert served == json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert served["info"] == {"title": "One-stop-shop reference API", "version": "1"}
