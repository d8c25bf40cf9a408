"""A throttling TCP proxy on loopback: a home line or a 4G link between client and server.

Why a proxy: ``tc netem`` is not available on these machines (``ip netns add`` works as root,
but the kernel has no netem qdisc), and loopback alone hides what the sync costs on a real
line. The proxy listens on 127.0.0.1, forwards to the server, and delays every byte as a
link would, separately in each direction:

- **bandwidth**: segments of ``MSS`` bytes are serialised one after the other at ``rate``;
- **latency**: each segment arrives ``rtt / 2`` after it left; a new connection pays one
  round trip (the TCP handshake) before its first byte reaches the server;
- **congestion window** (TCP Reno-like): at most ``cwnd`` bytes in flight, ``cwnd`` starting at
  10 segments, doubling per round trip in slow start, +1 segment per round trip after a loss;
- **loss**: each segment is lost with probability ``loss``; it is resent after one round trip
  (fast retransmit), or after a 200 ms retransmission timeout when too few segments follow it
  to trigger fast retransmit (the tail of an answer); everything behind it waits (in-order
  delivery) and ``cwnd`` halves.

Not modelled: jitter, reordering, the receiver's window, idle-restart of ``cwnd``, ACK
traffic. Bytes are counted per direction as TCP payload (HTTP headers included, TCP/IP headers
excluded).

Use from a benchmark: ``with ShapedLink(target_port, PROFILES["home-20"]) as link: ...`` starts
the proxy in its own process (its timers must not wait for the client's GIL) and
``link.counters()`` reads the bytes so far. Or alone, in front of a server:

    .venv/bin/python bench/netshape.py --target-port 8765 --profile home-20 --port 9000

Without ``--target-port`` it calibrates itself and prints JSON: through each profile, the round
trip of a 1-byte ping-pong and the time of a 2 MiB download from a loopback server (what the
line should give: RTT, and 2 MiB at the rate plus slow start).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import random
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from proxyproc import ProxyProcess  # noqa: E402

MSS = 1448  # Ethernet MTU 1500 - IP/TCP headers with timestamps
INITIAL_WINDOW = 10 * MSS  # RFC 6928
MIN_RTO = 0.2  # Linux's minimum retransmission timeout


@dataclass(frozen=True)
class Profile:
    name: str
    rate_mbit: float  # per direction; 0: unlimited (only counts bytes)
    rtt_ms: float
    loss: float  # per segment, per direction


PROFILES = {
    "loopback": Profile("loopback", 0, 0, 0),
    "home-20": Profile("home-20", 20, 40, 0),
    "4g": Profile("4g", 5, 80, 0.01),
}


class Link:
    """One direction of the line: when each segment written now reaches the other end."""

    def __init__(self, profile: Profile, rng: random.Random, start: float) -> None:
        self.seconds_per_byte = 8 / (profile.rate_mbit * 1e6) if profile.rate_mbit else 0.0
        self.rtt = profile.rtt_ms / 1000
        self.loss = profile.loss
        self.rng = rng
        self.free_at = start  # when the bottleneck can start serialising the next segment
        self.last_arrival = start  # in-order delivery: nothing arrives before its predecessor
        self.cwnd = float(INITIAL_WINDOW)
        self.ssthresh = float("inf")
        self.in_flight: collections.deque[tuple[float, int]] = collections.deque()  # (acked at, size)
        self.flight_bytes = 0
        self.recovering_until = 0.0  # one window halving per round trip of losses
        self.bytes = 0
        self.segments = 0
        self.losses = 0

    def _ack_until(self, t: float) -> None:
        while self.in_flight and self.in_flight[0][0] <= t:
            _, size = self.in_flight.popleft()
            self.flight_bytes -= size
            if self.cwnd < self.ssthresh:
                self.cwnd += size  # slow start
            else:
                self.cwnd += MSS * size / self.cwnd  # congestion avoidance

    def schedule(self, data: bytes, now: float) -> list[tuple[float, bytes]]:
        """``[(arrival time, segment)]`` for ``data`` handed to the sender at ``now``."""
        self.bytes += len(data)
        out: list[tuple[float, bytes]] = []
        count = (len(data) + MSS - 1) // MSS
        for i in range(count):
            segment = data[i * MSS:(i + 1) * MSS]
            t = max(now, self.free_at)
            if self.rtt:
                self._ack_until(t)
                while self.in_flight and self.flight_bytes + len(segment) > self.cwnd:
                    t = max(t, self.in_flight[0][0])  # the window is full: wait for an ACK
                    self._ack_until(t)
            done = t + len(segment) * self.seconds_per_byte
            self.free_at = done
            arrival = done + self.rtt / 2
            acked = done + self.rtt
            self.segments += 1
            if self.loss and self.rng.random() < self.loss:
                self.losses += 1
                tail = count - i <= 3  # too few segments after it for three duplicate ACKs
                stall = max(MIN_RTO, 2 * self.rtt) if tail else self.rtt
                arrival += stall + len(segment) * self.seconds_per_byte
                acked += stall
                if t >= self.recovering_until:
                    self.ssthresh = self.cwnd = max(self.cwnd / 2, 2 * MSS)
                    self.recovering_until = t + self.rtt
            self.in_flight.append((acked, len(segment)))
            self.flight_bytes += len(segment)
            self.last_arrival = arrival = max(arrival, self.last_arrival)
            out.append((arrival, segment))
        return out


class Proxy:
    def __init__(self, profile: Profile, target_port: int, seed: int = 1) -> None:
        self.profile = profile
        self.target_port = target_port
        self.rng = random.Random(seed)
        self.links: list[tuple[Link, Link]] = []

    def counters(self) -> dict[str, Any]:
        up = sum(u.bytes for u, _ in self.links)
        down = sum(d.bytes for _, d in self.links)
        return {"profile": asdict(self.profile), "connections": len(self.links),
                "bytes_up": up, "bytes_down": down,
                "segments": sum(u.segments + d.segments for u, d in self.links),
                "losses": sum(u.losses + d.losses for u, d in self.links)}

    async def handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_w.close()
            return
        now = loop.time()
        up = Link(self.profile, self.rng, now + self.profile.rtt_ms / 1000)  # the handshake
        down = Link(self.profile, self.rng, now)
        self.links.append((up, down))
        try:
            await asyncio.gather(self._pipe(client_r, server_w, up),
                                 self._pipe(server_r, client_w, down), return_exceptions=True)
        except asyncio.CancelledError:
            pass  # the proxy is stopping with this connection still open (keep-alive)
        finally:
            for w in (client_w, server_w):
                w.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    link: Link) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes | None]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                arrival, data = await queue.get()
                delay = arrival - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                if data is None:
                    with contextlib.suppress(OSError):
                        writer.write_eof()
                    return
                parts = [data]
                while not queue.empty():  # everything else due by now goes in one write
                    nxt = queue._queue[0]  # type: ignore[attr-defined]
                    if nxt[0] > loop.time() or nxt[1] is None:
                        break
                    parts.append(queue.get_nowait()[1] or b"")
                writer.write(b"".join(parts))
                await writer.drain()

        task = asyncio.create_task(deliver())
        try:
            while True:
                data = await reader.read(256 * 1024)
                if not data:
                    break
                for item in link.schedule(data, loop.time()):
                    queue.put_nowait(item)
        except OSError:
            pass
        queue.put_nowait((link.last_arrival, None))
        with contextlib.suppress(OSError):
            await task


async def _serve(profile: Profile, target_port: int, port: int, seed: int) -> None:
    proxy = Proxy(profile, target_port, seed)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", port)
    sockname = server.sockets[0].getsockname()
    print(json.dumps({"port": sockname[1]}), flush=True)
    loop = asyncio.get_running_loop()
    stdin = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
    async with server:
        while True:  # one command a line: "counters" answers them; EOF or "quit" stops
            line = (await stdin.readline()).decode().strip()
            if line == "counters":
                print(json.dumps(proxy.counters()), flush=True)
            elif line in ("", "quit"):
                return


class ShapedLink(ProxyProcess):
    """The proxy in its own process; ``url`` goes through it to ``127.0.0.1:target_port``."""

    def __init__(self, target_port: int, profile: Profile, seed: int = 1) -> None:
        super().__init__(str(Path(__file__).resolve()), [
            "--target-port", str(target_port), "--rate-mbit", str(profile.rate_mbit),
            "--rtt-ms", str(profile.rtt_ms), "--loss", str(profile.loss),
            "--name", profile.name, "--seed", str(seed)])


def _calibrate() -> dict[str, Any]:
    """Ping-pong RTT and a 2 MiB download through each profile, against a loopback server."""
    import socket
    import threading
    import time

    size = 2 * 1024 * 1024
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                while True:
                    ask = conn.recv(1)
                    if not ask:
                        break
                    conn.sendall(b"p" if ask == b"p" else b"x" * size)

    threading.Thread(target=serve, daemon=True).start()
    out = {}
    try:
        for name, profile in PROFILES.items():
            with ShapedLink(port, profile) as link, \
                    socket.create_connection(("127.0.0.1", link.port)) as sock:
                rtts = []
                for _ in range(5):
                    started = time.perf_counter()
                    sock.sendall(b"p")
                    sock.recv(1)
                    rtts.append(time.perf_counter() - started)
                started = time.perf_counter()
                sock.sendall(b"d")
                got = 0
                while got < size:
                    got += len(sock.recv(1 << 20))
                seconds = time.perf_counter() - started
                out[name] = {"rate_mbit": profile.rate_mbit, "rtt_ms": profile.rtt_ms,
                             "loss": profile.loss,
                             "measured_rtt_ms": round(sorted(rtts)[2] * 1000, 1),
                             "download_2mib_s": round(seconds, 3),
                             "measured_mbit": round(size * 8 / seconds / 1e6, 2),
                             "segments_lost": link.counters()["losses"]}
    finally:
        listener.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--target-port", type=int,
                        help="the server's port on 127.0.0.1 (absent: calibrate and exit)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--profile", choices=sorted(PROFILES))
    parser.add_argument("--rate-mbit", type=float, default=0)
    parser.add_argument("--rtt-ms", type=float, default=0)
    parser.add_argument("--loss", type=float, default=0)
    parser.add_argument("--name", default="custom")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.target_port is None:
        print(json.dumps(_calibrate()))
        return 0
    profile = PROFILES[args.profile] if args.profile else \
        Profile(args.name, args.rate_mbit, args.rtt_ms, args.loss)
    asyncio.run(_serve(profile, args.target_port, args.port, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
