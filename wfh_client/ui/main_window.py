"""The main window: filter bar, dossier list, status bar, menus, close-to-tray.

Built from an :class:`~wfh_client.ui.context.AppContext`. Later screens plug in through:
``dossier_menu`` (:meth:`add_dossier_actions`), :attr:`MainWindow.open_requested` (the detail
view), ``view_menu``/``help_menu``, :meth:`notify` (tray notifications) and the bridge
(``ctx.bridge.register``). The conflicts view opens from the Sync menu and from the status
bar's conflicts button. Every action has a keyboard shortcut or a mnemonic, shown in the menus.
Closing the window hides it to the tray when there is one (with a one-time notification);
Quit really exits; Sign out (File menu) is handled by the launcher through
:attr:`MainWindow.logout_requested`.

The list opens on the open dossiers, most urgent first; unread markers count from the first
time this cache's list was shown. The list's column layout is kept per account in
``<data dir>/ui-state.ini`` (:data:`LAYOUT_FILE`).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.store.listing import (
    ListCounts,
    Thresholds,
    Viewer,
    distinct_fields,
    ensure_unread_baseline,
    list_counts,
)
from wfh_client.store.state import counts as store_counts
from wfh_client.ui.bridge import immediate
from wfh_client.ui.conflicts_view import ConflictsView
from wfh_client.ui.context import AppContext
from wfh_client.ui.help import AboutDialog, GuideDialog
from wfh_client.ui.i18n import current_language
from wfh_client.ui.icons import icon
from wfh_client.ui.models.dossier_table import DossierTableModel
from wfh_client.ui.oncall.privacy import PrivacyDialog
from wfh_client.ui.ops import run_in_background, run_in_db_writer
from wfh_client.ui.sync_controller import SyncController
from wfh_client.ui.tray import TrayController
from wfh_client.ui.views.dossier_list import DossierListView
from wfh_client.ui.widgets.filter_bar import FilterBar
from wfh_client.ui.widgets.status_bar import MainStatusBar

log = logging.getLogger(__name__)

__all__ = ["MainWindow"]

TICK_MS = 60_000  # deadline colours and counts follow the clock once a minute
LAYOUT_FILE = "ui-state.ini"


class MainWindow(QMainWindow):
    open_requested = Signal(str)  # dossier id
    language_requested = Signal(str)  # "vi" | "en"
    settings_requested = Signal()
    quit_requested = Signal()
    logout_requested = Signal()
    counts_updated = Signal(object)  # ListCounts

    def __init__(self, ctx: AppContext, *, tray: TrayController | None = None,
                 sync: SyncController | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.setWindowIcon(icon("app"))
        self.model = DossierTableModel(ctx.cache, ctx.calendar, self, clock=ctx.clock,
                                       viewer=self._viewer(None))
        self.filter_bar = FilterBar(self)
        self.model.set_filter(self.filter_bar.current())  # the open dossiers, by urgency
        self.list_view = DossierListView(self.model, self)
        self.status = MainStatusBar(ctx.calendar.tz, self)
        self.setStatusBar(self.status)
        self.calendar_flag = QLabel(self)  # years whose days off are not decreed yet
        self.calendar_flag.setObjectName("calendarFlag")
        self.status.addPermanentWidget(self.calendar_flag)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.list_view, 1)
        self.setCentralWidget(central)
        self.tray = tray or TrayController(self)
        self.sync = sync or SyncController(ctx, self)
        self._quitting = False
        self.conflicts_view: ConflictsView | None = None
        self.dossier_actions: list[QAction] = []
        self.guide: GuideDialog | None = None
        self.about: AboutDialog | None = None
        self.row_menu: QMenu | None = None
        self._tray_hint_shown = False
        self._build_actions()
        # --- department head workspace (wfh_client.ui.head): a menu for heads only ---
        from wfh_client.ui.head.menu import add_department_menu
        self.department_menu = add_department_menu(self, ctx)
        # --- end department head workspace ---
        self._connect()
        self.retranslate_ui()
        self.status.set_shown(self.model.rowCount())
        self.status.set_state(self.sync.state, self.sync.source)
        user = ctx.user or {}
        self.status.set_user(str(user.get("full_name") or ""), str(user.get("title") or ""))
        self.filter_bar.set_fields(distinct_fields(ctx.cache.reader()))
        self.refresh_counts()
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        ctx.bridge.register(self)
        ctx.bridge.register(self.list_view)
        self.resize(1280, 760)
        self.restore_layout()
        # unread markers count from the first time this cache's list was shown
        now = ctx.clock()
        run_in_db_writer(ctx.cache, lambda db: ensure_unread_baseline(db, now),
                         lambda since: self.list_view.changing(
                             lambda: self.model.set_viewer(self._viewer(since))),
                         lambda exc: log.warning("unread markers: %s", exc), guard=self)

    # -------------------------------------------------------------------- building
    def _action(self, menu: Any,
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                slot: Any = None) -> QAction:
        action = QAction(self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutVisibleInContextMenu(True)
        if slot is not None:
            action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.dossier_menu = bar.addMenu("")
        self.sync_menu = bar.addMenu("")
        self.view_menu = bar.addMenu("")
        self.help_menu = bar.addMenu("")
        self.act_settings = self._action(self.file_menu, "Ctrl+,", self.settings_requested.emit)
        self.file_menu.addSeparator()
        self.act_logout = self._action(self.file_menu, "Ctrl+Shift+L", self.logout_requested.emit)
        self.act_close = self._action(self.file_menu, QKeySequence.StandardKey.Close, self.close)
        self.act_quit = self._action(self.file_menu, "Ctrl+Q", self.quit_requested.emit)
        self.act_open = self._action(self.dossier_menu, "Ctrl+O", self._open_current)
        self.act_copy_code = self._action(self.dossier_menu, "Ctrl+Shift+C", self._copy_codes)
        self.act_sync = self._action(self.sync_menu, "F5", self.sync.sync_now)
        self.act_cancel_sync = self._action(self.sync_menu, "Shift+F5", self.sync.cancel)
        self.sync_menu.addSeparator()
        self.act_conflicts = self._action(self.sync_menu, "Ctrl+Shift+K", self.open_conflicts)
        self.act_find = self._action(self.view_menu, QKeySequence.StandardKey.Find,
                                     self.focus_search)
        self.act_clear = self._action(self.view_menu, "Ctrl+Shift+X", self.filter_bar.clear)
        self.act_refresh = self._action(self.view_menu, "Ctrl+R", self.refresh_all)
        self.act_urgency = self._action(self.view_menu, "Ctrl+U", self.sort_by_urgency)
        self.act_todo = self._action(self.view_menu, "Ctrl+T",
                                     lambda: self.filter_bar.set_view("todo"))
        self.view_menu.addSeparator()
        self.language_menu = self.view_menu.addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in (("vi", "Tiếng Việt"), ("en", "English")):
            action = QAction(name, self, checkable=True)
            action.setData(code)
            action.triggered.connect(lambda _c=False, c=code: self.language_requested.emit(c))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.act_guide = self._action(self.help_menu, QKeySequence.StandardKey.HelpContents,
                                      self.show_guide)
        self.act_privacy = self._action(self.help_menu, None, self._show_privacy)
        self.help_menu.addSeparator()
        self.act_about = self._action(self.help_menu, None, self.show_about)

    def _connect(self) -> None:
        self.filter_bar.changed.connect(self.list_view.apply_filter)
        self.filter_bar.to_list.connect(self.list_view.focus_rows)
        self.list_view.clear_requested.connect(self.filter_bar.clear)
        self.list_view.view_requested.connect(self.filter_bar.set_view)
        self.list_view.sync_requested.connect(self.sync.sync_now)
        self.list_view.refreshed.connect(self.status.set_shown)
        self.list_view.open_requested.connect(self.open_requested)
        # the workflow actions follow the current row (computed again at each change)
        self.list_view.selectionModel().currentChanged.connect(lambda *_a: self.update_actions())
        # after a refresh the view restores the selection once the model is reset: look then
        self.list_view.refreshed.connect(lambda _n: QTimer.singleShot(0, self, self.update_actions))
        self.list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list_view.customContextMenuRequested.connect(self.show_row_menu)
        self.model.busy.connect(self._busy)
        self.sync.state_changed.connect(self._connection_changed)
        # bound methods, not lambdas: Qt drops them when this window is destroyed, while the
        # sync controller (owned by the app) lives on
        self.sync.state_changed.connect(self._sync_state_changed)
        self.sync.progress.connect(self._sync_progress)
        self.sync.finished.connect(self._sync_finished)
        self.status.issues_clicked.connect(self.open_conflicts)
        self.tray.show_requested.connect(self.bring_to_front)
        self.tray.sync_requested.connect(self.sync.sync_now)
        self.tray.quit_requested.connect(self.quit_requested.emit)
        self.tray.notified.connect(self._tray_notified)

    # ---------------------------------------------------------------------- list
    def _viewer(self, unread_since: str | None) -> Viewer:
        user = self.ctx.user or {}
        try:
            user_id = int(user["id"]) if user.get("id") is not None else None
        except (TypeError, ValueError):
            user_id = None
        return Viewer(user_id, user.get("role"), str(user.get("full_name") or ""), unread_since)

    def sort_by_urgency(self) -> None:
        """The default order back: running dossiers first, the most urgent on top."""
        self.list_view.changing(self.model.sort_by_urgency)
        self.list_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    def _layout_settings(self) -> QSettings | None:
        config = self.ctx.config
        if config is None:
            return None
        return QSettings(str(config.data_dir / LAYOUT_FILE), QSettings.Format.IniFormat)

    def save_layout(self) -> None:
        """Keep the list's columns (order, widths, which are shown) for the next start."""
        settings = self._layout_settings()
        if settings is not None:
            settings.setValue("dossier_list/header", self.list_view.save_layout())
            settings.sync()

    def restore_layout(self) -> None:
        settings = self._layout_settings()
        if settings is None:
            return
        state = settings.value("dossier_list/header")
        if isinstance(state, QByteArray | bytes) and state:
            self.list_view.restore_layout(state)

    # ---------------------------------------------------------------------- API
    def notify(self, title: str, text: str, *, critical: bool = False) -> None:
        self.tray.notify(title, text, critical=critical)

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.search.selectAll()

    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    @immediate
    def on_event_calendar_changed(self, calendar: dict[str, Any] | None = None, **_: Any) -> None:
        """A new working calendar from the server: deadlines, colours and counts follow it."""
        if not isinstance(calendar, dict):
            return
        try:
            new = WorkingCalendar.from_dict(calendar)
        except ValueError:
            log.warning("ignoring a malformed working calendar")
            return
        self.ctx.calendar = new
        self.model.calendar = new
        self._update_calendar_flag()
        self.refresh_all()

    def unconfirmed_years(self) -> list[int]:
        """Years this year or next whose days off no decree fixes yet (deadlines may move)."""
        year = self.ctx.clock().astimezone(self.ctx.calendar.tz).year
        return [y for y in self.ctx.calendar.unconfirmed_years if y <= year + 1]

    def _update_calendar_flag(self) -> None:
        years = self.unconfirmed_years()
        self.calendar_flag.setVisible(bool(years))
        if not years:
            return
        listed = ", ".join(str(y) for y in years)
        self.calendar_flag.setText(self.tr("⚠ Days off of %1 not confirmed").replace("%1", listed))
        self.calendar_flag.setToolTip(self.tr(
            "The government has not yet decreed the days off of %1 (or IT has not entered "
            "them). Deadlines that fall in %1 are computed with the usual holidays and may "
            "move when the decree is published.").replace("%1", listed))

    def refresh_all(self) -> None:
        self.list_view.refresh()
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Re-read the status-bar figures on a worker thread."""
        cache, th = self.ctx.cache, Thresholds.compute(self.ctx.calendar, self.ctx.clock())

        def read() -> tuple[ListCounts, int]:
            db = cache.reader()
            return list_counts(db, th), store_counts(db).rejected

        run_in_background(read, self._set_counts, guard=self)

    def _set_counts(self, result: tuple[ListCounts, int]) -> None:
        counts, rejected = result
        self.status.set_rejected(rejected)
        self.status.set_counts(counts)
        self.counts_updated.emit(counts)

    def open_conflicts(self) -> ConflictsView:
        """Show (or raise) the conflicts and rejected-changes view."""
        if self.conflicts_view is None:
            view = ConflictsView(self.ctx, self)
            view.finished.connect(lambda _r: setattr(self, "conflicts_view", None))
            view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.conflicts_view = view
        self.conflicts_view.show()
        self.conflicts_view.raise_()
        self.conflicts_view.activateWindow()
        return self.conflicts_view

    def add_dossier_actions(self, actions: list[QAction]) -> None:
        """Workflow actions (from the action dialogs) at the end of the Dossier menu and in the
        rows' context menu; they follow the current row (and the dossier's changes)."""
        if actions:
            self.dossier_menu.addSeparator()
        for action in actions:
            action.setShortcutVisibleInContextMenu(True)
            self.dossier_menu.addAction(action)
            self.addAction(action)  # shortcuts work wherever the focus is in the window
        self.dossier_actions = actions
        self.update_actions()

    def update_actions(self) -> None:
        """Enable the workflow actions the domain allows for the current row, now."""
        update = getattr(self.dossier_actions, "update_enabled", None)
        if update is not None:
            update()
        has_row = self.list_view.current_dossier_id() is not None
        self.act_open.setEnabled(has_row)
        self.act_copy_code.setEnabled(has_row)

    def show_row_menu(self, pos: QPoint) -> QMenu:
        """The rows' context menu: open, copy the code and the workflow actions."""
        self.update_actions()
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        menu.addAction(self.act_open)
        menu.addAction(self.act_copy_code)
        visible = [a for a in self.dossier_actions if a.isVisible()]
        if visible:
            menu.addSeparator()
        for action in visible:
            menu.addAction(action)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.row_menu = menu
        menu.popup(self.list_view.viewport().mapToGlobal(pos))
        return menu

    def allow_quit(self) -> None:
        """The next close really closes (Quit, session end)."""
        self._quitting = True

    # ------------------------------------------------------------------- events
    def on_event_dossiers_changed(self, **_: Any) -> None:
        self.filter_bar.set_fields(distinct_fields(self.ctx.cache.reader()))
        self.refresh_counts()
        self.update_actions()

    def on_event_outbox_changed(self, **_: Any) -> None:
        self.refresh_counts()
        self.update_actions()

    def on_event_sync_finished(self, **_: Any) -> None:
        self.refresh_counts()

    @immediate
    def on_event_auth_revoked(self, reason: str = "", **_: Any) -> None:
        self.notify(self.tr("Signed out"),
                    self.tr("This device or account was revoked; the local data was erased."),
                    critical=True)

    def _on_tick(self) -> None:
        if self.isVisible():
            self.model.tick()
            self.refresh_counts()

    def _tray_notified(self, title: str, text: str) -> None:
        self.status.flash(f"{title}: {text}", 10_000)

    def _connection_changed(self, state: str) -> None:
        self.status.set_state(state, self.sync.source)

    def _sync_state_changed(self, _state: str) -> None:
        self.tray.set_state_tooltip(self.status.state_label.text())

    def _sync_progress(self, done: int, total: int, _phase: str) -> None:
        self.status.set_progress(done, total)

    def _sync_finished(self, ok: bool, message: str) -> None:
        self.status.set_error("" if ok else message)
        if not ok and message:
            self.status.flash(self.tr("Sync failed: %1").replace("%1", message), 15_000)

    def _busy(self, busy: bool) -> None:
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()

    def _open_current(self) -> None:
        dossier_id = self.list_view.current_dossier_id()
        if dossier_id is not None:
            self.open_requested.emit(dossier_id)

    def _copy_codes(self) -> None:
        rows = sorted(i.row() for i in self.list_view.selectionModel().selectedRows())
        codes = [r.code for r in (self.model.row_data(row) for row in rows) if r is not None]
        if codes:
            QGuiApplication.clipboard().setText("\n".join(codes))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.save_layout()
        if self.tray.available and not self._quitting:
            event.ignore()
            self.hide()
            if not self._tray_hint_shown:
                self._tray_hint_shown = True
                self.notify(self.tr("Still running"),
                            self.tr("The application keeps running in the system tray so "
                                    "recalls and sync continue. Use Quit to exit."))
            return
        super().closeEvent(event)

    # -------------------------------------------------------------- translation
    def retranslate_ui(self) -> None:
        self._update_calendar_flag()
        user = self.ctx.user or {}
        name = str(user.get("full_name") or "")
        title = self.tr("Dossiers — Work from home")
        if name:  # a head's and an officer's windows on one screen must not look alike
            role = self.tr("head") if user.get("role") == "head" else self.tr("officer")
            title = f"{name} ({role}) — {title}"
        self.setWindowTitle(title)
        self.file_menu.setTitle(self.tr("&File"))
        self.dossier_menu.setTitle(self.tr("&Dossier"))
        self.sync_menu.setTitle(self.tr("&Sync"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.act_settings.setText(self.tr("&Settings…"))
        self.act_close.setText(self.tr("&Close window"))
        self.act_logout.setText(self.tr("Sign &out…"))
        self.act_cancel_sync.setText(self.tr("&Cancel sync"))
        self.act_conflicts.setText(self.tr("Co&nflicts and rejected changes…"))
        self.act_quit.setText(self.tr("&Quit"))
        self.act_open.setText(self.tr("&Open dossier"))
        self.act_copy_code.setText(self.tr("&Copy dossier code"))
        self.act_sync.setText(self.tr("Sync &now"))
        self.act_find.setText(self.tr("&Find…"))
        self.act_clear.setText(self.tr("C&lear filters"))
        self.act_refresh.setText(self.tr("&Refresh list"))
        self.act_urgency.setText(self.tr("Sort by &urgency"))
        self.act_todo.setText(self.tr("Show my &to-do list"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.act_guide.setText(self.tr("&User guide"))
        self.act_privacy.setText(self.tr("&What this app records…"))
        self.act_about.setText(self.tr("&About"))
        for code, action in self.language_actions.items():
            action.setChecked(code == current_language())
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _show_privacy(self) -> PrivacyDialog:
        """Help > What this app records (the list lives in ``ui/oncall/privacy.py``)."""
        dialog = PrivacyDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_guide(self) -> GuideDialog:
        """Help > User guide (F1): the short guide, beside the window (non-modal)."""
        if self.guide is None:
            self.guide = GuideDialog(self)
        self.guide.show()
        self.guide.raise_()
        return self.guide

    def show_about(self) -> AboutDialog:
        """Help > About: version, build and how to reach IT support."""
        dialog = AboutDialog(self.ctx.config, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.about = dialog
        return dialog
