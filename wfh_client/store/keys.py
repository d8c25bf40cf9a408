"""Account identity and the secrets the client keeps in the OS keyring.

An *account* is one (server URL, username) pair; :func:`account_id` turns it into a short,
stable, filesystem-safe id (``sha256("<server>|<username>")[:16]``). Every keyring entry lives
under the service :data:`SERVICE` with a name namespaced by kind and account,
``"<kind>:<account id>"`` (e.g. ``cache-key:3f2a...``), so several servers and users never
collide and :func:`delete_account_secrets` can remove them all when the account is wiped.

The cache key is 32 random bytes stored as hex. The documents key is derived from it with
HKDF-SHA256 (:func:`derive_key`), so one keyring entry protects both the database and files.

:func:`get_secret`, :func:`set_secret` and :func:`delete_secret` are the one place the client
talks to the ``keyring`` package (``sync.auth.TokenStore`` keeps the refresh token through
them): any backend failure, including the Secret Service's own exception types, becomes
:class:`~wfh_client.store.errors.KeyringUnavailable` naming the backend and what failed.
"""

from __future__ import annotations

import hashlib
import secrets
from types import ModuleType
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from wfh_client.store.errors import CacheLocked, KeyringUnavailable

if TYPE_CHECKING:
    import keyring.backend

    Backend = keyring.backend.KeyringBackend

__all__ = [
    "ACCOUNT_SECRET_KINDS",
    "CACHE_KEY",
    "KEYRING_ERRORS",  # noqa: F822 - provided by __getattr__ (keyring is imported lazily)
    "backend_name",
    "KEY_BYTES",
    "SERVICE",
    "account_id",
    "delete_account_secrets",
    "delete_secret",
    "derive_key",
    "get_secret",
    "load_cache_key",
    "load_or_create_cache_key",
    "normalise_server_url",
    "secret_name",
    "set_secret",
]

SERVICE = "wfh-client"
KEY_BYTES = 32
CACHE_KEY = "cache-key"
#: Every kind of per-account keyring entry the client writes; all are removed on wipe.
#: Other layers (e.g. the sync engine's refresh token) should use one of these kinds.
ACCOUNT_SECRET_KINDS: tuple[str, ...] = (CACHE_KEY, "refresh-token", "device-id")

_NO_KEYRING = (
    "No usable OS keyring is available (Secret Service / Keychain / Credential Manager), so "
    "the encrypted local cache cannot be opened or created. Unlock or install a keyring, or "
    "ask IT to allow a plaintext cache by policy."
)


def normalise_server_url(server_url: str) -> str:
    """Trim whitespace and trailing slashes and lowercase the scheme and host."""
    url = server_url.strip().rstrip("/")
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


def account_id(server_url: str, username: str) -> str:
    """The 16-hex-digit id of the (server, user) account, used for folders and keyring names."""
    material = f"{normalise_server_url(server_url)}|{username.strip()}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def secret_name(kind: str, account: str) -> str:
    """The keyring entry name of ``kind`` for ``account`` (an :func:`account_id`)."""
    return f"{kind}:{account}"


def _keyring() -> ModuleType:
    """The ``keyring`` package, imported on first use: it and its backends (Secret Service,
    D-Bus) cost ~70 ms, and the desktop app's first paint reads no secret."""
    import keyring
    import keyring.backend
    import keyring.errors

    return keyring


_error_types: tuple[type[BaseException], ...] | None = None


def _keyring_error_types() -> tuple[type[BaseException], ...]:
    """What a keyring backend may raise (the Secret Service's own types are not wrapped)."""
    global _error_types
    if _error_types is not None:
        return _error_types
    types: list[type[BaseException]] = [_keyring().errors.KeyringError, RuntimeError, OSError]
    try:
        from secretstorage.exceptions import SecretStorageException

        types.append(SecretStorageException)
    except ImportError:
        pass
    try:
        from jeepney.wrappers import DBusErrorResponse

        types.append(DBusErrorResponse)
    except ImportError:
        pass
    _error_types = tuple(types)
    return _error_types


def __getattr__(name: str) -> Any:
    """``KEYRING_ERRORS`` and ``Backend`` stay importable, without importing keyring early."""
    if name == "KEYRING_ERRORS":
        return _keyring_error_types()
    if name == "Backend":
        return _keyring().backend.KeyringBackend
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def backend_name(backend: Backend | None = None) -> str:
    b = backend or _keyring().get_keyring()
    return f"{type(b).__module__}.{type(b).__qualname__}"


def _unavailable(action: str, backend: Backend | None, exc: BaseException) -> KeyringUnavailable:
    return KeyringUnavailable(
        f"The OS keyring ({backend_name(backend)}) could not {action}: {type(exc).__name__}: "
        f"{str(exc).rstrip('.')}. {_NO_KEYRING}")


def get_secret(kind: str, account: str, *, backend: Backend | None = None) -> str | None:
    """Read a per-account secret; ``None`` when absent. :class:`KeyringUnavailable` if no keyring."""
    try:
        return (backend or _keyring().get_keyring()).get_password(SERVICE, secret_name(kind, account))
    except _keyring_error_types() as exc:
        raise _unavailable("be read", backend, exc) from exc


def set_secret(kind: str, account: str, value: str, *, backend: Backend | None = None) -> None:
    """Store a per-account secret (overwriting)."""
    try:
        (backend or _keyring().get_keyring()).set_password(
            SERVICE, secret_name(kind, account), value)
    except _keyring_error_types() as exc:
        raise _unavailable("store a secret", backend, exc) from exc


def delete_secret(kind: str, account: str, *, backend: Backend | None = None) -> bool:
    """Delete a per-account secret; ``False`` if it did not exist."""
    try:
        (backend or _keyring().get_keyring()).delete_password(
            SERVICE, secret_name(kind, account))
    except _keyring().errors.PasswordDeleteError:
        return False
    except _keyring_error_types() as exc:
        raise _unavailable("delete a secret", backend, exc) from exc
    return True


def delete_account_secrets(account: str, extra_kinds: tuple[str, ...] = ()) -> list[str]:
    """Delete every known keyring entry of ``account``; returns the kinds that existed."""
    return [kind for kind in (*ACCOUNT_SECRET_KINDS, *extra_kinds) if delete_secret(kind, account)]


def _decode_key(text: str, account: str) -> bytes:
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise CacheLocked(
            f"The local cache cannot be opened: the keyring entry "
            f"'{secret_name(CACHE_KEY, account)}' does not hold a valid 256-bit key."
        )
    return key


def load_cache_key(account: str) -> bytes | None:
    """The account's cache key from the keyring, or ``None`` if there is none."""
    text = get_secret(CACHE_KEY, account)
    return None if text is None else _decode_key(text, account)


def load_or_create_cache_key(account: str) -> tuple[bytes, bool]:
    """Return ``(key, created)``: the stored key, or a new random one saved to the keyring."""
    key = load_cache_key(account)
    if key is not None:
        return key, False
    key = secrets.token_bytes(KEY_BYTES)
    set_secret(CACHE_KEY, account, key.hex())
    if load_cache_key(account) != key:  # a keyring that silently drops writes
        raise KeyringUnavailable(_NO_KEYRING)
    return key, True


def derive_key(master: bytes, purpose: str) -> bytes:
    """A 256-bit sub-key of ``master`` for ``purpose`` (HKDF-SHA256, no salt)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=f"wfh-client {purpose} v1".encode())
    return hkdf.derive(master)
