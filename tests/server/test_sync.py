"""GET /api/v1/sync/changes over real HTTP: snapshots, incremental pulls, removals, cursors."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from onestop_server import db
from onestop_server.sync_api import compact_changes
from tests.server.util import Client, Peek, login
from tests.support.server import RunningServer

CONTRACT_KEYS = {
    "id", "code", "version", "department_id", "assignee_id", "assignee_name", "status", "step",
    "procedure_code", "procedure_name", "field_code", "field_name", "channel", "applicant",
    "summary", "received_at", "due_at", "original_due_at", "finished_at", "returned_at",
    "result_method", "fees", "clock_stopped_at", "supplement_count", "apology_count",
    "allowed_hours", "late_flag", "proposed_decision",
    "documents", "notes", "history", "updated_at",
}


def pull(client: Client, cursor: str | None = None, limit: int | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if cursor is not None:
        params["cursor"] = cursor
    if limit is not None:
        params["limit"] = limit
    r = client.get("/api/v1/sync/changes", params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert set(body) - {"total"} == {"upserts", "removals", "cursor", "has_more"}
    return body


def snapshot(client: Client, limit: int = 500) -> tuple[dict[str, dict[str, Any]], str, int]:
    """All pages of a full snapshot: (documents by id, final cursor, pages)."""
    docs: dict[str, dict[str, Any]] = {}
    cursor: str | None = None
    pages = 0
    while True:
        page = pull(client, cursor, limit)
        pages += 1
        assert len(page["upserts"]) <= limit
        assert page["removals"] == []
        for d in page["upserts"]:
            assert d["id"] not in docs, "a snapshot sends each dossier once"
            docs[d["id"]] = d
        cursor = page["cursor"]
        if not page["has_more"]:
            return docs, cursor, pages


def follow(client: Client, mirror: dict[str, int], cursor: str, limit: int = 500) -> str:
    """Apply incremental pages to ``mirror`` (id -> version) until has_more is false."""
    while True:
        page = pull(client, cursor, limit)
        assert len(page["upserts"]) + len(page["removals"]) <= limit
        for d in page["upserts"]:
            mirror[d["id"]] = d["version"]
        for rem in page["removals"]:
            mirror.pop(rem["id"], None)
        cursor = page["cursor"]
        if not page["has_more"]:
            return cursor


def scope_ids(peek: Peek, *, department: str | None = None, assignee: int | None = None) -> set[str]:
    if department is not None:
        rows = peek.rows("SELECT id FROM dossiers WHERE department_id = :d AND status != 7", d=department)
    else:
        rows = peek.rows("SELECT id FROM dossiers WHERE assignee_id = :a AND status != 7", a=assignee)
    return {r.id for r in rows}


def cursor_of(*parts: str | int) -> str:
    raw = ":".join(["v1", *(str(p) for p in parts)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def note(client: Client, dossier_id: str, text: str = "Ghi chú kiểm thử") -> dict[str, Any]:
    r = client.action(dossier_id, "note", 0, {"text": text})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def assignable(peek: Peek) -> Any:
    """A dossier an officer holds that its head may reassign, plus another officer."""
    row = peek.one(
        "SELECT d.id, d.version, d.department_id, d.assignee_id, u.username FROM dossiers d "
        "JOIN users u ON u.id = d.assignee_id WHERE d.status = 4 "
        "AND d.step IN ('assigned', 'in_review') ORDER BY d.code LIMIT 1"
    )
    other = peek.one(
        "SELECT id, username FROM users WHERE role = 'officer' AND department_id = :d "
        "AND id != :a ORDER BY id LIMIT 1", d=row.department_id, a=row.assignee_id,
    )
    head = peek.one(
        "SELECT username FROM users WHERE role = 'head' AND department_id = :d", d=row.department_id
    )
    return row, other, head.username


# ---- snapshots ---------------------------------------------------------------------------------


def test_head_snapshot_pages_cover_the_department(server: RunningServer) -> None:
    head = login(server, "truongphong.mytho")
    expected = scope_ids(Peek(server), department="ubnd-mytho")
    assert len(expected) > 5
    first = pull(head, limit=5)
    assert first["has_more"] is True and len(first["upserts"]) == 5
    docs, cursor, pages = snapshot(head, limit=5)
    assert set(docs) == expected
    assert pages == -(-len(expected) // 5) or pages == len(expected) // 5 + 1
    for d in docs.values():
        assert set(d) == CONTRACT_KEYS
        assert d["department_id"] == "ubnd-mytho" and d["status"] != 7
    # the final cursor is incremental: nothing changed since, so an empty, tiny page
    r = head.get("/api/v1/sync/changes", params={"cursor": cursor})
    assert r.status_code == 200
    assert r.json() == {"upserts": [], "removals": [], "cursor": r.json()["cursor"], "has_more": False}
    assert len(r.content) < 512
    assert r.headers["content-type"].startswith("application/json")


def test_officer_sees_only_their_dossiers_and_admin_none(server: RunningServer) -> None:
    peek = Peek(server)
    officer = login(server, "cv.tnmt1")
    docs, _, _ = snapshot(officer)
    assert docs, "the first officer of each department has work"
    assert set(docs) == scope_ids(peek, assignee=officer.user["id"])
    assert all(d["assignee_id"] == officer.user["id"] for d in docs.values())
    head = login(server, "truongphong.nn")
    head_docs, _, _ = snapshot(head)
    assert head_docs and all(d["department_id"] == "snn" for d in head_docs.values())
    admin = login(server, "admin")
    page = pull(admin)
    assert page["upserts"] == [] and page["removals"] == [] and page["has_more"] is False


def test_withdrawn_dossiers_are_in_nobodys_scope(server: RunningServer) -> None:
    peek = Peek(server)
    withdrawn = {r.id for r in peek.rows("SELECT id FROM dossiers WHERE status = 7")}
    for username in ("truongphong.nn", "truongphong.tnmt", "truongphong.mytho"):
        docs, _, _ = snapshot(login(server, username))
        assert not withdrawn & set(docs)


def test_change_during_a_snapshot_comes_again_afterwards(server: RunningServer) -> None:
    officer_name = "cv.mytho1"
    officer = login(server, officer_name)
    page = pull(officer, limit=1)
    assert page["has_more"], "cv.mytho1 has more than one dossier"
    first_id = page["upserts"][0]["id"]
    note(officer, first_id, "Trong lúc đồng bộ")  # changed after the snapshot started
    cursor = page["cursor"]
    while True:
        page = pull(officer, cursor, 1)
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    later = pull(officer, cursor)
    assert [d["id"] for d in later["upserts"]] == [first_id]
    assert later["upserts"][0]["notes"][-1]["text"] == "Trong lúc đồng bộ"


# ---- incremental -------------------------------------------------------------------------------


def test_incremental_after_a_note_returns_just_that_dossier(server: RunningServer) -> None:
    officer = login(server, "cv.nn1")
    head = login(server, "truongphong.nn")
    docs, cursor, _ = snapshot(officer)
    _, head_cursor, _ = snapshot(head)
    target = sorted(docs)[0]
    answer = note(officer, target, "Đã gọi điện cho công dân")
    page = pull(officer, cursor)
    assert [d["id"] for d in page["upserts"]] == [target]
    assert page["removals"] == [] and page["has_more"] is False
    assert page["upserts"][0]["version"] == answer["version"]
    assert page["upserts"][0]["notes"][-1]["text"] == "Đã gọi điện cho công dân"
    assert [d["id"] for d in pull(head, head_cursor)["upserts"]] == [target]
    # and the cursor moved on: pulling again is empty
    assert pull(officer, page["cursor"])["upserts"] == []


def test_pages_carry_the_stored_documents_byte_for_byte(server: RunningServer) -> None:
    """Pages are built from the payloads' UTF-8 bytes as the database holds them (not decoded
    and encoded again): a note with Vietnamese, a backslash, quotes and a character outside
    the BMP arrives exactly as stored, in an incremental and in a snapshot page. On
    PostgreSQL a plain cast to bytea would read the backslash as an escape."""
    officer = login(server, "cv.nn1")
    docs, cursor, _ = snapshot(officer)
    target = sorted(docs)[0]
    text = 'Đã gọi \\ "công dân"\tC:\\hồ sơ\\nộp.pdf 😀 \u2028 xong'
    note(officer, target, text)
    stored = str(Peek(server).one("SELECT payload FROM dossiers WHERE id = :i", i=target).payload)
    assert "C:\\\\h" in stored and "😀" in stored  # JSON-escaped backslash, raw UTF-8
    incremental = officer.get("/api/v1/sync/changes", params={"cursor": cursor})
    assert incremental.status_code == 200
    assert stored.encode("utf-8") in incremental.content
    assert incremental.json()["upserts"][0]["notes"][-1]["text"] == text
    whole = officer.get("/api/v1/sync/changes", params={"limit": 2000})  # a snapshot's page
    assert whole.json()["has_more"] is False
    assert stored.encode("utf-8") in whole.content
    again = [d for d in whole.json()["upserts"] if d["id"] == target]
    assert again[0]["notes"][-1]["text"] == text


def test_reassignment_removes_for_the_old_officer_and_adds_for_the_new(server: RunningServer) -> None:
    peek = Peek(server)
    row, other, head_name = assignable(peek)
    old = login(server, row.username)
    new = login(server, other.username)
    head = login(server, head_name)
    _, old_cursor, _ = snapshot(old)
    new_docs, new_cursor, _ = snapshot(new)
    assert row.id not in new_docs
    _, head_cursor, _ = snapshot(head)
    r = head.action(row.id, "assign", row.version, {"assignee_id": other.id})
    assert r.status_code == 200, r.text
    old_page = pull(old, old_cursor)
    assert old_page["removals"] == [{"id": row.id}]
    assert old_page["upserts"] == []
    new_page = pull(new, new_cursor)
    assert [d["id"] for d in new_page["upserts"]] == [row.id]
    assert new_page["upserts"][0]["assignee_id"] == other.id
    assert new_page["removals"] == []
    head_page = pull(head, head_cursor)
    assert [d["id"] for d in head_page["upserts"]] == [row.id] and head_page["removals"] == []


def test_small_pages_converge_to_the_snapshot(server: RunningServer) -> None:
    """Many changes (one dossier twice, one reassigned away and back) pulled one item a page."""
    peek = Peek(server)
    row, other, head_name = assignable(peek)
    old = login(server, row.username)
    head = login(server, head_name)
    docs, cursor, _ = snapshot(old)
    mirror = {k: v["version"] for k, v in docs.items()}
    ids = sorted(docs)
    for dossier_id in ids[:3]:
        note(old, dossier_id)
    note(old, ids[0], "lần hai")
    version = peek.one("SELECT version FROM dossiers WHERE id = :i", i=row.id).version
    r = head.action(row.id, "assign", version, {"assignee_id": other.id})
    assert r.status_code == 200, r.text
    mid = pull(old, cursor, 1)  # a removal may come on a 1-item page
    assert len(mid["upserts"]) + len(mid["removals"]) == 1
    r = head.action(row.id, "assign", r.json()["version"], {"assignee_id": row.assignee_id})
    assert r.status_code == 200, r.text
    seen: list[str] = []
    cur = cursor
    while True:
        page = pull(old, cur, 1)
        seen += [d["id"] for d in page["upserts"]]
        for d in page["upserts"]:
            mirror[d["id"]] = d["version"]
        for rem in page["removals"]:
            mirror.pop(rem["id"], None)
        cur = page["cursor"]
        if not page["has_more"]:
            break
    assert len(seen) == len(set(seen)), "a dossier changed twice comes once"
    fresh, _, _ = snapshot(old)
    assert mirror == {k: v["version"] for k, v in fresh.items()}


# ---- cursors and limits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cursor", ["garbage!!", "djE6czo", cursor_of("s", "x"), cursor_of("s", 10**9), cursor_of("q", 1),
               cursor_of("n", 1), cursor_of("n", 10**9, "abc")],
)
def test_bad_cursors_require_a_resync(server: RunningServer, cursor: str) -> None:
    officer = login(server, "cv.mytho1")
    r = officer.get("/api/v1/sync/changes", params={"cursor": cursor})
    assert r.status_code == 410, r.text
    assert r.json()["code"] == "sync.resync_required"


def test_compacted_cursor_requires_a_resync(server: RunningServer) -> None:
    officer = login(server, "cv.mytho1")
    page = pull(officer, limit=1)
    snapshot_cursor = page["cursor"]  # a snapshot in progress, started at the log head
    _, cursor, _ = snapshot(officer)
    note(officer, page["upserts"][0]["id"])
    engine = db.make_engine(server.database_url)
    try:
        with db.write_transaction(engine) as conn:
            head = db.max_seq(conn)
            compact_changes(conn, head)
    finally:
        engine.dispose()
    for old in (cursor, snapshot_cursor):
        r = officer.get("/api/v1/sync/changes", params={"cursor": old})
        assert r.status_code == 410 and r.json()["code"] == "sync.resync_required"
    _, fresh_cursor, _ = snapshot(officer)  # a new snapshot works and continues
    assert pull(officer, fresh_cursor)["upserts"] == []
    note(officer, page["upserts"][0]["id"], "sau khi nén nhật ký")
    assert [d["id"] for d in pull(officer, fresh_cursor)["upserts"]] == [page["upserts"][0]["id"]]


@pytest.mark.parametrize("limit", ["0", "2001", "-1", "abc", "1.5"])
def test_limit_out_of_bounds_is_invalid(server: RunningServer, limit: str) -> None:
    head = login(server, "truongphong.tnmt")
    r = head.get("/api/v1/sync/changes", params={"limit": limit})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "request.invalid"


def test_limit_bounds_are_accepted_and_auth_is_required(server: RunningServer) -> None:
    head = login(server, "truongphong.tnmt")
    assert len(pull(head, limit=1)["upserts"]) == 1
    assert pull(head, "", 1)["has_more"] is True  # an empty cursor is no cursor
    docs = pull(head, limit=2000)
    assert docs["has_more"] is False
    import requests

    r = requests.get(server.url + "/api/v1/sync/changes", timeout=10)
    assert r.status_code == 401


def test_snapshot_pages_announce_their_total_for_progress(server: RunningServer) -> None:
    head = login(server, Peek(server).head_of("stnmt"))
    scope = Peek(server).scalar(
        "SELECT count(*) FROM dossiers WHERE department_id = 'stnmt' AND status != 7")
    page = pull(head, limit=5)
    assert page["total"] == scope and len(page["upserts"]) == 5
    while page["has_more"]:
        page = pull(head, cursor=page["cursor"], limit=5)
        assert page["total"] == scope
    assert "total" not in pull(head, cursor=page["cursor"])  # incremental pages: no total


def _cursor_parts(cursor: str) -> list[str]:
    """Test-only peek into the opaque cursor (``v1:n:<S>:<last id>:<total>``)."""
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(":")


def _cursor(*parts: str | int) -> str:
    raw = ":".join(str(p) for p in parts).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_the_snapshot_total_is_counted_once_and_carried_in_the_cursor(
        server: RunningServer) -> None:
    head = login(server, Peek(server).head_of("stnmt"))
    first = pull(head, limit=5)
    version, kind, start, last_id, total = _cursor_parts(first["cursor"])
    assert (version, kind, int(total)) == ("v1", "n", first["total"])
    assert last_id == first["upserts"][-1]["id"]
    # Later pages take the total from the cursor instead of counting the scope again: a
    # cursor carrying another number gets that number back (the pages themselves are the same).
    forged = pull(head, cursor=_cursor("v1", "n", start, last_id, 12345), limit=5)
    honest = pull(head, cursor=first["cursor"], limit=5)
    assert forged["total"] == 12345 and honest["total"] == first["total"]
    assert forged["upserts"] == honest["upserts"]
    assert _cursor_parts(forged["cursor"])[-1] == "12345"  # carried on to the next page


def test_a_snapshot_cursor_without_a_total_still_works(server: RunningServer) -> None:
    # A cursor issued before the total was carried (``v1:n:<S>:<last id>``): counted again.
    head = login(server, Peek(server).head_of("stnmt"))
    first = pull(head, limit=5)
    _, _, start, last_id, _ = _cursor_parts(first["cursor"])
    page = pull(head, cursor=_cursor("v1", "n", start, last_id), limit=5)
    assert page["total"] == first["total"]
    assert page["upserts"] == pull(head, cursor=first["cursor"], limit=5)["upserts"]
