"""Read-only SQL over the cache for the dossier list: order, filters, rows and counts.

No Qt here: :class:`~.dossier_table.DossierTableModel` and the status bar call these with a
reader connection (``cache.reader()``). They live in the UI until the store grows list queries
of its own (``store.search.search`` is paged and has no due-date or outbox filters).

Why the shape: a ``dossiers`` row holds whole JSON documents (several KiB), so every table-row
lookup costs an SQLCipher page decryption; ``WHERE d.rid IN (<FTS match>) ORDER BY due_at``
took 0.1-0.6 s over 100,000 dossiers. Every query here is index-only instead:

- :func:`ordered_ids` - ALL rids in one sort order, read from the sort column's index
  (``INDEXED BY``); the model caches it per sort key until the data changes.
- :func:`filter_rids` - each filter as a set of rids from one index-only query (the FTS5
  index over folded text for the search box, ``ix_dossiers_status`` for the status, ...),
  returned through ``group_concat`` (one string instead of 100,000 Python row tuples).
- :func:`apply_filter` - the ordered list restricted to the intersection, in Python.

Deadline rules: a dossier is *overdue* when its due instant has passed and its clock runs
(:func:`wfh_client.domain.deadlines.clock_running`, the one definition); *due soon* when it
runs and is due within :data:`DUE_SOON_DAYS` working day(s) (``WorkingCalendar.add_working_time``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.deadlines import CLOCK_RUNNING_STATUSES
from wfh_client.store.search import fts_query
from wfh_client.store.state import KEY_LAST_SUCCESS_AT

__all__ = ["DUE_FILTERS", "DUE_SOON_DAYS", "ROW_COLUMNS", "SORT_SQL",
           "DossierFilter", "ListCounts", "Thresholds", "apply_filter", "distinct_fields",
           "fetch_rows", "filter_rids", "list_counts", "ordered_ids", "query_ids",
           "sort_indexes"]

DUE_SOON_DAYS = 1
DUE_FILTERS = ("any", "overdue", "within_1", "within_3")

# sort key -> column of ``dossiers`` (remaining time sorts like the due instant)
SORT_SQL = {
    "code": "code", "procedure": "procedure_name", "applicant": "applicant_name",
    "received": "received_at", "due": "due_at", "remaining": "due_at",
    "status": "status", "sync": "local_state",
}

_RUNNING = f"status IN ({', '.join(str(int(s)) for s in sorted(CLOCK_RUNNING_STATUSES))})"
_UNSENT_RIDS = ("SELECT rid FROM dossiers WHERE local_state = 'pending' UNION "
                "SELECT rid FROM dossiers WHERE id IN "
                "(SELECT dossier_id FROM outbox WHERE state IN ('pending', 'sending'))")
_CONFLICT_RIDS = ("SELECT rid FROM dossiers WHERE local_state = 'conflict' UNION "
                  "SELECT rid FROM dossiers WHERE id IN "
                  "(SELECT dossier_id FROM conflicts WHERE resolved_at IS NULL)")
_SYNC_STATE = """CASE
  WHEN d.local_state = 'conflict' OR d.id IN
       (SELECT dossier_id FROM conflicts WHERE resolved_at IS NULL) THEN 'conflict'
  WHEN d.local_state = 'rejected' THEN 'rejected'
  WHEN d.local_state = 'pending' OR d.id IN
       (SELECT dossier_id FROM outbox WHERE state IN ('pending', 'sending')) THEN 'pending'
  WHEN d.id IN (SELECT dossier_id FROM outbox WHERE state IN ('invalid', 'rejected')
                 AND dismissed_at IS NULL) THEN 'rejected'
  ELSE 'synced' END"""

ROW_COLUMNS = ("rid", "id", "code", "procedure_name", "field_name", "applicant_name",
               "received_at", "due_at", "status", "sync_state")


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Thresholds:
    """The instants the deadline filters compare ``due_at`` against (ISO UTC strings)."""

    now: str
    soon: str  # now + DUE_SOON_DAYS working days
    within_1: str
    within_3: str

    @classmethod
    def compute(cls, calendar: WorkingCalendar, now: datetime) -> Thresholds:
        one = _iso(calendar.add_working_time(now, days=1))
        three = _iso(calendar.add_working_time(now, days=3))
        soon = one if DUE_SOON_DAYS == 1 else _iso(
            calendar.add_working_time(now, days=DUE_SOON_DAYS))
        return cls(_iso(now), soon, one, three)


@dataclass(frozen=True)
class DossierFilter:
    """What the filter bar asks for; the default shows everything."""

    text: str = ""
    status: int | None = None
    field: str | None = None
    due: str = "any"  # one of DUE_FILTERS
    unsent: bool = False
    conflict: bool = False

    def is_empty(self) -> bool:
        return self == DossierFilter()


def _rid_set(db: Any, sql: str, params: Sequence[Any] = ()) -> set[int]:
    text = db.conn.execute(f"SELECT group_concat(rid) FROM ({sql})", list(params)).fetchone()[0]  # noqa: S608
    return set(map(int, text.split(","))) if text else set()


def sort_indexes(db: Any) -> dict[str, str]:
    """column -> a single-column index on it (to force index-ordered, index-only scans)."""
    found: dict[str, str] = {}
    for row in db.conn.execute("PRAGMA index_list(dossiers)").fetchall():
        cols = db.conn.execute(f"PRAGMA index_info({row[1]})").fetchall()
        if len(cols) == 1 and cols[0][2]:
            found.setdefault(cols[0][2], row[1])
    return found


def ordered_ids(db: Any, sort_key: str, indexes: dict[str, str] | None = None) -> list[int]:
    """Every rid in ascending ``sort_key`` order (ties by rid). Descending is the exact
    reverse. Index-only when the column has an index; otherwise SQLite sorts (slow: the
    caller should run it off the GUI thread)."""
    column = SORT_SQL[sort_key]
    index = (indexes if indexes is not None else sort_indexes(db)).get(column)
    hint = f" INDEXED BY {index}" if index else ""
    text = db.conn.execute(
        f"SELECT group_concat(rid) FROM (SELECT rid FROM dossiers{hint} "  # noqa: S608
        f"ORDER BY {column}, rid)").fetchone()[0]
    return list(map(int, text.split(","))) if text else []


def filter_rids(db: Any, f: DossierFilter, th: Thresholds) -> set[int] | None:
    """The rids passing every filter of ``f`` (None: no filter, everything passes)."""
    sets: list[set[int]] = []
    if f.text.strip():
        match = fts_query(f.text)
        sets.append(set() if match is None else _rid_set(
            db, "SELECT rowid AS rid FROM dossier_fts WHERE dossier_fts MATCH ?", [match]))
    if f.status is not None:
        sets.append(_rid_set(db, "SELECT rid FROM dossiers WHERE status = ?", [int(f.status)]))
    if f.field is not None:
        sets.append(_rid_set(db, "SELECT rid FROM dossiers WHERE field_name = ?", [f.field]))
    if f.due == "overdue":
        sets.append(_rid_set(db, "SELECT rid FROM dossiers WHERE due_at < ?", [th.now]))
    elif f.due in ("within_1", "within_3"):
        sets.append(_rid_set(db, "SELECT rid FROM dossiers WHERE due_at >= ? AND due_at <= ?",
                             [th.now, th.within_1 if f.due == "within_1" else th.within_3]))
    if f.due != "any":
        sets.append(_rid_set(db, f"SELECT rid FROM dossiers WHERE {_RUNNING}"))  # noqa: S608
    if f.unsent:
        sets.append(_rid_set(db, _UNSENT_RIDS))
    if f.conflict:
        sets.append(_rid_set(db, _CONFLICT_RIDS))
    if not sets:
        return None
    sets.sort(key=len)
    return sets[0].intersection(*sets[1:])


def apply_filter(ordered: list[int], keep: set[int] | None, descending: bool = False,
                 positions: dict[int, int] | None = None) -> list[int]:
    """``ordered`` restricted to ``keep`` (reversed if ``descending``). With ``positions``
    (rid -> index in ``ordered``) a small ``keep`` is sorted directly instead of scanned."""
    if keep is None:
        result = list(ordered)
    elif positions is not None and len(keep) * 8 < len(ordered):
        result = sorted((r for r in keep if r in positions), key=positions.__getitem__)
    else:
        result = [r for r in ordered if r in keep]
    if descending:
        result.reverse()
    return result


def query_ids(db: Any, f: DossierFilter, th: Thresholds, sort_key: str = "due",
              descending: bool = False) -> list[int]:
    """The rid of every matching dossier in display order (uncached, for tests and tools)."""
    return apply_filter(ordered_ids(db, sort_key), filter_rids(db, f, th), descending)


def fetch_rows(db: Any, rids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """The list columns (:data:`ROW_COLUMNS`) of ``rids``, keyed by rid."""
    wanted = list(rids)
    if not wanted:
        return {}
    sql = (f"SELECT d.rid, d.id, d.code, d.procedure_name, d.field_name, d.applicant_name, "  # noqa: S608
           f"d.received_at, d.due_at, d.status, {_SYNC_STATE} FROM dossiers d "
           f"WHERE d.rid IN ({', '.join('?' * len(wanted))})")
    return {row[0]: row for row in db.conn.execute(sql, wanted).fetchall()}


def distinct_fields(db: Any) -> list[str]:
    """Field (lĩnh vực) names present in the cache, for the filter bar (index-only)."""
    return [r[0] for r in db.conn.execute(
        "SELECT DISTINCT field_name FROM dossiers WHERE field_name IS NOT NULL "
        "ORDER BY field_name").fetchall()]


@dataclass(frozen=True)
class ListCounts:
    total: int
    overdue: int
    due_soon: int
    unsent: int
    conflicts: int
    last_success_at: str | None


def list_counts(db: Any, th: Thresholds) -> ListCounts:
    """The status-bar figures over the whole cache (index-only counts, ~50 ms at 100k)."""
    due = sort_indexes(db).get("due_at")
    hint = f" INDEXED BY {due}" if due else ""
    running = f"rid IN (SELECT rid FROM dossiers WHERE {_RUNNING})"  # noqa: S608
    row = db.conn.execute(f"""
        SELECT (SELECT count(*) FROM dossiers),
               (SELECT count(*) FROM dossiers{hint} WHERE due_at < :now AND {running}),
               (SELECT count(*) FROM dossiers{hint} WHERE due_at >= :now AND due_at <= :soon
                  AND {running}),
               (SELECT count(*) FROM ({_UNSENT_RIDS})),
               (SELECT count(*) FROM ({_CONFLICT_RIDS})),
               (SELECT value FROM sync_state WHERE key = :last)
    """, {"now": th.now, "soon": th.soon, "last": KEY_LAST_SUCCESS_AT}).fetchone()  # noqa: S608
    last = json.loads(row[5]) if row[5] else None  # sync_state values are JSON
    return ListCounts(row[0], row[1], row[2], row[3], row[4],
                      last if isinstance(last, str) else None)
