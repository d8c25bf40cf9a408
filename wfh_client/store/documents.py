"""Encrypted document files: streamed AES-256-GCM in 64 KiB chunks (the STREAM construction).

File layout: ``MAGIC (8) | nonce prefix (7 random bytes) | chunk*``. Each chunk holds up to
``CHUNK`` plaintext bytes sealed with AES-GCM (16-byte tag); every chunk except the last is
full. Chunk ``i`` uses nonce ``prefix | i (4 bytes, big endian) | final flag (1 byte)`` and
associated data ``MAGIC | doc id | i | final flag``: reordering, truncation (no final chunk),
appended data, or swapping files between document ids all fail authentication.

A download in progress is ``<id>.part``, holding only full, non-final chunks, so an
interrupted download keeps ``partial_size(id)`` plaintext bytes and resumes with
``writer(id, resume=True)`` (append from ``w.offset``, e.g. with an HTTP ``Range``).
Resuming re-seals the kept chunks under a fresh nonce prefix, so no nonce is ever reused.
A finished file is renamed atomically to ``<id>.enc``.

Decrypted copies (for an external viewer, or saved by the user) are made by
:meth:`DocumentStore.decrypt_copy` into the account's private copies folder (``copies_dir``:
``wfh_client.runtime.open_copies_dir``, 0700, never the shared temp folder), each in its own
0700 sub-folder as a 0600 file, and removed by :meth:`~DocumentStore.remove_copy` /
:meth:`~DocumentStore.clear_copies` (window close, sign-out, start-up, wipe). Only the
account's copies folder is ever emptied, so a copy left by a crash goes at the next start.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import struct
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wfh_client.runtime import ensure_private
from wfh_client.store.errors import DocumentIntegrityError, DocumentNotFound

__all__ = ["CHUNK", "DocumentStore", "DocumentWriter"]

MAGIC = b"WFHDOC1\x00"
PREFIX_LEN = 7
HEADER_LEN = len(MAGIC) + PREFIX_LEN
CHUNK = 64 * 1024
TAG = 16
STRIDE = CHUNK + TAG
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
_UNSAFE_NAME = re.compile(r"[^\w.\- ()\[\]]+")


class _Sealer:
    def __init__(self, key: bytes, doc_id: str, prefix: bytes) -> None:
        self._aead = AESGCM(key)
        self._doc = doc_id.encode()
        self._prefix = prefix

    def _nonce_ad(self, index: int, final: bool) -> tuple[bytes, bytes]:
        tail = struct.pack(">IB", index, int(final))
        return self._prefix + tail, MAGIC + self._doc + tail

    def seal(self, index: int, data: bytes, final: bool) -> bytes:
        nonce, ad = self._nonce_ad(index, final)
        return self._aead.encrypt(nonce, data, ad)

    def open(self, index: int, data: bytes, final: bool) -> bytes:
        nonce, ad = self._nonce_ad(index, final)
        try:
            return self._aead.decrypt(nonce, data, ad)
        except InvalidTag as exc:
            raise DocumentIntegrityError(
                f"document {self._doc.decode()}: chunk {index} failed authentication "
                "(the file was altered, truncated or reordered)") from exc


class DocumentWriter:
    """Streams plaintext into an encrypted ``.part`` file; use as a context manager.

    Normal exit finalises the file (and checks ``expected_sha256`` if given); an exception
    keeps the full chunks written so far for a later ``resume=True``.
    """

    def __init__(self, store: DocumentStore, doc_id: str, resume: bool,
                 expected_sha256: str | None) -> None:
        self._store, self._doc_id, self._expected = store, doc_id, expected_sha256
        self._part = store._path(doc_id, ".part")
        self._hash = hashlib.sha256()
        self._buffer = bytearray()
        self._index = 0
        self.offset = 0  # plaintext bytes stored (complete chunks) when opened
        self.sha256: str | None = None
        old = self._part.with_name(self._part.name + ".old")
        if resume and self._part.exists():
            os.replace(self._part, old)
        prefix = secrets.token_bytes(PREFIX_LEN)
        fd = os.open(self._part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._fh: BinaryIO = os.fdopen(fd, "wb")
        self._fh.write(MAGIC + prefix)
        self._sealer = _Sealer(store._key, doc_id, prefix)
        if old.exists():
            self._carry_over(old)
            old.unlink()
        self.offset = self._index * CHUNK

    def _carry_over(self, old: Path) -> None:
        """Re-seal the verified full chunks of an interrupted file under a fresh nonce prefix
        (never re-using a nonce, even if the resumed bytes differ from a torn chunk)."""
        with old.open("rb") as fh:
            header = fh.read(HEADER_LEN)
            if len(header) != HEADER_LEN or not header.startswith(MAGIC):
                return
            previous = _Sealer(self._store._key, self._doc_id, header[len(MAGIC):])
            while len(chunk := fh.read(STRIDE)) == STRIDE:
                try:
                    plain = previous.open(self._index, chunk, False)
                except DocumentIntegrityError:
                    return
                self._hash.update(plain)
                self._fh.write(self._sealer.seal(self._index, plain, False))
                self._index += 1

    @property
    def written(self) -> int:
        """Plaintext bytes received so far (stored + buffered)."""
        return self._index * CHUNK + len(self._buffer)

    def write(self, data: bytes) -> None:
        self._hash.update(data)
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep >=1 byte back: the last chunk must be final
            self._fh.write(self._sealer.seal(self._index, bytes(self._buffer[:CHUNK]), False))
            del self._buffer[:CHUNK]
            self._index += 1

    def finish(self) -> str:
        """Seal the final chunk, verify the SHA-256, publish ``<id>.enc``; returns the digest."""
        self._fh.write(self._sealer.seal(self._index, bytes(self._buffer), True))
        self._buffer.clear()
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        digest = self._hash.hexdigest()
        if self._expected is not None and digest != self._expected.lower():
            self._part.unlink(missing_ok=True)
            raise DocumentIntegrityError(
                f"document {self._doc_id}: SHA-256 {digest} differs from the expected "
                f"{self._expected}")
        os.replace(self._part, self._store._path(self._doc_id, ".enc"))
        self.sha256 = digest
        return digest

    def abort(self) -> None:
        """Stop, keeping the complete chunks for a resume (the buffered tail is dropped)."""
        if not self._fh.closed:
            self._fh.flush()
            self._fh.close()

    def __enter__(self) -> DocumentWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.finish()
        else:
            self.abort()


class DocumentStore:
    """Encrypted files in ``directory`` under a 256-bit ``key``; ids are server document ids."""

    def __init__(self, directory: Path, key: bytes, *, copies_dir: Path) -> None:
        if len(key) != 32:
            raise ValueError("the documents key must be 32 bytes")
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._key = key
        self.copies_dir = Path(copies_dir)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def lock(self, doc_id: str) -> threading.Lock:
        """The lock that serialises writers of one document in this process (the window
        opening it and the prefetch may both want it): one ``.part`` file, one writer."""
        with self._locks_guard:
            return self._locks.setdefault(doc_id, threading.Lock())

    def _path(self, doc_id: str, suffix: str) -> Path:
        if not _SAFE_ID.match(doc_id) or doc_id.startswith("."):
            raise ValueError(f"unsafe document id {doc_id!r}")
        return self.directory / f"{doc_id}{suffix}"

    def writer(self, doc_id: str, *, resume: bool = False,
               expected_sha256: str | None = None) -> DocumentWriter:
        """A streaming writer; ``resume=True`` appends to an interrupted download if any."""
        return DocumentWriter(self, doc_id, resume, expected_sha256)

    def write_bytes(self, doc_id: str, data: bytes, expected_sha256: str | None = None) -> str:
        with self.writer(doc_id, expected_sha256=expected_sha256) as w:
            w.write(data)
        return w.sha256 or ""

    def exists(self, doc_id: str) -> bool:
        return self._path(doc_id, ".enc").exists()

    def partial_size(self, doc_id: str) -> int:
        """Plaintext bytes held by an interrupted download (0 if none)."""
        part = self._path(doc_id, ".part")
        if not part.exists():
            return 0
        return max(0, (part.stat().st_size - HEADER_LEN) // STRIDE) * CHUNK

    def iter_plaintext(self, doc_id: str) -> Iterator[bytes]:
        """Decrypt chunk by chunk; raises :class:`DocumentIntegrityError` on any tampering."""
        path = self._path(doc_id, ".enc")
        try:
            fh = path.open("rb")
        except FileNotFoundError as exc:
            raise DocumentNotFound(f"document {doc_id} is not stored locally") from exc
        with fh:
            header = fh.read(HEADER_LEN)
            if len(header) != HEADER_LEN or not header.startswith(MAGIC):
                raise DocumentIntegrityError(f"document {doc_id}: not an encrypted document file")
            sealer = _Sealer(self._key, doc_id, header[len(MAGIC):])
            index, chunk = 0, fh.read(STRIDE)
            while True:
                nxt = fh.read(STRIDE)
                final = not nxt
                if len(chunk) < TAG or (not final and len(chunk) != STRIDE):
                    raise DocumentIntegrityError(f"document {doc_id}: truncated chunk {index}")
                yield sealer.open(index, chunk, final)
                if final:
                    return
                index, chunk = index + 1, nxt

    def read_all(self, doc_id: str) -> bytes:
        return b"".join(self.iter_plaintext(doc_id))

    def sha256_of(self, doc_id: str) -> str:
        digest = hashlib.sha256()
        for chunk in self.iter_plaintext(doc_id):
            digest.update(chunk)
        return digest.hexdigest()

    def decrypt_copy(self, doc_id: str, name: str | None = None,
                     target: Path | None = None) -> Path:
        """Decrypt into ``target`` (a path the user chose: the file is created, never
        overwritten) or, by default, into a fresh 0700 folder of :attr:`copies_dir` as a 0600
        file named after ``name`` (the extension viewers rely on). A failure leaves nothing."""
        folder: Path | None = None
        if target is None:
            ensure_private(self.copies_dir)
            folder = Path(tempfile.mkdtemp(prefix="doc-", dir=self.copies_dir))
            safe = _UNSAFE_NAME.sub("_", Path(name or doc_id).name).strip(". ") or "document"
            target = folder / safe[:120]
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                for chunk in self.iter_plaintext(doc_id):
                    out.write(chunk)
        except BaseException:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
            else:
                target.unlink(missing_ok=True)
            raise
        return target

    def remove_copy(self, path: Path) -> None:
        """Remove a copy made by :meth:`decrypt_copy` (its private folder with it)."""
        path = Path(path)
        if path.parent.parent == self.copies_dir:
            shutil.rmtree(path.parent, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)

    def clear_copies(self) -> int:
        """Remove every decrypted copy of this account; returns how many folders went."""
        return remove_copies(self.copies_dir)

    @contextmanager
    def open_plaintext(self, doc_id: str, name: str | None = None) -> Iterator[Path]:
        """A decrypted copy (:meth:`decrypt_copy`) removed on exit."""
        path = self.decrypt_copy(doc_id, name)
        try:
            yield path
        finally:
            self.remove_copy(path)

    def delete(self, doc_id: str) -> None:
        for suffix in (".enc", ".part", ".part.old"):
            self._path(doc_id, suffix).unlink(missing_ok=True)

    def stored_ids(self) -> set[str]:
        return {p.name.rsplit(".", 1)[0] for p in self.directory.iterdir()
                if p.suffix in (".enc", ".part")}

    def wipe(self) -> None:
        """Delete every stored file (the directory itself stays)."""
        for path in self.directory.iterdir():
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def remove_copies(copies_dir: Path) -> int:
    """Delete a copies folder (one account's, or the root of all of them); returns how many
    entries it held. Missing is fine: nothing was decrypted."""
    try:
        entries = list(Path(copies_dir).iterdir())
    except FileNotFoundError:
        return 0
    shutil.rmtree(copies_dir, ignore_errors=True)
    return len(entries)
