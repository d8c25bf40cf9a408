"""zstd or gzip for JSON answers, for clients that accept it (a snapshot page of 1,000
dossiers: ~4 MB -> ~310 KB with zstd, ~375 KB with gzip).

``CompressJsonMiddleware`` compresses a response only when all of these hold:
- the request's ``Accept-Encoding`` accepts ``zstd`` or ``gzip`` (q > 0; ``*`` counts,
  ``gzip;q=0`` refuses; see :func:`choose_encoding` for which of the two);
- the answer is ``application/json`` (JSON compresses ~11x; documents are PDFs and scans that
  are compressed already), has no ``Content-Encoding`` yet and no ``Cache-Control:
  no-transform`` (set by document downloads, whose bytes, ``Range`` offsets, ``Content-Length``
  and ``ETag`` must stay those of the stored file, whatever their MIME type);
- the body arrives in one piece (``Response``, not ``StreamingResponse``) of at least
  ``minimum_size`` bytes: small answers (the no-change sync page is ~70 bytes) would only grow.

Every JSON answer gets ``Vary: Accept-Encoding`` so a cache between client and server keeps the
forms apart. Bodies over ``_INLINE_MAX`` are compressed on a worker thread (zstd and zlib
release the GIL), never on the event loop, which also serves the long-polls that deliver
recalls.

Why zstd first: on the 2-core machine that runs a first sync's server and client together,
CPU is what a first sync waits for. zstd level 3 packs a 4.1 MB snapshot page in ~9 ms against
~32 ms for gzip -6 (zlib-ng), 17 % smaller, and the client unpacks it in ~5 instead of ~10 ms:
about 0.3 CPU-s less per 10,000 dossiers, and 0.6 MB less on the line. Python 3.14 ships it
(``compression.zstd``); before that ``backports.zstd`` is a dependency of the server and of the
client, whose ``requests`` (urllib3) then offers and decodes ``zstd`` by itself. A client that
does not offer it still gets gzip.

gzip's deflate comes from zlib-ng when installed (``zlib_ng``, a server dependency): the same
gzip format and, at level 6, the same size within 1 % in about half the CPU of zlib. Without
it, the standard library's zlib.
"""

from __future__ import annotations

import zlib
from types import ModuleType

import anyio.to_thread
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CODINGS", "CompressJsonMiddleware", "choose_encoding", "gzip_bytes", "zstd_bytes"]


def _zstd() -> ModuleType | None:
    try:
        from compression import zstd  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        try:
            from backports import zstd  # type: ignore[no-redef,unused-ignore]
        except ImportError:  # pragma: no cover - a dependency before 3.14; gzip is left
            return None
    module: ModuleType = zstd
    return module


def _deflater() -> ModuleType:
    try:
        from zlib_ng import zlib_ng
    except ImportError:  # pragma: no cover - zlib-ng is a dependency; the fallback is plain zlib
        return zlib
    return zlib_ng


_ZLIB = _deflater()  # zlib_ng or zlib: the same API and the same gzip output format
_ZSTD = _zstd()
_INLINE_MAX = 64 * 1024  # below this, compressing (< 1 ms) costs less than a thread hop
ZSTD_LEVEL = 3  # zstd's default: level 1 is as fast here and 1 % larger
#: What this server can send, most preferred first.
CODINGS: tuple[str, ...] = ("zstd", "gzip") if _ZSTD is not None else ("gzip",)
_ALIASES = {"x-gzip": "gzip"}


def _q_values(accept_encoding: str) -> dict[str, float]:
    """``{coding: q}`` of an ``Accept-Encoding`` value (lower case; the first mention of a
    coding counts; a q that is not a number refuses)."""
    found: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, _, params = item.strip().partition(";")
        coding = coding.strip().lower()
        coding = _ALIASES.get(coding, coding)
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if coding:
            found.setdefault(coding, q)
    return found


def choose_encoding(accept_encoding: str, codings: tuple[str, ...] = CODINGS) -> str | None:
    """The content coding to send for an ``Accept-Encoding`` value, or ``None`` (send the body
    as it is). RFC 9110 12.5.3: q=0 means "not", ``*`` stands for every coding not named; of
    the acceptable ``codings``, the highest q wins, then this server's order (zstd first)."""
    q = _q_values(accept_encoding)
    star = q.get("*", 0.0)
    best: tuple[float, int, str] | None = None
    for rank, coding in enumerate(codings):
        value = q.get(coding, star)
        if value > 0 and (best is None or (value, -rank) > best[:2]):
            best = (value, -rank, coding)
    return best[2] if best is not None else None


def gzip_bytes(body: bytes, level: int) -> bytes:
    """A gzip member of ``body`` (no file name, mtime 0: the same input gives the same bytes)."""
    packer = _ZLIB.compressobj(level, _ZLIB.DEFLATED, 31)  # wbits 16+15: gzip framing
    packed: bytes = packer.compress(body) + packer.flush()
    return packed


def zstd_bytes(body: bytes, level: int = ZSTD_LEVEL) -> bytes:
    """One zstd frame of ``body``, its size in the header (the same input gives the same
    bytes)."""
    if _ZSTD is None:  # pragma: no cover - CODINGS never offers it then
        raise RuntimeError("no zstd module")
    packed: bytes = _ZSTD.compress(body, level=level)
    return packed


def _compress(body: bytes, coding: str, gzip_level: int) -> bytes:
    return zstd_bytes(body) if coding == "zstd" else gzip_bytes(body, gzip_level)


class CompressJsonMiddleware:
    """ASGI middleware: zstd or gzip JSON answers (see the module docstring for which)."""

    def __init__(self, app: ASGIApp, *, minimum_size: int = 1024, level: int = 6) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self.level = level

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        coding = choose_encoding(Headers(scope=scope).get("accept-encoding", ""))
        start: Message | None = None

        async def send_compressed(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message  # held until the first body part shows the whole answer
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            held, start = start, None
            headers = MutableHeaders(raw=held["headers"])
            media = headers.get("content-type", "").split(";")[0].strip().lower()
            if media != "application/json" or "no-transform" in \
                    headers.get("cache-control", "").lower():
                await send(held)
                await send(message)
                return
            headers.add_vary_header("Accept-Encoding")
            body: bytes = message.get("body", b"")
            if (coding is not None and not message.get("more_body", False)
                    and "content-encoding" not in headers and len(body) >= self.minimum_size):
                if len(body) > _INLINE_MAX:
                    body = await anyio.to_thread.run_sync(_compress, body, coding, self.level)
                else:
                    body = _compress(body, coding, self.level)
                headers["Content-Encoding"] = coding
                headers["Content-Length"] = str(len(body))
                message = {**message, "body": body}
            await send(held)
            await send(message)

        await self.app(scope, receive, send_compressed)
