"""Benchmark: recall delivery latency to 200 long-polling clients, and the memory they cost.

Seeds a database with ``--clients`` extra officers in one department (``onestop-server seed
--officers N``), runs ``onestop-server serve`` as a separate process (so that its RSS can be read
from ``/proc/<pid>/status``), logs everybody in, and connects one long-poll per officer
(``GET /api/v1/events?after=…&wait=25``, asyncio, one keep-alive connection each). The head then
issues ``--rounds`` recalls to all of them. Latency per client and recall = the client's
receive time minus the event's server-side ``at`` (same machine, same clock). Prints JSON:
``{clients, rounds, samples, median_ms, p95_ms, max_ms, server_rss_mb_idle_before,
server_rss_mb_with_200_idle, bytes_per_idle_connection}``. Goals: median <= 200 ms, p95 <= 1 s.

    .venv/bin/python bench/recall_latency.py [--clients 200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent / "onestop-server"
PASSWORD = "demo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def parse_at(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def cli(*args: str) -> list[str]:
    if BIN.exists():
        return [str(BIN), *args]
    return [sys.executable, "-m", "onestop_server.cli", *args]


async def login(http: httpx.AsyncClient, username: str, sem: asyncio.Semaphore) -> dict[str, Any]:
    async with sem:
        r = await http.post("/api/v1/auth/login", json={
            "username": username, "password": PASSWORD, "device_id": f"bench-{username}",
        })
        r.raise_for_status()
        body: dict[str, Any] = r.json()
        return body


class Listener:
    """One officer's long-poll loop on its own keep-alive connection; records (recall id,
    latency seconds) per recall event.

    A minimal HTTP/1.1 client on asyncio streams (the setup uses httpx): 200 clients share this
    process and the machine's cores with the server, so the client's own per-response cost is
    kept small to measure the server rather than the client library.
    """

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port, self.token = host, port, token
        self.after = 0
        self.samples: list[tuple[int, float]] = []
        self.polls = 0
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> dict[str, Any]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n"
            f"Authorization: Bearer {self.token}\r\n\r\n".encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(head.split(b"\r\n")[0].decode())
        body: dict[str, Any] = json.loads(await self.reader.readexactly(length))
        return body

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            body = await self.get(f"/api/v1/events?after={self.after}&wait=25")
            received = time.time()
            self.polls += 1
            for event in body["events"]:
                if event["kind"] == "recall":
                    self.samples.append((event["payload"]["recall_id"], received - parse_at(event["at"])))
            self.after = body["last_id"]

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def scenario(base: str, port: int, pid: int, clients: int, rounds: int) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        sem = asyncio.Semaphore(16)
        names = [f"cv.tnmt.x{n:04d}" for n in range(1, clients + 1)]
        head = await login(http, "truongphong.tnmt", sem)
        officers = await asyncio.gather(*(login(http, n, sem) for n in names))
        head_h = {"Authorization": f"Bearer {head['access_token']}"}
        # Start every feed at the current end so that only new events count.
        r = await http.get("/api/v1/events", headers=head_h)
        await asyncio.sleep(1.0)
        rss_before = rss_mb(pid)
        listeners = [Listener("127.0.0.1", port, o["access_token"]) for o in officers]
        for listener in listeners:
            listener.after = (await listener.get("/api/v1/events"))["last_id"]
        stop = asyncio.Event()
        tasks = [asyncio.create_task(listener.run(stop)) for listener in listeners]
        await asyncio.sleep(2.0)  # all 200 are waiting in the server now
        rss_idle = rss_mb(pid)
        ids = [o["user"]["id"] for o in officers]
        recall_ids: list[int] = []
        for i in range(rounds):
            report_by = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
            r = await http.post("/api/v1/oncall/recalls", headers=head_h, json={
                "recipients": ids, "message": f"Bench recall {i}", "report_by": report_by,
                "urgency": "urgent",
            })
            r.raise_for_status()
            recall_ids.append(r.json()["id"])
            if os.environ.get("BENCH_DEBUG"):
                print("post took", r.elapsed.total_seconds(), file=sys.stderr)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                got = sum(1 for lst in listeners for rid, _ in lst.samples if rid == recall_ids[-1])
                if got >= clients:
                    break
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.5)
            if os.environ.get("BENCH_DEBUG"):
                lat = sorted(x for lst in listeners for rid, x in lst.samples if rid == recall_ids[-1])
                print("round", i, "min", lat[0], "med", lat[len(lat) // 2], "max", lat[-1], file=sys.stderr)
            r = await http.post(f"/api/v1/oncall/recalls/{recall_ids[-1]}/close", headers=head_h)
            r.raise_for_status()
            await asyncio.sleep(0.5)
        stop.set()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for listener in listeners:
            await listener.close()
    latencies = [lat * 1000 for lst in listeners for rid, lat in lst.samples if rid in recall_ids]
    latencies.sort()
    expected = clients * rounds
    return {
        "clients": clients,
        "rounds": rounds,
        "samples": len(latencies),
        "missing": expected - len(latencies),
        "median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 1) if latencies else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "server_rss_mb_idle_before": round(rss_before, 1),
        "server_rss_mb_with_200_idle": round(rss_idle, 1),
        "bytes_per_idle_connection": int((rss_idle - rss_before) * 1024 * 1024 / clients),
        "goals": {"median_ms": 200, "p95_ms": 1000},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-recall-") as tmp:
        db_path = Path(tmp) / "server.db"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            cli("seed", "--db", str(db_path), "--dossiers", "20", "--officers", str(args.clients)),
            check=True, stdout=subprocess.DEVNULL, env=env,
        )
        port = free_port()
        server = subprocess.Popen(
            cli("serve", "--db", str(db_path), "--port", str(port), "--log-level", "warning"),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(base + "/api/v1/openapi.json", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start")
                time.sleep(0.1)
            result = asyncio.run(scenario(base, port, server.pid, args.clients, args.rounds))
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    print(json.dumps(result, indent=2))
    ok = result["missing"] == 0 and (result["median_ms"] or 1e9) <= 200 and (result["p95_ms"] or 1e9) <= 1000
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
