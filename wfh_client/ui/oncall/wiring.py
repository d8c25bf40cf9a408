"""Starting and stopping the on-call core for one signed-in account (called by the launcher).

:func:`start_oncall` runs once the main window is open: it builds the events listener
(``wfh_client.sync.feed.FeedListener``) and ``wfh_client.oncall.service.OnCallService`` on the
account's ``AuthSession``, cache and bus, starts both and hands them to the shell's
:class:`~wfh_client.ui.oncall.controller.OnCallUi`. The shell stops them in
``ClientApp.shutdown`` (sign-out, revocation, expired session, quit), which always runs before
the launcher closes the cache. Tests build an :class:`OnCallSession` from parts they started
themselves (frozen clocks, short long-polls).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wfh_client.events import EventBus
from wfh_client.oncall.service import OnCallService
from wfh_client.store import Cache
from wfh_client.sync.feed import FeedListener

log = logging.getLogger(__name__)

__all__ = ["OnCallSession", "start_oncall"]


@dataclass
class OnCallSession:
    """What the on-call screens use: the server (``transport``), the feed and the core."""

    transport: Any  # an AuthSession: ``.request(method, path, json=...)``
    feed: FeedListener | None
    service: OnCallService
    owned: bool = True  # stop() stops the feed and the service (False: the caller does)
    unfollow: Callable[[], None] | None = None

    @classmethod
    def create(cls, transport: Any, cache: Cache, bus: EventBus, *,
               clock: Callable[[], datetime] | None = None,
               feed_kwargs: dict[str, Any] | None = None) -> OnCallSession:
        feed = FeedListener(transport, cache, bus, **(feed_kwargs or {}))
        kwargs: dict[str, Any] = {} if clock is None else {"clock": clock}
        service = OnCallService(transport, cache, bus, **kwargs)
        if feed.on_duty is None:  # quick reconnection during the department's working hours
            feed.on_duty = service.on_duty
        return cls(transport, feed, service, unfollow=feed.follow(bus))

    def start(self) -> None:
        self.service.start()
        if self.feed is not None:
            self.feed.start()

    def stop(self) -> None:
        """Stop the feed (aborts its long-poll) and the core (joins its worker)."""
        if not self.owned:
            return
        if self.unfollow is not None:
            self.unfollow()
            self.unfollow = None
        if self.feed is not None:
            self.feed.stop()
        self.service.stop()


def start_oncall(shell: Any, opened: Any) -> OnCallSession | None:
    """Start the feed and the on-call core for ``opened`` (a launcher ``OpenedAccount``) and
    attach them to ``shell.oncall``; never fails the sign-in (logged instead)."""
    try:
        session = OnCallSession.create(opened.auth, opened.cache, opened.bus,
                                       clock=shell.ctx.clock)
        session.start()
    except Exception:  # noqa: BLE001 - dossier work goes on without on-call
        log.exception("cannot start the on-call service")
        return None
    shell.oncall.attach(session)
    return session
