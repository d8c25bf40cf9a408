"""Operations: liveness and readiness, Prometheus metrics, JSON logs without personal data,
settings from a file and the environment, and draining long-polls at shutdown."""

from __future__ import annotations

import io
import json
import logging
import re
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from onestop_server import logs
from onestop_server.config import ConfigError, load_config
from tests.server.oncall_support import OncallServer, events_of, z
from tests.server.test_sync import pull
from tests.server.util import login
from tests.support.databases import SeedSource
from tests.support.serve import wait_until
from tests.support.server import RunningServer


@pytest.fixture
def oncall(seed_source: SeedSource, tmp_path: Path) -> Iterator[OncallServer]:
    from tests.server import oncall_support

    yield from oncall_support.oncall_server(seed_source, tmp_path)


def metric(text: str, series: str) -> float:
    """The value of one series (``name`` or ``name{labels}`` exactly as exposed); 0 if absent."""
    for line in text.splitlines():
        if line.rsplit(" ", 1)[0] == series:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def scrape(url: str) -> str:
    r = requests.get(url + "/metrics", timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    return r.text


def test_health_readiness_and_metrics(oncall: OncallServer) -> None:
    health = requests.get(oncall.url + "/healthz", timeout=10).json()
    assert health["status"] == "ok" and health["worker"] == oncall.app.state.worker.id
    assert requests.get(oncall.url + "/readyz", timeout=10).json()["status"] == "ready"

    before = scrape(oncall.url)
    officer = login(oncall.srv, "cv.nn1")
    head = login(oncall.srv, "truongphong.nn")
    dossier = pull(officer)["upserts"][0]["id"]
    assert officer.get(f"/api/v1/dossiers/{dossier}").status_code == 200
    route = 'onestop_http_requests_total{method="GET",route="/api/v1/sync/changes",status="200"}'
    pages = 'onestop_sync_pages_total{kind="snapshot"}'
    r = head.post("/api/v1/oncall/recalls", json={
        "recipients": [officer.user["id"]], "message": "Về ngay",
        "report_by": z(oncall.clock.now() + timedelta(hours=1)),
    })
    assert r.status_code == 200
    mark = events_of(officer)["last_id"]
    poll = threading.Thread(target=lambda: events_of(officer, after=mark, wait=3))
    poll.start()
    wait_until(lambda: metric(scrape(oncall.url), "onestop_events_open_polls") >= 1, 10, "the poll")
    after = scrape(oncall.url)
    poll.join()
    assert metric(after, route) == metric(before, route) + 1
    assert metric(after, pages) >= metric(before, pages) + 1
    assert 'onestop_recalls{state="open"} 1.0' in after
    assert 'onestop_recall_recipients_open{state="sent"} 1.0' in after
    assert 'onestop_http_request_seconds_bucket{le="0.5",method="GET",route="/api/v1/sync/changes"}' in after
    # labels carry route templates, never ids
    assert 'route="/api/v1/dossiers/{dossier_id}"' in after
    assert not re.search(r'route="[^"]*[0-9a-f]{8}-[0-9a-f]{4}-', after)


def test_draining_answers_waiting_polls_and_turns_unready(server: RunningServer) -> None:
    officer = login(server, "cv.nn1")
    mark = events_of(officer)["last_id"]
    got: dict[str, Any] = {}
    poll = threading.Thread(target=lambda: got.update(events_of(officer, after=mark, wait=30)))
    poll.start()
    hub = server.app.state.events
    wait_until(lambda: hub.waiting() == 1, 10, "the poll to wait")
    hub.request_drain()  # what SIGTERM does (tested for real in test_workers)
    poll.join(timeout=10)
    assert not poll.is_alive() and got["events"] == []
    ready = requests.get(server.url + "/readyz", timeout=10)
    assert ready.status_code == 503 and ready.json() == {"status": "draining"}
    assert events_of(officer, after=mark, wait=30)["events"] == []  # no new waits while draining


def test_json_logs_carry_no_personal_data(oncall: OncallServer) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        head = login(oncall.srv, "truongphong.nn")
        officer = login(oncall.srv, "cv.nn2")
        r = head.post("/api/v1/oncall/recalls", json={
            "recipients": [officer.user["id"]], "message": "Bí mật: họp kỷ luật ông Nguyễn",
            "report_by": z(oncall.clock.now() + timedelta(hours=1)),
        })
        assert r.status_code == 200
        assert head.get("/api/v1/dossiers/" + "x" * 36).status_code == 404
        assert requests.post(oncall.url + "/api/v1/auth/login", json={
            "username": "cv.nn2", "password": "wrong-password", "device_id": "d-logs"}, timeout=30,
        ).status_code == 401
        # the access line is written once the answer has left: wait for the last one
        wait_until(lambda: '"status": 401' in stream.getvalue(), 10, "the last access line")
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    lines = [json.loads(x) for x in stream.getvalue().splitlines() if x.strip()]
    access = [x for x in lines if x["logger"] == "onestop.access"]
    assert {(x["method"], x["route"], x["status"]) for x in access} >= {
        ("POST", "/api/v1/oncall/recalls", 200), ("POST", "/api/v1/auth/login", 401),
        ("GET", "/api/v1/dossiers/{dossier_id}", 404),
    }
    assert all(set(x) >= {"ts", "level", "msg", "pid", "ms"} for x in access)
    text = stream.getvalue()
    for secret in ("truongphong.nn", "cv.nn2", officer.user["full_name"], head.user["full_name"],
                   "Bí mật", "wrong-password", head.access, officer.refresh, "d-logs", "127.0.0.1",
                   "x" * 36):
        assert secret not in text


def test_settings_from_file_environment_and_flags(tmp_path: Path) -> None:
    file = tmp_path / "onestop.toml"
    file.write_text(
        'database_url = "postgresql+psycopg://onestop@db/onestop"\nblob_dir = "/srv/blobs"\n'
        "workers = 4\nport = 9000\nretention_events_days = 14\n", encoding="utf-8",
    )
    env = {"ONESTOP_CONFIG": str(file), "ONESTOP_PORT": "9100", "ONESTOP_LOG_FORMAT": "text"}
    config = load_config(env=env, overrides={"workers": 2, "host": None})
    assert (config.database_url, config.workers, config.port, config.log_format, config.host) == (
        "postgresql+psycopg://onestop@db/onestop", 2, 9100, "text", "127.0.0.1")
    assert config.options().retention.events_days == 14 and not config.options().auto_migrate
    assert str(config.blobs()) == "/srv/blobs"
    sqlite = load_config(env={}, overrides={"database_url": "sqlite:////data/x.db"})
    assert str(sqlite.blobs()) == "/data/blobs" and sqlite.options().auto_migrate

    file.write_text('database_url = "x"\nwrokers = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting 'wrokers'"):
        load_config(env=env)
    with pytest.raises(ConfigError, match="port"):
        load_config(env={"ONESTOP_PORT": "eighty"})
    with pytest.raises(ConfigError, match="need PostgreSQL"):
        load_config(env={"ONESTOP_WORKERS": "2"})
    with pytest.raises(ConfigError, match="outside_channel"):
        load_config(env={"ONESTOP_OUTSIDE_CHANNEL": "carrier-pigeon"})
