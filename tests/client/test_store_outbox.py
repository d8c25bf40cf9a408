"""Outbox ordering and states, conflicts, export of rejected entries, status counts, sync state."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wfh_client.store.cache import Cache
from wfh_client.store.dossiers import get_dossier, put_server_copy
from wfh_client.store.outbox import (
    enqueue,
    entries,
    export_rejected,
    get_entry,
    mark,
    new_client_id,
    open_conflicts,
    pending_entries,
    prune_applied,
    record_action,
    record_conflict,
    reset_sending,
    resolve_conflict,
)
from wfh_client.store.state import KEY_LAST_SUCCESS_AT, counts, get_state, set_state

Doc = Callable[..., dict[str, Any]]


def test_enqueue_order_and_states(keyless_cache: Cache) -> None:
    made = [keyless_cache.write(lambda db, i=i: enqueue(db, f"d{i % 2}", "note",
                                                        {"text": f"ghi chú {i}"}, i))
            for i in range(5)]
    assert [e.seq for e in made] == sorted(e.seq for e in made)
    assert len({e.client_id for e in made}) == 5 and all(len(e.client_id) == 32 for e in made)
    assert made[0].state == "pending" and made[0].payload == {"text": "ghi chú 0"}
    db = keyless_cache.reader()
    assert [e.client_id for e in pending_entries(db)] == [e.client_id for e in made]
    keyless_cache.write(lambda w: mark(w, made[0].client_id, "sending", attempts=1))
    keyless_cache.write(lambda w: mark(w, made[1].client_id, "invalid",
                                       last_error_code="action.invalid",
                                       last_error_message="bad", server_answer={"reason": "x"}))
    done = keyless_cache.write(lambda w: mark(w, made[2].client_id, "applied",
                                              server_answer={"version": 2}))
    assert done.server_answer == {"version": 2} and done.updated_at >= done.created_at
    # The queue is not blocked by the quarantined entry.
    assert [e.client_id for e in pending_entries(db)] == [made[3].client_id, made[4].client_id]
    assert [e.client_id for e in entries(db, ("invalid",))] == [made[1].client_id]
    assert [e.seq for e in entries(db, dossier_id="d0")] == [made[0].seq, made[2].seq, made[4].seq]
    # Crash recovery: in-flight entries go back to pending, still first in line.
    assert keyless_cache.write(reset_sending) == 1
    assert pending_entries(db)[0].client_id == made[0].client_id
    entry = get_entry(db, made[0].client_id)
    assert entry is not None and entry.attempts == 1
    with pytest.raises(ValueError):
        keyless_cache.write(lambda w: mark(w, made[0].client_id, "lost"))
    with pytest.raises(TypeError):
        keyless_cache.write(lambda w: mark(w, made[0].client_id, "pending", client_id="x"))
    with pytest.raises(KeyError):
        keyless_cache.write(lambda w: mark(w, "missing", "pending"))


def test_record_action_is_atomic(keyless_cache: Cache, dossier_factory: Doc) -> None:
    doc = dossier_factory(1)
    keyless_cache.write(lambda db: put_server_copy(db, doc))
    key = new_client_id()
    note = {"id": None, "author_id": 7, "author_name": "Tôi", "text": "Gọi lại",
            "created_at": "2026-01-16T00:00:00Z", "client_id": key}
    mine = {**doc, "notes": [*doc["notes"], note]}
    entry = keyless_cache.write(lambda db: record_action(db, doc["id"], "note",
                                                        {"text": "Gọi lại"}, 1, mine, client_id=key))
    assert entry.client_id == key and entry.base_version == 1
    db = keyless_cache.reader()
    rec = get_dossier(db, doc["id"])
    assert rec is not None and rec.local_state == "pending" and rec.data["notes"][-1] == note
    # A failing optimistic update leaves no outbox entry behind.
    with pytest.raises(ValueError):
        keyless_cache.write(lambda w: record_action(w, doc["id"], "note", {}, 1,
                                                    {**doc, "id": "other"}))
    assert [e.client_id for e in entries(db)] == [key]


def test_client_id_is_unique(keyless_cache: Cache) -> None:
    keyless_cache.write(lambda db: enqueue(db, "d", "note", {}, 1, client_id="key-1"))
    with pytest.raises(Exception, match="UNIQUE"):
        keyless_cache.write(lambda db: enqueue(db, "d", "note", {}, 1, client_id="key-1"))


def test_rebase_fields(keyless_cache: Cache) -> None:
    e = keyless_cache.write(lambda db: enqueue(db, "d", "start_review", {}, 1))
    r = keyless_cache.write(lambda db: mark(db, e.client_id, "pending", rebase_count=1,
                                            base_version=3, payload={"a": 1}))
    assert (r.rebase_count, r.base_version, r.payload) == (1, 3, {"a": 1})


def test_export_rejected(keyless_cache: Cache, tmp_path: Path) -> None:
    a = keyless_cache.write(lambda db: enqueue(db, "d1", "approve", {"comment": "Đồng ý"}, 1))
    b = keyless_cache.write(lambda db: enqueue(db, "d2", "note", {"text": "x"}, 1))
    keyless_cache.write(lambda db: enqueue(db, "d3", "note", {"text": "y"}, 1))
    keyless_cache.write(lambda db: mark(db, a.client_id, "rejected", last_error_code="action.forbidden"))
    keyless_cache.write(lambda db: mark(db, b.client_id, "invalid"))
    out = tmp_path / "rejected.json"
    assert export_rejected(keyless_cache.reader(), out) == 2
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [e["client_id"] for e in data["entries"]] == [a.client_id, b.client_id]
    assert data["entries"][0]["payload"] == {"comment": "Đồng ý"}
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_conflicts(keyless_cache: Cache) -> None:
    cid = keyless_cache.write(lambda db: record_conflict(db, "d1", "k1", {"v": 1}, {"v": 2}))
    keyless_cache.write(lambda db: record_conflict(db, "d2", None, {}, {}))
    db = keyless_cache.reader()
    assert [c.dossier_id for c in open_conflicts(db)] == ["d1", "d2"]
    first = open_conflicts(db, "d1")[0]
    assert (first.mine, first.theirs, first.client_id) == ({"v": 1}, {"v": 2}, "k1")
    keyless_cache.write(lambda w: resolve_conflict(w, cid, "theirs"))
    assert [c.dossier_id for c in open_conflicts(db)] == ["d2"]
    with pytest.raises(KeyError):
        keyless_cache.write(lambda w: resolve_conflict(w, cid, "mine"))


def test_counts_and_state(keyless_cache: Cache, dossier_factory: Doc) -> None:
    db = keyless_cache.reader()
    empty = counts(db)
    assert (empty.dossiers, empty.pending, empty.conflicts, empty.rejected,
            empty.last_success_at) == (0, 0, 0, 0, None)
    keyless_cache.write(lambda w: [put_server_copy(w, dossier_factory(i)) for i in (1, 2)])
    e = [keyless_cache.write(lambda w: enqueue(w, "d", "note", {}, 1)) for _ in range(4)]
    keyless_cache.write(lambda w: mark(w, e[0].client_id, "sending"))
    keyless_cache.write(lambda w: mark(w, e[1].client_id, "rejected"))
    keyless_cache.write(lambda w: mark(w, e[2].client_id, "applied"))
    keyless_cache.write(lambda w: record_conflict(w, "d", e[3].client_id, {}, {}))
    keyless_cache.write(lambda w: set_state(w, KEY_LAST_SUCCESS_AT, "2026-01-01T00:00:00Z"))
    c = counts(db)
    assert (c.dossiers, c.pending, c.conflicts, c.rejected) == (2, 2, 1, 1)
    assert c.last_success_at == "2026-01-01T00:00:00Z"
    keyless_cache.write(lambda w: set_state(w, "account", {"user": {"id": 7, "name": "Đức"}}))
    assert get_state(db, "account") == {"user": {"id": 7, "name": "Đức"}}
    assert get_state(db, "missing", 5) == 5
    assert keyless_cache.write(lambda w: prune_applied(w, "9999")) == 1


def test_entries_keep_the_dossier_label_and_refused_ones_can_be_dismissed(
        keyless_cache: Cache, dossier_factory: Doc, tmp_path: Path) -> None:
    from wfh_client.store.dossiers import remove_dossier
    from wfh_client.store.outbox import dismiss, needs_attention

    doc = dossier_factory()
    keyless_cache.write(lambda db: put_server_copy(db, doc))
    entry = keyless_cache.write(lambda db: enqueue(db, doc["id"], "note", {"text": "x"}, 1))
    assert (entry.dossier_code, entry.dossier_title) == (doc["code"], doc["procedure_name"])
    keyless_cache.write(lambda db: remove_dossier(db, doc["id"]))  # it left the scope
    keyless_cache.write(lambda db: mark(db, entry.client_id, "rejected",
                                        last_error_code="left_scope"))
    db = keyless_cache.reader()
    (kept,) = needs_attention(db)
    assert kept.dossier_code == doc["code"]  # still named after the dossier is gone
    assert counts(db).rejected == 1
    assert keyless_cache.write(lambda w: dismiss(w, entry.client_id))
    assert not keyless_cache.write(lambda w: dismiss(w, entry.client_id))  # once
    assert needs_attention(keyless_cache.reader()) == []
    assert counts(keyless_cache.reader()).rejected == 0
    assert export_rejected(keyless_cache.reader(), tmp_path / "out.json") == 1  # still exported
