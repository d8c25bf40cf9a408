"""``wfh-client-gui --self-test``: prove an installed or frozen build can show its window.

Opens the real main window offscreen on a throw-away plaintext cache (a temporary folder, no
keyring needed, deleted afterwards), lets it paint, and checks what a broken bundle loses
first: the Vietnamese translation, the SVG icons (Qt's svg image plugin), the recall sound
file, and the library path a child process gets (see :mod:`wfh_client.frozen_env`). Prints one
JSON object; exit 0 only if every check passed.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QGuiApplication

from wfh_client.buildinfo import build_info
from wfh_client.config import load_config
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.events import EventBus
from wfh_client.store import Cache

log = logging.getLogger(__name__)

SELFTEST_SERVER = "https://selftest.invalid"


def _child_library_path() -> str | None:
    """``LD_LIBRARY_PATH`` as a child process sees it (None: unset; Windows: not applicable)."""
    if os.name == "nt":
        return None
    out = subprocess.run(["env"], capture_output=True, text=True, timeout=30, check=True).stdout
    for line in out.splitlines():
        if line.startswith("LD_LIBRARY_PATH="):
            return line.split("=", 1)[1]
    return None


def run_self_test(argv: Sequence[str]) -> int:
    from wfh_client.ui.app import ClientApp, create_application
    from wfh_client.ui.i18n import RESOURCES_DIR, set_language
    from wfh_client.ui.icons import icon
    from wfh_client.ui.oncall.sound import SOUND_FILE

    report: dict[str, Any] = {"build": build_info().as_dict(), "qt": pyside_version}
    app = create_application(argv, language="vi")
    report["platform"] = QGuiApplication.platformName()
    report["translation_vi"] = set_language("vi")
    report["resources"] = str(RESOURCES_DIR)
    report["icons_svg"] = all(not icon(n).isNull() and icon(n).availableSizes() != []
                              or not icon(n).pixmap(16, 16).isNull()
                              for n in ("app", "overdue", "online"))
    report["sound_file"] = SOUND_FILE.is_file() and SOUND_FILE.stat().st_size > 0
    report["child_ld_library_path"] = _child_library_path()
    report["bundle_dir"] = getattr(sys, "_MEIPASS", None)
    with tempfile.TemporaryDirectory(prefix="wfh-selftest-") as tmp:
        config = load_config(Path(tmp) / "data", policy_path=Path(tmp) / "no-policy.json")
        cache = Cache.open(SELFTEST_SERVER, "selftest", data_dir=config.data_dir,
                           plaintext=True, allow_plaintext=True)
        shell = ClientApp(cache=cache, bus=EventBus(), calendar=WorkingCalendar(),
                          config=config, tray_available=False)
        try:
            shell.show()
            window: dict[str, Any] = {}

            def look() -> None:  # once the event loop has laid out and painted the window
                pixmap = shell.window.grab()
                from wfh_client.gui_main import STARTED

                window.update(seconds_from_start=round(time.perf_counter() - STARTED, 3),
                              visible=shell.window.isVisible(),
                              title=shell.window.windowTitle(),
                              size=[pixmap.width(), pixmap.height()])
                QCoreApplication.quit()

            QTimer.singleShot(200, look)
            app.exec()
            report["window"] = window
        finally:
            shell.quit()
            cache.close()
    bundle = report["bundle_dir"]
    child_ok = not (bundle and report["child_ld_library_path"]
                    and bundle in report["child_ld_library_path"])
    window = report["window"]
    report["ok"] = bool(report["translation_vi"] and report["icons_svg"]
                        and report["sound_file"] and child_ok and window.get("visible")
                        and min(window.get("size", [0, 0])) > 0)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    log.info("self-test: %s", text)
    if sys.stdout is not None:
        print(text, flush=True)
    return 0 if report["ok"] else 1
