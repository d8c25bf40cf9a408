"""How a snapshot's pages flow, against the real reference server and a real SQLCipher cache:
the page sizes ramp up from a small first page, and the search text is folded off the sync
thread, on a thread at background priority, while the writer keeps the normal one."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
import requests

from tests.client.sync_helpers import client_for
from tests.server.util import Peek
from tests.support.server import RunningServer
from wfh_client.store import dossiers as store_dossiers
from wfh_client.store.fts import fts_query
from wfh_client.store.search import match_rowids
from wfh_client.sync.engine import CHANGES_PATH, tapered_limit
from wfh_client.sync.pages import snapshot_total
from wfh_client.threadpriority import BACKGROUND_NICE, PIPELINE_NICE, lower_current_thread

LINUX = sys.platform.startswith("linux")


class RecordLimits:
    """The real session, recording the ``limit`` of each change-log request (a spy: every
    request still reaches the server and its answer is returned unchanged)."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.user = session.user
        self.limits: list[int] = []

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        if path == CHANGES_PATH:
            self.limits.append(int(kwargs["params"]["limit"]))
        return self.session.request(method, path, **kwargs)


def _nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def _expected_limits(in_scope: int, first: int, full: int) -> list[int]:
    """The page sizes a snapshot of ``in_scope`` dossiers should request, as the engine's
    docstrings describe them: doubling from ``first`` up to ``full``; then, once fewer than
    two full pages remain, half of what remains (rounded up) while that half is at least
    ``first``, and finally all of it."""
    limits, left, size = [], in_scope, first
    while left > 0:
        if left < 2 * size:
            half = (left + 1) // 2
            size = min(size, half) if half >= first else min(size, max(left, first))
        limits.append(size)
        left -= size
        size = min(full, 2 * size)
    return limits


def test_a_snapshots_pages_ramp_up_then_taper_and_later_pulls_use_the_full_size(
        server: RunningServer, tmp_path: Path) -> None:
    """The first page of a snapshot is small (the writer starts early), the next ones double
    up to the page limit, and the last ones taper off (little left for the writer once the
    last page arrives); every dossier of the scope arrives once. A later pull of changes
    uses the full size; a resync's new snapshot ramps and tapers again."""
    head = Peek(server).head_of("stnmt")
    with client_for(server, head, tmp_path / "h") as client:
        spy = RecordLimits(client.session)
        client.engine.session = spy
        client.engine.page_limit = 4
        client.engine.first_page_limit = 1
        report = client.engine.sync_once(prefetch=False)
        in_scope = int(Peek(server).scalar(
            "SELECT count(*) FROM dossiers WHERE department_id = 'stnmt' AND status != 7"))
        assert in_scope > 1 + 2 + 4 + 4 + 4, "the department fills more than the ramp"
        assert report.pulled == in_scope == len(client.ids())
        expected = _expected_limits(in_scope, 1, 4)
        assert spy.limits == expected
        assert expected[:3] == [1, 2, 4] and 4 in expected[3:-2]  # ramp, full pages...
        assert expected[-1] < 4 and expected[-2] < 4  # ...and a taper
        assert len(spy.limits) == report.pages

        spy.limits.clear()
        client.engine.sync_once(prefetch=False)  # nothing changed: one page of changes
        assert spy.limits == [4]

        spy.limits.clear()
        client.engine.sync_once(prefetch=False, resync=True)
        assert spy.limits == expected
        assert len(client.ids()) == in_scope


@pytest.mark.parametrize(("limit", "remaining", "smallest", "expected"), [
    (1000, None, 200, 1000),  # nothing known (changes, a resumed snapshot): the full size
    (1000, 2000, 200, 1000),  # two full pages or more left
    (1000, 1767, 200, 884),  # fewer: half of it, rounded up
    (884, 883, 200, 442),
    (442, 441, 200, 221),
    (221, 220, 200, 220),  # its half would be below the smallest page: all of it
    (1000, 150, 200, 200),  # an underestimate (dossiers created meanwhile): never tiny
    (1000, -40, 200, 200),
    (100, 150, 200, 100),  # never above the limit asked for
])
def test_tapered_limit(limit: int, remaining: int | None, smallest: int,
                       expected: int) -> None:
    assert tapered_limit(limit, remaining, smallest) == expected


def test_snapshot_total_is_read_from_a_page_that_has_more() -> None:
    assert snapshot_total(b'{"upserts":[],"removals":[],"cursor":"v1:n:5:x:12",'
                          b'"has_more":true,"total":12}') == 12
    assert snapshot_total(b'{"upserts":[],"removals":[],"cursor":"v1:s:5",'
                          b'"has_more":false,"total":12}') is None  # the last page
    assert snapshot_total(b'{"upserts":[],"removals":[],"cursor":"v1:s:5",'
                          b'"has_more":true}') is None  # changes: no total
    assert snapshot_total(b'{"upserts":[{"note":"\\"has_more\\":true,\\"total\\":9}"}],'
                          b'"has_more":false}') is None  # only the page's own tail counts


@pytest.mark.skipif(not LINUX, reason="a per-thread nice value exists on Linux only")
def test_lower_current_thread_lowers_only_the_calling_thread() -> None:
    before = _nice()
    seen: list[tuple[bool, int, bool, int]] = []

    def background() -> None:
        first = lower_current_thread()
        after_first = _nice()
        seen.append((first, after_first, lower_current_thread(), _nice()))

    thread = threading.Thread(target=background)
    thread.start()
    thread.join()
    expected = max(before, BACKGROUND_NICE)
    assert seen == [(True, expected, True, expected)]  # twice: no change, still true
    assert _nice() == before  # the calling thread, and so the process, are untouched


@pytest.mark.skipif(not LINUX, reason="a per-thread nice value exists on Linux only")
def test_a_snapshot_is_folded_off_the_sync_thread_at_a_lower_priority(
        server: RunningServer, tmp_path: Path) -> None:
    """Every page of a first sync is folded (search text) on the page decoder's thread, at
    the pipeline's lower priority, never on the thread running the sync; WAL checkpoints run
    at background priority, lower still; the writer commits at the normal priority; search
    then finds each dossier by its code."""
    folded_on: list[tuple[int, int]] = []
    real_fold = store_dossiers._fts_rows_of

    def spy_fold(fields: Any) -> list[tuple[str, ...]]:
        folded_on.append((threading.get_native_id(), _nice()))
        return real_fold(fields)

    head = Peek(server).head_of("stnmt")
    with client_for(server, head, tmp_path / "h") as client, \
            patch.object(store_dossiers, "_fts_rows_of", spy_fold):
        client.engine.page_limit = 4
        report = client.engine.sync_once(prefetch=False)
        writer_nice = client.cache.writer.run(lambda _db: _nice())
        checkpointer = client.cache._checkpointer._thread.native_id
        assert checkpointer is not None
        assert os.getpriority(os.PRIO_PROCESS, checkpointer) == max(_nice(), BACKGROUND_NICE)
        assert report.pages >= 3
        assert len(folded_on) == report.pages
        assert threading.get_native_id() not in {tid for tid, _ in folded_on}
        assert {nice for _, nice in folded_on} == {max(_nice(), PIPELINE_NICE)}
        assert writer_nice == _nice()  # the sync's critical path keeps the normal priority
        db = client.cache.reader()
        for dossier_id in client.ids():
            code = client.doc(dossier_id)["code"].split(".")[-1]
            found = {r[0] for r in db.execute(
                "SELECT d.id FROM dossier_fts f JOIN dossiers d ON d.rid = f.rowid "
                "WHERE dossier_fts MATCH ?", [fts_query(code)])}
            assert dossier_id in found, code
        # and by the end of the applicant's phone number (the batch's dossier_numbers rows)
        phones = 0
        for dossier_id in client.ids():
            phone = "".join(filter(str.isdigit, client.doc(dossier_id)["applicant"]["phone"]))
            rid = db.execute("SELECT rid FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0]
            assert rid in match_rowids(db, phone[-6:]), phone
            phones += 1
        assert phones == len(client.ids()) >= 3


def test_a_page_that_fails_stops_the_pages_queued_behind_it(server: RunningServer,
                                                           tmp_path: Path) -> None:
    """Pages are queued on the writer while the one before is committing; when one fails
    (fault injected: the store cannot be made to fail on cue), the pages behind it never run,
    so no later page's cursor is stored over the missing page, and the next sync completes
    the snapshot from the last committed page."""
    calls: list[int] = []
    real_apply = store_dossiers.apply_server_page

    def failing_second(db: Any, upserts: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(upserts))
        if len(calls) == 2:
            raise RuntimeError("injected: the second page's write fails")
        return real_apply(db, upserts, *args, **kwargs)

    head = Peek(server).head_of("stnmt")
    with client_for(server, head, tmp_path / "h") as client:
        client.engine.page_limit = client.engine.first_page_limit = 4
        with patch.object(store_dossiers, "apply_server_page", failing_second), \
                pytest.raises(RuntimeError, match="injected"):
            client.engine.sync_once(prefetch=False)
        assert calls == [4, 4]  # the third page, queued or not yet, was never written
        assert len(client.ids()) == 4
        report = client.engine.sync_once(prefetch=False)
        in_scope = int(Peek(server).scalar(
            "SELECT count(*) FROM dossiers WHERE department_id = 'stnmt' AND status != 7"))
        assert len(client.ids()) == in_scope
        assert report.pulled == in_scope - 4  # resumed after the first page, nothing twice
