"""The sync engine against the real reference server over loopback, the real keyring and a real
SQLCipher cache: first and incremental sync, offline edits, rebased and real conflicts,
reassignment while offline, a lost answer retried with one effect, revocation wipe, fail-safe,
resync, documents and result upload."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import requests

from onestop_server import db as server_db
from onestop_server.sync_api import compact_changes
from tests.client.sync_helpers import SyncClient, client_for
from tests.server.util import Peek
from tests.server.util import login as server_login
from tests.support.server import RunningServer, start_server
from wfh_client.domain import ActionInvalid
from wfh_client.store import DocumentIntegrityError, keys
from wfh_client.store import dossiers as store_dossiers
from wfh_client.store import outbox as store_outbox
from wfh_client.store.document_rows import document_rows, get_document_row
from wfh_client.store.fts import fts_query
from wfh_client.store.listing import ordered_ids, sort_indexes
from wfh_client.store.state import counts
from wfh_client.sync import operations
from wfh_client.sync.documents import download_document, queue_result_upload
from wfh_client.sync.engine import PULL_SWITCH_INTERVAL, MassDeletionRefused, SyncEngine
from wfh_client.sync.errors import DeviceRevoked, NetworkError, ServerUnreachable


def server_docs(server: RunningServer, where: str, **params: Any) -> dict[str, dict[str, Any]]:
    peek = Peek(server)
    return {r[0]: json.loads(r[1]) for r in peek.rows(
        f"SELECT id, payload FROM dossiers WHERE {where}", **params)}


def officer_with_work(server: RunningServer) -> tuple[str, int, str]:
    """(username, user id, department) of the officer with the most in-review dossiers."""
    row = Peek(server).one(
        "SELECT u.username, u.id, u.department_id FROM users u JOIN dossiers d "
        "ON d.assignee_id = u.id WHERE d.status = 4 AND d.step = 'in_review' "
        "GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1")
    return row[0], int(row[1]), row[2]


def in_review_dossier(server: RunningServer, user_id: int) -> str:
    return str(Peek(server).scalar(
        "SELECT id FROM dossiers WHERE assignee_id = :u AND status = 4 AND step = 'in_review' "
        "ORDER BY code LIMIT 1", u=user_id))


def outbox_states(client: SyncClient) -> dict[str, str]:
    return {e.client_id: e.state for e in store_outbox.entries(client.cache.reader())}


@pytest.fixture
def officer(server: RunningServer, tmp_path: Path):
    username, _, _ = officer_with_work(server)
    with client_for(server, username, tmp_path / "officer") as client:
        yield client


def test_first_sync_caches_exactly_the_officers_scope(server: RunningServer,
                                                       officer: SyncClient) -> None:
    report = officer.engine.sync_once()
    expected = server_docs(server, "assignee_id = :u AND status != 7",
                           u=officer.session.user["id"])
    assert expected, "the seeded officer has work"
    assert officer.ids() == set(expected)
    assert report.pulled == len(expected)
    for dossier_id, doc in expected.items():
        assert officer.doc(dossier_id) == doc
    progress = [kw for name, kw in officer.events if name == "sync.progress"]
    assert progress and progress[-1]["done"] == len(expected)
    assert ("sync.finished" in [name for name, _ in officer.events])
    status = counts(officer.cache.reader())
    assert status.dossiers == len(expected) and status.pending == 0
    assert status.last_success_at is not None


def _fts_merging(client: SyncClient) -> tuple[int, int]:
    """(automerge, hashsize) of the search index (no row: FTS5's default)."""
    db = client.cache.reader()

    def value(key: str, default: int) -> int:
        row = db.execute("SELECT v FROM dossier_fts_config WHERE k = ?", [key]).fetchone()
        return default if row is None else int(row[0])

    return value("automerge", 4), value("hashsize", 1024 * 1024)


def test_a_snapshot_pauses_search_merging_until_its_end(server: RunningServer,
                                                        officer: SyncClient) -> None:
    """Incremental segment merging is paused while the pages arrive (each page would otherwise
    merge the previous ones), each page's terms stay in memory until its commit (one segment
    per page), and both are back to FTS5's defaults when the snapshot ends; search finds every
    dossier."""
    officer.engine.page_limit = 3
    during: list[int] = []
    officer.bus.subscribe("sync.progress", lambda **_kw: during.append(_fts_merging(officer)))
    report = officer.engine.sync_once()
    assert report.pages >= 2 and during
    assert set(during) == {(0, store_dossiers.SNAPSHOT_FTS_HASH_BYTES)}
    assert store_dossiers.SNAPSHOT_FTS_HASH_BYTES >= 16 * 1024 * 1024
    assert _fts_merging(officer) == (4, 1024 * 1024)
    db = officer.cache.reader()
    for doc in (officer.doc(i) for i in sorted(officer.ids())):
        assert doc is not None
        code = doc["code"].split(".")[-1]  # e.g. H57-260410-0001
        found = {r[0] for r in db.execute(
            "SELECT d.id FROM dossier_fts f JOIN dossiers d ON d.rid = f.rowid "
            "WHERE dossier_fts MATCH ?", [fts_query(code)])}
        assert doc["id"] in found, code


def _list_indexes(client: SyncClient) -> set[str]:
    return {r[0] for r in client.cache.reader().execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_dossiers_%'")}


def test_a_first_snapshot_builds_the_random_order_list_indexes_at_its_end(
        server: RunningServer, officer: SyncClient) -> None:
    """Into an empty cache, the list indexes whose keys arrive in random order (due date,
    code, name...) are dropped while the pages arrive and built once at the end; meanwhile
    the list still reads every dossier in order, even with the index names it listed before
    the sync. A later resync into the filled cache keeps them."""
    deferred = {f"ix_dossiers_{c}" for c in store_dossiers.DEFERRED_INDEXES}
    before = _list_indexes(officer)
    assert deferred <= before
    known = sort_indexes(officer.cache.reader())  # a list opened before the first sync
    officer.engine.page_limit = 3
    during: list[set[str]] = []
    orders: list[tuple[list[int], list[int]]] = []

    def on_progress(**_kw: Any) -> None:
        during.append(_list_indexes(officer))
        db = officer.cache.reader()
        plain = [r[0] for r in db.execute("SELECT rid FROM dossiers ORDER BY due_at, rid")]
        orders.append((ordered_ids(db, "due", known), plain))

    officer.bus.subscribe("sync.progress", on_progress)
    report = officer.engine.sync_once()
    assert report.pages >= 2 and during
    assert all(not (deferred & names) for names in during)  # none of them while it ran
    assert all(listed == plain and plain for listed, plain in orders)
    assert _list_indexes(officer) == before  # all back, the same names
    plan = " ".join(str(r[-1]) for r in officer.cache.reader().execute(
        "EXPLAIN QUERY PLAN SELECT rid FROM dossiers ORDER BY due_at"))
    assert "ix_dossiers_due_at" in plan

    during.clear()
    officer.engine.sync_once(resync=True)
    assert during and all(deferred <= names for names in during)


def test_pages_are_pulled_with_short_gil_slices_and_the_interval_is_restored(
        server: RunningServer, officer: SyncClient) -> None:
    """While pages are pulled, threads hand the GIL over every 0.5 ms (the writer waits less
    between two statements); the interpreter's own interval comes back afterwards."""
    import sys

    before = sys.getswitchinterval()
    officer.engine.page_limit = 3
    seen: list[float] = []
    officer.bus.subscribe("sync.progress", lambda **_kw: seen.append(sys.getswitchinterval()))
    officer.engine.sync_once()
    assert seen and all(abs(v - PULL_SWITCH_INTERVAL) < 1e-6 for v in seen)
    assert sys.getswitchinterval() == before


def test_pages_are_pulled_without_automatic_garbage_collection(
        server: RunningServer, officer: SyncClient) -> None:
    """The collector's automatic passes (over every parsed page's dicts, which hold no cycle)
    are off while pages are pulled and back on after; a process that had them off keeps them
    off (the GUI app collects on its own timer)."""
    import gc

    officer.engine.page_limit = 3
    seen: list[bool] = []
    officer.bus.subscribe("sync.progress", lambda **_kw: seen.append(gc.isenabled()))
    was_enabled = gc.isenabled()  # off for good once a UI test made the QApplication
    gc.enable()
    try:
        officer.engine.sync_once()
        assert seen and not any(seen)
        assert gc.isenabled()
        gc.disable()
        seen.clear()
        officer.engine.sync_once(resync=True)
        assert seen and not any(seen)
        assert not gc.isenabled()
    finally:
        if was_enabled:
            gc.enable()
        else:
            gc.disable()


def test_incremental_sync_brings_only_what_changed(server: RunningServer,
                                                   officer: SyncClient) -> None:
    officer.engine.sync_once()
    dossier_id = in_review_dossier(server, officer.session.user["id"])
    head = server_login(server, Peek(server).head_of(officer.session.user["department_id"]))
    version = officer.doc(dossier_id)["version"]
    r = head.action(dossier_id, "note", version, {"text": "Anh kiểm tra lại sơ đồ thửa đất."})
    assert r.status_code == 200, r.text

    report = officer.engine.sync_once()
    assert report.pulled == 1 and report.requests == 1
    notes = [n["text"] for n in officer.doc(dossier_id)["notes"]]
    assert "Anh kiểm tra lại sơ đồ thửa đất." in notes

    # Nothing changed: one request, a tiny answer.
    report = officer.engine.sync_once()
    assert report.requests == 1 and report.pulled == 0


def test_offline_edits_are_kept_and_sent_when_the_server_is_back(
        seeded_template: tuple[Path, Path], tmp_path: Path) -> None:
    import shutil

    db_path, blobs = tmp_path / "server.db", tmp_path / "blobs"
    shutil.copy(seeded_template[0], db_path)
    shutil.copytree(seeded_template[1], blobs)
    server = start_server(db_path, blobs)
    port = server.port
    username, user_id, _ = officer_with_work(server)
    with client_for(server, username, tmp_path / "c") as officer:
        officer.engine.sync_once()
        dossier_id = in_review_dossier(server, user_id)
        server.stop()  # the network is gone

        note = operations.record_action(officer.engine, dossier_id, "note",
                                        {"text": "Ghi chú khi mất mạng"})
        submit = operations.record_action(
            officer.engine, dossier_id, "submit_for_approval",
            {"proposed_result": "Đủ điều kiện cấp giấy chứng nhận", "decision": "grant"})
        local = officer.doc(dossier_id)
        assert local["step"] == "submitted_for_approval"  # the expected result, at once
        assert officer.record(dossier_id).local_state == "pending"
        with pytest.raises(NetworkError):
            officer.engine.sync_once()
        assert set(outbox_states(officer).values()) <= {"pending", "sending"}

        server = start_server(db_path, blobs, port=port, clock=server.clock)
        try:
            report = officer.engine.sync_once()
            assert report.applied == 2
            assert outbox_states(officer) == {note.client_id: "applied",
                                              submit.client_id: "applied"}
            theirs = server_docs(server, "id = :i", i=dossier_id)[dossier_id]
            assert theirs["step"] == "submitted_for_approval"
            assert [n["text"] for n in theirs["notes"]].count("Ghi chú khi mất mạng") == 1
            assert officer.doc(dossier_id) == theirs
            assert officer.record(dossier_id).local_state == "synced"
        finally:
            server.stop()


def test_a_conflict_still_valid_on_the_server_is_rebased(server: RunningServer,
                                                         officer: SyncClient) -> None:
    officer.engine.sync_once()
    dossier_id = in_review_dossier(server, officer.session.user["id"])
    entry = operations.record_action(
        officer.engine, dossier_id, "submit_for_approval",
        {"proposed_result": "Đề nghị cấp", "decision": "grant"})
    head = server_login(server, Peek(server).head_of(officer.session.user["department_id"]))
    r = head.action(dossier_id, "note", officer.doc(dossier_id)["version"], {"text": "Lưu ý"})
    assert r.status_code == 200

    report = officer.engine.sync_once()
    assert report.rebased == 1 and report.conflicts == 0
    assert outbox_states(officer)[entry.client_id] == "applied"
    theirs = server_docs(server, "id = :i", i=dossier_id)[dossier_id]
    assert theirs["step"] == "submitted_for_approval"
    assert "Lưu ý" in [n["text"] for n in theirs["notes"]]
    assert officer.doc(dossier_id) == theirs


def test_a_real_conflict_keeps_both_sides_until_the_user_decides(
        server: RunningServer, officer: SyncClient, tmp_path: Path) -> None:
    officer.engine.sync_once()
    dossier_id = in_review_dossier(server, officer.session.user["id"])
    entry = operations.record_action(
        officer.engine, dossier_id, "submit_for_approval",
        {"proposed_result": "Đề nghị cấp", "decision": "grant"})
    later_note = operations.record_action(officer.engine, dossier_id, "note", {"text": "sau"})
    head = server_login(server, Peek(server).head_of(officer.session.user["department_id"]))
    r = head.action(dossier_id, "stop", officer.record(dossier_id).server_version,
                    {"reason": "Hồ sơ giả mạo chữ ký"})
    assert r.status_code == 200, r.text

    report = officer.engine.sync_once()
    assert report.conflicts == 1
    states = outbox_states(officer)
    assert states[entry.client_id] == "conflict"
    assert states[later_note.client_id] == "pending"  # waits behind the conflict
    [conflict] = store_outbox.open_conflicts(officer.cache.reader())
    assert conflict.mine["step"] == "submitted_for_approval"
    assert conflict.theirs["status"] == 8
    assert officer.record(dossier_id).local_state == "conflict"

    operations.take_theirs(officer.engine, conflict.id)
    officer.engine.sync_once()
    states = outbox_states(officer)
    assert states[entry.client_id] == "rejected"  # still visible, exportable
    assert states[later_note.client_id] == "applied"
    assert officer.doc(dossier_id)["status"] == 8
    exported = tmp_path / "rejected.json"
    assert store_outbox.export_rejected(officer.cache.reader(), exported) >= 1
    assert entry.client_id in exported.read_text(encoding="utf-8")


def test_reassignment_while_offline_keeps_the_edit_as_rejected(
        server: RunningServer, officer: SyncClient) -> None:
    officer.engine.sync_once()
    user = officer.session.user
    dossier_id = in_review_dossier(server, user["id"])
    entry = operations.record_action(officer.engine, dossier_id, "note",
                                     {"text": "Đã gọi điện cho công dân"})
    peek = Peek(server)
    head = server_login(server, peek.head_of(user["department_id"]))
    other = peek.user(peek.other_officer(user["department_id"], officer.username))
    version = int(peek.dossier(dossier_id).version)
    r = head.action(dossier_id, "assign", version, {"assignee_id": int(other.id)})
    assert r.status_code == 200, r.text

    report = officer.engine.sync_once()
    assert report.rejected == 1
    assert dossier_id not in officer.ids()
    kept = store_outbox.get_entry(officer.cache.reader(), entry.client_id)
    assert kept is not None and kept.state == "rejected"
    assert kept.payload["text"] == "Đã gọi điện cho công dân"
    assert counts(officer.cache.reader()).rejected == 1


class DropAfterSend:
    """Fault injection: the request reaches the server and is applied, then the connection
    drops before the answer arrives (a real server cannot be made to do this on cue)."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.user = session.user
        self.dropped = 0

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        response = self.session.request(method, path, **kwargs)
        if path.endswith("/actions") and not self.dropped:
            self.dropped += 1
            raise ServerUnreachable("connection reset by peer")
        return response


def test_a_lost_answer_is_retried_with_one_effect(server: RunningServer,
                                                  officer: SyncClient) -> None:
    officer.engine.sync_once()
    dossier_id = in_review_dossier(server, officer.session.user["id"])
    entry = operations.record_action(officer.engine, dossier_id, "note", {"text": "một lần"})
    flaky = SyncEngine(DropAfterSend(officer.session), officer.cache, bus=officer.bus,
                       prefetch_max_bytes=0)
    with pytest.raises(NetworkError):
        flaky.sync_once()
    assert outbox_states(officer)[entry.client_id] == "sending"

    officer.engine.sync_once()
    assert outbox_states(officer)[entry.client_id] == "applied"
    peek = Peek(server)
    assert peek.scalar("SELECT count(*) FROM notes WHERE dossier_id = :d AND text = 'một lần'",
                       d=dossier_id) == 1
    assert [n["text"] for n in officer.doc(dossier_id)["notes"]].count("một lần") == 1


def test_an_invalid_action_is_quarantined_and_the_queue_goes_on(
        server: RunningServer, officer: SyncClient) -> None:
    officer.engine.sync_once()
    user = officer.session.user
    first, second = [r[0] for r in Peek(server).rows(
        "SELECT id FROM dossiers WHERE assignee_id = :u AND status = 4 AND step = 'in_review' "
        "ORDER BY code LIMIT 2", u=user["id"])]
    # The client's own rules refuse an empty reason at once...
    with pytest.raises(ActionInvalid):
        operations.record_action(officer.engine, first, "stop", {"reason": "  "})
    # ...but an entry recorded by an older client version reaches the server, which refuses it.
    bad = store_outbox.enqueue
    entry = officer.cache.write(lambda db: bad(db, first, "stop", {"reason": ""},
                                               officer.record(first).server_version))
    good = operations.record_action(officer.engine, second, "note", {"text": "tiếp tục"})
    report = officer.engine.sync_once()
    assert report.invalid == 1 and report.applied == 1
    quarantined = store_outbox.get_entry(officer.cache.reader(), entry.client_id)
    assert quarantined.state == "invalid" and quarantined.last_error_code == "reason_required"
    assert outbox_states(officer)[good.client_id] == "applied"


def test_revocation_wipes_cache_documents_and_keyring(server: RunningServer,
                                                      tmp_path: Path) -> None:
    username, _, _ = officer_with_work(server)
    wiped: list[str] = []
    holder: dict[str, SyncClient] = {}

    def on_revoked(reason: str) -> None:
        from wfh_client.sync.account import Account, wipe_account

        client = holder["c"]
        client.cache.close()
        wipe_account(client.data_dir, Account(server.url, username), client.session.tokens)
        wiped.append(reason)

    with client_for(server, username, tmp_path / "r", on_revoked=on_revoked,
                    prefetch_max_bytes=10_000_000) as client:
        holder["c"] = client
        client.engine.sync_once()
        paths = client.cache.paths
        assert paths.db.exists() and any(paths.documents.iterdir())
        admin = server_login(server, Peek(server).admin())
        devices = admin.get("/api/v1/admin/devices",
                            params={"user_id": client.session.user["id"]}).json()
        device = next(d for d in (devices.get("devices", devices) if isinstance(devices, dict)
                                  else devices) if d["device_id"] == client.session.device_id)
        r = admin.post(f"/api/v1/admin/devices/{device['id']}/revoke")
        assert r.status_code in (200, 204), r.text

        with pytest.raises(DeviceRevoked):
            client.engine.sync_once()
        assert wiped == ["auth.device_revoked"]
        assert not paths.db.exists() and not paths.documents.exists()
        account = keys.account_id(server.url, username)
        for kind in ("cache-key", "refresh-token"):
            assert keys.get_secret(kind, account) is None


def test_failsafe_refuses_a_pull_that_would_empty_the_cache(server: RunningServer,
                                                            tmp_path: Path) -> None:
    peek = Peek(server)
    head_name = peek.head_of("stnmt")
    with client_for(server, head_name, tmp_path / "h") as head_client:
        head_client.engine.failsafe_min_cached = 5
        head_client.engine.sync_once()
        before = head_client.ids()
        assert len(before) >= 5
        # The department's dossiers all move away (e.g. withdrawn): most of the cache would go.
        engine = server_db.make_engine(server_db.sqlite_url(str(server.db_path)))
        with server_db.write_transaction(engine) as conn:
            from sqlalchemy import update

            from onestop_server.db import dossiers, record_change
            for dossier_id in before:
                conn.execute(update(dossiers).where(dossiers.c.id == dossier_id)
                             .values(department_id="snn", assignee_id=None))
                record_change(conn, dossier_id, department_id="snn", assignee_id=None,
                              prev_department_id="stnmt", prev_assignee_id=None,
                              at=server_db.func.now())
        engine.dispose()
        with pytest.raises(MassDeletionRefused):
            head_client.engine.sync_once()
        assert head_client.ids() == before  # nothing deleted
        report = head_client.engine.sync_once(resync=True)  # explicit: allowed
        assert report.resynced and not head_client.ids() & before


def test_resync_required_keeps_the_outbox(server: RunningServer, officer: SyncClient) -> None:
    officer.engine.sync_once()
    dossier_id = in_review_dossier(server, officer.session.user["id"])
    head = server_login(server, Peek(server).head_of(officer.session.user["department_id"]))
    assert head.action(dossier_id, "note", 0, {"text": "x"}).status_code == 200
    engine = server_db.make_engine(server_db.sqlite_url(str(server.db_path)))
    with server_db.write_transaction(engine) as conn:
        compact_changes(conn, server_db.max_seq(conn))
    engine.dispose()
    # Unsent work recorded before the server forgot our cursor survives the resync.
    entry = officer.cache.write(lambda db: store_outbox.enqueue(
        db, dossier_id, "note", {"text": "giữ lại"}, None))
    officer.engine._push = lambda report, cancel: None  # type: ignore[method-assign]
    report = officer.engine.sync_once()
    assert report.resynced
    assert store_outbox.get_entry(officer.cache.reader(), entry.client_id).state == "pending"
    assert "x" in [n["text"] for n in officer.doc(dossier_id)["notes"]]


def test_documents_prefetch_verify_and_resume(server: RunningServer, officer: SyncClient) -> None:
    user = officer.session.user
    dossier_id = in_review_dossier(server, user["id"])
    big = b"%PDF-1.7\n" + bytes(range(256)) * 1200  # 300 KiB: several encrypted chunks
    me = server_login(server, officer.username)
    r = me.post(f"/api/v1/dossiers/{dossier_id}/documents",
                data=big, headers={"Idempotency-Key": "k-upload-big-1", "X-File-Name": "so-do.pdf",
                                   "Content-Type": "application/pdf"})
    assert r.status_code == 201, r.text
    big_id = str(r.json()["document"]["id"])

    officer.engine.prefetch_max_bytes = 50_000_000
    report = officer.engine.sync_once()
    db = officer.cache.reader()
    # every document of the officer's dossiers is held, each with its row
    mine = [r for (dossier,) in db.execute("SELECT id FROM dossiers WHERE assignee_id = ?",
                                           [user["id"]])
            for r in document_rows(db, dossier)]
    assert big_id in {r["id"] for r in mine}
    assert mine and all(r["state"] == "downloaded" and r["local_name"] == r["id"] for r in mine)
    rows = db.execute("SELECT doc.id, doc.sha256, doc.state FROM documents doc JOIN dossiers d "
                      "ON d.id = doc.dossier_id").fetchall()
    assert sorted(rows) == sorted((r["id"], r["sha256"], r["state"]) for r in mine)
    assert report.documents == len(rows)
    for doc_id, sha, _ in rows:
        assert hashlib.sha256(officer.cache.documents.read_all(doc_id)).hexdigest() == sha

    # Interrupt the big download after its second chunk, then resume with Range.
    officer.cache.documents.delete(big_id)
    officer.cache.write(lambda w: w.execute(
        "UPDATE documents SET state = 'remote', downloaded_bytes = 0 WHERE id = ?", [big_id]))

    class Stop(Exception):
        pass

    def progress(done: int, total: int) -> None:
        if done >= 2 * 64 * 1024 + 1:
            raise Stop

    with pytest.raises(Stop):
        download_document(officer.engine, big_id, progress=progress)
    held = officer.cache.documents.partial_size(big_id)
    assert held >= 64 * 1024
    transferred = download_document(officer.engine, big_id)
    assert transferred == len(big) - held  # only the rest came over the wire
    assert officer.cache.documents.read_all(big_id) == big

    # A corrupted copy on the server side is caught by the SHA-256 check: the dossier (its
    # JSON, where the metadata is read) lists another SHA-256 than the bytes served have.
    officer.cache.documents.delete(big_id)
    officer.cache.write(lambda w: w.execute(
        "UPDATE documents SET state = 'remote', sha256 = ? WHERE id = ?", ["0" * 64, big_id]))
    officer.cache.write(lambda w: w.execute(
        "UPDATE dossier_json SET data = json_set(data, (SELECT '$.documents[' || f.key || "
        "'].sha256' FROM json_each(dossier_json.data, '$.documents') f "
        "WHERE CAST(f.value->>'id' AS TEXT) = ?), ?) WHERE rid = (SELECT d.rid FROM dossiers d "
        "JOIN documents x ON x.dossier_id = d.id WHERE x.id = ?)", [big_id, "0" * 64, big_id]))
    assert get_document_row(officer.cache.reader(), big_id)["sha256"] == "0" * 64
    with pytest.raises(DocumentIntegrityError):
        download_document(officer.engine, big_id)
    assert not officer.cache.documents.exists(big_id)


def test_a_first_sync_lists_every_document_from_the_json_and_writes_no_row(
        server: RunningServer, officer: SyncClient) -> None:
    """No prefetch: the cache holds no document, so no ``documents`` row; each dossier's
    documents are listed from its JSON exactly as the server has them, all remote, and one
    is found by its id alone. A download records its row; a new SHA-256 from the server
    resets it to remote; a document gone from the dossier loses its row."""
    officer.engine.sync_once(prefetch=False)
    db = officer.cache.reader()
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    expected = Peek(server).rows(
        "SELECT id, dossier_id, name, kind, mime, size, sha256 FROM documents "
        "WHERE dossier_id IN (SELECT id FROM dossiers WHERE assignee_id = :u) "
        "ORDER BY dossier_id, id", u=officer.session.user["id"])
    listed = [r for (dossier,) in db.execute("SELECT id FROM dossiers ORDER BY id")
              for r in document_rows(db, dossier)]
    assert len(listed) >= len(expected) > 0
    by_id = {r["id"]: r for r in listed}
    for e in expected:
        row = by_id[str(e.id)]
        assert (row["dossier_id"], row["name"], row["kind"], row["mime"], row["size"],
                row["sha256"]) == (e.dossier_id, e.name, e.kind, e.mime, e.size, e.sha256)
        assert (row["state"], row["downloaded_bytes"], row["local_name"]) == ("remote", 0, None)
    first = expected[0]
    assert get_document_row(db, str(first.id)) == by_id[str(first.id)]  # by its id alone
    assert get_document_row(db, "no-such-document") is None

    assert download_document(officer.engine, str(first.id), dossier_id=first.dossier_id) > 0
    held = get_document_row(db, str(first.id), first.dossier_id)
    assert held is not None and held["state"] == "downloaded"
    assert held["downloaded_bytes"] == first.size and held["local_name"] == str(first.id)
    assert db.execute("SELECT id, sha256 FROM documents").fetchall() == [
        (str(first.id), first.sha256)]
    # The server's copy of the dossier lists another SHA-256: what is held is another file.
    record = store_dossiers.get_dossier(db, first.dossier_id)
    assert record is not None
    changed = {**record.data, "version": record.data["version"] + 1, "documents": [
        dict(d, sha256="f" * 64) if str(d["id"]) == str(first.id) else d
        for d in record.data["documents"]]}
    officer.cache.write(lambda w: store_dossiers.put_server_copy(w, changed))
    again = get_document_row(db, str(first.id), first.dossier_id)
    assert again is not None
    assert (again["state"], again["downloaded_bytes"], again["sha256"]) == ("remote", 0, "f" * 64)
    # Gone from the dossier: its row goes (the file is an orphan, purged by maintenance).
    gone = {**changed, "version": changed["version"] + 1, "documents": [
        d for d in changed["documents"] if str(d["id"]) != str(first.id)]}
    officer.cache.write(lambda w: store_dossiers.put_server_copy(w, gone))
    assert get_document_row(db, str(first.id)) is None
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert officer.cache.purge_orphan_documents() == 1


def test_result_upload_recorded_offline(server: RunningServer, officer: SyncClient,
                                        tmp_path: Path) -> None:
    officer.engine.sync_once()
    dossier_id = in_review_dossier(server, officer.session.user["id"])
    result = tmp_path / "Quyết định cấp giấy.pdf"
    result.write_bytes(b"%PDF-1.4 ket qua " * 500)
    entry = queue_result_upload(officer.engine, dossier_id, result)
    report = officer.engine.sync_once()
    assert outbox_states(officer)[entry.client_id] == "applied" and report.applied == 1
    docs = officer.doc(dossier_id)["documents"]
    uploaded = [d for d in docs if d["kind"] == "result"]
    assert uploaded and uploaded[-1]["sha256"] == hashlib.sha256(result.read_bytes()).hexdigest()
    with pytest.raises(ValueError):
        queue_result_upload(officer.engine, dossier_id, result, name="../../etc/passwd")
