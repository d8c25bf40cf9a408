"""Fault injection for the crash-safety tests (no effect unless the variable is set).

``WFH_CLIENT_CRASHPOINT=<name>`` kills the process with SIGKILL at the point called ``name``
(no cleanup, exactly like a power cut or the OOM killer); ``<name>@<n>`` kills it the n-th time
the point is reached (e.g. on the third pull page). Points: ``push_after_response``,
``pull_page_before_commit`` (engine) and ``refresh_after_response`` (auth: the server rotated the
refresh token, the client has not stored the new one yet).
"""

from __future__ import annotations

import os
import signal

__all__ = ["crashpoint"]

_crash_hits: dict[str, int] = {}


def crashpoint(name: str) -> None:
    """SIGKILL this process here if ``WFH_CLIENT_CRASHPOINT`` names this point (see above)."""
    wanted = os.environ.get("WFH_CLIENT_CRASHPOINT")
    if not wanted:
        return
    point, _, nth = wanted.partition("@")
    if point != name:
        return
    _crash_hits[name] = _crash_hits.get(name, 0) + 1
    if _crash_hits[name] >= (int(nth) if nth.isdigit() else 1):
        os.kill(os.getpid(), signal.SIGKILL)
