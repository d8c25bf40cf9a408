"""Accounts on this device: identity, the current account, and wiping an account.

An account is a (server URL, username) pair; its id is the store's
``wfh_client.store.keys.account_id`` (``sha256("<server>|<username>")[:16]``), so the keyring
entries (``"<kind>:<id>"``) and the cache folder agree across layers.

The *current* account (which server and user the CLI/app talks to) is remembered in
``<data dir>/account.json`` - server, username and the last known user profile; nothing secret.

:func:`wipe_account` is what a revoked device or disabled account triggers: it deletes the cache
database and its documents (through the store's wipe), every keyring entry of the account (ours
and the store's cache key) and forgets the current account. The keyring entries go even if the
store's wipe fails, and the cache key's deletion alone already makes any leftover encrypted file
unreadable.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wfh_client.config import Config, LockedSettingError, atomic_write_text
from wfh_client.store.cache import account_paths
from wfh_client.store.cache import wipe_account as store_wipe_account
from wfh_client.store.keys import account_id, normalise_server_url

if TYPE_CHECKING:
    from wfh_client.sync.auth import TokenStore

log = logging.getLogger(__name__)

CURRENT_FILE = "account.json"


@dataclass(frozen=True)
class Account:
    server_url: str
    username: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "server_url", normalise_server_url(self.server_url))
        object.__setattr__(self, "username", self.username.strip())

    @property
    def id(self) -> str:
        return account_id(self.server_url, self.username)


@dataclass(frozen=True)
class CurrentAccount:
    account: Account
    user: dict[str, Any] = field(default_factory=dict)


def save_current(data_dir: Path, account: Account, user: dict[str, Any] | None = None) -> None:
    payload = {"server_url": account.server_url, "username": account.username,
               "account_id": account.id, "user": user or {}}
    atomic_write_text(data_dir / CURRENT_FILE,
                      json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def load_current(data_dir: Path) -> CurrentAccount | None:
    """The remembered account, or ``None`` (missing or unreadable file: logged, not fatal)."""
    path = data_dir / CURRENT_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        account = Account(str(data["server_url"]), str(data["username"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return None
    user = data.get("user")
    return CurrentAccount(account, user if isinstance(user, dict) else {})


def current_account(config: Config) -> CurrentAccount | None:
    """The remembered account, unless the machine policy locks another server.

    ``account.json`` is the user's file: it must never take the app to a server other than the
    locked one (a locked server always wins), so such an account counts as not logged in.
    """
    current = load_current(config.data_dir)
    if current is None:
        return None
    try:
        config.check_server(current.account.server_url)
    except LockedSettingError as exc:
        log.warning("not resuming the remembered account: %s", exc)
        return None
    return current


def clear_current(data_dir: Path) -> None:
    (data_dir / CURRENT_FILE).unlink(missing_ok=True)


def account_dir(data_dir: Path, account: Account) -> Path:
    """The account's cache folder (the store's layout: ``<data dir>/accounts/<id>``)."""
    return account_paths(account.id, data_dir).root


StoreWipe = Callable[..., Any]


@dataclass
class WipeReport:
    cache_wiped: bool = False
    keyring_entries: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def wipe_account(
    data_dir: Path, account: Account, tokens: TokenStore, *, store_wipe: StoreWipe | None = None
) -> WipeReport:
    """Remove everything the device holds for ``account``: cache, documents, keyring entries.

    Best effort and complete: a failing step is reported in ``WipeReport.errors`` and the other
    steps still run, so a broken cache file never keeps the refresh token alive (and the other
    way round). ``store_wipe(server_url, username, data_dir=...)`` defaults to the store's.
    """
    report = WipeReport()
    wipe = store_wipe or store_wipe_account
    try:
        # Deletes cache.db (+ -wal/-shm), documents/ and the store's keyring entries. Any open
        # ``Cache`` of this account must be closed first (the app does it in on_revoked).
        wipe(account.server_url, account.username, data_dir=data_dir)
        report.cache_wiped = not account_dir(data_dir, account).exists()
    except Exception as exc:  # noqa: BLE001 - keep going: the keyring entries must still go
        log.exception("cache wipe failed for account %s", account.id)
        report.errors.append(f"cache: {exc}")
    try:  # again, with our broader keyring error handling (and the refresh token)
        report.keyring_entries = tokens.delete_account(account.id)
    except Exception as exc:  # noqa: BLE001 - report, do not hide the rest of the wipe
        report.errors.append(f"keyring: {exc}")
    current = load_current(data_dir)
    if current is not None and current.account == account:
        with contextlib.suppress(OSError):
            clear_current(data_dir)
    log.warning("account %s wiped (cache: %s, keyring: %s)", account.id, report.cache_wiped,
                report.keyring_entries)
    return report
