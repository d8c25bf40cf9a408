"""Benchmark: cold start of the desktop client to the painted dossier list, and peak memory.

The parent fills (or reuses, ``--cache DIR``, shared with ``bench/ui_search.py``) an encrypted
cache with 100,000 dossiers, then starts a FRESH Python process (``--child``) which takes
``time.perf_counter()`` as its very first statement, imports Qt and the client, opens the
cache, builds the main window and stops at the first paint event of the list's viewport.
Reported over the runs: ``cold_start_median_s`` / ``cold_start_min_s`` (child's first
statement -> first table paint), ``cpu_median_s`` (the child's CPU time until then),
``process_start_median_s`` (parent's spawn -> first table paint, includes the interpreter's
own start), ``peak_rss_mb`` (``ru_maxrss`` of the child) and the load average. Goals:
<= 1.5 s, <= 250 MB.

The child opens the account as the launcher does after a sync: the calendar is the server's
(resolved over its horizon, stored in the cache by ``bench_cache``), and the client's modules
are byte-compiled first, as in any install (``PYTHONDONTWRITEBYTECODE``, set on some machines,
would otherwise make every run recompile about 100 modules: ~0.2 s that no user pays).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_cold_start.py [--runs 5]
"""

import time

T0 = time.perf_counter()  # noqa: E402 - the clock starts before any import

import argparse  # noqa: E402
import compileall  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def child(cache_dir: Path) -> None:
    import resource

    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEvent, QObject, QTimer

    from wfh_client.events import EventBus
    from wfh_client.store import Cache, account_paths
    from wfh_client.sync.engine import cached_calendar
    from wfh_client.ui.app import ClientApp, create_application

    app = create_application([], language="vi")
    key = bytes.fromhex((cache_dir / "key.hex").read_text())
    cache = Cache(account_paths("bench", cache_dir), key=key)
    # As the launcher opens an account: the calendar of the last sync, from the cache.
    shell = ClientApp(cache=cache, bus=EventBus(), calendar=cached_calendar(cache.reader()),
                      tray_available=False)
    painted: dict[str, float] = {}

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and "t" not in painted:
                painted["t"] = time.perf_counter()
                painted["cpu"] = time.process_time()
                QTimer.singleShot(0, app.quit)
            return False

    spy = FirstPaint()
    shell.window.list_view.viewport().installEventFilter(spy)
    shell.window.resize(1280, 800)
    shell.show()
    app.exec()
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rows = shell.window.model.rowCount()
    shell.shutdown()
    cache.close()
    print(json.dumps({"cold_start_s": round(painted["t"] - T0, 3),
                      "cpu_s": round(painted["cpu"], 3),
                      "peak_rss_mb": round(rss_kb / 1024, 1), "rows": rows,
                      "wall_end": time.time() - (time.perf_counter() - painted["t"])}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    sys.path.insert(0, str(ROOT))
    from ui_search import bench_cache  # bench/ is on sys.path as the script's folder

    cache, root, _key, fill_s = bench_cache(args.cache, args.dossiers)
    cache.close()
    for package in ("wfh_client", "onestop_server"):
        compileall.compile_dir(ROOT / package, quiet=1)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    runs = []
    load_before = [round(x, 2) for x in os.getloadavg()]
    for _ in range(args.runs):
        spawned = time.time()
        out = subprocess.run([sys.executable, __file__, "--child", str(root)], env=env,
                             check=True, capture_output=True, text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        result["process_start_s"] = round(result.pop("wall_end") - spawned, 3)
        runs.append(result)
    best = min(runs, key=lambda r: r["cold_start_s"])
    print(json.dumps({
        "dossiers": args.dossiers, "runs": len(runs),
        "cold_start_median_s": round(statistics.median(r["cold_start_s"] for r in runs), 3),
        "cold_start_min_s": best["cold_start_s"],
        "cold_start_s_all": [r["cold_start_s"] for r in runs],
        "cpu_median_s": round(statistics.median(r["cpu_s"] for r in runs), 3),
        "process_start_median_s": round(
            statistics.median(r["process_start_s"] for r in runs), 3),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "rows": best["rows"], "fill_seconds": round(fill_s, 1),
        "load_before": load_before, "load_after": [round(x, 2) for x in os.getloadavg()],
    }))


if __name__ == "__main__":
    main()
