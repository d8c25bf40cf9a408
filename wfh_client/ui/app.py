"""Application setup and the running shell.

- :func:`create_application` - the QApplication (names, Fusion style, translator).
- :class:`ClientApp` - everything one signed-in account runs: the bridge, the sync controller,
  the tray, the main window, notifications (:mod:`~wfh_client.ui.alerts`), the dossier window
  and workflow actions (from ``wfh_client.ui.detail`` / ``wfh_client.ui.dialogs.actions`` once
  they exist), single-instance activation, settings and live language switching.
  It takes an already-open ``Cache``, an ``EventBus``, a ``WorkingCalendar`` and optionally a
  ``Config`` and a sync engine, so tests build it with a real cache and no server::

      app = create_application(language="vi")
      shell = ClientApp(cache=cache, bus=EventBus(), calendar=WorkingCalendar(), config=cfg)
      shell.show()
      app.exec(); shell.shutdown()

- :func:`main` - the real entry point (``wfh-client-gui`` / ``python -m wfh_client.ui``): the
  :class:`~wfh_client.ui.launcher.Launcher` resumes the remembered account or shows the sign-in
  dialog, runs the first sync and opens the main window with background sync.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from wfh_client.config import Config, ConfigError
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.events import EventBus
from wfh_client.store import Cache
from wfh_client.ui import ops
from wfh_client.ui.alerts import Alerts
from wfh_client.ui.bridge import EventBridge
from wfh_client.ui.context import AppContext, SyncEngine, _utc_now
from wfh_client.ui.gc_guard import GuiGarbageCollector
from wfh_client.ui.i18n import set_language
from wfh_client.ui.icons import icon
from wfh_client.ui.main_window import MainWindow
from wfh_client.ui.network_watch import NetworkWatch
from wfh_client.ui.oncall.controller import OnCallUi
from wfh_client.ui.settings_dialog import SettingsDialog
from wfh_client.ui.single_instance import SingleInstance, tell_already_running
from wfh_client.ui.support_menu import SupportBundleAction
from wfh_client.ui.sync_controller import SyncController
from wfh_client.ui.tray import TrayController
from wfh_client.ui.update_banner import UpdateBanner

log = logging.getLogger(__name__)

__all__ = ["ClientApp", "create_application", "main", "run"]

APP_NAME = "wfh-client"
ORGANISATION = "Một cửa điện tử"
DESKTOP_ID = "vn.gov.motcua.wfhclient"


def create_application(argv: Sequence[str] | None = None, *, language: str = "vi") -> QApplication:
    """The QApplication (reused if one exists, as under pytest-qt) with translations loaded."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(
        list(argv if argv is not None else sys.argv))
    app.setApplicationName(APP_NAME)
    # Wayland matches windows to the installed .desktop file by this id (X11 by WM_CLASS,
    # StartupWMClass in the file); installer/deb installs vn.gov.motcua.wfhclient.desktop
    app.setDesktopFileName(DESKTOP_ID)
    app.setApplicationDisplayName("WFH")
    app.setOrganizationName(ORGANISATION)
    app.setOrganizationDomain("motcua.gov.vn")
    app.setStyle("Fusion")
    app.setWindowIcon(icon("app"))
    app.setQuitOnLastWindowClosed(False)  # the tray keeps us alive; Quit ends
    if app.findChild(GuiGarbageCollector) is None:
        GuiGarbageCollector(app)  # cycles holding widgets die on the GUI thread only
    set_language(language)
    return app


class ClientApp(QObject):
    def __init__(self, *, cache: Cache, bus: EventBus, calendar: WorkingCalendar,
                 config: Config | None = None, engine: SyncEngine | None = None,
                 user: dict[str, Any] | None = None,
                 clock: Callable[[], datetime] | None = None,
                 tray_available: bool | None = None,
                 single_instance: SingleInstance | None = None) -> None:
        super().__init__()
        self.bridge = EventBridge(bus, self)
        self.ctx = AppContext(cache=cache, bus=bus, calendar=calendar, bridge=self.bridge,
                              config=config, engine=engine, user=user,
                              clock=clock or _utc_now)
        self.tray = TrayController(self, available=tray_available)
        self.sync = SyncController(self.ctx, self)
        self.window = MainWindow(self.ctx, tray=self.tray, sync=self.sync)
        self.support_bundle = SupportBundleAction(self.window, self.window.help_menu, config) \
            if config is not None else None
        # update_mode "notify": a banner when the server recommends a newer version
        self.update_banner = UpdateBanner(self.window, config) if config is not None else None
        self.single_instance = single_instance
        self.settings_dialog: SettingsDialog | None = None
        self.window.language_requested.connect(self.set_language)
        self.window.settings_requested.connect(self.open_settings)
        self.window.quit_requested.connect(self.quit)
        self.window.open_requested.connect(self.open_dossier)
        self.alerts = Alerts(self.ctx, self.notify, self)
        self.network = NetworkWatch(bus, self)  # OS network changes wake the feed and sync
        # on-call screens; the core is attached by the launcher (wfh_client.ui.oncall.wiring)
        self.oncall = OnCallUi(self.ctx, self.window, self.tray, self.sync)
        self._add_dossier_actions()
        if single_instance is not None:
            single_instance.activation_requested.connect(self.window.bring_to_front)
        self._shut = False

    def show(self) -> None:
        self.window.show()
        if self.update_banner is not None:
            self.update_banner.check()

    def open_dossier(self, dossier_id: str) -> QWidget | None:
        """The dossier window (``wfh_client.ui.detail``), if this build has it."""
        try:
            from wfh_client.ui.detail import open_dossier
        except ImportError:
            log.info("the dossier view is not available in this build")
            return None
        widget: QWidget = open_dossier(self.ctx, dossier_id, self.window)
        return widget

    def _add_dossier_actions(self) -> None:
        try:
            from wfh_client.ui.dialogs.actions import build_dossier_actions
        except ImportError:
            return
        self.window.add_dossier_actions(build_dossier_actions(
            self.ctx, self.window, self.window.list_view.current_dossier_id))

    def notify(self, title: str, text: str, *, critical: bool = False) -> None:
        self.window.notify(title, text, critical=critical)

    def set_language(self, language: str) -> None:
        """Switch the UI language live (and remember it unless the policy locks it)."""
        set_language(language)
        config = self.ctx.config
        if config is not None and not config.locked("language") \
                and config.get("language") != language:
            try:
                config.set_user("language", language)
            except ConfigError as exc:
                log.warning("cannot save the language: %s", exc)

    def open_settings(self) -> SettingsDialog | None:
        if self.ctx.config is None:
            return None
        if self.settings_dialog is None:
            dialog = SettingsDialog(self.ctx.config, self.window)
            dialog.language_changed.connect(self.set_language)
            dialog.saved.connect(self._settings_saved)
            dialog.finished.connect(lambda _r: setattr(self, "settings_dialog", None))
            self.settings_dialog = dialog
        self.settings_dialog.show()
        self.settings_dialog.raise_()
        return self.settings_dialog

    def _settings_saved(self, keys: list[str]) -> None:
        if "sync_interval_seconds" in keys and self.ctx.config is not None:
            self.sync.set_interval(int(self.ctx.config.get("sync_interval_seconds")))

    def quit(self) -> None:
        self.window.allow_quit()
        self.window.close()
        self.shutdown()
        QCoreApplication.quit()

    def shutdown(self) -> None:
        """Stop timers and workers and let go of the bus (idempotent; call before exit)."""
        if self._shut:
            return
        self._shut = True
        self.alerts.stop()
        self.oncall.shutdown()  # stops the events feed and the on-call core (cache still open)
        self.sync.shutdown()
        ops.shutdown(wait=True)
        self.bridge.close()
        self.tray.hide()
        if self.single_instance is not None:
            self.single_instance.close()


def quit_on_signals(app: QCoreApplication) -> Callable[[], None]:
    """Ctrl+C in a terminal (SIGINT) and a stop request (SIGTERM) end the app like Quit: every
    event loop ends and the normal shutdown runs (feed, sync, cache closed), instead of a
    ``KeyboardInterrupt`` traceback inside some Qt slot and an app that keeps running.

    Python runs signal handlers only when the interpreter gets a turn, so a timer gives it one
    twice a second. ``exit(0)``, not ``quit()``: quit asks the windows to close first, and the
    main window's close only hides it to the tray. Returns the function that undoes it."""
    def on_signal(signum: int, _frame: Any) -> None:
        log.info("signal %d: quitting", signum)
        app.exit(0)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    turn = QTimer(app)
    turn.timeout.connect(lambda: None)
    turn.start(500)

    def undo() -> None:
        turn.stop()
        turn.deleteLater()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return undo


def run(config: Config, argv: Sequence[str] | None = None, *,
        auto_login: tuple[str, str] | None = None, plaintext_cache: bool = False,
        instance_name: str | None = None) -> int:
    """Run the desktop client until Quit (shared by :func:`main` and demo mode)."""
    from wfh_client.ui.launcher import Launcher
    from wfh_client.ui.platform_check import platform_problem

    if QApplication.instance() is None and (problem := platform_problem()):
        print(problem, file=sys.stderr, flush=True)  # instead of Qt's abort
        return 3
    app = create_application(argv, language=str(config.get("language")))
    single = SingleInstance(instance_name)
    if not single.start():
        log.warning("already running: asked the running instance to show its window")
        tell_already_running().exec()
        return 0
    launcher = Launcher(config, single_instance=single, plaintext_cache=plaintext_cache)
    undo_signals = quit_on_signals(app)
    launcher.start(auto_login=auto_login)
    try:
        return app.exec()
    finally:
        undo_signals()
        launcher.shutdown()
        ops.shutdown(wait=True)


def main(argv: Sequence[str] | None = None) -> int:
    """``wfh-client-gui``: see :mod:`wfh_client.gui_main` (log file, dialogs for start-up
    errors, ``--version``, ``--self-test``)."""
    from wfh_client.gui_main import main as gui_main

    return gui_main(argv)


if __name__ == "__main__":
    sys.exit(main())
