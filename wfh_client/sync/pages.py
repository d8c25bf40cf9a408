"""Reading the change log's pages one ahead: the next page travels while this one is parsed.

A pull is a chain of requests, each needing the cursor of the previous answer. Waiting for each
answer before working on the previous one leaves the client idle while the server builds and
compresses a page and while the page crosses the line (on a 20 Mbit/s home line ~190 KB
compressed: ~80 ms, plus a round trip). :class:`PageReader` runs the requests on one thread of
its own: as soon as a body has arrived it reads ``cursor`` and ``has_more`` from the body's tail
(the server writes them last, after the dossiers) and asks for the next page, then hands the
body over. The caller parses it (:func:`parse_page`) and checks that the cursor it finds is
the one the reader followed; if not (a server writing another layout), the read-ahead is
dropped and reading restarts from the parsed cursor - a wasted request, never a wrong page.

At most one page is read ahead (bounded memory: one body waiting, one in flight). Errors of a
request (``ResyncRequired``, network failures...) reach the caller at the page they concern,
in order. Nothing here writes to the cache: pages are committed by the engine, in order, with
their cursor, so a crash still resumes from the last committed page.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import json
import re
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from wfh_client.store.dossiers import DecodedBatch, decode_batch
from wfh_client.store.dossiers import scratch_connection as _scratch
from wfh_client.sync.errors import ApiError
from wfh_client.threadpriority import PIPELINE_NICE, lower_current_thread

orjson: Any
try:  # three times faster at parsing a 2 MB page; the standard library gives the same result
    import orjson
except ImportError:  # pragma: no cover - a build without it parses with json
    orjson = None

__all__ = ["Fetch", "Page", "PageReader", "RawDocs", "decode_page", "parse_page",
           "snapshot_total", "tail_cursor"]

#: ``cursor -> (body, headers)``: one GET of the change log (``cursor`` None: a new snapshot).
Fetch = Callable[[str | None], tuple[bytes, Mapping[str, str]]]
#: The documents' JSON text as received (see :func:`parse_page`): each document's text, or the
#: whole page's strict JSON, UTF-8 bytes as received (the documents at ``$.upserts``), the
#: documents as :func:`decode_page` read them, or None.
RawDocs = list[str] | bytes | DecodedBatch | None
#: ``(page, raw, headers)``: the parsed page, its documents' JSON text and the answer's headers.
Page = tuple[dict[str, Any], RawDocs, Mapping[str, str]]

_TAIL = re.compile(rb'"cursor":"([A-Za-z0-9_-]{1,300})","has_more":(true|false)')
_TAIL_WINDOW = 1024  # the cursor, has_more and total are within the last few hundred bytes


def tail_cursor(body: bytes) -> tuple[str, bool] | None:
    """``(cursor, has_more)`` read from the end of a page as the server writes it, or None.

    Only a key can hold an unescaped ``"cursor":"`` (quotes inside JSON strings are escaped),
    and the last match is taken; the caller still checks it against the parsed page."""
    matches = list(_TAIL.finditer(body, max(0, len(body) - _TAIL_WINDOW)))
    if not matches:
        return None
    last = matches[-1]
    return last.group(1).decode("ascii"), last.group(2) == b"true"


_TOTAL = re.compile(rb'"has_more":true,"total":([0-9]{1,12})}\s*$')


def snapshot_total(body: bytes) -> int | None:
    """A snapshot page's ``total`` (the dossiers of the whole snapshot), read from the end of
    the page as the server writes it, when more pages follow; None otherwise (the last page,
    a page of changes, another layout). An estimate only: it decides page sizes, nothing
    the cache keeps."""
    match = _TOTAL.search(body, max(0, len(body) - 64))
    return int(match.group(1)) if match else None


_DECODER = json.JSONDecoder()
_PAGE_START = '{"upserts":['


def parse_page(body: bytes) -> tuple[dict[str, Any], RawDocs]:
    """The page as a dict, plus each upsert's exact JSON text when the page has the server's
    compact shape (``{"upserts":[doc,doc,...],...}``, documents concatenated as stored); the
    text is then stored as is instead of being serialised again. Anything else: plain JSON.

    With ``orjson`` installed, a strict JSON page (what the server sends) is parsed by it and
    the raw text returned is the whole page's (its documents at ``$.upserts``: SQLite reads
    them from there; ~0.7 s less per 10,000 dossiers than splitting the text in Python), as the
    bytes received - orjson has checked they are UTF-8, and decoding them to a Python string
    only for SQLite to encode it back cost 0.18 s of GIL per 10,000 dossiers; a page it
    refuses (NaN, integers beyond 64 bits) takes the standard library's path below."""
    if orjson is not None:
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError:
            parsed = None
        if isinstance(parsed, dict):
            docs = parsed.get("upserts")
            if isinstance(docs, list) and all(isinstance(d, dict) for d in docs):
                return parsed, bytes(body)
    text = body.decode("utf-8")
    try:
        if text.startswith(_PAGE_START):
            upserts: list[Any] = []
            raw: list[str] = []
            at = len(_PAGE_START)
            if text[at] == "]":
                at += 1
            else:
                while True:
                    doc, end = _DECODER.raw_decode(text, at)
                    upserts.append(doc)
                    raw.append(text[at:end])
                    at = end + 1
                    if text[end] == "]":
                        break
                    if text[end] != ",":
                        raise ValueError("unexpected page layout")
            rest = json.loads("{" + text[at + 1:]) if text[at] == "," else {}
            if isinstance(rest, dict) and "upserts" not in rest and \
                    all(isinstance(d, dict) for d in upserts):
                return {"upserts": upserts, **rest}, raw
    except (ValueError, IndexError):
        pass
    page = json.loads(text)
    if not isinstance(page, dict):
        raise ApiError(200, "sync.bad_page", "the change page is not a JSON object")
    return page, None


# The page parsed once into JSONB by SQLite (strict JSON only, as orjson would accept; the
# validity check reuses the parse), then read apart in a second statement: its documents'
# array and everything else as JSON text (the cursor, removals, total: small). In one
# statement, SQLite evaluated the parse again for each use of it (10,000 dossiers: ~25 ms).
_PARSE_PAGE = "SELECT CASE WHEN json_valid(CAST(:t AS TEXT), 1) THEN jsonb(CAST(:t AS TEXT)) END"
_SPLIT_PAGE = """
    SELECT json_type(:p), json_type(:p, '$.upserts'), jsonb_extract(:p, '$.upserts'),
           json_remove(:p, '$.upserts')"""
# A \uD800-\uDFFF escape: SQLite would store a lone surrogate as invalid UTF-8; the plain path
# refuses it (orjson) or fails the page, so such a page takes that path.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def decode_page(body: bytes) -> tuple[dict[str, Any], DecodedBatch] | None:
    """:func:`parse_page` for a snapshot page, without building its documents in Python.

    SQLite parses the page (C, without the GIL) and reads each document's id, version and
    searched values (``store.dossiers.decode_batch``); ``page["upserts"]`` are then
    :class:`~wfh_client.store.dossiers.BatchCopy` objects, parsed (the page's together, once)
    only if one is asked for more. A first sync never asks: its rows are built by SQL from the
    same JSONB.
    The page reader runs this on its own thread (at a lower priority), and folds the
    page's search text there too (``DecodedBatch.prepare``); orjson's parse on the sync thread
    was a third of a first sync.
    None (take :func:`parse_page`) for anything but the server's strict JSON, valid UTF-8
    page with a list of documents."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _SURROGATE_ESCAPE.search(body):
        return None
    conn = _scratch()
    parsed = conn.execute(_PARSE_PAGE, {"t": body}).fetchone()[0]
    if parsed is None:
        return None
    row = conn.execute(_SPLIT_PAGE, {"p": parsed}).fetchone()
    if row[0] != "object" or row[1] != "array":
        return None
    rest = json.loads(row[3])
    batch = decode_batch(row[2])
    if batch is None or not isinstance(rest, dict):
        return None
    return {"upserts": batch.copies, **rest}, batch


_Decoded = tuple[dict[str, Any], DecodedBatch] | None


def _decode_quietly(body: bytes) -> _Decoded:
    """:func:`decode_page`, None on any error: the caller's :func:`parse_page` reports it;
    the page's search text folded too (``DecodedBatch.prepare``), off the sync thread. A page
    that cannot be prepared (a version ``int()`` cannot read) is left unprepared: the sync
    thread's own ``prepare_copies`` refuses it again, and reports it."""
    try:
        decoded = decode_page(body)
    except Exception:  # noqa: BLE001
        return None
    if decoded is not None:
        with contextlib.suppress(Exception):
            decoded[1].prepare()
    return decoded


class PageReader:
    """Pages of one pull, in order, each requested as soon as its cursor is known.

    ``reader.next()`` returns the :data:`Page` at the current cursor;
    ``reader.restart(cursor)`` drops whatever was read ahead (after a resync). ``requests``
    counts the GETs sent, read-ahead included. Call ``close()`` when done (idempotent).

    ``decode_ahead`` (settable at any time; it applies to the answers that arrive after):
    each body is decoded with :func:`decode_page` as soon as it has arrived, on a decoding
    thread of the reader's (``PIPELINE_NICE``, see ``wfh_client.threadpriority``), while
    the next request travels; the caller gets a snapshot page already parsed and folded.
    Either way the pages are the same; only who parses them, and when, differs. (Decoding on the requesting thread delayed each next request by the decoding:
    a 10,000-dossier first sync's requests took 1.4 s, their decoding 0.45 s more.)"""

    def __init__(self, fetch: Fetch, cursor: str | None, *, decode_ahead: bool = False) -> None:
        self._fetch = fetch
        self.decode_ahead = decode_ahead
        self.requests = 0
        self._cond = threading.Condition()
        self._generation = 0  # bumped by restart(): answers of older chains are dropped
        self._chain_cursor = cursor  # what the reader asks for next
        self._chain_active = True  # False after the last page, an error or an unreadable tail
        self._ready: collections.deque[tuple[tuple[bytes, Mapping[str, str]] | BaseException,
                                             tuple[str, bool] | None,
                                             Future[_Decoded] | None]] = collections.deque()
        self._decoder: ThreadPoolExecutor | None = None  # created on the first decode
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="wfh-sync-pages", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                # One page waiting for the caller is enough: the next request starts when the
                # caller takes it, and travels while the caller works on it.
                while not self._closed and (not self._chain_active or self._ready):
                    self._cond.wait()
                if self._closed:
                    return
                generation, cursor = self._generation, self._chain_cursor
                self.requests += 1
            answer: tuple[bytes, Mapping[str, str]] | BaseException
            try:
                answer = self._fetch(cursor)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, in order
                answer = exc
            tail = None if isinstance(answer, BaseException) else tail_cursor(answer[0])
            with self._cond:
                if generation != self._generation:
                    continue  # restarted or closed meanwhile: this answer is obsolete
                decoded = None
                if self.decode_ahead and not isinstance(answer, BaseException):
                    if self._decoder is None:
                        self._decoder = ThreadPoolExecutor(
                            1, "wfh-sync-decode",
                            initializer=functools.partial(lower_current_thread, PIPELINE_NICE))
                    decoded = self._decoder.submit(_decode_quietly, answer[0])
                self._ready.append((answer, tail, decoded))
                if tail is None or not tail[1]:
                    self._chain_active = False
                else:
                    self._chain_cursor = tail[0]
                self._cond.notify_all()

    def next(self) -> Page:
        """The page at the current cursor; raises what its request raised."""
        with self._cond:
            while not self._ready:
                if not self._chain_active or self._closed:
                    raise RuntimeError("no page left to read")
                self._cond.wait()
            answer, tail, decoded = self._ready.popleft()
            self._cond.notify_all()  # room for the next read-ahead
        if isinstance(answer, BaseException):
            raise answer
        body, headers = answer
        ready = decoded.result() if decoded is not None else None
        page, raw = ready if ready is not None else parse_page(body)
        following = page.get("cursor")
        has_more = bool(page.get("has_more"))
        # The reader followed the tail; if the page says otherwise (another layout), start
        # again from the parsed cursor, or stop reading after the last page.
        if has_more:
            if tail != (following, True):
                self.restart(following if isinstance(following, str) else None)
        elif tail is not None and tail[1]:
            self._stop_chain()
        return page, raw, headers

    def restart(self, cursor: str | None) -> None:
        """Continue from ``cursor``, forgetting everything read ahead."""
        with self._cond:
            self._generation += 1
            self._ready.clear()
            self._chain_cursor = cursor
            self._chain_active = True
            self._cond.notify_all()

    def _stop_chain(self) -> None:
        with self._cond:
            self._generation += 1
            self._ready.clear()
            self._chain_active = False

    def close(self) -> None:
        """Stop the reader thread (a request in flight finishes on its own, unread)."""
        with self._cond:
            self._closed = True
            self._generation += 1
            self._ready.clear()
            decoder, self._decoder = self._decoder, None
            self._cond.notify_all()
        if decoder is not None:
            decoder.shutdown(wait=False, cancel_futures=True)
