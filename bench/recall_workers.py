"""Benchmark: recall delivery to 2,000 long-polling clients across 2 workers on PostgreSQL.

A private PostgreSQL cluster, ``--clients`` extra officers in one department, ``onestop-server
serve --workers 2`` as a real process. Every officer holds one long-poll on its own keep-alive
connection (``bench/recall_latency.py``'s minimal asyncio client; the kernel spreads the
connections over the two workers, the ``presence`` table says how). Each round the head issues
recalls to everybody: a recall takes at most 500 recipients, so ceil(clients / 500) recalls at
once. Latency per client and recall = receive time minus the event's ``at`` (same machine, same
clock). Prints JSON: p50/p95/max, missing deliveries, server RSS (supervisor + workers) before
and with the clients waiting, server and client CPU seconds during the rounds, the split of
connections per worker, and the machine's load. Goal: p95 <= 1 s at 2,000 clients.

    .venv/bin/python bench/recall_workers.py [--clients 2000] [--rounds 5] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from scale_common import issue_tokens, machine, percentile, postgres_database, tree_rss_mb

from onestop_server import db
from onestop_server.seed import seed_database
from tests.support.serve import ServeProcess

sys.path.insert(0, str(Path(__file__).resolve().parent))
from recall_latency import Listener  # noqa: E402

MAX_RECIPIENTS = 500


class Client(Listener):
    """A listener that reconnects when the server closed its idle keep-alive connection
    (uvicorn closes one idle for 5 s, e.g. between the priming poll and the first long-poll),
    as the real client does."""

    async def get(self, path: str) -> dict[str, Any]:
        try:
            return await super().get(path)
        except (asyncio.IncompleteReadError, ConnectionError):
            await self.close()
            self.reader = self.writer = None
            return await super().get(path)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children, from /proc (clock ticks)."""
    from scale_common import _children

    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / 100
    return total


def per_worker(url: str) -> dict[str, int]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            from sqlalchemy import func, select

            p = db.presence
            return {str(w): int(n) for w, n in conn.execute(
                select(p.c.worker_id, func.sum(p.c.open_polls)).group_by(p.c.worker_id)).all()}
    finally:
        engine.dispose()


async def open_polls(base: str) -> float:
    async with httpx.AsyncClient(timeout=10) as http:
        text = (await http.get(base + "/metrics")).text
    for line in text.splitlines():
        if line.startswith("onestop_events_open_polls "):
            return float(line.split()[1])
    return 0.0


async def scenario(srv: ServeProcess, url: str, tokens: dict[str, tuple[str, int]], head: str,
                   clients: int, rounds: int) -> dict[str, Any]:
    officers = [n for n in tokens if n != head]
    listeners = [Client("127.0.0.1", srv.port, tokens[n][0]) for n in officers]
    sem = asyncio.Semaphore(100)

    async def prime(listener: Listener) -> None:
        async with sem:
            listener.after = (await listener.get("/api/v1/events"))["last_id"]

    await asyncio.gather(*(prime(x) for x in listeners))
    rss_before = tree_rss_mb(srv.proc.pid)
    stop = asyncio.Event()
    tasks = [asyncio.create_task(x.run(stop)) for x in listeners]
    deadline = time.monotonic() + 120
    while await open_polls(srv.url) < clients and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    await asyncio.sleep(2.0)  # the presence flush
    split = per_worker(url)
    rss_idle = tree_rss_mb(srv.proc.pid)
    ids = [tokens[n][1] for n in officers]
    recall_ids: list[int] = []
    round_stats: list[dict[str, Any]] = []
    cpu0, client0 = cpu_seconds(srv.proc.pid), resource.getrusage(resource.RUSAGE_SELF)
    headers = {"Authorization": f"Bearer {tokens[head][0]}"}
    async with httpx.AsyncClient(base_url=srv.url, timeout=120, headers=headers) as http:
        for i in range(rounds):
            report_by = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
            chunks = [ids[k:k + MAX_RECIPIENTS] for k in range(0, len(ids), MAX_RECIPIENTS)]
            t0 = time.perf_counter()
            answers = await asyncio.gather(*(http.post("/api/v1/oncall/recalls", json={
                "recipients": chunk, "message": f"Bench recall {i}.{n}", "report_by": report_by,
                "urgency": "urgent"}) for n, chunk in enumerate(chunks)))
            posted = time.perf_counter() - t0
            these = []
            for r in answers:
                r.raise_for_status()
                these.append(r.json()["id"])
            recall_ids += these
            wanted = set(these)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                got = sum(1 for x in listeners for rid, _ in x.samples if rid in wanted)
                if got >= clients:
                    break
                await asyncio.sleep(0.05)
            lat = sorted(v for x in listeners for rid, v in x.samples if rid in wanted)
            round_stats.append({"round": i, "recalls": len(these), "post_seconds": round(posted, 3),
                                "delivered": len(lat), "p50_ms": round(statistics.median(lat) * 1000, 1),
                                "max_ms": round(lat[-1] * 1000, 1)})
            for rid in these:
                (await http.post(f"/api/v1/oncall/recalls/{rid}/close")).raise_for_status()
            await asyncio.sleep(1.5)
    cpu1, client1 = cpu_seconds(srv.proc.pid), resource.getrusage(resource.RUSAGE_SELF)
    async with httpx.AsyncClient(timeout=30) as http:
        scraped = (await http.get(srv.url + "/metrics")).text
    answers = {
        line.rsplit(" ", 1)[0].removeprefix("onestop_http_requests_total"): int(float(line.rsplit(" ", 1)[1]))
        for line in scraped.splitlines() if line.startswith("onestop_http_requests_total{")
    }
    stop.set()
    for t in tasks:
        t.cancel()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    failures: dict[str, int] = {}
    for o in outcomes:
        if isinstance(o, BaseException) and not isinstance(o, asyncio.CancelledError):
            failures[repr(o)[:120]] = failures.get(repr(o)[:120], 0) + 1
    for x in listeners:
        await x.close()
    latencies = sorted(v * 1000 for x in listeners for rid, v in x.samples if rid in recall_ids)
    return {
        "clients": clients,
        "rounds": rounds,
        "recalls_per_round": math.ceil(clients / MAX_RECIPIENTS),
        "samples": len(latencies),
        "missing": clients * rounds - len(latencies),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "per_round": round_stats,
        "listener_failures": failures,
        "server_answers": answers,
        "connections_per_worker": split,
        "server_rss_mb_before_clients": rss_before,
        "server_rss_mb_with_clients_waiting": rss_idle,
        "server_cpu_seconds_during_rounds": round(cpu1 - cpu0, 1),
        "client_cpu_seconds_during_rounds": round(
            (client1.ru_utime + client1.ru_stime) - (client0.ru_utime + client0.ru_stime), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4 * args.clients + 1024)), hard))
    load_before = machine()
    with tempfile.TemporaryDirectory(prefix="bench-recall-workers-") as tmp, postgres_database() as url:
        engine = db.make_engine(url)
        try:
            seed_database(engine, Path(tmp) / "blobs", dossiers=20, extra_officers=args.clients)
        finally:
            engine.dispose()
        head = "truongphong.tnmt"
        names = [f"cv.tnmt.x{n:04d}" for n in range(1, args.clients + 1)]
        tokens = issue_tokens(url, [head, *names])
        srv = ServeProcess(url, Path(tmp) / "blobs", workers=args.workers,
                           env={"ONESTOP_LOG_LEVEL": "warning"}, log_file=Path(tmp) / "serve.log")
        try:
            srv.wait_ready()
            result = asyncio.run(scenario(srv, url, tokens, head, args.clients, args.rounds))
        finally:
            srv.stop()
    result.update({"workers": args.workers, "database": "postgresql",
                   "machine_before": load_before, "machine_after": machine(),
                   "goals": {"p95_ms": 1000}})
    print(json.dumps(result, indent=2))
    return 0 if result["missing"] == 0 and result["p95_ms"] <= 1000 else 1


if __name__ == "__main__":
    sys.exit(main())
