"""Settings: defaults, user values, the machine policy (overrides and locks), validation."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from wfh_client.config import (
    REGISTRY,
    ConfigError,
    LockedSettingError,
    MiB,
    default_policy_path,
    device_id,
    load_config,
    resolve_data_dir,
)


@pytest.fixture
def policy_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "policy" / "policy.json"
    path.parent.mkdir()
    monkeypatch.setenv("WFH_CLIENT_POLICY", str(path))
    return path


def test_defaults(tmp_path: Path, policy_file: Path) -> None:
    cfg = load_config(tmp_path / "data")
    assert cfg.get("sync_interval_seconds") == 300
    assert cfg.get("prefetch_max_bytes") == 50 * MiB
    assert cfg.get("allow_plaintext_cache") is False
    assert cfg.get("language") == "vi"
    assert cfg.get("server_url") is None
    assert cfg.get("request_timeout_seconds") == 30.0
    assert all(cfg.source(k) == "default" and not cfg.locked(k) for k in REGISTRY)


def test_user_values_persist_and_validate(tmp_path: Path, policy_file: Path) -> None:
    data = tmp_path / "data"
    cfg = load_config(data)
    cfg.set_user("server_url", "https://motcua.example.gov.vn")
    cfg.set_user("sync_interval_seconds", 600)
    cfg.set_user("language", "en")
    cfg.set_user("request_timeout_seconds", 12)  # an int is fine for a float key
    again = load_config(data)
    assert again.get("server_url") == "https://motcua.example.gov.vn"
    assert again.get("sync_interval_seconds") == 600
    assert again.get("request_timeout_seconds") == 12.0
    assert again.source("language") == "user"
    for key, bad in [
        ("server_url", "ftp://x.example"), ("server_url", "not a url"),
        ("server_url", "https://u:p@host.example"), ("sync_interval_seconds", 5),
        ("sync_interval_seconds", 10**9), ("sync_interval_seconds", "300"),
        ("sync_interval_seconds", True), ("allow_plaintext_cache", 1), ("language", "fr"),
        ("prefetch_max_bytes", -1), ("language", None),
    ]:
        with pytest.raises(ConfigError):
            cfg.set_user(key, bad)
    with pytest.raises(ConfigError, match="unknown setting"):
        cfg.set_user("no_such_key", 1)
    cfg.unset_user("language")
    assert load_config(data).source("language") == "default"


def test_policy_overrides_and_locks(tmp_path: Path, policy_file: Path) -> None:
    data = tmp_path / "data"
    load_config(data).set_user("server_url", "https://mine.example")
    load_config(data).set_user("language", "en")
    policy_file.write_text(json.dumps({
        "_comment": "set by IT",
        "server_url": "https://motcua.tiengiang.gov.vn",
        "sync_interval_seconds": 120,
        "allow_plaintext_cache": False,
        "future_key": 1,
    }))
    cfg = load_config(data)
    assert cfg.get("server_url") == "https://motcua.tiengiang.gov.vn"
    assert cfg.source("server_url") == "policy" and cfg.locked("server_url")
    assert cfg.source("language") == "user" and not cfg.locked("language")
    assert cfg.source("prefetch_max_bytes") == "default"
    with pytest.raises(LockedSettingError, match="policy"):
        cfg.set_user("server_url", "https://other.example")
    with pytest.raises(LockedSettingError):
        cfg.set_user("sync_interval_seconds", 300)
    items = {i.key: i for i in cfg.items()}
    assert items["sync_interval_seconds"].value == 120 and items["sync_interval_seconds"].locked
    assert items["language"].source == "user"
    assert set(items) == set(REGISTRY)


@pytest.mark.parametrize("content, match", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "JSON object"),
    ('{"sync_interval_seconds": "often"}', "sync_interval_seconds"),
    ('{"server_url": "gopher://x"}', "server_url"),
])
def test_malformed_policy_is_an_error_naming_the_file(
    tmp_path: Path, policy_file: Path, content: str, match: str
) -> None:
    policy_file.write_text(content)
    with pytest.raises(ConfigError, match=match) as info:
        load_config(tmp_path / "data")
    assert str(policy_file) in str(info.value)


def test_malformed_user_settings_is_an_error(tmp_path: Path, policy_file: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_text("{")
    with pytest.raises(ConfigError, match="settings.json"):
        load_config(data)


def test_paths_and_device_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WFH_CLIENT_POLICY", "/x/policy.json")
    assert default_policy_path() == Path("/x/policy.json")
    monkeypatch.delenv("WFH_CLIENT_POLICY")
    assert default_policy_path().name == "policy.json"
    monkeypatch.setenv("WFH_CLIENT_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir() == tmp_path / "env"
    assert resolve_data_dir(tmp_path / "arg") == tmp_path / "arg"
    monkeypatch.delenv("WFH_CLIENT_DATA_DIR")
    assert "wfh-client" in str(resolve_data_dir())
    first = device_id(tmp_path / "d")
    assert uuid.UUID(first).version == 4
    assert device_id(tmp_path / "d") == first
    assert device_id(tmp_path / "other") != first
