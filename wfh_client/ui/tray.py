"""The system tray icon: show/hide the window, sync now, quit, and desktop notifications.

Guarded by ``QSystemTrayIcon.isSystemTrayAvailable()``: without a tray (some Linux desktops,
offscreen tests) :attr:`TrayController.available` is False, closing the window quits, and
:meth:`notify` only emits :attr:`TrayController.notified` (which the main window shows in its
status bar). ``available`` can be forced for tests. While :attr:`TrayController.do_not_disturb`
is on (set by the on-call screens), balloons are held back unless ``urgent`` (a recall).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from wfh_client.ui.icons import icon

__all__ = ["TrayController"]


class TrayController(QObject):
    show_requested = Signal()
    sync_requested = Signal()
    quit_requested = Signal()
    # (title, text) of every notification, shown in the tray or not
    notified = Signal(str, str)

    def __init__(self, parent: QObject | None = None, *, available: bool | None = None) -> None:
        super().__init__(parent)
        self.available = QSystemTrayIcon.isSystemTrayAvailable() if available is None \
            else available
        self.do_not_disturb = False  # on-call: no balloons except urgent ones (recalls)
        self.icon = QSystemTrayIcon(icon("app"), self)
        self.menu = QMenu()
        self.show_action = QAction(self)
        self.sync_action = QAction(self)
        self.quit_action = QAction(self)
        self.show_action.triggered.connect(self.show_requested)
        self.sync_action.triggered.connect(self.sync_requested)
        self.quit_action.triggered.connect(self.quit_requested)
        self.menu.addAction(self.show_action)
        self.menu.addAction(self.sync_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.retranslate_ui()
        self.menu.installEventFilter(self)
        if self.available:
            self.icon.show()

    def notify(self, title: str, text: str, *, critical: bool = False,
               urgent: bool = False) -> None:
        """A desktop notification (balloon) from the tray icon."""
        self.notified.emit(title, text)
        if self.do_not_disturb and not urgent:
            return
        if self.available and self.icon.isVisible():
            kind = QSystemTrayIcon.MessageIcon.Critical if critical else \
                QSystemTrayIcon.MessageIcon.Information
            self.icon.showMessage(title, text, kind, 8000)

    def set_state_tooltip(self, text: str) -> None:
        self.icon.setToolTip(self.tr("Work from home — one-stop shop") + "\n" + text)

    def hide(self) -> None:
        self.icon.hide()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_requested.emit()

    def retranslate_ui(self) -> None:
        self.show_action.setText(self.tr("Show window"))
        self.sync_action.setText(self.tr("Sync now"))
        self.quit_action.setText(self.tr("Quit"))
        self.icon.setToolTip(self.tr("Work from home — one-stop shop"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # getattr: a LanguageChange may reach the filter while the collector tears us down
        if watched is getattr(self, "menu", None) and event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        return False
