"""A real client for sync tests: login through the real keyring, an encrypted cache in a temp
folder, the engine, and the events it published."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.client.auth_helpers import DEMO_PASSWORD, require_real_keyring
from tests.support.server import RunningServer
from wfh_client.events import EventBus
from wfh_client.store import Cache, keys
from wfh_client.store import dossiers as store_dossiers
from wfh_client.sync.auth import AuthSession, TokenStore, login
from wfh_client.sync.engine import SyncEngine
from wfh_client.sync.http import HttpClient


@dataclass
class SyncClient:
    username: str
    data_dir: Path
    session: AuthSession
    cache: Cache
    engine: SyncEngine
    bus: EventBus
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def doc(self, dossier_id: str) -> dict[str, Any] | None:
        record = store_dossiers.get_dossier(self.cache.reader(), dossier_id)
        return None if record is None else record.data

    def record(self, dossier_id: str) -> store_dossiers.DossierRecord | None:
        return store_dossiers.get_dossier(self.cache.reader(), dossier_id)

    def ids(self) -> set[str]:
        return {r[0] for r in self.cache.reader().execute("SELECT id FROM dossiers")}


def connect_client(server: RunningServer, username: str, data_dir: Path, *,
                   page_limit: int = 500, prefetch_max_bytes: int = 0,
                   on_revoked: Any = None) -> SyncClient:
    require_real_keyring()
    http = HttpClient(server.url, timeout=30)
    tokens = TokenStore()
    session = login(http, username, DEMO_PASSWORD, device_id="dev-" + uuid.uuid4().hex[:8],
                    tokens=tokens, on_revoked=on_revoked)
    cache = Cache.open(server.url, username, data_dir=data_dir)
    bus = EventBus()
    client = SyncClient(username, data_dir, session, cache,
                        SyncEngine(session, cache, bus=bus, page_limit=page_limit,
                                   prefetch_max_bytes=prefetch_max_bytes, clock=server.now),
                        bus)
    bus.subscribe("*", lambda name, **kw: client.events.append((name, kw)))
    return client


@contextmanager
def client_for(server: RunningServer, username: str, data_dir: Path,
               **kwargs: Any) -> Iterator[SyncClient]:
    client = connect_client(server, username, data_dir, **kwargs)
    try:
        yield client
    finally:
        client.cache.close()
        keys.delete_account_secrets(keys.account_id(server.url, username),
                                    extra_kinds=("refresh-token",))
