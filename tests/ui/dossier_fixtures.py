"""Fixtures for the dossier screens: a real encrypted cache holding one rich dossier, a real
sync engine whose transport is offline (actions are recorded, never sent), and an
``AppContext`` around them with the fixed clock ``NOW``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import NOW, open_cache
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.deadlines import clock_running
from wfh_client.events import EventBus
from wfh_client.store import Cache
from wfh_client.store import outbox as store_outbox
from wfh_client.store.dossiers import get_dossier, put_server_copy
from wfh_client.store.state import set_state
from wfh_client.sync.engine import KEY_PROFILE, SyncEngine
from wfh_client.ui.bridge import EventBridge
from wfh_client.ui.context import AppContext
from wfh_client.ui.detail.shots import OFFICER, OfflineTransport, rich_dossier
from wfh_client.ui.models.dossier_table import DossierTableModel, UrgencyRole
from wfh_client.ui.sample_data import sample_dossiers
from wfh_client.ui.views.dossier_list import DossierListView

HEAD = {**OFFICER, "id": 3, "username": "truongphong.tnmt", "full_name": "Phạm Thị Lan",
        "title": "Trưởng phòng", "role": "head"}


@dataclass
class Desk:
    ctx: AppContext
    cache: Cache
    doc: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.doc["id"])

    def outbox(self) -> list[store_outbox.OutboxEntry]:
        return store_outbox.entries(self.cache.reader(), dossier_id=self.id)

    def local(self) -> dict[str, Any]:
        record = get_dossier(self.cache.reader(), self.id)
        assert record is not None
        return record.data

    def local_state(self) -> str:
        record = get_dossier(self.cache.reader(), self.id)
        assert record is not None
        return record.local_state


def make_desk(cache: Cache, calendar: WorkingCalendar, bridge: EventBridge, bus: EventBus,
              user: dict[str, Any] = OFFICER, **changes: Any) -> Desk:
    doc = rich_dossier(next(sample_dossiers(1, calendar=calendar, now=NOW, seed=11)), calendar,
                       NOW)
    doc.update(changes)

    def write(db: Any) -> None:
        put_server_copy(db, doc)
        set_state(db, KEY_PROFILE, user)

    cache.writer.run(write)
    transport = OfflineTransport()
    transport.user = user
    engine = SyncEngine(transport, cache, bus=bus)
    ctx = AppContext(cache=cache, bus=bus, calendar=calendar, bridge=bridge, engine=engine,
                     user=user, clock=lambda: NOW)
    return Desk(ctx, cache, doc)


@pytest.fixture(name="desk_factory")
def desk_fixture(tmp_path: Path, calendar: WorkingCalendar,
                 bus: EventBus) -> Iterator[Callable[..., Desk]]:
    caches: list[Cache] = []
    bridge = EventBridge(bus)

    def make(user: dict[str, Any] = OFFICER, **changes: Any) -> Desk:
        cache = open_cache(tmp_path / f"desk{len(caches)}")
        caches.append(cache)
        return make_desk(cache, calendar, bridge, bus, user, **changes)

    yield make
    bridge.close()
    for cache in caches:
        cache.wipe()


def make_view(qtbot: Any, cache: Any, calendar: WorkingCalendar,
              clock: list[Any] | None = None) -> tuple[DossierListView, DossierTableModel]:
    """A shown dossier list over ``cache`` (its clock: ``clock[0]``), once its first rows are
    painted."""
    now = clock or [NOW]
    model = DossierTableModel(cache, calendar, clock=lambda: now[0])
    view = DossierListView(model)
    qtbot.addWidget(view)
    view.resize(1100, 500)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.cells.filled(0))  # the first paint (offscreen: once mapped)
    return view, model


def running_not_late(model: DossierTableModel) -> int:
    """The first row whose clock runs and whose deadline has not passed yet."""
    running = [r for r in range(model.rowCount()) if clock_running(model.row_data(r).status)
               and model.row_data(r).due is not None
               and model.data(model.index(r, 0), UrgencyRole) == ""]
    assert running, "the sample has a running dossier that is not late yet"
    return running[0]
