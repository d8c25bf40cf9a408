"""Document downloads (Range, ETag, If-Range, If-None-Match) and result uploads."""

from __future__ import annotations

import hashlib
import os

import pytest
import requests

from tests.server.util import Client, Peek, login, new_key
from tests.support.server import RunningServer
from wfh_client.domain.filetypes import FILE_NAME_HEADER, encode_file_name


def _a_document(server: RunningServer) -> tuple[Client, str, int, str, int]:
    peek = Peek(server)
    row = peek.one(
        "SELECT u.username, d.id, doc.id, doc.sha256, doc.size FROM documents doc "
        "JOIN dossiers d ON d.id = doc.dossier_id JOIN users u ON u.id = d.assignee_id "
        "WHERE u.role = 'officer' AND d.status != 7 AND doc.size > 100 ORDER BY doc.id LIMIT 1"
    )
    return login(server, row[0]), row[1], row[2], row[3], row[4]


def test_full_download_matches_its_sha256(server: RunningServer) -> None:
    c, dossier_id, doc_id, sha, size = _a_document(server)
    r = c.get(f"/api/v1/dossiers/{dossier_id}/documents/{doc_id}/content")
    assert r.status_code == 200
    assert hashlib.sha256(r.content).hexdigest() == sha and len(r.content) == size
    assert r.headers["ETag"] == f'"{sha}"'
    assert r.headers["X-Content-SHA256"] == sha
    assert r.headers["Accept-Ranges"] == "bytes"


def test_range_requests_resume_to_the_same_bytes(server: RunningServer) -> None:
    c, dossier_id, doc_id, sha, size = _a_document(server)
    url = f"/api/v1/dossiers/{dossier_id}/documents/{doc_id}/content"
    first = c.get(url, headers={"Range": "bytes=0-49"})
    assert first.status_code == 206
    assert first.headers["Content-Range"] == f"bytes 0-49/{size}"
    assert len(first.content) == 50
    rest = c.get(url, headers={"Range": "bytes=50-", "If-Range": f'"{sha}"'})
    assert rest.status_code == 206 and rest.headers["Content-Range"] == f"bytes 50-{size - 1}/{size}"
    assert hashlib.sha256(first.content + rest.content).hexdigest() == sha
    tail = c.get(url, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.headers["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"
    assert (first.content + rest.content)[-10:] == tail.content
    beyond = c.get(url, headers={"Range": f"bytes=10-{size * 10}"})
    assert beyond.status_code == 206 and len(beyond.content) == size - 10


def test_if_range_mismatch_sends_the_whole_document(server: RunningServer) -> None:
    c, dossier_id, doc_id, sha, size = _a_document(server)
    url = f"/api/v1/dossiers/{dossier_id}/documents/{doc_id}/content"
    r = c.get(url, headers={"Range": "bytes=0-9", "If-Range": '"something-else"'})
    assert r.status_code == 200 and len(r.content) == size


@pytest.mark.parametrize("header", ["bytes=999999999-", "bytes=-0", "bytes=5-2", "bytes=99999999999999999999999-"])
def test_unsatisfiable_ranges(server: RunningServer, header: str) -> None:
    c, dossier_id, doc_id, _, _ = _a_document(server)
    r = c.get(f"/api/v1/dossiers/{dossier_id}/documents/{doc_id}/content", headers={"Range": header})
    assert r.status_code == 416 and r.json()["code"] == "document.range_not_satisfiable"


@pytest.mark.parametrize("header", ["items=0-5", "bytes=0-1,5-6", "bytes=abc", "bytes=-"])
def test_ignored_ranges_send_everything(server: RunningServer, header: str) -> None:
    c, dossier_id, doc_id, _, size = _a_document(server)
    r = c.get(f"/api/v1/dossiers/{dossier_id}/documents/{doc_id}/content", headers={"Range": header})
    assert r.status_code == 200 and len(r.content) == size


def test_if_none_match_gives_304(server: RunningServer) -> None:
    c, dossier_id, doc_id, sha, _ = _a_document(server)
    url = f"/api/v1/dossiers/{dossier_id}/documents/{doc_id}/content"
    r = c.get(url, headers={"If-None-Match": f'"{sha}"'})
    assert r.status_code == 304 and r.content == b"" and r.headers["ETag"] == f'"{sha}"'
    assert c.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_unknown_or_foreign_documents_are_404(server: RunningServer) -> None:
    c, dossier_id, doc_id, _, _ = _a_document(server)
    peek = Peek(server)
    foreign = peek.scalar("SELECT id FROM documents WHERE dossier_id != :d LIMIT 1", d=dossier_id)
    r = c.get(f"/api/v1/dossiers/{dossier_id}/documents/{foreign}/content")
    assert r.status_code == 404 and r.json()["code"] == "document.not_found"
    r = c.get(f"/api/v1/dossiers/{dossier_id}/documents/99999999/content")
    assert r.status_code == 404 and r.json()["code"] == "document.not_found"
    r = c.get(f"/api/v1/dossiers/{dossier_id}/documents/99999999999999999999999/content")
    assert r.status_code == 422
    r = c.get(f"/api/v1/dossiers/{dossier_id}/documents/..%2F..%2Fetc%2Fpasswd/content")
    assert r.status_code in (404, 422)


PDF = b"%PDF-1.7\n"


def pdf(size: int) -> bytes:
    """``size`` bytes that start like a PDF (the server checks the magic bytes)."""
    return (PDF + os.urandom(size))[:size]


def _upload(c: Client, dossier_id: str, name: str | None, data: bytes, key: str | None = None,
            **headers: str) -> requests.Response:
    named = {} if name is None else {FILE_NAME_HEADER: encode_file_name(name)}
    return c.post(
        f"/api/v1/dossiers/{dossier_id}/documents", data=data,
        headers={"Idempotency-Key": key or new_key(), "Content-Type": "application/pdf",
                 **named, **headers},
    )


def test_upload_a_result_document(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    c = login(server, username)
    v = peek.dossier(dossier_id).version
    data = pdf(5000)
    key = new_key()
    r = _upload(c, dossier_id, "Kết quả thẩm định.pdf", data, key)
    assert r.status_code == 201, r.text
    body = r.json()
    doc = body["document"]
    assert body["version"] == v + 1
    assert doc["kind"] == "result" and doc["size"] == 5000 and doc["mime"] == "application/pdf"
    assert doc["sha256"] == hashlib.sha256(data).hexdigest() and doc["name"] == "Kết quả thẩm định.pdf"
    assert (server.blob_dir / doc["sha256"]).read_bytes() == data
    again = _upload(c, dossier_id, "Kết quả thẩm định.pdf", data, key)
    assert again.status_code == 201 and again.content == r.content
    assert peek.dossier(dossier_id).version == v + 1
    other = _upload(c, dossier_id, "other.pdf", data, key)
    assert other.status_code == 422 and other.json()["code"] == "idempotency.key_reused"
    got = c.get(f"/api/v1/dossiers/{dossier_id}/documents/{doc['id']}/content")
    assert got.content == data
    dossier = c.get(f"/api/v1/dossiers/{dossier_id}").json()
    assert any(d["id"] == doc["id"] for d in dossier["documents"])
    assert not [p for p in server.blob_dir.iterdir() if p.name.startswith(".upload-")]


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b", "a\\b", "nul\x00byte", "", "  ", "x" * 256, "tab\tname", "..", "new\nline"])
def test_upload_bad_names(server: RunningServer, name: str) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    c = login(server, username)
    fp = peek.fingerprint()
    r = _upload(c, dossier_id, name, pdf(100))
    assert r.status_code == 422 and r.json()["code"] == "document.bad_name", r.text
    assert peek.fingerprint() == fp
    assert not (server.blob_dir.parent / "etc").exists()


def test_upload_missing_name(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    c = login(server, username)
    r = _upload(c, dossier_id, None, pdf(100))
    assert r.status_code == 422 and r.json()["code"] == "document.bad_name"


def test_upload_too_large(clocked_server: RunningServer) -> None:
    server = clocked_server  # max_document_bytes = 64 KiB
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    c = login(server, username)
    fp = peek.fingerprint()
    r = _upload(c, dossier_id, "big.pdf", pdf(64 * 1024 + 1))
    assert r.status_code == 413 and r.json()["code"] == "document.too_large"

    def chunks() -> object:
        yield PDF
        for _ in range(20):
            yield b"y" * 8192

    r = c.post(
        f"/api/v1/dossiers/{dossier_id}/documents", data=chunks(),
        headers={"Idempotency-Key": new_key(), FILE_NAME_HEADER: "chunked.pdf",
                 "Content-Type": "application/pdf"},
    )
    assert r.status_code == 413 and r.json()["code"] == "document.too_large"
    assert peek.fingerprint() == fp
    assert not [p for p in server.blob_dir.iterdir() if p.name.startswith(".upload-")]
    ok = _upload(c, dossier_id, "small.pdf", pdf(1000))
    assert ok.status_code == 201


def test_upload_out_of_scope_and_without_key(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    dep = peek.user(username).department_id
    other = login(server, peek.other_officer(dep, username))
    fp = peek.fingerprint()
    r = _upload(other, dossier_id, "x.pdf", pdf(100))
    assert r.status_code == 404 and r.json()["code"] == "dossier.not_found"
    owner = login(server, username)
    r = owner.post(f"/api/v1/dossiers/{dossier_id}/documents", data=pdf(100),
                   headers={FILE_NAME_HEADER: "x.pdf", "Content-Type": "application/pdf"})
    assert r.status_code == 400 and r.json()["code"] == "idempotency.key_required"
    assert peek.fingerprint() == fp
