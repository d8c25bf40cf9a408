"""The update banner of the ``notify`` update mode (issue 11.6).

In ``update_mode = notify`` the app asks the server for its recommended and minimum versions
after the main window opens (on the worker pool) and, if this build is older, shows a yellow
bar at the top of the main window with the IT support contact from the policy. It never
downloads anything: IT deploys the update. ``managed`` (the default) shows nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar

from wfh_client import __version__
from wfh_client.config import Config
from wfh_client.sync.versions import UpdateNotice, fetch_versions, update_notice
from wfh_client.ui.ops import run_in_background

__all__ = ["UpdateBanner"]


class UpdateBanner(QObject):
    # the notice shown (or None when nothing needs saying) once the check finished
    checked = Signal(object)

    def __init__(self, window: QMainWindow, config: Config, *, current: str = __version__) -> None:
        super().__init__(window)
        self.config = config
        self.current = current
        self.notice: UpdateNotice | None = None
        self.bar = QToolBar(window)
        self.bar.setObjectName("update_banner")
        self.bar.setMovable(False)
        self.bar.setFloatable(False)
        self.bar.setStyleSheet("QToolBar { background: #fff4d6; border-bottom: 1px solid #e6c56b; }")
        self.label = QLabel(self.bar)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar.addWidget(self.label)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.bar.hide()
        window.installEventFilter(self)

    @property
    def enabled(self) -> bool:
        return bool(self.config.get("update_mode") == "notify")

    def check(self) -> None:
        """Ask the server (worker thread) and show the banner if this build is too old."""
        if not self.enabled:
            self.checked.emit(None)
            return
        # imported here, on the GUI thread (never inside work()): the HTTP layer pulls in
        # requests, ~90 ms of every start for a check that runs after the window is up
        from wfh_client.sync.account import current_account
        from wfh_client.sync.http import NO_RETRY, client_from_config

        config, current = self.config, self.current

        def work() -> UpdateNotice | None:
            remembered = current_account(config)
            server = remembered.account.server_url if remembered else config.get("server_url")
            if not server:
                return None
            with client_from_config(config, server, retry=NO_RETRY) as http:
                return update_notice(current, fetch_versions(http))

        run_in_background(work, self._show, lambda _exc: self.checked.emit(None), guard=self)

    def _show(self, notice: Any) -> None:
        self.notice = notice if isinstance(notice, UpdateNotice) else None
        self.retranslate_ui()
        self.bar.setVisible(self.notice is not None)
        self.checked.emit(self.notice)

    def retranslate_ui(self) -> None:
        notice = self.notice
        if notice is None:
            self.label.clear()
            return
        contact = self.config.get("support_contact") or self.tr("your IT support")
        if notice.below_minimum:
            text = self.tr("This version (%1) is older than the server accepts (%2): you will "
                           "not be able to sign in again until it is updated. Contact %3.")
            text = text.replace("%2", str(notice.minimum))
        else:
            text = self.tr("A newer version (%2) is available; you have %1. Ask %3 to update "
                           "this computer.").replace("%2", str(notice.recommended))
        self.label.setText(text.replace("%1", notice.current).replace("%3", str(contact)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        return False
