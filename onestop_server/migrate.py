"""Schema migrations: bring a database to the newest Alembic revision, adopt older ones.

``upgrade(engine)`` runs at every start on SQLite (the embedded default stays one command) and
once before the workers start on PostgreSQL (``onestop-server serve`` / ``migrate``). On
PostgreSQL it holds an advisory lock, so two hosts starting together migrate once.

A database made by ``create_all`` before migrations existed has tables but no
``alembic_version``: it is stamped with the baseline revision (``0001``, that exact schema) and
upgraded from there. ``status(engine)`` is what ``/readyz`` asks: is the schema current?

Adding a table or a column: change ``db.py``, then ``onestop-server revision -m "why"`` writes
``migrations/versions/NNNN_<slug>.py`` by comparing the newest revision with ``db.metadata``;
read it, adjust it if needed, commit it. ``tests/server/test_migrations.py`` fails while the
revisions and the metadata differ.
"""

from __future__ import annotations

import functools
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from onestop_server import db

BASELINE = "0001"
_SCRIPTS = Path(__file__).resolve().parent / "migrations"
_MIGRATION_LOCK_KEY = 0x0E5E_0001


def _config(connection: Connection | None = None) -> object:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPTS))
    cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def head() -> str:
    """The newest revision id in ``migrations/versions``."""
    from alembic.script import ScriptDirectory

    found = ScriptDirectory.from_config(_config()).get_current_head()  # type: ignore[arg-type]
    assert found is not None
    return found


def current(conn: Connection) -> str | None:
    """The database's revision; ``None`` when it has no ``alembic_version`` table."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()
    return None if value is None else str(value)


@dataclass(frozen=True)
class Status:
    current: str | None
    head: str

    @property
    def ok(self) -> bool:
        return self.current == self.head


def status(engine: Engine) -> Status:
    with engine.connect() as conn:
        return Status(current(conn), head())


def upgrade(engine: Engine, target: str = "head") -> Status:
    """Migrate to ``target`` (default: the newest); returns the resulting status."""
    with engine.connect() as conn:
        if current(conn) == head() and target == "head":
            return Status(head(), head())  # the common case at start: nothing to import or run
    from alembic import command

    with engine.begin() as conn:
        if db.is_postgres(conn):
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_KEY})
        cfg = _config(conn)
        if current(conn) is None and inspect(conn).has_table("dossiers"):
            command.stamp(cfg, BASELINE)  # type: ignore[arg-type]  # made by create_all
        command.upgrade(cfg, target)  # type: ignore[arg-type]
        return Status(current(conn), head())


def new_revision(message: str) -> Path:
    """Write the next revision by comparing the newest one with ``db.metadata``."""
    from alembic import command

    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40] or "change"
    rev_id = f"{int(head()) + 1:04d}"
    with tempfile.TemporaryDirectory(prefix="onestop-revision-") as tmp:
        engine = db.make_engine(db.sqlite_url(str(Path(tmp) / "scratch.db")))
        try:
            upgrade(engine)
            with engine.begin() as conn:
                command.revision(
                    _config(conn), message=message, autogenerate=True, rev_id=rev_id,  # type: ignore[arg-type]
                )
        finally:
            engine.dispose()
    head.cache_clear()
    made = next(_SCRIPTS.joinpath("versions").glob(f"{rev_id}_*.py"))
    return made.rename(made.with_name(f"{rev_id}_{slug}.py"))
