"""Authentication: argon2 login, per-device registration, opaque rotating tokens.

Tokens are ``secrets.token_urlsafe(32)`` strings; only their SHA-256 hex is stored. A login
starts a token *family*; each refresh rotates the refresh token inside the family, and presenting
an already-rotated refresh token revokes the whole family (``auth.refresh_reused``). A revoked
device or a disabled account answers a distinct 403 code so the client can wipe itself.

Login is guarded against password guessing (``login_guard``: throttling with exponential delay
per account and address, bounded concurrent hashing, a device cap), rehashes passwords whose
argon2 parameters changed, and is audited (``audit``).

Other routers depend on ``current_user`` (-> ``CurrentUser``) and ``require_role``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import Connection, Engine

from onestop_server import audit, db
from onestop_server.auth_cache import AuthCache
from onestop_server.deps import Settings, as_utc, get_clock, get_engine, get_settings
from onestop_server.errors import ApiError
from onestop_server.login_guard import LoginGuard, client_address, get_login_guard

router = APIRouter(tags=["auth"])

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both failures take about as long.
_DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))
_LAST_SEEN_EVERY = timedelta(minutes=5)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    full_name: str
    role: str
    department_id: str | None
    device_pk: int
    family_id: str


# ---- request / response models -------------------------------------------------------------


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    device_id: str = Field(min_length=1, max_length=128)
    device_name: str | None = Field(default=None, max_length=200)


class RefreshIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=1, max_length=256)
    device_id: str = Field(min_length=1, max_length=128)


class UserOut(BaseModel):
    id: int
    username: str
    full_name: str
    title: str
    role: str
    department_id: str | None
    department_name: str | None


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int
    user: UserOut


# ---- errors ---------------------------------------------------------------------------------


def _invalid_token() -> ApiError:
    return ApiError(401, "auth.invalid_token", "The token is missing, unknown or revoked.")


def _expired() -> ApiError:
    return ApiError(401, "auth.token_expired", "The token has expired.")


def _device_revoked() -> ApiError:
    return ApiError(403, "auth.device_revoked", "This device has been revoked.")


def _account_disabled() -> ApiError:
    return ApiError(403, "auth.account_disabled", "This account has been disabled.")


# ---- helpers ---------------------------------------------------------------------------------


def user_out(conn: Connection, user_id: int) -> UserOut:
    row = conn.execute(
        select(
            db.users.c.id,
            db.users.c.username,
            db.users.c.full_name,
            db.users.c.title,
            db.users.c.role,
            db.users.c.department_id,
            db.departments.c.name.label("department_name"),
        )
        .select_from(
            db.users.outerjoin(db.departments, db.departments.c.id == db.users.c.department_id)
        )
        .where(db.users.c.id == user_id)
    ).one()
    return UserOut(
        id=row.id,
        username=row.username,
        full_name=row.full_name,
        title=row.title or "",
        role=row.role,
        department_id=row.department_id,
        department_name=row.department_name,
    )


def revoke_family(conn: Connection, family_id: str, now: datetime) -> None:
    """Revoke every access and refresh token of a family."""
    conn.execute(
        update(db.refresh_tokens)
        .where(and_(db.refresh_tokens.c.family_id == family_id, db.refresh_tokens.c.revoked_at.is_(None)))
        .values(revoked_at=now)
    )
    conn.execute(
        update(db.access_tokens)
        .where(and_(db.access_tokens.c.family_id == family_id, db.access_tokens.c.revoked_at.is_(None)))
        .values(revoked_at=now)
    )


def revoke_device_tokens(conn: Connection, device_pk: int, now: datetime) -> None:
    families = conn.execute(
        select(db.refresh_tokens.c.family_id)
        .where(db.refresh_tokens.c.device_pk == device_pk)
        .distinct()
    ).scalars().all()
    for family in families:
        revoke_family(conn, family, now)
    conn.execute(
        update(db.access_tokens)
        .where(and_(db.access_tokens.c.device_pk == device_pk, db.access_tokens.c.revoked_at.is_(None)))
        .values(revoked_at=now)
    )


def _issue(
    conn: Connection, *, user_id: int, device_pk: int, family_id: str, now: datetime, settings: Settings
) -> TokenOut:
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    conn.execute(
        insert(db.access_tokens).values(
            token_hash=token_hash(access),
            family_id=family_id,
            device_pk=device_pk,
            user_id=user_id,
            expires_at=now + settings.access_ttl,
        )
    )
    conn.execute(
        insert(db.refresh_tokens).values(
            token_hash=token_hash(refresh),
            family_id=family_id,
            device_pk=device_pk,
            user_id=user_id,
            created_at=now,
            expires_at=now + settings.refresh_ttl,
        )
    )
    return TokenOut(
        access_token=access,
        refresh_token=refresh,
        expires_in=int(settings.access_ttl.total_seconds()),
        user=user_out(conn, user_id),
    )


def _verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


# ---- dependencies ----------------------------------------------------------------------------


_bearer_scheme = HTTPBearer(auto_error=False, description="An access token from /auth/login.")


def _bearer(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _invalid_token()
    token = credentials.credentials.strip()
    if not token or len(token) > 256:
        raise _invalid_token()
    return token


def current_user(
    request: Request,
    engine: Annotated[Engine, Depends(get_engine)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)],
) -> CurrentUser:
    """The authenticated caller, from ``Authorization: Bearer <access token>`` (always read from
    the database; what it read is kept in the worker's ``auth_cache`` for ``feed_user``)."""
    token = _bearer(credentials)
    cache: AuthCache | None = getattr(request.app.state, "auth_cache", None)
    return _lookup(engine, token_hash(token), get_clock(request).now(), cache)


async def feed_user(
    request: Request,
    engine: Annotated[Engine, Depends(get_engine)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)],
) -> CurrentUser:
    """``current_user`` for the events long-poll, renewed after every delivered event: answered
    from the worker's ``auth_cache`` when it holds the token (no database, no thread hop), with
    the same checks and answers. A revocation clears the cache of the worker that committed it
    before its answer is sent; other workers' caches are cleared by ``NOTIFY onestop_auth``, i.e.
    within the notification's delivery (milliseconds), as a long-poll already waiting there
    would also still be answered. Other routes use ``current_user``."""
    token = _bearer(credentials)
    key = token_hash(token)
    now = get_clock(request).now()
    cache: AuthCache | None = getattr(request.app.state, "auth_cache", None)
    if cache is not None:
        hit = cache.get(key)
        if hit is not None:
            if hit.expires_at <= now:
                raise _expired()
            if hit.last_seen_at is not None and now - hit.last_seen_at <= _LAST_SEEN_EVERY:
                return hit.user  # type: ignore[no-any-return]
    return await anyio.to_thread.run_sync(_lookup, engine, key, now, cache)


def cached_user(cache: AuthCache, token: str, now: datetime) -> CurrentUser | None:
    """The caller from the cache alone, when ``feed_user`` would answer with it without the
    database (held, unexpired, no ``last_seen_at`` stamp due); else None."""
    hit = cache.get(token_hash(token))
    if hit is None or hit.expires_at <= now:
        return None
    if hit.last_seen_at is None or now - hit.last_seen_at > _LAST_SEEN_EVERY:
        return None
    return hit.user  # type: ignore[no-any-return]


def _lookup(engine: Engine, key: str, now: datetime, cache: AuthCache | None) -> CurrentUser:
    generation = cache.generation if cache is not None else 0
    t, u, d = db.access_tokens, db.users, db.devices
    with engine.connect() as conn:
        row = conn.execute(
            select(
                t.c.family_id,
                t.c.expires_at,
                t.c.revoked_at,
                t.c.device_pk,
                u.c.id,
                u.c.username,
                u.c.full_name,
                u.c.role,
                u.c.department_id,
                u.c.disabled_at,
                d.c.revoked_at.label("device_revoked_at"),
                d.c.last_seen_at,
            )
            .select_from(t.join(u, u.c.id == t.c.user_id).join(d, d.c.id == t.c.device_pk))
            .where(t.c.token_hash == key)
        ).one_or_none()
    if row is None:
        raise _invalid_token()
    if row.device_revoked_at is not None:
        raise _device_revoked()
    if row.disabled_at is not None:
        raise _account_disabled()
    if row.revoked_at is not None:
        raise _invalid_token()
    expires_at = as_utc(row.expires_at)
    if expires_at is None or expires_at <= now:
        raise _expired()
    last_seen = as_utc(row.last_seen_at)
    if last_seen is None or now - last_seen > _LAST_SEEN_EVERY:
        with db.write_transaction(engine) as conn:
            conn.execute(update(d).where(d.c.id == row.device_pk).values(last_seen_at=now))
        last_seen = now
    user = CurrentUser(
        id=row.id,
        username=row.username,
        full_name=row.full_name,
        role=row.role,
        department_id=row.department_id,
        device_pk=row.device_pk,
        family_id=row.family_id,
    )
    if cache is not None:
        cache.put(key, user, expires_at, last_seen, generation)
    return user


CurrentUserDep = Annotated[CurrentUser, Depends(current_user)]
FeedUserDep = Annotated[CurrentUser, Depends(feed_user)]


def require_role(*roles: str) -> Callable[..., Any]:
    """A dependency that returns the caller when their role is one of ``roles`` (else 403)."""

    def dependency(user: CurrentUserDep) -> CurrentUser:
        if user.role not in roles:
            raise ApiError(403, "auth.forbidden", "Your role is not allowed to do this.")
        return user

    return dependency


# ---- routes ----------------------------------------------------------------------------------


LOGIN_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "auth.invalid_credentials"},
    403: {"description": "auth.account_disabled / auth.device_revoked / auth.device_limit"},
    429: {"description": "auth.throttled (Retry-After): too many failures, or the server is busy"},
}


def _check_password(
    guard: LoginGuard, stored: str | None, password: str
) -> tuple[bool, str | None]:
    """(matches, a new hash when the stored one uses outdated parameters), in a hashing slot."""
    with guard.slot():
        ok = _verify_password(stored or _DUMMY_HASH, password)
        if not ok or stored is None:
            return False, None
        try:
            stale = _hasher.check_needs_rehash(stored)
        except InvalidHashError:
            stale = True
        return True, _hasher.hash(password) if stale else None


@router.post("/api/v1/auth/login", response_model=TokenOut, responses=LOGIN_RESPONSES)
def login(
    body: LoginIn,
    request: Request,
    engine: Annotated[Engine, Depends(get_engine)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> TokenOut:
    """Throttle check (no hashing while blocked), the password in a bounded hashing slot,
    then the device (registered, or refused at the cap) and the tokens; all audited."""
    clock = get_clock(request)
    guard = get_login_guard(request)
    address = client_address(request)
    guard.check(engine, body.username, address, clock.now())
    with engine.connect() as conn:
        user = conn.execute(
            select(db.users.c.id, db.users.c.password_hash, db.users.c.disabled_at).where(
                db.users.c.username == body.username
            )
        ).one_or_none()
    ok, new_hash = _check_password(guard, user.password_hash if user else None, body.password)
    now = clock.now()
    if user is None or not ok:
        guard.failed(engine, username=body.username, address=address, now=now,
                     reason="unknown_user" if user is None else "bad_password",
                     user_id=None if user is None else int(user.id))
        raise ApiError(401, "auth.invalid_credentials", "Wrong username or password.")
    refusal: ApiError | None = None
    with db.write_transaction(engine) as conn:
        if new_hash is not None:  # parameters changed since this hash was made
            conn.execute(update(db.users).where(db.users.c.id == user.id)
                         .values(password_hash=new_hash))
        note = functools.partial(audit.record, conn, at=now, username=body.username,
                                 user_id=int(user.id), address=address)
        device = conn.execute(
            select(db.devices.c.id, db.devices.c.revoked_at).where(
                and_(db.devices.c.device_id == body.device_id, db.devices.c.user_id == user.id)
            )
        ).one_or_none()
        if user.disabled_at is not None:
            note(audit.LOGIN_FAILURE, reason="account_disabled")
            refusal = _account_disabled()
        elif device is not None and device.revoked_at is not None:
            note(audit.LOGIN_FAILURE, reason="device_revoked", device_pk=int(device.id))
            refusal = _device_revoked()
        elif device is None:
            refusal = guard.device_limit(conn, int(user.id), body.username, address, now)
        if refusal is None:
            guard.succeeded(conn, body.username, address)
            if device is None:
                device_pk = int(
                    conn.execute(
                        insert(db.devices)
                        .values(
                            device_id=body.device_id,
                            user_id=user.id,
                            name=body.device_name or "",
                            created_at=now,
                            last_seen_at=now,
                        )
                        .returning(db.devices.c.id)
                    ).scalar_one()
                )
                note(audit.DEVICE_REGISTERED, device_pk=device_pk, name=body.device_name or "")
            else:
                device_pk = int(device.id)
                values: dict[str, Any] = {"last_seen_at": now}
                if body.device_name:
                    values["name"] = body.device_name
                conn.execute(update(db.devices).where(db.devices.c.id == device_pk).values(**values))
            note(audit.LOGIN_SUCCESS, device_pk=device_pk)
            return _issue(
                conn,
                user_id=user.id,
                device_pk=device_pk,
                family_id=secrets.token_hex(16),
                now=now,
                settings=settings,
            )
    raise refusal  # after the commit: the audit row stays


@router.post("/api/v1/auth/refresh", response_model=TokenOut)
def refresh(
    body: RefreshIn,
    request: Request,
    engine: Annotated[Engine, Depends(get_engine)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> TokenOut:
    """Rotate a refresh token. An already-rotated token presented again within
    ``settings.refresh_reuse_grace`` (and before its successor was used) answers with the very
    pair its rotation issued, so a client that crashed or lost the answer before it stored the
    new token stays signed in; outside that window it revokes the whole family."""
    now = get_clock(request).now()
    presented = token_hash(body.refresh_token)
    with db.write_transaction(engine) as conn:
        row = _refresh_row(conn, presented)
        if row is None or row.device_id != body.device_id:
            raise _invalid_token()
        if row.device_revoked_at is not None:
            raise _device_revoked()
        if row.disabled_at is not None:
            raise _account_disabled()
        if row.rotated_at is None:
            if row.revoked_at is not None:
                raise _invalid_token()
            expires_at = as_utc(row.expires_at)
            if expires_at is None or expires_at <= now:
                raise _expired()
            r = db.refresh_tokens
            rotated = conn.execute(
                update(r)
                .where(and_(r.c.token_hash == presented, r.c.rotated_at.is_(None),
                            r.c.revoked_at.is_(None)))
                .values(rotated_at=now)
            ).rowcount
            if rotated == 1:
                conn.execute(update(db.devices).where(db.devices.c.id == row.device_pk)
                             .values(last_seen_at=now))
                out = _issue(conn, user_id=row.user_id, device_pk=row.device_pk,
                             family_id=row.family_id, now=now, settings=settings)
                _remember_successor(conn, body.refresh_token, out, now, settings)
                return out
            row = _refresh_row(conn, presented)  # lost a race with a concurrent rotation
        again = None if row is None else _replay_rotation(conn, row, body.refresh_token, now,
                                                            settings)
        if again is not None:
            return again
        if row is not None:
            revoke_family(conn, row.family_id, now)
    # the family revocation above is committed before answering
    raise ApiError(
        401, "auth.refresh_reused", "This refresh token was already used; the session is revoked."
    )


def _refresh_row(conn: Connection, presented_hash: str) -> Any:
    r, u, d = db.refresh_tokens, db.users, db.devices
    return conn.execute(
        select(r.c.token_hash, r.c.family_id, r.c.user_id, r.c.device_pk, r.c.expires_at,
               r.c.rotated_at, r.c.revoked_at, u.c.disabled_at, d.c.device_id,
               d.c.revoked_at.label("device_revoked_at"))
        .select_from(r.join(u, u.c.id == r.c.user_id).join(d, d.c.id == r.c.device_pk))
        .where(r.c.token_hash == presented_hash)
    ).one_or_none()


def _seal_key(old_token: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"onestop refresh successor v1")
    return hkdf.derive(old_token.encode())


def _remember_successor(conn: Connection, old_token: str, out: TokenOut, now: datetime,
                        settings: Settings) -> None:
    """Keep the issued pair, readable only with ``old_token``, for the reuse grace window."""
    s = db.refresh_successors
    if settings.refresh_reuse_grace <= timedelta(0):
        return
    nonce = secrets.token_bytes(12)
    plain = json.dumps({"access_token": out.access_token, "refresh_token": out.refresh_token})
    old_hash = token_hash(old_token)
    sealed = nonce + AESGCM(_seal_key(old_token)).encrypt(nonce, plain.encode(), old_hash.encode())
    # expired entries can no longer answer anything: drop them as new ones come
    conn.execute(delete(s).where(s.c.created_at < now - settings.refresh_reuse_grace))
    conn.execute(insert(s).values(token_hash=old_hash, successor_hash=token_hash(out.refresh_token),
                                  sealed=sealed, created_at=now))


def _replay_rotation(conn: Connection, row: Any, old_token: str, now: datetime,
                     settings: Settings) -> TokenOut | None:
    """The pair issued when ``row``'s token was rotated, if the grace window allows it: the
    rotation is recent, the family is alive and its successor was never used itself."""
    rotated_at = as_utc(row.rotated_at)
    if rotated_at is None or row.revoked_at is not None or \
            now - rotated_at > settings.refresh_reuse_grace:
        return None
    s, r, a = db.refresh_successors, db.refresh_tokens, db.access_tokens
    kept = conn.execute(select(s.c.successor_hash, s.c.sealed)
                        .where(s.c.token_hash == row.token_hash)).one_or_none()
    if kept is None:
        return None
    successor = conn.execute(select(r.c.rotated_at, r.c.revoked_at)
                             .where(r.c.token_hash == kept.successor_hash)).one_or_none()
    if successor is None or successor.rotated_at is not None or successor.revoked_at is not None:
        return None
    sealed = bytes(kept.sealed)
    try:
        pair = json.loads(AESGCM(_seal_key(old_token)).decrypt(
            sealed[:12], sealed[12:], row.token_hash.encode()))
    except (InvalidTag, ValueError):
        return None
    access = conn.execute(select(a.c.expires_at, a.c.revoked_at)
                          .where(a.c.token_hash == token_hash(pair["access_token"]))).one_or_none()
    expires_at = None if access is None else as_utc(access.expires_at)
    if access is None or access.revoked_at is not None or expires_at is None or expires_at <= now:
        return None
    return TokenOut(access_token=pair["access_token"], refresh_token=pair["refresh_token"],
                    expires_in=int((expires_at - now).total_seconds()),
                    user=user_out(conn, row.user_id))


@router.post("/api/v1/auth/logout", status_code=204, response_class=Response)
def logout(
    user: CurrentUserDep,
    request: Request,
    engine: Annotated[Engine, Depends(get_engine)],
) -> Response:
    with db.write_transaction(engine) as conn:
        revoke_family(conn, user.family_id, get_clock(request).now())
    return Response(status_code=204)


@router.get("/api/v1/me", response_model=UserOut)
def me(user: CurrentUserDep, engine: Annotated[Engine, Depends(get_engine)]) -> UserOut:
    with engine.connect() as conn:
        return user_out(conn, user.id)
