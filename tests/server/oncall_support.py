"""Shared pieces of the on-call and events tests: a frozen-clock server with a recording outside
channel (the pluggable escalation gateway, a real implementation that keeps what it was asked to
send), long-lived tokens so that moving the clock does not expire them, and small helpers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from onestop_server.clock import FrozenClock
from onestop_server.oncall_escalation import OutsideNotice
from onestop_server.oncall_policy import DEFAULT_POLICY
from tests.server.util import Client
from tests.support.databases import SeedSource
from tests.support.server import Database, RunningServer, start_server

# Wednesday 18 March 2026, 09:05 in Vietnam (UTC+7): a working day, weeks after Tết.
WED_0905 = datetime(2026, 3, 18, 2, 5, tzinfo=UTC)
LONG_TTL = timedelta(days=30)


class RecordingChannel:
    """An outside channel that records every notice (stands in for an SMS gateway)."""

    def __init__(self) -> None:
        self.notices: list[OutsideNotice] = []
        self._lock = threading.Lock()

    def notify(self, notice: OutsideNotice) -> None:
        with self._lock:
            self.notices.append(notice)


@dataclass
class OncallServer:
    srv: RunningServer
    clock: FrozenClock
    channel: RecordingChannel
    db: Database
    blobs: Path

    @property
    def url(self) -> str:
        return self.srv.url

    @property
    def app(self) -> Any:
        return self.srv.app

    def tick(self) -> int:
        return int(self.srv.app.state.escalation.tick(self.clock.now()))

    def timers(self) -> dict[int, datetime]:
        return dict(self.srv.app.state.escalation.timers())

    def advance(self, **kw: float) -> None:
        self.clock.advance(timedelta(**kw))

    def restart(self) -> None:
        """Stop the server and start a new one on the same database and port."""
        port = self.srv.port
        self.srv.stop()
        self.srv = start_server(
            self.db, self.blobs, clock=self.clock, port=port, access_ttl=LONG_TTL,
            refresh_ttl=LONG_TTL, outside_channel=self.channel,
        )


def oncall_server(
    source: SeedSource | tuple[Path, Path], tmp_path: Path
) -> Iterator[OncallServer]:
    """Body of the ``oncall`` fixture each test module declares (fresh DB copy, frozen clock).

    ``source`` is the ``seed_source`` fixture (server tests: SQLite or PostgreSQL) or the
    SQLite ``seeded_template`` (client and UI tests)."""
    if not isinstance(source, SeedSource):
        source = SeedSource(source, use_postgres=False)
    with source.clone(tmp_path) as (db, blobs):
        clock = FrozenClock(WED_0905)
        channel = RecordingChannel()
        srv = start_server(
            db, blobs, clock=clock, access_ttl=LONG_TTL, refresh_ttl=LONG_TTL,
            outside_channel=channel,
        )
        holder = OncallServer(srv, clock, channel, db, blobs)
        try:
            yield holder
        finally:
            holder.srv.stop()


def z(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def events_of(client: Client, after: int = 0, wait: float = 0, **params: Any) -> dict[str, Any]:
    r = client.get("/api/v1/events", params={"after": after, "wait": wait, **params})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def kinds(body: dict[str, Any]) -> list[str]:
    return [e["kind"] for e in body["events"]]


def policy_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "time_zone": DEFAULT_POLICY["time_zone"],
        "periods": [list(p) for p in DEFAULT_POLICY["periods"]],
        "overrides": [],
        "checkin": dict(DEFAULT_POLICY["checkin"]),
        "recall": dict(DEFAULT_POLICY["recall"]),
    }
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(body.get(key), dict):
            body[key] = {**body[key], **value}
        else:
            body[key] = value
    return body
