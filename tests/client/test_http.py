"""The HTTP layer against real loopback servers: retries, backoff, Retry-After, error mapping,
timeouts, unreachable servers and TLS verification (self-signed, then trusted via ca_bundle)."""

from __future__ import annotations

import email.utils
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.client.auth_helpers import Reply, ScriptedServer, tls_server
from tests.support.server import free_port
from wfh_client.sync.errors import (
    ApiError,
    AuthFailed,
    DeviceRevoked,
    ResyncRequired,
    ServerUnreachable,
    TlsError,
    TokenRejected,
)
from wfh_client.sync.http import NO_RETRY, HttpClient, RetryPolicy

OK = Reply(200, {"ok": True})


def client(url: str, sleeps: list[float], **kw: object) -> HttpClient:
    kw.setdefault("retry", RetryPolicy(jitter=0))
    return HttpClient(url, sleep=sleeps.append, timeout=5, **kw)  # type: ignore[arg-type]


# ---- the policy's arithmetic ---------------------------------------------------------------


def test_backoff_is_exponential_and_capped() -> None:
    p = RetryPolicy(backoff_factor=0.5, backoff_max=10, jitter=0)
    assert [p.backoff(n) for n in range(1, 7)] == [0.5, 1, 2, 4, 8, 10]
    assert p.backoff(0) == 0
    assert p.backoff(60) == 10  # no overflow, still capped


def test_jitter_bounds() -> None:
    p = RetryPolicy(backoff_factor=1, backoff_max=100, jitter=0.5)
    assert p.backoff(3, rand=lambda: 0.0) == 4.0
    assert p.backoff(3, rand=lambda: 0.999999) == pytest.approx(4.5, abs=1e-5)
    rng = random.Random(7)
    samples = [p.backoff(2, rand=rng.random) for _ in range(2000)]
    assert all(2.0 <= s < 2.5 for s in samples)
    assert max(samples) - min(samples) > 0.4  # the jitter actually spreads
    capped = RetryPolicy(backoff_factor=1, backoff_max=3, jitter=5)
    assert all(capped.backoff(4, rand=rng.random) == 3 for _ in range(100))


def test_retry_after_parsing() -> None:
    p = RetryPolicy(retry_after_max=60)
    now = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    assert p.parse_retry_after("7") == 7
    assert p.parse_retry_after(" 0 ") == 0
    assert p.parse_retry_after("3600") == 60  # capped
    http_date = email.utils.format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert p.parse_retry_after(http_date, now=now) == 30
    past = email.utils.format_datetime(now - timedelta(hours=1), usegmt=True)
    assert p.parse_retry_after(past, now=now) == 0
    for bad in (None, "", "soon", "-5", "1.5"):
        assert p.parse_retry_after(bad, now=now) is None


def test_which_methods_retry() -> None:
    p = RetryPolicy()
    assert all(p.method_retryable(m) for m in ("GET", "head", "PUT", "DELETE", "OPTIONS"))
    assert not p.method_retryable("POST")
    assert not p.method_retryable("PATCH")
    assert p.method_retryable("POST", {"Idempotency-Key": "abc12345"})
    assert p.method_retryable("POST", {"idempotency-key": "abc12345"})
    assert not p.method_retryable("POST", {"Idempotency-Key": ""})
    assert RetryPolicy().with_(total=0).total == 0
    with pytest.raises(AttributeError):
        p.total = 5  # type: ignore[misc]  # immutable


# ---- real loopback servers -----------------------------------------------------------------


def test_get_retries_503_then_succeeds() -> None:
    sleeps: list[float] = []
    with ScriptedServer([Reply(503, {"code": "x", "message": "busy"}), Reply(502, "<h1>bad</h1>"),
                         OK]) as srv:
        r = client(srv.url, sleeps).get("/ping")
    assert r.json() == {"ok": True}
    assert len(srv.requests) == 3
    assert sleeps == [0.5, 1.0]


def test_retry_after_is_honoured() -> None:
    sleeps: list[float] = []
    with ScriptedServer([Reply(503, "", {"Retry-After": "3"}), Reply(429, "", {"Retry-After": "1"}),
                         OK]) as srv:
        client(srv.url, sleeps).get("/x")
    assert sleeps == [3.0, 1.0]
    sleeps.clear()
    with ScriptedServer([Reply(503, "", {"Retry-After": "3"}), OK]) as srv:
        client(srv.url, sleeps, retry=RetryPolicy(jitter=0, respect_retry_after=False)).get("/x")
    assert sleeps == [0.5]


def test_retries_are_bounded() -> None:
    sleeps: list[float] = []
    with ScriptedServer([Reply(503, {"code": "busy", "message": "later", "details": {}})]) as srv:
        with pytest.raises(ApiError) as info:
            client(srv.url, sleeps, retry=RetryPolicy(total=2, jitter=0)).get("/x")
    assert info.value.status == 503 and info.value.code == "busy"
    assert len(srv.requests) == 3 and len(sleeps) == 2


def test_post_without_idempotency_key_is_not_retried() -> None:
    sleeps: list[float] = []
    busy = Reply(503, {"code": "busy", "message": "m"})
    with ScriptedServer([busy, busy, OK]) as srv:
        with pytest.raises(ApiError):
            client(srv.url, sleeps).post("/api/v1/auth/login", json={"a": 1})
        assert len(srv.requests) == 1 and sleeps == []
        r = client(srv.url, sleeps).post("/api/v1/dossiers/1/actions", json={},
                                         headers={"Idempotency-Key": "key-12345"})
    assert r.status_code == 200
    assert srv.requests[-1][2]["Idempotency-Key"] == "key-12345"
    assert len(srv.requests) == 1 + 2 and sleeps == [0.5]  # the keyed POST: 503, then OK


def test_error_bodies_map_to_exceptions() -> None:
    cases = [
        (Reply(401, {"code": "auth.invalid_credentials", "message": "Wrong", "details": {}}),
         AuthFailed),
        (Reply(401, {"code": "auth.token_expired", "message": "exp"}), TokenRejected),
        (Reply(403, {"code": "auth.account_disabled", "message": "off"}), DeviceRevoked),
        (Reply(410, {"code": "sync.resync_required", "message": "again"}), ResyncRequired),
    ]
    for reply, cls in cases:
        with ScriptedServer([reply]) as srv, pytest.raises(cls) as info:
            client(srv.url, []).get("/x")
        assert type(info.value) is cls and info.value.status == reply.status
    assert info.value.details == {}
    with ScriptedServer([Reply(403, {"code": "auth.device_revoked", "message": "r"})]) as srv:
        with pytest.raises(DeviceRevoked) as revoked:
            client(srv.url, []).get("/x")
    assert revoked.value.reason == "auth.device_revoked" and not revoked.value.account_disabled
    with ScriptedServer([Reply(502, "<html>Bad gateway from the proxy</html>")]) as srv:
        with pytest.raises(ApiError) as info2:
            client(srv.url, [], retry=NO_RETRY).get("/x")
    assert info2.value.code == "http.502" and info2.value.status == 502
    with ScriptedServer([Reply(409, {"code": "action.conflict", "message": "stale",
                                     "details": {"outcome": "conflict"}})]) as srv:
        with pytest.raises(ApiError) as info3:
            client(srv.url, []).get("/x")
    assert info3.value.is_conflict and info3.value.details == {"outcome": "conflict"}
    with ScriptedServer([Reply(416, {"code": "document.range_not_satisfiable", "message": ""})]) \
            as srv:
        assert client(srv.url, []).get("/x", accept=frozenset({416})).status_code == 416


def test_unreachable_server() -> None:
    port = free_port()  # nothing listens there
    sleeps: list[float] = []
    with pytest.raises(ServerUnreachable, match="cannot reach"):
        client(f"http://127.0.0.1:{port}", sleeps, retry=RetryPolicy(total=2, jitter=0)).get("/x")
    assert sleeps == [0.5, 1.0]
    sleeps.clear()
    with pytest.raises(ServerUnreachable):
        client(f"http://127.0.0.1:{port}", sleeps).post("/x", json={})
    assert sleeps == []


def test_read_timeout_is_retried_for_get() -> None:
    sleeps: list[float] = []
    with ScriptedServer([Reply(200, {"slow": True}, delay=1.5), OK]) as srv:
        c = HttpClient(srv.url, timeout=0.5, sleep=sleeps.append, retry=RetryPolicy(jitter=0))
        assert c.timeout == (0.5, 0.5)
        assert c.get("/x").json() == {"ok": True}
        assert len(sleeps) == 1
    with ScriptedServer([Reply(200, {"slow": True}, delay=0.5)]) as srv:
        with pytest.raises(ServerUnreachable, match="timed out"):
            HttpClient(srv.url, retry=NO_RETRY).get("/slow", timeout=(1, 0.05))
    assert HttpClient("https://h.example", timeout=60).timeout == (10.0, 60)


def test_self_signed_certificate_is_a_tls_error(tmp_path: Path) -> None:
    with tls_server(tmp_path, [OK]) as (srv, _cert):
        with pytest.raises(TlsError, match="certificate"):
            HttpClient(srv.url, timeout=5).get("/x")


def test_self_signed_certificate_trusted_through_ca_bundle(tmp_path: Path) -> None:
    with tls_server(tmp_path, [OK]) as (srv, cert):
        with HttpClient(srv.url, timeout=5, ca_bundle=str(cert)) as c:
            assert c.get("/x").json() == {"ok": True}
            assert c.get("/y").status_code == 200  # pooled connection reused


def test_bad_ca_bundle_path_is_a_tls_error(tmp_path: Path) -> None:
    with pytest.raises(TlsError, match="CA bundle"):
        HttpClient("https://127.0.0.1:9", ca_bundle=str(tmp_path / "missing.pem"))
