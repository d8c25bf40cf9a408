"""Migrations, pragmas, and the single writer."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from sqlite_utils import Database

from tests.client.conftest import make_dossier
from wfh_client.store import dossiers as store_dossiers
from wfh_client.store.cache import Cache, account_paths
from wfh_client.store.document_rows import document_rows
from wfh_client.store.fts import fts_query
from wfh_client.store.migrations import MIGRATIONS, applied_migrations, migrate
from wfh_client.store.state import KEY_SNAPSHOT_IN_PROGRESS, delete_state, set_state
from wfh_client.store.writer import Writer


def test_migrations_recorded_and_idempotent(keyless_cache: Cache) -> None:
    db = keyless_cache.reader()
    applied = applied_migrations(db)
    assert [name for name, _ in applied] == [name for name, _ in MIGRATIONS]
    assert all(at.endswith("Z") for _, at in applied)
    tables = set(db.table_names())
    assert {"dossiers", "dossier_json", "documents", "notes", "outbox", "sync_state",
            "conflicts", "migrations", "dossier_fts"} <= tables
    assert "history" not in tables  # read from each dossier's JSON (0008)


def test_reopen_applies_nothing(tmp_path: Path) -> None:
    paths = account_paths("m", tmp_path)
    Cache(paths, key=b"k" * 32).close()
    with Cache(paths, key=b"k" * 32) as cache:
        first = applied_migrations(cache.reader())
    assert len(first) == len(MIGRATIONS)
    plain = Database(sqlcipher3.connect(":memory:", isolation_level=None))
    assert migrate(plain) == [name for name, _ in MIGRATIONS]
    assert migrate(plain) == []


def test_list_indexes_a_finished_first_sync_left_out_are_rebuilt_at_open(
        tmp_path: Path) -> None:
    """A first sync into an empty cache drops the random-order list indexes until its end
    (store.dossiers.defer_list_indexes); a cache left without them and no snapshot running (an
    older build, a crash between) gets them back when it opens; one with a snapshot still
    running keeps waiting for its end."""
    def names(cache: Cache) -> set[str]:
        return {r[0] for r in cache.reader().execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_dossiers_%'")}

    deferred = {f"ix_dossiers_{c}" for c in store_dossiers.DEFERRED_INDEXES}
    paths, key = account_paths("idx", tmp_path), b"k" * 32
    cache = Cache(paths, key=key)
    full = names(cache)
    assert cache.write(store_dossiers.defer_list_indexes) is True
    cache.write(lambda db: set_state(db, KEY_SNAPSHOT_IN_PROGRESS, True))
    cache.close()
    cache = Cache(paths, key=key)
    assert names(cache) == full - deferred  # the snapshot resumes: built at its end
    cache.write(lambda db: delete_state(db, KEY_SNAPSHOT_IN_PROGRESS))
    cache.close()
    cache = Cache(paths, key=key)
    try:
        assert names(cache) == full
        # built with a larger page cache (store.dossiers.INDEX_BUILD_CACHE_KIB), given back
        cache_size = cache.write(lambda db: db.execute("PRAGMA cache_size").fetchone()[0])
        assert 0 < -cache_size < store_dossiers.INDEX_BUILD_CACHE_KIB
        cache.write(lambda db: [db.execute(f"DROP INDEX ix_dossiers_{c}")
                                for c in store_dossiers.DEFERRED_INDEXES])

        class Watch:  # the page cache as each index is built
            def __init__(self, db: Database) -> None:
                self.db, self.sizes = db, list[int]()

            def execute(self, sql: str, *args: Any) -> Any:
                if sql.startswith("CREATE INDEX"):
                    self.sizes.append(self.db.execute("PRAGMA cache_size").fetchone()[0])
                return self.db.execute(sql, *args)

        def rebuild(db: Database) -> list[int]:
            watch = Watch(db)
            store_dossiers.restore_list_indexes(watch)  # type: ignore[arg-type]
            return watch.sizes

        sizes = cache.write(rebuild)
        assert len(sizes) == len(store_dossiers.DEFERRED_INDEXES)
        assert all(-size >= store_dossiers.INDEX_BUILD_CACHE_KIB for size in sizes)
        assert names(cache) == full
        assert cache.write(lambda db: db.execute("PRAGMA cache_size").fetchone()[0]) \
            == cache_size
        # a cache that holds dossiers never loses them
        cache.write(lambda db: store_dossiers.put_server_copy(db, make_dossier(1)))
        assert cache.write(store_dossiers.defer_list_indexes) is False
        assert names(cache) == full
    finally:
        cache.close()


def test_history_rows_are_dropped_the_entries_stay_in_the_json(tmp_path: Path) -> None:
    """0008: the ``history`` table goes (its rows copied what each dossier's JSON holds); an
    old cache keeps every entry in the dossier's JSON, where the queries now read it."""
    upto = [name for name, _ in MIGRATIONS].index("0008_history_from_json")
    db = Database(sqlcipher3.connect(str(tmp_path / "old.db"), isolation_level=None))
    migrate(db, MIGRATIONS[:upto])
    db.execute("INSERT INTO dossiers (id, code, version, local_state, cached_at) "
               "VALUES ('d1', 'C1', 1, 'synced', '2026-03-02T00:00:00Z')")
    entries = '[{"id": 5, "actor_id": 42, "action": "receive"}, {"id": 6, "action": "system"}]'
    db.execute("INSERT INTO dossier_json (rid, data) SELECT rid, json_object('id', 'd1', "
               "'history', json(?)) FROM dossiers", [entries])
    db.execute("INSERT INTO history (dossier_id, position, id, action, actor_id) "
               "VALUES ('d1', 0, '5', 'receive', 42), ('d1', 1, '6', 'system', NULL)")
    assert migrate(db, MIGRATIONS[:upto + 1]) == ["0008_history_from_json"]
    assert "history" not in db.table_names()
    assert db.execute("SELECT h.value->>'actor_id' FROM dossier_json j, "
                      "json_each(j.data, '$.history') h ORDER BY h.key").fetchall() \
        == [(42,), (None,)]


def _search_index_sql(db: Database) -> str:
    return str(db.execute("SELECT sql FROM sqlite_master WHERE name = 'dossier_fts'")
               .fetchone()[0])


def _found(db: Database, text: str) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT d.id FROM dossier_fts f JOIN dossiers d ON d.rid = f.rowid "
        "WHERE dossier_fts MATCH ? ORDER BY d.id", [fts_query(text)])]


def test_a_new_cache_indexes_one_letter_prefixes_an_older_one_keeps_its_index(
        tmp_path: Path) -> None:
    """0010: a new cache's search index keeps a prefix index for one-letter prefixes only
    (a first sync's FTS5 writes a third lighter); a cache that already holds dossiers keeps
    the index it has. Both find the same dossiers by one, two and three letters."""
    new = Cache(account_paths("new", tmp_path), key=b"n" * 32)
    upto = [name for name, _ in MIGRATIONS].index("0010_search_prefix_1")
    old = Database(sqlcipher3.connect(str(tmp_path / "old.db"), isolation_level=None))
    migrate(old, MIGRATIONS[:upto])
    assert "prefix='1 2 3'" in _search_index_sql(old)
    try:
        assert "prefix='1')" in _search_index_sql(new.reader())
        docs = [make_dossier(n, applicant={"name": name}, procedure_name="Cấp phép",
                             summary="Hồ sơ")
                for n, name in ((1, "Nguyễn Văn An"), (2, "Trần Thị Hà"))]
        for doc in docs:
            new.write(lambda db, doc=doc: store_dossiers.put_server_copy(db, doc))
            store_dossiers.put_server_copy(old, doc)
        assert migrate(old, MIGRATIONS[:upto + 1]) == ["0010_search_prefix_1"]
        assert "prefix='1 2 3'" in _search_index_sql(old)  # it held dossiers: kept
        for db in (new.reader(), old):
            ids = [str(d["id"]) for d in docs]
            assert _found(db, "n") == [ids[0]]
            assert _found(db, "ng") == [ids[0]]
            assert _found(db, "ngu") == [ids[0]]
            assert _found(db, "th") == [ids[1]]
            assert _found(db, "tran thi h") == [ids[1]]
    finally:
        new.close()
        old.conn.close()


def test_documents_rows_are_kept_only_for_held_documents(tmp_path: Path) -> None:
    """0011: an old cache's rows for documents never fetched go (the dossier's JSON lists
    them); the rows of documents held, partly held or failed stay, and the window still
    lists every document with its state."""
    upto = [name for name, _ in MIGRATIONS].index("0011_documents_held_only")
    db = Database(sqlcipher3.connect(str(tmp_path / "old.db"), isolation_level=None))
    migrate(db, MIGRATIONS[:upto])
    doc = make_dossier(1)
    doc["documents"] = [dict(doc["documents"][0], id=f"doc-1-{n}", name=f"{n}.pdf")
                        for n in range(1, 5)]
    store_dossiers.put_server_copy(db, doc)
    # the rows the old write path kept: one for each document, most never fetched
    for name, state, held in (("doc-1-1", "remote", 0), ("doc-1-2", "downloaded", 100),
                              ("doc-1-3", "partial", 40), ("doc-1-4", "failed", 0)):
        db.execute("INSERT INTO documents (id, dossier_id, name, size, state, downloaded_bytes, "
                   "local_name) VALUES (?, ?, ?, 100, ?, ?, CASE WHEN ? > 0 THEN ? END)",
                   [name, doc["id"], name, state, held, held, name])
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 4
    assert migrate(db, MIGRATIONS[:upto + 1]) == ["0011_documents_held_only"]
    assert db.execute("SELECT id, state FROM documents ORDER BY id").fetchall() == [
        ("doc-1-2", "downloaded"), ("doc-1-3", "partial"), ("doc-1-4", "failed")]
    assert [(r["id"], r["name"], r["state"], r["downloaded_bytes"])
            for r in document_rows(db, doc["id"])] == [
        ("doc-1-1", "1.pdf", "remote", 0), ("doc-1-2", "2.pdf", "downloaded", 100),
        ("doc-1-3", "3.pdf", "partial", 40), ("doc-1-4", "4.pdf", "failed", 0)]


def test_failed_migration_rolls_back(tmp_path: Path) -> None:
    db = Database(sqlite3.connect(str(tmp_path / "m.db"), isolation_level=None))
    bad = (("0001_ok", ("CREATE TABLE a (x)",)),
           ("0002_bad", ("CREATE TABLE b (x)", "CREATE TABLE a (x)")))
    with pytest.raises(sqlite3.OperationalError):
        migrate(db, bad)
    assert [n for n, _ in applied_migrations(db)] == ["0001_ok"]
    assert "b" not in db.table_names()


def test_wal_and_foreign_keys(keyless_cache: Cache) -> None:
    db = keyless_cache.reader()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert keyless_cache.write(lambda w: w.execute("PRAGMA foreign_keys").fetchone()[0]) == 1


def test_writer_transaction_rolls_back_on_error(keyless_cache: Cache) -> None:
    def failing(db: Database) -> None:
        db.execute("INSERT INTO sync_state (key, value) VALUES ('a', '1')")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        keyless_cache.write(failing)
    assert keyless_cache.reader().execute("SELECT count(*) FROM sync_state").fetchone()[0] == 0


def test_writer_serialises_writes_from_many_threads(keyless_cache: Cache) -> None:
    keyless_cache.write(lambda db: db.execute(
        "INSERT INTO sync_state (key, value) VALUES ('n', '0')"))
    writer_threads: set[str] = set()
    active = 0
    overlap = False
    lock = threading.Lock()

    def bump(db: Database) -> None:
        nonlocal active, overlap
        with lock:
            active += 1
            overlap |= active > 1
        writer_threads.add(threading.current_thread().name)
        value = int(db.execute("SELECT value FROM sync_state WHERE key = 'n'").fetchone()[0])
        db.execute("UPDATE sync_state SET value = ? WHERE key = 'n'", [str(value + 1)])
        with lock:
            active -= 1

    def worker() -> None:
        for _ in range(50):
            keyless_cache.writer.run(bump)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    value = keyless_cache.reader().execute("SELECT value FROM sync_state WHERE key = 'n'").fetchone()
    assert value[0] == "400"  # no lost update
    assert not overlap
    assert len(writer_threads) == 1 and threading.current_thread().name not in writer_threads


def test_nested_run_inside_a_task_does_not_deadlock(keyless_cache: Cache) -> None:
    writer = keyless_cache.writer

    def outer(db: Database) -> int:
        db.execute("INSERT INTO sync_state (key, value) VALUES ('x', '1')")
        return writer.run(lambda inner: inner.execute("SELECT count(*) FROM sync_state").fetchone()[0])

    assert writer.run(outer, timeout=5) == 1


def test_readers_are_per_thread_and_closed(tmp_path: Path) -> None:
    cache = Cache(account_paths("r", tmp_path), key=b"k" * 32)
    main_reader = cache.reader()
    assert cache.reader() is main_reader
    other: list[Database] = []
    t = threading.Thread(target=lambda: other.append(cache.reader()))
    t.start()
    t.join()
    assert other[0] is not main_reader
    cache.close()
    cache.close()  # idempotent
    with pytest.raises(Exception, match="closed"):
        main_reader.execute("SELECT 1")
    with pytest.raises(RuntimeError):
        cache.writer.run(lambda db: None)


def test_writer_standalone(tmp_path: Path) -> None:
    writer = Writer(lambda: Database(sqlite3.connect(str(tmp_path / "w.db"), isolation_level=None,
                                                     check_same_thread=False)))
    assert writer.submit(lambda db: db.execute("SELECT 41 + 1").fetchone()[0]).result() == 42
    writer.close()


def test_checkpoints_run_in_the_background_after_commits(tmp_path: Path) -> None:
    """The writer's commits only append to the WAL; the Checkpointer's thread copies them into
    the database file while the cache is open (SQLite's own checkpoint, inside a commit, is
    only a backstop far above this write), and the writes stay readable throughout."""
    with Cache(account_paths("ckpt", tmp_path), key=b"k" * 32) as cache:
        limit = cache.write(lambda db: db.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        page = int(cache.reader().execute("PRAGMA page_size").fetchone()[0])
        assert limit * page >= 128 * 1024 * 1024
        before = cache.paths.db.stat().st_size
        blob = "x" * 200_000
        for n in range(5):
            cache.write(lambda db, n=n: db.execute(
                "INSERT INTO sync_state (key, value) VALUES (?, ?)", [f"k{n}", blob]))
        deadline = time.monotonic() + 60
        while cache.paths.db.stat().st_size < before + 5 * 200_000:
            assert time.monotonic() < deadline, "no background checkpoint copied the writes"
            time.sleep(0.05)
        assert cache.reader().execute(
            "SELECT count(*) FROM sync_state WHERE key LIKE 'k%'").fetchone()[0] == 5


def test_a_writer_that_never_idles_still_gets_its_wal_started_over(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite starts the WAL over only when a transaction begins with every frame copied; a
    writer going from one queued commit to the next (a first sync) always began before the
    background copy ended, so the WAL grew to the 256 MiB backstop. Past WAL_RESTART_BYTES the
    writer copies the rest itself and the WAL file stays near that size."""
    from wfh_client.store import cache as cache_module

    monkeypatch.setattr(cache_module, "WAL_RESTART_BYTES", 512 * 1024)
    with Cache(account_paths("restart", tmp_path), key=b"k" * 32) as cache:
        blob = "y" * 60_000
        futures = [cache.writer.submit(lambda db, n=n: db.execute(
            "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", [f"r{n % 7}", blob]))
            for n in range(400)]  # queued at once: the writer goes from one to the next
        for future in futures:
            future.result()
        wal = Path(str(cache.paths.db) + "-wal")
        assert cache.wal_restart_checkpoints > 0
        # 400 commits of ~64 KiB appended: 25 MiB if the WAL never started over
        assert wal.stat().st_size < 4 * 1024 * 1024
        assert cache.reader().execute(
            "SELECT count(*) FROM sync_state WHERE key LIKE 'r%'").fetchone()[0] == 7
