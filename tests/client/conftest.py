"""Store-specific fixtures (``wfh_client.store``): real SQLCipher files in ``tmp_path``, the
real OS keyring (run under ``scripts/with-keyring``) with a unique account per test, and a
factory of API-shaped dossier documents."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.keyring_guard import require_real_keyring
from wfh_client.store import keys
from wfh_client.store.cache import Cache, account_paths


@pytest.fixture
def store_account() -> Iterator[tuple[str, str]]:
    """A unique (server_url, username) whose keyring entries are removed afterwards."""
    require_real_keyring()
    server_url = f"https://mot-cua-{secrets.token_hex(4)}.example.gov.vn"
    username = f"canbo.{secrets.token_hex(3)}"
    yield server_url, username
    keys.delete_account_secrets(keys.account_id(server_url, username))


@pytest.fixture
def store_cache(tmp_path: Path, store_account: tuple[str, str]) -> Iterator[Cache]:
    """An encrypted cache opened through the real keyring."""
    cache = Cache.open(*store_account, data_dir=tmp_path)
    yield cache
    cache.close()


@pytest.fixture
def keyless_cache(tmp_path: Path) -> Iterator[Cache]:
    """An encrypted cache whose key is passed directly (no keyring): for logic tests."""
    cache = Cache(account_paths("t" + secrets.token_hex(7), tmp_path), key=secrets.token_bytes(32))
    yield cache
    cache.close()


def make_dossier(n: int = 1, **overrides: Any) -> dict[str, Any]:
    """An API-shaped dossier document (docs/architecture.md)."""
    doc: dict[str, Any] = {
        "id": f"00000000-0000-4000-8000-{n:012d}", "code": f"H57.23-260115-{n:04d}", "version": 1,
        "department_id": "tnmt", "assignee_id": 7, "assignee_name": "Trần Văn Bình",
        "status": 4, "step": "in_review", "procedure_code": "1.012756",
        "procedure_name": "Đăng ký đất đai lần đầu", "field_code": "DD", "field_name": "Đất đai",
        "channel": "online",
        "applicant": {"name": "Nguyễn Văn Đức", "type": "citizen", "id_number": "001089012345",
                      "email": f"congdan{n}@example.vn", "phone": "0912345678",
                      "address": "Số 12/5 đường Điện Biên Phủ, phường Đa Kao"},
        "summary": "Đề nghị cấp giấy chứng nhận quyền sử dụng đất",
        "received_at": "2026-01-15T02:00:00Z", "due_at": f"2026-02-{1 + n % 27:02d}T10:00:00Z",
        "original_due_at": "2026-02-01T10:00:00Z", "finished_at": None, "returned_at": None,
        "result_method": "counter", "fees": [], "clock_stopped_at": None,
        "supplement_count": 0, "apology_count": 0,
        "documents": [{"id": f"doc-{n}-1", "name": "don.pdf", "kind": "input",
                       "mime": "application/pdf", "size": 1000, "sha256": "a" * 64}],
        "notes": [{"id": 1, "author_id": 7, "author_name": "Trần Văn Bình", "text": "Đã nhận",
                   "created_at": "2026-01-15T03:00:00Z", "client_id": None}],
        "history": [{"id": 1, "at": "2026-01-15T02:00:00Z", "actor_id": 2, "actor_name": "Lê Thị Hoa",
                     "actor_title": "Chuyên viên", "department_name": "Bộ phận một cửa",
                     "action": "accept", "from_status": 1, "to_status": 2, "from_step": None,
                     "to_step": "unassigned", "handed_to_id": None, "handed_to_name": None,
                     "step_due_at": None, "content": "Tiếp nhận", "timeliness": None}],
        "updated_at": "2026-01-15T03:00:00Z",
    }
    for key, value in overrides.items():
        if key == "applicant_name":
            doc["applicant"] = {**doc["applicant"], "name": value}
        else:
            doc[key] = value
    return doc


@pytest.fixture
def dossier_factory() -> Callable[..., dict[str, Any]]:
    return make_dossier
