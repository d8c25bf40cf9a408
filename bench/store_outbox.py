"""Benchmark: recording an offline action in a 100,000-dossier encrypted cache.

One action = one Writer task (one transaction): read the dossier, append an optimistic note,
``outbox.record_action`` (enqueue + local document 'pending' + FTS/children refresh), commit.
Timed from the calling thread, so the thread hand-off and the commit are included.
Prints ``{"dossiers": ..., "record_action_median_ms": ..., "record_action_p95_ms": ...}``.
Goal: median <= 5 ms.

    .venv/bin/python bench/store_outbox.py [--dossiers 100000] [--actions 300]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlite_utils import Database  # noqa: E402
from store_search import fill, open_bench_cache  # noqa: E402

from wfh_client.store.dossiers import get_dossier  # noqa: E402
from wfh_client.store.outbox import OutboxEntry, pending_entries, record_action  # noqa: E402
from wfh_client.store.state import now_iso  # noqa: E402


def add_note(dossier_id: str, text: str) -> Callable[[Database], OutboxEntry]:
    def task(db: Database) -> OutboxEntry:
        record = get_dossier(db, dossier_id)
        assert record is not None
        data = dict(record.data)
        data["notes"] = [*data.get("notes", []), {"id": None, "author_id": 3,
                         "author_name": "Tôi", "text": text, "created_at": now_iso(),
                         "client_id": None}]
        return record_action(db, dossier_id, "note", {"text": text}, record.version, data)
    return task


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        cache = open_bench_cache(Path(tmp))
        ids = fill(cache, args.dossiers)
        times: list[float] = []
        for i in range(args.actions):
            task = add_note(rng.choice(ids), f"Ghi chú số {i}: đã gọi điện cho công dân")
            start = time.perf_counter()
            cache.writer.run(task)
            times.append((time.perf_counter() - start) * 1000)
        queued = len(cache.writer.run(pending_entries))
        cache.close()
    times.sort()
    print(json.dumps({
        "dossiers": args.dossiers, "actions": args.actions, "queued": queued,
        "record_action_median_ms": round(statistics.median(times), 2),
        "record_action_p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
    }))


if __name__ == "__main__":
    main()
