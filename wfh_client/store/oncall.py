"""On-call local state: the send queue, the known recalls and a few ``sync_state`` keys.

``oncall_queue`` holds what the user did that the server must learn, in order (``seq``):
check-ins (``kind = 'checkin'``, payload = the POST body) and recall answers (``delivered``,
``seen``, ``acknowledge``, ``decline``; ``recall_id`` set). ``client_id`` is unique: a check-in's
is random (the server de-duplicates by it), a recall answer's is ``r<recall id>.<kind>`` so a
replayed event or a double click queues nothing new. States: ``pending`` -> ``sending`` ->
``sent`` (server answer kept) | ``failed`` (will never succeed: kept with the error). A lost
answer leaves ``sending``; it is resent (the endpoints are idempotent).

``oncall_recalls``: each recall this client was told about (event payload JSON), its local
state ``delivered`` -> ``seen`` -> ``answered`` (``answer`` JSON: ``{kind: acknowledge,
arrival_at}`` or ``{kind: decline, reason}``), the highest re-notification already alerted
(``alerted_renotify``, NULL = never shown) and ``closed_at``.

Simple values live in ``sync_state``: the feed's last event id, the cached policy, the server
calendar's overrides and the last ``/oncall/me`` answer. Writes go through ``cache.writer``.
Nothing else is recorded: no activity, no location (privacy).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from wfh_client.store.state import now_iso

__all__ = [
    "KEY_CALENDAR",
    "KEY_FEED_LAST_ID",
    "KEY_ME",
    "KEY_POLICY",
    "LocalRecall",
    "QueueEntry",
    "close_recall",
    "enqueue",
    "get_entry",
    "get_recall",
    "list_recalls",
    "mark",
    "put_recall",
    "queue_entries",
    "set_alerted",
    "set_payload",
    "set_recall_state",
    "unsent",
]

KEY_FEED_LAST_ID = "feed.last_id"
KEY_POLICY = "oncall.policy"
KEY_CALENDAR = "oncall.calendar"
KEY_ME = "oncall.me"

_QUEUE_COLUMNS = ("seq, client_id, kind, recall_id, payload, created_at, state, attempts, "
                  "last_error, server_answer, updated_at")


@dataclass(frozen=True)
class QueueEntry:
    seq: int
    client_id: str
    kind: str
    recall_id: int | None
    payload: dict[str, Any]
    created_at: str
    state: str
    attempts: int
    last_error: str | None
    server_answer: dict[str, Any] | None
    updated_at: str


def _entry(row: Any) -> QueueEntry:
    return QueueEntry(int(row[0]), row[1], row[2], row[3], json.loads(row[4]), row[5], row[6],
                      int(row[7]), row[8], None if row[9] is None else json.loads(row[9]), row[10])


def enqueue(db: Database, client_id: str, kind: str, payload: dict[str, Any], *,
            recall_id: int | None = None, created_at: str | None = None) -> bool:
    """Queue an entry; ``False`` (nothing changed) when ``client_id`` is already queued."""
    now = now_iso()
    cur = db.execute(
        "INSERT OR IGNORE INTO oncall_queue (client_id, kind, recall_id, payload, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        [client_id, kind, recall_id, json.dumps(payload, ensure_ascii=False),
         created_at or now, now],
    )
    return bool(cur.rowcount)


def get_entry(db: Database, client_id: str) -> QueueEntry | None:
    row = db.execute(f"SELECT {_QUEUE_COLUMNS} FROM oncall_queue WHERE client_id = ?",  # noqa: S608
                     [client_id]).fetchone()
    return None if row is None else _entry(row)


def unsent(db: Database) -> list[QueueEntry]:
    """Entries still to send (``pending`` and ``sending``), oldest first."""
    return [_entry(r) for r in db.execute(
        f"SELECT {_QUEUE_COLUMNS} FROM oncall_queue "  # noqa: S608
        "WHERE state IN ('pending', 'sending') ORDER BY seq")]


def queue_entries(db: Database, kind: str | None = None, since: str | None = None) -> list[QueueEntry]:
    """Entries of ``kind`` (all kinds when None) created at or after ``since`` (ISO UTC)."""
    sql = f"SELECT {_QUEUE_COLUMNS} FROM oncall_queue WHERE 1 = 1"  # noqa: S608
    params: list[Any] = []
    if kind is not None:
        sql += " AND kind = ?"
        params.append(kind)
    if since is not None:
        sql += " AND created_at >= ?"
        params.append(since)
    return [_entry(r) for r in db.execute(sql + " ORDER BY seq", params)]


def mark(db: Database, client_id: str, state: str, *, error: str | None = None,
         answer: dict[str, Any] | None = None, attempt: bool = False) -> None:
    """Move an entry to ``state``; ``attempt`` counts one more send attempt."""
    db.execute(
        "UPDATE oncall_queue SET state = ?, last_error = ?, "
        "server_answer = COALESCE(?, server_answer), attempts = attempts + ?, updated_at = ? "
        "WHERE client_id = ?",
        [state, error, None if answer is None else json.dumps(answer, ensure_ascii=False),
         1 if attempt else 0, now_iso(), client_id],
    )


def set_payload(db: Database, client_id: str, payload: dict[str, Any]) -> None:
    db.execute("UPDATE oncall_queue SET payload = ?, updated_at = ? WHERE client_id = ?",
               [json.dumps(payload, ensure_ascii=False), now_iso(), client_id])


# ---- recalls ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalRecall:
    id: int
    payload: dict[str, Any]
    state: str
    answer: dict[str, Any] | None
    alerted_renotify: int | None
    closed_at: str | None
    updated_at: str

    @property
    def answered(self) -> bool:
        return self.state == "answered"

    def as_dict(self) -> dict[str, Any]:
        """The event payload plus the local fields (what the UI shows)."""
        return {**self.payload, "recall_id": self.id, "local_state": self.state,
                "answer": self.answer, "closed_at": self.closed_at}


_RECALL_COLUMNS = "id, payload, state, answer, alerted_renotify, closed_at, updated_at"


def _recall(row: Any) -> LocalRecall:
    return LocalRecall(int(row[0]), json.loads(row[1]), row[2],
                       None if row[3] is None else json.loads(row[3]), row[4], row[5], row[6])


def get_recall(db: Database, recall_id: int) -> LocalRecall | None:
    row = db.execute(f"SELECT {_RECALL_COLUMNS} FROM oncall_recalls WHERE id = ?",  # noqa: S608
                     [recall_id]).fetchone()
    return None if row is None else _recall(row)


def list_recalls(db: Database, *, open_only: bool = False) -> list[LocalRecall]:
    sql = f"SELECT {_RECALL_COLUMNS} FROM oncall_recalls"  # noqa: S608
    if open_only:
        sql += " WHERE closed_at IS NULL"
    return [_recall(r) for r in db.execute(sql + " ORDER BY id")]


def put_recall(db: Database, recall_id: int, payload: dict[str, Any]) -> bool:
    """Insert a recall (state ``delivered``) or refresh its payload; ``True`` if it was new."""
    now = now_iso()
    text = json.dumps(payload, ensure_ascii=False)
    cur = db.execute("INSERT OR IGNORE INTO oncall_recalls (id, payload, updated_at) "
                     "VALUES (?, ?, ?)", [recall_id, text, now])
    if cur.rowcount:
        return True
    db.execute("UPDATE oncall_recalls SET payload = ?, updated_at = ? WHERE id = ?",
               [text, now, recall_id])
    return False


def set_recall_state(db: Database, recall_id: int, state: str,
                     answer: dict[str, Any] | None = None) -> None:
    db.execute(
        "UPDATE oncall_recalls SET state = ?, answer = COALESCE(?, answer), updated_at = ? "
        "WHERE id = ?",
        [state, None if answer is None else json.dumps(answer, ensure_ascii=False), now_iso(),
         recall_id],
    )


def set_alerted(db: Database, recall_id: int, renotify: int) -> None:
    db.execute("UPDATE oncall_recalls SET alerted_renotify = ?, updated_at = ? WHERE id = ?",
               [renotify, now_iso(), recall_id])


def close_recall(db: Database, recall_id: int, closed_at: str) -> None:
    db.execute("UPDATE oncall_recalls SET closed_at = COALESCE(closed_at, ?), updated_at = ? "
               "WHERE id = ?", [closed_at, now_iso(), recall_id])
