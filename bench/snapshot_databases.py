"""Benchmark: snapshot throughput on PostgreSQL vs SQLite, same data, same server code.

For each database: seeds ``--dossiers`` (a few percent more: withdrawn dossiers are out of
scope) into one department, serves it over real HTTP on loopback, and pulls the head's whole
scope ``--runs`` times with ``limit`` 2000, parsing the JSON like a client (the measurement of
``bench/server_snapshot.py``, whose ``snapshot`` it reuses). Prints JSON per database: median
seconds, dossiers per second, the server mode, and the machine's load. Goal: >= 5,000
dossiers/s on PostgreSQL.

``--server process`` (the default) runs ``onestop-server serve`` as its own process, as a
deployment does: the client's JSON parsing (this process) and the server no longer share one
interpreter lock. ``--server inprocess`` serves from a thread of this process (the figures
measured before 2026-12-04 used it; it counts the client's parsing against the server).

    .venv/bin/python bench/snapshot_databases.py [--dossiers 10000] [--runs 5]
        [--server process|inprocess] [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from scale_common import machine, postgres_database
from server_snapshot import snapshot

from onestop_server import db
from onestop_server.seed import seed_database
from tests.support.serve import ServeProcess
from tests.support.server import start_server


class _Served:
    """``onestop-server serve`` in its own process, stopped like the in-process server."""

    def __init__(self, url: str, blobs: Path, workers: int) -> None:
        self.proc = ServeProcess(url, blobs, workers=workers, env={"ONESTOP_LOG_LEVEL": "warning"},
                                 log_file=blobs.parent / f"serve-{blobs.name}.log")
        self.url = self.proc.url
        self.proc.wait_ready()

    def stop(self) -> None:
        self.proc.stop()


def measure(url: str, blobs: Path, dossiers: int, runs: int, limit: int, mode: str = "process",
            workers: int = 1) -> dict[str, Any]:
    engine = db.make_engine(url)
    started = time.perf_counter()
    try:
        seed_database(engine, blobs, dossiers=int(dossiers * 1.05) + 10, seed=1, only_department="stnmt")
    finally:
        engine.dispose()
    seed_seconds = time.perf_counter() - started
    server: Any = _Served(url, blobs, workers) if mode == "process" else start_server(url, blobs)
    try:
        session = requests.Session()
        login = session.post(server.url + "/api/v1/auth/login", json={
            "username": "truongphong.tnmt", "password": "demo", "device_id": "bench"}, timeout=30)
        login.raise_for_status()
        session.headers["Authorization"] = "Bearer " + login.json()["access_token"]
        snapshot(session, server.url, limit)  # warm-up
        load = machine()
        times: list[float] = []
        count = 0
        for _ in range(runs):
            t0 = time.perf_counter()
            count, _size, _pages = snapshot(session, server.url, limit)
            times.append(time.perf_counter() - t0)
    finally:
        server.stop()
    median = statistics.median(times)
    return {"dossiers": count, "median_seconds": round(median, 3), "min_seconds": round(min(times), 3),
            "dossiers_per_second_median": round(count / median), "seed_seconds": round(seed_seconds, 1),
            "server": mode, "workers": workers if mode == "process" else None,
            "machine_before": load, "machine_after": machine()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--server", choices=("process", "inprocess"), default="process",
                        help="serve from its own process (default) or a thread of the benchmark")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (--server process)")
    args = parser.parse_args()
    out: dict[str, Any] = {"runs": args.runs, "limit": args.limit, "server": args.server}
    how = {"mode": args.server, "workers": args.workers}
    with tempfile.TemporaryDirectory(prefix="bench-snapshot-db-") as tmp:
        root = Path(tmp)
        with postgres_database() as url:
            out["postgresql"] = measure(url, root / "pg-blobs", args.dossiers, args.runs, args.limit,
                                        **how)
        out["sqlite"] = measure(db.sqlite_url(str(root / "server.db")), root / "blobs", args.dossiers,
                                args.runs, args.limit, **how)
    out["postgresql_vs_sqlite"] = round(
        out["postgresql"]["dossiers_per_second_median"] / out["sqlite"]["dossiers_per_second_median"], 2)
    out["goal_postgresql_dossiers_per_second"] = 5000
    print(json.dumps(out, indent=2))
    return 0 if out["postgresql"]["dossiers_per_second_median"] >= 5000 else 1


if __name__ == "__main__":
    sys.exit(main())
