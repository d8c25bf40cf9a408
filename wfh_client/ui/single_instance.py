"""One running client per user: a second launch asks the first to show itself and says so.

The first instance listens on a QLocalServer; a later launch connects with a QLocalSocket,
sends ``show`` and :meth:`SingleInstance.start` returns False; :func:`tell_already_running`
then tells the user (the window was brought to the front) instead of exiting silently.

The server's address must not be something another local user can take first. A plain name
would be a socket in the shared temporary folder (``/tmp/wfh-client-…``): anyone could
create it before us, and every launch would then "find" the squatter and quit. So
(:func:`default_name`):

- POSIX: a socket file ``instance`` in this user's private runtime folder
  (``wfh_client.runtime.private_dir``: 0700, owned by the user, checked), which no other user
  can create, replace or even connect to;
- Windows: a named pipe whose name carries a random per-user secret kept in that private folder
  (``instance.key``), so no other user can predict and pre-create it; the pipe itself is
  created with ``UserAccessOption`` (only this user may connect).

A stale socket left by a crash is removed before listening.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import secrets

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QMessageBox, QWidget

from wfh_client.runtime import private_dir

__all__ = ["SingleInstance", "default_name", "tell_already_running"]

log = logging.getLogger(__name__)

_TIMEOUT_MS = 1000
_SOCKET_FILE = "instance"
_PIPE_KEY_FILE = "instance.key"
_NOTICE_MS = 8000


def _user_tag() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return hashlib.sha256(user.encode()).hexdigest()[:16]


def _pipe_key() -> str:
    """The random part of this user's pipe name (created once, in the private folder)."""
    path = private_dir() / _PIPE_KEY_FILE
    try:
        key = path.read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        key = ""
    if len(key) != 32:
        key = secrets.token_hex(16)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key)
    return key


def default_name() -> str:
    """Where this user's instance listens (see the module docstring)."""
    if os.name == "posix":
        return str(private_dir() / _SOCKET_FILE)
    return f"wfh-client-{_user_tag()}-{_pipe_key()}"


def tell_already_running(parent: QWidget | None = None, *,
                         close_after_ms: int = _NOTICE_MS) -> QMessageBox:
    """The second launch's message (shown until OK or ``close_after_ms``), modal: call
    ``exec()``; returns the box for tests."""
    box = QMessageBox(QMessageBox.Icon.Information,
                      QCoreApplication.translate("SingleInstance", "Already running"),
                      QCoreApplication.translate(
                          "SingleInstance", "The work-from-home app is already running; its "
                          "window has been brought to the front."),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("alreadyRunningBox")
    QTimer.singleShot(close_after_ms, box, box.accept)
    return box


class SingleInstance(QObject):
    # another launch asked this (primary) instance to show its window
    activation_requested = Signal()

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or default_name()
        self.server: QLocalServer | None = None

    def start(self) -> bool:
        """True if this is the primary instance (now listening); False if another one runs
        (it has been asked to show itself)."""
        if self.notify_running():
            return False
        QLocalServer.removeServer(self.name)  # a stale socket from a crashed instance
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            if self.notify_running():  # lost a race with a concurrent launch: defer to it
                return False
            # Cannot listen and nobody answers: run without the guard rather than not at all.
            log.warning("single-instance lock unavailable at %s: %s", self.name,
                        server.errorString())
            server.deleteLater()
            return True
        server.newConnection.connect(self._on_connection)
        self.server = server
        return True

    def notify_running(self) -> bool:
        """Ask a running instance to show itself; True if one answered."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(_TIMEOUT_MS):
            return False
        socket.write(b"show\n")
        socket.flush()
        socket.waitForBytesWritten(_TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    def _on_connection(self) -> None:
        assert self.server is not None
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(self._on_ready_read)
            if socket.bytesAvailable():
                self._read(socket)

    def _on_ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not shiboken6.isValid(socket):
            return
        data = bytes(socket.readAll().data())
        if b"show" in data:
            self.activation_requested.emit()

    def close(self) -> None:
        if self.server is not None:
            server, self.server = self.server, None
            server.newConnection.disconnect(self._on_connection)
            server.close()  # no new connection; the accepted ones go with the server
            server.deleteLater()
