"""Benchmark: recording an offline action through ``operations.record_action`` in a cache of
10,000-100,000 dossiers.

The cache first holds the head's whole scope from a real first sync (every seeded dossier in
one department), then is topped up with synthetic dossiers (``store_search.fill``) to
``--cached``. Each timed call is what the UI does on "Save": domain validation against the
cached document, the optimistic document, the outbox entry, FTS and child rows, one writer
transaction, timed from the calling thread. Notes go to random synced dossiers; status actions
(``start_review``, ``request_documents``) to dossiers where the domain allows
them. Prints ``{"cached", "note_median_ms", "status_median_ms", "p95_ms"}``. Goal: median <= 5
ms. No OS keyring needed (the refresh token stays in memory).

    .venv/bin/python bench/record_action.py [--dossiers 10000] [--cached 100000] [--actions 300]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_search import fill  # noqa: E402
from sync_common import engine_for, fresh_cache, median, seeded_server, session_for  # noqa: E402

from wfh_client.domain import ActionError, allowed_actions, state_from_document  # noqa: E402
from wfh_client.store import dossiers as store_dossiers  # noqa: E402
from wfh_client.store.state import counts  # noqa: E402
from wfh_client.sync import operations  # noqa: E402

STATUS_ACTIONS = {
    "start_review": {},
    "request_documents": {"missing": ["Bản sao CCCD"], "reason": "Thiếu giấy tờ"},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000, help="seeded on the server")
    parser.add_argument("--cached", type=int, default=100_000, help="dossiers in the cache")
    parser.add_argument("--actions", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="bench-record-") as tmp:
        root = Path(tmp)
        server, in_scope = seeded_server(root, args.dossiers)
        try:
            session = session_for(server)
            cache = fresh_cache(root / "client")
            engine = engine_for(session, cache, page_limit=2000)
            engine.sync_once(prefetch=False)
        finally:
            server.stop()  # recording is offline work
        real = [r[0] for r in cache.reader().execute("SELECT id FROM dossiers ORDER BY id")]
        if args.cached > len(real):
            fill(cache, args.cached - len(real))
        cached = counts(cache.reader()).dossiers
        actor = engine.profile().actor
        db = cache.reader()
        candidates: dict[str, list[str]] = {name: [] for name in STATUS_ACTIONS}
        for dossier_id in real:
            record = store_dossiers.get_dossier(db, dossier_id)
            assert record is not None
            allowed = allowed_actions(state_from_document(record.data), actor)
            for name in STATUS_ACTIONS:
                if name in allowed:
                    candidates[name].append(dossier_id)
        note_ms: list[float] = []
        status_ms: list[float] = []
        for i in range(args.actions):
            dossier_id = rng.choice(real)
            started = time.perf_counter()
            operations.record_action(engine, dossier_id, "note", {"text": f"Ghi chú số {i}"})
            note_ms.append((time.perf_counter() - started) * 1000)
            name = rng.choice(sorted(STATUS_ACTIONS))
            if candidates[name]:
                dossier_id = candidates[name].pop(rng.randrange(len(candidates[name])))
                started = time.perf_counter()
                try:
                    operations.record_action(engine, dossier_id, name, STATUS_ACTIONS[name])
                except ActionError:
                    continue
                status_ms.append((time.perf_counter() - started) * 1000)
        cache.close()
    every = note_ms + status_ms
    print(json.dumps({
        "cached": cached,
        "actions": len(every),
        "note_median_ms": round(median(note_ms), 3),
        "status_median_ms": round(median(status_ms), 3) if status_ms else None,
        "median_ms": round(median(every), 3),
        "p95_ms": round(statistics.quantiles(every, n=20)[-1], 3),
        "goal_median_ms": 5.0,
    }))
    return 0 if median(every) <= 5.0 else 1


if __name__ == "__main__":
    sys.exit(main())
