"""Benchmark: the first sync of 10,000 dossiers (or a series of sizes) over loopback, against
the parse + store floor measured in the same run.

The server is seeded with every dossier in one department (``only_department``) and the client
logs in as that department's head, so one scope holds them all. It runs in its own process
(``python -m onestop_server serve``), like the real remote server; ``--in-process-server``
serves it from a thread of the benchmark instead (then both share one GIL); ``--replay`` puts
``bench/replay.py`` in front of it: one unmeasured sync records the server's answers, and the
measured runs get them from that recording (its own process, sending bytes that are ready), so
the server's CPU is no longer on the client's two cores, as with a real, remote server. Each run starts
from a fresh encrypted cache (random key; the refresh token in memory, no OS keyring needed)
and runs ``SyncEngine.sync_once(prefetch=False)``: calendar, snapshot pages (HTTP with zstd,
JSON parsing, one writer transaction per page: dossier rows, JSON, FTS, history/notes/documents
rows).

The floor (``sync_common.measure_floor``): ``json.loads`` of every page plus storing each
dossier's JSON under its id in one SQLCipher transaction - what any client must do at least.
It is measured right after each run (this machine's speed drifts by up to 2x within half an
hour): ``ratio_to_floor`` is the median run over the median floor, ``run_ratios`` each run
over the floor measured just after it.

``--dossiers 1000,10000,50000,100000`` runs the series (one seeded server per size) and reports
the time per dossier at each size: linear growth keeps it flat. Prints one JSON object:
``{"load_before", "load_after", "series": [{"dossiers", "median_seconds", "min_seconds",
"floor_seconds", "ratio_to_floor", "run_ratios", "us_per_dossier", "client_cpu_seconds",
"server_cpu_seconds" (or "replay_cpu_seconds"), ...}], "growth": ...}``. Goals: 10k <= 3 s and <= 2x the floor; 100k
<= 25 s.

    .venv/bin/python bench/sync_first.py [--dossiers 10000] [--runs 5] [--page-limit 1000]
                                         [--replay]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from replay import ReplayServer  # noqa: E402
from sync_common import (  # noqa: E402
    DEFAULT_PAGE_LIMIT,
    ServerProcess,
    cpu_seconds,
    engine_for,
    fetch_pages,
    fresh_cache,
    load_average,
    measure_floor,
    median,
    seeded_server,
    session_for,
)

from wfh_client.store.state import counts  # noqa: E402

GOALS = {10_000: 3.0, 100_000: 25.0}


def settle() -> None:
    """Start each measurement alike: the previous one's garbage collected and its files'
    dirty pages written out (the kernel writing back a run's 60 MB slowed whatever came
    next)."""
    gc.collect()
    os.sync()


def one_size(root: Path, dossiers: int, args: argparse.Namespace) -> dict[str, Any]:
    server, in_scope = seeded_server(root, dossiers, process=not args.in_process_server)
    replay = ReplayServer(server.port) if args.replay else None
    try:
        session = session_for(replay if replay is not None else server)
        bodies = fetch_pages(session, args.page_limit)  # the floor's input, and a recording
        if replay is not None:  # one unmeasured sync records the rest (calendar...)
            warm = fresh_cache(root / "client-warm-up")
            engine_for(session, warm, args.page_limit).sync_once(prefetch=False)
            warm.close()
            recorded = replay.counters()
        times: list[float] = []
        floors: list[dict[str, float]] = []
        client_cpu: list[float] = []
        server_cpu: list[float] = []
        pages = 0
        for run in range(args.runs):
            settle()
            cache = fresh_cache(root / f"client-{run}")
            engine = engine_for(session, cache, args.page_limit)
            profiler = None
            if args.profile and run == args.runs - 1:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            server_pid = replay.proc.pid if replay is not None else \
                server.proc.pid if isinstance(server, ServerProcess) else None
            server_before = cpu_seconds(server_pid) if server_pid is not None else 0.0
            cpu_before = cpu_seconds()
            started = time.perf_counter()
            report = engine.sync_once(prefetch=False)
            times.append(time.perf_counter() - started)
            client_cpu.append(cpu_seconds() - cpu_before)
            if server_pid is not None:
                server_cpu.append(cpu_seconds(server_pid) - server_before)
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(args.profile)
            cached = counts(cache.reader()).dossiers
            cache.close()
            assert report.pulled == in_scope == cached, (report.pulled, in_scope, cached)
            pages = report.pages
            # The floor right after each run: both see the machine as it is in that minute
            # (its speed drifts by up to 2x within half an hour here).
            settle()
            floors.append(measure_floor(root, bodies))
        if replay is not None:
            counters = replay.counters()
            # every measured GET came from the recording: the server did no work for them
            assert counters["forwarded"] == recorded["forwarded"], (recorded, counters)
        del bodies
    finally:
        if replay is not None:
            replay.close()
        server.stop()
    med = median(times)
    floor = median([f["floor_seconds"] for f in floors])
    ratios = sorted(t / f["floor_seconds"] for t, f in zip(times, floors, strict=True))
    out: dict[str, Any] = {
        "dossiers": in_scope,
        "runs": args.runs,
        "pages": pages,
        "median_seconds": round(med, 3),
        "min_seconds": round(min(times), 3),
        "max_seconds": round(max(times), 3),
        "floor_seconds": round(floor, 3),
        "floor_parse_seconds": round(median([f["parse_seconds"] for f in floors]), 3),
        "floor_store_seconds": round(median([f["store_seconds"] for f in floors]), 3),
        "ratio_to_floor": round(med / floor, 2),
        "run_ratios": [round(r, 2) for r in ratios],
        "us_per_dossier": round(med / in_scope * 1e6),
        "dossiers_per_second": round(in_scope / med),
        "client_cpu_seconds": round(median(client_cpu), 2),
    }
    if server_cpu:
        out["replay_cpu_seconds" if replay is not None else "server_cpu_seconds"] = \
            round(median(server_cpu), 2)
    goal = GOALS.get(dossiers)
    if goal is not None:
        out["goal_seconds"] = goal
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dossiers", default="10000",
                        help="one size or a comma-separated series (1000,10000,50000,100000)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page-limit", type=int, default=DEFAULT_PAGE_LIMIT,
                        help="dossiers per page (default: the client's, %(default)s)")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the last run")
    parser.add_argument("--in-process-server", action="store_true",
                        help="serve from a thread of this process (shares the GIL with the "
                             "client) instead of a separate server process")
    parser.add_argument("--replay", action="store_true",
                        help="answer the measured runs' requests from a recording of the "
                             "server's (bench/replay.py, its own process): the client's cost "
                             "without the server's CPU on the same cores, as with a remote "
                             "server")
    args = parser.parse_args()
    sizes = [int(x) for x in args.dossiers.split(",")]
    load_before = load_average()
    series = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-sync-first-") as tmp:
            series.append(one_size(Path(tmp), size, args))
        print(json.dumps(series[-1]), file=sys.stderr, flush=True)  # progress on long series
    result: dict[str, Any] = {
        "load_before": load_before,
        "load_after": load_average(),
        "page_limit": args.page_limit,
        "server": "thread" if args.in_process_server else "process",
        "replay": args.replay,
        "series": series,
    }
    if len(series) > 1:
        # Linear growth: the time per dossier at the largest size over the smallest >= 10k.
        base = next((s for s in series if s["dossiers"] >= 10_000), series[0])
        result["growth"] = {
            "us_per_dossier": {str(s["dossiers"]): s["us_per_dossier"] for s in series},
            "largest_over_base": round(series[-1]["us_per_dossier"] / base["us_per_dossier"], 2),
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
