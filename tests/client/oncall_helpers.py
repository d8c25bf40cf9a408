"""Real on-call clients for the feed and on-call tests: a keyring login, an encrypted cache, the
events listener (``FeedListener``) and ``OnCallService`` on the client side; a frozen-clock
server (``tests.server.oncall_support``) that tests can take down and bring back on its port."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.client.auth_helpers import DEMO_PASSWORD, require_real_keyring
from tests.server.oncall_support import LONG_TTL, OncallServer
from tests.support.server import start_server
from wfh_client.events import EventBus
from wfh_client.oncall.service import OnCallService
from wfh_client.store import Cache, keys
from wfh_client.sync.auth import AuthSession, TokenStore, login
from wfh_client.sync.feed import FeedListener
from wfh_client.sync.http import HttpClient, RetryPolicy

FAST_RETRY = RetryPolicy(total=1, backoff_factor=0.05, jitter=0.05)


def wait_until(predicate: Callable[[], Any], timeout: float = 5.0, what: str = "condition") -> Any:
    """Poll ``predicate`` until it is truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@dataclass
class OnCallClient:
    username: str
    session: AuthSession
    cache: Cache
    bus: EventBus
    feed: FeedListener
    service: OnCallService
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)

    @property
    def user_id(self) -> int:
        assert self.session.user is not None
        return int(self.session.user["id"])

    def named(self, name: str) -> list[dict[str, Any]]:
        return [kw for n, kw in list(self.events) if n == name]

    def alerts(self, recall_id: int) -> list[dict[str, Any]]:
        return [kw["recall"] for kw in self.named("oncall.recall_alert")
                if kw["recall"]["recall_id"] == recall_id]

    def new_feed(self, **kw: Any) -> FeedListener:
        self.feed = FeedListener(self.session, self.cache, self.bus, **{**FEED_DEFAULTS, **kw})
        return self.feed

    def new_service(self, o: OncallServer) -> OnCallService:
        self.service = OnCallService(self.session, self.cache, self.bus, clock=o.clock.now,
                                     flush_interval=1.0, use_scheduler=False)
        return self.service

    def idle(self) -> bool:
        return self.service.worker.idle


FEED_DEFAULTS: dict[str, Any] = {"wait": 1.0, "backoff_base": 0.05, "backoff_cap": 0.3}


@contextmanager
def oncall_client(o: OncallServer, username: str, data_dir: Path, *, start: bool = True,
                  service: bool = True, **feed_kw: Any) -> Iterator[OnCallClient]:
    require_real_keyring()
    http = HttpClient(o.url, timeout=10, retry=FAST_RETRY)
    revoked: list[str] = []
    session = login(http, username, DEMO_PASSWORD, device_id="dev-" + uuid.uuid4().hex[:8],
                    tokens=TokenStore(), on_revoked=revoked.append)
    cache = Cache.open(o.url, username, data_dir=data_dir / username)
    bus = EventBus()
    feed = FeedListener(session, cache, bus, **{**FEED_DEFAULTS, **feed_kw})
    svc = OnCallService(session, cache, bus, clock=o.clock.now, flush_interval=1.0,
                        use_scheduler=False)
    client = OnCallClient(username, session, cache, bus, feed, svc, revoked=revoked)
    bus.subscribe("*", lambda name, **kw: client.events.append((name, kw)))
    try:
        if start:
            if service:
                client.service.start()
            client.feed.start()
            wait_until(lambda: client.feed.connected, what=f"{username}'s feed to connect")
        yield client
    finally:
        client.feed.stop()
        client.service.stop()
        cache.close()
        keys.delete_account_secrets(keys.account_id(o.url, username),
                                    extra_kinds=("refresh-token",))


def server_down(o: OncallServer) -> None:
    o.srv.stop()


def server_up(o: OncallServer) -> None:
    """Start the server again on the same database and port (after ``server_down``)."""
    o.srv = start_server(o.db, o.blobs, clock=o.clock, port=o.srv.port,
                         access_ttl=LONG_TTL, refresh_ttl=LONG_TTL, outside_channel=o.channel)
