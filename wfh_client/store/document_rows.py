"""The ``documents`` table: server metadata of each dossier document plus local download state.

Rows are created/updated from the dossier document on every write of ``data`` (see
``dossiers``); the download columns (``local_name``, ``downloaded_bytes``, ``state``) survive
those updates unless the server's SHA-256 changes, which resets them to ``'remote'``.
``local_name`` is the file id in the :class:`~.documents.DocumentStore` (the document id).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from wfh_client.store.state import now_iso

__all__ = ["DOCUMENT_STATES", "document_rows", "get_document_row", "set_document_state"]

DOCUMENT_STATES = ("remote", "partial", "downloaded", "failed")
_COLS = ("id", "dossier_id", "name", "kind", "mime", "size", "sha256", "local_name",
         "downloaded_bytes", "state", "updated_at")


def document_rows(db: Database, dossier_id: str) -> list[dict[str, Any]]:
    return [dict(zip(_COLS, r, strict=True)) for r in db.execute(
        f"SELECT {', '.join(_COLS)} FROM documents WHERE dossier_id = ? ORDER BY rowid",  # noqa: S608
        [dossier_id])]


def get_document_row(db: Database, doc_id: str) -> dict[str, Any] | None:
    row = db.execute(f"SELECT {', '.join(_COLS)} FROM documents WHERE id = ?", [doc_id]).fetchone()  # noqa: S608
    return None if row is None else dict(zip(_COLS, row, strict=True))


def set_document_state(db: Database, doc_id: str, state: str, *,
                       downloaded_bytes: int | None = None, local_name: str | None = None) -> None:
    """Record download progress: 'partial' (with bytes held), 'downloaded', 'failed', 'remote'."""
    if state not in DOCUMENT_STATES:
        raise ValueError(f"unknown document state {state!r}")
    cur = db.execute(
        "UPDATE documents SET state = ?, downloaded_bytes = coalesce(?, downloaded_bytes), "
        "local_name = CASE WHEN ? = 'remote' THEN NULL ELSE coalesce(?, local_name) END, "
        "updated_at = ? WHERE id = ?",
        [state, downloaded_bytes, state, local_name, now_iso(), doc_id])
    if cur.rowcount != 1:
        raise KeyError(doc_id)
