"""The head's core on a real cache: the offline board and queues equal counts computed from the
server's database; assignment and approval work offline through the outbox and reach both
officers; reports are fetched and exported to CSV and XLSX (read back with openpyxl)."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from tests.client.sync_helpers import SyncClient, client_for
from tests.server.util import Peek
from tests.support.server import RunningServer, seed_into, start_server
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.deadlines import thresholds
from wfh_client.store import board as store_board
from wfh_client.sync import export, operations
from wfh_client.sync.reports import fetch_checkins, fetch_ontime, fetch_team_load

DEPT = "stnmt"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A bigger seeded province than the session's (every queue and bucket populated)."""
    root = tmp_path_factory.mktemp("reports-province")
    seed_into(root / "server.db", root / "blobs", dossiers=300, seed=3)
    return root / "server.db", root / "blobs"


@pytest.fixture
def server(province: tuple[Path, Path], tmp_path: Path) -> Iterator[RunningServer]:
    db_path, blobs = tmp_path / "server.db", tmp_path / "blobs"
    shutil.copy(province[0], db_path)
    shutil.copytree(province[1], blobs)
    srv = start_server(db_path, blobs)
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def head(server: RunningServer, tmp_path: Path) -> Iterator[SyncClient]:
    with client_for(server, "truongphong.tnmt", tmp_path / "head") as client:
        client.engine.sync_once()
        yield client


def _t(value: Any) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def server_rows(server: RunningServer) -> list[Any]:
    return Peek(server).rows(
        "SELECT id, code, status, step, assignee_id, due_at, apology_count, payload "
        "FROM dossiers WHERE department_id = :d AND status != 7", d=DEPT)


def expected_board(rows: list[Any], cal: WorkingCalendar, now: datetime) -> dict[str, Any]:
    """The board's counts written out over the server's raw rows."""
    t = thresholds(cal, now)
    local = now.astimezone(cal.tz)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=cal.tz)
    out: Counter[str] = Counter()
    for r in rows:
        due = _t(r.due_at)
        if r.status in (2, 4, 5, 6):
            out["open"] += 1
            if r.assignee_id is None or r.status == 2 or r.step == "unassigned":
                out["unassigned"] += 1
        if r.status == 5:
            out["awaiting_documents"] += 1
        if r.status == 4 and r.step == "submitted_for_approval":
            out["awaiting_approval"] += 1
        if r.status not in (2, 4, 6) or due is None:
            continue
        if due < now:
            out["overdue"] += 1
            continue
        out["due_today"] += due < midnight
        out["due_3_days"] += due <= t.three_days
        out["needs_apology"] += (r.apology_count == 0 and r.step != "submitted_for_approval"
                                 and t.one_day <= due < t.two_days)
    return dict(out)


def test_board_counts_and_queues_equal_the_servers_database(
    server: RunningServer, head: SyncClient
) -> None:
    cal = head.engine.profile().calendar
    now = server.now().replace(microsecond=0)
    rows = server_rows(server)
    db = head.cache.reader()
    b = store_board.board(db, cal, now)
    expected = expected_board(rows, cal, now)
    got = {k: getattr(b, k) for k in ("open", "unassigned", "awaiting_documents", "awaiting_approval",
                                      "overdue", "due_today", "due_3_days", "needs_apology")}
    assert got == {k: expected.get(k, 0) for k in got}
    assert b.by_status == dict(Counter(int(r.status) for r in rows))
    assert b.open > 0 and b.unassigned > 0 and b.awaiting_approval > 0 and b.overdue > 0

    by_id = {r.id: r for r in rows}
    queue = store_board.unassigned_queue(db, cal, now)
    assert len(queue) == b.unassigned
    dues = [q.due_at for q in queue if q.due_at]
    assert dues == sorted(dues)
    for q in queue:
        assert by_id[q.id].code == q.code and q.remaining_hours is not None
    approvals = store_board.approval_queue(db, cal, now)
    assert {a.id for a in approvals} == {r.id for r in rows
                                        if r.status == 4 and r.step == "submitted_for_approval"}
    for a in approvals:
        doc = json.loads(by_id[a.id].payload)
        assert a.proposed_decision == doc["proposed_decision"] in ("grant", "refuse")
        assert a.proposed_result.startswith("Trình ký") and a.assignee_name == doc["assignee_name"]
        submits = [h for h in doc["history"] if h["action"] == "submit_for_approval"]
        assert (a.proposed_result, a.submitted_at) == (submits[-1]["content"], submits[-1]["at"])
    assert [a.submitted_at for a in approvals] == sorted(a.submitted_at or "" for a in approvals)
    for bucket in ("overdue", "due_3_days", "needs_apology", "unassigned", "status:5"):
        ids = store_board.bucket_ids(db, cal, now, bucket)
        count = b.awaiting_documents if bucket == "status:5" else getattr(b, bucket)
        assert len(ids) == count == len(set(ids))
    with pytest.raises(ValueError):
        store_board.bucket_ids(db, cal, now, "everything")


def test_offline_load_equals_the_servers_team_load(server: RunningServer, head: SyncClient) -> None:
    load = fetch_team_load(head.session)
    now = datetime.fromisoformat(load.thresholds["now"])
    cal = head.engine.profile().calendar
    local = {x.user_id: x for x in store_board.officer_load(head.cache.reader(), cal, now)}
    assert load.unassigned == store_board.board(head.cache.reader(), cal, now).unassigned
    for o in load.officers:
        mine = local.get(o.user_id)
        counts = (0, 0, 0, 0) if mine is None else (mine.open, mine.due_today, mine.due_3_days,
                                                    mine.overdue)
        assert counts == (o.open, o.due_today, o.due_3_days, o.overdue), o.full_name
        if mine is not None:
            assert mine.full_name == o.full_name
    assert sum(o.open for o in load.officers) > 0


def test_assign_and_approve_offline_reach_the_server_and_both_officers(
    server: RunningServer, head: SyncClient, tmp_path: Path
) -> None:
    peek = Peek(server)
    cal = head.engine.profile().calendar
    db = head.cache.reader()
    now = server.now()
    before = store_board.board(db, cal, now)
    new_item = store_board.unassigned_queue(db, cal, now)[0]
    officer_a = peek.user("cv.tnmt2")
    row = peek.one("SELECT d.id, u.username FROM dossiers d JOIN users u ON u.id = d.assignee_id "
                   "WHERE d.department_id = :d AND d.status = 4 AND d.step = 'in_review' "
                   "AND u.username != 'cv.tnmt2' ORDER BY d.code LIMIT 1", d=DEPT)
    approval = store_board.approval_queue(db, cal, now)[0]

    with client_for(server, row.username, tmp_path / "old") as old, \
            client_for(server, "cv.tnmt2", tmp_path / "new") as new:
        old.engine.sync_once()
        new.engine.sync_once()
        assert row.id in old.ids() and row.id not in new.ids()
        # offline: three outbox entries, the board changes at once
        operations.record_action(head.engine, new_item.id, "assign", {"assignee_id": officer_a.id})
        operations.record_action(head.engine, row.id, "assign", {"assignee_id": officer_a.id})
        operations.record_action(head.engine, approval.id, "approve", {"comment": "Đồng ý"})
        after = store_board.board(db, cal, now)
        assert after.unassigned == before.unassigned - 1
        assert after.awaiting_approval == before.awaiting_approval - 1
        assert approval.id not in {a.id for a in store_board.approval_queue(db, cal, now)}
        assert peek.dossier(row.id).assignee_id != officer_a.id  # nothing sent yet

        report = head.engine.sync_once()
        assert report is not None
        assert peek.dossier(new_item.id).assignee_id == officer_a.id
        assert peek.dossier(row.id).assignee_id == officer_a.id
        assert peek.dossier(approval.id).status in (8, 9)
        history = peek.rows("SELECT action, handed_to_id FROM history WHERE dossier_id = :d "
                            "ORDER BY id DESC LIMIT 1", d=row.id)
        assert tuple(history[0]) == ("assign", officer_a.id)

        old.engine.sync_once()
        new.engine.sync_once()
        assert row.id not in old.ids()
        assert {row.id, new_item.id} <= new.ids()


def test_reports_fetch_and_export_round_trip(server: RunningServer, head: SyncClient,
                                             tmp_path: Path) -> None:
    today = server.now().astimezone(VN).date()
    start = today - timedelta(days=120)
    tables = []
    for group in ("officer", "field", "month"):
        rep = fetch_ontime(head.session, group, start, today)  # type: ignore[arg-type]
        assert rep.department_id == DEPT and rep.group == group and rep.start == start
        assert rep.total.total == sum(r.total for r in rep.rows) > 0
        tables.append(export.ontime_table(rep, department="Sở Tài nguyên và Môi trường"))
    checkins = fetch_checkins(head.session, today - timedelta(days=6), today)
    assert len(checkins.rows) == 5
    tables.append(export.checkins_table(checkins, lang="en"))
    tables.append(export.load_table(fetch_team_load(head.session)))

    officer_table = tables[0]
    path = export.export_csv(officer_table, tmp_path / "dung-han.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    with path.open(encoding="utf-8-sig", newline="") as f:
        read = list(csv.reader(f))
    # what the file is: its title, the department and the period, then the table
    assert read[:4] == [["Tỷ lệ đúng hạn theo cán bộ"], ["Đơn vị: Sở Tài nguyên và Môi trường"],
                        [f"Kỳ báo cáo: {start:%d/%m/%Y} – {today:%d/%m/%Y}"], []]
    read = read[4:]
    assert read[0] == ["Cán bộ", "Đúng hạn", "Quá hạn", "Tổng số", "Tỷ lệ đúng hạn (%)",
                       "Có xin lỗi, hẹn lại"]
    assert len(read) == len(officer_table.rows) + 1 and read[-1][0] == "Tổng cộng"
    for line, row in zip(read[1:], officer_table.rows, strict=True):
        assert line[0] == row["label"] and int(line[3]) == row["total"]
        rate = row["rate"]
        assert line[4] == ("" if rate is None else f"{rate * 100:.1f}")

    book = export.export_xlsx(tables, tmp_path / "bao-cao.xlsx")
    wb = load_workbook(book)
    assert len(wb.sheetnames) == len(tables) == len(set(wb.sheetnames))
    assert all(len(name) <= 31 for name in wb.sheetnames)
    for name, table in zip(wb.sheetnames, tables, strict=True):
        ws = wb[name]
        head = export.header_row(table)
        assert [ws.cell(row=r + 1, column=1).value for r in range(len(table.preamble))] == \
            table.preamble
        header = [c.value for c in ws[head]]
        assert header == [c.header for c in table.columns]
        assert all(c.font.bold for c in ws[head]) and ws.freeze_panes == f"A{head + 1}"
        assert all((ws.column_dimensions[chr(65 + i)].width or 0) >= 6
                   for i in range(len(table.columns)))
        for r, row in enumerate(table.rows, start=head + 1):
            for col, column in enumerate(table.columns, start=1):
                cell = ws.cell(row=r, column=col)
                value = row.get(column.key)
                if column.kind == "rate":
                    assert cell.number_format == export.PERCENT_FORMAT
                    assert cell.value == (None if value is None else pytest.approx(value))
                elif column.kind == "int" and value is None:  # e.g. no offline check-in
                    assert cell.value is None
                elif column.kind == "int":
                    assert isinstance(cell.value, int) and cell.value == value
                else:
                    assert cell.value == (value if value != "" else None)
        assert ws.max_row == head + len(table.rows)
