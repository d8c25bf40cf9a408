"""The client's network and authentication errors (no Qt, no I/O).

```
ClientError
├── NetworkError               the server could not be talked to (go offline, retry later)
│   ├── ServerUnreachable      DNS, refused, reset, timeout
│   └── TlsError               certificate / TLS handshake problem (do not retry blindly)
├── KeyringUnavailable         the OS keyring is missing, locked or broken
├── NotLoggedIn                no current account / no refresh token in the keyring
├── InsecureServerUrl          plain http:// to another computer (https:// is required)
└── ApiError(status, code, message, details)   any non-2xx answer of the API
    ├── AuthFailed             auth.invalid_credentials
    ├── LoginRefused           auth.throttled (``.retry_after`` s) / auth.device_limit
    ├── TokenRejected          auth.invalid_token / auth.token_expired / auth.refresh_reused
    │   └── SessionExpired     ... on the refresh itself: the user must log in again
    ├── DeviceRevoked          auth.device_revoked / auth.account_disabled (``.reason``)
    └── ResyncRequired         sync.resync_required
```
``ApiError.from_response`` picks the subclass from the error code; non-JSON error bodies (a proxy's
HTML page) become ``ApiError(status, "http.<status>", <short text>)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import requests  # annotations only: the HTTP layer imports requests

MAX_MESSAGE = 300

DEVICE_REVOKED = "auth.device_revoked"
ACCOUNT_DISABLED = "auth.account_disabled"
TOKEN_CODES = frozenset({"auth.invalid_token", "auth.token_expired", "auth.refresh_reused"})


class ClientError(Exception):
    """Base class of every error of the client's sync layer."""


class NetworkError(ClientError):
    """The request did not get an HTTP answer."""


class ServerUnreachable(NetworkError):
    """Connection refused/reset, DNS failure or timeout."""


class TlsError(NetworkError):
    """The server's certificate could not be verified or the TLS handshake failed."""


class KeyringUnavailable(ClientError):
    """The OS keyring (Secret Service, Keychain, Credential Manager) is missing or locked."""


class NotLoggedIn(ClientError):
    """No account is logged in on this device (or its refresh token is gone)."""


class InsecureServerUrl(ClientError, ValueError):
    """The server address is plain ``http://`` to another computer: refused before connecting
    (passwords, tokens and personal data would cross the network unencrypted)."""


class ApiError(ClientError):
    """A non-2xx answer: ``{code, message, details}`` from the server."""

    def __init__(
        self, status: int, code: str, message: str, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details: dict[str, Any] = details or {}

    @staticmethod
    def from_response(response: requests.Response) -> ApiError:
        status = response.status_code
        code, message, details = f"http.{status}", response.reason or "", {}
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("code"), str):
            code = body["code"]
            message = str(body.get("message") or "")
            raw_details = body.get("details")
            details = raw_details if isinstance(raw_details, dict) else {}
        elif not message:
            message = (response.text or "")[:MAX_MESSAGE]
        return error_for(status, code, message[:MAX_MESSAGE], details)

    @property
    def is_conflict(self) -> bool:
        return self.code == "action.conflict"


class AuthFailed(ApiError):
    """Wrong username or password."""


class LoginRefused(ApiError):
    """The login was not even tried (too many failures: ``auth.throttled``) or this device
    would be one too many for the account (``auth.device_limit``)."""

    @property
    def retry_after(self) -> int | None:
        """Seconds to wait before trying again (``auth.throttled``), else ``None``."""
        value = self.details.get("retry_after")
        return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


class TokenRejected(ApiError):
    """The access (or refresh) token is missing, unknown, expired or already rotated."""


class SessionExpired(TokenRejected):
    """The refresh failed: the user must log in again (the refresh token was dropped)."""


class DeviceRevoked(ApiError):
    """The device was revoked or the account disabled; the client wipes itself.

    ``discarded``: how many unsent changes the wipe threw away, once counted (else None)."""

    discarded: int | None = None

    @property
    def reason(self) -> str:
        """``"auth.device_revoked"`` or ``"auth.account_disabled"``."""
        return self.code

    @property
    def account_disabled(self) -> bool:
        return self.code == ACCOUNT_DISABLED


class ResyncRequired(ApiError):
    """The pull cursor expired or is unknown: pull again without a cursor."""


_BY_CODE: dict[str, type[ApiError]] = {
    "auth.invalid_credentials": AuthFailed,
    "auth.throttled": LoginRefused,
    "auth.device_limit": LoginRefused,
    "auth.invalid_token": TokenRejected,
    "auth.token_expired": TokenRejected,
    "auth.refresh_reused": TokenRejected,
    DEVICE_REVOKED: DeviceRevoked,
    ACCOUNT_DISABLED: DeviceRevoked,
    "sync.resync_required": ResyncRequired,
}


def error_for(
    status: int, code: str, message: str, details: dict[str, Any] | None = None
) -> ApiError:
    """The :class:`ApiError` subclass for ``code``."""
    return _BY_CODE.get(code, ApiError)(status, code, message, details)
