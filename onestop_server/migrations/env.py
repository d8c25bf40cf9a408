"""Alembic environment: runs on the connection ``onestop_server.migrate`` hands over.

Online only (no SQL scripts): the caller owns the connection and its transaction, so an
upgrade is one transaction on PostgreSQL (transactional DDL) and serialised by an advisory lock.
``render_as_batch`` lets SQLite alter tables the way it can (copy and move).
"""

from __future__ import annotations

from alembic import context

from onestop_server import db

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable through the alembic command line
    raise RuntimeError("run migrations through `onestop-server migrate`")
context.configure(
    connection=connection,
    target_metadata=db.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
