"""A recording HTTP proxy for benchmarks: the client's cost without the server's.

On loopback the reference server runs on the same two cores as the client it serves, and a
first sync of 10,000 dossiers costs it 0.3-0.4 CPU-s (reading the payloads, compressing the
pages), a fifth of what the whole machine does meanwhile. A real server is remote: its work
does not slow the client down. ``ReplayServer`` sits between the two, in its own process:
the first time it sees a GET it forwards it to the server and keeps the answer (status,
headers and body exactly as sent, still compressed); every later identical GET (same path
and query; the token is not part of the key) is answered from that recording, without the
server. Everything else (the login's POST...) always goes to the server. So a benchmark
records once (a warm-up sync), then measures syncs whose answers cost only sending bytes
that are ready: the server's CPU is off the machine, the client does all its own work (HTTP,
decompression, parsing, storing).

``counters`` reports the GETs answered from the recording (``replayed``), those forwarded
(``forwarded``) and the bytes sent: a measured run that forwarded a GET was not a replay.

    ReplayServer(upstream_port) -> .url, .counters(), .close()
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from proxyproc import ProxyProcess  # noqa: E402

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
               "proxy-authenticate", "proxy-authorization", "content-length"}


class _State:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.lock = threading.Lock()
        self.recorded: dict[tuple[str, str], tuple[int, list[tuple[str, str]], bytes]] = {}
        self.counters = {"replayed": 0, "forwarded": 0, "bytes_sent": 0}


def _handler(state: _State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the client's pool expects

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
            pass

        def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
            conn = http.client.HTTPConnection("127.0.0.1", state.upstream_port, timeout=120)
            try:
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in _HOP_BY_HOP and k.lower() != "host"}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                answer = conn.getresponse()
                data = answer.read()  # still compressed: http.client does not decode
                kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in _HOP_BY_HOP]
                return answer.status, kept, data
            finally:
                conn.close()

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            key = (self.headers.get("Accept-Encoding", ""), self.path)
            answer = None
            if self.command == "GET":
                with state.lock:
                    answer = state.recorded.get(key)
                    if answer is not None:
                        state.counters["replayed"] += 1
            if answer is None:
                answer = self._forward(body)
                with state.lock:
                    state.counters["forwarded"] += 1
                    if self.command == "GET" and answer[0] == 200:
                        state.recorded[key] = answer
            status, headers, data = answer
            self.send_response(status)
            for name, value in headers:
                if name.lower() not in ("date", "server"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            with state.lock:
                state.counters["bytes_sent"] += len(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve  # noqa: N815

    return Handler


def _main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--upstream-port", type=int, required=True)
    args = parser.parse_args()
    state = _State(args.upstream_port)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"port": server.server_address[1]}), flush=True)
    for line in sys.stdin:  # one command a line: "counters" answers them; EOF stops
        if line.strip() == "counters":
            with state.lock:
                print(json.dumps(state.counters), flush=True)
    server.shutdown()
    return 0


class ReplayServer(ProxyProcess):
    """The recording proxy in its own process, in front of ``127.0.0.1:upstream_port``."""

    def __init__(self, upstream_port: int) -> None:
        super().__init__(str(Path(__file__).resolve()), ["--upstream-port", str(upstream_port)])


if __name__ == "__main__":
    sys.exit(_main())
