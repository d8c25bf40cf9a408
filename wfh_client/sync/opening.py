"""Opening an account's cache for the app and the CLI, without ever deleting user work.

:func:`open_account_cache` opens the cache with the settings of the machine policy. When the file
cannot be opened it never deletes it:

- **damaged** (the key opens it, ``PRAGMA quick_check`` fails): it is moved aside at once, the
  unsent changes that can still be read are carried into a fresh cache (they are pushed by the
  next sync), and the result says how many were carried and how many were lost;
- **key missing / wrong key / unencrypted where encryption is required**: the caller decides
  (the user is asked, or ``wfh-client login`` is run): with ``start_fresh=True`` it is moved
  aside (how many unsent changes it held cannot be told without its key) and a fresh cache is
  created; otherwise :class:`~wfh_client.store.errors.CacheLocked` /
  :class:`~wfh_client.store.errors.PlaintextNotAllowed` is raised with its ``reason``;
- **no usable keyring** (``KeyringUnavailable``): always raised; nothing is touched.

The keyring's refresh token is never touched here: the user stays signed in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from wfh_client.config import Config
from wfh_client.store import keys
from wfh_client.store.cache import Cache, account_paths
from wfh_client.store.errors import (
    CacheDamaged,
    CacheLocked,
    KeyringUnavailable,
    PlaintextNotAllowed,
)
from wfh_client.store.recovery import SetAside, restore_salvaged, set_aside
from wfh_client.sync.account import Account

__all__ = ["OpenedCache", "open_account_cache"]

log = logging.getLogger(__name__)


@dataclass
class OpenedCache:
    cache: Cache
    set_aside: SetAside | None = None  # what happened to an unreadable earlier cache


def _kwargs(config: Config, plaintext: bool) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"data_dir": config.data_dir,
                              "allow_plaintext": bool(config.get("allow_plaintext_cache"))}
    if plaintext:
        kwargs["plaintext"] = True
    return kwargs


def open_account_cache(config: Config, account: Account, *, plaintext: bool = False,
                       start_fresh: bool = False, verify: str = "auto",
                       known_damaged: bool = False) -> OpenedCache:
    """Open ``account``'s cache (see the module docstring for what happens when it cannot).

    ``known_damaged``: a check run after an earlier open (``Cache.verify`` in the background,
    for big caches) found it corrupt: set it aside now without checking it again."""
    kwargs = _kwargs(config, plaintext)
    paths = account_paths(account.id, config.data_dir)
    try:
        if known_damaged:
            raise CacheDamaged("found damaged by the background check")
        return OpenedCache(Cache.open(account.server_url, account.username, verify=verify,
                                      **kwargs))
    except KeyringUnavailable:
        raise
    except CacheDamaged:
        # the key still opens the file: keep it, so the set-aside copy stays readable too
        report = set_aside(paths, "damaged", key=keys.load_cache_key(account.id))
    except (CacheLocked, PlaintextNotAllowed) as exc:
        if not start_fresh or not paths.db.exists():
            raise
        report = set_aside(paths, exc.reason, key=None)
        _drop_unusable_key(account.id)
    cache = Cache.open(account.server_url, account.username, verify="never", **kwargs)
    try:
        if report.salvaged:
            restored = cache.write(lambda db: restore_salvaged(db, report))
            log.warning("%d unsent changes carried over from the set-aside cache", restored)
    except BaseException:
        cache.close()
        raise
    return OpenedCache(cache, report)


def _drop_unusable_key(account: str) -> None:
    """A keyring entry that is not a valid key cannot open a new cache either: replace it."""
    try:
        keys.load_cache_key(account)
    except CacheLocked as exc:
        if isinstance(exc, KeyringUnavailable):
            raise
        keys.delete_secret(keys.CACHE_KEY, account)
