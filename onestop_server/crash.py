"""Fault injection for the multi-worker tests: a worker SIGKILLs itself at a named point.

``ONESTOP_CRASHPOINT=<name>`` arms the point; with ``ONESTOP_CRASHPOINT_MARKER=<file>`` only the
first process to get there dies (it creates the file, with its pid, atomically), so a restarted
or second worker carries on. Unset, a crash point is one dictionary look-up. The client has the
same device (``WFH_CLIENT_CRASHPOINT``).
"""

from __future__ import annotations

import os
import signal

ENV = "ONESTOP_CRASHPOINT"
MARKER_ENV = "ONESTOP_CRASHPOINT_MARKER"


def crashpoint(name: str, when: bool = True) -> None:
    if not when or os.environ.get(ENV) != name:
        return
    marker = os.environ.get(MARKER_ENV)
    if marker:
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
    os.kill(os.getpid(), signal.SIGKILL)
