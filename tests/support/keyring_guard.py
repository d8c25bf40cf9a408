"""The real-keyring guard shared by the tests that need the OS Secret Service.

Outside ``scripts/with-keyring`` (a developer running one file) a missing keyring skips the
test with a hint; inside it (``make test``, CI) a missing keyring is a failure, never a skip.
"""

from __future__ import annotations

import os

import keyring
import pytest


def require_real_keyring() -> None:
    backend = keyring.get_keyring()
    if not type(backend).__module__.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return
    if os.environ.get("WFH_INSIDE_KEYRING") == "1":
        pytest.fail(f"scripts/with-keyring is running but the keyring backend is {backend!r}")
    pytest.skip("no OS keyring: run under scripts/with-keyring")
