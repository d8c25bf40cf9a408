"""Read-only views of an account's local cache for ``status`` and ``doctor``.

A thin adapter over ``wfh_client.store``: figures from ``store.state.counts`` and the integrity
check from ``PRAGMA integrity_check``. An account without a cache file is reported as such and
no cache (nor keyring key) is created; a cache that cannot be opened (key missing or wrong,
keyring locked) is reported with the store's message instead of failing the command.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from wfh_client.config import Config
from wfh_client.store.cache import Cache, account_paths
from wfh_client.store.errors import StoreError
from wfh_client.store.recovery import list_set_aside
from wfh_client.store.state import counts as store_counts
from wfh_client.store.state import get_state
from wfh_client.sync.account import Account
from wfh_client.sync.engine import KEY_CALENDAR

log = logging.getLogger(__name__)


def _open(config: Config, account: Account) -> Cache | None:
    paths = account_paths(account.id, config.data_dir)
    if not paths.db.exists():
        return None
    plaintext = bool(config.get("allow_plaintext_cache"))
    try:
        return Cache.open(account.server_url, account.username, data_dir=config.data_dir)
    except StoreError:
        if not plaintext:
            raise
        return Cache.open(account.server_url, account.username, data_dir=config.data_dir,
                          plaintext=True, allow_plaintext=True)


def counts(config: Config, account: Account) -> dict[str, Any]:
    """``{"available": True, dossiers, pending, conflicts, rejected, last_success_at}`` or
    ``{"available": False, "detail": why}``."""
    try:
        cache = _open(config, account)
    except StoreError as exc:
        return {"available": False, "detail": str(exc)}
    if cache is None:
        return {"available": False, "detail": "no local cache yet (never synced)"}
    with cache:
        return {"available": True, **asdict(store_counts(cache.reader()))}


def calendar_check(config: Config, account: Account) -> tuple[bool, str]:
    """``(ok, detail)`` about the cached working calendar: its version and horizon, and the
    years whose days off are not decreed yet (a warning, not a failure)."""
    try:
        cache = _open(config, account)
    except StoreError as exc:
        return False, str(exc)
    if cache is None:
        return True, "no calendar yet (never synced)"
    with cache:
        cal = get_state(cache.reader(), KEY_CALENDAR)
    if not isinstance(cal, dict):
        return True, "no calendar yet (never synced)"
    resolved = cal.get("resolved") or {}
    detail = (f"version {cal.get('version', 'unknown (old server)')}, resolved "
              f"{resolved.get('from', '?')} .. {resolved.get('to', '?')}")
    years = cal.get("unconfirmed_years") or []
    if years:
        detail += (f"; WARNING: days off of {', '.join(map(str, years))} not confirmed yet "
                   "(deadlines there may move when the decree is published)")
    return True, detail


def set_aside_copies(config: Config, account: Account) -> list[dict[str, Any]]:
    """The unreadable caches of this account kept aside (``store.recovery``), newest first."""
    return list_set_aside(account_paths(account.id, config.data_dir))


def integrity(config: Config, account: Account) -> tuple[bool, str]:
    """``(ok, detail)`` from the cache's ``PRAGMA integrity_check``."""
    try:
        cache = _open(config, account)
    except StoreError as exc:
        return False, str(exc)
    if cache is None:
        return True, "no local cache yet"
    with cache:
        rows = [str(r[0]) for r in cache.reader().execute("PRAGMA integrity_check").fetchall()]
        size = cache.paths.db.stat().st_size
    if rows == ["ok"]:
        kind = "encrypted" if cache.encrypted else "PLAINTEXT"
        return True, f"{cache.paths.db} ({kind}, {size} bytes): integrity ok"
    return False, f"{cache.paths.db}: integrity check failed: {'; '.join(rows[:5])}"
