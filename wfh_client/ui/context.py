"""What every window, view and dialog of the UI is built from: one :class:`AppContext`.

The shell (:class:`~wfh_client.ui.app.ClientApp`) creates it once; later screens (login,
dossier detail, action dialogs, conflicts, slips) take it in their constructor and use
``ctx.bridge.register(self)`` for events, ``ctx.cache`` for reads, :mod:`wfh_client.ui.ops`
for writes and network work, ``ctx.calendar`` for deadlines and ``ctx.config`` for settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from wfh_client.config import Config
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.events import EventBus
from wfh_client.store import Cache
from wfh_client.ui.bridge import EventBridge

__all__ = ["AppContext", "SyncEngine"]


class SyncEngine(Protocol):
    """What the UI needs from ``wfh_client.sync.engine``: one blocking sync pass."""

    def sync_once(self, cancel: Any = ...) -> Any: ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class AppContext:
    cache: Cache
    bus: EventBus
    calendar: WorkingCalendar
    bridge: EventBridge
    config: Config | None = None
    engine: SyncEngine | None = None
    user: dict[str, Any] | None = None  # the signed-in user (``/api/v1/me``), if known
    clock: Callable[[], datetime] = field(default=_utc_now)  # injectable for tests
