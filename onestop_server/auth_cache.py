"""Per-worker cache of the access-token lookups ``auth.current_user`` makes on every request.

A renewed long-poll (every delivered event) used to cost a database query, a threadpool hop
and a pooled connection just to learn who is asking. The cache keeps, per token hash, what the
last successful lookup read (the user, the device, the token's expiry, the device's
``last_seen_at``) and answers from it without the database, with the same checks and answers:

- **expiry** is checked against the clock on every request (the cached ``expires_at``);
- **revocation** (logout, a reused refresh token, a revoked device, a disabled account, a
  changed role or department, retention deleting tokens): any committed UPDATE or DELETE of
  ``access_tokens``, ``devices`` or ``users`` clears the whole cache of the worker that made it
  (``db.on_auth_change``, after the commit) and, on PostgreSQL, of every worker
  (``NOTIFY onestop_auth``, sent in that transaction and received by each worker's events
  listener). A lookup that started before such a clear does not store what it read
  (``generation``), so a row read just before a revocation committed is never kept after it;
- on PostgreSQL the cache is only used while this worker's listener is connected (otherwise it
  could miss another worker's revocation); a reconnect clears it;
- entries older than ``max_age`` seconds (5 minutes, the device's ``last_seen_at`` period) are
  read again anyway (a safety net: a writer that bypasses ``db.make_engine``, e.g. hand-written
  SQL in psql).

Only the events feed uses it (``auth.feed_user``); every other route reads the database
(``auth.current_user``) and refreshes the cache with what it read.

The device's ``last_seen_at`` is still written every 5 minutes per device (a cache hit whose
stamp is due goes to the database like a miss).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class CachedAuth:
    user: Any  # auth.CurrentUser
    expires_at: datetime
    last_seen_at: datetime | None
    stored: float  # time.monotonic()


class AuthCache:
    def __init__(self, *, max_age: float = 300.0, max_entries: int = 100_000,
                 usable: Callable[[], bool] | None = None) -> None:
        self.max_age = max_age
        self.max_entries = max_entries
        self._usable = usable
        self._rows: dict[str, CachedAuth] = {}
        self._lock = threading.Lock()
        self._generation = 0
        self.hits = 0
        self.misses = 0

    @property
    def generation(self) -> int:
        """Read before a lookup's query; pass to ``put``."""
        return self._generation

    def usable(self) -> bool:
        return self._usable is None or self._usable()

    def get(self, key: str) -> CachedAuth | None:
        if not self.usable():
            return None
        entry = self._rows.get(key)
        if entry is None or time.monotonic() - entry.stored > self.max_age:
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, key: str, user: Any, expires_at: datetime, last_seen_at: datetime | None,
            generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return  # a revocation committed while this lookup ran: do not keep its row
            if len(self._rows) >= self.max_entries:
                self._rows.clear()
            self._rows[key] = CachedAuth(user, expires_at, last_seen_at, time.monotonic())

    def invalidate(self) -> None:
        """Forget everything (thread-safe)."""
        with self._lock:
            self._generation += 1
            self._rows.clear()

    def __len__(self) -> int:
        return len(self._rows)
