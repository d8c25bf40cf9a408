"""Shared request plumbing: settings, the engine and clock on ``app.state``, time helpers.

Neighbours: ``app`` puts a ``Settings``, the engine and the clock on ``app.state``; every router
reads them back through the small dependencies here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import Request
from sqlalchemy.engine import Engine

from onestop_server.clock import Clock


@dataclass(frozen=True)
class Settings:
    blob_dir: Path
    access_ttl: timedelta = timedelta(minutes=15)
    refresh_ttl: timedelta = timedelta(days=30)
    # An already-rotated refresh token presented again within this window gets the same new
    # pair (a client that crashed before storing it); later, it revokes the family.
    refresh_reuse_grace: timedelta = timedelta(seconds=30)
    max_document_bytes: int = 20 * 1024 * 1024
    max_json_bytes: int = 1024 * 1024
    idempotency_ttl: timedelta = timedelta(days=30)  # stored answers replay this long


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def as_utc(value: datetime | None) -> datetime | None:
    """Datetimes read back from SQLite are naive; every stored time is UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 UTC with ``Z`` (the contract's time format)."""
    utc = as_utc(value)
    if utc is None:
        return None
    return utc.isoformat().replace("+00:00", "Z")
