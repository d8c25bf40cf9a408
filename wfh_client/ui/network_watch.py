"""The operating system's word on the network, passed to the core as ``network.changed``.

Qt's ``QNetworkInformation`` (NetworkManager on Linux, the Network List Manager on Windows)
says when reachability or the transport changes; the core then reconnects the events feed and
syncs at once instead of waiting for its next backoff step, so a recall sent while the line was
down arrives within seconds of it coming back. Where no backend can be loaded (a bare container,
an offscreen CI machine) nothing happens: the feed's own short on-duty backoff still applies.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QNetworkInformation

from wfh_client.events import EventBus

__all__ = ["NetworkWatch"]

log = logging.getLogger(__name__)


class NetworkWatch(QObject):
    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bus = bus
        self.info: QNetworkInformation | None = None
        try:
            if QNetworkInformation.loadBackendByFeatures(
                    QNetworkInformation.Feature.Reachability):
                self.info = QNetworkInformation.instance()
        except Exception:  # noqa: BLE001 - optional: the app works without it
            log.info("no network information backend", exc_info=True)
        if self.info is not None:
            self.info.reachabilityChanged.connect(self._changed)
            self.info.transportMediumChanged.connect(self._changed)
            log.info("network information backend: %s", self.info.backendName())

    def _changed(self, *_args: object) -> None:
        reachable = self.info is not None and self.info.reachability() in (
            QNetworkInformation.Reachability.Online, QNetworkInformation.Reachability.Site,
            QNetworkInformation.Reachability.Local)
        self.bus.publish("network.changed", reachable=reachable)
