"""Dossier primitives the sync engine and the UI build on (all take a sqlite-utils Database).

Write functions must run inside a Writer task (``cache.writer.run(lambda db: ...)``) so they
share its transaction; read functions work on any connection. The store does not decide merges:
:func:`put_server_copy` never overwrites a dossier that has unsent local edits unless the caller
passes the merged ``data`` itself, and :func:`apply_server_page` calls an optional ``merge``
callback for such dossiers inside the page's single transaction.

Every write of ``data`` keeps the list columns, the FTS row (folded text), the ``notes`` rows
and the ``documents`` rows of the documents this device holds in step. The history (the slip's
entries) and the documents' metadata are read from the document's JSON where needed: a table
copying the history was a fifth of a first sync's writes for two queries that only ever look at
a few dossiers (the unread marker, the approvals' submission); a row per document, its costliest
statement (see ``document_rows``).

``local_state``: ``synced`` (data == base), ``pending`` (optimistic local changes waiting in
the outbox), ``conflict`` (waiting for the user), ``rejected`` (a local change was refused; the
outbox keeps it). "Unsent local edits" (:func:`has_unsent_edits`) means ``pending``/``conflict``
or an outbox entry still ``pending``/``sending``/``conflict``; a ``rejected`` dossier takes the
next server copy as is.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlcipher3
from sqlite_utils import Database

from wfh_client.store.fts import index_text, index_texts, number_digits
from wfh_client.store.state import KEY_CURSOR, KEY_SNAPSHOT_GEN, get_state, now_iso, set_state

orjson: Any
try:  # a decoded batch's documents, when needed, parse three times faster
    import orjson
except ImportError:  # pragma: no cover - a build without it parses with json
    orjson = None

__all__ = [
    "fill_numbers",
    "reindex_search",
    "scratch_connection",
    "LOCAL_STATES",
    "resume_search_merges",
    "pause_search_merges",
    "BatchCopy",
    "DecodedBatch",
    "DossierRecord",
    "Merge",
    "PageResult",
    "PreparedCopies",
    "PreparedCopy",
    "apply_server_page",
    "count_dossiers",
    "decode_batch",
    "defer_list_indexes",
    "document_of",
    "dossier_ids_with_pending_edits",
    "get_dossier",
    "has_unsent_edits",
    "json_text",
    "prepare_copies",
    "put_server_copy",
    "remove_dossier",
    "restore_list_indexes",
    "set_local_data",
    "set_local_state",
    "stale_after_snapshot",
    "start_snapshot",
]

LOCAL_STATES = ("synced", "pending", "conflict", "rejected")
PutOutcome = Literal["applied", "kept_local", "stale"]


@dataclass(frozen=True)
class DossierRecord:
    id: str
    data: dict[str, Any]  # current local document (server + optimistic local changes)
    base: dict[str, Any] | None  # last synced server copy: the three-way-merge base
    local_state: str
    version: int
    server_version: int | None
    cached_at: str


#: ``merge(record, theirs) -> (data, local_state)`` for a dossier with unsent local edits.
Merge = Callable[[DossierRecord, dict[str, Any]], tuple[dict[str, Any], str]]


@dataclass
class PageResult:
    applied: list[str] = field(default_factory=list)  # replaced or merged with the server copy
    kept_local: list[str] = field(default_factory=list)  # unsent edits, no merge given: untouched
    stale: list[str] = field(default_factory=list)  # older than the copy already held
    removed: list[str] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)  # local document files to delete


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _dumps(value: Any) -> str:
    return _ENCODE(value)


def json_text(column: str) -> str:
    """SQL for a ``dossier_json`` column (``data``, ``base``) as JSON text. A first sync's
    batch stores SQLite's JSONB, as it parsed the page (no conversion back to text on the
    writer: a tenth of its CPU, and 12 % fewer bytes to encrypt); every other write stores the
    text Python encoded, read back as it is (``json()`` would turn a NaN into null). SQL that
    reads into the JSON (``->>``, ``json_extract``, ``json_each``) takes either form."""
    return f"iif(typeof({column}) = 'blob', json({column}), {column})"


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def get_dossier(db: Database, dossier_id: str) -> DossierRecord | None:
    """The dossier's documents and states; ``base`` is None only if never synced."""
    row = db.execute(
        f"SELECT d.id, {json_text('j.data')}, {json_text('j.base')}, d.local_state, d.version, "  # noqa: S608
        "d.server_version, d.cached_at FROM dossiers d JOIN dossier_json j ON j.rid = d.rid "
        "WHERE d.id = ?",
        [dossier_id]).fetchone()
    if row is None:
        return None
    data = json.loads(row[1])
    if row[2] is not None:
        base = json.loads(row[2])
    else:  # NULL base: identical to data, unless the dossier was never synced
        base = None if row[5] is None else json.loads(row[1])
    return DossierRecord(row[0], data, base, row[3], row[4], row[5], row[6])


def count_dossiers(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM dossiers").fetchone()[0])


def has_unsent_edits(db: Database, dossier_id: str) -> bool:
    """True if the dossier is pending/in conflict locally or has unanswered outbox entries."""
    row = db.execute("""
        SELECT EXISTS(SELECT 1 FROM dossiers WHERE id = :id AND local_state IN ('pending', 'conflict'))
            OR EXISTS(SELECT 1 FROM outbox WHERE dossier_id = :id
                      AND state IN ('pending', 'sending', 'conflict'))""", {"id": dossier_id}).fetchone()
    return bool(row[0])


def dossier_ids_with_pending_edits(db: Database) -> list[str]:
    rows = db.execute("""
        SELECT id FROM dossiers WHERE local_state IN ('pending', 'conflict')
        UNION SELECT dossier_id FROM outbox WHERE state IN ('pending', 'sending', 'conflict')
        ORDER BY 1""")
    return [r[0] for r in rows]


def _numbers(id_number: str, phone: str) -> str:
    """``dossier_numbers.digits``: the ID and phone numbers' digits, space-separated."""
    return " ".join(filter(None, (number_digits(id_number), number_digits(phone))))


def _fts_values(doc: Mapping[str, Any]) -> list[str]:
    """The dossier's search row: the five FTS5 columns' folded text, then its numbers'
    digits (``dossier_numbers``, see ``store.fts``)."""
    applicant = doc.get("applicant") or {}
    who = " ".join(_s(applicant.get(k)) for k in ("name", "id_number", "phone", "email"))
    return [index_text(_s(doc.get("code"))), index_text(who),
            index_text(doc.get("procedure_name")), index_text(applicant.get("address")),
            index_text(doc.get("summary")),
            _numbers(_s(applicant.get("id_number")), _s(applicant.get("phone")))]


def _search_fields(doc: Mapping[str, Any]) -> tuple[Any, ...]:
    """The indexed values of ``doc``, in :data:`_FIELD_PATHS` order (None when absent)."""
    applicant = doc.get("applicant") or {}
    return (doc.get("code"), applicant.get("name"), applicant.get("id_number"),
            applicant.get("phone"), applicant.get("email"), doc.get("procedure_name"),
            applicant.get("address"), doc.get("summary"))


def _fts_rows(docs: list[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    """``[tuple(_fts_values(doc)) for doc in docs]``, the texts of the whole batch folded at
    once (:func:`~wfh_client.store.fts.index_texts`)."""
    return _fts_rows_of(map(_search_fields, docs))


def _fts_rows_of(fields: Iterable[tuple[Any, ...]]) -> list[tuple[str, ...]]:
    """:func:`_fts_rows` from each document's :func:`_search_fields` (or the same values
    read by SQL from a decoded batch, see :func:`decode_batch`)."""
    texts: list[str] = []
    numbers: list[str] = []
    for code, name, id_number, phone, email, procedure, address, summary in fields:
        id_number, phone = _s(id_number), _s(phone)
        texts += (_s(code), " ".join((_s(name), id_number, phone, _s(email))),
                  _s(procedure), _s(address), _s(summary))
        numbers.append(_numbers(id_number, phone))
    folded = index_texts(texts)
    return [(*folded[5 * k:5 * k + 5], digits) for k, digits in enumerate(numbers)]


_COLUMNS = ("id", "code", "version", "status", "step", "assignee_id", "department_id",
            "procedure_name", "field_name", "applicant_name", "received_at", "due_at", "summary",
            "server_version", "local_state", "updated_at", "cached_at", "snapshot_gen")
_NOTES_SQL = ("INSERT INTO notes (dossier_id, position, id, client_id, author_name, text, "
              "created_at, pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
# Only the documents this device holds have a row (see ``document_rows``): a new copy of the
# dossier updates theirs; a new SHA-256 means the held bytes are another document's.
_HELD_DOCUMENTS_SQL = """
        UPDATE documents SET dossier_id = ?, name = ?, kind = ?, mime = ?, size = ?,
          state = CASE WHEN sha256 IS ? THEN state ELSE 'remote' END,
          downloaded_bytes = CASE WHEN sha256 IS ? THEN downloaded_bytes ELSE 0 END,
          sha256 = ?, updated_at = ?
        WHERE id = ?"""
_FTS_SQL = ("INSERT OR REPLACE INTO dossier_fts (rowid, code, applicant, procedure, address, "
            "summary) VALUES (?, ?, ?, ?, ?, ?)")


def _write_search_row(db: Database, rid: int, values: list[str]) -> None:
    """The dossier's FTS5 row and its ``dossier_numbers`` row (none without digits)."""
    db.execute(_FTS_SQL, [rid, *values[:5]])
    if values[5]:
        db.execute("INSERT OR REPLACE INTO dossier_numbers (rid, digits) VALUES (?, ?)",
                   [rid, values[5]])
    else:
        db.execute("DELETE FROM dossier_numbers WHERE rid = ?", [rid])


def _row_values(data: Mapping[str, Any], base: Mapping[str, Any] | None, local_state: str,
                snapshot_gen: int | None, cached_at: str) -> list[Any]:
    """The ``dossiers`` list columns of ``data``, in ``_COLUMNS`` order."""
    if local_state not in LOCAL_STATES:
        raise ValueError(f"unknown local_state {local_state!r}")
    applicant = data.get("applicant") or {}
    return [
        str(data["id"]), _s(data.get("code")), int(data.get("version") or 0),
        data.get("status"), data.get("step"), data.get("assignee_id"), data.get("department_id"),
        data.get("procedure_name"), data.get("field_name"), applicant.get("name"),
        data.get("received_at"), data.get("due_at"), data.get("summary"),
        None if base is None else base.get("version"), local_state, data.get("updated_at"),
        cached_at, snapshot_gen if snapshot_gen is not None else 0,
    ]


def _note_rows(dossier_id: str, data: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    return [(dossier_id, i, None if n.get("id") is None else str(n["id"]), n.get("client_id"),
             n.get("author_name"), n.get("text"), n.get("created_at"), int(n.get("id") is None))
            for i, n in enumerate(data.get("notes") or [])]


def _held_document_rows(dossier_id: str, docs: list[Mapping[str, Any]],
                        now: str) -> list[tuple[Any, ...]]:
    """:data:`_HELD_DOCUMENTS_SQL`'s parameters for each of ``docs``."""
    return [(dossier_id, _s(d.get("name")), d.get("kind"), d.get("mime"), d.get("size"),
             d.get("sha256"), d.get("sha256"), d.get("sha256"), now, str(d["id"])) for d in docs]


def _write(db: Database, data: Mapping[str, Any], *, base: Mapping[str, Any] | None,
           local_state: str, snapshot_gen: int | None) -> None:
    """Insert or update ``data`` (``base`` None keeps the stored base) and its derived rows."""
    values = _row_values(data, base, local_state, snapshot_gen, now_iso())
    keep = {"id"} | ({"server_version"} if base is None else set()) \
        | ({"snapshot_gen"} if snapshot_gen is None else set())
    updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c not in keep)
    rid = db.execute(
        f"INSERT INTO dossiers ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))}) "  # noqa: S608
        f"ON CONFLICT(id) DO UPDATE SET {updates} RETURNING rid", values).fetchone()[0]
    data_json = _dumps(data)
    if base is not None:
        base_json = data_json if base is data else _dumps(base)
        db.execute("INSERT OR REPLACE INTO dossier_json (rid, data, base) VALUES (?, ?, ?)",
                   [rid, data_json, None if base_json == data_json else base_json])
    else:  # keep the base; a NULL base meant "same as the old data": materialise it first
        db.execute("UPDATE dossier_json SET base = data WHERE rid = ? AND base IS NULL "  # noqa: S608
                   f"AND {json_text('data')} <> ?", [rid, data_json])
        db.execute("INSERT INTO dossier_json (rid, data) VALUES (?, ?) "
                   "ON CONFLICT(rid) DO UPDATE SET data = excluded.data", [rid, data_json])
    _write_search_row(db, rid, _fts_values(data))
    _write_children(db, str(data["id"]), data)


def _write_children(db: Database, dossier_id: str, data: Mapping[str, Any]) -> None:
    db.execute("DELETE FROM notes WHERE dossier_id = ?", [dossier_id])
    db.conn.executemany(_NOTES_SQL, _note_rows(dossier_id, data))
    docs = data.get("documents") or []
    ids = [str(d["id"]) for d in docs]
    db.execute(f"DELETE FROM documents WHERE dossier_id = ? AND id NOT IN "  # noqa: S608
               f"({', '.join('?' * len(ids))})", [dossier_id, *ids])
    if db.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is not None:  # any held
        db.conn.executemany(_HELD_DOCUMENTS_SQL, _held_document_rows(dossier_id, docs, now_iso()))


_BULK_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"),
                                allow_nan=False).encode


@dataclass(frozen=True)
class PreparedCopy:
    """What :func:`apply_server_page` needs of a new server copy beyond its JSON text, computed
    outside the writer (see :func:`prepare_copies`): the folded FTS values (Python: ``fold``)
    and the numbers' digits (:func:`_fts_values`' order)."""

    version: int
    data_json: str | None  # the document's JSON text (None: only in its page's batch)
    fts: tuple[str, ...]


class PreparedCopies(dict[str, PreparedCopy]):
    """:func:`prepare_copies`' result: the copies by id, plus the whole batch in the form the
    writer's statements read (``docs``: the documents as one JSONB array, or None when not
    strict JSON; ``fts``: the search rows as one JSON array), for when every copy of the page
    turns out to be new - a first sync's pages. Built outside the writer, so the writer's
    transaction only inserts; ``numbers``: the ``[position, digits]`` of the copies that have
    numbers, as one JSON array (see :func:`_search_batch`)."""

    def __init__(self, copies: dict[str, PreparedCopy], order: list[str], docs: bytes | None,
                 search: tuple[str, str]) -> None:
        super().__init__(copies)
        self.order = order
        self.docs = docs
        self.fts, self.numbers = search


def _search_batch(copies: list[PreparedCopy]) -> tuple[str, str]:
    """The batch's search rows as the writer's statements read them: the FTS5 columns of every
    copy, and apart, only the copies with numbers (a tenth of the text: the numbers'
    statement no longer parses every row's folded text again)."""
    return (_bulk_json([c.fts[:5] for c in copies]),
            _bulk_json([[k, c.fts[5]] for k, c in enumerate(copies) if c.fts[5]]))


def _bulk_json(value: list[Any]) -> str:
    """Compact JSON text of a batch's lists of strings and integers: orjson's when installed
    (a first sync's 10,000 dossiers' search rows: ~6 ms instead of ~30 ms, on the decoding
    thread), else the standard library's; the same text for SQLite either way. A lone
    surrogate, which orjson refuses, gets the standard library's answer (and SQLite its
    error)."""
    if orjson is not None:
        with contextlib.suppress(orjson.JSONEncodeError):
            return str(orjson.dumps(value), "utf-8")
    return _BULK_ENCODE(value)


_SCRATCH = threading.local()  # per-thread in-memory SQLite: JSON -> JSONB, no file involved


def _to_jsonb(text: str) -> bytes | None:
    """SQLite's JSONB of ``text`` (the format its ``jsonb_each`` reads fastest), or None unless
    strict JSON (NaN, infinity); computed by SQLite's C code with the GIL released."""
    return _scratch_value("SELECT CASE WHEN json_valid(:t, 1) THEN jsonb(:t) END", text)


def scratch_connection() -> Any:
    """This thread's in-memory SQLite connection (created once): JSON work in C, no file."""
    conn = getattr(_SCRATCH, "conn", None)
    if conn is None:
        conn = _SCRATCH.conn = sqlcipher3.connect(":memory:", check_same_thread=False)
    return conn


def _scratch_value(sql: str, text: str | bytes) -> bytes | None:
    """``sql`` with ``:t`` = ``text`` on this thread's in-memory connection."""
    result: bytes | None = scratch_connection().execute(sql, {"t": text}).fetchone()[0]
    return result


class _BatchDocuments:
    """The documents of one decoded batch, parsed into Python all at once, on first need."""

    __slots__ = ("_parsed", "jsonb")

    def __init__(self, jsonb: bytes) -> None:
        self.jsonb = jsonb
        self._parsed: list[dict[str, Any]] | None = None

    def __getitem__(self, index: int) -> dict[str, Any]:
        if self._parsed is None:
            # One parse for the page, as before decoding: one document at a time made SQLite
            # copy the whole batch for each (a resync of 1,000 cached dossiers: 0.86 s a page
            # instead of 0.07 s).
            text = scratch_connection().execute("SELECT json(:t)",
                                                {"t": self.jsonb}).fetchone()[0]
            parsed: list[dict[str, Any]] | None = None
            if orjson is not None:
                with contextlib.suppress(orjson.JSONDecodeError):  # integers beyond 64 bits
                    parsed = orjson.loads(text)
            self._parsed = parsed if parsed is not None else json.loads(text)
        return self._parsed[index]


class BatchCopy(Mapping[str, Any]):
    """A server copy in a :class:`DecodedBatch`: its ``id`` and ``version`` at hand, the rest
    of the document parsed from the batch's JSONB the first time anything else is asked (the
    whole batch then, once).

    A first sync never asks: its dossiers are new, and SQLite builds their rows from the
    batch. Only a dossier already cached (merged with local edits, compared, rewritten in
    Python) needs :meth:`document`."""

    __slots__ = ("_batch", "_doc", "_id", "_index", "_version")

    def __init__(self, batch: _BatchDocuments, index: int, dossier_id: Any,
                 version: Any) -> None:
        self._batch, self._index = batch, index
        self._id, self._version = dossier_id, version
        self._doc: dict[str, Any] | None = None

    def document(self) -> dict[str, Any]:
        """The whole document, as parsing the page would have given it."""
        if self._doc is None:
            self._doc = self._batch[self._index]
        return self._doc

    def __getitem__(self, key: str) -> Any:
        if self._doc is None:
            if key == "id":
                return self._id
            if key == "version" and self._version is not None:
                return self._version
        return self.document()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.document())

    def __len__(self) -> int:
        return len(self.document())


def document_of(doc: Mapping[str, Any]) -> dict[str, Any]:
    """``doc`` as the plain dict the write path serialises (a :class:`BatchCopy` parsed)."""
    if isinstance(doc, BatchCopy):
        return doc.document()
    return doc if isinstance(doc, dict) else dict(doc)


@dataclass
class DecodedBatch:
    """A page's documents decoded without building them in Python (:func:`decode_batch`):
    the JSONB array SQLite inserts them from, one :class:`BatchCopy` each, and the values
    the search index folds, read by SQL. :meth:`prepare` folds them ahead of need (on the
    thread that decoded the page); :func:`prepare_copies` then returns that result."""

    docs: bytes
    copies: list[BatchCopy]
    fields: list[tuple[Any, ...]]
    prepared: PreparedCopies | None = field(default=None, repr=False)

    def prepare(self) -> PreparedCopies:
        """``prepare_copies(self.copies, self)``, computed once."""
        if self.prepared is None:
            self.prepared = prepare_copies(self.copies, self)
        return self.prepared


# The values _search_fields reads, for each document of a JSONB array, and whether the
# element is a document with an id, a version SQL reads as Python does (a number, a string or
# none) and an applicant object (or none), as the plain path needs.
_DECODE_FIELDS = """
    SELECT value->>'id', value->>'version', value->>'code', value->>'$.applicant.name',
           value->>'$.applicant.id_number', value->>'$.applicant.phone',
           value->>'$.applicant.email', value->>'procedure_name', value->>'$.applicant.address',
           value->>'summary',
           type = 'object' AND json_type(value, '$.id') IN ('text', 'integer')
           AND coalesce(json_type(value, '$.version'), 'null') IN ('integer', 'text', 'null')
           AND coalesce(json_type(value, '$.applicant'), 'object') IN ('object', 'null')
    FROM jsonb_each(:t)"""
_FIELD_PATHS = ("$.code", "$.applicant.name", "$.applicant.id_number", "$.applicant.phone",
                "$.applicant.email", "$.procedure_name", "$.applicant.address", "$.summary")
# Every searched value is a string or absent: ->> gives an object's or array's JSON text, which
# reads like a string starting with { or [, so such a string has its type checked.
_STRINGS_ONLY = f"""
    SELECT count(*) FROM jsonb_each(:t) WHERE NOT ({" AND ".join(
        f"coalesce(json_type(value, '{path}'), 'null') IN ('text', 'null')"
        for path in _FIELD_PATHS)})"""  # noqa: S608 - constant paths


def decode_batch(docs: bytes) -> DecodedBatch | None:
    """The documents of ``docs`` (a JSONB array, see ``sync.pages``) with their ids, versions
    and searched values read by SQLite, in C, instead of parsing each document into Python
    objects (a first sync's 10,000 dossiers: ~0.4 s of the GIL less). None, for the plain
    path, unless every element is a document with an id and string (or absent) searched
    values: Python and SQL write other values differently (``True`` / ``1``)."""
    conn = scratch_connection()
    rows = conn.execute(_DECODE_FIELDS, {"t": docs}).fetchall()
    if not all(row[10] for row in rows):
        return None
    maybe_json = False
    for row in rows:
        for value in row[2:10]:
            if value is None:
                continue
            if type(value) is not str:
                return None
            if value[:1] in ("{", "["):
                maybe_json = True
    if maybe_json and conn.execute(_STRINGS_ONLY, {"t": docs}).fetchone()[0]:
        return None
    documents = _BatchDocuments(docs)
    return DecodedBatch(docs, [BatchCopy(documents, i, row[0], row[1])
                               for i, row in enumerate(rows)], [row[2:10] for row in rows])


def _page_docs_jsonb(body: bytes) -> bytes | None:
    """The JSONB of the ``upserts`` array of a page's strict JSON, UTF-8 ``body`` (one parse, in
    C; the cast reads the bytes as text without a copy through Python)."""
    return _scratch_value("SELECT jsonb_extract(CAST(:t AS TEXT), '$.upserts')", body)


def prepare_copies(upserts: Iterable[Mapping[str, Any]],
                   raw_json: Iterable[str] | bytes | DecodedBatch | None = None) -> PreparedCopies:
    """Pure CPU work for :func:`apply_server_page` (folding the search text, converting the
    documents to JSONB), which the caller can do on its own thread while the writer commits
    the previous page. ``raw_json``: the documents' JSON text as received, one text each
    (spares a re-serialisation), or the whole page's strict JSON as UTF-8 bytes, with the
    documents at ``$.upserts`` (see ``sync.pages.parse_page``), or the page's documents as
    :func:`decode_batch` read them (``upserts`` are then its copies)."""
    docs = list(upserts)
    if isinstance(raw_json, DecodedBatch) and raw_json.prepared is not None \
            and len(docs) == len(raw_json.copies) \
            and all(doc is copy for doc, copy in zip(docs, raw_json.copies, strict=True)):
        return raw_json.prepared  # folded already, by the thread that decoded the page
    order = [str(doc["id"]) for doc in docs]
    if isinstance(raw_json, DecodedBatch):  # already read by SQL: only the folding is left
        fts = _fts_rows_of(raw_json.fields)
        copies = [PreparedCopy(int(doc.get("version") or 0), None, fts[i])
                  for i, doc in enumerate(docs)]
        return PreparedCopies(dict(zip(order, copies, strict=True)), order,
                              raw_json.docs if docs else None, _search_batch(copies))
    docs = [document_of(doc) for doc in docs]
    fts = _fts_rows(docs)
    if isinstance(raw_json, bytes):  # SQLite takes the documents from the page itself
        copies = [PreparedCopy(int(doc.get("version") or 0), None, fts[i])
                  for i, doc in enumerate(docs)]
        batch = _page_docs_jsonb(raw_json) if docs else None
    else:
        raws = list(raw_json) if raw_json is not None else [_dumps(doc) for doc in docs]
        copies = [PreparedCopy(int(doc.get("version") or 0), raws[i], fts[i])
                  for i, doc in enumerate(docs)]
        batch = _to_jsonb(f"[{','.join(raws)}]") if docs else None
    return PreparedCopies(dict(zip(order, copies, strict=True)), order, batch,
                          _search_batch(copies))


# A batch of new server copies, straight from their JSON text (``jsonb_each`` over the array
# of documents, parsed once into JSONB): every column as ``_row_values`` and ``_note_rows``
# compute it, in SQLite's C code instead of Python (no row tuples built, no JSON re-encoded).
# A new dossier has no held document: no ``documents`` row.
_BATCH_DOSSIERS = f"""
    INSERT INTO dossiers (rid, {', '.join(_COLUMNS)})
    SELECT :first + d.key, d.value->>'id', coalesce(d.value->>'code', ''),
           coalesce(d.value->>'version', 0), d.value->>'status', d.value->>'step',
           d.value->>'assignee_id', d.value->>'department_id', d.value->>'procedure_name',
           d.value->>'field_name', d.value->>'$.applicant.name', d.value->>'received_at',
           d.value->>'due_at', d.value->>'summary', d.value->>'version', 'synced',
           d.value->>'updated_at', :now, :gen
    FROM jsonb_each(:docs) d"""  # noqa: S608
_BATCH_JSON = """
    INSERT INTO dossier_json (rid, data) SELECT :first + d.key, d.value
    FROM jsonb_each(:docs) d"""  # JSONB, as parsed (json_text reads it)
_BATCH_NOTES = """
    INSERT INTO notes (dossier_id, position, id, client_id, author_name, text, created_at,
                       pending)
    SELECT d.value->>'id', n.key, n.value->>'id', n.value->>'client_id', n.value->>'author_name',
           n.value->>'text', n.value->>'created_at', (n.value->>'id') IS NULL
    FROM jsonb_each(:docs) d, jsonb_each(d.value, '$.notes') n"""
_BATCH_FTS = """
    INSERT OR REPLACE INTO dossier_fts (rowid, code, applicant, procedure, address, summary)
    SELECT :first + key, value->>0, value->>1, value->>2, value->>3, value->>4
    FROM jsonb_each(:fts)"""
_BATCH_NUMBERS = """
    INSERT OR REPLACE INTO dossier_numbers (rid, digits) SELECT :first + value->>0, value->>1
    FROM jsonb_each(:numbers)"""


def _insert_new(db: Database, copies: list[PreparedCopy], snapshot_gen: int,
                batch: PreparedCopies | None = None) -> None:
    """Insert server copies of dossiers that are not cached (a first sync's pages), synced,
    with their JSON, FTS and child rows: one statement per table for the whole batch.
    ``batch``: the prepared page when ``copies`` are exactly its copies, in its order."""
    if not copies:
        return
    first = int(db.execute("SELECT coalesce(max(rid), 0) FROM dossiers").fetchone()[0]) + 1
    # Parsed once; NULL unless strict JSON (NaN, infinity: the plain path, one by one).
    docs = batch.docs if batch is not None else \
        _to_jsonb(f"[{','.join(c.data_json or 'null' for c in copies)}]")
    if docs is None:
        for copy in copies:
            assert copy.data_json is not None  # a page's own text is strict JSON (jsonb)
            doc = json.loads(copy.data_json)
            _write(db, doc, base=doc, local_state="synced", snapshot_gen=snapshot_gen)
        return
    params = {"docs": docs, "first": first, "now": now_iso(), "gen": snapshot_gen}
    for sql in (_BATCH_DOSSIERS, _BATCH_JSON, _BATCH_NOTES):
        db.execute(sql, params)
    fts, numbers = (batch.fts, batch.numbers) if batch is not None else _search_batch(copies)
    db.execute(_BATCH_FTS, {"first": first, "fts": fts})
    db.execute(_BATCH_NUMBERS, {"first": first, "numbers": numbers})


def put_server_copy(db: Database, doc: Mapping[str, Any], *, data: Mapping[str, Any] | None = None,
                    local_state: str | None = None, snapshot_gen: int | None = None) -> PutOutcome:
    """Record ``doc`` (a server document) as the dossier's base (last synced copy).

    Without ``data``: if the dossier has no unsent local edits, ``data`` becomes ``doc`` too
    (``local_state='synced'``) and ``"applied"`` is returned; otherwise NOTHING changes (the
    merge base is kept for the caller's three-way merge) and ``"kept_local"`` is returned.
    With ``data`` (the caller's merge result): base=doc, data=data, local_state (default
    ``'pending'``). A copy older than the stored base is ignored (``"stale"``).
    """
    dossier_id = str(doc["id"])
    held = db.execute("SELECT server_version FROM dossiers WHERE id = ?", [dossier_id]).fetchone()
    if held is not None and held[0] is not None and int(doc.get("version") or 0) < held[0]:
        return "stale"
    if data is None:
        if held is not None and has_unsent_edits(db, dossier_id):
            if snapshot_gen is not None:
                db.execute("UPDATE dossiers SET snapshot_gen = ? WHERE id = ?",
                           [snapshot_gen, dossier_id])
            return "kept_local"
        data, local_state = doc, "synced"
    _write(db, data, base=doc, local_state=local_state or "pending", snapshot_gen=snapshot_gen)
    return "applied"


def set_local_data(db: Database, dossier_id: str, data: Mapping[str, Any],
                   local_state: str = "pending") -> None:
    """Replace the local document (optimistic edit, merge or resolution); the base is kept."""
    if str(data.get("id")) != dossier_id:
        raise ValueError("data['id'] does not match the dossier id")
    if db.execute("SELECT 1 FROM dossiers WHERE id = ?", [dossier_id]).fetchone() is None:
        raise KeyError(dossier_id)
    _write(db, data, base=None, local_state=local_state, snapshot_gen=None)


def set_local_state(db: Database, dossier_id: str, local_state: str) -> None:
    if local_state not in LOCAL_STATES:
        raise ValueError(f"unknown local_state {local_state!r}")
    db.execute("UPDATE dossiers SET local_state = ? WHERE id = ?", [local_state, dossier_id])


def remove_dossier(db: Database, dossier_id: str) -> list[str]:
    """Purge a dossier with its documents rows, notes and FTS row.

    Outbox entries and conflicts are NEVER deleted here (the sync engine marks them rejected).
    Returns the local file names of the removed documents so the caller can delete the files
    after the transaction commits (or let ``Cache.purge_orphan_documents`` do it).
    """
    row = db.execute("SELECT rid FROM dossiers WHERE id = ?", [dossier_id]).fetchone()
    if row is None:
        return []
    files = [r[0] for r in db.execute(
        "SELECT local_name FROM documents WHERE dossier_id = ? AND local_name IS NOT NULL",
        [dossier_id])]
    db.execute("DELETE FROM dossier_fts WHERE rowid = ?", [row[0]])
    db.execute("DELETE FROM dossier_numbers WHERE rid = ?", [row[0]])
    db.execute("DELETE FROM documents WHERE dossier_id = ?", [dossier_id])
    db.execute("DELETE FROM notes WHERE dossier_id = ?", [dossier_id])
    db.execute("DELETE FROM dossier_json WHERE rid = ?", [row[0]])
    db.execute("DELETE FROM dossiers WHERE rid = ?", [row[0]])
    return files


def start_snapshot(db: Database) -> int:
    """Begin a full snapshot: bump the generation every page of it stamps; return it."""
    gen = int(get_state(db, KEY_SNAPSHOT_GEN, 0)) + 1
    set_state(db, KEY_SNAPSHOT_GEN, gen)
    return gen


# The search index during a snapshot: FTS5 writes each transaction's terms as a new segment
# and, by default, merges segments as soon as four share a level - during a first sync every
# page paid for merging the previous ones (10,000 dossiers: 0.6 s of the writer's 2.3 s;
# 50,000: 3.6 s, growing with the index). Incremental merging is paused for the snapshot; only
# FTS5's "crisis" merge still runs, when 16 segments share a level (one merge per 16 pages, so
# each dossier's terms are merged about once). No final "optimize" pass: it cost 0.3 s per
# 10,000 dossiers with nothing else to overlap it, and searching a dozen segments costs
# milliseconds; the usual incremental merging resumes with the next writes.
# FTS5 also flushes its in-memory terms to a new segment whenever they pass ``hashsize``
# (1 MiB by default): a 1,000-dossier page holds several MiB of terms, so each page wrote 3-4
# small segments, 4x the segments to merge later (10,000 dossiers: 34 MB of index before the
# merges instead of 14 MB; the FTS writes 1.1 s instead of 0.85 s; 100,000: 18.4 s instead of
# 13.4 s). A snapshot raises it so a page is one segment; the writer's memory grows by a
# page's terms at most.
SNAPSHOT_FTS_HASH_BYTES = 32 * 1024 * 1024
_FTS_SNAPSHOT = (("automerge", 0), ("crisismerge", 16), ("hashsize", SNAPSHOT_FTS_HASH_BYTES))
_FTS_DEFAULTS = (("automerge", 4), ("crisismerge", 16), ("hashsize", 1024 * 1024))  # FTS5's


def pause_search_merges(db: Database) -> None:
    """No incremental segment merges, one segment per transaction, until
    :func:`resume_search_merges` (a snapshot starts)."""
    for option, value in _FTS_SNAPSHOT:
        db.execute("INSERT INTO dossier_fts (dossier_fts, rank) VALUES (?, ?)", [option, value])


def resume_search_merges(db: Database) -> None:
    """FTS5's usual merging again (incremental, a little with each later write)."""
    for option, value in _FTS_DEFAULTS:
        db.execute("INSERT INTO dossier_fts (dossier_fts, rank) VALUES (?, ?)", [option, value])


# The list's order indexes whose keys arrive in random order during a snapshot (the pages come
# in id order; due dates, codes and names do not): each page's transaction inserted into most
# of their leaf pages, so every commit rewrote - and SQLCipher re-encrypted - nearly all of
# them, a cost growing with the cache (100,000 dossiers: ~6 s of a first sync). A first
# snapshot into an EMPTY cache builds them once at its end instead (CREATE INDEX sorts: ~1 s at
# 100,000). The status, field, local state and generation indexes have few distinct keys, so
# their inserts stay near the end of a few runs; built at the end too, they still cost a first
# sync of 10,000 dossiers ~26 ms less (paired median of 16 interleaved runs); meanwhile a filter
# on them reads the table (~5 ms at 10,000). Same definitions as migration 0001.
DEFERRED_INDEXES = ("due_at", "received_at", "code", "applicant_name", "updated_at", "status",
                    "field_name", "local_state", "snapshot_gen")


def defer_list_indexes(db: Database) -> bool:
    """Drop :data:`DEFERRED_INDEXES` if the cache holds no dossier (a first snapshot starts);
    :func:`restore_list_indexes` rebuilds them. True if dropped. Readers meanwhile order
    without them (``store.listing.sort_indexes`` lists the indexes that exist)."""
    if db.execute("SELECT 1 FROM dossiers LIMIT 1").fetchone() is not None:
        return False
    for column in DEFERRED_INDEXES:
        db.execute(f"DROP INDEX IF EXISTS ix_dossiers_{column}")
    return True


#: The page cache while :func:`restore_list_indexes` builds the deferred indexes: each build
#: scans the whole ``dossiers`` table, which at 100,000 dossiers no longer fits the
#: connection's usual cache, so every scan read and decrypted it again from the file
#: (0.66-0.76 s for the five; with this cache 0.41-0.52 s). Given back when they are built.
INDEX_BUILD_CACHE_KIB = 256 * 1024


def restore_list_indexes(db: Database) -> None:
    """(Re)create any of :data:`DEFERRED_INDEXES` that is missing (a no-op when all exist),
    with a page cache of at least :data:`INDEX_BUILD_CACHE_KIB` meanwhile."""
    existing = {r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dossiers'")}
    missing = [c for c in DEFERRED_INDEXES if f"ix_dossiers_{c}" not in existing]
    if not missing:
        return
    size = int(db.execute("PRAGMA cache_size").fetchone()[0])  # < 0: KiB, > 0: pages
    page = int(db.execute("PRAGMA page_size").fetchone()[0])
    if (-size if size < 0 else size * page // 1024) < INDEX_BUILD_CACHE_KIB:
        db.execute(f"PRAGMA cache_size = -{INDEX_BUILD_CACHE_KIB}")
    try:
        for column in missing:
            db.execute(f"CREATE INDEX IF NOT EXISTS ix_dossiers_{column} ON dossiers({column})")
    finally:
        db.execute(f"PRAGMA cache_size = {size}")


def stale_after_snapshot(db: Database) -> list[str]:
    """Ids of cached dossiers the finished snapshot did not deliver (purge candidates:
    the caller applies the fail-safe before removing them)."""
    gen = int(get_state(db, KEY_SNAPSHOT_GEN, 0))
    return [r[0] for r in db.execute(
        "SELECT id FROM dossiers WHERE snapshot_gen < ? ORDER BY id", [gen])]


def _cached_ids(db: Database, ids: list[str]) -> set[str]:
    """Which of ``ids`` are cached (one query per 500 ids)."""
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update(r[0] for r in db.execute(
            f"SELECT id FROM dossiers WHERE id IN ({', '.join('?' * len(chunk))})",  # noqa: S608
            chunk))
    return found


def apply_server_page(db: Database, upserts: Iterable[Mapping[str, Any]],
                      removals: Iterable[str | Mapping[str, Any]], new_cursor: str | None, *,
                      merge: Merge | None = None,
                      prepared: Mapping[str, PreparedCopy] | None = None) -> PageResult:
    """Apply one pull page; run it as ONE writer task so the page is one transaction.

    Upserts go through :func:`put_server_copy` (stamped with the current snapshot generation);
    for dossiers with unsent edits ``merge(record, theirs)`` decides ``(data, local_state)``.
    Dossiers not cached yet are inserted in one batch, from ``prepared`` (the result of
    :func:`prepare_copies` for this page, if the caller computed it beforehand) when given.
    Removals (ids or ``{"id": ...}``) purge dossiers but keep their outbox entries. The cursor
    is stored last, in the same transaction.
    """
    result = PageResult()
    gen = int(get_state(db, KEY_SNAPSHOT_GEN, 0))
    upserts = list(upserts)
    held = _cached_ids(db, [str(doc["id"]) for doc in upserts])
    fresh: dict[str, Mapping[str, Any]] = {}  # not cached: inserted together (first sync)
    for doc in upserts:
        dossier_id = str(doc["id"])
        if dossier_id not in held:
            older = fresh.get(dossier_id)
            if older is None or int(doc.get("version") or 0) >= int(older.get("version") or 0):
                fresh[dossier_id] = doc  # twice in one page (never expected): the newer wins
            result.applied.append(dossier_id)
            continue
        doc = document_of(doc)  # cached already: compared, merged, written from Python
        outcome = put_server_copy(db, doc, snapshot_gen=gen)
        if outcome == "kept_local" and merge is not None:
            record = get_dossier(db, dossier_id)
            assert record is not None
            data, state = merge(record, dict(doc))
            put_server_copy(db, doc, data=data, local_state=state, snapshot_gen=gen)
            outcome = "applied"
        getattr(result, outcome).append(dossier_id)
    if fresh:
        ready = {dossier_id: copy for dossier_id, copy in (prepared or {}).items()
                 if dossier_id in fresh and copy.version == int(fresh[dossier_id].get("version") or 0)}
        whole = isinstance(prepared, PreparedCopies) and len(ready) == len(prepared) \
            and list(fresh) == prepared.order and prepared.docs is not None
        if not whole:  # what is not in the batch is prepared again with its own text
            ready = {i: c for i, c in ready.items() if c.data_json is not None}
            missing = [document_of(doc) for dossier_id, doc in fresh.items()
                       if dossier_id not in ready]
            ready.update(prepare_copies(missing))
        _insert_new(db, [ready[dossier_id] for dossier_id in fresh], gen,
                    prepared if whole and isinstance(prepared, PreparedCopies) else None)
    for removal in removals:
        dossier_id = str(removal["id"] if isinstance(removal, Mapping) else removal)
        result.removed_files.extend(remove_dossier(db, dossier_id))
        result.removed.append(dossier_id)
    if new_cursor is not None:
        set_state(db, KEY_CURSOR, new_cursor)
    return result


def fill_numbers(db: Database) -> int:
    """Fill ``dossier_numbers`` from every dossier's local document (a migration runs it once,
    when the table is new); returns how many dossiers have numbers."""
    rows = [(rid, _numbers(_s(id_number), _s(phone))) for rid, id_number, phone in db.execute(
        "SELECT rid, data->>'$.applicant.id_number', data->>'$.applicant.phone' "
        "FROM dossier_json")]
    found = [(rid, digits) for rid, digits in rows if digits]
    db.conn.executemany("INSERT OR REPLACE INTO dossier_numbers (rid, digits) VALUES (?, ?)",
                        found)
    return len(found)


def reindex_search(db: Database) -> int:
    """Rebuild every dossier's search row from its local document (after the indexed text
    changed shape); returns how many. A migration runs it once."""
    rows = db.execute(f"SELECT d.rid, {json_text('j.data')} FROM dossiers d JOIN dossier_json j "  # noqa: S608
                      "ON j.rid = d.rid").fetchall()
    for rid, data in rows:
        _write_search_row(db, rid, _fts_values(json.loads(data)))
    return len(rows)
