"""The demo seeder: determinism, accounts, contract-shaped payloads, a believable workflow mix."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from onestop_server import db, serialize
from onestop_server.seed import SeedError, SeedSummary, accounts, seed_database
from onestop_server.workcal import load_calendar
from tests.server.test_sync import CONTRACT_KEYS

NOW = datetime(2026, 3, 18, 3, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Vietnam, weeks after Tết
CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.H57-(\d{6})-(\d{4})$")


def _seed(root: Path, **kw: Any) -> tuple[Engine, SeedSummary]:
    root.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(db.sqlite_url(str(root / "server.db")))
    summary = seed_database(engine, root / "blobs", **kw)
    return engine, summary


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("seed300")
    engine, summary = _seed(root, dossiers=300, seed=7, now=NOW)
    yield engine, summary, root
    engine.dispose()


def ts(value: Any) -> datetime:
    """A stored UTC time (text via raw SQL on SQLite) as an aware datetime."""
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(parsed, datetime)
    return parsed.replace(tzinfo=UTC)


def rows(engine: Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path) -> None:
    a, _ = _seed(tmp_path / "a", dossiers=40, seed=3, now=NOW)
    b, _ = _seed(tmp_path / "b", dossiers=40, seed=3, now=NOW)
    c, _ = _seed(tmp_path / "c", dossiers=40, seed=4, now=NOW)
    sql = "SELECT id, code, payload FROM dossiers ORDER BY code"
    try:
        assert rows(a, sql) == rows(b, sql)
        names = {json.loads(r.payload)["applicant"]["name"] for r in rows(a, sql)}
        other = {json.loads(r.payload)["applicant"]["name"] for r in rows(c, sql)}
        assert names != other
        assert {r.id for r in rows(a, sql)}.isdisjoint({r.id for r in rows(c, sql)})
    finally:
        for e in (a, b, c):
            e.dispose()


def test_counts_accounts_and_roles(seeded: Any) -> None:
    engine, summary, root = seeded
    assert summary.dossiers == 300 and summary.departments == 3 and summary.procedures == 14
    assert summary.users == 19
    by_role: dict[str, list[str]] = {}
    for acc in accounts(engine):
        by_role.setdefault(acc["role"], []).append(acc["username"])
    assert by_role["admin"] == ["admin"]
    assert sorted(by_role["head"]) == ["truongphong.mytho", "truongphong.nn", "truongphong.tnmt"]
    assert len(by_role["officer"]) == 15
    assert {"cv.nn1", "cv.tnmt1", "cv.mytho1", "cv.mytho5"} <= set(by_role["officer"])
    one_hash = rows(engine, "SELECT DISTINCT password_hash FROM users")
    assert len(one_hash) == 1 and PasswordHasher().verify(one_hash[0].password_hash, "demo")
    assert rows(engine, "SELECT count(*) AS n FROM changes")[0].n == 300
    seqs = [r.seq for r in rows(engine, "SELECT seq FROM dossiers ORDER BY seq")]
    assert seqs == list(range(1, 301))
    for r in rows(engine, "SELECT DISTINCT sha256, size FROM documents"):
        blob = (root / "blobs" / r.sha256).read_bytes()
        assert hashlib.sha256(blob).hexdigest() == r.sha256 and len(blob) == r.size
        assert blob.startswith(b"%PDF")
    per = rows(engine, "SELECT dossier_id, count(*) AS n FROM documents WHERE kind = 'submitted' "
                       "GROUP BY dossier_id")
    assert len(per) == 300 and all(1 <= r.n <= 3 for r in per)
    assert summary.accounts and summary.accounts[0]["username"] == "admin"


def test_payloads_match_the_contract_and_a_rebuild(seeded: Any) -> None:
    engine, _, _ = seeded
    with engine.connect() as conn:
        stored = {r.id: r.payload for r in conn.execute(select(db.dossiers.c.id, db.dossiers.c.payload))}
        built = serialize.build_documents(conn, sorted(stored))
    assert len(built) == 300
    for dossier_id, payload in stored.items():
        doc = json.loads(payload)
        assert set(doc) == CONTRACT_KEYS
        assert payload == serialize.dumps(built[dossier_id])  # in-memory == from the database
        assert set(doc["applicant"]) == {"name", "type", "id_number", "email", "phone", "address"}
        for h in doc["history"]:
            assert h["timeliness"] in (None, "early", "on_time", "late")
            assert h["actor_name"] and h["department_name"]
        assert doc["received_at"].endswith("Z")


def test_codes_people_and_places(seeded: Any) -> None:
    engine, _, _ = seeded
    with engine.connect() as conn:
        cal = load_calendar(conn)
    seen: set[str] = set()
    for r in rows(engine, "SELECT code, received_at, payload FROM dossiers"):
        m = CODE.match(r.code)
        assert m, r.code
        local_day = ts(r.received_at).astimezone(cal.tz).date()
        assert m.group(1) == local_day.strftime("%y%m%d")
        assert r.code not in seen
        seen.add(r.code)
        applicant = json.loads(r.payload)["applicant"]
        assert re.fullmatch(r"0[3789]\d{8}", applicant["phone"])
        assert "Tiền Giang" in applicant["address"]
        if applicant["type"] == "citizen":
            assert re.fullmatch(r"082\d{9}", applicant["id_number"])
            assert len(applicant["name"].split()) >= 3
        else:
            assert re.fullmatch(r"\d{10}", applicant["id_number"])


def test_statuses_cover_the_workflow_with_consistent_slips(seeded: Any) -> None:
    engine, summary, _ = seeded
    assert {2, 3, 4, 5, 7, 8, 9, 10} <= set(summary.by_status)
    assert summary.by_status[4] > summary.by_status[2]
    steps = {r.step for r in rows(engine, "SELECT DISTINCT step FROM dossiers WHERE status = 4")}
    assert {"assigned", "in_review", "submitted_for_approval", "returned_for_rework"} <= steps
    for r in rows(engine, "SELECT payload FROM dossiers"):
        doc = json.loads(r.payload)
        hist = doc["history"]
        assert hist, doc["code"]
        assert [h["at"] for h in hist] == sorted(h["at"] for h in hist)
        assert hist[-1]["at"] <= NOW.isoformat().replace("+00:00", "Z")
        assert hist[-1]["to_status"] == doc["status"] or hist[-1]["action"] == "apology"
        if doc["status"] == 3:
            assert doc["assignee_id"] is None and doc["due_at"] is None
        else:
            assert hist[0]["action"] == "receive" and doc["due_at"] is not None
        if doc["status"] in (4, 5, 8, 9, 10):
            assert doc["assignee_id"] is not None and doc["assignee_name"]
        if doc["status"] == 2:
            assert doc["assignee_id"] is None and doc["step"] == "unassigned"
        if doc["status"] == 5:
            assert doc["clock_stopped_at"] and doc["supplement_count"] == 1
        if doc["status"] in (8, 9, 10):
            assert doc["finished_at"]
        if doc["status"] == 10:
            assert doc["returned_at"] and doc["result_method"]
        if doc["apology_count"]:
            assert doc["original_due_at"] and doc["original_due_at"] < doc["due_at"]


def test_some_overdue_and_some_due_soon(seeded: Any) -> None:
    engine, _, _ = seeded
    with engine.connect() as conn:
        cal = load_calendar(conn)
    remaining = [
        cal.remaining(NOW, ts(r.due_at))
        for r in rows(engine, "SELECT due_at FROM dossiers WHERE status IN (2, 4, 5)")
    ]
    overdue = [x for x in remaining if x < timedelta(0)]
    soon = [x for x in remaining if timedelta(0) < x <= cal.working_length(3)]
    later = [x for x in remaining if x > cal.working_length(3)]
    assert len(overdue) >= 10 and len(soon) >= 10 and len(later) >= 10
    received = [ts(r.received_at) for r in rows(engine, "SELECT received_at FROM dossiers")]
    assert min(received) >= NOW - timedelta(days=100)
    assert max(received) <= NOW


def test_seeding_twice_is_refused_and_one_department_is_possible(tmp_path: Path, seeded: Any) -> None:
    engine, _, root = seeded
    with pytest.raises(SeedError):
        seed_database(engine, root / "blobs", dossiers=5, now=NOW)
    single, summary = _seed(tmp_path / "one", dossiers=50, now=NOW, only_department="stnmt")
    try:
        assert summary.dossiers == 50
        assert {r.department_id for r in rows(single, "SELECT DISTINCT department_id FROM dossiers")} == {"stnmt"}
    finally:
        single.dispose()


def test_default_now_is_the_current_time(tmp_path: Path) -> None:
    engine, _ = _seed(tmp_path / "now", dossiers=20)
    try:
        latest = max(ts(r.updated_at) for r in rows(engine, "SELECT updated_at FROM dossiers"))
        # the default is the wall clock by design (the demo is 'current'): a relative check
        assert datetime.now(UTC) - latest < timedelta(days=10)
    finally:
        engine.dispose()
