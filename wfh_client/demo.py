"""Demo mode: the desktop app, signed in as a demo officer, against an embedded seeded server.

``make demo`` runs this. It is the only client module that imports ``onestop_server``: the demo
needs an embedded backend, the real client never does.

- The reference server is seeded on first run into ``./demo-data`` (``--dossiers``, ``--seed``;
  ``--reset`` seeds again) and runs in-process on 127.0.0.1 (``--port``, default 8765; ``0``
  for any free port) in a background thread. The port is bound with ``SO_REUSEADDR`` (a port
  left in TIME_WAIT by the previous run is free to use); a port another program listens on
  stops the demo with a clear message, it never moves silently elsewhere.
- On Linux, before anything is seeded, the Qt platform plugin is checked
  (:func:`wfh_client.ui.platform_check.platform_problem`): missing system libraries are named
  with the packages that provide them, instead of Qt's own abort.
- The client uses its own data dir ``./demo-data/client`` and a demo-only policy file
  (``./demo-data/client-policy.json``) that presets the server address.
- It signs in as ``--user`` (default ``cv.tnmt1``; e.g. ``truongphong.tnmt`` for a department
  head) with the demo password, through the real login dialog, and stores the session in the
  real OS keyring. Without a usable keyring (no Secret Service) the demo - and only the demo -
  falls back to an in-memory keyring and a plaintext cache (the policy flag
  ``allow_plaintext_cache`` is set in the demo policy), with a warning on the console.
- ``--server-only`` runs just the server and prints its address and the demo accounts.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wfh_client import __version__

DEFAULT_DIR = Path("demo-data")
DEFAULT_USER = "cv.tnmt1"
DEMO_PASSWORD = "demo"  # noqa: S105 - the seeded demo accounts' password (demo data only)


def prepare(data_dir: Path, *, dossiers: int, seed: int, reset: bool) -> tuple[Path, Path]:
    from onestop_server import db
    from onestop_server.seed import seed_database

    db_path, blobs = data_dir / "server.db", data_dir / "blobs"
    if reset and data_dir.exists():
        shutil.rmtree(data_dir)
    if not db_path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        print(f"Seeding a demo province with {dossiers} dossiers into {data_dir}/ ...", flush=True)
        engine = db.make_engine(db.sqlite_url(str(db_path)))
        try:
            seed_database(engine, blobs, dossiers=dossiers, seed=seed)
        finally:
            engine.dispose()
    return db_path, blobs


def demo_accounts(db_path: Path) -> list[dict[str, Any]]:
    from onestop_server import db
    from onestop_server.seed import accounts

    engine = db.make_engine(db.sqlite_url(str(db_path)))
    try:
        rows: list[dict[str, Any]] = accounts(engine)
        return rows
    finally:
        engine.dispose()


class PortInUse(RuntimeError):
    """Another program listens on the port asked for."""


def bind_port(wanted: int) -> socket.socket:
    """A listening socket on 127.0.0.1:``wanted`` (0: any free port), with ``SO_REUSEADDR``
    as every server sets it, so a port still in TIME_WAIT from the last run is reused.
    Raises :class:`PortInUse` when another program holds the port: the demo never moves to
    another one behind the user's back (a client configured for that port would miss it)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", wanted))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise PortInUse(f"Port {wanted} on 127.0.0.1 is in use by another program ({exc.strerror})."
                        " Stop it, or choose another port with --port (0: any free port).") from exc
    return sock


@dataclass
class EmbeddedServer:
    url: str
    server: Any  # uvicorn.Server
    thread: threading.Thread
    app: Any = None  # the FastAPI app

    def stop(self) -> None:
        # answer the waiting long-polls first: uvicorn would otherwise wait for them and then
        # cancel them, printing a CancelledError traceback on the way out
        hub = getattr(getattr(self.app, "state", None), "events", None)
        if hub is not None:
            hub.request_drain()
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_server(db_path: Path, blobs: Path, port: int) -> EmbeddedServer:
    """The reference server on 127.0.0.1:``port`` in a background thread (returns when up)."""
    import uvicorn

    from onestop_server import db
    from onestop_server.app import create_app

    app = create_app(database_url=db.sqlite_url(str(db_path)), blob_dir=blobs)
    sock = bind_port(port)
    port = int(sock.getsockname()[1])
    # the app's own events long-poll (25 s) must not hold up quitting the demo
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on",
                                           timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                              name=f"demo-server:{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the embedded demo server did not start")
        time.sleep(0.02)
    return EmbeddedServer(f"http://127.0.0.1:{port}", server, thread, app)


def _keyring_usable() -> bool:
    from wfh_client.sync.auth import TokenStore
    from wfh_client.sync.errors import KeyringUnavailable

    try:
        TokenStore().probe()
    except KeyringUnavailable:
        return False
    return True


def _use_memory_keyring() -> None:
    from wfh_client.memory_keyring import use_memory_keyring

    use_memory_keyring()


@dataclass
class Demo:
    """A started demo: the embedded server and the client's configuration."""

    server: EmbeddedServer
    config: Any  # wfh_client.config.Config
    username: str
    plaintext_cache: bool
    accounts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def auto_login(self) -> tuple[str, str]:
        return self.username, DEMO_PASSWORD

    def stop(self) -> None:
        self.server.stop()


def start_demo(args: argparse.Namespace) -> Demo:
    """Seed (first run), start the server, write the demo policy, pick the keyring."""
    from wfh_client.config import load_config

    db_path, blobs = prepare(args.dir, dossiers=args.dossiers, seed=args.seed, reset=args.reset)
    rows = demo_accounts(db_path)
    server = start_server(db_path, blobs, args.port)
    plaintext = not _keyring_usable()
    if plaintext:
        print("WARNING: no usable OS keyring (Secret Service) was found. DEMO MODE ONLY: the "
              "session is kept in memory and the local cache is NOT encrypted. The real app "
              "refuses to run like this.", file=sys.stderr, flush=True)
        _use_memory_keyring()
    policy = args.dir / "client-policy.json"
    policy.write_text(json.dumps({
        "_comment": "demo mode only - written by wfh_client.demo",
        "server_url": server.url, "allow_plaintext_cache": plaintext,
    }, indent=2) + "\n", encoding="utf-8")
    config = load_config(args.dir / "client", policy_path=policy)
    return Demo(server, config, args.user, plaintext, rows)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wfh-demo", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--version", action="version", version=f"wfh-demo {__version__}")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="demo data folder")
    parser.add_argument("--dossiers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765, help="0: any free port")
    parser.add_argument("--user", default=DEFAULT_USER,
                        help="demo account to sign in as (e.g. truongphong.tnmt for a head)")
    parser.add_argument("--reset", action="store_true",
                        help="throw the demo data away and seed again")
    parser.add_argument("--server-only", action="store_true",
                        help="run only the server and print its address and the accounts")
    return parser


def _print_accounts(url: str, rows: list[dict[str, Any]]) -> None:
    print(f"\nReference one-stop-shop server: {url}  (API docs: {url}/docs)")
    print(f"Demo accounts (password for all: {DEMO_PASSWORD} — demo data only):")
    print(json.dumps(rows, ensure_ascii=False, indent=2), flush=True)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _main(args)
    except PortInUse as exc:
        print(f"wfh-demo: {exc}", file=sys.stderr, flush=True)
        return 2


def _main(args: argparse.Namespace) -> int:
    if not args.server_only:
        from wfh_client.ui.platform_check import platform_problem

        problem = platform_problem()
        if problem:
            print(problem, file=sys.stderr, flush=True)
            return 3
    if args.server_only:
        db_path, blobs = prepare(args.dir, dossiers=args.dossiers, seed=args.seed,
                                 reset=args.reset)
        server = start_server(db_path, blobs, args.port)
        _print_accounts(server.url, demo_accounts(db_path))
        print("Press Ctrl+C to stop.", flush=True)
        try:
            while server.thread.is_alive():
                server.thread.join(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
        return 0

    from wfh_client.ui.app import run
    from wfh_client.ui.single_instance import default_name

    demo = start_demo(args)
    print(f"Demo server: {demo.server.url}; signing in as {demo.username} "
          f"(other accounts: --user; --server-only lists them).", flush=True)
    try:
        return run(demo.config, [sys.argv[0]], auto_login=demo.auto_login,
                   plaintext_cache=demo.plaintext_cache, instance_name=default_name() + "-demo")
    finally:
        demo.stop()


if __name__ == "__main__":
    sys.exit(main())
