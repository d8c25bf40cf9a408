"""Password guessing (issue 10.5): throttling with exponential delay per account and per address
(``auth.throttled`` + ``Retry-After``), bounded concurrent hashing, rehash on parameter change,
the audit log (API and CLI) and the device cap with the oldest device listed for the admin.

Time moves with the server's injectable clock (``FrozenClock``), never with sleeps."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from argon2 import PasswordHasher
from requests.adapters import HTTPAdapter
from sqlalchemy import create_engine, text

from onestop_server.clock import FrozenClock
from onestop_server.login_guard import LoginPolicy
from tests.conftest import DEMO_PASSWORD
from tests.server.util import Peek, login, login_raw
from tests.support.clock import TEST_EPOCH
from tests.support.server import RunningServer, server_copy

START = TEST_EPOCH  # where the test data is seeded
POLICY = LoginPolicy(account_free_failures=5, address_free_failures=12,
                     base_delay=timedelta(seconds=2), max_delay=timedelta(minutes=15),
                     max_concurrent_hashes=2, slot_wait_seconds=0.0, max_devices=3)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def guarded(seeded_template: tuple[Path, Path], tmp_path: Path,
            clock: FrozenClock) -> Iterator[RunningServer]:
    with server_copy(seeded_template, tmp_path, clock=clock, login_policy=POLICY) as srv:
        yield srv


class SourceAddressAdapter(HTTPAdapter):
    """Connect from another loopback address (127.0.0.0/8 is all this machine): a second
    real client address for the per-address throttle."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def from_address(source: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", SourceAddressAdapter(source))
    return session


def attempt(server: RunningServer, username: str, password: str, *,
            http: requests.Session | None = None, device: str = "dev-guess") -> requests.Response:
    return (http or requests.Session()).post(
        server.url + "/api/v1/auth/login", timeout=60,
        json={"username": username, "password": password, "device_id": device})


def officer_name(server: RunningServer) -> str:
    return Peek(server).officer_dossier()[0]


def test_fifty_wrong_passwords_are_throttled_then_the_right_one_waits(
        guarded: RunningServer, clock: FrozenClock) -> None:
    username = officer_name(guarded)
    codes = [attempt(guarded, username, f"sai-{i}") for i in range(50)]
    assert [r.status_code for r in codes[:6]] == [401] * 6  # 5 free, the 6th starts a block
    throttled = codes[6:]
    assert {r.status_code for r in throttled} == {429}
    for r in throttled:
        assert r.json()["code"] == "auth.throttled" and r.json()["details"]["reason"] == "account"
        assert int(r.headers["Retry-After"]) == r.json()["details"]["retry_after"] >= 1
    # the right password waits too: otherwise the block would only slow the wrong guesses
    right = attempt(guarded, username, DEMO_PASSWORD)
    assert right.status_code == 429
    clock.advance(timedelta(seconds=int(right.headers["Retry-After"])))
    assert attempt(guarded, username, DEMO_PASSWORD).status_code == 200
    # a success clears the account's counter: the next mistake is an ordinary 401
    assert attempt(guarded, username, "sai-nua").status_code == 401


def test_the_delay_doubles_with_each_further_failure(
        guarded: RunningServer, clock: FrozenClock) -> None:
    username = officer_name(guarded)
    for i in range(5):
        assert attempt(guarded, username, f"sai-{i}").status_code == 401
    waits = []
    for i in range(4):
        assert attempt(guarded, username, f"sai-tiep-{i}").status_code == 401
        blocked = attempt(guarded, username, "sai")
        assert blocked.status_code == 429
        waits.append(int(blocked.headers["Retry-After"]))
        clock.advance(timedelta(seconds=waits[-1]))
    assert waits == [2, 4, 8, 16]


def test_spraying_one_address_across_accounts_is_throttled_per_address(
        guarded: RunningServer, clock: FrozenClock) -> None:
    peek = Peek(guarded)
    names = [r[0] for r in peek.rows("SELECT username FROM users ORDER BY id")]
    spray = [attempt(guarded, names[i % len(names)], "123456") for i in range(13)]
    assert [r.status_code for r in spray] == [401] * 13  # one guess per account each
    blocked = attempt(guarded, names[0], DEMO_PASSWORD)
    assert blocked.status_code == 429 and blocked.json()["details"]["reason"] == "address"
    # another address (a colleague on the same server) is not affected
    other = attempt(guarded, names[1], DEMO_PASSWORD, http=from_address("127.0.0.2"))
    assert other.status_code == 200, other.text
    # a success does not clear the address's counter (else one valid account resets it)
    assert attempt(guarded, names[0], DEMO_PASSWORD).status_code == 429
    clock.advance(timedelta(seconds=int(blocked.headers["Retry-After"])))
    assert attempt(guarded, names[0], DEMO_PASSWORD).status_code == 200


def test_unknown_accounts_are_throttled_like_known_ones(guarded: RunningServer) -> None:
    answers = [attempt(guarded, "khong-ton-tai", f"x{i}").status_code for i in range(7)]
    assert answers == [401] * 6 + [429]


def test_hashing_is_bounded_and_a_flood_gets_throttled_not_500(guarded: RunningServer) -> None:
    guard = guarded.app.state.login_guard
    names = [r[0] for r in Peek(guarded).rows("SELECT username FROM users ORDER BY id")]
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(
            lambda i: attempt(guarded, names[i % len(names)], DEMO_PASSWORD,
                              device=f"dev-flood-{i}"), range(12)))
    assert {r.status_code for r in answers} <= {200, 429}
    assert guard.peak_in_flight <= POLICY.max_concurrent_hashes
    for r in answers:
        if r.status_code == 429:
            assert r.json()["details"]["reason"] == "busy" and int(r.headers["Retry-After"]) >= 1
    # deterministically: with every slot taken, a login is told to come back
    held = [guard.slot() for _ in range(POLICY.max_concurrent_hashes)]
    for slot in held:
        slot.__enter__()
    try:
        busy = attempt(guarded, names[0], DEMO_PASSWORD)
        assert busy.status_code == 429 and busy.json()["details"]["reason"] == "busy"
    finally:
        for slot in held:
            slot.__exit__(None, None, None)
    assert attempt(guarded, names[0], DEMO_PASSWORD).status_code == 200


def test_outdated_hash_parameters_are_upgraded_at_login(guarded: RunningServer) -> None:
    username = officer_name(guarded)
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(DEMO_PASSWORD)
    engine = create_engine(f"sqlite:///{guarded.db_path}")
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE users SET password_hash = :h WHERE username = :u"),
                         {"h": weak, "u": username})
    finally:
        engine.dispose()
    assert attempt(guarded, username, DEMO_PASSWORD).status_code == 200
    stored = Peek(guarded).user(username).password_hash
    assert stored != weak and not PasswordHasher().check_needs_rehash(stored)
    assert PasswordHasher().verify(stored, DEMO_PASSWORD)


def test_logins_and_devices_are_audited_for_the_admin(guarded: RunningServer) -> None:
    username = officer_name(guarded)
    assert attempt(guarded, username, "sai").status_code == 401
    assert attempt(guarded, username, DEMO_PASSWORD, device="dev-audit").status_code == 200
    assert attempt(guarded, "khong-ton-tai", "x").status_code == 401
    admin = login(guarded, Peek(guarded).admin())
    page = admin.get("/api/v1/admin/audit", params={"username": username}).json()
    events = [(e["event"], e["details"].get("reason")) for e in page["entries"]]
    assert events[:3] == [("login.success", None), ("device.registered", None),
                          ("login.failure", "bad_password")]
    assert all(e["address"] == "127.0.0.1" for e in page["entries"])
    unknown = admin.get("/api/v1/admin/audit", params={"event": "login.failure"}).json()
    assert any(e["username"] == "khong-ton-tai" and e["details"]["reason"] == "unknown_user"
               for e in unknown["entries"])
    assert "sai" not in json.dumps(page)  # never a password
    officer = login(guarded, username)
    assert officer.get("/api/v1/admin/audit").status_code == 403
    out = subprocess.run(
        [sys.executable, "-m", "onestop_server.cli", "audit", "--db", str(guarded.db_path),
         "--user", username, "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert [e["event"] for e in json.loads(out.stdout)][:2] == ["login.success",
                                                               "device.registered"]


def test_device_cap_refuses_one_more_and_names_the_oldest(
        guarded: RunningServer, clock: FrozenClock) -> None:
    username = officer_name(guarded)
    devices = []
    for i in range(POLICY.max_devices):
        device = f"may-{i}-{uuid.uuid4().hex[:6]}"
        assert attempt(guarded, username, DEMO_PASSWORD, device=device).status_code == 200
        devices.append(device)
        clock.advance(timedelta(minutes=10))
    refused = attempt(guarded, username, DEMO_PASSWORD, device="may-moi")
    assert refused.status_code == 403 and refused.json()["code"] == "auth.device_limit"
    assert refused.json()["details"]["limit"] == POLICY.max_devices
    # a known device still signs in
    assert attempt(guarded, username, DEMO_PASSWORD, device=devices[1]).status_code == 200
    admin = login(guarded, Peek(guarded).admin())
    [limit] = admin.get("/api/v1/admin/audit", params={
        "username": username, "event": "device.limit_reached"}).json()["entries"]
    user_id = Peek(guarded).user(username).id
    listed = admin.get("/api/v1/admin/devices", params={
        "user_id": user_id, "order": "last_seen"}).json()["devices"]
    assert [d["device_id"] for d in listed][0] == devices[0]
    assert limit["details"]["oldest"]["device_pk"] == listed[0]["id"]
    assert admin.post(f"/api/v1/admin/devices/{listed[0]['id']}/revoke").status_code == 200
    assert attempt(guarded, username, DEMO_PASSWORD, device="may-moi").status_code == 200


def test_default_server_still_lets_a_user_in(server: RunningServer) -> None:
    """The defaults (no test policy) keep an ordinary sign-in and a few typos working."""
    username = Peek(server).officer_dossier()[0]
    for i in range(3):
        assert login_raw(server, username, password=f"sai-{i}").status_code == 401
    assert login_raw(server, username).status_code == 200
