"""An in-process keyring backend: secrets live in this process and vanish at exit.

For demo mode on a machine without a Secret Service, and for benchmarks and property tests
that would wear out the session keyring with hundreds of logins. The real app never uses it:
its secrets belong in the OS keyring.
"""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors

__all__ = ["MemoryKeyring", "use_memory_keyring"]


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.data.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


def use_memory_keyring() -> MemoryKeyring:
    """Install a fresh in-process keyring for this process and return it."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend
