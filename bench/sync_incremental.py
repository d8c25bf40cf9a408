"""Benchmark: a no-change incremental sync (the background sync's common case).

After a first sync of the head's scope (every seeded dossier in one department), each run is
``SyncEngine.sync_once(prefetch=False)`` with nothing new on either side. The transport is
wrapped to count the HTTP requests and the body of each ``/sync/changes`` answer as sent
(``Content-Length``: compressed size if it were compressed; headers excluded), and the client
talks to the server through the counting proxy of ``bench/netshape.py`` (profile ``loopback``:
no shaping) which gives the bytes on the wire per sync in both directions, HTTP headers
included. Prints ``{"requests": per sync, "response_bytes": ..., "wire_bytes_down": ...,
"wire_bytes_up": ..., "median_ms": ...}``. Goal: 1 request and < 512 bytes of answer.
No OS keyring needed (the refresh token stays in memory).

    .venv/bin/python bench/sync_incremental.py [--dossiers 10000] [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from netshape import PROFILES, ShapedLink  # noqa: E402
from sync_common import (  # noqa: E402
    engine_for,
    fresh_cache,
    load_average,
    median,
    seeded_server,
    session_for,
)

from wfh_client.sync.engine import CHANGES_PATH  # noqa: E402


class CountingTransport:
    """The real session, counting requests and the size of the change-log answers."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.user = session.user
        self.requests: list[tuple[str, str, int]] = []

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        response: requests.Response = self.session.request(method, path, **kwargs)
        sent = int(response.headers.get("Content-Length", len(response.content)))
        self.requests.append((method, path, sent))
        return response


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sync-incr-") as tmp:
        root = Path(tmp)
        server, in_scope = seeded_server(root, args.dossiers)
        link = ShapedLink(server.port, PROFILES["loopback"])
        try:
            counting = CountingTransport(session_for(SimpleNamespace(url=link.url)))
            cache = fresh_cache(root / "client")
            engine = engine_for(counting, cache)
            engine.sync_once(prefetch=False)  # the first sync (not measured)
            engine.sync_once(prefetch=False)  # warm-up
            times: list[float] = []
            per_sync: list[int] = []
            changes_bytes: list[int] = []
            wire_down: list[int] = []
            wire_up: list[int] = []
            for _ in range(args.runs):
                counting.requests.clear()
                before = link.counters()
                started = time.perf_counter()
                report = engine.sync_once(prefetch=False)
                times.append(time.perf_counter() - started)
                after = link.counters()
                wire_down.append(after["bytes_down"] - before["bytes_down"])
                wire_up.append(after["bytes_up"] - before["bytes_up"])
                assert report.pulled == 0 and report.pushed == 0, report
                per_sync.append(len(counting.requests))
                changes_bytes += [size for _, path, size in counting.requests
                                  if path == CHANGES_PATH]
            cache.close()
        finally:
            link.close()
            server.stop()
    print(json.dumps({
        "dossiers_cached": in_scope,
        "runs": args.runs,
        "requests": max(per_sync),
        "response_bytes": max(changes_bytes),
        "wire_bytes_down": max(wire_down),
        "wire_bytes_up": max(wire_up),
        "median_ms": round(median(times) * 1000, 2),
        "max_ms": round(max(times) * 1000, 2),
        "load": load_average(),
        "goal": {"requests": 1, "response_bytes_below": 512},
    }))
    return 0 if max(per_sync) == 1 and max(changes_bytes) < 512 else 1


if __name__ == "__main__":
    sys.exit(main())
