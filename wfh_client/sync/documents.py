"""Documents: on-demand and prefetched downloads with Range resume, result uploads.

A download streams into the encrypted :class:`~wfh_client.store.DocumentStore`; an interrupted
one keeps its complete chunks and resumes with ``Range: bytes=<held>-`` guarded by ``If-Range``
(the SHA-256 ETag), so a document that changed meanwhile starts over. The SHA-256 is verified
before the document is marked downloaded; a mismatch deletes it. Result documents are recorded
offline as an ``upload_result`` outbox entry whose bytes wait encrypted in the document store;
they are checked first by the same rules the server applies (``domain.filetypes``: an allowed
document type whose content matches it, not empty; ``domain.workflow.may_attach_result``), and
sent with the name in the ``X-File-Name`` header, never in the URL.
Neighbours: ``engine`` (calls :func:`prefetch` and :func:`upload_result`).
"""

from __future__ import annotations

import errno
import logging
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wfh_client.domain.filetypes import (
    FILE_NAME_HEADER,
    HEAD_BYTES,
    FileTypeError,
    check_upload,
    encode_file_name,
    file_type_of,
)
from wfh_client.domain.workflow import may_attach_result
from wfh_client.store import DocumentIntegrityError
from wfh_client.store import outbox as store_outbox
from wfh_client.store.document_rows import (
    DOC_ID,
    DOCUMENTS_FROM_JSON,
    get_document_row,
    set_document_state,
)
from wfh_client.sync.errors import ApiError, NetworkError

if TYPE_CHECKING:
    from wfh_client.sync.engine import SyncEngine, SyncReport

__all__ = [
    "MAX_UPLOAD_BYTES",
    "download_document",
    "prefetch",
    "queue_result_upload",
    "upload_result",
]

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: Prefetching never leaves less than this free on the disk (the cache, the system and other
#: programs need room; a full disk is how a database write fails).
MIN_FREE_BYTES = 512 * 1024 * 1024
# The documents of the user's dossiers not held whole, from the dossiers' JSON (a documents row
# exists only for one held: store.document_rows), most urgent dossier first, smallest first.
_PREFETCH_SQL = f"""
    SELECT {DOC_ID}, f.value->>'size' AS size, d.id {DOCUMENTS_FROM_JSON}
    WHERE d.assignee_id = ? AND f.type = 'object'
      AND coalesce(l.state, 'remote') IN ('remote', 'partial')
    ORDER BY d.due_at IS NULL, d.due_at, size"""  # noqa: S608 - constants
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")
Progress = Callable[[int, int], None]


def content_path(dossier_id: str, doc_id: str) -> str:
    return f"/api/v1/dossiers/{dossier_id}/documents/{doc_id}/content"


def download_document(engine: SyncEngine, doc_id: str, *, progress: Progress | None = None,
                      cancel: threading.Event | None = None,
                      dossier_id: str | None = None) -> int:
    """Fetch one document into the encrypted store (resuming a partial one); returns the
    bytes transferred. Raises ``DocumentIntegrityError`` if the SHA-256 does not match.
    ``dossier_id``: the dossier listing it, when known (else it is looked up).

    Downloads of one document are serialised (the window and the prefetch may ask at once):
    the second waits and finds the first one's verified file."""
    with engine.cache.documents.lock(doc_id):
        return _download(engine, doc_id, dossier_id, progress, cancel)


def _download(engine: SyncEngine, doc_id: str, dossier_id: str | None,
              progress: Progress | None, cancel: threading.Event | None) -> int:
    cache = engine.cache
    row = get_document_row(cache.reader(), doc_id, dossier_id)
    if row is None:
        raise KeyError(f"document {doc_id} is not in the cache")
    dossier_id = str(row["dossier_id"])
    if row["state"] == "downloaded" and cache.documents.exists(doc_id):
        return 0
    held = cache.documents.partial_size(doc_id) if row["state"] == "partial" else 0
    headers = {"Accept-Encoding": "identity"}
    if held:
        headers["Range"] = f"bytes={held}-"
        headers["If-Range"] = f'"{row["sha256"]}"'
    response = engine.session.request("GET", content_path(row["dossier_id"], doc_id),
                                      headers=headers, stream=True, accept=frozenset({206}))
    resume = held > 0 and response.status_code == 206
    total = int(row["size"] or 0)
    transferred = 0
    writer = cache.documents.writer(doc_id, resume=resume, expected_sha256=row["sha256"])
    try:
        done = writer.offset
        for chunk in response.iter_content(64 * 1024):
            if cancel is not None and cancel.is_set():
                raise InterruptedError("download cancelled")
            writer.write(chunk)
            transferred += len(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
            engine.bus.publish("document.progress", doc_id=doc_id, done=done, total=total)
        writer.finish()
    except DocumentIntegrityError:
        cache.documents.delete(doc_id)
        cache.write(lambda db: set_document_state(db, doc_id, "failed", downloaded_bytes=0,
                                                  dossier_id=dossier_id))
        raise
    except BaseException:
        writer.abort()
        kept = cache.documents.partial_size(doc_id)
        try:  # best effort (on a full disk this write fails too): the first error is raised
            cache.write(lambda db: set_document_state(db, doc_id, "partial",
                                                      downloaded_bytes=kept, local_name=doc_id,
                                                      dossier_id=dossier_id))
        except Exception:  # noqa: BLE001 - see above; a resume re-reads the .part size anyway
            log.warning("could not record the partial download of %s", doc_id, exc_info=True)
        raise
    finally:
        response.close()
    if not cache.documents.exists(doc_id):  # never mark downloaded what is not there
        raise DocumentIntegrityError(f"document {doc_id}: the verified file is missing")
    cache.write(lambda db: set_document_state(db, doc_id, "downloaded",
                                              downloaded_bytes=total, local_name=doc_id,
                                              dossier_id=dossier_id))
    return transferred


def prefetch(engine: SyncEngine, report: SyncReport, cancel: threading.Event) -> None:
    """Download the documents of the dossiers assigned to the user, most urgent first, up to
    ``prefetch_max_bytes`` held locally in total, and never into the last
    :data:`MIN_FREE_BYTES` of the disk: prefetching stops (``report.prefetch_stopped``) instead
    of failing the sync, and the documents are fetched when opened or when space returns."""
    db = engine.cache.reader()
    me = engine.profile().actor.user_id
    held = int(db.execute("SELECT coalesce(sum(size), 0) FROM documents "
                          "WHERE state = 'downloaded'").fetchone()[0])
    budget = engine.prefetch_max_bytes - held
    rows = db.execute(_PREFETCH_SQL, [me]).fetchall()
    todo = []
    for doc_id, size, dossier_id in rows:
        if size is not None and size <= budget:
            todo.append((doc_id, int(size), dossier_id))
            budget -= size
    for done, (doc_id, size, dossier_id) in enumerate(todo):
        if cancel.is_set():
            return
        if free_bytes(engine.cache.documents.directory) < size + MIN_FREE_BYTES:
            report.prefetch_stopped = "low_disk_space"
            log.warning("prefetch stopped: less than %d MiB would be left on the disk",
                        MIN_FREE_BYTES // (1024 * 1024))
            return
        engine.bus.publish("sync.progress", done=done, total=len(todo), phase="documents")
        try:
            report.requests += 1
            report.document_bytes += download_document(engine, doc_id, cancel=cancel,
                                                       dossier_id=dossier_id)
            report.documents += 1
            # an open dossier window shows it held at once (it re-reads on this event)
            engine.bus.publish("dossiers.changed", ids=[dossier_id])
        except (DocumentIntegrityError, ApiError) as exc:
            report.errors.append(f"document {doc_id}: {exc}")
            log.warning("prefetch of document %s failed: %s", doc_id, exc)
        except (NetworkError, InterruptedError):
            return  # offline or cancelled: the partial file resumes next time
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            report.prefetch_stopped = "disk_full"
            log.warning("prefetch stopped: the disk is full")
            return


def free_bytes(path: Path) -> int:
    """Free space on the disk holding ``path`` for this user."""
    return shutil.disk_usage(path).free


def _upload_id(client_id: str) -> str:
    return f"upload-{client_id}"


def queue_result_upload(engine: SyncEngine, dossier_id: str, path: Path,
                        name: str | None = None) -> store_outbox.OutboxEntry:
    """Record a result document for upload (works offline): the bytes are kept encrypted in
    the document store until the outbox sends them.

    Raises ``ValueError`` for a bad name or size, :class:`~wfh_client.domain.filetypes.
    FileTypeError` (a ``ValueError``) for a type the server refuses, and ``ValueError`` with
    code ``document.wrong_status`` when the dossier's status allows no result."""
    name = (name or path.name).strip()
    if not name or len(name) > 255 or _BAD_NAME.search(name) or name in (".", ".."):
        raise ValueError("The file name is empty, too long or contains / \\ or control characters.")
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise ValueError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB.")
    file_type = file_type_of(name)
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    mime = check_upload(name, file_type.mime if file_type else "", head, size).mime
    cache = engine.cache
    record = cache.reader().execute("SELECT server_version, status FROM dossiers WHERE id = ?",
                                    [dossier_id]).fetchone()
    if record is None:
        raise KeyError(f"dossier {dossier_id} is not in the cache")
    if not may_attach_result(int(record[1] or 0)):
        raise FileTypeError("document.wrong_status", "A result document may be attached only "
                            "while the dossier is processed or its result is ready.")
    # The bytes first, then the outbox row: a crash in between leaves an orphan file (pruned
    # later), never a queued upload without its bytes.
    client_id = store_outbox.new_client_id()
    with path.open("rb") as fh, cache.documents.writer(_upload_id(client_id)) as w:
        while chunk := fh.read(64 * 1024):
            w.write(chunk)
    try:
        entry = cache.write(lambda db: store_outbox.enqueue(
            db, dossier_id, "upload_result", {"name": name, "mime": mime, "size": size},
            record[0], client_id=client_id))
    except BaseException:
        cache.documents.delete(_upload_id(client_id))
        raise
    engine.bus.publish("outbox.changed", dossier_id=dossier_id)
    return entry


def upload_result(engine: SyncEngine, entry: store_outbox.OutboxEntry, key: str) -> dict[str, Any]:
    """Send a queued result document; the server answers with the new dossier version."""
    body = engine.cache.documents.read_all(_upload_id(entry.client_id))
    response = engine.session.request(
        "POST", f"/api/v1/dossiers/{entry.dossier_id}/documents", data=body,
        headers={"Idempotency-Key": key, FILE_NAME_HEADER: encode_file_name(entry.payload["name"]),
                 "Content-Type": entry.payload.get("mime") or "application/octet-stream"})
    answer: dict[str, Any] = response.json()
    return {"version": answer.get("version"), "document": answer.get("document")}


def discard_upload_bytes(engine: SyncEngine, entry: store_outbox.OutboxEntry) -> None:
    """Forget the queued bytes once the upload is recorded as applied (not before: a crash in
    between resends them under the same key, which the server answers from its record)."""
    engine.cache.documents.delete(_upload_id(entry.client_id))
