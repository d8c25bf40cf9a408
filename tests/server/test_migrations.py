"""Schema migrations on the test database (SQLite, or PostgreSQL in make test's second pass).

- From an empty database to the newest revision, and the result equals ``db.metadata`` exactly
  (Alembic's comparison finds nothing): a table or column added to ``db.py`` without a
  revision fails here.
- From the schema ``create_all`` made before migrations existed (the DDL as it was, kept in
  tests/server/data): the database is adopted (stamped ``0001``), upgraded, its rows kept, and
  the server runs on it.
- ``onestop-server migrate --check`` and ``/readyz`` tell a current schema from one behind.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Engine

from onestop_server import db, migrate
from tests.support.databases import SeedSource
from tests.support.server import database_url, start_server

DATA = Path(__file__).parent / "data"


@pytest.fixture
def empty(seed_source: SeedSource, tmp_path: Path) -> Iterator[Engine]:
    with seed_source.empty(tmp_path) as where:
        engine = db.make_engine(database_url(where))
        try:
            yield engine
        finally:
            engine.dispose()


def differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), db.metadata))


def test_from_empty_to_head_equals_the_metadata(empty: Engine) -> None:
    assert migrate.status(empty).current is None
    state = migrate.upgrade(empty)
    assert state.ok and state.current == migrate.head()
    assert differences(empty) == []
    assert migrate.upgrade(empty).ok  # a second run changes nothing


def test_adopts_a_database_made_by_create_all_before_migrations(empty: Engine) -> None:
    dialect = "postgresql" if db.is_postgres(empty) else "sqlite"
    ddl = (DATA / f"legacy_schema_{dialect}.sql").read_text(encoding="utf-8")
    with empty.begin() as conn:
        for statement in ddl.split(";"):
            body = "\n".join(x for x in statement.splitlines() if not x.startswith("--")).strip()
            if body:
                conn.exec_driver_sql(body)
        conn.execute(text("INSERT INTO departments (id, name, office_code) VALUES ('snn', 'Sở', 'x')"))
        conn.execute(text(
            "INSERT INTO users (id, username, full_name, title, role, department_id, password_hash) "
            "VALUES (1, 'truongphong', 'Trưởng phòng', '', 'head', 'snn', 'x')"
        ))
        conn.execute(text(
            "INSERT INTO recalls (department_id, created_by, created_at, message, report_by, "
            "urgency, plan) VALUES ('snn', 1, '2026-03-18 02:00:00+00', 'm', "
            "'2026-03-18 03:00:00+00', 'normal', '{}')"
        ))
    assert migrate.status(empty).current is None
    state = migrate.upgrade(empty)
    assert state.ok
    assert differences(empty) == []
    with empty.connect() as conn:
        assert conn.execute(text("SELECT name FROM departments")).scalar_one() == "Sở"
        row = conn.execute(text("SELECT message, lease_owner FROM recalls")).one()
        assert tuple(row) == ("m", None)  # kept, with the new columns empty


def test_readyz_and_migrate_check_report_a_schema_behind(
    seed_source: SeedSource, tmp_path: Path
) -> None:
    with seed_source.clone(tmp_path) as (where, blobs):
        url = database_url(where)
        srv = start_server(where, blobs)
        try:
            ready = requests.get(srv.url + "/readyz", timeout=10)
            assert ready.status_code == 200 and ready.json()["schema"] == migrate.head()
            engine = db.make_engine(url)
            try:
                with engine.begin() as conn:
                    conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": migrate.BASELINE})
            finally:
                engine.dispose()
            behind = requests.get(srv.url + "/readyz", timeout=10)
            assert behind.status_code == 503
            assert behind.json() == {"status": "migrations_pending", "current": migrate.BASELINE,
                                     "head": migrate.head()}
        finally:
            srv.stop()
        check = subprocess.run(
            [sys.executable, "-m", "onestop_server", "migrate", "--database-url", url, "--check"],
            capture_output=True, text=True, timeout=120,
        )
        assert check.returncode == 1
        assert json.loads(check.stdout) == {"current": migrate.BASELINE, "head": migrate.head(), "ok": False}
