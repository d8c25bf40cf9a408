"""Cold start: what the first paint of the dossier list does not need is not imported before it.

Issue 14's goal is a cold start <= 1.5 s (``bench/ui_cold_start.py``); about 400 ms of it were
imports only later features use: the HTTP stack (``requests``: the sync service, the update
check, the support bundle), the OS keyring, APScheduler (the on-call schedule), the CLI and
``cryptography.x509`` (the support bundle). They are imported when those features start (on the
GUI thread). The holiday data (``holidays``: every country's module, ~0.35 s) is not needed
either once the cache holds the server's calendar, resolved over its horizon. A fresh
interpreter is needed: the test process has imported everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.store import Cache, account_paths, keys
from wfh_client.store.state import set_state
from wfh_client.sync.engine import KEY_CALENDAR
from wfh_client.ui.sample_data import fill_cache, sample_dossiers

NOW = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)

LATER = ("requests", "urllib3", "keyring", "apscheduler", "holidays", "wfh_client.cli",
         "wfh_client.support_bundle", "cryptography.x509", "wfh_client.sync.http",
         "wfh_client.sync.service", "wfh_client.ui.oncall.wiring")

CHILD = r"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from wfh_client.events import EventBus
from wfh_client.store import Cache, account_paths
from wfh_client.sync.engine import cached_calendar
from wfh_client.ui.app import ClientApp, create_application

app = create_application([], language="vi")
cache = Cache(account_paths("startup", sys.argv[1]), key=bytes(range(32)))
shell = ClientApp(cache=cache, bus=EventBus(), calendar=cached_calendar(cache.reader()),
                  tray_available=False)
seen = {}

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and "modules" not in seen:
            seen["modules"] = sorted(m for m in sys.modules
                                     if m.split(".")[0] in {"requests", "urllib3", "keyring",
                                                            "apscheduler", "cryptography",
                                                            "holidays", "wfh_client"})
            seen["rows"] = shell.window.model.rowCount()
            QTimer.singleShot(0, app.quit)
        return False

spy = FirstPaint()
shell.window.list_view.viewport().installEventFilter(spy)
shell.show()
QTimer.singleShot(30_000, app.quit)
app.exec()
shell.shutdown()
cache.close()
print(json.dumps(seen))
"""


def test_first_paint_imports_no_later_feature(tmp_path: Path) -> None:
    """An account after its first sync: dossiers due in the coming weeks and the server's
    calendar in the cache, opened as the launcher opens it."""
    cache = Cache(account_paths("startup", tmp_path), key=bytes(range(32)))
    try:
        calendar = WorkingCalendar()
        fill_cache(cache, sample_dossiers(40, calendar=calendar, now=NOW, seed=3))
        served = calendar.resolve(date(2025, 1, 1), date(2028, 12, 31)).to_dict()
        cache.writer.run(lambda db: set_state(db, KEY_CALENDAR, served))
    finally:
        cache.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], env=env,
                            capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    modules = seen.get("modules")
    assert modules, "the list was never painted"
    assert seen["rows"] > 0
    assert "wfh_client.ui.main_window" in modules
    early = [m for m in modules if any(m == name or m.startswith(name + ".") for name in LATER)]
    assert early == []


def test_keyring_names_stay_importable_without_importing_keyring_early() -> None:
    import keyring.backend
    import keyring.errors

    assert keyring.errors.KeyringError in keys.KEYRING_ERRORS
    assert keys.Backend is keyring.backend.KeyringBackend
    with pytest.raises(AttributeError):
        _ = keys.no_such_name
