"""Benchmark: 20 officers' first syncs at once, PostgreSQL with 2 workers vs SQLite.

Seeds ``--dossiers`` dossiers over the demo province (3 departments, 15 officers, 3 heads),
serves it as a real ``onestop-server serve`` process (PostgreSQL: ``--workers 2``; SQLite: one
process, as embedded), and starts 20 full snapshots at the same instant: the 15 officers and the
3 heads, the heads of two departments twice (a second device). Each pulls every page
(``limit`` 500, the client's page) on its own keep-alive connection; the client only reads each
page's tail for the cursor, so the figures are the server's. Prints JSON per database: wall
seconds until all 20 finished, per-sync p50/max seconds, dossiers delivered and delivered per
second, and the machine's load.

    .venv/bin/python bench/first_syncs.py [--dossiers 10000] [--limit 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from scale_common import RawClient, issue_tokens, machine, page_tail, postgres_database

from onestop_server import db
from onestop_server.seed import seed_database
from tests.support.serve import ServeProcess

USERS = [f"cv.{d}{n}" for d in ("nn", "tnmt", "mytho") for n in range(1, 6)] + [
    "truongphong.nn", "truongphong.tnmt", "truongphong.mytho"]
TWICE = ["truongphong.tnmt", "truongphong.mytho"]


async def first_sync(port: int, token: str, limit: int) -> tuple[float, int, int]:
    """(seconds, dossiers, bytes) of one complete snapshot."""
    client = RawClient("127.0.0.1", port, token)
    started = time.perf_counter()
    cursor, count, size = "", None, 0
    try:
        while True:
            query = f"/api/v1/sync/changes?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
            body = await client.get(query)
            size += len(body)
            cursor, more, total = page_tail(body)
            count = total if count is None else count  # the snapshot's size, from its first page
            if not more:
                return time.perf_counter() - started, int(count or 0), size
    finally:
        await client.close()


async def run_all(port: int, tokens: dict[str, tuple[str, int]], second: dict[str, tuple[str, int]],
                  limit: int) -> dict[str, Any]:
    plan = [tokens[u][0] for u in USERS] + [second[u][0] for u in TWICE]
    started = time.perf_counter()
    results = await asyncio.gather(*(first_sync(port, t, limit) for t in plan))
    wall = time.perf_counter() - started
    seconds = sorted(r[0] for r in results)
    delivered = sum(r[1] for r in results)
    return {
        "syncs": len(plan), "wall_seconds": round(wall, 2),
        "per_sync_p50_seconds": round(statistics.median(seconds), 2),
        "per_sync_max_seconds": round(seconds[-1], 2),
        "dossiers_delivered": delivered, "dossiers_per_second": round(delivered / wall),
        "megabytes": round(sum(r[2] for r in results) / 1e6, 1),
    }


def measure(url: str, blobs: Path, workers: int, dossiers: int, limit: int, log: Path) -> dict[str, Any]:
    engine = db.make_engine(url)
    try:
        seed_database(engine, blobs, dossiers=dossiers, seed=1)
    finally:
        engine.dispose()
    tokens = issue_tokens(url, USERS)
    second = issue_tokens(url, TWICE, device="bench2")
    srv = ServeProcess(url, blobs, workers=workers, env={"ONESTOP_LOG_LEVEL": "warning"}, log_file=log)
    try:
        srv.wait_ready()
        load = machine()
        result = asyncio.run(run_all(srv.port, tokens, second, limit))
    finally:
        srv.stop()
    return {**result, "workers": workers, "machine_before": load, "machine_after": machine()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=500)
    args = parser.parse_args()
    out: dict[str, Any] = {"dossiers_seeded": args.dossiers, "limit": args.limit}
    with tempfile.TemporaryDirectory(prefix="bench-first-syncs-") as tmp:
        root = Path(tmp)
        with postgres_database() as url:
            out["postgresql_2_workers"] = measure(url, root / "pg-blobs", 2, args.dossiers, args.limit,
                                                  root / "pg.log")
        out["sqlite_1_process"] = measure(db.sqlite_url(str(root / "server.db")), root / "blobs", 1,
                                          args.dossiers, args.limit, root / "sqlite.log")
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
