"""Start-up checks and fatal errors of the desktop app, shown in a dialog (never only stderr).

- :func:`preflight_platform_plugin`: Qt aborts the process (it cannot be caught) when its
  platform plugin cannot load, e.g. ``libxcb-cursor0`` missing on Linux. Loading the plugin
  file first with the dynamic loader turns that into an error message naming the library.
- :func:`show_fatal_error`: a modal message box (creating the QApplication if needed) for an
  error that stops the app, e.g. a bad machine policy.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLibraryInfo
from PySide6.QtWidgets import QApplication, QMessageBox

__all__ = ["preflight_platform_plugin", "show_fatal_error"]


def _platform_plugin() -> Path | None:
    """The platform plugin file Qt is about to load on Linux/BSD, if it can be told."""
    if sys.platform in ("win32", "darwin"):
        return None
    name = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if not name:
        name = "wayland" if os.environ.get("WAYLAND_DISPLAY") else "xcb"
    folders = [Path(p) for p in os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(
        os.pathsep) if p]
    folders.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms")
    for folder in folders:
        candidate = folder / f"libq{name}.so"
        if candidate.is_file():
            return candidate
    return None


def preflight_platform_plugin() -> str | None:
    """None if Qt's platform plugin loads, else the loader's message (the missing library)."""
    plugin = _platform_plugin()
    if plugin is None:
        return None
    try:
        ctypes.CDLL(str(plugin), mode=os.RTLD_LAZY | os.RTLD_LOCAL)
    except OSError as exc:
        return f"{plugin.name}: {exc}"
    return None


def show_fatal_error(argv: Sequence[str], title: str, text: str, *, code: int) -> int:
    """Show ``text`` in a modal critical message box, then return ``code``."""
    app = QApplication.instance() or QApplication(list(argv))
    assert isinstance(app, QApplication)
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok)
    box.setObjectName("fatal_error")
    box.exec()
    return code
