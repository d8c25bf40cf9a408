"""A cache that cannot be opened is moved aside, never deleted, and what it held is salvaged.

Why a cache may not open (``Unreadable.reason``):

- ``key_missing``: its key is no longer in the OS keyring (keyring reset, new user profile);
- ``wrong_key``: the keyring holds a key that does not open the file;
- ``damaged``: the key opens it but SQLite finds it corrupt (``PRAGMA quick_check``), e.g.
  after a disk fault or a copy cut short;
- ``not_encrypted``: a plaintext file where the policy requires an encrypted cache.

:func:`set_aside` moves the database files (and, when the key is gone, the documents it
encrypted) to ``<account>/set-aside/<UTC time>-<reason>/`` with a ``LISEZ-MOI/README.txt`` for
IT, and returns a :class:`SetAside` report: how many unsent changes the file held (``None``:
cannot tell without its key) and the rows salvaged from it. Where the key still opens the file
(``damaged``), the unsent outbox entries and on-call answers are read row by row, skipping
unreadable ones; :func:`restore_salvaged` puts them into the fresh cache under their own
client ids (their ``Idempotency-Key``), so an entry the server already applied keeps one
effect. Nothing here talks to the network or the keyring; ``wfh_client.sync.opening`` decides
when to call it and tells the user.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlite_utils import Database

from wfh_client.store.cache import AccountPaths
from wfh_client.store.connection import connect

__all__ = [
    "SET_ASIDE_DIR",
    "SetAside",
    "UNSENT_ONCALL_STATES",
    "UNSENT_OUTBOX_STATES",
    "list_set_aside",
    "restore_salvaged",
    "set_aside",
]

log = logging.getLogger(__name__)

SET_ASIDE_DIR = "set-aside"
UNSENT_OUTBOX_STATES = ("pending", "sending", "conflict")
UNSENT_ONCALL_STATES = ("pending", "sending")
_OUTBOX_COLS = ("client_id", "dossier_id", "action", "payload", "base_version", "rebase_count",
                "created_at")
_ONCALL_COLS = ("client_id", "kind", "recall_id", "payload", "created_at")

_README = """\
Dữ liệu cục bộ không mở được / A local cache that could not be opened
=====================================================================

Thư mục này chứa bản sao dữ liệu cục bộ của ứng dụng làm việc tại nhà đã không mở được
({reason}) lúc {when}. Ứng dụng đã tải lại dữ liệu từ máy chủ; tệp này được giữ lại, không xóa.
Các thay đổi chưa gửi có trong tệp: {unsent_vi}.

This folder holds the app's local cache as it was when it could not be opened ({reason}) at
{when}. The app started again from the server's copy; this file is kept, never deleted.
Unsent changes it held: {unsent_en}.

The file is encrypted with a key that lived in the OS keyring (entry "cache-key:<account id>",
service "wfh-client"); without that key nobody can read it. Keep it for IT until they confirm
nothing in it is needed, then delete this folder (`wfh-client doctor` lists these copies).
"""


@dataclass
class SetAside:
    """What happened to a cache that could not be opened."""

    reason: str
    folder: Path
    unsent: int | None  # unsent changes the file held; None: cannot tell (no key)
    outbox: list[dict[str, Any]] = field(default_factory=list)  # salvaged, restorable rows
    oncall: list[dict[str, Any]] = field(default_factory=list)
    unreadable_rows: int = 0  # unsent rows whose pages were damaged

    @property
    def salvaged(self) -> int:
        return len(self.outbox) + len(self.oncall)

    @property
    def lost(self) -> int | None:
        """Unsent changes that could not be carried over (None: cannot tell)."""
        return None if self.unsent is None else max(0, self.unsent - self.salvaged)

    def as_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "folder": str(self.folder), "unsent": self.unsent,
                "salvaged": self.salvaged, "lost": self.lost}


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _rows(db: Database, table: str, cols: tuple[str, ...], states: tuple[str, ...]
          ) -> tuple[list[dict[str, Any]], int]:
    """The unsent rows of ``table``, read one by one so a damaged page loses only its rows.

    Returns (readable rows, count of unsent rows that could not be read)."""
    marks = ", ".join("?" * len(states))
    try:
        return [dict(zip(cols, r, strict=True)) for r in db.execute(
            f"SELECT {', '.join(cols)} FROM {table} WHERE state IN ({marks}) "  # noqa: S608
            "ORDER BY seq", list(states)).fetchall()], 0
    except sqlcipher3.DatabaseError as exc:
        log.warning("salvage: %s cannot be read in one go (%s); reading row by row", table, exc)
    try:
        top = int(db.execute(f"SELECT max(seq) FROM {table}").fetchone()[0] or 0)  # noqa: S608
    except sqlcipher3.DatabaseError:
        top = 100_000  # the index is damaged too: probe the usual range
    found: list[dict[str, Any]] = []
    lost = 0
    for seq in range(1, top + 1):
        try:
            row = db.execute(f"SELECT state, {', '.join(cols)} FROM {table} "  # noqa: S608
                             "WHERE seq = ?", [seq]).fetchone()
        except sqlcipher3.DatabaseError:
            lost += 1  # cannot tell whether it was unsent: count it as possibly lost
            continue
        if row is not None and row[0] in states:
            found.append(dict(zip(cols, row[1:], strict=True)))
    return found, lost


def _salvage(path: Path, key: bytes | None, report: SetAside) -> None:
    if key is None:
        return
    try:
        db = connect(path, key)
    except Exception as exc:  # noqa: BLE001 - a file we cannot open at all: nothing to salvage
        log.warning("salvage: cannot open %s: %s", path, exc)
        report.unsent = None
        return
    try:
        report.outbox, lost_outbox = _rows(db, "outbox", _OUTBOX_COLS, UNSENT_OUTBOX_STATES)
        report.oncall, lost_oncall = _rows(db, "oncall_queue", _ONCALL_COLS, UNSENT_ONCALL_STATES)
        report.unreadable_rows = lost_outbox + lost_oncall
        report.unsent = report.salvaged + report.unreadable_rows
    finally:
        with contextlib.suppress(Exception):
            db.close()


def set_aside(paths: AccountPaths, reason: str, *, key: bytes | None) -> SetAside:
    """Move the account's unreadable cache out of the way and salvage what its key allows.

    ``key``: the key that still opens the file (``damaged``), else ``None``. The documents stay
    in place when the key stays (they remain readable by the new cache), else they move too.
    """
    folder = paths.root / SET_ASIDE_DIR / f"{_stamp()}-{reason}"
    n = 1
    while folder.exists():
        n += 1
        folder = folder.with_name(f"{folder.name.split('~')[0]}~{n}")
    folder.mkdir(parents=True, mode=0o700)
    for src in paths.db_files:
        if src.exists():
            os.replace(src, folder / src.name)
    if key is None and paths.documents.exists():
        os.replace(paths.documents, folder / paths.documents.name)
    report = SetAside(reason, folder, None)
    _salvage(folder / paths.db.name, key, report)
    unsent_en = "cannot tell (the key is missing)" if report.unsent is None else \
        f"{report.unsent} ({report.salvaged} carried into the new cache)"
    unsent_vi = "không xác định được (mất khóa)" if report.unsent is None else \
        f"{report.unsent} ({report.salvaged} đã chuyển sang dữ liệu mới)"
    (folder / "README.txt").write_text(_README.format(
        reason=reason, when=datetime.now(UTC).isoformat(timespec="seconds"),
        unsent_en=unsent_en, unsent_vi=unsent_vi), encoding="utf-8")
    log.warning("cache of account %s set aside (%s) in %s: unsent %s, salvaged %d",
                paths.account_id, reason, folder, report.unsent, report.salvaged)
    return report


def restore_salvaged(db: Database, report: SetAside) -> int:
    """Queue the salvaged rows in the fresh cache (a writer transaction); returns how many.

    They keep their client ids, so the server recognises an action it already applied.
    Entries that waited on a conflict are sent again: the server answers with its state."""
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    added = 0
    for row in report.outbox:
        added += db.execute(
            "INSERT OR IGNORE INTO outbox (client_id, dossier_id, action, payload, base_version, "
            "rebase_count, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
            [row["client_id"], row["dossier_id"], row["action"], row["payload"],
             row["base_version"], row["rebase_count"] or 0, row["created_at"], now]).rowcount
    for row in report.oncall:
        added += db.execute(
            "INSERT OR IGNORE INTO oncall_queue (client_id, kind, recall_id, payload, created_at, "
            "state, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)",
            [row["client_id"], row["kind"], row["recall_id"], row["payload"], row["created_at"],
             now]).rowcount
    return added


def list_set_aside(paths: AccountPaths) -> list[dict[str, Any]]:
    """The set-aside copies of this account, newest first (for ``doctor`` and support)."""
    root = paths.root / SET_ASIDE_DIR
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(root.iterdir(), reverse=True):
        if not folder.is_dir():
            continue
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        out.append({"folder": str(folder), "bytes": size})
    return out


def remove_set_aside(folder: Path) -> None:
    """Delete one set-aside copy (the user or IT decided it is no longer needed)."""
    if folder.parent.name != SET_ASIDE_DIR:
        raise ValueError(f"{folder} is not a set-aside copy")
    shutil.rmtree(folder)
