"""Login, refresh, rotation, logout and revocation against the real server and the real keyring."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from onestop_server.clock import FrozenClock
from tests.client.auth_helpers import DEMO_PASSWORD, require_real_keyring
from tests.support.clock import TEST_EPOCH
from tests.support.server import RunningServer, start_server
from wfh_client.store.keys import SERVICE
from wfh_client.sync.account import Account, load_current, save_current, wipe_account
from wfh_client.sync.auth import AuthSession, TokenStore, login
from wfh_client.sync.errors import (
    AuthFailed,
    DeviceRevoked,
    KeyringUnavailable,
    NotLoggedIn,
    SessionExpired,
)
from wfh_client.sync.http import HttpClient

OFFICER = "cv.nn1"


@pytest.fixture(autouse=True)
def _keyring() -> None:
    require_real_keyring()


@pytest.fixture
def tokens() -> Iterator[TokenStore]:
    store = TokenStore()
    yield store


def _copy_seed(seeded_template: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    src_db, src_blobs = seeded_template
    db_path, blobs = tmp_path / "server.db", tmp_path / "blobs"
    shutil.copy(src_db, db_path)
    shutil.copytree(src_blobs, blobs)
    return db_path, blobs


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(TEST_EPOCH)


@pytest.fixture
def clocked_server(
    seeded_template: tuple[Path, Path], tmp_path: Path, clock: FrozenClock
) -> Iterator[RunningServer]:
    srv = start_server(*_copy_seed(seeded_template, tmp_path), clock=clock)
    try:
        yield srv
    finally:
        srv.stop()


def _login(srv: RunningServer, tokens: TokenStore, username: str = OFFICER,
           device: str = "device-1", **kw: object) -> AuthSession:
    return login(HttpClient(srv.url, timeout=10), username, DEMO_PASSWORD, device_id=device,
                 tokens=tokens, **kw)  # type: ignore[arg-type]


def _refresh_rows(srv: RunningServer, user_id: int) -> int:
    with sqlite3.connect(srv.db_path) as conn:
        return int(conn.execute("SELECT count(*) FROM refresh_tokens WHERE user_id = ?",
                                [user_id]).fetchone()[0])


def _admin(srv: RunningServer) -> HttpClient:
    http = HttpClient(srv.url, timeout=10)
    body = http.post("/api/v1/auth/login", json={"username": "admin", "password": DEMO_PASSWORD,
                                                 "device_id": "admin-console"}).json()
    http.session.headers["Authorization"] = f"Bearer {body['access_token']}"
    return http


def test_login_keeps_the_refresh_token_in_the_keyring_only(
    server: RunningServer, tokens: TokenStore, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    session = _login(server, tokens)
    save_current(data, session.account, session.user)
    try:
        refresh = tokens.get_refresh(session.account.id)
        assert refresh and session.user and session.user["username"] == OFFICER
        assert keyring.get_password(SERVICE, f"refresh-token:{session.account.id}") == refresh
        assert session.get("/api/v1/me").json()["username"] == OFFICER
        access = session._access
        assert access
        for f in data.rglob("*"):
            if f.is_file():
                content = f.read_bytes()
                assert refresh.encode() not in content and access.encode() not in content, f
        assert load_current(data) is not None
    finally:
        session.logout()


def test_account_id_is_the_stores() -> None:
    from wfh_client.store.keys import account_id

    a = Account("HTTPS://Motcua.Example/", " cv.nn1 ")
    assert a.server_url == "https://motcua.example" and a.username == "cv.nn1"
    assert a.id == account_id("https://motcua.example", "cv.nn1") and len(a.id) == 16
    assert Account("https://b.example", "cv.nn1").id != a.id


def test_expired_access_token_is_refreshed_once_and_rotated(
    clocked_server: RunningServer, clock: FrozenClock, tokens: TokenStore
) -> None:
    session = _login(clocked_server, tokens)
    first_refresh = tokens.get_refresh(session.account.id)
    first_access = session._access
    clock.advance(timedelta(minutes=16))  # the access token (15 min) has expired
    assert session.get("/api/v1/me").status_code == 200
    assert session._access != first_access
    second_refresh = tokens.get_refresh(session.account.id)
    assert second_refresh and second_refresh != first_refresh  # rotated, stored
    # The rotated token presented again, after the server's reuse grace window, revokes the
    # whole family...
    clock.advance(timedelta(seconds=31))
    http = HttpClient(clocked_server.url, timeout=10)
    with pytest.raises(Exception) as info:
        http.post("/api/v1/auth/refresh",
                  json={"refresh_token": first_refresh, "device_id": "device-1"})
    assert getattr(info.value, "code", None) == "auth.refresh_reused"
    # ... so the session cannot continue: log in again, and the dead token is dropped.
    with pytest.raises(SessionExpired) as expired:
        session.get("/api/v1/me")
    assert expired.value.code == "auth.invalid_token"
    assert tokens.get_refresh(session.account.id) is None
    with pytest.raises(NotLoggedIn):
        session.get("/api/v1/me")


def test_short_access_ttl_real_time(
    seeded_template: tuple[Path, Path], tmp_path: Path, tokens: TokenStore
) -> None:
    srv = start_server(*_copy_seed(seeded_template, tmp_path), access_ttl=timedelta(seconds=1))
    try:
        session = _login(srv, tokens)
        assert session.user is not None
        issued = srv.now()
        # wait on the server's own clock (no sleep racing the expiry on a busy machine)
        while srv.now() < issued + timedelta(seconds=1):
            threading.Event().wait(0.05)
        assert session.get("/api/v1/me").json()["username"] == OFFICER
        assert _refresh_rows(srv, session.user["id"]) == 2  # it expired and was refreshed
        session.logout()
    finally:
        srv.stop()


def test_concurrent_401s_share_one_refresh(
    clocked_server: RunningServer, clock: FrozenClock, tokens: TokenStore
) -> None:
    session = _login(clocked_server, tokens)
    assert session.user is not None
    user_id = session.user["id"]
    assert _refresh_rows(clocked_server, user_id) == 1
    clock.advance(timedelta(minutes=20))
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def work() -> None:
        try:
            barrier.wait()
            session.get("/api/v1/me")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _refresh_rows(clocked_server, user_id) == 2  # exactly one refresh
    session.logout()


def test_logout_revokes_and_clears_the_keyring(server: RunningServer, tokens: TokenStore) -> None:
    session = _login(server, tokens)
    access = session._access
    session.logout()
    assert tokens.get_refresh(session.account.id) is None
    http = HttpClient(server.url, timeout=10)
    with pytest.raises(Exception) as info:
        http.get("/api/v1/me", headers={"Authorization": f"Bearer {access}"})
    assert getattr(info.value, "code", None) == "auth.invalid_token"
    session.logout()  # idempotent, no error


def test_wrong_password(server: RunningServer, tokens: TokenStore) -> None:
    http = HttpClient(server.url, timeout=10)
    with pytest.raises(AuthFailed) as info:
        login(http, OFFICER, "wrong", device_id="d", tokens=tokens)
    assert info.value.status == 401
    assert tokens.get_refresh(Account(server.url, OFFICER).id) is None


@pytest.mark.parametrize("how", ["revoke_device", "disable_account"])
def test_revocation_raises_and_wipes(
    server: RunningServer, tokens: TokenStore, tmp_path: Path, how: str
) -> None:
    data = tmp_path / "data"
    reasons: list[str] = []
    account = Account(server.url, OFFICER)

    def on_revoked(reason: str) -> None:
        reasons.append(reason)
        wipe_account(data, account, tokens)

    session = _login(server, tokens, on_revoked=on_revoked)
    save_current(data, session.account, session.user)
    cache_dir = data / "accounts" / account.id
    cache_dir.mkdir(parents=True)
    (cache_dir / "cache.db").write_bytes(b"encrypted")
    tokens.set("cache-key", account.id, "00" * 32)
    assert session.user is not None
    admin = _admin(server)
    if how == "revoke_device":
        devices = admin.get("/api/v1/admin/devices",
                            params={"user_id": session.user["id"]}).json()["devices"]
        (device,) = [d for d in devices if d["device_id"] == "device-1"]
        admin.post(f"/api/v1/admin/devices/{device['id']}/revoke")
        expected = "auth.device_revoked"
    else:
        admin.post(f"/api/v1/admin/users/{session.user['id']}/disable")
        expected = "auth.account_disabled"
    with pytest.raises(DeviceRevoked) as info:
        session.get("/api/v1/me")
    assert info.value.reason == expected and reasons == [expected]
    assert not cache_dir.exists()
    assert tokens.get_refresh(account.id) is None
    assert tokens.get("cache-key", account.id) is None
    assert load_current(data) is None
    with pytest.raises(DeviceRevoked):  # still revoked, callback not called twice
        session.get("/api/v1/me")
    assert reasons == [expected]
    with pytest.raises(DeviceRevoked) as again:  # logging in again from that device
        _login(server, tokens, on_revoked=reasons.append)
    assert again.value.reason == expected and reasons[-1] == expected


def test_keyring_unavailable(server: RunningServer, tmp_path: Path) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        tokens = TokenStore()
        with pytest.raises(KeyringUnavailable, match="keyring"):
            _login(server, tokens)
        with pytest.raises(KeyringUnavailable):
            tokens.probe()
    finally:
        keyring.set_keyring(previous)
    # The server session created by that login was revoked again (nobody could refresh it).
    with sqlite3.connect(server.db_path) as conn:
        live = conn.execute(
            "SELECT count(*) FROM access_tokens a JOIN users u ON u.id = a.user_id "
            "WHERE u.username = ? AND a.revoked_at IS NULL", [OFFICER]).fetchone()[0]
    assert live == 0


def test_tokens_never_reach_the_logs(
    clocked_server: RunningServer, clock: FrozenClock, tokens: TokenStore,
    caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    session = _login(clocked_server, tokens)
    seen = {session._access, tokens.get_refresh(session.account.id)}
    clock.advance(timedelta(minutes=16))
    session.get("/api/v1/me")
    seen |= {session._access, tokens.get_refresh(session.account.id)}
    session.logout()
    assert None not in seen and len(seen) == 4
    assert "refreshing" in caplog.text and "/api/v1/auth/refresh" in caplog.text
    for secret in seen:
        assert secret is not None and secret not in caplog.text
    assert "Bearer" not in caplog.text and DEMO_PASSWORD not in caplog.text.split()
