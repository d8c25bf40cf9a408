"""The main window's "Department" menu, added only when the signed-in user is a head.

:func:`add_department_menu` inserts the menu before Help with one action per page of the
:class:`~wfh_client.ui.head.window.DepartmentWindow` (queue, approvals, board, reports; the
shortcuts of :data:`~wfh_client.ui.head.window.PAGE_SHORTCUTS`) and keeps its texts in the UI
language. What a head may do is still decided by the server; the menu only shows the pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from wfh_client.ui.context import AppContext
from wfh_client.ui.head.common import is_head

if TYPE_CHECKING:
    from wfh_client.ui.head.window import DepartmentWindow

__all__ = ["DepartmentMenu", "add_department_menu"]


class DepartmentMenu(QObject):
    """Owns the menu's actions and retranslates them on ``LanguageChange``."""

    def __init__(self, window: QMainWindow, ctx: AppContext) -> None:
        # The window and its pages (requests among their imports) are imported for heads
        # only, not by every start of the app (the main window calls add_department_menu).
        from wfh_client.ui.head.window import PAGE_SHORTCUTS, PAGES

        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.menu = QMenu(window)
        self.menu.setObjectName("departmentMenu")
        self.actions: dict[str, QAction] = {}
        for name in PAGES:
            action = QAction(window)
            action.setObjectName(f"department_{name}")
            action.setShortcut(QKeySequence(PAGE_SHORTCUTS[name]))
            action.setShortcutVisibleInContextMenu(True)
            action.triggered.connect(lambda _c=False, n=name: self.open(n))
            self.menu.addAction(action)
            window.addAction(action)  # shortcuts wherever the focus is in the window
            self.actions[name] = action
        help_menu = getattr(window, "help_menu", None)
        bar = window.menuBar()
        if isinstance(help_menu, QMenu):
            bar.insertMenu(help_menu.menuAction(), self.menu)
        else:
            bar.addMenu(self.menu)
        window.installEventFilter(self)
        self.retranslate()

    def open(self, page: str) -> DepartmentWindow:
        from wfh_client.ui.head.window import open_department

        return open_department(self.ctx, page, self.window)

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("De&partment"))
        texts = {"queue": self.tr("&Queue to assign…"), "approvals": self.tr("&Approvals…"),
                 "board": self.tr("Department &board…"), "reports": self.tr("&Reports…")}
        for name, action in self.actions.items():
            action.setText(texts[name])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False


def add_department_menu(window: QMainWindow, ctx: AppContext) -> DepartmentMenu | None:
    """The Department menu on ``window`` for a head; None (no menu) for anyone else."""
    if not is_head(ctx):
        return None
    return DepartmentMenu(window, ctx)
