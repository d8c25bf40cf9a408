"""Before the first window: can Qt's X11 (xcb) platform plugin load on this machine?

Without a few system libraries (``libxcb-cursor0`` since Qt 6.5, the other ``libxcb-*`` and
``libxkbcommon-x11-0``) Qt aborts with "could not load the Qt platform plugin xcb ... no Qt
platform plugin could be initialized", which tells a user nothing. :func:`platform_problem`
looks at the plugin Qt would load (``ldd`` lists what does not resolve) and returns a message
naming the missing libraries and the Debian/Ubuntu packages to install, or ``None`` when the
plugin can load, when another platform is chosen (offscreen, wayland) or off Linux.

Called by :func:`wfh_client.ui.app.run` and demo mode before the ``QApplication`` exists.
``QT_QPA_PLATFORM_PLUGIN_PATH`` (Qt's own setting) is honoured: it is the plugin Qt loads.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo

__all__ = ["DEBIAN_PACKAGES", "missing_libraries", "platform_problem", "xcb_plugin"]

#: soname -> the Debian/Ubuntu package that provides it
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libglib-2.0.so.0": "libglib2.0-0",
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.MULTILINE)
_CANNOT_OPEN = re.compile(r"(\S+\.so[.\d]*): cannot open shared object file")


def _uses_xcb() -> bool:
    """Would Qt pick the X11 plugin? (explicitly, or by default on a Linux X11 session)"""
    if not sys.platform.startswith("linux"):
        return False
    chosen = os.environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(":")[0].split(";")[0] == "xcb"
    wayland = os.environ.get("XDG_SESSION_TYPE") == "wayland" and \
        bool(os.environ.get("WAYLAND_DISPLAY"))
    return not wayland


def xcb_plugin() -> Path:
    """The ``libqxcb.so`` Qt would load."""
    base = os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    if base:
        return Path(base) / "libqxcb.so"
    plugins = QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)
    return Path(plugins) / "platforms" / "libqxcb.so"


def missing_libraries(plugin: Path) -> list[str]:
    """The shared libraries ``plugin`` needs that this system cannot resolve."""
    ldd = shutil.which("ldd")
    if ldd is not None:
        try:
            out = subprocess.run([ldd, str(plugin)], capture_output=True, text=True,
                                 timeout=30, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        found = list(dict.fromkeys(_NOT_FOUND.findall(out)))
        if found or out:
            return found
    try:  # no ldd: the loader names the first library it misses
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        match = _CANNOT_OPEN.search(str(exc))
        return [match.group(1)] if match else [str(exc)]
    return []


def platform_problem() -> str | None:
    """A message for the user when the X11 plugin cannot load, else None."""
    if not _uses_xcb():
        return None
    plugin = xcb_plugin()
    if not plugin.exists():
        return (f"The Qt platform plugin for X11 is missing ({plugin}). Reinstall the "
                "application (pip install --force-reinstall PySide6-Essentials).")
    missing = missing_libraries(plugin)
    if not missing:
        return None
    packages = [DEBIAN_PACKAGES[m] for m in missing if m in DEBIAN_PACKAGES]
    lines = ["The desktop app cannot open a window: the Qt X11 platform plugin needs system "
             "libraries this computer does not have:", *(f"  - {m}" for m in missing)]
    if packages:
        lines += ["Install them (Debian, Ubuntu) with:",
                  "  sudo apt-get install " + " ".join(packages)]
    else:
        lines += ["Install the packages that provide them with your system's package manager."]
    lines += ["(Or run without a display: QT_QPA_PLATFORM=offscreen, for tests and screenshots.)"]
    return "\n".join(lines)
