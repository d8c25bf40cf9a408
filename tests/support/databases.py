"""Which database the server tests run on: SQLite files, or PostgreSQL when
``ONESTOP_TEST_DATABASE_URL`` names an admin URL of a cluster (``make test`` starts one with
``tests.support.pgcluster`` and runs tests/server again on it).

``SeedSource.clone(tmp_path)`` gives each test its own seeded database: a copy of the session's
seeded SQLite file, or on PostgreSQL a new database made from a seeded template database
(``CREATE DATABASE ... TEMPLATE``, a file copy inside the server), dropped when the test ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from onestop_server import db as server_db
from tests.support.pgcluster import ENV
from tests.support.server import Database


def seed_database_at(url: str, blob_dir: Path, **seed_kwargs: Any) -> None:
    from onestop_server.seed import seed_database

    engine = server_db.make_engine(url)
    try:
        seed_database(engine, blob_dir, **seed_kwargs)
    finally:
        engine.dispose()


def admin_url() -> str | None:
    return os.environ.get(ENV) or None


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


class PostgresDatabases:
    """Creates and drops databases on the cluster of ``admin_url``."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT", pool_size=1)

    def create(self, template: str | None = None) -> str:
        name = f"onestop_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            suffix = f" TEMPLATE {template}" if template else ""
            conn.execute(text(f"CREATE DATABASE {name}{suffix}"))
        return _with_database(self.url, name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    def close(self) -> None:
        self.admin.dispose()


class SeedSource:
    """A seeded database cloned per test: ``sqlite_template`` (file, blobs) as seeded with
    ``seed_kwargs`` (the same are used to seed the PostgreSQL template)."""

    def __init__(
        self, sqlite_template: tuple[Path, Path], *, use_postgres: bool = True, **seed_kwargs: Any
    ) -> None:
        self.sqlite_db, self.blobs = sqlite_template
        url = admin_url() if use_postgres else None
        self.pg: PostgresDatabases | None = None
        self.template_url: str | None = None
        if url is not None:
            self.pg = PostgresDatabases(url)
            self.template_url = self.pg.create()
            seed_database_at(self.template_url, self.blobs.parent / "pg-blobs", **seed_kwargs)
            self.blobs = self.blobs.parent / "pg-blobs"

    @property
    def postgres(self) -> bool:
        return self.pg is not None

    @contextlib.contextmanager
    def clone(self, tmp_path: Path) -> Iterator[tuple[Database, Path]]:
        blobs = tmp_path / "blobs"
        shutil.copytree(self.blobs, blobs)
        if self.pg is None:
            db_path = tmp_path / "server.db"
            shutil.copy(self.sqlite_db, db_path)
            yield db_path, blobs
            return
        assert self.template_url is not None
        url = self.pg.create(template=make_url(self.template_url).database)
        try:
            yield url, blobs
        finally:
            self.pg.drop(url)

    @contextlib.contextmanager
    def empty(self, tmp_path: Path) -> Iterator[Database]:
        """A database with nothing in it (not even tables)."""
        if self.pg is None:
            yield tmp_path / "empty.db"
            return
        url = self.pg.create()
        try:
            yield url
        finally:
            self.pg.drop(url)

    def close(self) -> None:
        if self.pg is not None and self.template_url is not None:
            self.pg.drop(self.template_url)
            self.pg.close()
