"""Process set-up shared by the entry points of a frozen (PyInstaller) or installed build.

A PyInstaller bundle sets ``LD_LIBRARY_PATH`` to its own folder so the app finds its Qt and
Python libraries; a child process (the sound player, ``xdg-open`` through
``QDesktopServices``, a browser) must not inherit it, or it loads the bundle's libraries
instead of the system's and may crash. The bootloader keeps the original value in
``LD_LIBRARY_PATH_ORIG`` (PyInstaller documents this). The dynamic loader read the variable
when this process started, so putting the original back into ``os.environ`` changes nothing
for us and fixes every child at once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping

LIBRARY_VARS = ("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH")


def restore_child_environment(environ: MutableMapping[str, str] | None = None,
                              *, frozen: bool | None = None) -> None:
    """Give child processes the library path the user started us with (frozen builds only)."""
    env = os.environ if environ is None else environ
    if not (getattr(sys, "frozen", False) if frozen is None else frozen):
        return
    for var in LIBRARY_VARS:
        original = env.pop(f"{var}_ORIG", None)
        if original is not None:
            env[var] = original
        else:
            env.pop(var, None)
