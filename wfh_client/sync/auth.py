"""Login, token refresh and logout; the refresh token lives only in the OS keyring.

* :class:`TokenStore` - the keyring, service ``"wfh-client"``, entries named like the store's
  (``wfh_client.store.keys``): ``"refresh-token:<account id>"``. Every keyring failure (no
  backend, locked collection, D-Bus trouble) becomes :class:`KeyringUnavailable`.
* :func:`login` - ``POST /api/v1/auth/login``; the refresh token goes to the keyring, the access
  token stays in memory; returns an :class:`AuthSession`.
* :class:`AuthSession` - ``session.request("GET", "/api/v1/sync/changes", params=...)`` adds the
  bearer header; on 401 ``auth.token_expired``/``auth.invalid_token`` it refreshes **once**
  (single-flight: concurrent callers share one refresh) and retries the request. Rotation: the
  new refresh token is written to the keyring *before* the new access token is used. A failed
  refresh drops the refresh token and raises :class:`SessionExpired` (log in again).
* ``auth.device_revoked`` / ``auth.account_disabled`` anywhere: the session forgets its tokens,
  calls ``on_revoked(reason)`` once (the app wipes the account: ``account.wipe_account``) and
  raises :class:`DeviceRevoked`.

* :func:`open_session` - the session of the data dir's current account (CLI, app, engine).

A refresh whose answer is lost (timeout, or the process killed after the server rotated) leaves
the rotated token in the keyring; presented again within the server's reuse grace window
(30 s by default) it gets the same new pair, so the lost answer is retried once at once and a
restarted process stays signed in. Outside the window the whole family is revoked
(``auth.refresh_reused``): that is reuse detection. Refreshes are single-flight per
``AuthSession``; two processes sharing one account (app + CLI) are covered by the same window.

Tokens are never logged; only their absence/presence is.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable, Mapping
from typing import Any

import keyring
import keyring.backend
import requests

from wfh_client.config import Config, device_id
from wfh_client.store import keys as store_keys
from wfh_client.store.errors import KeyringUnavailable as StoreKeyringUnavailable
from wfh_client.store.keys import ACCOUNT_SECRET_KINDS
from wfh_client.sync.account import Account, current_account
from wfh_client.sync.errors import (
    ClientError,
    DeviceRevoked,
    KeyringUnavailable,
    NetworkError,
    NotLoggedIn,
    SessionExpired,
    TlsError,
    TokenRejected,
    error_for,
)
from wfh_client.sync.faults import crashpoint
from wfh_client.sync.http import NO_RETRY, HttpClient, client_from_config

log = logging.getLogger(__name__)

REFRESH_KIND = "refresh-token"
LOGIN_PATH = "/api/v1/auth/login"
REFRESH_PATH = "/api/v1/auth/refresh"
LOGOUT_PATH = "/api/v1/auth/logout"

RevokedCallback = Callable[[str], None]


class TokenStore:
    """The refresh token (and the account's other secrets) in the OS keyring, through the
    store's keyring functions. ``backend=None`` uses keyring's current backend."""

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> keyring.backend.KeyringBackend:
        return self._backend or keyring.get_keyring()

    @property
    def backend_name(self) -> str:
        return store_keys.backend_name(self._backend)

    # the one keyring wrapper is the store's; its errors become this layer's
    def get(self, kind: str, account_id: str) -> str | None:
        try:
            return store_keys.get_secret(kind, account_id, backend=self._backend)
        except StoreKeyringUnavailable as exc:
            raise KeyringUnavailable(str(exc)) from exc

    def set(self, kind: str, account_id: str, value: str) -> None:
        try:
            store_keys.set_secret(kind, account_id, value, backend=self._backend)
        except StoreKeyringUnavailable as exc:
            raise KeyringUnavailable(str(exc)) from exc

    def delete(self, kind: str, account_id: str) -> bool:
        """Delete an entry; ``False`` if there was none."""
        try:
            return store_keys.delete_secret(kind, account_id, backend=self._backend)
        except StoreKeyringUnavailable as exc:
            raise KeyringUnavailable(str(exc)) from exc

    def get_refresh(self, account_id: str) -> str | None:
        return self.get(REFRESH_KIND, account_id)

    def set_refresh(self, account_id: str, token: str) -> None:
        self.set(REFRESH_KIND, account_id, token)
        if self.get(REFRESH_KIND, account_id) != token:  # a keyring that drops writes
            raise KeyringUnavailable(f"The OS keyring ({self.backend_name}) did not keep a secret.")

    def delete_refresh(self, account_id: str) -> bool:
        return self.delete(REFRESH_KIND, account_id)

    def delete_account(self, account_id: str) -> list[str]:
        """Delete every per-account entry (ours and the store's); returns the kinds removed."""
        kinds = dict.fromkeys((REFRESH_KIND, *ACCOUNT_SECRET_KINDS))
        return [kind for kind in kinds if self.delete(kind, account_id)]

    def probe(self) -> None:
        """Write, read back and delete a throwaway entry (doctor)."""
        name, value = f"probe-{secrets.token_hex(4)}", secrets.token_hex(8)
        self.set("probe", name, value)
        try:
            if self.get("probe", name) != value:
                raise KeyringUnavailable(f"The OS keyring ({self.backend_name}) returned a "
                                         "different value than was written.")
        finally:
            self.delete("probe", name)


def _token_response(response: requests.Response) -> dict[str, Any]:
    body = response.json()
    if not isinstance(body, dict) or not isinstance(body.get("access_token"), str) or not \
            isinstance(body.get("refresh_token"), str):
        raise ClientError("the server's token answer is malformed")
    return body


class AuthSession:
    """Authenticated requests for one account (thread-safe; share one per account)."""

    def __init__(
        self,
        http: HttpClient,
        account: Account,
        *,
        device_id: str,
        tokens: TokenStore,
        on_revoked: RevokedCallback | None = None,
        access_token: str | None = None,
        user: dict[str, Any] | None = None,
    ) -> None:
        self.http = http
        self.account = account
        self.device_id = device_id
        self.tokens = tokens
        self.on_revoked = on_revoked
        self.user: dict[str, Any] | None = user
        self._access = access_token
        self._lock = threading.Lock()
        self._revoked_reason: str | None = None

    @property
    def revoked_reason(self) -> str | None:
        return self._revoked_reason

    # -- requests --

    def request(
        self, method: str, path: str, *, headers: Mapping[str, str] | None = None,
        via: HttpClient | None = None, **kwargs: Any
    ) -> requests.Response:
        """Like ``HttpClient.request`` with the bearer header and one refresh on 401.

        A file-like ``data`` body cannot be replayed after the refresh; pass bytes instead.
        ``via``: send through another ``HttpClient`` of the same server (the events feed uses
        its own connection so that it can abort a long-poll); tokens are still this session's.
        """
        if self._revoked_reason is not None:  # a revoked session stays revoked
            raise error_for(403, self._revoked_reason, "This device or account was revoked.")
        try:
            token = self._access or self._refresh(stale=None)
            try:
                return self._send(method, path, token, headers, kwargs, via)
            except TokenRejected:
                log.debug("%s %s: access token rejected, refreshing", method, path)
                token = self._refresh(stale=token)
                try:
                    return self._send(method, path, token, headers, kwargs, via)
                except TokenRejected as exc:
                    raise SessionExpired(exc.status, exc.code, exc.message, exc.details) from exc
        except DeviceRevoked as exc:
            self._handle_revoked(exc)
            raise

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def _send(self, method: str, path: str, token: str, headers: Mapping[str, str] | None,
              kwargs: dict[str, Any], via: HttpClient | None = None) -> requests.Response:
        h = dict(headers or {})
        h["Authorization"] = f"Bearer {token}"
        return (via or self.http).request(method, path, headers=h, **kwargs)

    # -- tokens --

    def refresh(self) -> None:
        """Rotate the tokens now (normally automatic on a 401)."""
        try:
            self._refresh(stale=self._access)
        except DeviceRevoked as exc:
            self._handle_revoked(exc)
            raise

    def _refresh(self, stale: str | None) -> str:
        with self._lock:
            if self._access is not None and self._access != stale:
                return self._access  # another thread refreshed while we waited
            presented = self.tokens.get_refresh(self.account.id)
            if presented is None:
                self._access = None
                raise NotLoggedIn(f"not logged in to {self.account.server_url} as "
                                  f"{self.account.username} (no refresh token in the keyring)")
            try:
                response = self._post_refresh(presented)
            except TokenRejected as exc:
                self._access = None
                if self.tokens.get_refresh(self.account.id) == presented:
                    self.tokens.delete_refresh(self.account.id)
                raise SessionExpired(exc.status, exc.code, exc.message, exc.details) from exc
            body = _token_response(response)
            crashpoint("refresh_after_response")
            # Rotation: persist the new refresh token before the new access token is used.
            self.tokens.set_refresh(self.account.id, body["refresh_token"])
            self._access = body["access_token"]
            if isinstance(body.get("user"), dict):
                self.user = body["user"]
            log.debug("tokens refreshed for account %s", self.account.id)
            return self._access

    def _post_refresh(self, presented: str) -> requests.Response:
        """POST the refresh; a lost answer is asked again once, at once: within the server's
        reuse grace window the rotated token answers with the same new pair."""
        body = {"refresh_token": presented, "device_id": self.device_id}
        try:
            return self.http.post(REFRESH_PATH, json=body, retry=NO_RETRY)
        except TlsError:
            raise  # nothing was sent
        except NetworkError:
            log.info("the refresh answer was lost; asking again")
            return self.http.post(REFRESH_PATH, json=body, retry=NO_RETRY)

    def _handle_revoked(self, exc: DeviceRevoked) -> None:
        with self._lock:
            first = self._revoked_reason is None
            self._revoked_reason = exc.reason
            self._access = None
        if not first:
            return
        log.warning("account %s: %s", self.account.id, exc.reason)
        try:
            self.tokens.delete_refresh(self.account.id)
        except KeyringUnavailable:
            log.warning("could not delete the refresh token of account %s", self.account.id)
        if self.on_revoked is not None:
            try:
                self.on_revoked(exc.reason)
            except Exception:  # noqa: BLE001 - the caller still gets DeviceRevoked
                log.exception("on_revoked callback failed")

    def logout(self) -> None:
        """Revoke the session on the server (best effort), then drop the keyring entry."""
        try:
            if self._access is not None or self.tokens.get_refresh(self.account.id) is not None:
                self.request("POST", LOGOUT_PATH, retry=NO_RETRY)
        except (ClientError, ValueError) as exc:
            log.info("server logout failed (ignored): %s", type(exc).__name__)
        finally:
            self._access = None
        self.tokens.delete_refresh(self.account.id)


def login(
    http: HttpClient,
    username: str,
    password: str,
    *,
    device_id: str,
    tokens: TokenStore,
    device_name: str | None = None,
    on_revoked: RevokedCallback | None = None,
) -> AuthSession:
    """Log in; the refresh token is stored in the keyring before this returns.

    Raises ``AuthFailed``, ``DeviceRevoked`` (after ``on_revoked``), ``KeyringUnavailable``
    (the server session is then revoked again), ``ServerUnreachable`` or ``TlsError``.
    """
    account = Account(http.base_url, username)
    body: dict[str, Any] = {"username": username, "password": password, "device_id": device_id}
    if device_name:
        body["device_name"] = device_name[:200]
    try:
        response = http.post(LOGIN_PATH, json=body, retry=NO_RETRY)
    except DeviceRevoked as exc:
        if on_revoked is not None:
            try:
                on_revoked(exc.reason)
            except Exception:  # noqa: BLE001 - the caller still gets DeviceRevoked
                log.exception("on_revoked callback failed")
        raise
    data = _token_response(response)
    session = AuthSession(http, account, device_id=device_id, tokens=tokens,
                          on_revoked=on_revoked, access_token=data["access_token"],
                          user=data.get("user") if isinstance(data.get("user"), dict) else None)
    try:
        tokens.set_refresh(account.id, data["refresh_token"])
    except KeyringUnavailable:
        try:  # do not leave a live session behind that nobody can refresh or revoke
            http.post(LOGOUT_PATH, headers={"Authorization": f"Bearer {data['access_token']}"},
                      retry=NO_RETRY)
        except ClientError:
            log.info("could not revoke the new session after the keyring failure")
        raise
    log.info("logged in to %s as %s (account %s)", account.server_url, username, account.id)
    return session


def open_session(
    config: Config,
    *,
    tokens: TokenStore | None = None,
    on_revoked: RevokedCallback | None = None,
    **http_kwargs: Any,
) -> AuthSession:
    """The :class:`AuthSession` of the data dir's current account (no network call yet).

    Raises :class:`NotLoggedIn` when no account is remembered. The first request refreshes the
    access token from the keyring's refresh token.
    """
    current = current_account(config)
    if current is None:
        raise NotLoggedIn("not logged in on this device")
    http = client_from_config(config, current.account.server_url, **http_kwargs)
    return AuthSession(http, current.account, device_id=device_id(config.data_dir),
                       tokens=tokens or TokenStore(), on_revoked=on_revoked,
                       user=current.user or None)
