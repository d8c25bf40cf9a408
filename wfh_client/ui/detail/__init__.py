"""The dossier detail view: one window per dossier.

:func:`open_dossier` is the entry point for the rest of the UI (main window, tray, conflicts
view)::

    window = open_dossier(ctx, dossier_id, parent)   # opens, or raises the existing one

The window (:class:`~wfh_client.ui.detail.window.DossierWindow`) shows the header, applicant,
deadline, documents, the process-control slip as a timeline and the notes; it carries the
workflow actions (:mod:`wfh_client.ui.dialogs.actions`) and prints the slips
(:mod:`wfh_client.ui.printing`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QWidget

from wfh_client.ui.context import AppContext

if TYPE_CHECKING:
    from wfh_client.ui.detail.window import DossierWindow

__all__ = ["open_dossier", "open_windows"]

_windows: dict[tuple[int, str], DossierWindow] = {}


def open_windows() -> list[DossierWindow]:
    """The dossier windows currently open (for tests and the shell's shutdown)."""
    return [w for w in _windows.values() if shiboken6.isValid(w)]


def open_dossier(ctx: AppContext, dossier_id: str, parent: QWidget | None = None) -> QWidget:
    """Open the dossier's window, or raise it if it is already open (one per dossier)."""
    from wfh_client.ui.detail.window import DossierWindow  # the window imports printing

    key = (id(ctx), dossier_id)
    window = _windows.get(key)
    if window is None or not shiboken6.isValid(window):
        window = DossierWindow(ctx, dossier_id, parent)
        _windows[key] = window
        window.destroyed.connect(lambda *_a, k=key: _windows.pop(k, None))
    window.show()
    window.raise_()
    window.activateWindow()
    return window
