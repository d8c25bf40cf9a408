"""The server's settings: defaults, then a TOML file, then ``ONESTOP_*`` environment variables,
then command-line flags (each overrides the one before).

The file is ``--config PATH`` or ``ONESTOP_CONFIG``; every key is a field of ``ServerConfig``
(``database_url = "postgresql+psycopg://onestop@db/onestop"``); the variable of a field is its
name in capitals after ``ONESTOP_`` (``ONESTOP_DATABASE_URL``). Unknown keys and bad values are
errors (``ConfigError``), never ignored. ``ServerConfig.options()`` gives the operational part
``create_app`` takes; docs/deployment.md lists every setting.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import timedelta
from pathlib import Path
from typing import Any

ENV_PREFIX = "ONESTOP_"
CONFIG_ENV = "ONESTOP_CONFIG"


class ConfigError(ValueError):
    """A setting is unknown or has a bad value."""


@dataclass(frozen=True)
class Retention:
    """How long data is kept (``retention.py``); a value of 0 days keeps it forever."""

    interval_minutes: float = 60.0  # how often one worker runs the purge
    events_days: float = 30.0  # delivered events (every recipient polled past them)
    events_max_days: float = 90.0  # any event, delivered or not
    idempotency_days: float = 30.0  # stored answers of keyed requests (then a tombstone)
    idempotency_tombstone_days: float = 400.0  # the tombstones that refuse a late replay
    tokens_days: float = 7.0  # token families after they expired or were revoked
    changes_days: float = 90.0  # change log; older cursors get sync.resync_required


@dataclass(frozen=True)
class Options:
    """What ``create_app`` needs beyond the database: timings of the multi-worker machinery."""

    escalation_lease_seconds: float = 30.0
    events_fallback_seconds: float = 1.0  # re-read the feed even without a notification
    presence_flush_seconds: float = 1.0
    worker_stale_seconds: float = 15.0  # a worker silent this long is dead
    retention: Retention = field(default_factory=Retention)
    auto_migrate: bool = True  # SQLite and tests: migrate at start; workers: done by `serve`


@dataclass(frozen=True)
class ServerConfig:
    database_url: str = "sqlite:///onestop.db"
    blob_dir: str = ""  # default: a "blobs" folder beside a SQLite file, else required
    host: str = "127.0.0.1"
    port: int = 8765
    workers: int = 1
    log_level: str = "info"
    log_format: str = "json"  # json | text
    access_ttl_minutes: float = 15.0
    refresh_ttl_days: float = 30.0
    max_document_mib: float = 20.0
    graceful_timeout_seconds: float = 10.0
    outside_channel: str = "log"  # log | webhook:<https URL of the SMS/call gateway>
    clock_offset_file: str = ""  # drills and multi-process tests only: see clock.OffsetFileClock
    escalation_lease_seconds: float = 30.0
    events_fallback_seconds: float = 1.0
    presence_flush_seconds: float = 1.0
    worker_stale_seconds: float = 15.0
    retention_interval_minutes: float = 60.0
    retention_events_days: float = 30.0
    retention_events_max_days: float = 90.0
    retention_idempotency_days: float = 30.0
    retention_tokens_days: float = 7.0
    retention_changes_days: float = 90.0

    def __post_init__(self) -> None:
        if self.workers < 1 or self.workers > 64:
            raise ConfigError("workers must be 1..64")
        if not 0 < self.port < 65536:
            raise ConfigError("port must be 1..65535")
        if self.log_format not in ("json", "text"):
            raise ConfigError("log_format must be json or text")
        if self.log_level not in ("critical", "error", "warning", "info", "debug"):
            raise ConfigError("log_level must be critical, error, warning, info or debug")
        if not (self.outside_channel == "log" or self.outside_channel.startswith("webhook:")):
            raise ConfigError("outside_channel must be 'log' or 'webhook:<URL>'")
        if self.workers > 1 and self.is_sqlite:
            raise ConfigError("several workers need PostgreSQL (SQLite is for one process)")
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float) and value < 0:
                raise ConfigError(f"{f.name} must not be negative")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def blobs(self) -> Path:
        if self.blob_dir:
            return Path(self.blob_dir)
        if self.is_sqlite and self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///")).resolve().parent / "blobs"
        raise ConfigError("blob_dir is required with a database other than a SQLite file")

    def options(self) -> Options:
        return Options(
            escalation_lease_seconds=self.escalation_lease_seconds,
            events_fallback_seconds=self.events_fallback_seconds,
            presence_flush_seconds=self.presence_flush_seconds,
            worker_stale_seconds=self.worker_stale_seconds,
            retention=Retention(
                interval_minutes=self.retention_interval_minutes,
                events_days=self.retention_events_days,
                events_max_days=self.retention_events_max_days,
                idempotency_days=self.retention_idempotency_days,
                tokens_days=self.retention_tokens_days,
                changes_days=self.retention_changes_days,
            ),
            auto_migrate=self.is_sqlite,
        )

    def access_ttl(self) -> timedelta:
        return timedelta(minutes=self.access_ttl_minutes)

    def refresh_ttl(self) -> timedelta:
        return timedelta(days=self.refresh_ttl_days)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ServerConfig:
        return cls(**json.loads(text))


_FIELDS = {f.name: f for f in fields(ServerConfig)}


def _coerce(name: str, value: Any) -> Any:
    kind = type(getattr(ServerConfig(), name))
    try:
        if kind is int and not isinstance(value, bool):
            return int(value)
        if kind is float and not isinstance(value, bool):
            return float(value)
        if kind is str and isinstance(value, str):
            return value
    except ValueError:
        pass
    raise ConfigError(f"{name}: {value!r} is not a {kind.__name__}")


def load_config(
    file: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> ServerConfig:
    """Defaults < file < environment < ``overrides`` (flags given on the command line)."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = file or env.get(CONFIG_ENV)
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"cannot read the configuration file {path}: {e}") from None
        for key, value in data.items():
            if key not in _FIELDS:
                raise ConfigError(f"unknown setting {key!r} in {path}")
            values[key] = _coerce(key, value)
    for key, value in env.items():
        if key.startswith(ENV_PREFIX) and key != CONFIG_ENV:
            name = key.removeprefix(ENV_PREFIX).lower()
            if name in _FIELDS:
                values[name] = _coerce(name, value)
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = _coerce(key, value)
    return ServerConfig(**values)
