"""gzip for JSON answers, for clients that accept it (a snapshot page: 2.0 MB -> ~190 KB).

``CompressJsonMiddleware`` compresses a response only when all of these hold:
- the request's ``Accept-Encoding`` accepts ``gzip`` (q > 0; ``*`` counts, ``gzip;q=0`` refuses);
- the answer is ``application/json`` (JSON compresses ~11x; documents are PDFs and scans that
  are compressed already), has no ``Content-Encoding`` yet and no ``Cache-Control:
  no-transform`` (set by document downloads, whose bytes, ``Range`` offsets, ``Content-Length``
  and ``ETag`` must stay those of the stored file, whatever their MIME type);
- the body arrives in one piece (``Response``, not ``StreamingResponse``) of at least
  ``minimum_size`` bytes: small answers (the no-change sync page is ~70 bytes) would only grow.

Every JSON answer gets ``Vary: Accept-Encoding`` so a cache between client and server keeps the
two forms apart. Bodies over ``_INLINE_MAX`` are compressed on a worker thread (zlib releases
the GIL), never on the event loop, which also serves the long-polls that deliver recalls.

Why gzip only: Python 3.11 ships neither zstd nor brotli; both would be an extra binary package
on the server AND every client for a modest gain over gzip -6 (the sync's cost on a slow line is
the bytes, and gzip already removes ~90 % of them). ``requests`` decodes gzip natively.

The deflate itself comes from zlib-ng when installed (``zlib_ng``, a server dependency): the same
gzip format and, at level 6, the same size within 1 % in about half the CPU (a 4.1 MB snapshot
page: 56 ms with zlib, 26 ms with zlib-ng) - compression was half the server's CPU of a
first sync. Without it, the standard library's zlib.
"""

from __future__ import annotations

import zlib
from types import ModuleType

import anyio.to_thread
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CompressJsonMiddleware", "accepts_gzip", "gzip_bytes"]

def _deflater() -> ModuleType:
    try:
        from zlib_ng import zlib_ng
    except ImportError:  # pragma: no cover - zlib-ng is a dependency; the fallback is plain zlib
        return zlib
    return zlib_ng


_ZLIB = _deflater()  # zlib_ng or zlib: the same API and the same gzip output format
_INLINE_MAX = 64 * 1024  # below this, compressing (< 1 ms) costs less than a thread hop


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` value allows gzip (RFC 9110 12.5.3: q=0 means "not")."""
    star: bool | None = None
    for item in accept_encoding.split(","):
        coding, _, params = item.strip().partition(";")
        coding = coding.strip().lower()
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if coding in ("gzip", "x-gzip"):
            return q > 0
        if coding == "*":
            star = q > 0
    return bool(star)


def gzip_bytes(body: bytes, level: int) -> bytes:
    """A gzip member of ``body`` (no file name, mtime 0: the same input gives the same bytes)."""
    packer = _ZLIB.compressobj(level, _ZLIB.DEFLATED, 31)  # wbits 16+15: gzip framing
    packed: bytes = packer.compress(body) + packer.flush()
    return packed


class CompressJsonMiddleware:
    """ASGI middleware: gzip JSON answers (see the module docstring for exactly which)."""

    def __init__(self, app: ASGIApp, *, minimum_size: int = 1024, level: int = 6) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self.level = level

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gzip_ok = accepts_gzip(Headers(scope=scope).get("accept-encoding", ""))
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
            if (gzip_ok and not message.get("more_body", False)
                    and "content-encoding" not in headers and len(body) >= self.minimum_size):
                if len(body) > _INLINE_MAX:
                    body = await anyio.to_thread.run_sync(gzip_bytes, body, self.level)
                else:
                    body = gzip_bytes(body, self.level)
                headers["Content-Encoding"] = "gzip"
                headers["Content-Length"] = str(len(body))
                message = {**message, "body": body}
            await send(held)
            await send(message)

        await self.app(scope, receive, send_compressed)
