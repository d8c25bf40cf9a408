"""Synthetic, server-shaped dossier documents for UI tests, benchmarks and screenshots.

Realistic Vietnamese names, procedures (DOMAIN.md's sample table), addresses and national
status codes; received instants spread over each procedure's allowed time and due instants computed with the
domain's :class:`WorkingCalendar`, so a list built "now" has overdue, due-soon and comfortable
dossiers. Pure Python (no Qt); :func:`fill_cache` writes through ``cache.writer`` with the
store's ``put_server_copy``, exactly as a pull would.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.store import Cache
from wfh_client.store.dossiers import put_server_copy

__all__ = ["PROCEDURES", "fill_cache", "sample_dossier", "sample_dossiers"]

SURNAMES = ["Nguyễn"] * 8 + ["Trần"] * 3 + ["Lê"] * 2 + [
    "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Thu", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa",
         "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc",
         "Quang", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Vy", "Yến"]
# (procedure code, name, field code, field name, working days)
PROCEDURES = [
    ("1.012756.000.00.00.H57", "Đăng ký đất đai lần đầu", "DD", "Đất đai", 17),
    ("1.012757.000.00.00.H57", "Xóa đăng ký cho thuê, cho thuê lại quyền sử dụng đất", "DD",
     "Đất đai", 3),
    ("1.012758.000.00.00.H57", "Đăng ký biến động quyền sử dụng đất", "DD", "Đất đai", 10),
    ("1.012759.000.00.00.H57", "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "DD",
     "Đất đai", 20),
    ("1.009994.000.00.00.H57", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "XD", "Xây dựng", 15),
    ("2.001417.000.00.00.H57", "Cấp Phiếu lý lịch tư pháp", "TP", "Tư pháp", 10),
    ("1.001193.000.00.00.H57", "Đăng ký khai sinh", "HT", "Hộ tịch", 1),
    ("2.000635.000.00.00.H57", "Cấp bản sao trích lục hộ tịch", "HT", "Hộ tịch", 1),
    ("2.001610.000.00.00.H57", "Đăng ký thành lập doanh nghiệp", "DKKD", "Đăng ký kinh doanh", 3),
    ("2.000720.000.00.00.H57", "Đăng ký hộ kinh doanh", "DKKD", "Đăng ký kinh doanh", 3),
    ("1.003055.000.00.00.H57", "Cấp chứng chỉ hành nghề thú y", "NN", "Nông nghiệp", 5),
    ("2.000633.000.00.00.H57", "Cấp giấy phép bán lẻ rượu", "CT", "Công thương", 10),
    ("1.002804.000.00.00.H57", "Đổi giấy phép lái xe", "GTVT", "Giao thông vận tải", 5),
]
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Điện Biên Phủ",
           "Lý Thường Kiệt", "Phan Đình Phùng", "Hoàng Diệu", "Đinh Tiên Hoàng", "Võ Thị Sáu"]
WARDS = ["Bến Nghé", "Đa Kao", "Tân Định", "Phú Nhuận", "Hàng Bạc", "Cửa Nam", "Thạch Thang",
         "Hải Châu", "Ninh Kiều", "Vĩnh Ninh"]
# national status codes weighted like a live department inbox (mostly in progress)
_STATUSES = [4] * 10 + [2] * 3 + [5] * 2 + [6, 9, 9, 10, 1, 8, 3]
_STEPS = {4: "in_review", 2: "unassigned", 9: "approved"}


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sample_dossier(i: int, rng: random.Random, calendar: WorkingCalendar,
                   now: datetime, *, office: str = "000.00.12.H57") -> dict[str, Any]:
    """Dossier number ``i``, received so that most are within their time and some are late."""
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    proc_code, procedure, field_code, field, days = rng.choice(PROCEDURES)
    status = rng.choice(_STATUSES)
    # how far through its allowed time the dossier is: mostly within it, some past it
    elapsed = rng.uniform(0.0, 1.12) * max(days, 1) * 7 / 5 + rng.uniform(0, 1)
    received = now - timedelta(days=elapsed, minutes=rng.randrange(0, 600))
    due = calendar.add_working_time(received, days=days)
    address = (f"Số {rng.randrange(1, 300)} đường {rng.choice(STREETS)}, "
               f"phường {rng.choice(WARDS)}")
    local_received = received.astimezone(calendar.tz)
    return {
        "id": f"{i:08x}-0000-4000-8000-{rng.getrandbits(48):012x}",
        "code": f"{office}-{local_received:%y%m%d}-{i % 10000:04d}",
        "version": rng.randrange(1, 6), "department_id": "dep-tnmt", "assignee_id": 7,
        "assignee_name": "Trần Văn Bình", "status": status, "step": _STEPS.get(status),
        "procedure_code": proc_code, "procedure_name": procedure,
        "field_code": field_code, "field_name": field, "channel": rng.choice(
            ["counter", "online", "post"]),
        "applicant": {"name": name, "type": "citizen",
                      "id_number": f"0{rng.randrange(10**10, 10**11)}", "email": None,
                      "phone": f"09{rng.randrange(10**7, 10**8)}", "address": address},
        "summary": f"{procedure} - {name}", "received_at": _iso(received), "due_at": _iso(due),
        "original_due_at": _iso(due), "finished_at": None, "returned_at": None,
        "result_method": "counter", "fees": [{"name": "Lệ phí", "amount": 50000}],
        "clock_stopped_at": None, "supplement_count": 0, "apology_count": 0,
        "documents": [{"id": f"doc-{i}-1", "name": "don-de-nghi.pdf", "kind": "input",
                       "mime": "application/pdf", "size": 120_000, "sha256": "0" * 64}],
        "notes": [],
        "history": [{"id": f"h-{i}-1", "at": _iso(received), "actor_id": 2,
                     "actor_name": "Lê Thị Hoa", "actor_title": "Chuyên viên Bộ phận Một cửa",
                     "department_name": "Bộ phận Một cửa", "action": "accept",
                     "from_status": 1, "to_status": 2, "from_step": None,
                     "to_step": "unassigned", "handed_to_id": None, "handed_to_name": None,
                     "step_due_at": None, "content": "Tiếp nhận hồ sơ", "timeliness": None}],
        "updated_at": _iso(received),
    }


def sample_dossiers(count: int, *, calendar: WorkingCalendar, now: datetime,
                    seed: int = 1, start: int = 0) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(start, start + count):
        yield sample_dossier(i, rng, calendar, now)


def fill_cache(cache: Cache, docs: Iterator[dict[str, Any]] | list[dict[str, Any]],
               batch: int = 2000) -> list[str]:
    """Write ``docs`` as server copies (one writer transaction per batch); returns the ids."""
    ids: list[str] = []
    chunk: list[dict[str, Any]] = []

    def flush() -> None:
        if chunk:
            page = list(chunk)
            cache.writer.run(lambda db: [put_server_copy(db, d) for d in page])
            chunk.clear()

    for doc in docs:
        ids.append(str(doc["id"]))
        chunk.append(doc)
        if len(chunk) >= batch:
            flush()
    flush()
    return ids
