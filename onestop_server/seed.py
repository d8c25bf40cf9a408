"""Deterministic demo data: a believable province (Tiền Giang) for demos, tests and benchmarks.

``seed_database(engine, blob_dir, dossiers=300, seed=1, now=None)`` creates the tables and fills
an empty database: 3 departments, 1 admin, 3 heads, 15 officers, the 14 sample procedures of
DOMAIN.md and ``dossiers`` dossiers spread over the workflow with consistent process-control slips
(received at the desk, handed to the department, assigned, reviewed, ...), notes, 1-3 submitted
PDFs each (a pool of small distinct PDFs stored once in ``blob_dir/<sha256>``), one change-log
row and a prebuilt payload per dossier. The same ``seed`` and ``now`` give the same data;
``now`` defaults to the current time so that the demo is "current" (received dates spread over
the last ~40 working days, some dossiers overdue, some due within 1-3 working days).

Accounts (every password is ``demo``; demo data only):

=================== ======= ==============================================
username            role    department
=================== ======= ==============================================
admin               admin   (none)
truongphong.nn      head    snn: Sở Nông nghiệp và Phát triển nông thôn
truongphong.tnmt    head    stnmt: Sở Tài nguyên và Môi trường
truongphong.mytho   head    ubnd-mytho: UBND thành phố Mỹ Tho
cv.nn1 .. cv.nn5    officer snn
cv.tnmt1 .. 5       officer stnmt
cv.mytho1 .. 5      officer ubnd-mytho
=================== ======= ==============================================

The first officer of each department (``cv.<dept>1``) gets the largest share of the work.
``only_department`` puts every dossier in one department (benchmarks). Vocabulary: ``seed_data``.
"""

from __future__ import annotations

import copy
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from onestop_server import db, serialize
from onestop_server.oncall_policy import DEFAULT_POLICY
from onestop_server.seed_data import ADMIN, DEPARTMENTS, PROCEDURES, STAFF
from onestop_server.seed_gen import Generator, Head, Staff, pdf_pool
from onestop_server.workcal import load_calendar
from wfh_client.domain.calendar import WorkingCalendar

DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo password
_CHUNK = 5000


class SeedError(RuntimeError):
    """The database cannot be seeded (e.g. it already holds data)."""


@dataclass
class SeedSummary:
    dossiers: int = 0
    departments: int = 0
    users: int = 0
    procedures: int = 0
    documents: int = 0
    history_rows: int = 0
    notes: int = 0
    blobs: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    accounts: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


def _staff_rows(password_hash: str) -> tuple[list[dict[str, Any]], list[Staff]]:
    rows: list[dict[str, Any]] = [
        {"id": 1, "username": ADMIN[0], "full_name": ADMIN[1], "title": ADMIN[2], "role": "admin",
         "department_id": None, "phone": None, "password_hash": password_hash}
    ]
    staff: list[Staff] = []
    next_id = 2
    for dept in DEPARTMENTS:
        head_name, head_title, officers = STAFF[dept.id]
        head_id = next_id
        rows.append({"id": head_id, "username": f"truongphong.{dept.key}", "full_name": head_name,
                     "title": head_title, "role": "head", "department_id": dept.id,
                     "phone": None, "password_hash": password_hash})
        next_id += 1
        officer_ids: list[int] = []
        for n, (name, title) in enumerate(officers, start=1):
            rows.append({"id": next_id, "username": f"cv.{dept.key}{n}", "full_name": name,
                         "title": title, "role": "officer", "department_id": dept.id,
                         "phone": None, "password_hash": password_hash})
            officer_ids.append(next_id)
            next_id += 1
        staff.append(Staff(dept, head_id, head_name, officer_ids,
                           [name for name, _ in officers]))
    return rows, staff


def _extra_rows(
    password_hash: str, count: int, department_id: str, first_id: int
) -> list[dict[str, Any]]:
    key = next(d.key for d in DEPARTMENTS if d.id == department_id)
    return [
        {"id": first_id + n, "username": f"cv.{key}.x{n + 1:04d}",
         "full_name": f"Cán bộ trực {n + 1:04d}", "title": "Chuyên viên", "role": "officer",
         "department_id": department_id, "phone": None, "password_hash": password_hash}
        for n in range(count)
    ]


def _store(
    conn: Any, gen: Generator, heads: list[Head], calendar: WorkingCalendar
) -> tuple[tuple[int, int, int], Counter[int]]:
    """Build the dossiers a chunk at a time, give their rows ids, build each payload in memory
    with ``serialize`` and insert in bulk (``executemany``).

    Returns ((history rows, documents, notes), dossiers by status). The payloads are exactly
    what ``serialize.rebuild_payload`` would store (tests compare them).
    """
    users = serialize.user_map(conn)
    procs = serialize.procedure_map(conn)
    depts = serialize.department_names(conn)
    next_id = {"history": 1, "documents": 1, "notes": 1}
    by_status: Counter[int] = Counter()
    parts = (("history", "_history"), ("documents", "_documents"), ("notes", "_notes"))
    for i in range(0, len(heads), _CHUNK):
        rows: dict[str, list[dict[str, Any]]] = {"history": [], "documents": [], "notes": []}
        dossier_rows: list[dict[str, Any]] = []
        for head in heads[i : i + _CHUNK]:
            d = gen.build(head)
            own = {table: d.pop(key) for table, key in parts}
            for table, items in own.items():
                for r in items:
                    r["id"] = next_id[table]
                    next_id[table] += 1
                rows[table].extend(items)
            d["payload"] = serialize.dumps(serialize.assemble(
                d, procs, users,
                [serialize.document_entry(r) for r in own["documents"]],
                [serialize.note_entry(r, users) for r in own["notes"]],
                [serialize.history_entry(r, users, depts, calendar) for r in own["history"]],
            ))
            by_status[d["status"]] += 1
            dossier_rows.append(d)
        conn.execute(insert(db.dossiers), dossier_rows)
        for table in ("history", "documents", "notes"):
            if rows[table]:
                conn.execute(insert(db.metadata.tables[table]), rows[table])
        conn.execute(insert(db.changes), [Generator.change_row(d) for d in dossier_rows])
    counts = (next_id["history"] - 1, next_id["documents"] - 1, next_id["notes"] - 1)
    return counts, by_status


def seed_database(
    engine: Engine,
    blob_dir: Path,
    *,
    dossiers: int = 300,
    seed: int = 1,
    now: datetime | None = None,
    only_department: str | None = None,
    extra_officers: int = 0,
    extra_department: str = "stnmt",
) -> SeedSummary:
    """Create the tables and fill an empty database; ``SeedError`` if it already has users.

    ``extra_officers`` adds that many officers to ``extra_department`` (benchmarks of the events
    feed), named ``cv.<key>.x0001``...; they get no dossiers, so the rest of the data is the
    same as without them. Every department gets the default on-call policy (version 1).
    """
    started = time.perf_counter()
    if dossiers < 0:
        raise ValueError("dossiers must be >= 0")
    if not 0 <= extra_officers <= 100_000:
        raise ValueError("extra_officers must be 0..100000")
    if extra_officers and extra_department not in {d.id for d in DEPARTMENTS}:
        raise ValueError(f"unknown department {extra_department!r}")
    if only_department is not None and only_department not in {d.id for d in DEPARTMENTS}:
        raise ValueError(f"unknown department {only_department!r}")
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    db.create_all(engine)
    blob_dir = Path(blob_dir)
    blob_dir.mkdir(parents=True, exist_ok=True)
    pool = pdf_pool()
    for content, sha in pool:
        path = blob_dir / sha
        if not path.exists():
            path.write_bytes(content)
    password_hash = PasswordHasher().hash(DEMO_PASSWORD)  # hashed once: demo data only
    user_rows, staff = _staff_rows(password_hash)
    user_rows += _extra_rows(password_hash, extra_officers, extra_department, len(user_rows) + 1)
    summary = SeedSummary()
    with engine.begin() as conn:
        if conn.execute(select(func.count()).select_from(db.users)).scalar_one():
            raise SeedError("the database already holds data; seed an empty one")
        conn.execute(insert(db.departments), [
            {"id": d.id, "name": d.name, "office_code": d.office_code} for d in DEPARTMENTS
        ])
        conn.execute(insert(db.users), user_rows)
        conn.execute(insert(db.procedures), [
            {"code": p.code, "name": p.name, "field_code": p.field_code,
             "field_name": p.field_name, "department_id": p.department_id,
             "working_hours": p.working_hours} for p in PROCEDURES
        ])
        # on-call duty starts the day the demo province is seeded (reports count from it)
        starts_on = now.astimezone(ZoneInfo(str(DEFAULT_POLICY["time_zone"]))).date().isoformat()
        conn.execute(insert(db.oncall_policies), [
            {"department_id": d.id, "policy": {**copy.deepcopy(DEFAULT_POLICY),
                                               "starts_on": starts_on},
             "version": 1, "updated_at": now, "updated_by": None} for d in DEPARTMENTS
        ])
        calendar = load_calendar(conn)
        gen = Generator(seed, now, calendar, staff, [(len(c), s) for c, s in pool],
                        only_department=only_department)
        heads = gen.plan(dossiers)
        counts, by_status = _store(conn, gen, heads, calendar)
        db.reset_sequences(conn)  # rows came with explicit ids
        summary.accounts = _accounts(conn)
    summary.dossiers = len(heads)
    summary.departments = len(DEPARTMENTS)
    summary.users = len(user_rows)
    summary.procedures = len(PROCEDURES)
    summary.history_rows, summary.documents, summary.notes = counts
    summary.blobs = len(pool)
    summary.by_status = dict(sorted(by_status.items()))
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


def _accounts(conn: Any) -> list[dict[str, Any]]:
    u, d = db.users, db.departments
    rows = conn.execute(
        select(u.c.id, u.c.username, u.c.full_name, u.c.title, u.c.role, u.c.department_id,
               d.c.name.label("department"))
        .select_from(u.outerjoin(d, u.c.department_id == d.c.id))
        .order_by(u.c.id)
    ).all()
    return [
        {"id": r.id, "username": r.username, "full_name": r.full_name, "title": r.title,
         "role": r.role, "department_id": r.department_id, "department": r.department}
        for r in rows
    ]


def accounts(engine: Engine) -> list[dict[str, Any]]:
    """Every account: id, username, full_name, title, role, department_id, department (name)."""
    with engine.connect() as conn:
        return _accounts(conn)
