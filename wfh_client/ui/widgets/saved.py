""""Đã lưu — Mở tệp": what every export says when its file is written.

:func:`confirm_saved` shows a small window-modal message (never blocking the event loop) naming
the file, with **Open file** (the desktop's viewer for it), **Show folder** and **Close**.
Used by the report exports (CSV, Excel), the slips' PDF exports and the rejected-changes export.
If nothing on the computer opens the file, it says so instead of doing nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

__all__ = ["confirm_saved"]


def _open(url: QUrl, parent: QWidget | None, what: str) -> None:
    if not QDesktopServices.openUrl(url):
        QMessageBox.warning(parent, QCoreApplication.translate("Saved", "Cannot open"),
                            QCoreApplication.translate(
                                "Saved", "No program on this computer can open %1. Ask your "
                                "IT staff to install one.").replace("%1", what))


def confirm_saved(parent: QWidget | None, path: Path | str) -> QMessageBox:
    """Tell the user ``path`` was written and offer to open it (see the module docstring)."""
    target = Path(path)
    box = QMessageBox(QMessageBox.Icon.Information,
                      QCoreApplication.translate("Saved", "Saved"),
                      QCoreApplication.translate("Saved", "Saved — %1").replace("%1", target.name),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("savedNotice")
    box.setInformativeText(str(target))
    open_file: QPushButton = box.addButton(QCoreApplication.translate("Saved", "&Open file"),
                                           QMessageBox.ButtonRole.AcceptRole)
    open_folder: QPushButton = box.addButton(QCoreApplication.translate("Saved", "Show &folder"),
                                             QMessageBox.ButtonRole.ActionRole)
    close = box.addButton(QCoreApplication.translate("Saved", "&Close"),
                          QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(close)
    open_file.setObjectName("openFile")
    open_folder.setObjectName("openFolder")
    open_file.clicked.connect(lambda: _open(QUrl.fromLocalFile(str(target)), parent,
                                            target.name))
    open_folder.clicked.connect(lambda: _open(QUrl.fromLocalFile(str(target.parent)), parent,
                                              str(target.parent)))
    box.open()
    return box
