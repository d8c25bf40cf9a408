"""Idempotency-Key: one effect per key, identical replays, key reuse and key validation."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.server.util import Peek, login, new_key
from tests.support.server import RunningServer


def test_same_key_twice_has_one_effect_and_the_same_answer(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    c = login(server, username)
    v = peek.dossier(dossier_id).version
    key = new_key()
    first = c.action(dossier_id, "note", v, {"text": "once"}, key=key)
    second = c.action(dossier_id, "note", v, {"text": "once"}, key=key)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert peek.dossier(dossier_id).version == v + 1
    assert peek.scalar("SELECT COUNT(*) FROM notes WHERE client_id = :k", k=key) == 1


def test_stored_conflict_and_invalid_answers_replay(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    c = login(server, username)
    v = peek.dossier(dossier_id).version
    key = new_key()
    conflict = c.action(dossier_id, "stop", v - 1 if v > 1 else v + 5, {"reason": "r"}, key=key)
    assert conflict.status_code == 409
    c.action(dossier_id, "note", v, {"text": "moves the version"})
    replay = c.action(dossier_id, "stop", v - 1 if v > 1 else v + 5, {"reason": "r"}, key=key)
    assert replay.status_code == 409 and replay.content == conflict.content
    key2 = new_key()
    invalid = c.action(dossier_id, "start_review", v + 1, key=key2)
    assert invalid.status_code == 422
    assert c.action(dossier_id, "start_review", v + 1, key=key2).content == invalid.content


def test_same_key_different_request_is_key_reused(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    c = login(server, username)
    v = peek.dossier(dossier_id).version
    key = new_key()
    assert c.action(dossier_id, "note", v, {"text": "one"}, key=key).status_code == 200
    fp = peek.fingerprint()
    r = c.action(dossier_id, "note", v, {"text": "two"}, key=key)
    assert r.status_code == 422 and r.json()["code"] == "idempotency.key_reused"
    assert peek.fingerprint() == fp


def test_key_required_and_validated(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    c = login(server, username)
    fp = peek.fingerprint()
    url = f"/api/v1/dossiers/{dossier_id}/actions"
    body = {"type": "note", "base_version": 1, "payload": {"text": "x"}}
    r = c.post(url, json=body)
    assert r.status_code == 400 and r.json()["code"] == "idempotency.key_required"
    for bad in ("short", "x" * 129, "has space here", "semi;colon-key", "ünïcode-key"):
        r = c.post(url, json=body, headers={"Idempotency-Key": bad.encode("utf-8")})
        assert r.status_code == 400 and r.json()["code"] == "idempotency.key_invalid", bad
    assert peek.fingerprint() == fp


def test_concurrent_same_key_has_one_effect(server: RunningServer) -> None:
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    c = login(server, username)
    v = peek.dossier(dossier_id).version
    key = new_key()
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(
            lambda _: c.action(dossier_id, "note", v, {"text": "race"}, key=key), range(8)
        ))
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1
    assert peek.dossier(dossier_id).version == v + 1
