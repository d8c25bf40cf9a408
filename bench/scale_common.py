"""Shared pieces of the server-at-scale benchmarks (recall_workers, snapshot_databases,
first_syncs): a throwaway PostgreSQL database, tokens issued straight into the database (2,000
argon2 logins would cost ~500 CPU-seconds of setup), the server's RSS over its worker
processes, and the machine's load (the benchmarks share 2 cores with whatever else runs)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from onestop_server import db  # noqa: E402
from tests.support.databases import PostgresDatabases  # noqa: E402
from tests.support.pgcluster import temp_cluster  # noqa: E402


def machine() -> dict[str, Any]:
    """Cores and load averages (1, 5, 15 min) now."""
    return {"cpus": os.cpu_count(), "loadavg": [round(x, 2) for x in os.getloadavg()]}


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on a private cluster; its URL."""
    with temp_cluster(max_connections=300) as admin:
        dbs = PostgresDatabases(admin)
        try:
            yield dbs.create()
        finally:
            dbs.close()


def issue_tokens(url: str, usernames: list[str], device: str = "bench") -> dict[str, tuple[str, int]]:
    """username -> (access token, user id), valid for a day, on a new device each."""
    engine = db.make_engine(url)
    now = datetime.now(UTC)
    out: dict[str, tuple[str, int]] = {}
    try:
        with engine.begin() as conn:
            users = dict(conn.execute(
                select(db.users.c.username, db.users.c.id).where(db.users.c.username.in_(usernames))
            ).all())
            for name in usernames:
                uid = int(users[name])
                device = conn.execute(insert(db.devices).values(
                    device_id=f"{device}-{name}", user_id=uid, name=device, created_at=now,
                ).returning(db.devices.c.id)).scalar_one()
                token = secrets.token_urlsafe(32)
                conn.execute(insert(db.access_tokens).values(
                    token_hash=hashlib.sha256(token.encode()).hexdigest(), family_id=secrets.token_hex(16),
                    device_pk=device, user_id=uid, expires_at=now + timedelta(days=1),
                ))
                out[name] = (token, uid)
    finally:
        engine.dispose()
    return out


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                kids.append(int(entry.name))
    return kids


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def tree_rss_mb(pid: int) -> dict[str, float]:
    """RSS of a server process and its worker children (uvicorn's supervisor + workers)."""
    pids = [pid, *_children(pid)]
    per = {str(p): round(rss_mb(p), 1) for p in pids if Path(f"/proc/{p}").exists()}
    return {"total": round(sum(per.values()), 1), **per}


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


class RawClient:
    """A minimal keep-alive HTTP/1.1 GET client on asyncio streams: many clients share this
    process and the machine's cores with the server, so the client's own cost stays small."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port, self.token = host, port, token
        self.reader: Any = None
        self.writer: Any = None

    async def get(self, path: str) -> bytes:
        import asyncio

        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n"
            f"Authorization: Bearer {self.token}\r\n\r\n".encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(head.split(b"\r\n")[0].decode())
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        body: bytes = await self.reader.readexactly(length)
        return body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def page_tail(body: bytes) -> tuple[str, bool, int | None]:
    """(cursor, has_more, total) from the end of a /sync/changes page without parsing it all:
    the page ends with ``"cursor":"…","has_more":…[,"total":N]}``."""
    import json

    at = body.rfind(b'],"cursor":')
    tail = json.loads(b"{" + body[at + 2:])
    return str(tail["cursor"]), bool(tail["has_more"]), tail.get("total")
