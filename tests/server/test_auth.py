"""Login, refresh rotation with reuse detection, logout, device revocation, account disable."""

from __future__ import annotations

from datetime import timedelta

import requests

from onestop_server.clock import FrozenClock
from tests.server.util import Peek, login, login_raw
from tests.support.server import RunningServer


def _refresh(server: RunningServer, token: str, device_id: str) -> requests.Response:
    return requests.post(
        server.url + "/api/v1/auth/refresh",
        json={"refresh_token": token, "device_id": device_id},
        timeout=30,
    )


def _me(server: RunningServer, access: str) -> requests.Response:
    return requests.get(
        server.url + "/api/v1/me", headers={"Authorization": f"Bearer {access}"}, timeout=30
    )


def test_login_returns_tokens_and_user(server: RunningServer) -> None:
    username, _ = Peek(server).officer_dossier()
    r = login_raw(server, username)
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    assert body["access_token"] != body["refresh_token"]
    user = body["user"]
    assert set(user) == {"id", "username", "full_name", "title", "role", "department_id", "department_name"}
    assert user["username"] == username and user["role"] == "officer"
    me = _me(server, body["access_token"])
    assert me.status_code == 200 and me.json() == user
    # only hashes are stored
    peek = Peek(server)
    assert peek.rows("SELECT 1 FROM access_tokens WHERE token_hash = :t", t=body["access_token"]) == []


def test_wrong_password_and_unknown_user_look_the_same(server: RunningServer) -> None:
    username, _ = Peek(server).officer_dossier()
    wrong = login_raw(server, username, password="nope")
    unknown = login_raw(server, "no-such-user-xyz")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "auth.invalid_credentials"


def test_missing_or_bad_bearer(server: RunningServer) -> None:
    r = requests.get(server.url + "/api/v1/me", timeout=30)
    assert r.status_code == 401 and r.json()["code"] == "auth.invalid_token"
    r = _me(server, "garbage")
    assert r.status_code == 401 and r.json()["code"] == "auth.invalid_token"
    r = requests.get(server.url + "/api/v1/me", headers={"Authorization": "Basic abc"}, timeout=30)
    assert r.status_code == 401 and r.json()["code"] == "auth.invalid_token"


def test_refresh_rotates_and_reuse_revokes_the_family(clocked_server: RunningServer,
                                                       frozen_clock: FrozenClock) -> None:
    server = clocked_server
    username, _ = Peek(server).officer_dossier()
    c = login(server, username)
    r1 = _refresh(server, c.refresh, c.device_id)
    assert r1.status_code == 200
    new = r1.json()
    assert new["refresh_token"] != c.refresh and new["access_token"] != c.access
    assert _me(server, new["access_token"]).status_code == 200
    # the old access token of the same family keeps working until the family is revoked
    assert _me(server, c.access).status_code == 200
    # presenting the rotated refresh token again after the grace window: the family is revoked
    frozen_clock.advance(timedelta(seconds=31))
    reuse = _refresh(server, c.refresh, c.device_id)
    assert reuse.status_code == 401 and reuse.json()["code"] == "auth.refresh_reused"
    assert _me(server, new["access_token"]).json()["code"] == "auth.invalid_token"
    assert _me(server, c.access).status_code == 401
    again = _refresh(server, new["refresh_token"], c.device_id)
    assert again.status_code == 401
    # a new login starts a fresh family
    assert login_raw(server, username, c.device_id).status_code == 200


def test_a_lost_rotation_answer_is_replayed_within_the_grace_window(
        clocked_server: RunningServer, frozen_clock: FrozenClock) -> None:
    """A client killed after the server rotated its token presents the old one again: within
    the window it gets the very same pair (nothing revoked); the pair works, and once the new
    refresh token has been used the old one is reuse again."""
    server = clocked_server
    username, _ = Peek(server).officer_dossier()
    c = login(server, username)
    first = _refresh(server, c.refresh, c.device_id)
    assert first.status_code == 200
    frozen_clock.advance(timedelta(seconds=20))
    replay = _refresh(server, c.refresh, c.device_id)
    assert replay.status_code == 200, replay.text
    assert (replay.json()["access_token"], replay.json()["refresh_token"]) == \
        (first.json()["access_token"], first.json()["refresh_token"])
    assert replay.json()["user"] == first.json()["user"]
    assert 0 < replay.json()["expires_in"] <= 15 * 60 - 20
    assert _me(server, replay.json()["access_token"]).status_code == 200
    # the stored successor is sealed: neither token appears in the database
    peek = Peek(server)
    blob = bytes(peek.scalar("SELECT sealed FROM refresh_successors"))
    assert first.json()["refresh_token"].encode() not in blob
    assert first.json()["access_token"].encode() not in blob
    # the client stored and used the new token: the old one is now plain reuse
    second = _refresh(server, replay.json()["refresh_token"], c.device_id)
    assert second.status_code == 200
    reuse = _refresh(server, c.refresh, c.device_id)
    assert reuse.status_code == 401 and reuse.json()["code"] == "auth.refresh_reused"
    assert _me(server, second.json()["access_token"]).status_code == 401


def test_a_wrong_token_never_opens_the_sealed_pair(clocked_server: RunningServer) -> None:
    server = clocked_server
    username, _ = Peek(server).officer_dossier()
    c = login(server, username)
    assert _refresh(server, c.refresh, c.device_id).status_code == 200
    # same device, an unknown token: invalid, and the family is untouched
    bad = _refresh(server, c.refresh[:-2] + "xx", c.device_id)
    assert bad.status_code == 401 and bad.json()["code"] == "auth.invalid_token"
    assert _refresh(server, c.refresh, c.device_id).status_code == 200


def test_refresh_needs_the_same_device(server: RunningServer) -> None:
    username, _ = Peek(server).officer_dossier()
    c = login(server, username)
    r = _refresh(server, c.refresh, "another-device")
    assert r.status_code == 401 and r.json()["code"] == "auth.invalid_token"
    assert _refresh(server, c.refresh, c.device_id).status_code == 200


def test_logout_revokes_the_family(server: RunningServer) -> None:
    username, _ = Peek(server).officer_dossier()
    c = login(server, username)
    other = login(server, username)  # another session stays alive
    r = c.post("/api/v1/auth/logout")
    assert r.status_code == 204
    assert _me(server, c.access).json()["code"] == "auth.invalid_token"
    assert _refresh(server, c.refresh, c.device_id).status_code == 401
    assert _me(server, other.access).status_code == 200


def test_access_and_refresh_expiry(clocked_server: RunningServer, frozen_clock: FrozenClock) -> None:
    server = clocked_server
    username, _ = Peek(server).officer_dossier()
    c = login(server, username)
    frozen_clock.advance(timedelta(minutes=16))
    r = _me(server, c.access)
    assert r.status_code == 401 and r.json()["code"] == "auth.token_expired"
    fresh = _refresh(server, c.refresh, c.device_id)
    assert fresh.status_code == 200
    frozen_clock.advance(timedelta(days=31))
    r = _refresh(server, fresh.json()["refresh_token"], c.device_id)
    assert r.status_code == 401 and r.json()["code"] == "auth.token_expired"


def test_device_revocation(server: RunningServer) -> None:
    peek = Peek(server)
    username, _ = peek.officer_dossier()
    c = login(server, username)
    admin = login(server, peek.admin())
    devices = admin.get("/api/v1/admin/devices", params={"user_id": c.user["id"]})
    assert devices.status_code == 200
    mine = [d for d in devices.json()["devices"] if d["device_id"] == c.device_id]
    assert len(mine) == 1 and mine[0]["revoked_at"] is None
    r = admin.post(f"/api/v1/admin/devices/{mine[0]['id']}/revoke")
    assert r.status_code == 200 and r.json()["revoked_at"]
    me = _me(server, c.access)
    assert me.status_code == 403 and me.json()["code"] == "auth.device_revoked"
    ref = _refresh(server, c.refresh, c.device_id)
    assert ref.status_code == 403 and ref.json()["code"] == "auth.device_revoked"
    again = login_raw(server, username, c.device_id)
    assert again.status_code == 403 and again.json()["code"] == "auth.device_revoked"
    # another device of the same user is unaffected
    assert login_raw(server, username, "a-new-device").status_code == 200


def test_account_disable(server: RunningServer) -> None:
    peek = Peek(server)
    username, _ = peek.officer_dossier()
    c = login(server, username)
    admin = login(server, peek.admin())
    r = admin.post(f"/api/v1/admin/users/{c.user['id']}/disable")
    assert r.status_code == 200 and r.json()["disabled_at"]
    me = _me(server, c.access)
    assert me.status_code == 403 and me.json()["code"] == "auth.account_disabled"
    ref = _refresh(server, c.refresh, c.device_id)
    assert ref.status_code == 403 and ref.json()["code"] == "auth.account_disabled"
    again = login_raw(server, username)
    assert again.status_code == 403 and again.json()["code"] == "auth.account_disabled"
    # a wrong password still says only "invalid credentials"
    assert login_raw(server, username, password="x").json()["code"] == "auth.invalid_credentials"


def test_admin_endpoints_need_the_admin_role(server: RunningServer) -> None:
    peek = Peek(server)
    username, _ = peek.officer_dossier()
    c = login(server, username)
    for method, path in (
        ("get", "/api/v1/admin/devices"),
        ("post", "/api/v1/admin/devices/1/revoke"),
        ("post", f"/api/v1/admin/users/{c.user['id']}/disable"),
    ):
        r = getattr(c, method)(path)
        assert r.status_code == 403 and r.json()["code"] == "auth.forbidden", path
    assert peek.rows("SELECT 1 FROM devices WHERE revoked_at IS NOT NULL") == []
    admin = login(server, peek.admin())
    assert admin.post("/api/v1/admin/devices/999999/revoke").json()["code"] == "not_found"
    assert admin.post("/api/v1/admin/users/999999/disable").status_code == 404


# ---- the events feed authenticates from the worker's cache (auth_cache) ------------------------


def _feed(server: RunningServer, access: str) -> requests.Response:
    return requests.get(server.url + "/api/v1/events", params={"wait": 0},
                        headers={"Authorization": f"Bearer {access}"}, timeout=30)


def _warm(server: RunningServer, access: str) -> None:
    for _ in range(3):  # the first lookup fills the cache, the next ones answer from it
        assert _feed(server, access).status_code == 200


def test_feed_refuses_a_cached_token_at_once_after_logout_revocation_or_disable(
    server: RunningServer,
) -> None:
    peek = Peek(server)
    username, _ = peek.officer_dossier()
    admin = login(server, peek.admin())
    gone, revoked = login(server, username), login(server, username)
    kept = login(server, username)
    for c in (gone, revoked, kept):
        _warm(server, c.access)
    assert gone.post("/api/v1/auth/logout").status_code == 204
    r = _feed(server, gone.access)
    assert r.status_code == 401 and r.json()["code"] == "auth.invalid_token"
    device = next(d for d in admin.get("/api/v1/admin/devices", params={"user_id": revoked.user["id"]})
                  .json()["devices"] if d["device_id"] == revoked.device_id)
    assert admin.post(f"/api/v1/admin/devices/{device['id']}/revoke").status_code == 200
    r = _feed(server, revoked.access)
    assert r.status_code == 403 and r.json()["code"] == "auth.device_revoked"
    assert _feed(server, kept.access).status_code == 200  # the user's other session goes on
    assert admin.post(f"/api/v1/admin/users/{kept.user['id']}/disable").status_code == 200
    r = _feed(server, kept.access)
    assert r.status_code == 403 and r.json()["code"] == "auth.account_disabled"


def test_feed_checks_a_cached_tokens_expiry_on_every_request(
    clocked_server: RunningServer, frozen_clock: FrozenClock
) -> None:
    server = clocked_server
    c = login(server, Peek(server).officer_dossier()[0])
    _warm(server, c.access)
    frozen_clock.advance(timedelta(minutes=16))
    r = _feed(server, c.access)
    assert r.status_code == 401 and r.json()["code"] == "auth.token_expired"
