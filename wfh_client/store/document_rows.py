"""A dossier's documents: the server's metadata, read from the dossier's JSON, with this
device's download state, kept in the ``documents`` table for the documents it holds.

The dossier's JSON (``dossier_json.data``, ``documents``) is the only copy of each document's
name, kind, type, size and SHA-256. A ``documents`` row exists only for a document this device
has started to download (``partial``, ``downloaded``, ``failed``): :func:`set_document_state`
creates it, copying the metadata it was fetched for. Writing a dossier (``dossiers``) updates
its rows: a new SHA-256 resets the download state to ``'remote'``; a document gone from the
dossier loses its row (its file is then an orphan, deleted by
``Cache.purge_orphan_documents``). ``local_name`` is the file id in the
:class:`~.documents.DocumentStore` (the document id).

Why no row per document: a first sync's 24,000 document rows for 10,000 dossiers were its
costliest statement (~0.2 of the writer's ~1 CPU-s), for metadata the JSON already holds and
a download state that is ``'remote'`` for nearly all of them.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from wfh_client.store.state import now_iso

__all__ = ["DOCUMENTS_FROM_JSON", "DOC_ID", "DOCUMENT_STATES", "document_rows",
           "get_document_row", "set_document_state"]

DOCUMENT_STATES = ("remote", "partial", "downloaded", "failed")
_COLS = ("id", "dossier_id", "name", "kind", "mime", "size", "sha256", "local_name",
         "downloaded_bytes", "state", "updated_at")
#: A document's id as the table keeps it (TEXT), from its JSON ``f`` (a number or a string).
DOC_ID = "CAST(f.value->>'id' AS TEXT)"
#: Each cached dossier ``d`` with each document ``f`` its JSON lists (``f.type = 'object'``
#: for a well-formed one) and that document's row ``l`` if it is held (NULLs otherwise): what
#: the window's list and the prefetch read.
DOCUMENTS_FROM_JSON = f"""
    FROM dossiers d JOIN dossier_json j ON j.rid = d.rid, json_each(j.data, '$.documents') f
    LEFT JOIN documents l ON l.id = {DOC_ID} AND l.dossier_id = d.id"""
# Each document of one dossier, in its JSON's order, with its download state (not held: remote).
_ROWS_SQL = f"""
    SELECT {DOC_ID}, d.id, coalesce(f.value->>'name', ''), f.value->>'kind', f.value->>'mime',
           f.value->>'size', f.value->>'sha256', l.local_name, coalesce(l.downloaded_bytes, 0),
           coalesce(l.state, 'remote'), coalesce(l.updated_at, d.cached_at)
    {DOCUMENTS_FROM_JSON}
    WHERE d.id = ? AND f.type = 'object' {{extra}} ORDER BY f.key"""  # noqa: S608 - constants


def document_rows(db: Database, dossier_id: str) -> list[dict[str, Any]]:
    """The dossier's documents, in its JSON's order, each with :data:`_COLS`."""
    return [dict(zip(_COLS, r, strict=True))
            for r in db.execute(_ROWS_SQL.format(extra=""), [dossier_id])]


def get_document_row(db: Database, doc_id: str,
                     dossier_id: str | None = None) -> dict[str, Any] | None:
    """One document as :func:`document_rows` gives it, or None if no cached dossier lists it.
    Without ``dossier_id``, a document this device holds is found by its row; any other is
    looked for in every dossier's JSON (a scan: pass the dossier when it is known)."""
    if dossier_id is None:
        held = db.execute("SELECT dossier_id FROM documents WHERE id = ?", [doc_id]).fetchone()
        if held is None:
            held = db.execute(f"SELECT d.id {DOCUMENTS_FROM_JSON} WHERE {DOC_ID} = ? LIMIT 1",  # noqa: S608
                              [doc_id]).fetchone()
        if held is None:
            return None
        dossier_id = str(held[0])
    row = db.execute(_ROWS_SQL.format(extra=f"AND {DOC_ID} = ?"), [dossier_id, doc_id]).fetchone()
    return None if row is None else dict(zip(_COLS, row, strict=True))


def set_document_state(db: Database, doc_id: str, state: str, *,
                       downloaded_bytes: int | None = None, local_name: str | None = None,
                       dossier_id: str | None = None) -> None:
    """Record download progress: 'partial' (with bytes held), 'downloaded', 'failed', 'remote'.
    The first record of a document creates its row from the dossier's JSON (``dossier_id``:
    the dossier listing it, when known). ``KeyError`` if no cached dossier lists it."""
    if state not in DOCUMENT_STATES:
        raise ValueError(f"unknown document state {state!r}")
    cur = db.execute(
        "UPDATE documents SET state = ?, downloaded_bytes = coalesce(?, downloaded_bytes), "
        "local_name = CASE WHEN ? = 'remote' THEN NULL ELSE coalesce(?, local_name) END, "
        "updated_at = ? WHERE id = ?",
        [state, downloaded_bytes, state, local_name, now_iso(), doc_id])
    if cur.rowcount == 1:
        return
    row = get_document_row(db, doc_id, dossier_id)
    if row is None:
        raise KeyError(doc_id)
    if state == "remote":  # nothing held: no row says more than the JSON
        return
    db.execute(
        f"INSERT INTO documents ({', '.join(_COLS)}) VALUES ({', '.join('?' * len(_COLS))})",  # noqa: S608
        [row["id"], row["dossier_id"], row["name"], row["kind"], row["mime"], row["size"],
         row["sha256"], local_name, downloaded_bytes or 0, state, now_iso()])
