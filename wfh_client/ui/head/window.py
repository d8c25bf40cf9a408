"""The department window: the head's queue, approvals, board and reports as tabs.

One window per :class:`~wfh_client.ui.context.AppContext` (:func:`open_department` opens it or
raises it on the wanted page). Every page reads off the GUI thread and follows the bridge's
``dossiers.changed`` / ``outbox.changed`` / ``sync.finished``; a double-click on any dossier
opens its window (:func:`wfh_client.ui.detail.open_dossier`). The same shortcuts as the main
window's Department menu switch pages here (:data:`PAGE_SHORTCUTS`).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from wfh_client.ui.context import AppContext
from wfh_client.ui.head.approvals_view import ApprovalsPage
from wfh_client.ui.head.board_view import BoardPage
from wfh_client.ui.head.queue_view import QueuePage
from wfh_client.ui.head.reports_view import ReportsPage
from wfh_client.ui.icons import icon

__all__ = ["PAGES", "PAGE_SHORTCUTS", "DepartmentWindow", "open_department"]

PAGES = ("queue", "approvals", "board", "reports")
#: Chosen not to clash with the main window (F5, Ctrl+N/D/O/R/Q, Ctrl+Shift+letters, Ctrl+P).
PAGE_SHORTCUTS = {"queue": "Ctrl+Alt+Q", "approvals": "Ctrl+Alt+A", "board": "Ctrl+Alt+B",
                  "reports": "Ctrl+Alt+R"}

_windows: dict[int, DepartmentWindow] = {}


class DepartmentWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.setObjectName("departmentWindow")
        self.setWindowIcon(icon("app"))
        self.queue = QueuePage(ctx, self)
        self.approvals = ApprovalsPage(ctx, self)
        self.board = BoardPage(ctx, self)
        self.reports = ReportsPage(ctx, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("departmentTabs")
        for page in self.pages():
            self.tabs.addTab(page, "")
        self.setCentralWidget(self.tabs)
        for page in (self.queue, self.approvals, self.board):
            page.open_requested.connect(self.open_dossier)
            ctx.bridge.register(page)
        self.page_actions: dict[str, QAction] = {}
        for name in PAGES:
            action = QAction(self)
            action.setShortcut(QKeySequence(PAGE_SHORTCUTS[name]))
            action.triggered.connect(lambda _c=False, n=name: self.show_page(n))
            self.addAction(action)
            self.page_actions[name] = action
        self._reports_loaded = False
        self.tabs.currentChanged.connect(self._tab_changed)
        self.retranslate_ui()
        self.resize(1200, 720)

    def pages(self) -> list[QWidget]:
        return [self.queue, self.approvals, self.board, self.reports]

    def show_page(self, name: str) -> QWidget:
        page = self.pages()[PAGES.index(name)]
        self.tabs.setCurrentWidget(page)
        return page

    def _tab_changed(self, index: int) -> None:
        # Reports cost the server some work: fetch them the first time they are looked at.
        if self.tabs.widget(index) is self.reports and not self._reports_loaded:
            self._reports_loaded = True
            self.reports.reload()

    def open_dossier(self, dossier_id: str) -> QWidget:
        from wfh_client.ui.detail import open_dossier

        return open_dossier(self.ctx, dossier_id, self)

    def retranslate_ui(self) -> None:
        user = self.ctx.user or {}
        name = user.get("department_name") or ""
        title = self.tr("Department")
        title = f"{title} — {name}" if name else title
        if user.get("full_name"):
            title += f" — {user['full_name']}"
        self.setWindowTitle(title)
        titles = [self.tr("Queue to assign"), self.tr("Approvals"), self.tr("Board"),
                  self.tr("Reports")]
        for i, text in enumerate(titles):
            self.tabs.setTabText(i, text)
            key = QKeySequence(PAGE_SHORTCUTS[PAGES[i]]).toString(
                QKeySequence.SequenceFormat.NativeText)
            self.tabs.setTabToolTip(i, f"{text} ({key})")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def open_department(ctx: AppContext, page: str = "queue",
                    parent: QWidget | None = None) -> DepartmentWindow:
    """Open (or raise) the department window of ``ctx`` on ``page`` (one of :data:`PAGES`)."""
    window = _windows.get(id(ctx))
    if window is None or not shiboken6.isValid(window):
        window = DepartmentWindow(ctx, parent)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _windows[id(ctx)] = window
        window.destroyed.connect(lambda *_a, k=id(ctx): _windows.pop(k, None))
    window.show_page(page)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
