"""Benchmark: keystroke to filtered dossier list over 100,000 cached dossiers (offscreen Qt).

Fills (or reuses, ``--cache DIR``) an encrypted cache with synthetic dossiers, opens the real
main window, then for each query: sets the search text, fires the debounce at once
(``FilterBar.flush``) and repaints the list viewport synchronously - so the time covers the
SQL, the model reset, the row fetch for the visible rows and the paint. Prints JSON with the
median and p95 in ms. Goal: <= 50 ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_search.py [--dossiers 100000]

The cache key is passed directly (no keyring) and, with ``--cache``, kept in ``DIR/key.hex``
so ``bench/ui_cold_start.py`` can reuse the same 100,000 dossiers: benchmark data only.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wfh_client.domain.calendar import WorkingCalendar  # noqa: E402
from wfh_client.store import Cache, account_paths  # noqa: E402
from wfh_client.store.state import get_state, set_state  # noqa: E402
from wfh_client.sync.engine import KEY_CALENDAR, cached_calendar  # noqa: E402

QUERIES = [
    "nguyen van", "dang ky dat dai", "Trần Thị", "hùng", "cấp giấy phép", "ben nghe",
    "000.00.12.H57-2604", "Lê Minh Tuấn", "đinh tiên", "khai sinh", "thao", "vo thi sau", "xyzzy",
    "Nguyễn Thị Hương", "0912", "phuc", "giay phep lai xe", "ho kinh doanh", "Đặng", "yen",
    "nguyen", "tran van binh", "hai ba trung", "le loi", "thu y", "ruou", "dat dai",
    "bien dong", "doanh nghiep", "Hoàng Diệu", "cua nam", "ninh kieu", "tan dinh", "hai chau",
    "Phạm Quốc", "Võ Thị", "Bùi Xuân", "Hồ Kim", "Ngô Đức", "Dương Thu", "Phan Thanh",
    "Huỳnh Ngọc", "Vũ Minh", "Đỗ Hữu", "ly lich tu phap", "trich luc", "xay dung nha o",
    "cho thue lai", "n", "ng",
    # phone and ID numbers: their start, middle and end (store.fts: dossier_numbers)
    "0123", "345678", "0903 111", "8812345", "nguyen 456",
]
#: The queries that also look into the phone and ID numbers (a term of 3 digits or more).
NUMBER_QUERIES = {q for q in QUERIES if any(len(w) >= 3 and w.isdigit() for w in q.split())}


def bench_cache(root: Path | None, count: int) -> tuple[Cache, Path, bytes, float]:
    """An encrypted cache of ``count`` sample dossiers under ``root`` (filled once)."""
    from wfh_client.ui.sample_data import fill_cache, sample_dossiers

    root = Path(root or tempfile.mkdtemp(prefix="wfh-ui-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    key_file = root / "key.hex"
    if not key_file.exists():
        key_file.write_text(secrets.token_bytes(32).hex())
    key = bytes.fromhex(key_file.read_text())
    cache = Cache(account_paths("bench", root), key=key)
    have = int(cache.reader().execute("SELECT count(*) FROM dossiers").fetchone()[0])
    fill_s = 0.0
    if have < count:
        t0 = time.perf_counter()
        fill_cache(cache, sample_dossiers(count - have, calendar=WorkingCalendar(),
                                          now=datetime.now(UTC), seed=11, start=have))
        fill_s = time.perf_counter() - t0
    if get_state(cache.reader(), KEY_CALENDAR) is None:
        # What a first sync leaves: the server's calendar, resolved over its horizon.
        served = served_calendar(WorkingCalendar(), datetime.now(UTC))
        cache.writer.run(lambda db: set_state(db, KEY_CALENDAR, served))
    return cache, root, key, fill_s


def served_calendar(calendar: WorkingCalendar, now: datetime) -> dict[str, object]:
    """``GET /api/v1/calendar``'s form for ``now`` (the reference server's horizon)."""
    from onestop_server.workcal import HORIZON_YEARS_AFTER, HORIZON_YEARS_BEFORE

    year = now.astimezone(calendar.tz).year
    return calendar.resolve(date(year - HORIZON_YEARS_BEFORE, 1, 1),
                            date(year + HORIZON_YEARS_AFTER, 12, 31)).to_dict()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--cache", type=Path, default=None, help="reuse/keep the cache here")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    from wfh_client.events import EventBus
    from wfh_client.ui.app import ClientApp, create_application

    cache, _root, _key, fill_s = bench_cache(args.cache, args.dossiers)
    app = create_application([], language="vi")
    shell = ClientApp(cache=cache, bus=EventBus(), calendar=cached_calendar(cache.reader()),
                      tray_available=False)
    shell.window.resize(1280, 800)
    shell.show()
    app.processEvents()
    bar, view, model = shell.window.filter_bar, shell.window.list_view, shell.window.model
    times: list[float] = []
    cpu: list[float] = []  # the GUI thread's CPU time: less skewed than wall time on a busy box
    load_before = [round(x, 2) for x in os.getloadavg()]
    hits: dict[str, int] = {}
    number_times: list[float] = []
    for _ in range(args.rounds):
        for query in QUERIES:
            bar.search.setText("")
            bar.flush()
            view.viewport().repaint()
            start, start_cpu = time.perf_counter(), time.thread_time()
            bar.search.setText(query)
            bar.flush()  # the debounce timer, fired now
            view.viewport().repaint()  # the visible rows fetched and painted
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
            hits[query] = model.rowCount()
            if query in NUMBER_QUERIES:
                number_times.append(times[-1])
    shell.shutdown()
    cache.close()
    times.sort()
    cpu.sort()
    print(json.dumps({
        "dossiers": args.dossiers, "queries": len(times),
        "keystroke_median_ms": round(statistics.median(times), 1),
        "keystroke_p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "keystroke_max_ms": round(times[-1], 1),
        "keystroke_cpu_median_ms": round(statistics.median(cpu), 1),
        "keystroke_cpu_p95_ms": round(cpu[int(len(cpu) * 0.95) - 1], 1),
        "number_queries": len(number_times),
        "number_median_ms": round(statistics.median(number_times), 1),
        "number_max_ms": round(max(number_times), 1),
        "load_before": load_before,
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "fill_seconds": round(fill_s, 1),
        "hits_sample": {q: hits[q] for q in [*QUERIES[:8], "n", "nguyen", *sorted(NUMBER_QUERIES)]},
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
