"""Benchmark: the first sync of 10,000 dossiers from the reference server over loopback.

The server is seeded with every dossier in one department (``only_department``) and the client
logs in as that department's head, so one scope holds them all. It runs in its own process
(``python -m onestop_server serve``), like the real remote server; ``--in-process-server``
serves it from a thread of the benchmark instead (then both share one GIL). Each run starts from a fresh
encrypted cache (random key; the refresh token in memory, no OS keyring needed) and runs
``SyncEngine.sync_once(prefetch=False)``: calendar, snapshot pages (HTTP, JSON parsing, one
writer transaction per page: dossier rows, JSON, FTS, history/notes/documents rows). Prints
``{"dossiers", "median_seconds", "dossiers_per_second", ...}``. Goal: median <= 3 s.

    .venv/bin/python bench/sync_first.py [--dossiers 10000] [--runs 3] [--page-limit 500]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync_common import engine_for, fresh_cache, median, seeded_server, session_for  # noqa: E402

from wfh_client.store.state import counts  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page-limit", type=int, default=500)
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the last run")
    parser.add_argument("--in-process-server", action="store_true",
                        help="serve from a thread of this process (shares the GIL with the "
                             "client) instead of a separate server process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sync-first-") as tmp:
        root = Path(tmp)
        server, in_scope = seeded_server(root, args.dossiers,
                                         process=not args.in_process_server)
        try:
            session = session_for(server)
            times: list[float] = []
            pages = 0
            for run in range(args.runs):
                cache = fresh_cache(root / f"client-{run}")
                engine = engine_for(session, cache, args.page_limit)
                profiler = None
                if args.profile and run == args.runs - 1:
                    import cProfile

                    profiler = cProfile.Profile()
                    profiler.enable()
                started = time.perf_counter()
                report = engine.sync_once(prefetch=False)
                times.append(time.perf_counter() - started)
                if profiler is not None:
                    profiler.disable()
                    profiler.dump_stats(args.profile)
                cached = counts(cache.reader()).dossiers
                cache.close()
                assert report.pulled == in_scope == cached, (report.pulled, in_scope, cached)
                pages = report.pages
        finally:
            server.stop()
    med = median(times)
    print(json.dumps({
        "dossiers": in_scope,
        "runs": args.runs,
        "page_limit": args.page_limit,
        "pages": pages,
        "median_seconds": round(med, 3),
        "min_seconds": round(min(times), 3),
        "dossiers_per_second": round(in_scope / med),
        "server": "thread" if args.in_process_server else "process",
        "goal_seconds": 3.0,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
