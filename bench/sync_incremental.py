"""Benchmark: a no-change incremental sync (the background sync's common case).

After a first sync of the head's scope (every seeded dossier in one department), each run is
``SyncEngine.sync_once(prefetch=False)`` with nothing new on either side. The transport is
wrapped to count the HTTP requests and the bytes of each ``/sync/changes`` answer. Prints
``{"requests": per sync, "response_bytes": ..., "median_ms": ...}``. Goal: 1 request and
< 512 bytes. No OS keyring needed (the refresh token stays in memory).

    .venv/bin/python bench/sync_incremental.py [--dossiers 10000] [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync_common import engine_for, fresh_cache, median, seeded_server, session_for  # noqa: E402

from wfh_client.sync.engine import CHANGES_PATH  # noqa: E402


class CountingTransport:
    """The real session, counting requests and the size of the change-log answers."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.user = session.user
        self.requests: list[tuple[str, str, int]] = []

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        response: requests.Response = self.session.request(method, path, **kwargs)
        self.requests.append((method, path, len(response.content)))
        return response


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sync-incr-") as tmp:
        root = Path(tmp)
        server, in_scope = seeded_server(root, args.dossiers)
        try:
            counting = CountingTransport(session_for(server))
            cache = fresh_cache(root / "client")
            engine = engine_for(counting, cache)
            engine.sync_once(prefetch=False)  # the first sync (not measured)
            engine.sync_once(prefetch=False)  # warm-up
            times: list[float] = []
            per_sync: list[int] = []
            changes_bytes: list[int] = []
            for _ in range(args.runs):
                counting.requests.clear()
                started = time.perf_counter()
                report = engine.sync_once(prefetch=False)
                times.append(time.perf_counter() - started)
                assert report.pulled == 0 and report.pushed == 0, report
                per_sync.append(len(counting.requests))
                changes_bytes += [size for _, path, size in counting.requests
                                  if path == CHANGES_PATH]
            cache.close()
        finally:
            server.stop()
    print(json.dumps({
        "dossiers_cached": in_scope,
        "runs": args.runs,
        "requests": max(per_sync),
        "response_bytes": max(changes_bytes),
        "median_ms": round(median(times) * 1000, 2),
        "max_ms": round(max(times) * 1000, 2),
        "goal": {"requests": 1, "response_bytes_below": 512},
    }))
    return 0 if max(per_sync) == 1 and max(changes_bytes) < 512 else 1


if __name__ == "__main__":
    sys.exit(main())
