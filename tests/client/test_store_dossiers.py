"""Dossier primitives: server copies vs local edits, removal, pages, snapshots, child rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from wfh_client.store.cache import Cache
from wfh_client.store.document_rows import document_rows, get_document_row, set_document_state
from wfh_client.store.dossiers import (
    DossierRecord,
    apply_server_page,
    dossier_ids_with_pending_edits,
    get_dossier,
    put_server_copy,
    remove_dossier,
    set_local_data,
    stale_after_snapshot,
    start_snapshot,
)
from wfh_client.store.listing import Viewer, fetch_rows, mark_seen
from wfh_client.store.outbox import enqueue, entries, mark, record_action
from wfh_client.store.search import search
from wfh_client.store.state import KEY_CURSOR, get_state

Doc = Callable[..., dict[str, Any]]


def test_server_copy_sets_data_and_base(keyless_cache: Cache, dossier_factory: Doc) -> None:
    doc = dossier_factory(1)
    assert keyless_cache.write(lambda db: put_server_copy(db, doc)) == "applied"
    rec = get_dossier(keyless_cache.reader(), doc["id"])
    assert rec is not None
    assert rec.data == doc and rec.base == doc
    assert rec.local_state == "synced" and rec.version == rec.server_version == 1
    assert get_dossier(keyless_cache.reader(), "nope") is None


def test_local_edit_keeps_base_and_is_not_overwritten(keyless_cache: Cache,
                                                      dossier_factory: Doc) -> None:
    doc = dossier_factory(1)
    keyless_cache.write(lambda db: put_server_copy(db, doc))
    mine = {**doc, "status": 9, "step": "approved"}
    keyless_cache.write(lambda db: record_action(db, doc["id"], "approve", {}, 1, mine))
    rec = get_dossier(keyless_cache.reader(), doc["id"])
    assert rec is not None and rec.data == mine and rec.base == doc
    assert rec.local_state == "pending"
    assert keyless_cache.write(dossier_ids_with_pending_edits) == [doc["id"]]
    theirs = {**doc, "version": 2, "summary": "Thay đổi trên máy chủ"}
    # No merge: nothing changes, the merge base stays.
    assert keyless_cache.write(lambda db: put_server_copy(db, theirs)) == "kept_local"
    rec = get_dossier(keyless_cache.reader(), doc["id"])
    assert rec is not None and rec.data == mine and rec.base == doc
    # With the caller's merge result.
    merged = {**theirs, "status": 9, "step": "approved"}
    assert keyless_cache.write(lambda db: put_server_copy(db, theirs, data=merged)) == "applied"
    rec = get_dossier(keyless_cache.reader(), doc["id"])
    assert rec is not None and rec.data == merged and rec.base == theirs
    assert rec.server_version == 2 and rec.local_state == "pending"
    # An older server copy is ignored.
    assert keyless_cache.write(lambda db: put_server_copy(db, doc)) == "stale"


def test_server_copy_replaces_when_edits_are_answered(keyless_cache: Cache,
                                                      dossier_factory: Doc) -> None:
    doc = dossier_factory(1)
    keyless_cache.write(lambda db: put_server_copy(db, doc))
    entry = keyless_cache.write(
        lambda db: record_action(db, doc["id"], "start_review", {}, 1, {**doc, "step": "x"}))
    new = {**doc, "version": 2, "step": "in_review"}

    def applied(db: Any) -> str:
        mark(db, entry.client_id, "applied", server_answer={"version": 2})
        return put_server_copy(db, new, data=new, local_state="synced")

    assert keyless_cache.write(applied) == "applied"
    newer = {**new, "version": 3}
    assert keyless_cache.write(lambda db: put_server_copy(db, newer)) == "applied"
    rec = get_dossier(keyless_cache.reader(), doc["id"])
    assert rec is not None and rec.data == newer == rec.base and rec.local_state == "synced"


def test_remove_dossier_keeps_outbox(keyless_cache: Cache, dossier_factory: Doc) -> None:
    doc = dossier_factory(1)
    keyless_cache.write(lambda db: put_server_copy(db, doc))
    keyless_cache.write(lambda db: set_document_state(db, "doc-1-1", "downloaded",
                                                      downloaded_bytes=1000, local_name="doc-1-1"))
    entry = keyless_cache.write(lambda db: enqueue(db, doc["id"], "note", {"text": "x"}, 1))
    files = keyless_cache.write(lambda db: remove_dossier(db, doc["id"]))
    assert files == ["doc-1-1"]
    db = keyless_cache.reader()
    assert get_dossier(db, doc["id"]) is None
    for table in ("dossiers", "dossier_json", "documents", "notes"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    assert search(db, "nguyen") == []
    assert [e.client_id for e in entries(db)] == [entry.client_id]
    assert keyless_cache.write(lambda w: remove_dossier(w, doc["id"])) == []


def test_children_follow_the_document(keyless_cache: Cache, dossier_factory: Doc) -> None:
    doc = dossier_factory(1)
    keyless_cache.write(lambda db: put_server_copy(db, doc))
    keyless_cache.write(lambda db: set_document_state(db, "doc-1-1", "partial",
                                                      downloaded_bytes=500, local_name="doc-1-1"))
    db = keyless_cache.reader()
    record = get_dossier(db, doc["id"])
    assert record is not None and record.data["history"] == doc["history"]  # no rows: the JSON
    # A local pending note (no server id) shows as pending.
    mine = {**doc, "notes": [*doc["notes"], {"id": None, "author_id": 7, "author_name": "Tôi",
                                             "text": "Ghi chú", "created_at": "2026-01-16T00:00:00Z",
                                             "client_id": "abc"}]}
    keyless_cache.write(lambda w: set_local_data(w, doc["id"], mine))
    notes = db.execute("SELECT text, pending, client_id FROM notes ORDER BY position").fetchall()
    assert notes == [("Đã nhận", 0, None), ("Ghi chú", 1, "abc")]
    # Same sha256: the download progress survives; a new sha256 resets it; gone: row deleted.
    assert get_document_row(db, "doc-1-1")["state"] == "partial"
    v2 = {**doc, "version": 2, "documents": [{**doc["documents"][0], "sha256": "b" * 64},
                                             {"id": "doc-1-2", "name": "kq.pdf", "kind": "result",
                                              "mime": "application/pdf", "size": 5, "sha256": "c" * 64}]}
    keyless_cache.write(lambda w: put_server_copy(w, v2, data=v2, local_state="synced"))
    rows = {r["id"]: r for r in document_rows(db, doc["id"])}
    assert rows["doc-1-1"]["state"] == "remote" and rows["doc-1-1"]["downloaded_bytes"] == 0
    assert rows["doc-1-2"]["state"] == "remote"
    v3 = {**v2, "version": 3, "documents": v2["documents"][1:]}
    keyless_cache.write(lambda w: put_server_copy(w, v3))
    assert [r["id"] for r in document_rows(db, doc["id"])] == ["doc-1-2"]
    with pytest.raises(ValueError):
        keyless_cache.write(lambda w: set_document_state(w, "doc-1-2", "bogus"))
    with pytest.raises(KeyError):
        keyless_cache.write(lambda w: set_document_state(w, "missing", "failed"))


def test_set_local_data_validates(keyless_cache: Cache, dossier_factory: Doc) -> None:
    doc = dossier_factory(1)
    with pytest.raises(KeyError):
        keyless_cache.write(lambda db: set_local_data(db, doc["id"], doc))
    keyless_cache.write(lambda db: put_server_copy(db, doc))
    with pytest.raises(ValueError):
        keyless_cache.write(lambda db: set_local_data(db, "other", doc))
    with pytest.raises(ValueError):
        keyless_cache.write(lambda db: set_local_data(db, doc["id"], doc, "weird"))


def test_apply_server_page_is_one_transaction(keyless_cache: Cache, dossier_factory: Doc) -> None:
    docs = [dossier_factory(i) for i in range(1, 4)]
    result = keyless_cache.write(lambda db: apply_server_page(db, docs, [], "c1"))
    assert result.applied == [d["id"] for d in docs]
    db = keyless_cache.reader()
    assert get_state(db, KEY_CURSOR) == "c1"
    # A failure in the middle of a page leaves neither the upserts nor the cursor.
    bad = [dossier_factory(9), {"no": "id"}]
    with pytest.raises(KeyError):
        keyless_cache.write(lambda w: apply_server_page(w, bad, [docs[0]["id"]], "c2"))
    assert get_state(db, KEY_CURSOR) == "c1"
    assert get_dossier(db, dossier_factory(9)["id"]) is None
    assert get_dossier(db, docs[0]["id"]) is not None


def test_apply_server_page_merges_and_removes(keyless_cache: Cache, dossier_factory: Doc) -> None:
    a, b, c = (dossier_factory(i) for i in (1, 2, 3))
    keyless_cache.write(lambda db: apply_server_page(db, [a, b, c], [], "c1"))
    keyless_cache.write(lambda db: record_action(db, a["id"], "note", {"text": "n"}, 1,
                                                 {**a, "summary": "mine"}))
    seen: list[tuple[DossierRecord, dict[str, Any]]] = []

    def merge(rec: DossierRecord, theirs: dict[str, Any]) -> tuple[dict[str, Any], str]:
        seen.append((rec, theirs))
        return {**theirs, "summary": rec.data["summary"]}, "pending"

    a2, b2 = {**a, "version": 2, "step": "x"}, {**b, "version": 2}
    result = keyless_cache.write(
        lambda db: apply_server_page(db, [a2, b2], [{"id": c["id"]}], "c2", merge=merge))
    assert result.applied == [a["id"], b["id"]] and result.removed == [c["id"]]
    assert seen[0][0].base == a and seen[0][1] == a2
    rec = get_dossier(keyless_cache.reader(), a["id"])
    assert rec is not None and rec.data["summary"] == "mine" and rec.data["step"] == "x"
    assert rec.base == a2
    # Without a merge callback, such a dossier is reported and left alone.
    a3 = {**a, "version": 3}
    result = keyless_cache.write(lambda db: apply_server_page(db, [a3], [], "c3"))
    assert result.kept_local == [a["id"]]


def test_snapshot_generation_finds_dossiers_not_delivered(keyless_cache: Cache,
                                                          dossier_factory: Doc) -> None:
    docs = [dossier_factory(i) for i in range(1, 5)]
    keyless_cache.write(lambda db: apply_server_page(db, docs, [], "c1"))
    keyless_cache.write(start_snapshot)
    keyless_cache.write(lambda db: apply_server_page(db, docs[:2], [], None))
    keyless_cache.write(lambda db: apply_server_page(db, docs[2:3], [], "c9"))
    assert keyless_cache.write(stale_after_snapshot) == [docs[3]["id"]]


@pytest.mark.parametrize("batched", [False, True], ids=["one by one", "first-sync batch"])
def test_a_slip_entry_by_someone_else_marks_the_row_unread(keyless_cache: Cache,
                                                             dossier_factory: Doc,
                                                             batched: bool) -> None:
    """The unread marker reads the history from each dossier's JSON (no history rows): an
    entry after the user last looked, by another actor, marks the row; the user's own entries
    and older ones do not."""
    since = "2026-01-20T00:00:00Z"
    viewer = Viewer(user_id=7, name="Trần Văn Bình", unread_since=since)
    entry = dict(dossier_factory(1)["history"][0], at="2026-01-21T08:00:00Z", action="forward")
    docs = [dossier_factory(n, updated_at="2026-01-21T08:00:00Z") for n in (1, 2, 3, 4)]
    docs[0]["history"] = [*docs[0]["history"], dict(entry, actor_id=3)]  # the head: unread
    docs[1]["history"] = [*docs[1]["history"], dict(entry, actor_id=7)]  # mine
    docs[3]["history"] = [*docs[3]["history"], dict(entry, actor_id=None)]  # the system: unread
    if batched:
        keyless_cache.write(lambda db: apply_server_page(db, docs, [], "c1"))
    else:
        keyless_cache.write(lambda db: [put_server_copy(db, d) for d in docs])
    db = keyless_cache.reader()

    def unread() -> dict[str, int]:
        rows = fetch_rows(db, [r for (r,) in db.execute("SELECT rid FROM dossiers")], viewer)
        return {row[1]: row[-1] for row in rows.values()}

    assert unread() == {docs[0]["id"]: 1, docs[1]["id"]: 0, docs[2]["id"]: 0, docs[3]["id"]: 1}
    keyless_cache.write(lambda w: mark_seen(w, docs[0]["id"], datetime(2026, 1, 22, tzinfo=UTC)))
    assert unread()[docs[0]["id"]] == 0
