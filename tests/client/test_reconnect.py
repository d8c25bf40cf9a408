"""A recall after a network cut arrives within seconds of the network coming back, and the
connection state follows the server within seconds (issue: 10-36 s after a 2-minute cut).

- while on duty (the department's working hours) the feed waits at most 1 s between
  reconnection attempts; off duty the usual longer cap applies;
- a sync that reached the server, or the OS saying the network changed, wakes the feed at once;
- the feed losing or regaining the server makes the sync service sync at once, so
  ``connectivity`` changes within seconds instead of at the next interval.
Real frozen-clock server, real keyring, real encrypted cache; the figures are in
bench/recall_reconnect.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.client.oncall_helpers import oncall_client, server_down, server_up, wait_until
from tests.server import oncall_support
from tests.server.oncall_support import OncallServer
from wfh_client.sync.engine import SyncEngine
from wfh_client.sync.service import SyncService


@pytest.fixture
def oncall(seeded_template: tuple[Path, Path], tmp_path: Path) -> Iterator[OncallServer]:
    yield from oncall_support.oncall_server(seeded_template, tmp_path)


def test_on_duty_the_feed_never_waits_more_than_a_second(oncall: OncallServer,
                                                         tmp_path: Path) -> None:
    duty = [True]
    with oncall_client(oncall, "cv.nn1", tmp_path, service=False, backoff_base=0.5,
                       backoff_cap=60.0, on_duty=lambda: duty[0]) as a:
        server_down(oncall)
        wait_until(lambda: len(a.named("feed.reconnecting")) >= 5, timeout=30,
                   what="five reconnection attempts")
        on_duty = [kw["delay"] for kw in a.named("feed.reconnecting")]
        assert max(on_duty) <= 1.0 and a.feed.current_backoff_cap() == 1.0
        duty[0] = False  # evening: the long cap again (the attempts keep counting up)
        assert a.feed.current_backoff_cap() == 60.0
        server_up(oncall)
        wait_until(lambda: a.feed.connected, timeout=30, what="the feed back")


def test_news_of_the_network_wakes_a_long_backoff_at_once(oncall: OncallServer,
                                                           tmp_path: Path) -> None:
    """Off duty the backoff grows (here 20-40 s); a network change or a successful sync cuts
    it short: the next attempt comes at once, well before the wait would have ended."""
    with oncall_client(oncall, "cv.nn2", tmp_path, service=False, backoff_base=40.0,
                       backoff_cap=40.0) as a:
        a.feed.follow(a.bus)
        server_down(oncall)
        wait_until(lambda: len(a.named("feed.reconnecting")) == 1, timeout=30,
                   what="the first failure")
        assert a.named("feed.reconnecting")[0]["delay"] >= 20.0
        server_up(oncall)
        a.bus.publish("network.changed", reachable=True)  # what NetworkWatch publishes
        wait_until(lambda: a.feed.connected, timeout=10, what="an attempt at once")
        assert len(a.named("feed.reconnecting")) == 1

        server_down(oncall)
        wait_until(lambda: len(a.named("feed.reconnecting")) == 2, timeout=30,
                   what="the second failure")
        server_up(oncall)
        a.bus.publish("sync.finished", report=None)  # the sync service reached the server
        wait_until(lambda: a.feed.connected, timeout=10, what="an attempt at once")


def test_the_sync_service_follows_the_feed_within_seconds(oncall: OncallServer,
                                                          tmp_path: Path) -> None:
    with oncall_client(oncall, "cv.nn3", tmp_path, service=False) as a:
        engine = SyncEngine(a.session, a.cache, bus=a.bus, clock=oncall.clock.now)
        service = SyncService(engine, interval=600.0, backoff_base=600.0, backoff_cap=600.0)
        service.start()
        try:
            wait_until(lambda: service.online is True, timeout=30, what="the first sync")
            server_down(oncall)
            # the feed notices at once; the service, asleep for 600 s, follows it
            wait_until(lambda: service.online is False, timeout=15, what="offline shown")
            server_up(oncall)
            wait_until(lambda: service.online is True, timeout=15, what="online again")
            assert [kw["online"] for kw in a.named("connectivity")] == [True, False, True]
        finally:
            service.stop()


def test_on_duty_follows_the_departments_working_periods(oncall: OncallServer,
                                                         tmp_path: Path) -> None:
    with oncall_client(oncall, "cv.nn4", tmp_path, service=True) as a:
        wait_until(lambda: a.service.policy is not None, timeout=30, what="the policy")
        tz = a.service.schedule.calendar.tz  # type: ignore[union-attr]
        wed = datetime(2026, 3, 18, tzinfo=tz)
        at = lambda h, m: (wed + timedelta(hours=h, minutes=m))  # noqa: E731
        assert a.service.schedule.on_duty(at(9, 5))
        assert not a.service.schedule.on_duty(at(12, 0))  # lunch
        assert not a.service.schedule.on_duty(at(21, 0))
        assert not a.service.schedule.on_duty(at(9, 5) + timedelta(days=3))  # Saturday
        assert a.service.on_duty()  # the frozen clock says Wednesday 09:05
