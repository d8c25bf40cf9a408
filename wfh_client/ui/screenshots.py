"""Render the main window with realistic Vietnamese data into ``docs/screenshots/`` (vi and en).

Runs offscreen with a throw-away encrypted cache (random key, no keyring) and a fixed clock so
the pictures are reproducible::

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m wfh_client.ui.screenshots [--out DIR]

Later screens (dossier detail, action dialogs, conflicts) add their own ``render_*`` here.
"""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.events import EventBus
from wfh_client.store import Cache, account_paths
from wfh_client.store.dossiers import set_local_state
from wfh_client.store.outbox import record_conflict
from wfh_client.store.state import KEY_LAST_SUCCESS_AT, set_state
from wfh_client.ui.app import ClientApp, create_application
from wfh_client.ui.i18n import set_language
from wfh_client.ui.sample_data import fill_cache, sample_dossiers

__all__ = ["main", "render_main_window"]

NOW = datetime(2026, 4, 14, 2, 30, tzinfo=UTC)  # Tuesday 09:30 in Hà Nội
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _wait(app: QApplication, condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not callable(condition) or not condition():
        app.processEvents()
        if time.monotonic() > deadline:
            return
        time.sleep(0.01)


def _prepare_cache(root: Path) -> Cache:
    cache = Cache(account_paths("screenshots", root), key=secrets.token_bytes(32))
    calendar = WorkingCalendar()
    docs = list(sample_dossiers(1200, calendar=calendar, now=NOW, seed=2026))
    fill_cache(cache, docs)
    by_due = sorted(docs, key=lambda d: d["due_at"])
    cache.writer.run(lambda db: set_local_state(db, by_due[3]["id"], "pending"))
    cache.writer.run(lambda db: set_local_state(db, by_due[6]["id"], "pending"))
    cache.writer.run(lambda db: record_conflict(db, by_due[8]["id"], None, {}, {}))
    cache.writer.run(lambda db: set_state(db, KEY_LAST_SUCCESS_AT, "2026-04-14T02:12:00Z"))
    return cache


def render_main_window(cache: Cache, language: str, out: Path) -> Path:
    app = create_application([], language=language)
    set_language(language)
    shell = ClientApp(cache=cache, bus=EventBus(), calendar=WorkingCalendar(),
                      clock=lambda: NOW, tray_available=False)
    window = shell.window
    window.resize(1366, 720)
    shell.show()
    _wait(app, lambda: window.status.counts is not None)
    window.list_view.selectRow(2)
    app.processEvents()
    path = out / f"main_window_{language}.png"
    window.grab().save(str(path))
    window.filter_bar.search.setText("dang ky dat dai")
    window.filter_bar.flush()
    app.processEvents()
    search_path = out / f"main_window_search_{language}.png"
    window.grab().save(str(search_path))
    shell.shutdown()
    window.close()
    window.deleteLater()
    app.processEvents()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args.out.mkdir(parents=True, exist_ok=True)
    create_application([])
    with tempfile.TemporaryDirectory() as tmp:
        cache = _prepare_cache(Path(tmp))
        try:
            for language in ("vi", "en"):
                print(render_main_window(cache, language, args.out))
        finally:
            cache.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
