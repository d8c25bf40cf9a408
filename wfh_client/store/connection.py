"""Opening one SQLite connection to the cache: SQLCipher with a raw key, or plaintext.

:func:`connect` returns a ``sqlite_utils.Database`` whose connection is in driver autocommit
mode (``isolation_level=None``): transactions are explicit (the :class:`~.writer.Writer` opens
them). Every connection gets ``foreign_keys=ON``, a busy timeout and in-memory temp storage;
the key is checked right away so a missing/wrong key surfaces as :class:`CacheLocked`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlite_utils import Database

from wfh_client.store.errors import CacheLocked, PlaintextNotAllowed

__all__ = ["SQLITE_HEADER", "connect", "is_plaintext_sqlite"]

SQLITE_HEADER = b"SQLite format 3\x00"

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
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            raise CacheLocked(_WRONG_KEY.format(path=path), reason="wrong_key") from exc
    _pragmas(conn, cache_kib)
    return Database(conn, execute_plugins=False)
