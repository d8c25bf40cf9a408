"""The page reader against the real server: pages in order and equal to a plain sequential
pull, the next page requested before it is asked for (never more than one ahead), a tail it
cannot read or that points elsewhere caught by the parsed cursor, errors at their page."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from tests.client.oncall_helpers import wait_until
from tests.conftest import DEMO_PASSWORD
from tests.support.server import RunningServer
from wfh_client.memory_keyring import MemoryKeyring
from wfh_client.store.dossiers import DecodedBatch, document_of
from wfh_client.sync.auth import TokenStore, login
from wfh_client.sync.engine import CHANGES_PATH
from wfh_client.sync.http import HttpClient
from wfh_client.sync.pages import Fetch, PageReader, tail_cursor

HEAD = "truongphong.tnmt"  # head of the seeded stnmt department: 19 dossiers, 7 pages of 3
LIMIT = 3


def fetcher(server: RunningServer, log: list[str | None],
            mangle: Callable[[bytes], bytes] = lambda b: b) -> Fetch:
    session = login(HttpClient(server.url, timeout=30), HEAD, DEMO_PASSWORD,
                    device_id="pages-" + uuid.uuid4().hex[:8], tokens=TokenStore(MemoryKeyring()))

    def fetch(cursor: str | None) -> tuple[bytes, Mapping[str, str]]:
        log.append(cursor)
        params: dict[str, Any] = {"limit": LIMIT}
        if cursor is not None:
            params["cursor"] = cursor
        response = session.request("GET", CHANGES_PATH, params=params)
        return mangle(response.content), response.headers

    return fetch


def sequential(fetch: Fetch) -> list[dict[str, Any]]:
    pages, cursor = [], None
    while True:
        page = json.loads(fetch(cursor)[0])
        pages.append(page)
        if not page["has_more"]:
            return pages
        cursor = page["cursor"]


def read_all(reader: PageReader, log: list[str | None]) -> list[dict[str, Any]]:
    pages = []
    try:
        while True:
            page, _, headers = reader.next()
            assert headers["Content-Type"] == "application/json"  # the answer's own headers
            pages.append(page)
            # Never more than one page ahead: the taken pages plus one request.
            assert len(log) <= len(pages) + 1
            if not page["has_more"]:
                return pages
    finally:
        reader.close()


def test_pages_come_in_order_equal_to_a_sequential_pull(server: RunningServer) -> None:
    expected = sequential(fetcher(server, []))
    assert len(expected) > 3
    log: list[str | None] = []
    pages = read_all(PageReader(fetcher(server, log), None), log)
    assert pages == expected
    assert log == [None] + [p["cursor"] for p in expected[:-1]]  # each page asked for once


def test_pages_decoded_ahead_are_the_same_pages(server: RunningServer) -> None:
    """A snapshot's pages decoded by the reader (SQLite reads ids, versions and searched
    values; the documents stay unparsed until asked for) are the sequential pull's pages."""
    expected = sequential(fetcher(server, []))
    log: list[str | None] = []
    reader = PageReader(fetcher(server, log), None, decode_ahead=True)
    got: list[tuple[dict[str, Any], Any]] = []
    try:
        while not got or got[-1][0]["has_more"]:
            page, raw, _ = reader.next()
            got.append((page, raw))
            assert len(log) <= len(got) + 1  # still one page ahead at most
    finally:
        reader.close()
    assert all(isinstance(raw, DecodedBatch) for _, raw in got)
    assert [[(u["id"], u["version"]) for u in page["upserts"]] for page, _ in got] == \
        [[(d["id"], d["version"]) for d in page["upserts"]] for page in expected]
    assert all(u._doc is None for page, _ in got for u in page["upserts"])  # not parsed yet
    assert [dict(page, upserts=[document_of(u) for u in page["upserts"]]) for page, _ in got] \
        == expected
    assert log == [None] + [p["cursor"] for p in expected[:-1]]


def test_the_next_page_is_requested_before_it_is_asked_for(server: RunningServer) -> None:
    log: list[str | None] = []
    reader = PageReader(fetcher(server, log), None)
    try:
        first, _, _ = reader.next()
        assert first["has_more"]
        # Without another next(): the reader has already asked for the following page.
        wait_until(lambda: len(log) == 2, timeout=20, what="the read-ahead request")
        assert log[1] == first["cursor"]
        second, _, _ = reader.next()
        assert second["upserts"][0]["id"] > first["upserts"][-1]["id"]
    finally:
        reader.close()


def _pretty(body: bytes) -> bytes:
    return json.dumps(json.loads(body), indent=1).encode()


def _misleading(body: bytes) -> bytes:
    """The real cursor first, then a decoy in the tail that the reader will follow."""
    page = json.loads(body)
    decoy = {"cursor": "djE6czo5OTk5OTk5", "has_more": True}
    return (json.dumps({"cursor": page["cursor"], "has_more": page["has_more"],
                        "upserts": page["upserts"], "removals": page["removals"]},
                       separators=(",", ":"))[:-1]
            + ',"x":' + json.dumps(decoy, separators=(",", ":")) + "}").encode()


@pytest.mark.parametrize("mangle", [_pretty, _misleading], ids=["unreadable", "misleading"])
def test_a_tail_that_is_not_the_page_cursor_costs_a_request_not_a_page(
        server: RunningServer, mangle: Callable[[bytes], bytes]) -> None:
    expected = sequential(fetcher(server, []))
    log: list[str | None] = []
    pages = read_all(PageReader(fetcher(server, log, mangle), None), log)
    assert [p["upserts"] for p in pages] == [p["upserts"] for p in expected]
    assert [p["cursor"] for p in pages] == [p["cursor"] for p in expected]


def test_an_error_reaches_the_caller_at_its_page(server: RunningServer) -> None:
    real = fetcher(server, [])
    calls: list[str | None] = []

    def failing(cursor: str | None) -> tuple[bytes, Mapping[str, str]]:
        calls.append(cursor)
        if len(calls) == 3:
            raise ConnectionError("the line dropped")
        return real(cursor)

    reader = PageReader(failing, None)
    try:
        assert reader.next()[0]["has_more"] and reader.next()[0]["has_more"]
        with pytest.raises(ConnectionError, match="the line dropped"):
            reader.next()
    finally:
        reader.close()


def test_restart_forgets_what_was_read_ahead(server: RunningServer) -> None:
    log: list[str | None] = []
    reader = PageReader(fetcher(server, log), None)
    try:
        first, _, _ = reader.next()
        reader.next()
        reader.restart(None)  # e.g. the server asked for a full resync
        again, _, _ = reader.next()
        assert again["upserts"] == first["upserts"]
        assert reader.requests == len(log)
    finally:
        reader.close()


def test_tail_cursor_reads_the_servers_layout() -> None:
    body = b'{"upserts":[{"id":"a","t":"\\"cursor\\":\\"no\\""}],"removals":[],' \
           b'"cursor":"djE6bjox","has_more":true,"total":7}'
    assert tail_cursor(body) == ("djE6bjox", True)
    assert tail_cursor(b'{"upserts":[],"removals":[],"cursor":"djE6czox","has_more":false}') \
        == ("djE6czox", False)
    assert tail_cursor(b'{"upserts": [], "cursor": "x", "has_more": true}') is None


def test_the_clients_session_gets_pages_in_zstd(server: RunningServer) -> None:
    """The client's own HTTP session offers zstd (its backports.zstd dependency), so the server
    sends snapshot pages in zstd, its first choice, and the client reads them as JSON."""
    session = login(HttpClient(server.url, timeout=30), HEAD, DEMO_PASSWORD,
                    device_id="zstd-" + uuid.uuid4().hex[:8], tokens=TokenStore(MemoryKeyring()))
    response = session.request("GET", CHANGES_PATH, params={"limit": 50})
    assert response.headers["Content-Encoding"] == "zstd"
    page = json.loads(response.content)
    assert len(page["upserts"]) > LIMIT and page["has_more"] is False
