"""Benchmark: search over 100,000 cached dossiers in an encrypted (SQLCipher) cache.

Fills a temporary cache (key passed directly, no keyring) with synthetic dossiers with
Vietnamese names, procedures and addresses, then times ``store.search.search`` for a mix of
realistic queries (diacritics or not, prefixes, codes), default list order (due date), 100 rows.
Prints ``{"dossiers": ..., "search_median_ms": ..., "search_p95_ms": ...}``. Goal: median <= 20 ms.

    .venv/bin/python bench/store_search.py [--dossiers 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wfh_client.domain.folding import fold  # noqa: E402
from wfh_client.store import Cache, account_paths  # noqa: E402
from wfh_client.store.dossiers import put_server_copy  # noqa: E402
from wfh_client.store.search import search  # noqa: E402

SURNAMES = ["Nguyễn"] * 8 + ["Trần"] * 3 + ["Lê"] * 2 + [
    "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Thu", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa",
         "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc",
         "Quang", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Vy", "Yến"]
PROCEDURES = [
    ("Đăng ký đất đai lần đầu", "Đất đai"),
    ("Cấp giấy chứng nhận quyền sử dụng đất", "Đất đai"),
    ("Đăng ký biến động đất đai", "Đất đai"),
    ("Đăng ký khai sinh", "Hộ tịch"), ("Đăng ký kết hôn", "Hộ tịch"),
    ("Đăng ký khai tử", "Hộ tịch"), ("Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng"),
    ("Đăng ký thành lập hộ kinh doanh", "Thành lập và hoạt động doanh nghiệp"),
    ("Chứng thực bản sao từ bản chính", "Chứng thực"),
    ("Cấp phiếu lý lịch tư pháp", "Lý lịch tư pháp"), ("Đăng ký thường trú", "Cư trú"),
    ("Cấp đổi giấy phép lái xe", "Đường bộ"),
]
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Điện Biên Phủ",
           "Lý Thường Kiệt", "Phan Đình Phùng", "Hoàng Diệu", "Đinh Tiên Hoàng", "Võ Thị Sáu"]
WARDS = ["Bến Nghé", "Đa Kao", "Tân Định", "Phú Nhuận", "Hàng Bạc", "Cửa Nam", "Đống Đa",
         "Thạch Thang", "Hải Châu", "Ninh Kiều"]
QUERIES = ["nguyen van", "dang ky dat dai", "Trần Thị", "hùng", "cấp giấy phép", "ben nghe",
           "H57.2", "Lê Minh Tuấn", "đinh tiên", "khai sinh", "thao", "vo thi sau", "xyzzy",
           "Nguyễn Thị Hương", "0912"]


def synthetic_dossier(i: int, rng: random.Random) -> dict[str, Any]:
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    procedure, field = rng.choice(PROCEDURES)
    received = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 500_000))
    due = received + timedelta(days=rng.randrange(1, 30))
    iso = lambda d: d.isoformat().replace("+00:00", "Z")  # noqa: E731
    did = f"{i:08x}-0000-4000-8000-{secrets.token_hex(6)}"
    return {
        "id": did, "code": f"H57.{rng.randrange(1, 40)}-{received:%y%m%d}-{i:06d}",
        "version": rng.randrange(1, 6), "department_id": f"dep{rng.randrange(1, 9)}",
        "assignee_id": rng.randrange(1, 40), "assignee_name": "Cán bộ", "status": rng.randrange(1, 11),
        "step": "in_review", "procedure_code": "1.0127", "procedure_name": procedure,
        "field_code": "F1", "field_name": field, "channel": "online",
        "applicant": {"name": name, "type": "citizen", "id_number": f"0{rng.randrange(10**10, 10**11)}",
                      "email": None, "phone": f"09{rng.randrange(10**7, 10**8)}",
                      "address": f"Số {rng.randrange(1, 300)} đường {rng.choice(STREETS)}, "
                                 f"phường {rng.choice(WARDS)}"},
        "summary": f"{procedure} cho {name}", "received_at": iso(received), "due_at": iso(due),
        "original_due_at": iso(due), "finished_at": None, "returned_at": None,
        "result_method": "counter", "fees": [{"name": "Lệ phí", "amount": 50000}],
        "clock_stopped_at": None, "supplement_count": 0, "apology_count": 0,
        "documents": [{"id": f"d{i}-{k}", "name": f"giay-to-{k}.pdf", "kind": "input",
                       "mime": "application/pdf", "size": 120_000, "sha256": "0" * 64}
                      for k in range(rng.randrange(1, 3))],
        "notes": [{"id": i * 10 + k, "author_id": 3, "author_name": "Trần Văn Bình",
                   "text": "Đã kiểm tra hồ sơ", "created_at": iso(received), "client_id": None}
                  for k in range(rng.randrange(0, 2))],
        "history": [{"id": i * 10 + k, "at": iso(received), "actor_id": 2, "actor_name": "Lê Thị Hoa",
                     "actor_title": "Chuyên viên", "department_name": "Phòng TN&MT",
                     "action": "accept", "from_status": 1, "to_status": 2, "from_step": None,
                     "to_step": "unassigned", "handed_to_id": None, "handed_to_name": None,
                     "step_due_at": None, "content": "Tiếp nhận hồ sơ", "timeliness": None}
                    for k in range(rng.randrange(2, 5))],
        "updated_at": iso(received),
    }


def open_bench_cache(root: Path) -> Cache:
    """A fresh encrypted cache under ``root`` with a random key passed directly (no keyring)."""
    return Cache(account_paths("bench" + secrets.token_hex(4), root), key=secrets.token_bytes(32))


def fill(cache: Cache, count: int, seed: int = 7, batch: int = 2000) -> list[str]:
    rng = random.Random(seed)
    ids: list[str] = []
    for start in range(0, count, batch):
        docs = [synthetic_dossier(i, rng) for i in range(start, min(count, start + batch))]
        ids.extend(d["id"] for d in docs)
        cache.writer.run(lambda db, docs=docs: [put_server_copy(db, d) for d in docs])
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    assert fold("Đăng ký") == "dang ky"
    with tempfile.TemporaryDirectory() as tmp:
        cache = open_bench_cache(Path(tmp))
        t0 = time.perf_counter()
        fill(cache, args.dossiers)
        fill_s = time.perf_counter() - t0
        db = cache.reader()
        search(db, "warm up")
        times: list[float] = []
        hits: dict[str, int] = {}
        per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
        for _ in range(args.rounds):
            for query in QUERIES:
                start = time.perf_counter()
                rows = search(db, query, limit=100)
                times.append((time.perf_counter() - start) * 1000)
                per_query[query].append(times[-1])
                hits[query] = len(rows)
        cache.close()
    times.sort()
    print(json.dumps({
        "dossiers": args.dossiers,
        "search_median_ms": round(statistics.median(times), 2),
        "search_p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "queries": len(times), "fill_seconds": round(fill_s, 1), "hits": hits,
        "per_query_median_ms": {q: round(statistics.median(v), 1) for q, v in per_query.items()},
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
