"""The dossier list's queries over the cache: order, filters, rows and counts.

The store owns the schema, so the list's SQL lives here; the UI's
:class:`~wfh_client.ui.models.dossier_table.DossierTableModel` and status bar call these with a
reader connection (``cache.reader()``) and never write SQL themselves.

Why the shape: a ``dossiers`` row holds whole JSON documents (several KiB), so every table-row
lookup costs an SQLCipher page decryption; ``WHERE d.rid IN (<FTS match>) ORDER BY due_at``
took 0.1-0.6 s over 100,000 dossiers. Every query here is index-only instead:

- :func:`ordered_ids` - ALL rids in one sort order, read from the sort column's index
  (``INDEXED BY``); the model caches it per sort key until the data changes.
- :func:`filter_rids` - each filter as a set of rids from one index-only query (the FTS5
  index over folded text for the search box, ``ix_dossiers_status`` for the status, ...),
  returned through ``store.search.rid_list`` (one JSON array instead of 100,000 Python row
  tuples).
- :func:`apply_filter` - the ordered list restricted to the intersection, in Python.

Views (:data:`VIEWS`): ``open`` (not closed: the default list), ``todo`` (the signed-in
user's turn: :mod:`wfh_client.domain.turns`), ``closed`` (:data:`CLOSED_STATUSES`) and ``all``.
The ``urgency`` order is the due order with the dossiers whose clock runs first (the paused and
closed ones after them). A row is *unread* when someone else acted on it (a slip row by another
actor, a note by another author) after the user last opened it (:func:`mark_seen`) - or after
the list first showed, for a new cache (:func:`ensure_unread_baseline`).

Deadline rules: a dossier is *overdue* when its due instant has passed and its clock runs
(:func:`wfh_client.domain.deadlines.clock_running`, the one definition); *due soon* when it
runs and is due within :data:`DUE_SOON_DAYS` working day(s) (``WorkingCalendar.add_working_time``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlcipher3

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.deadlines import CLOCK_RUNNING_STATUSES
from wfh_client.domain.statuses import FINAL_STATUSES, Role
from wfh_client.domain.turns import TURNS, Party
from wfh_client.store.fts import NumberIndex
from wfh_client.store.search import rid_list, rid_query
from wfh_client.store.state import KEY_LAST_SUCCESS_AT, get_state, set_state

_T = TypeVar("_T")

__all__ = ["CLOSED_STATUSES", "DUE_FILTERS", "DUE_SOON_DAYS", "KEY_UNREAD_SINCE", "ROW_COLUMNS",
           "SORT_SQL", "VIEWS", "DossierFilter", "ListCounts", "Thresholds", "Viewer",
           "apply_filter", "cached_ids", "data_version", "distinct_fields", "ensure_unread_baseline",
           "fetch_rows", "filter_rids", "labels", "list_counts", "mark_seen", "ordered_ids",
           "query_ids", "running_due_between", "sort_indexes"]

DUE_SOON_DAYS = 1
DUE_FILTERS = ("any", "overdue", "within_1", "within_3")
VIEWS = ("all", "open", "todo", "closed")
CLOSED_STATUSES = tuple(sorted(int(s) for s in FINAL_STATUSES))
KEY_UNREAD_SINCE = "unread_since"

# sort key -> column of ``dossiers`` (remaining time sorts like the due instant)
SORT_SQL = {
    "code": "code", "procedure": "procedure_name", "applicant": "applicant_name",
    "received": "received_at", "due": "due_at", "remaining": "due_at",
    "status": "status", "step": "step", "sync": "local_state",
    "urgency": "due_at",  # then the running ones first: see ordered_ids
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
               "received_at", "due_at", "status", "sync_state", "step", "assignee_id",
               "unread")
# someone else acted after the user last looked (see the module docstring); :since and the
# seen instant bound the scan to the few dossiers changed lately (ix_dossiers_updated_at)
_UNREAD = """(d.updated_at > :since AND (
  EXISTS (SELECT 1 FROM dossier_json j, json_each(j.data, '$.history') h WHERE j.rid = d.rid
          AND h.value->>'at' > coalesce(s.seen_at, :since)
          AND coalesce(h.value->>'actor_id', -1) != :me)
  OR EXISTS (SELECT 1 FROM notes n WHERE n.dossier_id = d.id AND n.pending = 0
          AND n.created_at > coalesce(s.seen_at, :since)
          AND coalesce(n.author_name, '') != :my_name)))"""


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
    """What the filter bar asks for; the default shows everything (the bar starts on the
    ``open`` view)."""

    text: str = ""
    statuses: frozenset[int] = frozenset()  # any of these (empty: any status)
    field: str | None = None
    due: str = "any"  # one of DUE_FILTERS
    unsent: bool = False
    conflict: bool = False
    view: str = "all"  # one of VIEWS


@dataclass(frozen=True)
class Viewer:
    """Who looks at the list: for the ``todo`` view and the unread marker."""

    user_id: int | None = None
    role: str | None = None
    name: str = ""
    unread_since: str | None = None  # None: nothing is unread (a cache never shown yet)


def _turn_sql(party: Party) -> str:
    """``whose_turn(status, step) == party`` in SQL (:data:`wfh_client.domain.turns.TURNS`)."""
    clauses: list[str] = []
    earlier: list[str] = []
    for statuses, steps, who in TURNS:
        cond = f"status IN ({', '.join(str(int(x)) for x in sorted(statuses))})"
        if steps is not None:
            named = sorted(str(x) for x in steps if x is not None)
            parts = [f"step IN ({', '.join(repr(n) for n in named)})"] if named else []
            if None in steps:
                parts.append("step IS NULL")
            cond += f" AND ({' OR '.join(parts)})"
        if who is party:  # first match wins: not caught by an earlier rule
            clauses.append(f"({cond})" + "".join(f" AND NOT ({e})" for e in earlier))
        earlier.append(cond)
    return " OR ".join(clauses) or "0"


def _rid_set(db: Any, sql: str, params: Sequence[Any] = ()) -> set[int]:
    return set(rid_list(db, sql, params))


def data_version(db: Any) -> int:
    """SQLite's ``PRAGMA data_version`` of this connection: another value once another
    connection (the writer) committed since the last call. Equal values around some reads:
    nothing changed between them."""
    return int(db.conn.execute("PRAGMA data_version").fetchone()[0])


def sort_indexes(db: Any) -> dict[str, str]:
    """column -> a single-column index on it (to force index-ordered, index-only scans)."""
    found: dict[str, str] = {}
    for row in db.conn.execute("PRAGMA index_list(dossiers)").fetchall():
        cols = db.conn.execute(f"PRAGMA index_info({row[1]})").fetchall()
        if len(cols) == 1 and cols[0][2]:
            found.setdefault(cols[0][2], row[1])
    return found


def _hinted(run: Callable[[str], _T], index: str | None) -> _T:
    """``run(" INDEXED BY <index>")``, or ``run("")`` without an index or if it is gone: a
    first sync into an empty cache builds some list indexes only at its end
    (``store.dossiers.defer_list_indexes``), possibly after the caller listed them."""
    if not index:
        return run("")
    try:
        return run(f" INDEXED BY {index}")
    except sqlcipher3.OperationalError as exc:
        if "no such index" not in str(exc):
            raise
        return run("")


def ordered_ids(db: Any, sort_key: str, indexes: dict[str, str] | None = None) -> list[int]:
    """Every rid in ascending ``sort_key`` order (ties by rid). Descending is the exact
    reverse. Index-only when the column has an index; otherwise SQLite sorts (slow: the
    caller should run it off the GUI thread)."""
    column = SORT_SQL[sort_key]
    index = (indexes if indexes is not None else sort_indexes(db)).get(column)
    ordered = _hinted(lambda hint: rid_list(
        db, f"SELECT rid FROM dossiers{hint} ORDER BY {column}, rid"), index)  # noqa: S608
    if sort_key == "urgency":  # the running ones first, each part in due order
        running = _rid_set(db, f"SELECT rid FROM dossiers WHERE {_RUNNING}")  # noqa: S608
        ordered = [r for r in ordered if r in running] + [r for r in ordered if r not in running]
    return ordered


def _view_rids(db: Any, view: str, viewer: Viewer | None) -> set[int] | None:
    closed = f"status IN ({', '.join(map(str, CLOSED_STATUSES))})"
    if view == "open":
        return _rid_set(db, f"SELECT rid FROM dossiers WHERE status IS NULL OR NOT ({closed})")  # noqa: S608
    if view == "closed":
        return _rid_set(db, f"SELECT rid FROM dossiers WHERE {closed}")  # noqa: S608
    if view == "todo":
        if viewer is None or viewer.role is None:
            return set()
        if viewer.role == Role.OFFICER.value:
            return _rid_set(db, f"SELECT rid FROM dossiers WHERE assignee_id = ? AND "  # noqa: S608
                            f"({_turn_sql(Party.OFFICER)})", [viewer.user_id])
        return _rid_set(db, f"SELECT rid FROM dossiers WHERE {_turn_sql(Party.HEAD)}")  # noqa: S608
    return None


def _numbers_finder(db: Any, memo: dict[Any, Any]) -> Callable[[str], list[int]]:
    """:meth:`NumberIndex.find` over the cache's numbers, loaded into ``memo`` at the first
    number searched (once per state of the data, like the view's set)."""
    def find(digits: str) -> list[int]:
        index = memo.get("numbers")
        if index is None:
            index = memo["numbers"] = NumberIndex.load(db)
        found: list[int] = index.find(digits)
        return found
    return find


def filter_rids(db: Any, f: DossierFilter, th: Thresholds, viewer: Viewer | None = None,
                memo: dict[Any, Any] | None = None) -> set[int] | None:
    """The rids passing every filter of ``f`` (None: no filter, everything passes).

    ``memo`` (cleared by the caller when the data changes) keeps the view's set between calls:
    typing in the search box must not re-read the 80,000 open dossiers at every keystroke (nor
    scan the 100,000 numbers: :class:`~.fts.NumberIndex`)."""
    sets: list[set[int]] = []
    key = ("view", f.view, viewer)
    if memo is not None and key in memo:
        view = memo[key]
    else:
        view = _view_rids(db, f.view, viewer)
        if memo is not None:
            memo[key] = view
    if view is not None:
        sets.append(view)
    found: list[int] | None = None  # the search's rids: a list, not a set (see the end)
    if f.text.strip():
        query = rid_query(f.text, None if memo is None else _numbers_finder(db, memo))
        if query is None:
            sets.append(set())
        else:
            found = rid_list(db, query.sql, query.params)
    if f.statuses:
        wanted = sorted(int(x) for x in f.statuses)
        sets.append(_rid_set(db, f"SELECT rid FROM dossiers WHERE status IN "  # noqa: S608
                             f"({', '.join('?' * len(wanted))})", wanted))
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
        return None if found is None else set(found)
    sets.sort(key=len)
    # a one-letter search finds ~80,000 rids: intersecting the list directly saves building
    # a set of them (~3 ms a keystroke)
    return sets[0].intersection(*sets[1:], *([] if found is None else [found]))


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
              descending: bool = False, viewer: Viewer | None = None) -> list[int]:
    """The rid of every matching dossier in display order (uncached, for tests and tools)."""
    return apply_filter(ordered_ids(db, sort_key), filter_rids(db, f, th, viewer), descending)


def fetch_rows(db: Any, rids: Iterable[int],
               viewer: Viewer | None = None) -> dict[int, tuple[Any, ...]]:
    """The list columns (:data:`ROW_COLUMNS`) of ``rids``, keyed by rid."""
    wanted = list(rids)
    if not wanted:
        return {}
    params: dict[str, Any] = {f"r{i}": r for i, r in enumerate(wanted)}
    if viewer is not None and viewer.unread_since is not None:
        unread = _UNREAD
        params.update(since=viewer.unread_since, me=viewer.user_id if viewer.user_id is not None
                      else -1, my_name=viewer.name)
    else:
        unread = "0"
    sql = (f"SELECT d.rid, d.id, d.code, d.procedure_name, d.field_name, d.applicant_name, "  # noqa: S608
           f"d.received_at, d.due_at, d.status, {_SYNC_STATE}, d.step, d.assignee_id, "
           f"{unread} FROM dossiers d LEFT JOIN dossier_seen s ON s.dossier_id = d.id "
           f"WHERE d.rid IN ({', '.join(':' + k for k in params if k.startswith('r'))})")
    return {row[0]: row for row in db.conn.execute(sql, params).fetchall()}


def cached_ids(db: Any) -> set[str]:
    """Every dossier id in the cache.

    One JSON array built by SQLite (as :func:`~wfh_client.store.search.rid_list` does): the
    alerts read the 100,000 ids on a worker thread at start-up, and a row-by-row cursor takes
    the GIL back 100,000 times - each time from the GUI thread painting the list, which made
    the first keystrokes after start-up ~15 ms slower."""
    text = db.conn.execute("SELECT json_group_array(id) FROM dossiers").fetchone()[0]
    return {str(x) for x in json.loads(text)} if text else set()


def labels(db: Any, ids: Iterable[str]) -> list[tuple[str, str, str]]:
    """(id, code, applicant's name) of ``ids`` that are cached, by code."""
    wanted = list(ids)
    if not wanted:
        return []
    rows = db.execute(f"SELECT id, code, applicant_name FROM dossiers "  # noqa: S608
                      f"WHERE id IN ({', '.join('?' * len(wanted))}) ORDER BY code", wanted)
    return [(str(r[0]), str(r[1] or ""), str(r[2] or "")) for r in rows]


def running_due_between(db: Any, start: datetime, end: datetime) -> list[tuple[str, str, str]]:
    """(id, code, due_at) of the dossiers whose clock runs and that are due in [start, end],
    soonest first."""
    rows = db.execute(
        f"SELECT id, code, due_at FROM dossiers WHERE {_RUNNING} "  # noqa: S608
        "AND due_at >= ? AND due_at <= ? ORDER BY due_at", [_iso(start), _iso(end)])
    return [(str(r[0]), str(r[1] or ""), str(r[2] or "")) for r in rows]


def ensure_unread_baseline(db: Any, now: datetime) -> str:
    """The instant unread markers count from; set to ``now`` the first time (a write: run it
    through the cache's writer). Before it, everything the first download brought is read."""
    current = get_state(db, KEY_UNREAD_SINCE)
    if isinstance(current, str):
        return current
    since = _iso(now)
    set_state(db, KEY_UNREAD_SINCE, since)
    return since


def mark_seen(db: Any, dossier_id: str, now: datetime) -> None:
    """The user has looked at the dossier (opened it, acted on it): it is read up to now, or
    up to its last server change if the machine's clock is behind (a write)."""
    db.execute("INSERT INTO dossier_seen (dossier_id, seen_at) VALUES (?, max(?, coalesce("
               "(SELECT updated_at FROM dossiers WHERE id = ?), ''))) ON CONFLICT(dossier_id) "
               "DO UPDATE SET seen_at = max(excluded.seen_at, dossier_seen.seen_at)",
               [dossier_id, _iso(now), dossier_id])


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
    running = f"rid IN (SELECT rid FROM dossiers WHERE {_RUNNING})"  # noqa: S608
    row = _hinted(lambda hint: db.conn.execute(f"""
        SELECT (SELECT count(*) FROM dossiers),
               (SELECT count(*) FROM dossiers{hint} WHERE due_at < :now AND {running}),
               (SELECT count(*) FROM dossiers{hint} WHERE due_at >= :now AND due_at <= :soon
                  AND {running}),
               (SELECT count(*) FROM ({_UNSENT_RIDS})),
               (SELECT count(*) FROM ({_CONFLICT_RIDS})),
               (SELECT value FROM sync_state WHERE key = :last)
    """, {"now": th.now, "soon": th.soon, "last": KEY_LAST_SUCCESS_AT}).fetchone(),  # noqa: S608
        sort_indexes(db).get("due_at"))
    last = json.loads(row[5]) if row[5] else None  # sync_state values are JSON
    return ListCounts(row[0], row[1], row[2], row[3], row[4],
                      last if isinstance(last, str) else None)
