"""The cache schema as named, transactional migrations, recorded in ``migrations``.

Each migration is ``(name, statements)``; :func:`migrate` applies those not yet recorded, each
inside its own ``BEGIN IMMEDIATE`` transaction together with its ``migrations`` row, so a crash
leaves either all or none of it. Re-running is a no-op. Append new migrations at the end; never
edit or reorder an applied one.

Schema notes: ``dossiers.rid`` is an explicit INTEGER PRIMARY KEY (stable across VACUUM) used
as the rowid of the contentless FTS5 index ``dossier_fts`` over FOLDED text; ``id`` is the
server's dossier id (UNIQUE). ``dossiers`` holds only the narrow list columns, so sorting and
filtering thousands of rows touches few pages; the JSON lives 1:1 in ``dossier_json``:
``data`` is the current local document (server + optimistic local changes), ``base`` the last
synced server copy (the three-way-merge base), NULL when identical to ``data``. Either holds
JSON text or, from a first sync's batch insert, SQLite's JSONB (a BLOB): read them as text
through ``store.dossiers.json_text``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlite_utils import Database

__all__ = ["MIGRATIONS", "applied_migrations", "migrate"]

_DOSSIERS = """
CREATE TABLE dossiers (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  code TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 0,
  status INTEGER,
  step TEXT,
  assignee_id INTEGER,
  department_id TEXT,
  procedure_name TEXT,
  field_name TEXT,
  applicant_name TEXT,
  received_at TEXT,
  due_at TEXT,
  summary TEXT,
  server_version INTEGER,
  local_state TEXT NOT NULL DEFAULT 'synced'
    CHECK (local_state IN ('synced', 'pending', 'conflict', 'rejected')),
  updated_at TEXT,
  cached_at TEXT NOT NULL,
  snapshot_gen INTEGER NOT NULL DEFAULT 0
)"""

_DOSSIER_JSON = """
CREATE TABLE dossier_json (
  rid INTEGER PRIMARY KEY REFERENCES dossiers(rid) ON DELETE CASCADE,
  data TEXT NOT NULL,
  base TEXT
)"""

_DOCUMENTS = """
CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  kind TEXT,
  mime TEXT,
  size INTEGER,
  sha256 TEXT,
  local_name TEXT,
  downloaded_bytes INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL DEFAULT 'remote'
    CHECK (state IN ('remote', 'partial', 'downloaded', 'failed')),
  updated_at TEXT
)"""

_HISTORY = """
CREATE TABLE history (
  dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  id TEXT,
  at TEXT,
  actor_name TEXT,
  action TEXT,
  from_status INTEGER,
  to_status INTEGER,
  content TEXT,
  entry TEXT NOT NULL,
  PRIMARY KEY (dossier_id, position)
)"""

_NOTES = """
CREATE TABLE notes (
  dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  id TEXT,
  client_id TEXT,
  author_name TEXT,
  text TEXT,
  created_at TEXT,
  pending INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (dossier_id, position)
)"""

_OUTBOX = """
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  client_id TEXT NOT NULL UNIQUE,
  dossier_id TEXT NOT NULL,
  action TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  base_version INTEGER,
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'sending', 'applied', 'conflict', 'invalid', 'rejected')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error_code TEXT,
  last_error_message TEXT,
  server_answer TEXT,
  rebase_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)"""

_CONFLICTS = """
CREATE TABLE conflicts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  dossier_id TEXT NOT NULL,
  client_id TEXT,
  mine TEXT,
  theirs TEXT,
  created_at TEXT NOT NULL,
  resolved_at TEXT,
  resolution TEXT
)"""

# On-call (0002): the queue of check-ins and recall answers not yet confirmed by the server, and
# the recalls this client knows with their local state (see ``wfh_client.store.oncall``).
_ONCALL_QUEUE = """
CREATE TABLE oncall_queue (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  client_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL
    CHECK (kind IN ('checkin', 'delivered', 'seen', 'acknowledge', 'decline')),
  recall_id INTEGER,
  payload TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  server_answer TEXT,
  updated_at TEXT NOT NULL
)"""

_ONCALL_RECALLS = """
CREATE TABLE oncall_recalls (
  id INTEGER PRIMARY KEY,
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'delivered' CHECK (state IN ('delivered', 'seen', 'answered')),
  answer TEXT,
  alerted_renotify INTEGER,
  closed_at TEXT,
  updated_at TEXT NOT NULL
)"""

# The numbers a search finds anywhere in them (store.fts), apart from the FTS5 index.
_DOSSIER_NUMBERS = "CREATE TABLE IF NOT EXISTS dossier_numbers (rid INTEGER PRIMARY KEY, " \
    "digits TEXT NOT NULL)"


#: The search index as a new (empty) cache gets it (0010): a prefix index for one-letter
#: prefixes only. FTS5 writes each token once more per prefix length it indexes: with
#: ``prefix='1 2 3'`` (0001) four entries per token were 40 % of a first sync's FTS5 writes
#: beyond ``'1'`` (10,000 dossiers: 0.165 -> 0.110 CPU-s) and 8.6 MB of index instead of
#: 4.6 MB. Longer prefixes are read from the terms themselves, sorted in the index: over
#: 100,000 dossiers ``ng``* takes 7.7 ms instead of 2.8, ``tha``* 3.1 instead of 1.3; the
#: list's keystroke p95 (bench/ui_search.py) 23-24 ms instead of 20, its median +0.5-1 ms.
#: A one-letter prefix (``n``*: 82,774 of 100,000 dossiers) would take 16 ms instead of 3-5
#: from the terms.
_SEARCH_INDEX = ("CREATE VIRTUAL TABLE dossier_fts USING fts5(code, applicant, procedure, "
                 "address, summary, content='', contentless_delete=1, tokenize='unicode61', "
                 "prefix='1')")


def _search_index_for_new_caches(db: Database) -> None:
    """0010: a cache holding no dossier yet (a new one) gets :data:`_SEARCH_INDEX`; one that
    holds dossiers keeps its index, which answers the same queries (rebuilding it would
    keep a 100,000-dossier cache from opening for seconds, once, for nothing it lacks)."""
    from wfh_client.store.dossiers import pause_search_merges
    from wfh_client.store.state import KEY_SNAPSHOT_IN_PROGRESS, get_state

    if db.execute("SELECT 1 FROM dossiers LIMIT 1").fetchone() is None:
        db.execute("DROP TABLE dossier_fts")
        db.execute(_SEARCH_INDEX)
        if get_state(db, KEY_SNAPSHOT_IN_PROGRESS):  # its merge settings lived in the old one
            pause_search_merges(db)


def _reindex_search(db: Database) -> None:
    from wfh_client.store.dossiers import reindex_search  # the store's own indexing rule

    db.execute(_DOSSIER_NUMBERS)  # today's rule writes it too (0009 creates it otherwise)
    reindex_search(db)


def _fill_numbers(db: Database) -> None:
    from wfh_client.store.dossiers import fill_numbers  # the store's own rule

    fill_numbers(db)


#: (name, steps): a step is an SQL statement or, where SQL cannot say it (text folding), a
#: function of the connection; all of a migration's steps run in one transaction.
MIGRATIONS: tuple[tuple[str, Sequence[str | Callable[[Database], None]]], ...] = (
    ("0001_initial", (
        _DOSSIERS,
        *(f"CREATE INDEX ix_dossiers_{col} ON dossiers({col})" for col in (
            "status", "due_at", "received_at", "code", "applicant_name", "field_name",
            "local_state", "updated_at")),
        "CREATE INDEX ix_dossiers_snapshot_gen ON dossiers(snapshot_gen)",
        _DOSSIER_JSON,
        _DOCUMENTS,
        "CREATE INDEX ix_documents_dossier ON documents(dossier_id)",
        _HISTORY,
        _NOTES,
        "CREATE INDEX ix_notes_client_id ON notes(client_id)",
        _OUTBOX,
        "CREATE INDEX ix_outbox_state ON outbox(state, seq)",
        "CREATE INDEX ix_outbox_dossier ON outbox(dossier_id, state)",
        "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT)",
        _CONFLICTS,
        "CREATE INDEX ix_conflicts_dossier ON conflicts(dossier_id, resolved_at)",
        # code, applicant name, procedure name, address, summary - all folded (fold()).
        "CREATE VIRTUAL TABLE dossier_fts USING fts5(code, applicant, procedure, address, "
        "summary, content='', contentless_delete=1, tokenize='unicode61', prefix='1 2 3')",
    )),
    ("0002_oncall", (
        _ONCALL_QUEUE,
        "CREATE INDEX ix_oncall_queue_state ON oncall_queue(state, seq)",
        "CREATE INDEX ix_oncall_queue_kind ON oncall_queue(kind, created_at)",
        _ONCALL_RECALLS,
    )),
    # 0003: the user can dismiss an entry that will never apply (quarantined or rejected), so
    # its warning goes away; the row stays for the record (and for export).
    ("0003_outbox_dismissed", (
        "ALTER TABLE outbox ADD COLUMN dismissed_at TEXT",
    )),
    # every entry keeps the dossier's code and title: a dossier that left the scope is purged
    # from the cache, and its refused changes must still say which dossier they were about
    ("0004_outbox_labels", (
        "ALTER TABLE outbox ADD COLUMN dossier_code TEXT",
        "ALTER TABLE outbox ADD COLUMN dossier_title TEXT",
        "UPDATE outbox SET dossier_code = (SELECT code FROM dossiers d WHERE d.id = "
        "outbox.dossier_id), dossier_title = (SELECT procedure_name FROM dossiers d "
        "WHERE d.id = outbox.dossier_id)",
    )),
    # when the user last looked at each dossier (the list's unread marker)
    ("0005_dossier_seen", (
        "CREATE TABLE dossier_seen (dossier_id TEXT PRIMARY KEY, seen_at TEXT NOT NULL)",
    )),
    # phone and ID numbers searchable by their middle and end (store.fts.digit_tokens)
    ("0006_search_numbers", (_reindex_search,)),
    # history rows kept a copy of each entry's JSON, already in the dossier's JSON, for one
    # field (who acted, for the unread marker): a quarter of a first sync's bytes written
    ("0007_history_actor", (
        "ALTER TABLE history ADD COLUMN actor_id INTEGER",
        "UPDATE history SET actor_id = json_extract(entry, '$.actor_id')",
        "ALTER TABLE history DROP COLUMN entry",
    )),
    # no history rows at all: the two queries that read them (the unread marker, the
    # approvals' submission) look at a few dossiers and read the entries from their JSON; the
    # table was a fifth of a first sync's writes (store.dossiers)
    ("0008_history_from_json", (
        "DROP TABLE history",
    )),
    # phone and ID numbers leave the FTS5 index for a table of their digits, searched with
    # instr (store.fts): their endings were 40 % of a first sync's FTS5 writes. The endings
    # already indexed stay until their dossier is written again: they only match what the
    # table matches.
    ("0009_numbers_table", (_DOSSIER_NUMBERS, _fill_numbers)),
    # one prefix length indexed instead of three, for caches not yet filled: a first sync's
    # FTS5 writes a third lighter (_SEARCH_INDEX)
    ("0010_search_prefix_1", (_search_index_for_new_caches,)),
    # a documents row only for a document this device holds (store.document_rows): the rest
    # said nothing the dossier's JSON does not, and cost a first sync its costliest statement
    ("0011_documents_held_only", (
        "DELETE FROM documents WHERE state = 'remote' AND local_name IS NULL",
    )),
)


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def applied_migrations(db: Database) -> list[tuple[str, str]]:
    """``[(name, applied_at)]`` in application order (empty for a new file)."""
    if "migrations" not in db.table_names():
        return []
    return [(r[0], r[1]) for r in db.execute(
        "SELECT name, applied_at FROM migrations ORDER BY rowid")]


def migrate(db: Database,
            migrations: Sequence[tuple[str, Sequence[str | Callable[[Database], None]]]]
            = MIGRATIONS) -> list[str]:
    """Apply the pending migrations (each in one transaction); return the names applied."""
    db.execute("CREATE TABLE IF NOT EXISTS migrations "
               "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {name for name, _ in applied_migrations(db)}
    applied: list[str] = []
    for name, statements in migrations:
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("SELECT 1 FROM migrations WHERE name = ?", [name]).fetchone():
                db.execute("ROLLBACK")  # another process got there first
                continue
            for step in statements:
                if isinstance(step, str):
                    db.execute(step)
                else:
                    step(db)
            db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", [name, _now()])
            db.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
