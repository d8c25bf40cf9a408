"""A throwaway PostgreSQL cluster for tests and benchmarks (Debian's ``postgresql`` package).

``temp_cluster()`` runs ``initdb`` in a fresh folder and starts ``postgres`` on a Unix socket in
that folder only (no TCP port, trust authentication, fsync off: it is thrown away), yields an
admin URL (``postgresql+psycopg://postgres@/postgres?host=<folder>``) and stops and deletes it
afterwards. PostgreSQL refuses to run as root, so as root the cluster belongs to the
``postgres`` account the package creates and its commands run through ``runuser``.

As a command it wraps another one, with ``ONESTOP_TEST_DATABASE_URL`` set (``make test``)::

    python -m tests.support.pgcluster -- python -m pytest tests/server
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ENV = "ONESTOP_TEST_DATABASE_URL"


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("pg_ctl")
    if which:
        return Path(which).resolve().parent
    raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@contextlib.contextmanager
def temp_cluster(max_connections: int = 200) -> Iterator[str]:
    """Start a private cluster; yields its admin SQLAlchemy URL."""
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="onestop-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
    root.chmod(0o700)
    log = root / "server.log"
    try:
        subprocess.run(
            _as_owner([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                       "--encoding=UTF8", "--locale=C.UTF-8"]),
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{root}' -c fsync=off "
            f"-c synchronous_commit=off -c full_page_writes=off -c max_connections={max_connections} "
            "-c shared_buffers=128MB"
        )
        subprocess.run(
            _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                       "-w", "-t", "60", "start"]),
            check=True, stdout=subprocess.DEVNULL,
        )
        try:
            yield f"postgresql+psycopg://postgres@/postgres?host={root}"
        finally:
            subprocess.run(
                _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print("usage: python -m tests.support.pgcluster -- COMMAND...", file=sys.stderr)
        return 2
    # A TERM (CI's time-out, a killed job) still stops the cluster: postgres runs in its own
    # session and would outlive this process otherwise.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with temp_cluster() as url:
        return subprocess.run(argv, env={**os.environ, ENV: url}, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
