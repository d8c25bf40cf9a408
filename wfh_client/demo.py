"""Demo mode: seed the reference server, run it embedded on 127.0.0.1, print how to use it.

``make demo`` runs this. It is the only client module that imports ``onestop_server``: the demo
needs an embedded backend, the real client never does. Data lives in ``./demo-data`` (ignored by
git) and is seeded on first run; ``--reset`` seeds it again.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

DEFAULT_DIR = Path("demo-data")


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wfh-demo", description=__doc__)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="demo data folder")
    parser.add_argument("--dossiers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reset", action="store_true", help="throw the demo data away and seed again")
    args = parser.parse_args(argv)

    import uvicorn

    from onestop_server import db
    from onestop_server.app import create_app
    from onestop_server.seed import accounts

    db_path, blobs = prepare(args.dir, dossiers=args.dossiers, seed=args.seed, reset=args.reset)
    engine = db.make_engine(db.sqlite_url(str(db_path)))
    try:
        rows = accounts(engine)
    finally:
        engine.dispose()
    url = f"http://127.0.0.1:{args.port}"
    print(f"\nReference one-stop-shop server: {url}  (API docs: {url}/docs)")
    print("Demo accounts (password for all: demo — demo data only):")
    print(json.dumps(rows, ensure_ascii=False, indent=2))
    print("Press Ctrl+C to stop.", flush=True)
    app = create_app(database_url=db.sqlite_url(str(db_path)), blob_dir=blobs)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
