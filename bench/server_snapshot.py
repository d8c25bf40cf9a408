"""Benchmark: a full paged sync snapshot of >= 10,000 dossiers from the reference server.

Seeds every dossier into one department (``seed_database(only_department="stnmt")``, a few
percent more than the target because withdrawn dossiers are out of scope), serves it over real
HTTP on loopback, logs in as that department's head and pulls the whole scope with
``limit=2000`` several times (each run parses the JSON like a client). Prints JSON:
``{"dossiers", "runs", "median_seconds", "dossiers_per_second_median", "bytes", ...}``.

    .venv/bin/python bench/server_snapshot.py [--dossiers 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from onestop_server import db  # noqa: E402
from onestop_server.clock import Clock  # noqa: E402
from onestop_server.seed import seed_database  # noqa: E402
from tests.support.server import start_server  # noqa: E402


def snapshot(session: requests.Session, url: str, limit: int) -> tuple[int, int, int]:
    """(dossiers, bytes, pages) of one full snapshot."""
    cursor: str | None = None
    count = size = pages = 0
    while True:
        params: dict[str, str | int] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        r = session.get(url + "/api/v1/sync/changes", params=params, timeout=120)
        r.raise_for_status()
        body = r.json()
        count += len(body["upserts"])
        size += len(r.content)
        pages += 1
        cursor = body["cursor"]
        if not body["has_more"]:
            return count, size, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000, help="dossiers in scope (target)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-snapshot-") as tmp:
        root = Path(tmp)
        engine = db.make_engine(db.sqlite_url(str(root / "server.db")))
        started = time.perf_counter()
        summary = seed_database(
            engine, root / "blobs", dossiers=int(args.dossiers * 1.05) + 10, seed=1,
            only_department="stnmt",
        )
        seed_seconds = time.perf_counter() - started
        engine.dispose()
        server = start_server(root / "server.db", root / "blobs", clock=Clock())
        try:
            session = requests.Session()
            login = session.post(
                server.url + "/api/v1/auth/login",
                json={"username": "truongphong.tnmt", "password": "demo", "device_id": "bench"},
                timeout=30,
            )
            login.raise_for_status()
            session.headers["Authorization"] = "Bearer " + login.json()["access_token"]
            snapshot(session, server.url, args.limit)  # warm-up (page cache, first requests)
            times: list[float] = []
            count = size = pages = 0
            for _ in range(args.runs):
                t0 = time.perf_counter()
                count, size, pages = snapshot(session, server.url, args.limit)
                times.append(time.perf_counter() - t0)
        finally:
            server.stop()
    median = statistics.median(times)
    print(json.dumps({
        "dossiers": count,
        "runs": args.runs,
        "pages": pages,
        "limit": args.limit,
        "median_seconds": round(median, 4),
        "min_seconds": round(min(times), 4),
        "dossiers_per_second_median": round(count / median),
        "bytes": size,
        "seeded": summary.dossiers,
        "seed_seconds": round(seed_seconds, 2),
    }))
    return 0 if count >= args.dossiers else 1


if __name__ == "__main__":
    sys.exit(main())
