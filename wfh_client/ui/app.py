"""Application setup and the running shell.

- :func:`create_application` - the QApplication (names, Fusion style, translator).
- :class:`ClientApp` - everything the desktop client runs: the bridge, the sync controller, the
  tray, the main window, single-instance activation, settings and live language switching.
  It takes an already-open ``Cache``, an ``EventBus``, a ``WorkingCalendar`` and optionally a
  ``Config`` and a sync engine, so tests build it with a real cache and no server::

      app = create_application(language="vi")
      shell = ClientApp(cache=cache, bus=EventBus(), calendar=WorkingCalendar(), config=cfg)
      shell.show()
      app.exec(); shell.shutdown()

- :func:`main` - a minimal real entry point (remembered account, its cache); the sign-in
  window and the engine are wired here later.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QApplication, QMessageBox

from wfh_client.config import Config, ConfigError
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.events import EventBus
from wfh_client.store import Cache
from wfh_client.ui import ops
from wfh_client.ui.bridge import EventBridge
from wfh_client.ui.context import AppContext, SyncEngine, _utc_now
from wfh_client.ui.i18n import set_language
from wfh_client.ui.icons import icon
from wfh_client.ui.main_window import MainWindow
from wfh_client.ui.settings_dialog import SettingsDialog
from wfh_client.ui.single_instance import SingleInstance
from wfh_client.ui.sync_controller import SyncController
from wfh_client.ui.tray import TrayController

log = logging.getLogger(__name__)

__all__ = ["ClientApp", "create_application", "main"]

APP_NAME = "wfh-client"
ORGANISATION = "Một cửa điện tử"


def create_application(argv: Sequence[str] | None = None, *, language: str = "vi") -> QApplication:
    """The QApplication (reused if one exists, as under pytest-qt) with translations loaded."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(
        list(argv if argv is not None else sys.argv))
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("WFH")
    app.setOrganizationName(ORGANISATION)
    app.setOrganizationDomain("motcua.gov.vn")
    app.setStyle("Fusion")
    app.setWindowIcon(icon("app"))
    app.setQuitOnLastWindowClosed(False)  # the tray keeps us alive; Quit ends
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
        self.single_instance = single_instance
        self.settings_dialog: SettingsDialog | None = None
        self.window.language_requested.connect(self.set_language)
        self.window.settings_requested.connect(self.open_settings)
        self.window.quit_requested.connect(self.quit)
        if single_instance is not None:
            single_instance.activation_requested.connect(self.window.bring_to_front)
        self._shut = False

    def show(self) -> None:
        self.window.show()

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
        self.sync.shutdown()
        ops.shutdown(wait=True)
        self.bridge.close()
        self.tray.hide()
        if self.single_instance is not None:
            self.single_instance.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Open the remembered account's cache and run the client (engine wired by the caller)."""
    from wfh_client.config import load_config
    from wfh_client.sync.account import load_current

    config = load_config()
    app = create_application(argv, language=str(config.get("language")))
    single = SingleInstance()
    if not single.start():
        return 0
    current = load_current(config.data_dir)
    if current is None:
        QMessageBox.information(None, "WFH", QCoreApplication.translate(
            "ClientApp", "Sign in first: wfh-client login"))
        return 2
    cache = Cache.open(current.account.server_url, current.account.username,
                       data_dir=config.data_dir,
                       allow_plaintext=bool(config.get("allow_plaintext_cache")))
    shell = ClientApp(cache=cache, bus=EventBus(), calendar=WorkingCalendar(), config=config,
                      user=current.user, single_instance=single)
    shell.show()
    try:
        return app.exec()
    finally:
        shell.shutdown()
        cache.close()


if __name__ == "__main__":
    sys.exit(main())
