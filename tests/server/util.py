"""Helpers for the server tests: logins, direct (read-only) database peeks, dossier picks.

The tests never assume seed details beyond roles: they find suitable accounts and dossiers in
the seeded database itself.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import requests
from sqlalchemy import create_engine, text

from tests.conftest import DEMO_PASSWORD
from tests.support.server import RunningServer


@dataclass
class Client:
    """A logged-in user: base URL, tokens and a requests session with the bearer header."""

    base: str
    username: str
    device_id: str
    access: str
    refresh: str
    user: dict[str, Any]
    http: requests.Session

    def url(self, path: str) -> str:
        return self.base + path

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.http.get(self.url(path), timeout=30, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return self.http.post(self.url(path), timeout=30, **kw)

    def put(self, path: str, **kw: Any) -> requests.Response:
        return self.http.put(self.url(path), timeout=30, **kw)

    def action(
        self, dossier_id: str, type_: str, base_version: int, payload: dict[str, Any] | None = None,
        key: str | None = None,
    ) -> requests.Response:
        return self.post(
            f"/api/v1/dossiers/{dossier_id}/actions",
            json={"type": type_, "base_version": base_version, "payload": payload or {}},
            headers={"Idempotency-Key": key or new_key()},
        )


def new_key() -> str:
    return "k-" + uuid.uuid4().hex


def login_raw(server: RunningServer, username: str, device_id: str = "dev-1", password: str = DEMO_PASSWORD) -> requests.Response:
    return requests.post(
        server.url + "/api/v1/auth/login",
        json={"username": username, "password": password, "device_id": device_id, "device_name": "test"},
        timeout=30,
    )


def login(server: RunningServer, username: str, device_id: str | None = None) -> Client:
    device = device_id or "dev-" + uuid.uuid4().hex[:8]
    r = login_raw(server, username, device)
    assert r.status_code == 200, r.text
    body = r.json()
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {body['access_token']}"
    return Client(server.url, username, device, body["access_token"], body["refresh_token"], body["user"], http)


class Peek:
    """Read-only SQL access to the server's database file (assertions only)."""

    def __init__(self, server: RunningServer) -> None:
        self.engine = create_engine(server.database_url)

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(text(sql), params))

    def one(self, sql: str, **params: Any) -> Any:
        rows = self.rows(sql, **params)
        assert rows, sql
        return rows[0]

    def scalar(self, sql: str, **params: Any) -> Any:
        return self.one(sql, **params)[0]

    @staticmethod
    def json_of(value: Any) -> Any:
        """A JSON column read with raw SQL: text on SQLite, already parsed on PostgreSQL."""
        return json.loads(value) if isinstance(value, str | bytes) else value

    def dossier(self, dossier_id: str) -> Any:
        return self.one("SELECT * FROM dossiers WHERE id = :id", id=dossier_id)

    def max_seq(self) -> int:
        return int(self.scalar("SELECT COALESCE(MAX(seq), 0) FROM changes"))

    def fingerprint(self) -> tuple[Any, ...]:
        """A summary of every table an API write touches: equal before/after = nothing changed."""
        return tuple(
            self.scalar(sql)
            for sql in (
                "SELECT COALESCE(MAX(seq), 0) FROM changes",
                "SELECT COALESCE(SUM(version), 0) FROM dossiers",
                "SELECT COUNT(*) FROM notes",
                "SELECT COUNT(*) FROM history",
                "SELECT COUNT(*) FROM documents",
                "SELECT COUNT(*) FROM users WHERE disabled_at IS NOT NULL",
            )
        )

    def officer_dossier(self, status: int = 4, steps: tuple[str, ...] = ("in_review",)) -> tuple[str, str]:
        """(username, dossier id) of an active officer's dossier in ``status``/``steps``."""
        marks = ",".join(f"'{s}'" for s in steps)
        row = self.one(
            "SELECT u.username, d.id FROM dossiers d JOIN users u ON u.id = d.assignee_id "
            f"WHERE d.status = :status AND d.step IN ({marks}) AND u.role = 'officer' "
            "AND u.disabled_at IS NULL ORDER BY d.code LIMIT 1",
            status=status,
        )
        return row[0], row[1]

    def user(self, username: str) -> Any:
        return self.one("SELECT * FROM users WHERE username = :u", u=username)

    def head_of(self, department_id: str) -> str:
        return str(self.scalar(
            "SELECT username FROM users WHERE role = 'head' AND department_id = :d AND disabled_at IS NULL "
            "ORDER BY id LIMIT 1", d=department_id,
        ))

    def other_head(self, department_id: str) -> str:
        return str(self.scalar(
            "SELECT username FROM users WHERE role = 'head' AND department_id != :d ORDER BY id LIMIT 1",
            d=department_id,
        ))

    def other_officer(self, department_id: str, not_username: str) -> str:
        return str(self.scalar(
            "SELECT username FROM users WHERE role = 'officer' AND department_id = :d "
            "AND username != :u AND disabled_at IS NULL ORDER BY id LIMIT 1",
            d=department_id, u=not_username,
        ))

    def admin(self) -> str:
        return str(self.scalar("SELECT username FROM users WHERE role = 'admin' ORDER BY id LIMIT 1"))
