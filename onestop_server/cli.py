"""``onestop-server``: seed a demo database, serve it, list its accounts, print the OpenAPI.

    onestop-server seed --db PATH [--dossiers N] [--seed S] [--blobs DIR] [--force] [--officers N]
    onestop-server serve --db PATH [--host 127.0.0.1] [--port 8765] [--blobs DIR] [--log-level L]
    onestop-server accounts --db PATH [--json]
    onestop-server calendar --db PATH show [--json]
    onestop-server calendar --db PATH day-off DAY [--note TEXT]      (a day off, e.g. 2027-02-12)
    onestop-server calendar --db PATH working-day DAY [--note TEXT]  (a make-up working day)
    onestop-server calendar --db PATH remove DAY                     (the holiday data decides)
    onestop-server calendar --db PATH confirm-year YEAR [--note TEXT] [--undo]
    onestop-server openapi

Blobs default to ``<folder of PATH>/blobs``. Exit codes: 0 ok, 1 failure (e.g. no database at
PATH, or an existing one without ``--force``), 2 usage errors (argparse).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from onestop_server import __version__
from onestop_server.seed import DEMO_PASSWORD

EXIT_FAILURE = 1


def _blobs(args: argparse.Namespace) -> Path:
    return Path(args.blobs) if args.blobs else Path(args.db).resolve().parent / "blobs"


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

    db_path = Path(args.db)
    if db_path.exists() and db_path.is_dir():
        return _fail(f"{db_path} is a directory")
    if db_path.exists() and db_path.stat().st_size > 0:
        if not args.force:
            return _fail(f"{db_path} already exists; pass --force to replace it")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(db.sqlite_url(str(db_path)))
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
        f"Seeded {db_path}: {summary.dossiers} dossiers ({statuses}), {summary.users} accounts, "
        f"{summary.documents} documents in {_blobs(args)}, {summary.seconds:.1f} s.\n"
        f"Accounts: admin, truongphong.nn|tnmt|mytho, cv.nn1-5, cv.tnmt1-5, cv.mytho1-5; "
        f"password '{DEMO_PASSWORD}' (demo only)."
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    db_path = _existing_db(args.db)
    if db_path is None:
        return _fail(f"no database at {args.db}; create one with 'onestop-server seed --db {args.db}'")
    import uvicorn

    from onestop_server import db
    from onestop_server.app import create_app
    from onestop_server.client_versions import ClientVersions

    app = create_app(database_url=db.sqlite_url(str(db_path)), blob_dir=_blobs(args),
                     client_versions=ClientVersions(minimum=args.min_client_version,
                                                    recommended=args.recommended_client_version))
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def cmd_accounts(args: argparse.Namespace) -> int:
    db_path = _existing_db(args.db)
    if db_path is None:
        return _fail(f"no database at {args.db}")
    from onestop_server import db
    from onestop_server.seed import accounts

    engine = db.make_engine(db.sqlite_url(str(db_path)))
    try:
        rows = accounts(engine)
    except Exception as e:  # noqa: BLE001 - any database error is reported, not a traceback
        return _fail(f"cannot read accounts from {db_path}: {e}")
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


def cmd_calendar(args: argparse.Namespace) -> int:
    """Change the working calendar in the database (audited as ``cli:<os user>``); clients get
    it with their next sync (a running server also announces it at its next change)."""
    import getpass
    from datetime import UTC, date, datetime

    from onestop_server import db, workcal

    db_path = _existing_db(args.db)
    if db_path is None:
        return _fail(f"no database at {args.db}")
    engine = db.make_engine(db.sqlite_url(str(db_path)))
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
    parser.add_argument("--version", action="version", version=f"onestop-server {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    seed = sub.add_parser("seed", help="create a demo database")
    seed.add_argument("--db", required=True, help="SQLite file to create")
    seed.add_argument("--dossiers", type=int, default=300, help="how many dossiers (300)")
    seed.add_argument("--seed", type=int, default=1, help="random seed (1)")
    seed.add_argument("--blobs", help="document folder (default: <db folder>/blobs)")
    seed.add_argument("--force", action="store_true", help="replace an existing database")
    seed.add_argument(
        "--officers", type=int, default=0,
        help="extra officers in stnmt, cv.tnmt.x0001... (benchmarks; 0)",
    )
    seed.set_defaults(func=cmd_seed)
    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--db", required=True)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--blobs")
    serve.add_argument("--min-client-version", metavar="X.Y.Z",
                       help="refuse sign-in from older clients (426 client.outdated)")
    serve.add_argument("--recommended-client-version", metavar="X.Y.Z",
                       help="clients in notify update mode show a banner below this version")
    serve.add_argument(
        "--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"),
    )
    serve.set_defaults(func=cmd_serve)
    acc = sub.add_parser("accounts", help="list the accounts of a database")
    acc.add_argument("--db", required=True)
    acc.add_argument("--json", action="store_true", help="machine-readable output")
    acc.set_defaults(func=cmd_accounts)
    cal = sub.add_parser("calendar", help="show or change the working calendar (audited)")
    cal.add_argument("--db", required=True)
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
