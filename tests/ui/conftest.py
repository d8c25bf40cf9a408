"""Fixtures for the UI tests: real encrypted caches (key in the real keyring), a fixed clock.

Run offscreen under ``scripts/with-keyring``. ``big_cache`` (session-wide, read-only for the
tests) holds :data:`BIG` synthetic dossiers; tests that write use ``small_cache``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.ui.shells import shells as shells  # the running-app fixture, for every UI test
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.events import EventBus
from wfh_client.store import Cache
from wfh_client.ui import ops
from wfh_client.ui.i18n import set_language
from wfh_client.ui.sample_data import fill_cache, sample_dossiers

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # Tuesday 09:00 in Hà Nội
BIG = 6000
_users = itertools.count()


def open_cache(data_dir: Path) -> Cache:
    return Cache.open("https://motcua.test", f"officer{next(_users)}", data_dir=data_dir)


@pytest.fixture(scope="session")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.fixture(scope="session")
def big(tmp_path_factory: pytest.TempPathFactory,
        calendar: WorkingCalendar) -> Iterator[tuple[Cache, list[dict[str, Any]]]]:
    cache = open_cache(tmp_path_factory.mktemp("big-cache"))
    docs = list(sample_dossiers(BIG, calendar=calendar, now=NOW, seed=3))
    fill_cache(cache, docs)
    yield cache, docs
    ops.shutdown(wait=True)  # no background read may outlive the cache
    cache.wipe()


@pytest.fixture
def small(tmp_path: Path, calendar: WorkingCalendar) -> Iterator[tuple[Cache, list[dict[str, Any]]]]:
    cache = open_cache(tmp_path)
    docs = list(sample_dossiers(300, calendar=calendar, now=NOW, seed=5))
    fill_cache(cache, docs)
    yield cache, docs
    ops.shutdown(wait=True)  # no background read may outlive the cache
    cache.wipe()


@pytest.fixture(scope="session", autouse=True)
def _gc_on_gui_thread(qapp: Any) -> Iterator[None]:
    """As in the app: cycles holding Qt objects are collected on the GUI thread only."""
    from wfh_client.ui.gc_guard import GuiGarbageCollector

    collector = GuiGarbageCollector(qapp)
    yield
    collector.stop()


@pytest.fixture(autouse=True)
def _ui_language(qapp: Any) -> Iterator[None]:
    set_language("vi")
    yield
    ops.shutdown(wait=True)  # join worker threads after each test (Dangerzone habit)
    set_language("vi")


@pytest.fixture
def bus() -> EventBus:
    return EventBus()
