"""The per-account local cache: where it lives, how it is opened, and how it is wiped.

Layout (one account = one server URL + username, see ``keys.account_id``)::

    <data_dir>/accounts/<account id>/cache.db   (+ -wal, -shm)   SQLCipher database
    <data_dir>/accounts/<account id>/documents/                  AES-GCM document files
    <private runtime dir>/open/<account id>/                     decrypted copies (transient)

``data_dir`` is resolved by ``wfh_client.config.resolve_data_dir`` like everywhere else
(``--data-dir``, then ``WFH_CLIENT_DATA_DIR``, then the platform's user data folder). The database key is a random 256-bit key in the OS
keyring (``cache-key:<account id>``, service ``wfh-client``); the documents key is derived
from it with HKDF. A plaintext cache exists only when the caller passes ``plaintext=True``
AND the policy flag ``allow_plaintext=True`` (its documents key then lives in the database).

Usage::

    cache = Cache.open(server_url, username, data_dir=...)
    entry = cache.writer.run(lambda db: outbox.record_action(db, ...))   # all writes
    rows = search.search(cache.reader(), "dang ky")                     # any thread
    cache.close()
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TypeVar

import sqlcipher3
from sqlite_utils import Database

from wfh_client.runtime import open_copies_dir, open_copies_root
from wfh_client.store import keys
from wfh_client.store.checkpoint import Checkpointer
from wfh_client.store.connection import connect, is_plaintext_sqlite
from wfh_client.store.documents import DocumentStore, remove_copies
from wfh_client.store.dossiers import restore_list_indexes
from wfh_client.store.errors import (
    CacheDamaged,
    CacheLocked,
    KeyringUnavailable,
    PlaintextNotAllowed,
)
from wfh_client.store.migrations import migrate
from wfh_client.store.state import KEY_SNAPSHOT_IN_PROGRESS, get_state, set_state
from wfh_client.store.writer import Writer

__all__ = [
    "VERIFY_AT_OPEN_MAX_BYTES",
    "AccountPaths",
    "Cache",
    "account_paths",
    "is_corruption",
    "quick_check",
    "remove_all_open_copies",
    "wipe_account",
]

T = TypeVar("T")
WAL_AUTOCHECKPOINT_BYTES = 256 * 1024 * 1024  # the backstop (see _open_writer)
#: The WAL is kept near this size (see Cache._after_commit).
WAL_RESTART_BYTES = 64 * 1024 * 1024
#: Caches up to this size are checked (``PRAGMA quick_check``) before they open; measured
#: here at ~0.3 s for 16 MiB (about 2,000 dossiers) and ~15 s for a 100,000-dossier cache.
VERIFY_AT_OPEN_MAX_BYTES = 16 * 1024 * 1024
_DOCS_KEY_STATE = "documents_key"  # plaintext caches only


@dataclass(frozen=True)
class AccountPaths:
    account_id: str
    root: Path
    db: Path
    documents: Path

    @property
    def db_files(self) -> tuple[Path, ...]:
        return (self.db, self.db.with_name(self.db.name + "-wal"),
                self.db.with_name(self.db.name + "-shm"),
                self.db.with_name(self.db.name + "-journal"))


def account_paths(account: str, data_dir: Path | str | None = None) -> AccountPaths:
    # one rule for where data lives (--data-dir, WFH_CLIENT_DATA_DIR, the platform's folder)
    # Imported here: wfh_client.config imports wfh_client.store.keys, so a module-level import
    # would make config -> store/__init__ -> cache -> config a cycle.
    from wfh_client.config import resolve_data_dir

    root = resolve_data_dir(data_dir) / "accounts" / account
    return AccountPaths(account, root, root / "cache.db", root / "documents")


def is_corruption(exc: BaseException) -> bool:
    """SQLITE_CORRUPT / SQLITE_NOTADB, not a busy, locked, full or interrupted database."""
    return isinstance(exc, sqlcipher3.DatabaseError) and \
        not isinstance(exc, sqlcipher3.OperationalError)


def quick_check(db: Database) -> list[str]:
    """The problems ``PRAGMA quick_check`` reports (``[]`` when the file is sound)."""
    try:
        rows = [str(r[0]) for r in db.execute("PRAGMA quick_check(20)").fetchall()]
    except sqlcipher3.DatabaseError as exc:  # a page so damaged the check itself stops
        if not is_corruption(exc):
            raise
        return [str(exc)]
    if rows == ["ok"]:
        return []
    lines = [line for row in rows for line in row.splitlines() if not line.startswith("***")]
    return lines[:20]


def _damaged(path: Path, problems: list[str]) -> str:
    return (f"The local cache {path} is damaged ({'; '.join(problems[:3])}). It can be moved "
            "aside (never deleted); the unsent changes it holds are carried over where they "
            "can be read, and the rest is rebuilt from the server.")


def _missing_key(path: Path, account: str) -> CacheLocked:
    return CacheLocked(
        f"The local cache cannot be opened: its key is missing from the keyring (entry "
        f"'{keys.secret_name(keys.CACHE_KEY, account)}' of service '{keys.SERVICE}'). The file "
        f"{path} stays encrypted; it can be moved aside (never deleted) and rebuilt from the "
        "server.", reason="key_missing")


class Cache:
    """An open cache: one :class:`Writer`, per-thread readers and a :class:`DocumentStore`."""

    def __init__(self, paths: AccountPaths, *, key: bytes | None,
                 allow_plaintext: bool = False, verify: bool = False) -> None:
        """``verify``: run ``PRAGMA quick_check`` before anything else touches the file and
        raise :class:`CacheDamaged` if it fails (see :meth:`open`)."""
        self.paths = paths
        self.encrypted = key is not None
        self.verified = False
        self._verify_at_open = verify
        paths.root.mkdir(parents=True, exist_ok=True)
        paths.root.chmod(0o700)
        self._connect: Callable[[], Database] = lambda: connect(
            paths.db, key, allow_plaintext=allow_plaintext)
        self._local = threading.local()
        self._readers: list[tuple[threading.Thread, Database]] = []
        self._lock = threading.Lock()
        self._closed = False
        self._checkpointer = Checkpointer(self._connect)
        self._wal_path = Path(f"{paths.db}-wal")
        self.wal_restart_checkpoints = 0  # checkpoints the writer ran itself (_after_commit)
        try:
            self.writer = Writer(self._open_writer, after_commit=self._after_commit)
        except BaseException:
            self._checkpointer.close()
            raise
        try:
            docs_key = keys.derive_key(key, "documents") if key is not None else \
                self.writer.run(self._plaintext_docs_key)
            self.documents = DocumentStore(paths.documents, docs_key,
                                           copies_dir=open_copies_dir(paths.account_id))
        except BaseException:
            self._checkpointer.close()
            self.writer.close()
            raise

    def _after_commit(self, db: Database) -> None:
        """After each commit, on the writer thread: ask the Checkpointer to copy it, and keep
        the WAL from growing. SQLite starts the WAL over only when a transaction BEGINS with
        every frame already copied; a writer that is never idle - a first sync, page after
        page - always began the next page before the background copy of the previous one
        ended, so the WAL grew to the 256 MiB backstop, whose checkpoints then ran inside every
        commit (a 3.6 s stall in a first sync of 100,000 dossiers). Past WAL_RESTART_BYTES
        (the file is cut back to that size whenever it starts over), the writer copies the
        frames the Checkpointer has not yet - usually its last commit's - itself, so its next
        transaction starts the WAL over: ~0.1 s once per 64 MiB written."""
        self._checkpointer.request()
        try:
            size = self._wal_path.stat().st_size
        except OSError:
            return
        if size > WAL_RESTART_BYTES:
            db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            self.wal_restart_checkpoints += 1

    def _open_writer(self) -> Database:
        db = self._connect()
        try:
            if self._verify_at_open:
                problems = quick_check(db)
                if problems:
                    raise CacheDamaged(_damaged(self.paths.db, problems), problems)
                self.verified = True
            db.enable_wal()
            db.execute("PRAGMA synchronous = NORMAL")
            # Checkpoints run on the Checkpointer's thread after commits; SQLite's own (inside
            # the commit that crosses the limit, fsyncs included) only if that one falls
            # behind by WAL_AUTOCHECKPOINT_BYTES. close() truncates the WAL.
            page = int(db.execute("PRAGMA page_size").fetchone()[0])
            db.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_BYTES // page}")
            # a WAL that starts over is cut back to this size (see _after_commit)
            db.execute(f"PRAGMA journal_size_limit = {WAL_RESTART_BYTES}")
            migrate(db)
            if not get_state(db, KEY_SNAPSHOT_IN_PROGRESS):  # a first sync ended before them
                restore_list_indexes(db)
        except sqlcipher3.DatabaseError as exc:  # a page the key opens but SQLite cannot read
            db.close()
            if not is_corruption(exc):
                raise
            raise CacheDamaged(_damaged(self.paths.db, [str(exc)]), [str(exc)]) from exc
        except BaseException:
            db.close()
            raise
        return db

    def verify(self) -> list[str]:
        """``PRAGMA quick_check`` on a connection of its own (any thread; a big cache takes
        seconds: ~15 s for 100,000 dossiers here); the problems found, ``[]`` when sound."""
        db = self._connect()
        try:
            return quick_check(db)
        finally:
            db.close()

    @staticmethod
    def _plaintext_docs_key(db: Database) -> bytes:
        stored = get_state(db, _DOCS_KEY_STATE)
        if stored is None:
            stored = secrets.token_hex(keys.KEY_BYTES)
            set_state(db, _DOCS_KEY_STATE, stored)
        return bytes.fromhex(stored)

    @classmethod
    def open(cls, server_url: str, username: str, *, data_dir: Path | str | None = None,
             plaintext: bool = False, allow_plaintext: bool = False,
             verify: str = "auto") -> Cache:
        """Open (creating if needed) the cache of this server and user.

        Raises :class:`CacheLocked` when the file exists but its key is missing or wrong,
        :class:`KeyringUnavailable` without a keyring, :class:`PlaintextNotAllowed` when a
        plaintext cache is requested or found without ``allow_plaintext``, and
        :class:`CacheDamaged` when the key opens it but it is corrupt.

        ``verify``: ``"always"`` runs ``PRAGMA quick_check`` before opening; ``"auto"`` does so
        for files up to :data:`VERIFY_AT_OPEN_MAX_BYTES` (a few thousand dossiers, well under a
        second) and leaves bigger ones to :meth:`verify` in the background (``verified`` says
        which happened); ``"never"`` skips it.
        """
        account = keys.account_id(server_url, username)
        paths = account_paths(account, data_dir)
        size = paths.db.stat().st_size if paths.db.exists() else 0
        check = size > 0 and (verify == "always" or
                              (verify == "auto" and size <= VERIFY_AT_OPEN_MAX_BYTES))
        if plaintext:
            if not allow_plaintext:
                raise PlaintextNotAllowed(
                    "A plaintext (unencrypted) local cache was requested, but the machine "
                    "policy does not allow it.")
            return cls(paths, key=None, allow_plaintext=True, verify=check)
        if is_plaintext_sqlite(paths.db):
            raise PlaintextNotAllowed(
                f"The local cache {paths.db} is not encrypted, but an encrypted cache is "
                "required; wipe it (it is rebuilt from the server) to continue.")
        if paths.db.exists() and paths.db.stat().st_size > 0:
            key = keys.load_cache_key(account)
            if key is None:
                raise _missing_key(paths.db, account)
        else:
            key, _ = keys.load_or_create_cache_key(account)
        return cls(paths, key=key, verify=check)

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran (views still on screen then show nothing, not errors)."""
        return self._closed

    def reader(self) -> Database:
        """This thread's read connection (opened on first use, closed by :meth:`close`).

        Use it for reads only; every write goes through :attr:`writer`."""
        db: Database | None = getattr(self._local, "db", None)
        if db is not None and self._closed:
            # Closed while this thread held a connection: close it here, in its own thread.
            self._local.db = None
            with contextlib.suppress(Exception):
                db.close()
            raise RuntimeError("the cache is closed")
        if db is None:
            with self._lock:
                if self._closed:
                    raise RuntimeError("the cache is closed")
                db = self._connect()
                self._readers.append((threading.current_thread(), db))
            self._local.db = db
        return db

    def write(self, fn: Callable[[Database], T]) -> T:
        """Shorthand for ``self.writer.run(fn)``: ``fn(db)`` in one transaction."""
        return self.writer.run(fn)

    def purge_orphan_documents(self) -> int:
        """Delete stored document files nothing refers to: no ``documents`` row, and not the
        bytes of a queued result upload (``upload-<client id>``) that may still be sent or
        that the user has not dismissed yet; returns how many. No file stored (a first sync's
        end): nothing to read (100,000 dossiers' 245,000 document ids: ~0.1 s)."""
        stored = self.documents.stored_ids()
        if not stored:
            return 0
        db = self.reader()
        known = {r[0] for r in db.execute("SELECT id FROM documents")}
        known |= {f"upload-{r[0]}" for r in db.execute(
            "SELECT client_id FROM outbox WHERE action = 'upload_result' AND state != 'applied' "
            "AND dismissed_at IS NULL")}
        orphans = stored - known
        for doc_id in orphans:
            self.documents.delete(doc_id)
        return len(orphans)

    def close(self) -> None:
        """Close the writer and the read connections.

        A read connection of another live thread may be in use right now: closing it under
        that thread would crash the process (SQLite use-after-free). It is interrupted instead
        (any running query fails with "interrupted") and closed by its own thread on its next
        :meth:`reader` call, or when that thread ends.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            readers, self._readers = self._readers, []
        me = threading.current_thread()
        for thread, db in readers:
            if thread is me or not thread.is_alive():
                with contextlib.suppress(Exception):
                    db.close()
                if thread is me:
                    self._local.db = None
            else:
                with contextlib.suppress(Exception):
                    db.conn.interrupt()
        self._checkpointer.close()
        self.writer.close()

    def wipe(self) -> None:
        """Close, then delete the database files, documents, decrypted copies and this
        account's keyring entries."""
        self.close()
        _delete_files(self.paths)
        try:
            keys.delete_account_secrets(self.paths.account_id)
        except KeyringUnavailable:
            if self.encrypted:  # a plaintext cache may live on a machine without a keyring
                raise

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _delete_files(paths: AccountPaths) -> None:
    remove_copies(open_copies_dir(paths.account_id))
    for path in paths.db_files:
        path.unlink(missing_ok=True)
    shutil.rmtree(paths.documents, ignore_errors=True)
    with contextlib.suppress(OSError):
        shutil.rmtree(paths.root)


def wipe_account(server_url: str, username: str, *, data_dir: Path | str | None = None) -> None:
    """Delete an account's cache without opening it (locked, revoked or disabled account):
    ``cache.db`` (+ ``-wal``/``-shm``), ``documents/``, the decrypted copies (also those left
    by a crash) and every keyring entry of the account. Close any open :class:`Cache` of the
    account first."""
    account = keys.account_id(server_url, username)
    _delete_files(account_paths(account, data_dir))
    keys.delete_account_secrets(account)


def remove_all_open_copies() -> int:
    """Remove every account's decrypted copies (the desktop app does it at start-up, once it
    knows it is the only instance: anything there was left by a crash or a kill)."""
    return remove_copies(open_copies_root())
