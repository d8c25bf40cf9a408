"""Result uploads are safe (issue 10.1, 10.7, 9.11): dangerous names and disguised contents are
refused, empty files too, only on statuses that take a result; the file name travels in a
header, never in the URL; concurrent identical uploads get one answer, never a 500."""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

import pytest
import requests

from onestop_server import idempotency
from tests.server.util import Client, Peek, login, new_key
from tests.support.server import RunningServer

FILE_NAME_HEADER = "X-File-Name"  # the contract: percent-encoded UTF-8, never in the URL
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
DOCX = b"PK\x03\x04" + b"\x00" * 64
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def upload(c: Client, dossier_id: str, name: str, data: bytes, mime: str,
           key: str | None = None) -> requests.Response:
    return c.post(f"/api/v1/dossiers/{dossier_id}/documents", data=data, headers={
        "Idempotency-Key": key or new_key(), FILE_NAME_HEADER: quote(name, safe=""),
        "Content-Type": mime})


@pytest.fixture
def officer(server: RunningServer) -> tuple[Client, str, Peek]:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    return login(server, username), dossier_id, peek


@pytest.mark.parametrize("name", [
    "x.pdf.exe", "ho-so.hta", "Giay to.lnk", "mo.js", "chay.bat", "lenh.ps1", "macro.vbs",
    "app.desktop", "cai-dat.sh", "trang.html", "hinh.svg", "bao-cao.docm", "ket-qua.pdf.",
    "ket-qua.pdf. ", "x.pdf:evil.exe", "khong-duoi",
])
def test_dangerous_names_are_refused(officer: tuple[Client, str, Peek], name: str) -> None:
    c, dossier_id, peek = officer
    before = peek.fingerprint()
    r = upload(c, dossier_id, name, PDF, "application/pdf")
    assert r.status_code == 422, r.text
    assert r.json()["code"] in ("document.type_not_allowed", "document.bad_name")
    assert peek.fingerprint() == before


@pytest.mark.parametrize(("name", "data", "mime"), [
    ("ket-qua.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"),  # a Windows program
    ("anh.png", PDF, "image/png"),  # a PDF calling itself an image
    ("ket-qua.pdf", PDF, "application/x-msdownload"),  # declared type of another kind
    ("ket-qua.pdf", PDF, "image/png"),
    ("ghi-chu.txt", b"#!/bin/sh\nrm -rf ~\n", "text/plain"),  # a script named as text
    ("bang.docx", PDF, DOCX_MIME),
])
def test_declared_type_must_match_the_magic_bytes(
        officer: tuple[Client, str, Peek], name: str, data: bytes, mime: str) -> None:
    c, dossier_id, peek = officer
    before = peek.fingerprint()
    r = upload(c, dossier_id, name, data, mime)
    assert r.status_code == 422 and r.json()["code"] == "document.type_mismatch", r.text
    assert peek.fingerprint() == before


def test_allowed_types_are_accepted_with_their_canonical_type(
        officer: tuple[Client, str, Peek]) -> None:
    c, dossier_id, _ = officer
    for name, data, mime in (("Quyết định.pdf", PDF, "application/pdf"),
                             ("so-do.PNG", PNG, "image/png"),
                             ("to-trinh.docx", DOCX, DOCX_MIME),
                             ("ghi-chu.txt", "Kính gửi ông Nguyễn Văn A".encode(), "text/plain")):
        r = upload(c, dossier_id, name, data, mime)
        assert r.status_code == 201, (name, r.text)
        assert r.json()["document"]["mime"] == mime and r.json()["document"]["name"] == name


def test_empty_files_are_refused(officer: tuple[Client, str, Peek]) -> None:
    c, dossier_id, peek = officer
    before = peek.fingerprint()
    r = upload(c, dossier_id, "ket-qua.pdf", b"", "application/pdf")
    assert r.status_code == 422 and r.json()["code"] == "document.empty", r.text
    assert peek.fingerprint() == before


def test_results_only_on_statuses_that_take_one(server: RunningServer) -> None:
    peek = Peek(server)
    row = peek.one(
        "SELECT u.username, d.id FROM dossiers d JOIN users u ON u.id = d.assignee_id "
        "WHERE d.status = 5 AND u.role = 'officer' AND u.disabled_at IS NULL "
        "ORDER BY d.code LIMIT 1")  # awaiting the applicant's documents
    c = login(server, row[0])
    before = peek.fingerprint()
    r = upload(c, row[1], "ket-qua.pdf", PDF, "application/pdf")
    assert r.status_code == 422 and r.json()["code"] == "document.wrong_status", r.text
    assert peek.fingerprint() == before


def test_the_name_travels_in_a_header_not_the_url(officer: tuple[Client, str, Peek]) -> None:
    c, dossier_id, _ = officer
    name = "CCCD Nguyễn Thị Hoa 079301000123.pdf"
    r = upload(c, dossier_id, name, PDF, "application/pdf")
    assert r.status_code == 201 and r.json()["document"]["name"] == name
    assert "079301000123" not in r.request.url and "Hoa" not in (r.request.url or "")
    # a name only in the query string is not accepted any more
    legacy = c.post(f"/api/v1/dossiers/{dossier_id}/documents", params={"name": "a.pdf"},
                    data=PDF, headers={"Idempotency-Key": new_key(),
                                       "Content-Type": "application/pdf"})
    assert legacy.status_code == 422 and legacy.json()["code"] == "document.bad_name"
    bad_encoding = c.post(f"/api/v1/dossiers/{dossier_id}/documents", data=PDF, headers={
        "Idempotency-Key": new_key(), FILE_NAME_HEADER: "%C3%28.pdf",
        "Content-Type": "application/pdf"})
    assert bad_encoding.status_code == 422 and bad_encoding.json()["code"] == "document.bad_name"


def test_concurrent_identical_uploads_get_one_answer(officer: tuple[Client, str, Peek]) -> None:
    c, dossier_id, peek = officer
    version = peek.dossier(dossier_id).version
    data = PDF + os.urandom(200_000)
    key = new_key()
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda _: upload(c, dossier_id, "ket-qua.pdf", data,
                                                 "application/pdf", key), range(12)))
    assert {a.status_code for a in answers} == {201}, {a.text[:120] for a in answers}
    assert len({a.content for a in answers}) == 1
    assert peek.dossier(dossier_id).version == version + 1
    sha = hashlib.sha256(data).hexdigest()
    assert peek.scalar("SELECT COUNT(*) FROM documents WHERE sha256 = :s", s=sha) == 1


def test_a_lost_idempotency_race_replays_the_winner(
        officer: tuple[Client, str, Peek], monkeypatch: pytest.MonkeyPatch) -> None:
    """The race SQLite's write lock hides but PostgreSQL's read committed allows: a request
    misses the other's stored answer and hits the unique key. Injected: the first lookup of
    this key pretends to see nothing, exactly what the loser of the race sees."""
    c, dossier_id, peek = officer
    key = new_key()
    first = upload(c, dossier_id, "ket-qua.pdf", PDF, "application/pdf", key)
    assert first.status_code == 201
    real_lookup = idempotency.lookup
    missed: list[str] = []

    def racing_lookup(conn: Any, user_id: int, k: str, fp: str, *args: Any, **kw: Any) -> Any:
        if k == key and not missed:
            missed.append(k)
            return None
        return real_lookup(conn, user_id, k, fp, *args, **kw)

    monkeypatch.setattr(idempotency, "lookup", racing_lookup)
    again = upload(c, dossier_id, "ket-qua.pdf", PDF, "application/pdf", key)
    assert missed == [key]
    assert again.status_code == 201 and again.content == first.content, again.text
    assert peek.scalar("SELECT COUNT(*) FROM documents WHERE dossier_id = :d AND name = "
                       "'ket-qua.pdf'", d=dossier_id) == 1
