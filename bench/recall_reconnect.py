"""Benchmark: a recall sent while the officer's network is down, from the network's return to
the alert on the officer's computer; and how fast the app notices the loss.

The reference server runs in its own process; the officer's client (the real ``FeedListener``,
``OnCallService`` and ``SyncService`` on an encrypted cache, in this process) reaches it through
a TCP proxy on loopback that the benchmark cuts and restores. A cut resets every connection
through the proxy and refuses new ones (the line or the Wi-Fi went down: the OS tears the
connections down). During each cut (``--cut-seconds``, default 20; the field report was a
2-minute cut: ``--cut-seconds 120``) the department head sends a recall directly to the server;
then the proxy is restored and the clock runs until the client raises the alert
(``oncall.recall_alert``). The client's clock is a working Wednesday morning, so it is on duty
(pass ``--off-duty`` for an evening: the feed's long backoff cap applies then).

Prints JSON: ``{rounds, cut_seconds, on_duty, restore_to_alert_ms: {p50, p95, max, all},
cut_to_offline_ms: {p50, p95, max}, load_avg}``. Goal: restore to alert p95 <= 2 s.

    .venv/bin/python bench/recall_reconnect.py [--rounds 10] [--cut-seconds 20] [--off-duty]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from onestop_server.clock import TickingClock  # noqa: E402
from tests.support.server import free_port  # noqa: E402
from tests.support.tcp_proxy import TcpProxy  # noqa: E402
from wfh_client.events import EventBus  # noqa: E402
from wfh_client.memory_keyring import MemoryKeyring  # noqa: E402
from wfh_client.oncall.service import OnCallService  # noqa: E402
from wfh_client.store import Cache, account_paths  # noqa: E402
from wfh_client.sync.auth import TokenStore, login  # noqa: E402
from wfh_client.sync.engine import SyncEngine  # noqa: E402
from wfh_client.sync.feed import FeedListener  # noqa: E402
from wfh_client.sync.http import HttpClient  # noqa: E402
from wfh_client.sync.service import SyncService  # noqa: E402

PASSWORD = "demo"
OFFICER, HEAD = "cv.tnmt1", "truongphong.tnmt"
# Wednesday 18 March 2026, 09:30 in Vietnam (on duty) or 21:30 (off duty)
ON_DUTY = datetime(2026, 3, 18, 2, 30, tzinfo=UTC)
OFF_DUTY = ON_DUTY + timedelta(hours=12)


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.005)


def alert_time(events: list[tuple[float, str, dict[str, Any]]], recall_id: int) -> float | None:
    return next((t for t, n, kw in list(events) if n == "oncall.recall_alert"
                 and kw["recall"]["recall_id"] == recall_id), None)


def wait_alert(events: list[tuple[float, str, dict[str, Any]]], recall_id: int) -> float:
    wait_for(lambda: alert_time(events, recall_id) is not None, 300, "the alert")
    at = alert_time(events, recall_id)
    assert at is not None
    return at


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--cut-seconds", type=float, default=20.0)
    parser.add_argument("--off-duty", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reconnect-") as tmp:
        root = Path(tmp)
        subprocess.run([sys.executable, "-m", "onestop_server", "seed", "--db",
                        str(root / "s.db"), "--dossiers", "40"], check=True, cwd=ROOT,
                       capture_output=True)
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "onestop_server", "serve", "--db", str(root / "s.db"),
             "--port", str(port), "--log-level", "warning"], cwd=ROOT)
        try:
            wait_for(lambda: _up(port), 30, "the server")
            print(json.dumps(run(root, port, args)), flush=True)
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()


def _up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def run(root: Path, port: int, args: argparse.Namespace) -> dict[str, Any]:
    proxy = TcpProxy(port)  # cut: every connection reset, new ones refused, like a line down
    direct = f"http://127.0.0.1:{port}"
    head = requests.post(direct + "/api/v1/auth/login", json={
        "username": HEAD, "password": PASSWORD, "device_id": "bench-head"}, timeout=30).json()
    head_auth = {"Authorization": f"Bearer {head['access_token']}"}
    clock = TickingClock(OFF_DUTY if args.off_duty else ON_DUTY)
    session = login(HttpClient(f"http://127.0.0.1:{proxy.port}", timeout=30), OFFICER, PASSWORD,
                    device_id="bench-" + secrets.token_hex(4), tokens=TokenStore(MemoryKeyring()))
    cache = Cache(account_paths("bench", root / "client"), key=secrets.token_bytes(32))
    bus = EventBus()
    events: list[tuple[float, str, dict[str, Any]]] = []
    bus.subscribe("*", lambda name, **kw: events.append((time.monotonic(), name, kw)))
    oncall = OnCallService(session, cache, bus, clock=clock.now)
    feed = FeedListener(session, cache, bus, on_duty=oncall.on_duty)
    unfollow = feed.follow(bus)
    engine = SyncEngine(session, cache, bus=bus, clock=clock.now, prefetch_max_bytes=0)
    service = SyncService(engine, interval=300.0)
    officer_id = int(session.user["id"]) if session.user else 0
    restore_to_alert: list[float] = []
    cut_to_offline: list[float] = []
    cut_to_feed: list[float] = []
    try:
        oncall.start()
        feed.start()
        service.start()
        wait_for(lambda: feed.connected and service.online, 60, "the client online")
        wait_for(lambda: oncall.policy is not None, 60, "the on-call policy")
        for _ in range(args.rounds):
            wait_for(lambda: feed.connected and service.online, 60, "the client online")
            cut_at = time.monotonic()
            proxy.cut()
            wait_for(lambda: service.online is False, 60, "offline shown")
            cut_to_offline.append(time.monotonic() - cut_at)
            lost = next((t for t, n, kw in list(events) if t >= cut_at and
                         n == "feed.connected" and not kw["connected"]), None)
            cut_to_feed.append((lost or time.monotonic()) - cut_at)
            time.sleep(args.cut_seconds / 2)
            r = requests.post(direct + "/api/v1/oncall/recalls", headers=head_auth, json={
                "recipients": [officer_id], "message": "Về cơ quan họp gấp",
                "report_by": (datetime.now(UTC) + timedelta(hours=1)).isoformat()
                .replace("+00:00", "Z"), "urgency": "urgent"}, timeout=30)
            r.raise_for_status()
            recall_id = int(r.json()["id"])
            time.sleep(max(0.0, args.cut_seconds - (time.monotonic() - cut_at)))
            restored_at = time.monotonic()
            proxy.restore()
            alert_at = wait_alert(events, recall_id)
            restore_to_alert.append(alert_at - restored_at)
            oncall.acknowledge(recall_id, datetime.now(UTC) + timedelta(minutes=30))
    finally:
        unfollow()
        service.stop()
        feed.stop()
        oncall.stop()
        cache.close()
        proxy.close()
    ms = [round(v * 1000) for v in restore_to_alert]
    off = [v * 1000 for v in cut_to_offline]
    return {
        "rounds": args.rounds, "cut_seconds": args.cut_seconds, "on_duty": not args.off_duty,
        "restore_to_alert_ms": {"p50": round(statistics.median(ms)),
                                "p95": round(percentile(ms, 0.95)), "max": max(ms), "all": ms},
        "cut_to_feed_lost_ms": {"p50": round(statistics.median(cut_to_feed) * 1000),
                                "max": round(max(cut_to_feed) * 1000)},
        "cut_to_offline_ms": {"p50": round(statistics.median(off)),
                              "p95": round(percentile(off, 0.95)), "max": round(max(off))},
        "load_avg": [round(x, 2) for x in os.getloadavg()],
    }


if __name__ == "__main__":
    main()
