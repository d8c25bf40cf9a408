"""Help > "Create support bundle...": the same ZIP as ``wfh-client support-bundle``.

:class:`SupportBundleAction` adds the entry to the main window's Help menu. It asks where to
save (a file dialog), builds the bundle on the worker pool (it reads logs, opens the cache and
contacts the server for the TLS summary and the doctor checks) and says where it went.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6 import __version__ as QT_VERSION
from PySide6.QtCore import QEvent, QObject, QStandardPaths, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from wfh_client.config import Config
from wfh_client.ui.ops import run_in_background

__all__ = ["SupportBundleAction"]


class SupportBundleAction(QObject):
    # the written file, or "" and the error text
    finished = Signal(str, str)

    def __init__(self, window: QMainWindow, menu: QMenu, config: Config) -> None:
        super().__init__(window)
        self.window = window
        self.config = config
        self.action = QAction(self)
        self.action.setObjectName("act_support_bundle")
        self.action.triggered.connect(self.ask_and_create)
        menu.addSeparator()
        menu.addAction(self.action)
        self.message: QMessageBox | None = None
        self.dialog: QFileDialog | None = None
        self.retranslate_ui()
        window.installEventFilter(self)

    def retranslate_ui(self) -> None:
        self.action.setText(self.tr("Create &support bundle..."))
        self.action.setStatusTip(self.tr(
            "Save a ZIP file for IT support: logs, settings and checks, without passwords or "
            "citizens' data"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        return False

    def ask_and_create(self) -> None:
        """Open the save dialog (window-modal, no nested event loop); saving builds the ZIP."""
        from wfh_client.support_bundle import default_bundle_name  # not needed to start

        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dialog = QFileDialog(self.window, self.tr("Save support bundle"),
                             str(Path(folder or Path.home())), self.tr("ZIP files (*.zip)"))
        dialog.setObjectName("support_bundle_save")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("zip")
        dialog.selectFile(default_bundle_name())
        dialog.fileSelected.connect(lambda path: self.create(Path(path)))
        if self.dialog is not None:  # kept, not deleted on close: it goes with the window
            self.dialog.close()
        self.dialog = dialog
        dialog.open()

    def create(self, target: Path) -> None:
        """Build and write the bundle on a worker thread, then tell the user."""
        # Imported here, on the GUI thread, not at module level (the CLI, the bundle and
        # cryptography cost ~70 ms of every start for a menu entry rarely used) and never
        # inside work(): an import running on a worker thread while the GUI thread paints
        # crashed Qt late in the test suite.
        from wfh_client.cli import Ctx, doctor_report
        from wfh_client.cli_support import account_secrets
        from wfh_client.support_bundle import BundleInputs, build_bundle, write_bundle
        from wfh_client.sync.account import current_account
        from wfh_client.sync.auth import TokenStore

        config = self.config

        def work() -> str:
            tokens = TokenStore()
            ctx = Ctx(argparse.Namespace(server=None), config, tokens)
            current = current_account(config)
            account = current.account if current else None
            inputs = BundleInputs(config=config, doctor=lambda: doctor_report(ctx)[1],
                                  keyring_backend=tokens.backend_name, account=account,
                                  secrets=account_secrets(ctx, account.id) if account else [],
                                  qt_version=QT_VERSION)
            return str(write_bundle(build_bundle(inputs, since=timedelta(days=7)), target))

        run_in_background(work, self._done, self._failed, guard=self)

    def _done(self, path: Any) -> None:
        self._tell(QMessageBox.Icon.Information, self.tr(
            "The support bundle was saved as %1. Send this file to your IT support; it "
            "contains no passwords and no citizens' data.").replace("%1", str(path)))
        self.finished.emit(str(path), "")

    def _failed(self, exc: BaseException) -> None:
        text = f"{type(exc).__name__}: {exc}"
        self._tell(QMessageBox.Icon.Warning, self.tr(
            "The support bundle could not be created: %1").replace("%1", text))
        self.finished.emit("", text)

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        box = QMessageBox(icon, self.tr("Support bundle"), text, QMessageBox.StandardButton.Ok,
                          self.window)
        self.message = box
        box.open()
