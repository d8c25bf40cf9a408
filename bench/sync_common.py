"""Shared set-up of the sync benchmarks: a seeded reference server on loopback (every dossier in
one department, so its head's scope holds them all), a logged-in ``AuthSession`` whose refresh
token lives in memory (no OS keyring needed) and a fresh encrypted cache with a random key."""

from __future__ import annotations

import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from onestop_server import db  # noqa: E402
from onestop_server.clock import Clock  # noqa: E402
from onestop_server.seed import seed_database  # noqa: E402
from tests.support.server import RunningServer, free_port, start_server  # noqa: E402
from wfh_client.memory_keyring import MemoryKeyring  # noqa: E402
from wfh_client.store import Cache, account_paths  # noqa: E402
from wfh_client.store.connection import connect  # noqa: E402
from wfh_client.sync.auth import AuthSession, TokenStore, login  # noqa: E402
from wfh_client.sync.engine import CHANGES_PATH, DEFAULT_PAGE_LIMIT, SyncEngine  # noqa: E402, F401
from wfh_client.sync.http import HttpClient  # noqa: E402
from wfh_client.sync.pages import orjson  # noqa: E402

DEPARTMENT = "stnmt"
HEAD = "truongphong.tnmt"
PASSWORD = "demo"


class ServerProcess:
    """``python -m onestop_server serve`` in its own process (like the real, remote server:
    it does not share the client's GIL), on a free loopback port."""

    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "onestop_server", "serve", "--db", str(root / "server.db"),
             "--blobs", str(root / "blobs"), "--port", str(self.port), "--log-level", "warning"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the reference server did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def seeded_server(root: Path, dossiers: int, *,
                  process: bool = False) -> tuple[RunningServer | ServerProcess, int]:
    """A server whose department ``DEPARTMENT`` holds at least ``dossiers`` dossiers in scope
    (withdrawn ones are out of scope, so a few percent more are seeded). Returns the server
    (in a thread of this process, or with ``process=True`` in its own process) and the number
    of dossiers in the head's scope."""
    engine = db.make_engine(db.sqlite_url(str(root / "server.db")))
    try:
        seed_database(engine, root / "blobs", dossiers=int(dossiers * 1.05) + 10, seed=1,
                      only_department=DEPARTMENT)
        with engine.connect() as conn:
            in_scope = int(conn.exec_driver_sql(
                "SELECT count(*) FROM dossiers WHERE department_id = ? AND status != 7",
                (DEPARTMENT,)).scalar_one())
    finally:
        engine.dispose()
    if process:
        return ServerProcess(root), in_scope
    return start_server(root / "server.db", root / "blobs", clock=Clock()), in_scope


# One device per benchmark process: a run signs in again and again, and the server caps the
# devices of an account (issue 10.5: the sixth new device is refused with auth.device_limit).
_DEVICE_ID = "bench-" + secrets.token_hex(4)


def session_for(server: RunningServer | ServerProcess, username: str = HEAD) -> AuthSession:
    return login(HttpClient(server.url, timeout=120), username, PASSWORD,
                 device_id=_DEVICE_ID, tokens=TokenStore(MemoryKeyring()))


def fresh_cache(root: Path) -> Cache:
    return Cache(account_paths("bench" + secrets.token_hex(4), root), key=secrets.token_bytes(32))


def engine_for(session: Any, cache: Cache, page_limit: int = DEFAULT_PAGE_LIMIT) -> SyncEngine:
    return SyncEngine(session, cache, page_limit=page_limit, prefetch_max_bytes=0)


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def load_average() -> list[float]:
    """The machine's 1, 5 and 15-minute load averages (2 cores: above ~1 the figures suffer)."""
    return [round(x, 2) for x in os.getloadavg()]


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU time of a process (default: this one), from /proc."""
    if pid is None:
        return time.process_time()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fetch_pages(session: Any, page_limit: int = DEFAULT_PAGE_LIMIT) -> list[bytes]:
    """Every snapshot page's JSON body (decoded from zstd by requests), as the client gets it."""
    bodies: list[bytes] = []
    params: dict[str, Any] = {"limit": page_limit}
    while True:
        body = session.request("GET", CHANGES_PATH, params=params).content
        bodies.append(body)
        page = json.loads(body)
        if not page["has_more"]:
            return bodies
        params["cursor"] = page["cursor"]


def measure_floor(root: Path, bodies: list[bytes]) -> dict[str, float]:
    """The least any client must do with a snapshot: parse every page (with the client's
    parser: orjson when installed, else ``json.loads``), and store each
    dossier's JSON under its id in ONE transaction of a fresh SQLCipher database opened like
    the cache (same driver, key, page cipher, WAL). Seconds of each half and their sum.

    A page at a time, as a client would: each page's objects are dropped once its rows'
    texts are made (not timed), so the parse does not pay for a heap that holds the whole
    snapshot (at 10,000 dossiers, keeping every page made it ~40 % slower: the garbage
    collector walked a growing heap; the floor was that much easier to beat)."""
    loads = orjson.loads if orjson is not None else json.loads  # the client's parser
    parse = 0.0
    rows: list[tuple[str, str]] = []
    for body in bodies:
        started = time.perf_counter()
        page = loads(body)
        parse += time.perf_counter() - started
        rows += [(d["id"], json.dumps(d, ensure_ascii=False, separators=(",", ":")))
                 for d in page["upserts"]]
        del page
    path = root / f"floor-{secrets.token_hex(4)}.db"
    db = connect(path, secrets.token_bytes(32))
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE floor (id TEXT PRIMARY KEY, data TEXT NOT NULL)")
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.conn.executemany("INSERT INTO floor (id, data) VALUES (?, ?)", rows)
        db.execute("COMMIT")
        store = time.perf_counter() - started
    finally:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    return {"parse_seconds": parse, "store_seconds": store, "floor_seconds": parse + store}
