"""The cache at rest: SQLCipher encryption, keyring key, clear errors, plaintext policy, wipe."""

from __future__ import annotations

import os
import secrets
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
import pytest
import sqlcipher3

from wfh_client.store import keys
from wfh_client.store.cache import Cache, account_paths, wipe_account
from wfh_client.store.connection import CIPHER_HMAC, CIPHER_PAGE_SIZE
from wfh_client.store.dossiers import put_server_copy
from wfh_client.store.errors import CacheLocked, PlaintextNotAllowed
from wfh_client.store.outbox import enqueue

Doc = Callable[..., dict[str, Any]]


def _raw_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            data += side.read_bytes()
    return data


def test_cache_file_is_encrypted_at_rest(tmp_path: Path, store_account: tuple[str, str],
                                         dossier_factory: Doc) -> None:
    cache = Cache.open(*store_account, data_dir=tmp_path)
    doc = dossier_factory(1, applicant_name="Phạm Thị Xuân Quỳnh")
    cache.write(lambda db: put_server_copy(db, doc))
    cache.write(lambda db: enqueue(db, doc["id"], "note", {"text": "bí mật riêng tư"}, 1))
    path = cache.paths.db
    # Before closing (data may sit in the WAL) and after the checkpoint on close.
    for _ in range(2):
        raw = _raw_bytes(path)
        assert not raw.startswith(b"SQLite format 3")
        for needle in ("Phạm Thị Xuân Quỳnh", "pham thi xuan quynh", "bí mật", "001089012345",
                       "H57.23-260115"):
            assert needle.encode() not in raw
        cache.close()
    with pytest.raises(sqlite3.DatabaseError):  # plain SQLite cannot read it
        sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall()
    mode = stat.S_IMODE(os.stat(path).st_mode)
    assert mode & 0o077 == 0, oct(mode)
    assert stat.S_IMODE(os.stat(cache.paths.root).st_mode) == 0o700


def test_layout_and_keyring_entry(tmp_path: Path, store_account: tuple[str, str]) -> None:
    server_url, username = store_account
    account = keys.account_id(server_url, username)
    assert len(account) == 16
    assert keys.account_id(server_url + "/", username) == account
    with Cache.open(server_url, username, data_dir=tmp_path) as cache:
        assert cache.paths.db == tmp_path / "accounts" / account / "cache.db"
        assert cache.paths.documents.is_dir()
    stored = keyring.get_password("wfh-client", f"cache-key:{account}")
    assert stored is not None and len(bytes.fromhex(stored)) == 32
    # Reopening uses the same key.
    with Cache.open(server_url, username, data_dir=tmp_path) as cache:
        assert cache.encrypted


def test_missing_key_is_a_clear_error(tmp_path: Path, store_account: tuple[str, str]) -> None:
    Cache.open(*store_account, data_dir=tmp_path).close()
    keys.delete_secret(keys.CACHE_KEY, keys.account_id(*store_account))
    with pytest.raises(CacheLocked, match="key is missing from the keyring"):
        Cache.open(*store_account, data_dir=tmp_path)


def test_wrong_key_is_a_clear_error(tmp_path: Path, store_account: tuple[str, str]) -> None:
    Cache.open(*store_account, data_dir=tmp_path).close()
    account = keys.account_id(*store_account)
    keys.set_secret(keys.CACHE_KEY, account, secrets.token_hex(32))
    with pytest.raises(CacheLocked, match="does not match the cache file"):
        Cache.open(*store_account, data_dir=tmp_path)
    keys.set_secret(keys.CACHE_KEY, account, "not hex")
    with pytest.raises(CacheLocked, match="valid 256-bit key"):
        Cache.open(*store_account, data_dir=tmp_path)


def test_direct_wrong_key(tmp_path: Path) -> None:
    paths = account_paths("direct", tmp_path)
    Cache(paths, key=b"k" * 32).close()
    with pytest.raises(CacheLocked):
        Cache(paths, key=b"x" * 32)


def test_new_caches_use_large_pages_and_old_small_page_caches_still_open(
        tmp_path: Path, dossier_factory: Doc) -> None:
    """New caches get 16 KiB pages (fewer SQLCipher calls per byte written); a cache created
    with SQLCipher's default 4 KiB pages, as before, opens with its data and key."""
    key = secrets.token_bytes(32)
    paths = account_paths("large", tmp_path)
    with Cache(paths, key=key) as cache:
        assert int(cache.reader().execute("PRAGMA page_size").fetchone()[0]) == CIPHER_PAGE_SIZE
    old = account_paths("legacy", tmp_path)
    old.root.mkdir(parents=True)
    conn = sqlcipher3.connect(str(old.db))  # as connect() did before: no page size pragma
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE before (x)")
    conn.close()
    doc = dossier_factory(7, applicant_name="Lê Văn Tám")
    with Cache(old, key=key) as cache:
        assert int(cache.reader().execute("PRAGMA page_size").fetchone()[0]) == 4096
        assert "before" in cache.reader().table_names()
        cache.write(lambda db: put_server_copy(db, doc))
    with Cache(old, key=key) as cache:  # still 4 KiB, still readable after migrations
        assert int(cache.reader().execute("PRAGMA page_size").fetchone()[0]) == 4096
        assert cache.reader().execute("SELECT applicant_name FROM dossiers").fetchall() == [
            ("Lê Văn Tám",)]
    with pytest.raises(CacheLocked, match="does not match the cache file"):
        Cache(old, key=secrets.token_bytes(32))  # neither page size hides a wrong key


def test_new_caches_use_hmac_sha256_and_sha512_caches_still_open(
        tmp_path: Path, dossier_factory: Doc) -> None:
    """New caches authenticate pages with HMAC-SHA256; a cache created with SQLCipher 4's
    default HMAC-SHA512 (at 16 KiB pages, as the previous release did) opens with its data,
    keeps its setting, and a wrong key is still refused."""
    key = secrets.token_bytes(32)
    doc = dossier_factory(7, applicant_name="Lê Văn Tám")
    paths = account_paths("sha256", tmp_path)
    with Cache(paths, key=key) as cache:
        assert CIPHER_HMAC == "HMAC_SHA256"
        assert cache.reader().execute("PRAGMA cipher_hmac_algorithm").fetchone()[0] == CIPHER_HMAC
        cache.write(lambda db: put_server_copy(db, doc))
    conn = sqlcipher3.connect(str(paths.db))  # SHA-512 cannot read what SHA-256 wrote
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute(f"PRAGMA cipher_page_size = {CIPHER_PAGE_SIZE}")
    with pytest.raises(sqlcipher3.DatabaseError):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()
    old = account_paths("sha512", tmp_path)
    old.root.mkdir(parents=True)
    conn = sqlcipher3.connect(str(old.db))  # as connect() did before 2026-12-05
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute(f"PRAGMA cipher_page_size = {CIPHER_PAGE_SIZE}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE before (x)")
    conn.close()
    for _ in range(2):  # opened, migrated and written; then opened again
        with Cache(old, key=key) as cache:
            reader = cache.reader()
            assert reader.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0] == "HMAC_SHA512"
            assert int(reader.execute("PRAGMA page_size").fetchone()[0]) == CIPHER_PAGE_SIZE
            assert "before" in reader.table_names()
            cache.write(lambda db: put_server_copy(db, doc))
            assert reader.execute("SELECT applicant_name FROM dossiers").fetchall() == [
                ("Lê Văn Tám",)]
    with pytest.raises(CacheLocked, match="does not match the cache file"):
        Cache(old, key=secrets.token_bytes(32))
    with pytest.raises(CacheLocked, match="does not match the cache file"):
        Cache(paths, key=secrets.token_bytes(32))


def test_plaintext_only_when_allowed(tmp_path: Path, store_account: tuple[str, str],
                                     dossier_factory: Doc) -> None:
    with pytest.raises(PlaintextNotAllowed, match="policy does not allow"):
        Cache.open(*store_account, data_dir=tmp_path, plaintext=True)
    with pytest.raises(PlaintextNotAllowed):
        Cache(account_paths("p", tmp_path), key=None)
    cache = Cache.open(*store_account, data_dir=tmp_path, plaintext=True, allow_plaintext=True)
    assert not cache.encrypted
    cache.write(lambda db: put_server_copy(db, dossier_factory(1)))
    # Documents are still sealed (with a key kept in the plaintext database).
    cache.documents.write_bytes("doc-1-1", b"hello")
    assert cache.documents.read_all("doc-1-1") == b"hello"
    cache.close()
    assert cache.paths.db.read_bytes().startswith(b"SQLite format 3")
    # No keyring entry was created for a plaintext cache.
    assert keys.load_cache_key(keys.account_id(*store_account)) is None
    # The policy now forbids plaintext: the existing file is refused with a clear message.
    with pytest.raises(PlaintextNotAllowed, match="not encrypted"):
        Cache.open(*store_account, data_dir=tmp_path)


def test_encrypted_cache_opened_as_plaintext_is_refused(tmp_path: Path) -> None:
    paths = account_paths("e", tmp_path)
    Cache(paths, key=b"k" * 32).close()
    with pytest.raises(CacheLocked, match="is encrypted"):
        Cache(paths, key=None, allow_plaintext=True)


def test_wipe_removes_files_documents_and_keyring(tmp_path: Path, store_account: tuple[str, str],
                                                  dossier_factory: Doc) -> None:
    server_url, username = store_account
    account = keys.account_id(server_url, username)
    cache = Cache.open(server_url, username, data_dir=tmp_path)
    cache.write(lambda db: put_server_copy(db, dossier_factory(1)))
    cache.documents.write_bytes("doc-1-1", b"x" * 100)
    keys.set_secret("refresh-token", account, "r-token")
    reader = cache.reader()
    reader.execute("SELECT count(*) FROM dossiers").fetchone()
    cache.wipe()
    assert not any(p.exists() for p in cache.paths.db_files)
    assert not cache.paths.documents.exists()
    assert not cache.paths.root.exists()
    assert keys.get_secret(keys.CACHE_KEY, account) is None
    assert keys.get_secret("refresh-token", account) is None
    # A new cache can be created afresh (new key).
    with Cache.open(server_url, username, data_dir=tmp_path) as again:
        assert again.reader().execute("SELECT count(*) FROM dossiers").fetchone()[0] == 0


def test_wipe_account_without_opening(tmp_path: Path, store_account: tuple[str, str]) -> None:
    server_url, username = store_account
    cache = Cache.open(server_url, username, data_dir=tmp_path)
    cache.close()
    keys.delete_secret(keys.CACHE_KEY, keys.account_id(server_url, username))  # now locked
    wipe_account(server_url, username, data_dir=tmp_path)
    assert not cache.paths.root.exists()
    with Cache.open(server_url, username, data_dir=tmp_path) as fresh:  # usable again
        assert fresh.encrypted


def test_accounts_are_isolated(tmp_path: Path, store_account: tuple[str, str]) -> None:
    server_url, username = store_account
    other = username + "-2"
    try:
        with Cache.open(server_url, username, data_dir=tmp_path) as a, \
                Cache.open(server_url, other, data_dir=tmp_path) as b:
            assert a.paths.root != b.paths.root
        assert keys.load_cache_key(keys.account_id(server_url, username)) != \
            keys.load_cache_key(keys.account_id(server_url, other))
    finally:
        keys.delete_account_secrets(keys.account_id(server_url, other))
