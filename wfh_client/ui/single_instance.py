"""One running client per user: a second launch asks the first to show itself and exits.

The first instance listens on a QLocalServer named per user (:func:`default_name`: a hash of
the user name, so two users on one machine each get their own). A later launch connects with a
QLocalSocket, sends ``show``, and :meth:`SingleInstance.start` returns False. A stale socket
left by a crash is removed before listening.
"""

from __future__ import annotations

import getpass
import hashlib

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

__all__ = ["SingleInstance", "default_name"]

_TIMEOUT_MS = 1000


def default_name() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return "wfh-client-" + hashlib.sha256(user.encode()).hexdigest()[:16]


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
            # Lost a race with a concurrent launch: defer to it.
            return not self.notify_running()
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
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._closed(s))
            if socket.bytesAvailable():
                self._read(socket)

    def _closed(self, socket: QLocalSocket) -> None:
        if shiboken6.isValid(socket):
            self._read(socket)  # bytes that arrived together with the disconnect
            socket.deleteLater()

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
            for socket in server.findChildren(QLocalSocket):
                socket.blockSignals(True)
                socket.abort()
            server.close()
            server.deleteLater()
