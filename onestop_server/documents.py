"""Document content: ranged, resumable downloads and idempotent result uploads.

Blobs live in ``blob_dir/<sha256 hex>``; the path is only ever built from a validated hex digest,
never from a client-supplied name. Downloads answer ``ETag: "<sha256>"``, ``X-Content-SHA256``,
``Accept-Ranges: bytes``, single ``Range`` requests (206 / 416), ``If-Range`` and
``If-None-Match`` (304). Uploads stream to a temporary file while hashing, enforce the size limit
from ``Content-Length`` and while reading, then rename into place atomically.

Uploads are result documents only, and only safe ones: the name comes percent-encoded in the
``X-File-Name`` header (never in the URL, which proxies and access logs record), must not be
empty, a path, a device name or end in a dot or space; its extension must be an allowed
document type, the declared ``Content-Type`` one of that type's MIME types and the first bytes
of the content that type's magic (``wfh_client.domain.filetypes``, shared with the client); no
empty files; and only while the dossier is processed or its result is ready
(``wfh_client.domain.workflow.may_attach_result``). The write runs through
``idempotency.run_keyed``: scope before replay, concurrent identical uploads get one answer.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi import Path as PathParam
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Connection, Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from onestop_server import db, idempotency, serialize
from onestop_server.auth import CurrentUser, CurrentUserDep
from onestop_server.deps import Settings, get_clock, get_engine, get_settings
from onestop_server.errors import ApiError
from onestop_server.reads import DossierId
from onestop_server.scope import in_scope, load_visible, not_found
from wfh_client.domain.filetypes import (
    FILE_NAME_HEADER,
    FILE_TYPES,
    HEAD_BYTES,
    FileType,
    FileTypeError,
    check_upload,
    decode_file_name,
    file_type_of,
)
from wfh_client.domain.text import forbidden_character
from wfh_client.domain.workflow import may_attach_result

router = APIRouter(tags=["documents"])

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
MIME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}$")
RANGE = re.compile(r"^bytes=([0-9]*)-([0-9]*)$")
DIGITS = re.compile(r"^[0-9]{1,20}$")
CHUNK = 64 * 1024
DocId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]


def _doc_not_found() -> ApiError:
    return ApiError(404, "document.not_found", "Unknown document.")


def blob_path(blob_dir: Path, sha256: str) -> Path:
    if not SHA256_HEX.fullmatch(sha256):
        raise _doc_not_found()
    return blob_dir / sha256


def _read(path: Path, start: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as f:
        f.seek(start)
        left = length
        while left > 0:
            chunk = f.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


def _etag_matches(header: str, etag: str) -> bool:
    for candidate in header.split(","):
        c = candidate.strip()
        if c == "*" or c.removeprefix("W/") == etag:
            return True
    return False


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """``(start, end)`` inclusive for a single ``bytes=`` range; ``None`` to ignore the header.

    Raises 416 for a well-formed range that cannot be satisfied.
    """
    m = RANGE.fullmatch(header.strip())
    if m is None or (not m.group(1) and not m.group(2)):
        return None  # another unit, several ranges or garbage: serve the whole content
    first, last = m.group(1), m.group(2)
    if len(first) > 19 or len(last) > 19:
        raise _unsatisfiable(size)
    if not first:  # suffix: the last n bytes
        n = int(last)
        if n == 0 or size == 0:
            raise _unsatisfiable(size)
        return max(0, size - n), size - 1
    start = int(first)
    end = size - 1 if not last else min(int(last), size - 1)
    if start >= size or (last and int(last) < start):
        raise _unsatisfiable(size)
    return start, end


def _unsatisfiable(size: int) -> ApiError:
    return ApiError(
        416, "document.range_not_satisfiable", "The requested range cannot be satisfied.",
        {"size": size},
    )


@router.get("/api/v1/dossiers/{dossier_id}/documents/{doc_id}/content", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}, 206: {"description": "partial"},
                       304: {"description": "not modified"}, 416: {"description": "bad range"}})
def download(
    dossier_id: DossierId,
    doc_id: DocId,
    request: Request,
    user: CurrentUserDep,
    engine: Annotated[Engine, Depends(get_engine)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    doc = db.documents
    with engine.connect() as conn:
        load_visible(conn, user, dossier_id)
        row = conn.execute(
            select(doc.c.sha256, doc.c.mime, doc.c.size, doc.c.name).where(
                and_(doc.c.id == doc_id, doc.c.dossier_id == dossier_id)
            )
        ).one_or_none()
    if row is None:
        raise _doc_not_found()
    path = blob_path(settings.blob_dir, row.sha256)
    try:
        size = path.stat().st_size
    except OSError:
        raise _doc_not_found() from None
    etag = f'"{row.sha256}"'
    # no-transform: neither our JSON compression nor a proxy may re-encode the bytes (Range
    # offsets, Content-Length and the ETag are those of the stored file).
    headers = {"ETag": etag, "X-Content-SHA256": row.sha256, "Accept-Ranges": "bytes",
               "Cache-Control": "no-transform"}
    inm = request.headers.get("if-none-match")
    if inm is not None and _etag_matches(inm, etag):
        return Response(status_code=304, headers=headers)
    media = row.mime if MIME.fullmatch(row.mime or "") else "application/octet-stream"
    byte_range: tuple[int, int] | None = None
    range_header = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if range_header is not None and (if_range is None or if_range.strip() == etag):
        byte_range = parse_range(range_header, size)
    if byte_range is None:
        headers["Content-Length"] = str(size)
        return StreamingResponse(_read(path, 0, size), media_type=media, headers=headers)
    start, end = byte_range
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    headers["Content-Length"] = str(end - start + 1)
    return StreamingResponse(
        _read(path, start, end - start + 1), status_code=206, media_type=media, headers=headers
    )


_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                     *(f"lpt{i}" for i in range(10))}


def _bad_name() -> ApiError:
    return ApiError(
        422, "document.bad_name",
        "The file name must be 1-255 characters without path separators, '..' or control "
        "characters, sent percent-encoded (UTF-8) in the X-File-Name header.",
    )


def decode_name_header(values: list[str]) -> str | None:
    """The file name from the one ``X-File-Name`` header, or ``None``."""
    return decode_file_name(values[0]) if len(values) == 1 else None


def check_name(name: str | None) -> str:
    """A safe display name: 1-255 chars, no path separators, '..', control or format
    characters, no trailing dot or space, no Windows device name."""
    if (
        not isinstance(name, str)
        or not name.strip()
        or len(name) > 255
        or "/" in name
        or "\\" in name
        or ".." in name
        or name.strip() in {".", ".."}
        or name.strip() != name.strip().rstrip(". ")
        or name.strip().split(".", 1)[0].lower() in _WINDOWS_RESERVED
        or forbidden_character(name) is not None
        or any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Zl", "Zp"} for ch in name)
    ):
        raise _bad_name()
    return name.strip()


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "document.too_large", f"The document is over {limit} bytes.", {"limit": limit})


def _wrong_status() -> ApiError:
    return ApiError(
        422, "document.wrong_status",
        "A result document may be attached only while the dossier is processed or its result "
        "is ready.",
    )


def _checked_type(name: str, mime: str, head: bytes, size: int) -> FileType:
    try:
        return check_upload(name, mime, head, size)
    except FileTypeError as e:
        raise ApiError(422, e.code, e.message) from None


def _upload_guard(conn: Connection, user: CurrentUser, dossier_id: str) -> None:
    """Scope first, also before a replay (out of scope answers 404, as reads do)."""
    d = db.dossiers
    row = conn.execute(
        select(d.c.department_id, d.c.assignee_id, d.c.status)
        .where(d.c.id == dossier_id).with_for_update()
    ).one_or_none()
    if row is None or not in_scope(user, row.department_id, row.assignee_id, row.status):
        raise not_found()


def _attach(
    conn: Connection, user: CurrentUser, dossier_id: str, name: str, mime: str, tmp: Path,
    sha: str, size: int, blob_dir: Path, now: datetime,
) -> tuple[int, dict[str, Any]]:
    """The upload's effect, inside ``idempotency.run_keyed``'s transaction."""
    d = db.dossiers
    row = conn.execute(select(d).where(d.c.id == dossier_id).with_for_update()).one()
    if not may_attach_result(int(row.status)):
        raise _wrong_status()
    target = blob_path(blob_dir, sha)
    if not target.exists():
        os.replace(tmp, target)  # content-addressed: a rolled-back attempt leaves a valid blob
    doc_id = conn.execute(
        insert(db.documents)
        .values(dossier_id=dossier_id, name=name, kind="result", mime=mime, size=size,
                sha256=sha, created_at=now, uploaded_by=user.id)
        .returning(db.documents.c.id)
    ).scalar_one()
    version = int(row.version) + 1
    conn.execute(update(d).where(d.c.id == dossier_id).values(version=version, updated_at=now))
    db.record_change(
        conn, dossier_id, department_id=row.department_id, assignee_id=row.assignee_id,
        prev_department_id=row.department_id, prev_assignee_id=row.assignee_id, at=now,
    )
    serialize.rebuild_payload(conn, dossier_id)
    document = {"id": int(doc_id), "name": name, "kind": "result", "mime": mime, "size": size, "sha256": sha}
    return 201, {"document": document, "version": version}


UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {t.mime: {"schema": {"type": "string", "format": "binary"}}
                    for t in FILE_TYPES},
    }
}


@router.post(
    "/api/v1/dossiers/{dossier_id}/documents", status_code=201, response_class=Response,
    openapi_extra=UPLOAD_BODY,
    responses={201: {"description": "{document, version}"}, 413: {"description": "too large"},
               422: {"description": "document.bad_name / document.empty / "
                                    "document.type_not_allowed / document.type_mismatch / "
                                    "document.wrong_status / idempotency.key_reused"}},
)
async def upload(
    dossier_id: DossierId,
    request: Request,
    user: CurrentUserDep,
    key: idempotency.IdempotencyKey,
    engine: Annotated[Engine, Depends(get_engine)],
    settings: Annotated[Settings, Depends(get_settings)],
    _file_name: Annotated[str | None, Header(
        alias=FILE_NAME_HEADER, max_length=4096,
        description="The file name, UTF-8 percent-encoded (RFC 3986). Never in the URL: "
                    "names carry personal data and URLs end up in proxy and access logs.",
    )] = None,
) -> Response:
    clean = check_name(decode_name_header(request.headers.getlist(FILE_NAME_HEADER)))
    limit = settings.max_document_bytes
    declared = request.headers.get("content-length")
    if declared is not None and (not DIGITS.fullmatch(declared) or int(declared) > limit):
        raise _too_large(limit)
    ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if file_type_of(clean) is None:  # before reading 20 MiB of something never accepted
        _checked_type(clean, ctype, b"", 1)

    def visible() -> None:
        with engine.connect() as conn:
            row = load_visible(conn, user, dossier_id)
        if not may_attach_result(int(row.status)):
            raise _wrong_status()

    await run_in_threadpool(visible)
    blob_dir = settings.blob_dir
    blob_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".upload-", dir=blob_dir)
    tmp = Path(tmp_name)
    try:
        digest, size, head = hashlib.sha256(), 0, bytearray()
        with os.fdopen(fd, "wb") as out:
            try:
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > limit:
                        raise _too_large(limit)
                    if len(head) < HEAD_BYTES:
                        head += chunk[: HEAD_BYTES - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
            except ClientDisconnect:
                raise ApiError(400, "request.malformed", "The upload was interrupted.") from None
        mime = _checked_type(clean, ctype, bytes(head), size).mime
        sha = digest.hexdigest()
        fp = idempotency.fingerprint(
            "POST", request.url.path,
            idempotency.canonical_json({"name": clean, "mime": mime, "sha256": sha, "size": size}),
        )
        return await run_in_threadpool(
            idempotency.run_keyed, engine, get_clock(request), user_id=user.id, key=key, fp=fp,
            guard=lambda conn: _upload_guard(conn, user, dossier_id),
            effect=lambda conn, now: _attach(conn, user, dossier_id, clean, mime, tmp, sha, size,
                                             blob_dir, now),
            ttl=settings.idempotency_ttl,
        )
    finally:
        tmp.unlink(missing_ok=True)
