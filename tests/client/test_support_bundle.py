"""The support bundle (issue 11.7): what IT needs, and nothing personal or secret.

Real server, real keyring, real encrypted cache, the CLI as a subprocess. The test seeds
personal data (the server's dossiers, a note with a citizen's details) and secrets (tokens in
log lines, an Authorization header, a password, a query string), builds the bundle and greps
every file of the ZIP for each of them.
"""

from __future__ import annotations

import json
import logging
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from tests.client.test_cli import env, login, run  # noqa: F401 - env is a fixture
from tests.support.server import RunningServer
from wfh_client.logs import redact, setup_logging
from wfh_client.support_bundle import Scrubber, parse_since
from wfh_client.sync.account import Account
from wfh_client.sync.auth import TokenStore

OFFICER = "cv.nn1"


def read_zip(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist()}


def cached_personal_data(server: RunningServer) -> list[str]:
    """Applicant fields and note texts the officer's cache now holds (from the server's DB)."""
    from tests.server.util import Peek

    peek = Peek(server)
    rows = peek.rows("SELECT payload FROM dossiers d JOIN users u ON u.id = d.assignee_id "
                     "WHERE u.username = :u AND d.status != 7", u=OFFICER)
    values: list[str] = []
    for (payload,) in rows:
        doc = json.loads(payload)
        a = doc["applicant"]
        values += [a[k] for k in ("name", "id_number", "phone", "email", "address") if a.get(k)]
    return values


def test_bundle_has_what_it_needs_and_nothing_personal(
        server: RunningServer, env: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    log_dir = tmp_path / "logs"
    env["WFH_CLIENT_LOG_DIR"] = str(log_dir)
    env["WFH_SECRET_NOT_ALLOWED"] = "must-not-appear-anywhere"
    assert login(env, server.url, OFFICER).returncode == 0
    r = run(env, "sync", "--json", timeout=120)
    assert r.returncode == 0, r.stderr
    personal = cached_personal_data(server)
    assert len(personal) >= 10
    status = json.loads(run(env, "status", "--json", "--offline").stdout)
    assert status["cache"]["dossiers"] >= 2
    # a note with a citizen's details, recorded offline (stays in the outbox)
    from wfh_client.config import load_config
    from wfh_client.store.cache import Cache

    cfg = load_config(env["WFH_CLIENT_DATA_DIR"], policy_path=Path(env["WFH_CLIENT_POLICY"]))
    with Cache.open(server.url, OFFICER, data_dir=cfg.data_dir) as cache:
        dossier_id = cache.reader().execute("SELECT id FROM dossiers LIMIT 1").fetchone()[0]
    note = "Bà Trần Thị Bích Ngọc, CCCD 079188001234, ĐT 0912345678, 12 Lê Lợi, Mỹ Tho"
    assert run(env, "note", dossier_id, note).returncode == 0
    account = Account(server.url, OFFICER)
    tokens = TokenStore()
    refresh = tokens.get_refresh(account.id)
    cache_key = tokens.get("cache-key", account.id)
    assert refresh and cache_key
    # what a careless log line could carry: seeded into the user's log files
    home = str(Path.home())
    log_dir.mkdir(parents=True, exist_ok=True)
    (log_dir / "wfh-client-gui.log.1").write_text(
        f"ERROR refresh failed for {refresh}\n"
        f"DEBUG headers {{'Authorization': 'Bearer {refresh}', 'Cookie': 'sid=abc123xyz'}}\n"
        f"INFO POST /api/v1/auth/login password=Mat-khau-99 username={OFFICER}\n"
        f"INFO GET {server.url}/api/v1/dossiers/x/documents?name=Nguyen%20Van%20A.pdf\n"
        f"WARNING cannot open {home}/Documents/ho-so.pdf\n"
        f"ERROR applicant {personal[0]} / {personal[1]}: {note}\n"
        f"DEBUG cache key {cache_key}\n", encoding="utf-8")

    out = tmp_path / "bundle.zip"
    r = run(env, "support-bundle", "-o", str(out), "--since", "7d", timeout=120)
    assert r.returncode == 0, r.stderr
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    files = read_zip(out)
    # what IT needs
    for name in ("build.json", "doctor.json", "policy.json", "settings.json", "cache.json",
                 "keyring.json", "environment.json", "tls.json", "manifest.json", "system.json",
                 "logs/wfh-client-gui.log.1", "logs/wfh-client.log"):
        assert name in files, sorted(files)
    assert json.loads(files["manifest.json"])["errors"] == {}
    doctor = json.loads(files["doctor.json"])
    assert {c["name"] for c in doctor["checks"]} >= {"server", "keyring", "cache"}
    assert doctor["policy_sources"]["policy_file_kind"] == "developer"
    cache_facts = json.loads(files["cache.json"])
    assert cache_facts["integrity"]["ok"] and cache_facts["counts"]["pending"] == 1
    policy = json.loads(files["policy.json"])
    assert {s["setting"] for s in policy["settings"]} >= {"server_url", "allow_plaintext_cache"}
    assert json.loads(files["keyring.json"])["backend"].startswith("keyring.backends.")
    assert "WFH_SECRET_NOT_ALLOWED" not in files["environment.json"]
    assert "[redacted]" in files["logs/wfh-client-gui.log.1"]
    assert "refresh failed for" in files["logs/wfh-client-gui.log.1"]  # the context stays
    # ... and nothing personal or secret, in any file
    secrets = [refresh, cache_key, "Mat-khau-99", "sid=abc123xyz", "Nguyen%20Van%20A", home,
               "must-not-appear-anywhere", note, "079188001234", "0912345678",
               "Trần Thị Bích Ngọc", *personal]
    for name, text in files.items():
        for secret in secrets:
            assert secret not in text, (name, secret)
    raw = out.read_bytes()
    for secret in (refresh, cache_key):
        assert secret.encode() not in raw


def test_log_file_redacts_on_the_way_in(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers), root.level
    try:
        path = setup_logging("unit", directory=tmp_path)
        assert path is not None
        logging.getLogger("wfh_client.sync").info("sent Authorization: Bearer tok.en-123")
        logging.getLogger("wfh_client.sync").info("GET https://h.example/x?cccd=079188001234")
        for h in root.handlers:
            h.flush()
        text = path.read_text(encoding="utf-8")
        assert "tok.en-123" not in text and "079188001234" not in text
        assert "https://h.example/x?[redacted]" in text
        assert oct(tmp_path.stat().st_mode & 0o777) == "0o700"
    finally:
        for h in list(root.handlers):
            if h not in before[0]:
                root.removeHandler(h)
                h.close()
        root.setLevel(before[1])


@pytest.mark.parametrize("text, expected", [
    ("7d", timedelta(days=7)), ("12h", timedelta(hours=12)), ("30m", timedelta(minutes=30)),
])
def test_since(text: str, expected: timedelta) -> None:
    assert parse_since(text) == expected


@pytest.mark.parametrize("bad", ["7", "0d", "-1d", "7w", "seven days"])
def test_bad_since_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_since(bad)


def test_scrubber_catches_escaped_and_partial_forms() -> None:
    scrub = Scrubber()
    scrub.add(["Nguyễn Văn An", "x"])  # one-letter values are ignored: they would blank words
    text = json.dumps({"n": "Nguyễn Văn An"})  # \\u-escaped in JSON
    assert "Nguy" not in scrub(text) and "x" in scrub("x marks")
    assert redact(redact("password=abc")) == "password=[redacted]"
