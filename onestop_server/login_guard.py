"""Password-guessing defences around ``POST /api/v1/auth/login``.

* **Throttling with exponential delay**, per account name and per client address, kept in the
  database (``db.login_throttle``) so every worker process agrees. Each failed login counts
  against both scopes; past ``*_free_failures`` failures a scope is blocked for
  ``base_delay * 2**(n - 1)`` (capped at ``max_delay``) after its n-th extra failure. A blocked
  scope answers 429 ``auth.throttled`` with ``Retry-After`` *before any password is checked*:
  even the right password waits (otherwise the block would only slow the attacker's wrong
  guesses). A success clears the account's counter, never the address's (an attacker with one
  valid account must not be able to reset the address they spray from); counters are forgotten
  ``forget_after`` the last failure. Unknown user names count like known ones, so throttling
  does not reveal which accounts exist. IPv6 addresses count per /64.
* **Bounded hashing**: argon2 with the library's defaults costs ~64 MiB and ~0.25 CPU-s per
  check; at most ``max_concurrent_hashes`` run at once per process (:meth:`LoginGuard.slot`).
  A login that cannot get a slot within ``slot_wait_seconds`` answers 429 ``auth.throttled``
  (``details.reason = "busy"``), so a flood costs bounded memory instead of gigabytes.
* **Device cap**: at most ``max_devices`` active (not revoked) devices per account; a login
  from one more is refused with 403 ``auth.device_limit`` and the audit log names the oldest
  device (least recently seen) for the admin to revoke.

Behind a reverse proxy, run uvicorn with ``--proxy-headers --forwarded-allow-ips=<proxy>`` so
that the client address is the user's, not the proxy's.
"""

from __future__ import annotations

import contextlib
import ipaddress
import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request
from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from onestop_server import audit, db
from onestop_server.deps import as_utc, iso
from onestop_server.errors import ApiError

__all__ = ["LoginGuard", "LoginPolicy", "client_address", "get_login_guard"]


@dataclass(frozen=True)
class LoginPolicy:
    """The login defences' knobs (``create_app(login_policy=...)``)."""

    account_free_failures: int = 5
    address_free_failures: int = 20
    base_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(minutes=15)
    forget_after: timedelta = timedelta(hours=24)
    max_concurrent_hashes: int = 4
    slot_wait_seconds: float = 5.0
    busy_retry_after_seconds: int = 2
    max_devices: int = 5


def throttled(retry_after: float, reason: str) -> ApiError:
    seconds = max(1, math.ceil(retry_after))
    return ApiError(
        429, "auth.throttled",
        f"Too many sign-in attempts; try again in {seconds} seconds.",
        {"retry_after": seconds, "reason": reason},
        headers={"Retry-After": str(seconds)},
    )


def client_address(request: Request) -> str:
    """The caller's address; an IPv6 address stands for its /64 (one host's whole range)."""
    host = request.client.host if request.client is not None else ""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host[:64] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _scopes(username: str, address: str) -> dict[str, str]:
    return {"account": "account:" + username.casefold()[:100], "address": "address:" + address}


class LoginGuard:
    """Throttling, the hashing slots and the device cap of one app (``app.state.login_guard``)."""

    def __init__(self, policy: LoginPolicy | None = None) -> None:
        self.policy = policy or LoginPolicy()
        self._slots = threading.BoundedSemaphore(self.policy.max_concurrent_hashes)
        self._lock = threading.Lock()
        self.in_flight = 0
        self.peak_in_flight = 0  # the most password checks that ever ran at once (a metric)

    # ---- hashing slots ----------------------------------------------------------------------

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the hashing slots; 429 ``auth.throttled`` (busy) if none frees up."""
        if not self._slots.acquire(timeout=self.policy.slot_wait_seconds):
            raise throttled(self.policy.busy_retry_after_seconds, "busy")
        try:
            with self._lock:
                self.in_flight += 1
                self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            yield
        finally:
            with self._lock:
                self.in_flight -= 1
            self._slots.release()

    # ---- throttling -------------------------------------------------------------------------

    def check(self, engine: Engine, username: str, address: str, now: datetime) -> None:
        """429 ``auth.throttled`` when the account or the address is blocked right now."""
        scopes = _scopes(username, address)
        t = db.login_throttle
        with engine.connect() as conn:
            rows = conn.execute(
                select(t.c.scope, t.c.blocked_until).where(t.c.scope.in_(list(scopes.values())))
            ).all()
        waits = {
            kind: (until - now).total_seconds()
            for kind, scope in scopes.items()
            for r in rows
            if r.scope == scope and (until := as_utc(r.blocked_until)) is not None and until > now
        }
        if waits:
            kind = max(waits, key=lambda k: waits[k])
            raise throttled(waits[kind], kind)

    def _delay(self, extra_failures: int) -> timedelta:
        seconds = self.policy.base_delay.total_seconds() * 2 ** min(extra_failures - 1, 40)
        return min(self.policy.max_delay, timedelta(seconds=seconds))

    def _bump(self, conn: Connection, scope: str, free: int, now: datetime) -> tuple[int, datetime | None]:
        """Count one failure for ``scope``; returns (failures, blocked_until when it starts)."""
        t = db.login_throttle
        row = conn.execute(
            select(t.c.failures, t.c.last_failure_at).where(t.c.scope == scope).with_for_update()
        ).one_or_none()
        last = as_utc(row.last_failure_at) if row is not None else None
        failures = 1 if row is None or last is None or now - last > self.policy.forget_after \
            else int(row.failures) + 1
        until = now + self._delay(failures - free) if failures > free else None
        values = {"failures": failures, "last_failure_at": now, "blocked_until": until}
        if row is None:
            conn.execute(insert(t).values(scope=scope, **values))
        else:
            conn.execute(update(t).where(t.c.scope == scope).values(**values))
        return failures, until

    def failed(
        self, engine: Engine, *, username: str, address: str, now: datetime, reason: str,
        user_id: int | None,
    ) -> None:
        """Record a failed login (counters and the audit log) in its own transaction."""
        scopes = _scopes(username, address)
        free = {"account": self.policy.account_free_failures,
                "address": self.policy.address_free_failures}
        for attempt in range(2):
            try:
                with db.write_transaction(engine) as conn:
                    audit.record(conn, audit.LOGIN_FAILURE, at=now, username=username,
                                 user_id=user_id, address=address, reason=reason)
                    for kind, scope in scopes.items():
                        failures, until = self._bump(conn, scope, free[kind], now)
                        if until is not None:
                            audit.record(conn, audit.LOGIN_BLOCKED, at=now, username=username,
                                         user_id=user_id, address=address, scope=kind,
                                         failures=failures, until=iso(until))
                return
            except IntegrityError:  # a concurrent failure created the same counter row
                if attempt:
                    raise

    def succeeded(self, conn: Connection, username: str, address: str) -> None:
        """A successful login clears the account's counter (in the login's transaction)."""
        scope = _scopes(username, address)["account"]
        conn.execute(delete(db.login_throttle).where(db.login_throttle.c.scope == scope))

    # ---- devices ----------------------------------------------------------------------------

    def device_limit(self, conn: Connection, user_id: int, username: str, address: str,
                     now: datetime) -> ApiError | None:
        """The refusal (already audited) when the account has no room for one more device."""
        d = db.devices
        active = and_(d.c.user_id == user_id, d.c.revoked_at.is_(None))
        count = int(conn.execute(select(func.count()).select_from(d).where(active)).scalar_one())
        limit = self.policy.max_devices
        if count < limit:
            return None
        oldest = conn.execute(
            select(d.c.id, d.c.name, d.c.last_seen_at).where(active)
            .order_by(func.coalesce(d.c.last_seen_at, d.c.created_at), d.c.id).limit(1)
        ).one()
        audit.record(conn, audit.DEVICE_LIMIT, at=now, username=username, user_id=user_id,
                     address=address, limit=limit, active=count,
                     oldest={"device_pk": int(oldest.id), "name": oldest.name or "",
                             "last_seen_at": iso(oldest.last_seen_at)})
        return ApiError(
            403, "auth.device_limit",
            f"This account is already used on {count} devices, the most allowed. Ask IT to "
            "revoke one you no longer use.",
            {"limit": limit},
        )


def get_login_guard(request: Request) -> LoginGuard:
    guard: LoginGuard = request.app.state.login_guard
    return guard
