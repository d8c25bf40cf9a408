"""Paths by which work was lost, doubled or stranded, closed against the real server, the real
keyring and real SQLCipher files:

- one queued upload whose bytes are gone stopped every sync before the pull, forever;
- the mass-deletion fail-safe was checked page by page against a shrinking cache, so a first
  sync removed most of the cache before refusing and the next removed the rest;
- two downloads of one document at once (the window and the prefetch) corrupted its file.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from onestop_server import db as server_db
from tests.client.sync_helpers import SyncClient, client_for
from tests.server.util import Peek
from tests.server.util import login as server_login
from tests.support.server import RunningServer
from wfh_client.store import outbox as store_outbox
from wfh_client.store.state import counts, get_state
from wfh_client.sync import operations
from wfh_client.sync.documents import queue_result_upload
from wfh_client.sync.engine import KEY_PENDING_REMOVALS, MassDeletionRefused


@pytest.fixture
def officer(server: RunningServer, tmp_path: Path) -> Any:
    user_id = int(Peek(server).scalar(
        "SELECT assignee_id FROM dossiers WHERE status = 4 AND step = 'in_review' "
        "GROUP BY assignee_id ORDER BY count(*) DESC LIMIT 1"))
    username = str(Peek(server).scalar("SELECT username FROM users WHERE id = :u", u=user_id))
    with client_for(server, username, tmp_path / "officer") as client:
        client.engine.sync_once(prefetch=False)
        yield client


def in_review(server: RunningServer, client: SyncClient) -> list[str]:
    return [str(r[0]) for r in Peek(server).rows(
        "SELECT id FROM dossiers WHERE assignee_id = :u AND status = 4 AND step = 'in_review' "
        "ORDER BY code", u=client.session.user["id"])]


def test_an_upload_whose_bytes_are_gone_is_quarantined_and_syncing_goes_on(
        server: RunningServer, officer: SyncClient, tmp_path: Path) -> None:
    dossier_id = in_review(server, officer)[0]
    result = tmp_path / "Quyết định.pdf"
    result.write_bytes(b"%PDF-1.4 ket qua " * 200)
    upload = queue_result_upload(officer.engine, dossier_id, result)
    note = operations.record_action(officer.engine, dossier_id, "note", {"text": "Sau tệp"})
    officer.cache.documents.delete(f"upload-{upload.client_id}")  # the bytes are lost
    # the server changes something meanwhile: the pull must still bring it
    other = in_review(server, officer)[1]
    head = server_login(server, Peek(server).head_of(Peek(server).dossier(other).department_id))
    r = head.action(other, "note", int(Peek(server).dossier(other).version),
                    {"text": "Ghi chú của lãnh đạo"})
    assert r.status_code == 200, r.text

    report = officer.engine.sync_once(prefetch=False)  # no exception: the queue goes on
    db = officer.cache.reader()
    quarantined = store_outbox.get_entry(db, upload.client_id)
    assert quarantined is not None and quarantined.state == "invalid"
    assert quarantined.last_error_code == "upload_bytes_missing"
    assert store_outbox.get_entry(db, note.client_id).state == "applied"
    assert report.invalid == 1 and report.applied == 1
    assert report.pulled >= 1  # the pull ran
    assert counts(db).rejected == 1

    # the user discards it: the warning goes, the record stays
    assert operations.dismiss_entry(officer.engine, upload.client_id)
    assert counts(officer.cache.reader()).rejected == 0
    assert store_outbox.get_entry(officer.cache.reader(), upload.client_id) is not None
    assert not operations.dismiss_entry(officer.engine, upload.client_id)  # once
    assert officer.engine.sync_once(prefetch=False).errors == []


def test_the_bytes_are_stored_before_the_outbox_row(
        server: RunningServer, officer: SyncClient, tmp_path: Path, monkeypatch: Any) -> None:
    """A failure while the bytes are written leaves no queued upload behind (it used to leave
    a row with no bytes, which then blocked every sync)."""
    dossier_id = in_review(server, officer)[0]
    result = tmp_path / "Kết quả.pdf"
    result.write_bytes(b"%PDF-1.4 " * 100)

    def broken_writer(*_a: Any, **_k: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(officer.cache.documents, "writer", broken_writer)
    with pytest.raises(OSError):
        queue_result_upload(officer.engine, dossier_id, result)
    monkeypatch.undo()
    assert store_outbox.entries(officer.cache.reader(), ("pending",)) == []
    assert officer.engine.sync_once(prefetch=False).errors == []


def _move_away(server: RunningServer, ids: list[str], to: str = "snn") -> None:
    """Reassign ``ids`` to another department on the server, one change-log row each."""
    peek = Peek(server)
    engine = server_db.make_engine(server_db.sqlite_url(str(server.db_path)))
    with server_db.write_transaction(engine) as conn:
        for dossier_id in ids:
            before = peek.dossier(dossier_id)
            conn.execute(update(server_db.dossiers).where(server_db.dossiers.c.id == dossier_id)
                         .values(department_id=to, assignee_id=None))
            server_db.record_change(conn, dossier_id, department_id=to, assignee_id=None,
                                    prev_department_id=before.department_id,
                                    prev_assignee_id=before.assignee_id, at=server_db.func.now())
    engine.dispose()


def test_the_failsafe_holds_across_pages_and_syncs(server: RunningServer,
                                                   tmp_path: Path) -> None:
    peek = Peek(server)
    with client_for(server, peek.head_of("stnmt"), tmp_path / "h", page_limit=2) as head:
        head.engine.failsafe_min_cached = 5
        head.engine.sync_once(prefetch=False)
        before = head.ids()
        assert len(before) >= 10
        gone = sorted(before)[: int(len(before) * 0.8)]  # most of the cache, over many pages
        _move_away(server, gone)
        for _ in range(3):  # refused, and refused again: never a little more each time
            with pytest.raises(MassDeletionRefused):
                head.engine.sync_once(prefetch=False)
            assert head.ids() == before
        assert set(get_state(head.cache.reader(), KEY_PENDING_REMOVALS)) == set(gone)
        report = head.engine.sync_once(resync=True, prefetch=False)  # explicit: allowed
        assert report.resynced and head.ids() == before - set(gone)
        assert get_state(head.cache.reader(), KEY_PENDING_REMOVALS) is None


def test_a_few_removals_spread_over_pages_are_applied_together(server: RunningServer,
                                                                tmp_path: Path) -> None:
    peek = Peek(server)
    with client_for(server, peek.head_of("stnmt"), tmp_path / "h", page_limit=1) as head:
        head.engine.failsafe_min_cached = 5
        head.engine.sync_once(prefetch=False)
        before = head.ids()
        gone = sorted(before)[:3]
        _move_away(server, gone)
        report = head.engine.sync_once(prefetch=False)
        assert report.removed == 3 and head.ids() == before - set(gone)
        assert get_state(head.cache.reader(), KEY_PENDING_REMOVALS) is None


def test_two_downloads_of_one_document_at_once_give_one_verified_file(
        server: RunningServer, officer: SyncClient) -> None:
    from wfh_client.sync.documents import download_document

    doc_id = str(Peek(server).scalar(
        "SELECT d.id FROM documents d JOIN dossiers x ON x.id = d.dossier_id "
        "WHERE x.assignee_id = :u ORDER BY d.size DESC LIMIT 1", u=officer.session.user["id"]))
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def fetch() -> None:
        start.wait()
        try:
            download_document(officer.engine, doc_id)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    expected = Peek(server).one("SELECT sha256 FROM documents WHERE id = :d", d=doc_id).sha256
    assert officer.cache.documents.sha256_of(doc_id) == expected
    state = officer.cache.reader().execute("SELECT state FROM documents WHERE id = ?",
                                           [doc_id]).fetchone()[0]
    assert state == "downloaded"


def test_prefetch_stops_before_filling_the_disk_and_the_sync_succeeds(
        server: RunningServer, officer: SyncClient, monkeypatch: Any) -> None:
    """Free space is injected (a real full disk needs a small filesystem of its own)."""
    import wfh_client.sync.documents as documents

    officer.engine.prefetch_max_bytes = 10**9
    monkeypatch.setattr(documents, "free_bytes", lambda _path: documents.MIN_FREE_BYTES + 1)
    report = officer.engine.sync_once()
    assert report.prefetch_stopped == "low_disk_space" and report.documents == 0
    assert officer.cache.documents.stored_ids() == set()
    monkeypatch.undo()
    report = officer.engine.sync_once()
    assert report.prefetch_stopped is None and report.documents > 0


def test_a_full_disk_during_prefetch_or_bookkeeping_never_fails_a_sync(
        server: RunningServer, officer: SyncClient, monkeypatch: Any) -> None:
    import errno

    import sqlcipher3

    import wfh_client.sync.engine as engine_module
    from wfh_client.store.documents import DocumentWriter

    officer.engine.prefetch_max_bytes = 10**9

    def full(self: Any, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(DocumentWriter, "write", full)
    report = officer.engine.sync_once()  # does not raise
    assert report.prefetch_stopped == "disk_full" and report.documents == 0
    downloaded = officer.cache.reader().execute(
        "SELECT count(*) FROM documents WHERE state = 'downloaded'").fetchone()[0]
    assert downloaded == 0  # nothing marked downloaded that is not there

    def no_room(_db: Any) -> None:
        raise sqlcipher3.OperationalError("database or disk is full")

    monkeypatch.setattr(engine_module, "_record_success", no_room)
    report = officer.engine.sync_once(prefetch=False)  # in sync: not a failure
    assert any("bookkeeping" in e for e in report.errors)


def test_old_applied_entries_and_orphan_files_are_pruned_once_a_day(
        server: RunningServer, officer: SyncClient, tmp_path: Path) -> None:
    from wfh_client.sync.engine import KEY_MAINTAINED_AT

    dossier_id = in_review(server, officer)[0]
    note = operations.record_action(officer.engine, dossier_id, "note", {"text": "Cũ"})
    officer.engine.sync_once(prefetch=False)
    assert store_outbox.get_entry(officer.cache.reader(), note.client_id).state == "applied"
    officer.cache.documents.write_bytes("orphan-left-by-a-crash", b"x" * 100)
    result = tmp_path / "Kết quả.pdf"
    result.write_bytes(b"%PDF-1.4 " * 10)
    waiting = queue_result_upload(officer.engine, dossier_id, result)

    def age(db: Any) -> None:  # applied long ago; the last maintenance was long ago too
        db.execute("UPDATE outbox SET updated_at = '2000-01-01T00:00:00.000Z' "
                   "WHERE client_id = ?", [note.client_id])
        db.execute("UPDATE outbox SET state = 'invalid' WHERE client_id = ?",
                   [waiting.client_id])  # an upload the user has not dismissed: kept
        db.execute("UPDATE sync_state SET value = '\"2000-01-01T00:00:00.000Z\"' "
                   "WHERE key = ?", [KEY_MAINTAINED_AT])

    officer.cache.write(age)
    officer.engine.sync_once(prefetch=False)
    db = officer.cache.reader()
    assert store_outbox.get_entry(db, note.client_id) is None
    stored = officer.cache.documents.stored_ids()
    assert "orphan-left-by-a-crash" not in stored
    assert f"upload-{waiting.client_id}" in stored
    # once a day: a new orphan waits for tomorrow
    officer.cache.documents.write_bytes("another-orphan", b"y")
    officer.engine.sync_once(prefetch=False)
    assert "another-orphan" in officer.cache.documents.stored_ids()
