"""Cold start: what the first paint of the dossier list does not need is not imported before it.

Issue 14's goal is a cold start <= 1.5 s (``bench/ui_cold_start.py``); about 400 ms of it were
imports only later features use: the HTTP stack (``requests``: the sync service, the update
check, the support bundle), the OS keyring, APScheduler (the on-call schedule), the CLI and
``cryptography.x509`` (the support bundle). They are imported when those features start (on the
GUI thread). A fresh interpreter is needed: the test process has imported everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wfh_client.store import keys

LATER = ("requests", "urllib3", "keyring", "apscheduler", "wfh_client.cli",
         "wfh_client.support_bundle", "cryptography.x509", "wfh_client.sync.http",
         "wfh_client.sync.service", "wfh_client.ui.oncall.wiring")

CHILD = r"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.events import EventBus
from wfh_client.store import Cache, account_paths
from wfh_client.ui.app import ClientApp, create_application

app = create_application([], language="vi")
cache = Cache(account_paths("startup", sys.argv[1]), key=bytes(range(32)))
shell = ClientApp(cache=cache, bus=EventBus(), calendar=WorkingCalendar(), tray_available=False)
seen = {}

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and "modules" not in seen:
            seen["modules"] = sorted(m for m in sys.modules
                                     if m.split(".")[0] in {"requests", "urllib3", "keyring",
                                                            "apscheduler", "cryptography",
                                                            "wfh_client"})
            QTimer.singleShot(0, app.quit)
        return False

spy = FirstPaint()
shell.window.list_view.viewport().installEventFilter(spy)
shell.show()
QTimer.singleShot(30_000, app.quit)
app.exec()
shell.shutdown()
cache.close()
print(json.dumps(seen.get("modules")))
"""


def test_first_paint_imports_no_later_feature(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], env=env,
                            capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    modules = json.loads(result.stdout.strip().splitlines()[-1])
    assert modules, "the list was never painted"
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
