"""The sign-in dialog: server address, user name, password; the login runs on a worker thread.

The server address comes from the configuration and is read-only when the machine policy sets
it (``config.locked("server_url")``). An address typed without a scheme gets ``https://``;
plain ``http://`` is refused unless it points at this computer (the demo), and the dialog never
suggests it. The user name is remembered (``account.json``); the
password never leaves this dialog except in the login request. While signing in, the inputs
are disabled and a busy bar runs; errors are shown in plain words with what to do next
(:func:`wfh_client.ui.messages.describe_login_error`: an unreachable server on a sign-in sends
the user to IT, with the organisation's ``support`` contact, since nothing is on this computer
yet to keep working on).

The dialog does not know what happens after the login: it calls ``login_fn(server, username,
password)`` on the background pool and emits :attr:`LoginDialog.logged_in` with its result
(the :class:`~wfh_client.ui.launcher.Launcher` opens the cache there too, so the whole
sign-in is off the GUI thread).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wfh_client.config import REGISTRY, is_loopback_host
from wfh_client.ui.icons import icon
from wfh_client.ui.messages import describe_login_error
from wfh_client.ui.operation import Op

log = logging.getLogger(__name__)

__all__ = ["LoginDialog"]

LoginFn = Callable[[str, str, str], Any]


class LoginDialog(QDialog):
    # the result of login_fn (whatever the caller returns: an opened account)
    logged_in = Signal(object)
    # an error was shown (its plain-words text)
    failed = Signal(str)

    def __init__(self, login_fn: LoginFn, *, server_url: str = "", server_locked: bool = False,
                 username: str = "", notice: str = "", support: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowIcon(icon("app"))
        self.login_fn = login_fn
        self.support = support
        self.busy = False
        self.error: BaseException | None = None
        self.heading = QLabel(self)
        self.heading.setObjectName("heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.heading.setFont(font)
        self.subheading = QLabel(self)
        self.subheading.setWordWrap(True)
        self.subheading.setMinimumWidth(460)
        self.notice = QLabel(notice, self)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(bool(notice))
        self.notice.setStyleSheet("background: #fff4d6; border: 1px solid #e6c56b; "
                                  "border-radius: 4px; padding: 6px;")
        self.server = QLineEdit(server_url, self)
        self.server.setReadOnly(server_locked)
        self.server.setMinimumWidth(340)
        self.server_locked = server_locked
        self.managed = QLabel(self)
        self.managed.setStyleSheet("color: palette(mid); font-style: italic;")
        self.managed.setVisible(server_locked)
        self.username = QLineEdit(username, self)
        self.username.setObjectName("username")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        self.buttons = QDialogButtonBox(self)
        self.sign_in: QPushButton = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in.setDefault(True)
        self.quit_button: QPushButton = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.server_label, self.username_label, self.password_label = (
            QLabel(self), QLabel(self), QLabel(self))
        self.server_label.setBuddy(self.server)
        self.username_label.setBuddy(self.username)
        self.password_label.setBuddy(self.password)
        self.form.addRow(self.server_label, self.server)
        self.form.addRow("", self.managed)
        self.form.addRow(self.username_label, self.username)
        self.form.addRow(self.password_label, self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.notice)
        layout.addSpacing(6)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        (self.password if username else self.username).setFocus()
        if not server_url:
            self.server.setFocus()

    # ------------------------------------------------------------------ sign in
    def submit(self) -> bool:
        """Start the login on a worker thread; False if the input is incomplete or busy."""
        if self.busy:
            return False
        server, username = self.server.text().strip(), self.username.text().strip()
        if server and "://" not in server:
            server = "https://" + server
            self.server.setText(server)
        password = self.password.text()
        problem = self._check(server, username, password)
        if problem:
            self.show_error(problem)
            return False
        self._set_busy(True)
        self.error_label.hide()
        Op(self, lambda: self.login_fn(server, username, password)) \
            .success(self._succeeded).failure(self._failed).run()
        return True

    def _check(self, server: str, username: str, password: str) -> str:
        if not server:
            return self.tr("Enter the server address your IT staff gave you.")
        if urlsplit(server).scheme == "http" and not is_loopback_host(urlsplit(server).hostname):
            return self.tr("The server address must start with https://: plain http:// would "
                           "send your password and the dossiers unencrypted.")
        try:
            REGISTRY["server_url"].validate(server)
        except ValueError:
            return self.tr("The server address must start with https:// and contain a host "
                           "name, e.g. https://motcua.example.gov.vn.")
        if not username:
            return self.tr("Enter your user name.")
        if not password:
            return self.tr("Enter your password.")
        return ""

    def _succeeded(self, result: Any) -> None:
        self._set_busy(False)
        self.password.clear()
        self.logged_in.emit(result)
        self.accept()

    def _failed(self, exc: BaseException, _words: str) -> None:
        log.info("login failed: %s", type(exc).__name__)
        self.error = exc
        self._set_busy(False)
        self.password.selectAll()
        self.password.setFocus()
        self.show_error(describe_login_error(exc, self.support))

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.failed.emit(text)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        for widget in (self.username, self.password, self.sign_in):
            widget.setEnabled(not busy)
        self.server.setEnabled(not busy)
        self.sign_in.setText(self.tr("Signing in…") if busy else self.tr("&Sign in"))

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)

    # ------------------------------------------------------------------ translation
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Sign in — Work from home"))
        self.heading.setText(self.tr("One-stop shop: work from home"))
        self.subheading.setText(self.tr("Sign in with your one-stop-shop account. Your "
                                        "dossiers are kept encrypted on this computer so you "
                                        "can keep working offline."))
        self.server_label.setText(self.tr("Se&rver address"))
        self.username_label.setText(self.tr("&User name"))
        self.password_label.setText(self.tr("&Password"))
        self.server.setPlaceholderText("https://motcua.example.gov.vn")
        self.username.setPlaceholderText(self.tr("e.g. cv.tnmt1"))
        self.managed.setText(self.tr("Set by your organisation"))
        self.sign_in.setText(self.tr("Signing in…") if self.busy else self.tr("&Sign in"))
        self.quit_button.setText(self.tr("&Quit"))
        if self.error is not None and self.error_label.isVisible():
            self.error_label.setText(describe_login_error(self.error, self.support))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
