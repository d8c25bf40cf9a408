"""Benchmark: the first sync of 10,000 dossiers over a home line and a 4G link.

Between the client and the reference server (its own process, on loopback) sits the throttling
proxy of ``bench/netshape.py`` (its own process too): ``home-20`` is 20 Mbit/s with a 40 ms
round trip, ``4g`` 5 Mbit/s, 80 ms and 1 % segment loss (see that module for the model). Each
run logs in through the link and runs ``SyncEngine.sync_once(prefetch=False)`` into a fresh
encrypted cache; ``--encodings default,gzip,identity`` also runs with the client offering gzip
alone and with compression refused (``Accept-Encoding: identity``), to show what each saves
(``default`` is what the client's requests offers: zstd, which the server prefers, and gzip).

Prints one JSON object: per profile and encoding the median and min wall time, the time of a
transfer-only pull through the same link (every page downloaded, nothing parsed or stored: the
floor of that line), and the bytes that crossed the link per sync (TCP payload, HTTP headers included; ``bytes_down`` server to
client, ``bytes_up`` client to server) and the ``Content-Encoding`` the server chose, with the
machine's load average. Goal: 10k in <= 6 s
at 20 Mbit/s.

    .venv/bin/python bench/sync_shaped.py [--dossiers 10000] [--runs 5] [--profiles home-20,4g]
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from netshape import PROFILES, ShapedLink  # noqa: E402
from sync_common import (  # noqa: E402
    DEFAULT_PAGE_LIMIT,
    engine_for,
    fresh_cache,
    load_average,
    median,
    seeded_server,
    session_for,
)

from wfh_client.store.state import counts  # noqa: E402
from wfh_client.sync.engine import CHANGES_PATH  # noqa: E402
from wfh_client.sync.pages import tail_cursor  # noqa: E402


def transfer_only(server: Any, profile: str, encoding: str,
                  page_limit: int) -> tuple[float, str]:
    """Seconds to download every snapshot page through the link and nothing else (the cursor
    read from each body's tail, no parsing, no storing): the least any sync needs there; and
    the ``Content-Encoding`` of the pages (several, comma-separated, if they differed)."""
    with ShapedLink(server.port, PROFILES[profile], seed=99) as link:
        session = session_for(SimpleNamespace(url=link.url))
        if encoding != "default":
            session.http.session.headers["Accept-Encoding"] = encoding
        params: dict[str, Any] = {"limit": page_limit}
        codings: list[str] = []
        started = time.perf_counter()
        while True:
            response = session.request("GET", CHANGES_PATH, params=params)
            codings.append(response.headers.get("Content-Encoding", "identity"))
            tail = tail_cursor(response.content)
            assert tail is not None
            if not tail[1]:
                break
            params["cursor"] = tail[0]
        seconds = time.perf_counter() - started
        session.http.close()
    return seconds, ",".join(sorted(set(codings)))


def run_profile(root: Path, server: Any, in_scope: int, profile: str, encoding: str,
                args: argparse.Namespace) -> dict[str, Any]:
    times: list[float] = []
    down: list[int] = []
    up: list[int] = []
    losses: list[int] = []
    for run in range(args.runs):
        # A fresh link (and TCP connection) per run: every first sync starts from slow start.
        with ShapedLink(server.port, PROFILES[profile], seed=run + 1) as link:
            session = session_for(SimpleNamespace(url=link.url))
            if encoding != "default":
                session.http.session.headers["Accept-Encoding"] = encoding
            before = link.counters()
            cache = fresh_cache(root / f"client-{profile}-{encoding}-{run}")
            engine = engine_for(session, cache, args.page_limit)
            started = time.perf_counter()
            report = engine.sync_once(prefetch=False)
            times.append(time.perf_counter() - started)
            after = link.counters()
            cached = counts(cache.reader()).dossiers
            cache.close()
            session.http.close()
            assert report.pulled == in_scope == cached, (report.pulled, in_scope, cached)
        down.append(after["bytes_down"] - before["bytes_down"])
        up.append(after["bytes_up"] - before["bytes_up"])
        losses.append(after["losses"] - before["losses"])
    med = median(times)
    transfer, coding = transfer_only(server, profile, encoding, args.page_limit)
    return {
        "profile": profile,
        "link": PROFILES[profile].__dict__,
        "accept_encoding": encoding,
        "content_encoding": coding,
        "runs": args.runs,
        "median_seconds": round(med, 3),
        "min_seconds": round(min(times), 3),
        "max_seconds": round(max(times), 3),
        "transfer_only_seconds": round(transfer, 3),
        "bytes_down": int(median([float(x) for x in down])),
        "bytes_up": int(median([float(x) for x in up])),
        "bytes_per_dossier": round(median([float(x) for x in down]) / in_scope),
        "segments_lost": int(median([float(x) for x in losses])),
        "goal_seconds": 6.0 if profile == "home-20" else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page-limit", type=int, default=DEFAULT_PAGE_LIMIT)
    parser.add_argument("--profiles", default="home-20,4g")
    parser.add_argument("--encodings", default="default",
                        help="comma-separated: default (what the client offers: zstd, gzip), "
                             "gzip, identity")
    args = parser.parse_args()
    load_before = load_average()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-sync-shaped-") as tmp:
        root = Path(tmp)
        server, in_scope = seeded_server(root, args.dossiers, process=True)
        try:
            for profile in args.profiles.split(","):
                for encoding in args.encodings.split(","):
                    results.append(run_profile(root, server, in_scope, profile, encoding, args))
                    print(json.dumps(results[-1]), file=sys.stderr, flush=True)
        finally:
            server.stop()
    print(json.dumps({"dossiers": in_scope, "load_before": load_before,
                      "load_after": load_average(), "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
