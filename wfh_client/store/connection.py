"""Opening one SQLite connection to the cache: SQLCipher with a raw key, or plaintext.

:func:`connect` returns a ``sqlite_utils.Database`` whose connection is in driver autocommit
mode (``isolation_level=None``): transactions are explicit (the :class:`~.writer.Writer` opens
them). Every connection gets ``foreign_keys=ON``, a busy timeout and in-memory temp storage;
the key is checked right away so a missing/wrong key surfaces as :class:`CacheLocked`.

Encrypted caches are created with 16 KiB pages (:data:`CIPHER_PAGE_SIZE`): SQLCipher encrypts
and authenticates each page with a separate OpenSSL call, whose fixed cost dominated the
commits of a first sync at 4 KiB (10,000 dossiers: the writer's time 3.8 -> 3.4 s). A cache
created earlier with SQLCipher's default 4 KiB pages still opens: the page size is not
readable before the key is applied, so a key that fails at 16 KiB is tried again at 4 KiB
before the file is reported as locked.

New encrypted caches also authenticate their pages with HMAC-SHA256
(:data:`CIPHER_HMAC`, one of the algorithms SQLCipher offers) instead of SQLCipher 4's
default HMAC-SHA512: current x86 processors compute SHA-256 in hardware (SHA extensions),
so each page's tag costs less to write and to check (a first sync of 10,000 dossiers: the
writer's commits 0.61 -> 0.50 CPU-s). The tag stays 256 bits, as long as the AES-256 key it
protects; the page cipher is unchanged. Older caches keep their settings: the HMAC
algorithm, like the page size, is not readable before the key is applied, so
:data:`_CIPHER_SETTINGS` are tried in turn, newest first.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlite_utils import Database

from wfh_client.store.errors import CacheLocked, PlaintextNotAllowed

__all__ = ["CIPHER_HMAC", "CIPHER_PAGE_SIZE", "SQLITE_HEADER", "connect", "is_plaintext_sqlite"]

SQLITE_HEADER = b"SQLite format 3\x00"
CIPHER_PAGE_SIZE = 16384  # new encrypted caches (see the module docstring)
CIPHER_HMAC = "HMAC_SHA256"  # new encrypted caches (see the module docstring)
_LEGACY_PAGE_SIZE = 4096  # SQLCipher 4's default: caches created before 2026-12
_LEGACY_HMAC = "HMAC_SHA512"  # SQLCipher 4's default: caches created before 2026-12-05
# (page size, HMAC) a cache may have been created with; the first is a new cache's.
_CIPHER_SETTINGS = ((CIPHER_PAGE_SIZE, CIPHER_HMAC), (CIPHER_PAGE_SIZE, _LEGACY_HMAC),
                    (_LEGACY_PAGE_SIZE, _LEGACY_HMAC))

_WRONG_KEY = (
    "The local cache cannot be opened: the key in the keyring does not match the cache file "
    "{path} (the keyring was replaced, the file was copied from another account, or its first "
    "page is damaged). It can be moved aside (never deleted) and rebuilt from the server."
)


def is_plaintext_sqlite(path: Path) -> bool:
    """True if ``path`` exists and starts with the plain SQLite header (i.e. is NOT encrypted)."""
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except FileNotFoundError:
        return False


def _pragmas(conn: Any, cache_kib: int) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")


def _open_encrypted(path: Path, key: bytes) -> Any:
    """A SQLCipher connection whose key opens ``path`` (an empty file gets
    :data:`CIPHER_PAGE_SIZE` and :data:`CIPHER_HMAC`), with the settings the file was created
    with."""
    failure: sqlcipher3.DatabaseError | None = None
    for page_size, hmac in _CIPHER_SETTINGS:
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute(f"PRAGMA cipher_page_size = {page_size}")
        conn.execute(f"PRAGMA cipher_hmac_algorithm = {hmac}")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            failure = failure or exc
            continue
        return conn
    raise CacheLocked(_WRONG_KEY.format(path=path), reason="wrong_key") from failure


def connect(path: Path, key: bytes | None, *, allow_plaintext: bool = False,
            cache_kib: int = 32768) -> Database:
    """Open ``path`` (created if absent) and return it wrapped in a sqlite-utils ``Database``.

    ``key`` (32 bytes) opens it with SQLCipher; ``key=None`` opens a plaintext sqlite3 file,
    which requires ``allow_plaintext``. Raises :class:`CacheLocked` for a wrong key and
    :class:`PlaintextNotAllowed` for a plaintext file/request the policy forbids.
    """
    conn: Any
    if not path.exists():  # private from the start; SQLite gives -wal/-shm the same mode
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    if key is None:
        if not allow_plaintext:
            raise PlaintextNotAllowed(
                "A plaintext (unencrypted) local cache was requested, but the machine policy "
                "does not allow it; the cache must be encrypted with a key from the OS keyring."
            )
        if path.exists() and path.stat().st_size > 0 and not is_plaintext_sqlite(path):
            raise CacheLocked(
                f"The local cache {path} is encrypted but was opened as plaintext; open it "
                "with its key from the keyring."
            )
        # SQLCipher's SQLite without a key is plain SQLite (and a recent one, with FTS5
        # contentless_delete, unlike some system sqlite3 builds).
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    else:
        if len(key) != 32:
            raise ValueError("the cache key must be 32 bytes")
        if is_plaintext_sqlite(path):
            raise PlaintextNotAllowed(
                f"The local cache {path} is not encrypted, but an encrypted cache was "
                "requested; wipe it (it is rebuilt from the server) or allow plaintext by policy."
            )
        conn = _open_encrypted(path, key)
    _pragmas(conn, cache_kib)
    return Database(conn, execute_plugins=False)
