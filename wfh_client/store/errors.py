"""Exceptions raised by the local cache (``wfh_client.store``).

Every failure a user can meet has a clear message: a cache whose key is missing or wrong is
:class:`CacheLocked`, never a raw "file is not a database" from SQLite.
"""

from __future__ import annotations

__all__ = [
    "CacheDamaged",
    "CacheLocked",
    "DocumentIntegrityError",
    "DocumentNotFound",
    "KeyringUnavailable",
    "PlaintextNotAllowed",
    "StoreError",
]


class StoreError(Exception):
    """Base class of every error raised by ``wfh_client.store``."""


class CacheLocked(StoreError):
    """The encrypted cache cannot be opened: its key is missing from the keyring or wrong.

    ``reason``: ``key_missing``, ``wrong_key`` or ``keyring`` (no usable keyring at all)."""

    reason = "wrong_key"

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class CacheDamaged(StoreError):
    """The key opens the cache but SQLite finds it corrupt (``PRAGMA quick_check``)."""

    reason = "damaged"

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class KeyringUnavailable(CacheLocked):
    """No usable OS keyring (Secret Service, Keychain, Credential Manager) answered."""

    reason = "keyring"


class PlaintextNotAllowed(StoreError):
    """A plaintext (unencrypted) cache was requested or found, but the policy forbids it."""

    reason = "not_encrypted"


class DocumentNotFound(StoreError, KeyError):
    """No complete encrypted file is stored for this document id."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else "document not found"


class DocumentIntegrityError(StoreError):
    """An encrypted document failed authentication (tampered, truncated, reordered) or its
    SHA-256 differs from the expected one."""
