"""The outbox (one entry per user action, sent in ``seq`` order) and the conflicts table.

Entry states: ``pending`` (waiting) -> ``sending`` (in flight) -> ``applied`` | ``conflict``
(waits for the user) | ``invalid`` (422: never succeeds; quarantined, the queue moves on) |
``rejected`` (forbidden, or the dossier left the scope). ``client_id`` (uuid4 hex) is the
``Idempotency-Key``; a rebased resend uses ``f"{client_id}.r{rebase_count}"``.
Entries are never deleted by dossier removal; :func:`prune_applied` trims old applied ones.
Each entry keeps the dossier's code and title as they were when it was recorded (the dossier
itself may leave the cache later). A refused entry (invalid / rejected) the user has read can
be dismissed (:func:`dismiss`): it leaves the counts and the list but stays in the export.

:func:`record_action` is what the UI calls for an offline action: enqueue + optimistic local
document, in the caller's single writer transaction.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from wfh_client.store.dossiers import set_local_data
from wfh_client.store.state import iso_z, now_iso

__all__ = [
    "OUTBOX_STATES",
    "REFUSED_STATES",
    "Conflict",
    "OutboxEntry",
    "enqueue",
    "entries",
    "export_rejected",
    "get_entry",
    "mark",
    "new_client_id",
    "open_conflicts",
    "pending_entries",
    "dismiss",
    "needs_attention",
    "prune_applied",
    "record_action",
    "record_conflict",
    "resolve_conflict",
    "reset_sending",
]

OUTBOX_STATES = ("pending", "sending", "applied", "conflict", "invalid", "rejected")
REFUSED_STATES = ("invalid", "rejected")  # the server will never apply these
_MARK_FIELDS = frozenset({"attempts", "last_error_code", "last_error_message", "server_answer",
                          "rebase_count", "payload", "base_version"})
_COLS = ("seq", "client_id", "dossier_id", "action", "payload", "base_version", "state",
         "attempts", "last_error_code", "last_error_message", "server_answer", "rebase_count",
         "created_at", "updated_at", "dossier_code", "dossier_title", "dismissed_at")


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    client_id: str
    dossier_id: str
    action: str
    payload: dict[str, Any]
    base_version: int | None
    state: str
    attempts: int
    last_error_code: str | None
    last_error_message: str | None
    server_answer: Any
    rebase_count: int
    created_at: str
    updated_at: str
    dossier_code: str | None = None  # as when recorded (the dossier may have left the cache)
    dossier_title: str | None = None  # the procedure's name
    dismissed_at: str | None = None  # refused entries the user has put away


def _entry(row: tuple[Any, ...]) -> OutboxEntry:
    values = dict(zip(_COLS, row, strict=True))
    values["payload"] = json.loads(values["payload"])
    answer = values["server_answer"]
    values["server_answer"] = None if answer is None else json.loads(answer)
    return OutboxEntry(**values)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def enqueue(db: Database, dossier_id: str, action: str, payload: Mapping[str, Any],
            base_version: int | None, *, client_id: str | None = None,
            created_at: datetime | None = None) -> OutboxEntry:
    """Append a pending action; ``client_id`` defaults to a new uuid4 hex. ``created_at`` is
    when the user acted (the time its optimistic result and any replay are computed at)."""
    now = now_iso() if created_at is None else iso_z(created_at)
    row = db.execute(
        f"INSERT INTO outbox (client_id, dossier_id, action, payload, base_version, state, "  # noqa: S608
        f"created_at, updated_at, dossier_code, dossier_title) VALUES (?, ?, ?, ?, ?, 'pending', "
        f"?, ?, (SELECT code FROM dossiers WHERE id = ?), "
        f"(SELECT procedure_name FROM dossiers WHERE id = ?)) RETURNING {', '.join(_COLS)}",
        [client_id or new_client_id(), dossier_id, str(action), _dumps(dict(payload)),
         base_version, now, now, dossier_id, dossier_id]).fetchone()
    return _entry(row)


def new_client_id() -> str:
    """A fresh outbox id / Idempotency-Key (uuid4 hex, 32 chars)."""
    return uuid.uuid4().hex


def record_action(db: Database, dossier_id: str, action: str, payload: Mapping[str, Any],
                  base_version: int | None, local_data: Mapping[str, Any], *,
                  client_id: str | None = None) -> OutboxEntry:
    """An offline user action: enqueue it and store the optimistic document as 'pending'.

    Both happen in the caller's writer transaction, so either both or neither are kept. Pass
    ``client_id`` (from :func:`new_client_id`) when ``local_data`` must refer to it, e.g. an
    optimistic note ``{"id": None, "client_id": ...}`` that the server's copy later replaces.
    """
    entry = enqueue(db, dossier_id, action, payload, base_version, client_id=client_id)
    set_local_data(db, dossier_id, local_data, "pending")
    return entry


def get_entry(db: Database, client_id: str) -> OutboxEntry | None:
    row = db.execute(f"SELECT {', '.join(_COLS)} FROM outbox WHERE client_id = ?",  # noqa: S608
                     [client_id]).fetchone()
    return None if row is None else _entry(row)


def entries(db: Database, states: Iterable[str] | None = None, *,
            dossier_id: str | None = None) -> list[OutboxEntry]:
    """Entries (optionally in ``states`` / of one dossier) in ``seq`` order."""
    clauses, params = [], []
    if states is not None:
        wanted = list(states)
        clauses.append(f"state IN ({', '.join('?' * len(wanted))})")
        params.extend(wanted)
    if dossier_id is not None:
        clauses.append("dossier_id = ?")
        params.append(dossier_id)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return [_entry(r) for r in db.execute(
        f"SELECT {', '.join(_COLS)} FROM outbox {where} ORDER BY seq", params)]  # noqa: S608


def pending_entries(db: Database) -> list[OutboxEntry]:
    """Entries to send, oldest first."""
    return entries(db, ("pending",))


def mark(db: Database, client_id: str, state: str, **fields: Any) -> OutboxEntry:
    """Move an entry to ``state`` and update any of: attempts, last_error_code,
    last_error_message, server_answer (JSON), rebase_count, payload (JSON), base_version."""
    if state not in OUTBOX_STATES:
        raise ValueError(f"unknown outbox state {state!r}")
    unknown = set(fields) - _MARK_FIELDS
    if unknown:
        raise TypeError(f"mark() got unknown fields: {sorted(unknown)}")
    values: dict[str, Any] = {"state": state, "updated_at": now_iso(), **fields}
    for key in ("server_answer", "payload"):
        if key in values and values[key] is not None:
            values[key] = _dumps(values[key])
    sets = ", ".join(f"{k} = ?" for k in values)
    row = db.execute(f"UPDATE outbox SET {sets} WHERE client_id = ? RETURNING {', '.join(_COLS)}",  # noqa: S608
                     [*values.values(), client_id]).fetchone()
    if row is None:
        raise KeyError(client_id)
    return _entry(row)


def reset_sending(db: Database) -> int:
    """After a crash: entries left 'sending' go back to 'pending' (resent under the same key)."""
    return db.execute("UPDATE outbox SET state = 'pending', updated_at = ? "
                      "WHERE state = 'sending'", [now_iso()]).rowcount


def dismiss(db: Database, client_id: str) -> bool:
    """The user read why an entry will never apply and dismissed it: it leaves the warnings
    (``counts``, :func:`needs_attention`) but stays in the table and in exports."""
    return db.execute("UPDATE outbox SET dismissed_at = ?, updated_at = ? WHERE client_id = ? "
                      "AND state IN ('invalid', 'rejected') AND dismissed_at IS NULL",
                      [now_iso(), now_iso(), client_id]).rowcount == 1


def needs_attention(db: Database, dossier_id: str | None = None) -> list[OutboxEntry]:
    """Entries that will never apply (``REFUSED_STATES``) and that the user has not dismissed
    yet, oldest first (of one dossier, or of all)."""
    where = " AND dossier_id = ?" if dossier_id is not None else ""
    return [_entry(r) for r in db.execute(
        f"SELECT {', '.join(_COLS)} FROM outbox WHERE state IN ('invalid', 'rejected') "  # noqa: S608
        f"AND dismissed_at IS NULL{where} ORDER BY seq",
        [] if dossier_id is None else [dossier_id])]


def prune_applied(db: Database, before: str) -> int:
    """Delete applied entries last updated before the ISO instant ``before``."""
    return db.execute("DELETE FROM outbox WHERE state = 'applied' AND updated_at < ?",
                      [before]).rowcount


def export_rejected(db: Database, path: Path) -> int:
    """Write the invalid/rejected entries to ``path`` as JSON (0600); return how many."""
    rows = [asdict(e) for e in entries(db, REFUSED_STATES)]
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"exported_at": now_iso(), "entries": rows}, fh, ensure_ascii=False, indent=2)
    os.replace(tmp, path)
    return len(rows)


@dataclass(frozen=True)
class Conflict:
    id: int
    dossier_id: str
    client_id: str | None
    mine: Any
    theirs: Any
    created_at: str
    resolved_at: str | None
    resolution: str | None


def record_conflict(db: Database, dossier_id: str, client_id: str | None, mine: Any,
                    theirs: Any) -> int:
    """Store both sides of a conflict for the UI; returns its id."""
    return int(db.execute(
        "INSERT INTO conflicts (dossier_id, client_id, mine, theirs, created_at) "
        "VALUES (?, ?, ?, ?, ?) RETURNING id",
        [dossier_id, client_id, _dumps(mine), _dumps(theirs), now_iso()]).fetchone()[0])


def open_conflicts(db: Database, dossier_id: str | None = None) -> list[Conflict]:
    sql = ("SELECT id, dossier_id, client_id, mine, theirs, created_at, resolved_at, resolution "
           "FROM conflicts WHERE resolved_at IS NULL")
    params: list[Any] = []
    if dossier_id is not None:
        sql += " AND dossier_id = ?"
        params.append(dossier_id)
    return [Conflict(r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4]), r[5], r[6], r[7])
            for r in db.execute(sql + " ORDER BY id", params)]


def resolve_conflict(db: Database, conflict_id: int, resolution: str) -> None:
    """Close a conflict with the user's choice (e.g. 'mine', 'theirs', 'dropped')."""
    if db.execute("UPDATE conflicts SET resolved_at = ?, resolution = ? WHERE id = ? "
                  "AND resolved_at IS NULL", [now_iso(), resolution, conflict_id]).rowcount != 1:
        raise KeyError(conflict_id)
