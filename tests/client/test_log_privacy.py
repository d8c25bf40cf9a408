"""Personal data stays out of URLs and logs (issue 10.7).

A full scenario against the real server with every log at DEBUG, the server's access log
included: sign in, first sync with document downloads, an offline note pushed, a result
document whose file name carries a citizen's name and ID number, a check-in, a token refresh, a
conflict (the server answers with the whole dossier), sign out. Then every log line of both
sides is searched for the seeded citizens' names and ID numbers and for every token issued:
none may appear."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from tests.client.auth_helpers import DEMO_PASSWORD, require_real_keyring
from tests.server.util import Peek
from tests.support.server import RunningServer, server_copy
from wfh_client.events import EventBus
from wfh_client.store import Cache, keys
from wfh_client.sync.auth import TokenStore, login
from wfh_client.sync.documents import queue_result_upload
from wfh_client.sync.engine import SyncEngine
from wfh_client.sync.http import HttpClient
from wfh_client.sync.operations import record_action


def applicant_of(data: Any) -> dict[str, Any]:
    value = json.loads(data) if isinstance(data, str) else data
    applicant = (value or {}).get("applicant")
    return applicant if isinstance(applicant, dict) else {}


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name}: {text}")


@pytest.fixture
def logs() -> Iterator[Collect]:
    handler = Collect()
    # uvicorn's own loggers do not propagate to the root: listen to them directly
    loggers = [logging.getLogger(n) for n in ("", "uvicorn", "uvicorn.access", "uvicorn.error")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)


@pytest.fixture
def chatty_server(seeded_template: tuple[Path, Path], tmp_path: Path,
                  logs: Collect) -> Iterator[RunningServer]:
    with server_copy(seeded_template, tmp_path, log_level="debug") as srv:
        for name in ("uvicorn", "uvicorn.access", "uvicorn.error"):  # Config reset them
            logger = logging.getLogger(name)
            logger.setLevel(logging.DEBUG)
            if logs not in logger.handlers:
                logger.addHandler(logs)
        yield srv


def test_no_names_id_numbers_or_tokens_in_any_log(
        chatty_server: RunningServer, logs: Collect, tmp_path: Path) -> None:
    require_real_keyring()
    server = chatty_server
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    tokens = TokenStore()
    session = login(HttpClient(server.url, timeout=30), username, DEMO_PASSWORD,
                    device_id="dev-logs", tokens=tokens)
    account = session.account.id
    secrets = {session._access or "", tokens.get_refresh(account) or ""}
    cache = Cache.open(server.url, username, data_dir=tmp_path / "client")
    try:
        engine = SyncEngine(session, cache, bus=EventBus(), prefetch_max_bytes=50_000_000)
        engine.sync_once()  # snapshot + documents
        record_action(engine, dossier_id, "note", {"text": "Đã gọi điện cho công dân"})
        applicant = applicant_of(peek.scalar("SELECT data FROM dossiers WHERE id = :d",
                                             d=dossier_id))
        name, id_number = str(applicant["name"]), str(applicant["id_number"])
        result = tmp_path / f"Kết quả {name} {id_number}.pdf"
        result.write_bytes(b"%PDF-1.7\n" + b"ket qua " * 500)
        queue_result_upload(engine, dossier_id, result)
        engine.sync_once()
        session.refresh()  # a rotation: both new tokens must stay out of the logs too
        secrets |= {session._access or "", tokens.get_refresh(account) or ""}
        session.post("/api/v1/oncall/checkins", json={
            "client_id": "ck-logs-0001", "status": "away", "reason": f"Gặp {name}",
            "offline": False})
        stale = session.request(  # a conflict: the answer carries the whole dossier
            "POST", f"/api/v1/dossiers/{dossier_id}/actions",
            headers={"Idempotency-Key": "k-logs-conflict-1"},
            json={"type": "stop", "base_version": 1, "payload": {"reason": "x"}},
            accept=frozenset({409}))
        assert stale.status_code == 409
        session.logout()
    finally:
        cache.close()
        keys.delete_account_secrets(account, extra_kinds=("refresh-token",))
    secrets.discard("")
    assert len(secrets) == 4
    personal = {name, id_number}
    for (data,) in peek.rows("SELECT data FROM dossiers"):
        person = applicant_of(data)
        personal |= {str(person[k]) for k in ("name", "id_number", "phone", "email")
                     if person.get(k)}
    personal |= {quote(p, safe="") for p in personal} | {quote_plus(p) for p in personal}
    text = "\n".join(logs.lines)
    assert "uvicorn.access" in text and "/api/v1/dossiers/" in text  # the logs were captured
    assert "wfh_client" in text or "urllib3" in text
    leaked = sorted(p for p in personal | secrets if p in text)
    assert leaked == [], [line for line in logs.lines if any(p in line for p in leaked)][:5]
