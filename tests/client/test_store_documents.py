"""Encrypted document files: streamed AES-GCM chunks, tamper/truncation detection, resume,
private plaintext temp files."""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from pathlib import Path

import pytest

from wfh_client.store.cache import Cache
from wfh_client.store.documents import CHUNK, HEADER_LEN, STRIDE, DocumentStore
from wfh_client.store.errors import DocumentIntegrityError, DocumentNotFound


@pytest.fixture
def docs(tmp_path: Path) -> DocumentStore:
    return DocumentStore(tmp_path / "documents", secrets.token_bytes(32),
                         copies_dir=tmp_path / "open" / "acc")


def payload(size: int) -> bytes:
    return (b"CONG HOA XA HOI CHU NGHIA VIET NAM - " * (size // 37 + 1))[:size]


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 12345])
def test_round_trip_streamed(docs: DocumentStore, size: int) -> None:
    data = payload(size)
    with docs.writer("doc1", expected_sha256=hashlib.sha256(data).hexdigest()) as w:
        for i in range(0, len(data), 10_000):  # arbitrary write sizes
            w.write(data[i:i + 10_000])
    assert w.sha256 == hashlib.sha256(data).hexdigest()
    assert docs.read_all("doc1") == data
    assert docs.sha256_of("doc1") == hashlib.sha256(data).hexdigest()
    raw = (docs.directory / "doc1.enc").read_bytes()
    if size:
        assert b"CONG HOA" not in raw
    assert stat.S_IMODE(os.stat(docs.directory / "doc1.enc").st_mode) == 0o600


def _file(docs: DocumentStore, doc_id: str = "doc1") -> Path:
    return docs.directory / f"{doc_id}.enc"


def test_tampering_is_detected(docs: DocumentStore) -> None:
    docs.write_bytes("doc1", payload(3 * CHUNK))
    path = _file(docs)
    raw = bytearray(path.read_bytes())
    raw[HEADER_LEN + STRIDE + 100] ^= 1  # one bit in chunk 1
    path.write_bytes(bytes(raw))
    with pytest.raises(DocumentIntegrityError, match="chunk 1"):
        docs.read_all("doc1")


def test_truncation_is_detected(docs: DocumentStore) -> None:
    docs.write_bytes("doc1", payload(3 * CHUNK + 10))
    path = _file(docs)
    raw = path.read_bytes()
    path.write_bytes(raw[:HEADER_LEN + 2 * STRIDE])  # drop the final chunk: ends on chunk 1
    with pytest.raises(DocumentIntegrityError):
        docs.read_all("doc1")
    path.write_bytes(raw[:-5])  # torn final chunk
    with pytest.raises(DocumentIntegrityError):
        docs.read_all("doc1")
    path.write_bytes(raw + b"extra")  # appended data
    with pytest.raises(DocumentIntegrityError):
        docs.read_all("doc1")


def test_reordering_and_swapping_are_detected(docs: DocumentStore) -> None:
    docs.write_bytes("doc1", payload(3 * CHUNK + 10))
    path = _file(docs)
    raw = path.read_bytes()
    c0, c1 = raw[HEADER_LEN:HEADER_LEN + STRIDE], raw[HEADER_LEN + STRIDE:HEADER_LEN + 2 * STRIDE]
    path.write_bytes(raw[:HEADER_LEN] + c1 + c0 + raw[HEADER_LEN + 2 * STRIDE:])
    with pytest.raises(DocumentIntegrityError):
        docs.read_all("doc1")
    docs.write_bytes("doc2", b"other")
    os.replace(_file(docs, "doc2"), _file(docs, "doc3"))  # a file moved to another id
    with pytest.raises(DocumentIntegrityError):
        docs.read_all("doc3")


def test_wrong_key_and_missing(docs: DocumentStore, tmp_path: Path) -> None:
    docs.write_bytes("doc1", b"abc")
    other = DocumentStore(docs.directory, secrets.token_bytes(32), copies_dir=docs.copies_dir)
    with pytest.raises(DocumentIntegrityError):
        other.read_all("doc1")
    with pytest.raises(DocumentNotFound):
        docs.read_all("nope")
    with pytest.raises(ValueError):
        docs.writer("../escape")


def test_sha256_mismatch_discards_the_download(docs: DocumentStore) -> None:
    with pytest.raises(DocumentIntegrityError, match="SHA-256"), \
            docs.writer("doc1", expected_sha256="0" * 64) as w:
        w.write(b"data")
    assert not docs.exists("doc1") and docs.partial_size("doc1") == 0


def test_resume_an_interrupted_download(docs: DocumentStore) -> None:
    data = payload(5 * CHUNK + 777)
    with pytest.raises(ConnectionError), docs.writer("doc1") as w:
        w.write(data[:2 * CHUNK + 500])
        raise ConnectionError("network lost")
    assert not docs.exists("doc1")
    assert docs.partial_size("doc1") == 2 * CHUNK  # the unsealed tail is dropped
    # A crash in the middle of writing a chunk leaves a torn chunk: it is discarded.
    part = docs.directory / "doc1.part"
    with part.open("ab") as fh:
        fh.write(b"\x00" * 1000)
    with docs.writer("doc1", resume=True, expected_sha256=hashlib.sha256(data).hexdigest()) as w:
        assert w.offset == 2 * CHUNK
        w.write(data[w.offset:])  # e.g. an HTTP Range request from offset
    assert docs.read_all("doc1") == data
    assert not part.exists()
    # resume=True without a partial file starts from zero.
    with docs.writer("doc2", resume=True) as w2:
        assert w2.offset == 0
        w2.write(b"x")
    assert docs.read_all("doc2") == b"x"


def test_resume_with_a_damaged_partial_starts_over(docs: DocumentStore) -> None:
    with pytest.raises(RuntimeError), docs.writer("doc1") as w:
        w.write(payload(3 * CHUNK))
        raise RuntimeError
    part = docs.directory / "doc1.part"
    raw = bytearray(part.read_bytes())
    raw[HEADER_LEN + 5] ^= 1  # chunk 0 damaged: nothing can be kept
    part.write_bytes(bytes(raw))
    with docs.writer("doc1", resume=True) as w:
        assert w.offset == 0
        w.write(b"fresh")
    assert docs.read_all("doc1") == b"fresh"


def test_open_plaintext_is_private_and_removed(docs: DocumentStore) -> None:
    data = payload(2 * CHUNK + 3)
    docs.write_bytes("doc1", data)
    with docs.open_plaintext("doc1", name="../Giấy chứng nhận.pdf") as path:
        assert path.read_bytes() == data
        assert path.suffix == ".pdf" and ".." not in path.parts
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert not path.exists() and not path.parent.exists()
    with pytest.raises(KeyError), docs.open_plaintext("doc1") as path2:
        raise KeyError("viewer failed")
    assert not path2.exists()


def test_delete_and_wipe(docs: DocumentStore) -> None:
    docs.write_bytes("doc1", b"1")
    docs.write_bytes("doc2", b"2")
    assert docs.stored_ids() == {"doc1", "doc2"}
    docs.delete("doc1")
    assert not docs.exists("doc1") and docs.exists("doc2")
    docs.wipe()
    assert docs.stored_ids() == set() and docs.directory.exists()


def test_cache_documents_use_a_derived_key(keyless_cache: Cache) -> None:
    keyless_cache.documents.write_bytes("orphan", b"x")
    assert keyless_cache.documents.read_all("orphan") == b"x"
    assert keyless_cache.purge_orphan_documents() == 1
    assert not keyless_cache.documents.exists("orphan")
