"""Key/value sync state (``sync_state``) and the status counts shown in the status bar.

Values are stored as JSON, so any JSON-serialisable value round-trips. Well-known keys are the
``KEY_*`` constants (the sync engine may add its own).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

__all__ = [
    "KEY_ACCOUNT",
    "KEY_CURSOR",
    "KEY_LAST_ERROR",
    "KEY_LAST_SUCCESS_AT",
    "KEY_SNAPSHOT_GEN",
    "KEY_SNAPSHOT_IN_PROGRESS",
    "StoreCounts",
    "counts",
    "delete_state",
    "get_state",
    "now_iso",
    "set_state",
]

KEY_CURSOR = "cursor"
KEY_SNAPSHOT_IN_PROGRESS = "snapshot_in_progress"
KEY_SNAPSHOT_GEN = "snapshot_gen"
KEY_LAST_SUCCESS_AT = "last_success_at"
KEY_LAST_ERROR = "last_error"
KEY_ACCOUNT = "account"  # {server_url, username, user: {...}}


def iso_z(when: datetime) -> str:
    """``when`` as ISO 8601 UTC with milliseconds and ``Z`` (the API's format)."""
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def now_iso() -> str:
    """The current instant, ISO 8601 UTC with ``Z`` (the API's format)."""
    return iso_z(datetime.now(UTC))


def get_state(db: Database, key: str, default: Any = None) -> Any:
    """The JSON value stored under ``key``, or ``default``."""
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
    return default if row is None or row[0] is None else json.loads(row[0])


def set_state(db: Database, key: str, value: Any) -> None:
    """Store ``value`` (JSON-serialisable) under ``key``. A write: run it through the Writer."""
    db.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
               [key, json.dumps(value, ensure_ascii=False)])


def delete_state(db: Database, key: str) -> None:
    db.execute("DELETE FROM sync_state WHERE key = ?", [key])


@dataclass(frozen=True)
class StoreCounts:
    dossiers: int
    pending: int  # outbox entries not yet answered (pending + sending)
    conflicts: int  # unresolved conflicts
    rejected: int  # outbox entries that will never apply (invalid + rejected), not dismissed
    last_success_at: str | None


def counts(db: Database) -> StoreCounts:
    """Figures for the status bar, in one round of cheap indexed queries."""
    row = db.execute("""
        SELECT (SELECT count(*) FROM dossiers),
               (SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')),
               (SELECT count(*) FROM conflicts WHERE resolved_at IS NULL),
               (SELECT count(*) FROM outbox WHERE state IN ('invalid', 'rejected')
                AND dismissed_at IS NULL)
    """).fetchone()
    return StoreCounts(row[0], row[1], row[2], row[3], get_state(db, KEY_LAST_SUCCESS_AT))


def unsent_changes(db: Database) -> int:
    """Everything the user did that the server has not confirmed: outbox entries waiting or in
    conflict, and on-call answers (check-ins, recall answers) not yet sent."""
    row = db.execute("""
        SELECT (SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending', 'conflict')),
               (SELECT count(*) FROM oncall_queue WHERE state IN ('pending', 'sending'))
    """).fetchone()
    return int(row[0]) + int(row[1])
