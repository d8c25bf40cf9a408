"""Icons of the UI: small SVGs from ``resources/icons`` with a QStyle fallback.

``icon("overdue")`` loads ``resources/icons/overdue.svg`` once and caches it; if the file is
missing (a broken install), a standard QStyle icon is used so nothing crashes.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from wfh_client.ui.i18n import RESOURCES_DIR

__all__ = ["icon"]

_FALLBACK = {
    "overdue": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "due-soon": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "conflict": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "online": QStyle.StandardPixmap.SP_DialogYesButton,
    "offline": QStyle.StandardPixmap.SP_DialogNoButton,
    "syncing": QStyle.StandardPixmap.SP_BrowserReload,
    "app": QStyle.StandardPixmap.SP_ComputerIcon,
}
_cache: dict[str, QIcon] = {}


def icon(name: str) -> QIcon:
    cached = _cache.get(name)
    if cached is not None:
        return cached
    path = RESOURCES_DIR / "icons" / f"{name}.svg"
    result = QIcon(str(path)) if path.exists() else QIcon()
    if result.isNull():
        style = QApplication.style()
        fallback = _FALLBACK.get(name, QStyle.StandardPixmap.SP_FileIcon)
        result = style.standardIcon(fallback) if style is not None else QIcon()
    _cache[name] = result
    return result
