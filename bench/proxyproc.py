"""A benchmark's helper process (a proxy between the client and the server) driven through
its standard streams: it prints ``{"port": N}`` once listening, answers each ``counters`` line
with one JSON line, and stops at the end of its input. ``netshape.py`` and ``replay.py`` run
as such processes."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from typing import Any

__all__ = ["ProxyProcess"]


class ProxyProcess:
    """``python script args...`` listening on a free loopback port: ``url`` goes through it."""

    def __init__(self, script: str, args: list[str]) -> None:
        self.proc = subprocess.Popen(  # noqa: S603
            [sys.executable, script, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True)
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self.port = int(json.loads(self.proc.stdout.readline())["port"])
        self.url = f"http://127.0.0.1:{self.port}"

    def counters(self) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("counters\n")
        self.proc.stdin.flush()
        return dict(json.loads(self.proc.stdout.readline()))

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> ProxyProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
