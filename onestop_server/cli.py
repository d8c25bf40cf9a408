"""``onestop-server``: seed a demo database, migrate, serve, list accounts, print the OpenAPI.

    onestop-server seed (--db PATH | --database-url URL) [--dossiers N] [--seed S] [--blobs DIR]
                        [--force] [--officers N]
    onestop-server serve [--config FILE] [--db PATH | --database-url URL] [--host H] [--port P]
                         [--workers N] [--blobs DIR] [--log-level L] [--log-format json|text]
    onestop-server migrate [--config FILE] [--db PATH | --database-url URL] [--check]
    onestop-server revision -m MESSAGE
    onestop-server accounts (--db PATH | --database-url URL) [--json]
    onestop-server audit (--db PATH | --database-url URL) [--user NAME] [--event E] [--limit N]
                         [--json]
    onestop-server calendar (--db PATH | --database-url URL) show [--json]
    onestop-server calendar ... day-off DAY [--note TEXT]      (a day off, e.g. 2027-02-12)
    onestop-server calendar ... working-day DAY [--note TEXT]  (a make-up working day)
    onestop-server calendar ... remove DAY                     (the holiday data decides)
    onestop-server calendar ... confirm-year YEAR [--note TEXT] [--undo]
    onestop-server openapi

``--db PATH`` is a SQLite file (the embedded default); ``--database-url`` any SQLAlchemy URL
(``postgresql+psycopg://user@host/db``). ``serve`` reads settings from ``--config`` /
``ONESTOP_CONFIG`` (TOML), ``ONESTOP_*`` variables and its flags (``config.py``), migrates the
database once, then runs ``--workers`` uvicorn worker processes (several need PostgreSQL).
Blobs default to ``<folder of PATH>/blobs``. Exit codes: 0 ok, 1 failure (e.g. no database at
PATH, an existing one without ``--force``, a bad setting, ``migrate --check`` with migrations
pending), 2 usage errors (argparse).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from onestop_server.seed import DEMO_PASSWORD

EXIT_FAILURE = 1


def _blobs(args: argparse.Namespace) -> Path:
    if args.blobs:
        return Path(args.blobs)
    if getattr(args, "db", None):
        return Path(args.db).resolve().parent / "blobs"
    raise SystemExit("onestop-server: error: --blobs is required with --database-url")


def _url(args: argparse.Namespace) -> str | None:
    from onestop_server import db

    if getattr(args, "database_url", None):
        return str(args.database_url)
    if getattr(args, "db", None):
        return db.sqlite_url(str(args.db))
    return None


def _fail(message: str) -> int:
    print(f"onestop-server: error: {message}", file=sys.stderr)
    return EXIT_FAILURE


def _existing_db(path: str) -> Path | None:
    db_path = Path(path)
    if not db_path.is_file():
        return None
    return db_path


def cmd_seed(args: argparse.Namespace) -> int:
    from onestop_server import db
    from onestop_server.seed import SeedError, seed_database

    if args.db:
        db_path = Path(args.db)
        if db_path.exists() and db_path.is_dir():
            return _fail(f"{db_path} is a directory")
        if db_path.exists() and db_path.stat().st_size > 0:
            if not args.force:
                return _fail(f"{db_path} already exists; pass --force to replace it")
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        db_path.parent.mkdir(parents=True, exist_ok=True)
    where = args.db or "the database"
    engine = db.make_engine(str(_url(args)))
    try:
        summary = seed_database(
            engine, _blobs(args), dossiers=args.dossiers, seed=args.seed,
            extra_officers=args.officers,
        )
    except SeedError as e:
        return _fail(str(e))
    finally:
        engine.dispose()
    statuses = ", ".join(f"{k}: {v}" for k, v in summary.by_status.items())
    print(
        f"Seeded {where}: {summary.dossiers} dossiers ({statuses}), {summary.users} accounts, "
        f"{summary.documents} documents in {_blobs(args)}, {summary.seconds:.1f} s.\n"
        f"Accounts: admin, truongphong.nn|tnmt|mytho, cv.nn1-5, cv.tnmt1-5, cv.mytho1-5; "
        f"password '{DEMO_PASSWORD}' (demo only)."
    )
    return 0


def _server_config(args: argparse.Namespace) -> Any:
    from onestop_server.config import load_config

    return load_config(args.config, overrides={
        "database_url": _url(args), "blob_dir": args.blobs, "host": args.host, "port": args.port,
        "workers": getattr(args, "workers", None), "log_level": getattr(args, "log_level", None),
        "log_format": getattr(args, "log_format", None),
    })


def cmd_serve(args: argparse.Namespace) -> int:
    if args.db and _existing_db(args.db) is None:
        return _fail(f"no database at {args.db}; create one with 'onestop-server seed --db {args.db}'")
    import uvicorn

    from onestop_server import db, logs, migrate
    from onestop_server.app import RESOLVED_CONFIG_ENV
    from onestop_server.config import ConfigError

    try:
        config = _server_config(args)
        config.blobs()
    except ConfigError as e:
        return _fail(str(e))
    if config.database_url.startswith("sqlite:///") and _existing_db(
        config.database_url.removeprefix("sqlite:///")
    ) is None:
        return _fail(f"no database at {config.database_url}; create one with 'onestop-server seed'")
    logs.configure(config.log_level, config.log_format)
    engine = db.make_engine(config.database_url)
    try:
        migrate.upgrade(engine)  # once, before any worker starts
    finally:
        engine.dispose()
    os.environ[RESOLVED_CONFIG_ENV] = config.to_json()
    if config.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        metrics_dir = Path(tempfile.mkdtemp(prefix="onestop-metrics-"))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    uvicorn.run(
        "onestop_server.app:worker_app", factory=True, host=config.host, port=config.port,
        workers=config.workers, log_config=logs.uvicorn_log_config(), access_log=False,
        timeout_graceful_shutdown=int(config.graceful_timeout_seconds), lifespan="on",
        log_level=config.log_level,
    )
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from onestop_server import db, migrate
    from onestop_server.config import ConfigError

    try:
        config = _server_config(args)
    except ConfigError as e:
        return _fail(str(e))
    engine = db.make_engine(config.database_url)
    try:
        state = migrate.status(engine) if args.check else migrate.upgrade(engine)
    except Exception as e:  # noqa: BLE001 - reported, not a traceback
        return _fail(f"cannot migrate: {type(e).__name__}: {e}")
    finally:
        engine.dispose()
    print(json.dumps({"current": state.current, "head": state.head, "ok": state.ok}))
    return 0 if state.ok else EXIT_FAILURE


def cmd_revision(args: argparse.Namespace) -> int:
    from onestop_server import migrate

    path = migrate.new_revision(args.message)
    print(f"Wrote {path}: read it, adjust it if needed, commit it.")
    return 0


def cmd_accounts(args: argparse.Namespace) -> int:
    if args.db and _existing_db(args.db) is None:
        return _fail(f"no database at {args.db}")
    from onestop_server import db
    from onestop_server.seed import accounts

    engine = db.make_engine(str(_url(args)))
    try:
        rows = accounts(engine)
    except Exception as e:  # noqa: BLE001 - any database error is reported, not a traceback
        return _fail(f"cannot read accounts from {args.db or 'the database'}: {e}")
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps({"password": DEMO_PASSWORD, "password_note": "demo data only",
                          "accounts": rows}, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            print(f"{r['username']:<20} {r['role']:<8} {r['full_name']:<28} {r['department'] or ''}")
        print(f"\nPassword for every seeded account: '{DEMO_PASSWORD}' (demo data only).")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """The security audit log (logins, failures, throttling, devices), newest first."""
    if args.db and _existing_db(args.db) is None:
        return _fail(f"no database at {args.db}")
    from onestop_server import audit, db

    engine = db.make_engine(str(_url(args)))
    try:
        db.create_all(engine)  # an older database gains the audit table (migrations)
        with engine.connect() as conn:
            page = audit.entries(conn, username=args.user, event=args.event, limit=args.limit)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps([e.model_dump() for e in page.entries], ensure_ascii=False, indent=2))
        return 0
    for e in page.entries:
        details = " ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in e.details.items())
        print(f"{e.at}  {e.event:<22} {e.username or '-':<20} {e.address or '-':<18} {details}")
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    """Change the working calendar in the database (audited as ``cli:<os user>``); clients get
    it with their next sync (a running server also announces it at its next change)."""
    import getpass
    from datetime import UTC, date, datetime

    from onestop_server import db, workcal

    if args.db and _existing_db(args.db) is None:
        return _fail(f"no database at {args.db}")
    engine = db.make_engine(str(_url(args)))
    now = datetime.now(UTC)
    actor = f"cli:{getpass.getuser()}"
    try:
        day = date.fromisoformat(args.day) if getattr(args, "day", None) else None
    except ValueError:
        return _fail(f"not a date (YYYY-MM-DD): {args.day}")
    try:
        with db.write_transaction(engine) as conn:
            if args.action in ("day-off", "working-day") and day is not None:
                workcal.set_day(conn, day, args.action == "working-day", args.note, now=now,
                                actor=actor)
            elif args.action == "remove" and day is not None:
                if not workcal.remove_day(conn, day, now=now, actor=actor):
                    return _fail(f"no override on {day}")
            elif args.action == "confirm-year":
                workcal.confirm_year(conn, args.year, not args.undo, args.note, now=now,
                                     actor=actor)
            served = workcal.served_calendar(conn, now)
            audit = workcal.audit_log(conn, limit=20)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps({"calendar": served, "audit": audit}, ensure_ascii=False, indent=2,
                         default=str))
        return 0
    print(f"version {served['version']}; resolved {served['resolved']['from']} .. "
          f"{served['resolved']['to']}; holiday data decreed through "
          f"{workcal.decreed_through()}; unconfirmed years: "
          f"{', '.join(map(str, served.get('unconfirmed_years') or [])) or 'none'}")
    for o in served["overrides"]:
        kind = "working" if o["working"] else "day off"
        print(f"  {o['day']}  {kind:<8} {o['note']}")
    return 0


def cmd_openapi(_args: argparse.Namespace) -> int:
    from onestop_server.app import openapi_json

    sys.stdout.write(openapi_json())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="onestop-server", description="The reference one-stop-shop server."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def database(p: argparse.ArgumentParser, required: bool) -> None:
        where = p.add_mutually_exclusive_group(required=required)
        where.add_argument("--db", help="SQLite file")
        where.add_argument("--database-url", help="SQLAlchemy URL, e.g. postgresql+psycopg://...")

    seed = sub.add_parser("seed", help="create a demo database")
    database(seed, True)
    seed.add_argument("--dossiers", type=int, default=300, help="how many dossiers (300)")
    seed.add_argument("--seed", type=int, default=1, help="random seed (1)")
    seed.add_argument("--blobs", help="document folder (default: <db folder>/blobs)")
    seed.add_argument("--force", action="store_true", help="replace an existing database file")
    seed.add_argument(
        "--officers", type=int, default=0,
        help="extra officers in stnmt, cv.tnmt.x0001... (benchmarks; 0)",
    )
    seed.set_defaults(func=cmd_seed)
    serve = sub.add_parser("serve", help="run the HTTP server (one or several workers)")
    serve.add_argument("--config", help="TOML settings file (or ONESTOP_CONFIG)")
    database(serve, False)
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, help="worker processes (several need PostgreSQL)")
    serve.add_argument("--blobs")
    serve.add_argument(
        "--log-level", choices=("critical", "error", "warning", "info", "debug"),
    )
    serve.add_argument("--log-format", choices=("json", "text"))
    serve.set_defaults(func=cmd_serve)
    mig = sub.add_parser("migrate", help="bring the database schema to the newest revision")
    mig.add_argument("--config")
    database(mig, False)
    mig.add_argument("--check", action="store_true", help="only report; exit 1 when behind")
    mig.set_defaults(func=cmd_migrate, blobs=None, host=None, port=None)
    rev = sub.add_parser("revision", help="write a new migration from the schema in db.py")
    rev.add_argument("-m", "--message", required=True)
    rev.set_defaults(func=cmd_revision)
    acc = sub.add_parser("accounts", help="list the accounts of a database")
    database(acc, True)
    acc.add_argument("--json", action="store_true", help="machine-readable output")
    acc.set_defaults(func=cmd_accounts)
    aud = sub.add_parser("audit", help="print the security audit log, newest first")
    database(aud, True)
    aud.add_argument("--user", help="only this user name")
    aud.add_argument("--event", help="only this event (e.g. login.failure)")
    aud.add_argument("--limit", type=int, default=100, choices=range(1, 10_001),
                     metavar="N", help="at most N entries (100)")
    aud.add_argument("--json", action="store_true", help="machine-readable output")
    aud.set_defaults(func=cmd_audit)
    cal = sub.add_parser("calendar", help="show or change the working calendar (audited)")
    database(cal, True)
    cal.add_argument("--json", action="store_true", help="machine-readable output")
    csub = cal.add_subparsers(dest="action", required=True)
    csub.add_parser("show", help="the calendar served to clients")
    for name, text in (("day-off", "make DAY a day off"),
                       ("working-day", "make DAY a (make-up) working day")):
        c = csub.add_parser(name, help=text)
        c.add_argument("day", metavar="DAY", help="YYYY-MM-DD")
        c.add_argument("--note", default="", help="e.g. the decree's number")
    c = csub.add_parser("remove", help="remove the override of DAY")
    c.add_argument("day", metavar="DAY")
    c = csub.add_parser("confirm-year", help="record that YEAR's days off are decreed")
    c.add_argument("year", type=int, metavar="YEAR")
    c.add_argument("--note", default="")
    c.add_argument("--undo", action="store_true", help="mark the year unconfirmed again")
    cal.set_defaults(func=cmd_calendar)
    api = sub.add_parser("openapi", help="print the OpenAPI document")
    api.set_defaults(func=cmd_openapi)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "dossiers", 0) < 0:
        build_parser().error("--dossiers must be >= 0")
    if not 0 <= getattr(args, "officers", 0) <= 100_000:
        build_parser().error("--officers must be 0..100000")
    result: int = args.func(args)
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
