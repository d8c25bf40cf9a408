"""Input hygiene (issue 10.6): a lone surrogate, NUL and bidi-override characters and duplicate
JSON keys each get a 4xx with a stable code, never a 500, are never stored, and so never reach
anyone else's screen through sync. The client refuses the same text before queueing it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests

from tests.server.util import Client, Peek, login, new_key
from tests.support.server import RunningServer
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.errors import ActionInvalid
from wfh_client.domain.statuses import Role, Status, Step
from wfh_client.domain.workflow import Actor, DossierState, validate_action


@pytest.fixture
def officer(server: RunningServer) -> Iterator[tuple[Client, str, Peek]]:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    yield login(server, username), dossier_id, peek


def raw_action(c: Client, dossier_id: str, body: bytes) -> requests.Response:
    return c.post(f"/api/v1/dossiers/{dossier_id}/actions", data=body,
                  headers={"Idempotency-Key": new_key(), "Content-Type": "application/json"})


def note_body(version: int, text_json: str) -> bytes:
    """A note action whose text is given as raw JSON (escapes preserved)."""
    return (f'{{"type": "note", "base_version": {version}, '
            f'"payload": {{"text": {text_json}}}}}').encode()


def test_a_lone_surrogate_is_a_4xx_not_a_500(officer: tuple[Client, str, Peek]) -> None:
    c, dossier_id, peek = officer
    before = peek.fingerprint()
    version = peek.dossier(dossier_id).version
    for text in ('"abc\\ud800"', '"\\udfff"', '"ok \\ud83d tail"'):
        r = raw_action(c, dossier_id, note_body(version, text))
        assert r.status_code == 400, r.text
        assert r.json()["code"] == "request.invalid_unicode"
        assert r.json()["details"]["path"] == ["payload", "text"]
    paired = raw_action(c, dossier_id, note_body(version, '"ok \\ud83d\\ude00"'))  # an emoji
    assert paired.status_code == 200, paired.text
    assert peek.fingerprint() != before


@pytest.mark.parametrize("char", ["\\u0000", "\\u202e", "\\u202a", "\\u2066", "\\u2069",
                                  "\\u001b", "\\u0085"])
def test_nul_and_bidi_controls_are_refused_and_never_synced(
        officer: tuple[Client, str, Peek], char: str) -> None:
    c, dossier_id, peek = officer
    before = peek.fingerprint()
    r = raw_action(c, dossier_id, note_body(peek.dossier(dossier_id).version,
                                            f'"Đã kiểm tra {char}hồ sơ"'))
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "request.forbidden_character"
    assert r.json()["details"]["character"].startswith("U+")
    assert peek.fingerprint() == before
    pulled = c.get("/api/v1/sync/changes").json()
    texts = [n["text"] for d in pulled["upserts"] for n in d["notes"]]
    assert not any(ch in t for t in texts for ch in "\x00\u202e\u202a\u2066\u2069\x1b\x85")


def test_other_endpoints_refuse_them_too(officer: tuple[Client, str, Peek]) -> None:
    c, _, _ = officer
    r = c.post("/api/v1/oncall/checkins", data=(
        b'{"client_id": "ck-hygiene-1", "status": "away", "reason": "ra ngo\\u0000ai"}'),
        headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["code"] == "request.forbidden_character"
    login_r = requests.post(c.url("/api/v1/auth/login"), timeout=30, headers={
        "Content-Type": "application/json"},
        data=b'{"username": "\\ud800", "password": "x", "device_id": "d"}')
    assert login_r.status_code == 400 and login_r.json()["code"] == "request.invalid_unicode"


def test_duplicate_keys_are_refused(officer: tuple[Client, str, Peek]) -> None:
    c, dossier_id, peek = officer
    before = peek.fingerprint()
    version = peek.dossier(dossier_id).version
    for body in (
        f'{{"type": "note", "type": "stop", "base_version": {version}, '
        f'"payload": {{"text": "x", "reason": "y"}}}}',
        f'{{"type": "note", "base_version": {version}, "payload": {{"text": "a", "text": "b"}}}}',
    ):
        r = raw_action(c, dossier_id, body.encode())
        assert r.status_code == 400, r.text
        assert r.json()["code"] == "request.duplicate_key"
    assert peek.fingerprint() == before


def test_deep_nesting_is_malformed_not_a_500(officer: tuple[Client, str, Peek]) -> None:
    c, dossier_id, _ = officer
    r = raw_action(c, dossier_id, b"[" * 100_000 + b"]" * 100_000)
    assert r.status_code == 400 and r.json()["code"] == "request.malformed"


def test_the_client_refuses_the_same_text_before_queueing() -> None:
    state = DossierState(status=Status.PROCESSING, step=Step.IN_REVIEW, department_id="stnmt",
                         assignee_id=7, received_at=datetime(2026, 3, 2, 1, tzinfo=UTC),
                         due_at=datetime(2026, 3, 30, 10, tzinfo=UTC), allowed_hours=80)
    actor = Actor(user_id=7, role=Role.OFFICER, department_id="stnmt")
    now = datetime(2026, 3, 18, 2, 30, tzinfo=UTC)
    for text in ("a\x00b", "a\u202eb", "a\ud800b"):
        with pytest.raises(ActionInvalid) as err:
            validate_action("note", {"text": text}, state, actor, WorkingCalendar(), now)
        assert err.value.code == "forbidden_character"
    assert validate_action("note", {"text": "Dòng 1\n\tDòng 2"}, state, actor,
                           WorkingCalendar(), now) == {"text": "Dòng 1\n\tDòng 2"}
