"""The machine policy cannot be bypassed by the user of the PC (issue 10.3, issue 11.5).

Sources: the registry (injected reader: the real one is Windows-only), the machine file (owner
and permissions checked), the developer-only override. A locked server always wins, also over
the user's ``account.json``; ``allow_plaintext_cache`` comes from the policy only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from wfh_client import policy
from wfh_client.buildinfo import make_build_info
from wfh_client.config import ConfigError, LockedSettingError, load_config
from wfh_client.policy import ENV_POLICY, PolicySourceError, check_trusted_file
from wfh_client.sync.account import Account, current_account, save_current
from wfh_client.sync.auth import open_session
from wfh_client.sync.errors import NotLoggedIn
from wfh_client.sync.http import client_from_config

RELEASE = make_build_info({"channel": "release", "build": "20260318.1"}, frozen=True)
DEVELOPER = make_build_info({}, frozen=False)
LOCKED = "https://motcua.tiengiang.gov.vn"


class FakeRegistry:
    """What ``HKLM\\SOFTWARE\\Policies\\MotCua\\WFHClient`` holds on a test PC."""

    def __init__(self, values: dict[str, str | int] | None) -> None:
        self.values = values
        self.keys: list[str] = []

    def read(self, key: str) -> dict[str, str | int] | None:
        self.keys.append(key)
        return self.values


@pytest.fixture
def machine_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The machine policy path moved into a folder only the trusted owner (this uid) writes."""
    folder = tmp_path / "etc" / "wfh-client"
    folder.mkdir(parents=True)
    for p in (tmp_path, tmp_path / "etc", folder):
        p.chmod(0o755)
    path = folder / "policy.json"
    monkeypatch.setattr(policy, "machine_policy_path", lambda: path)
    # the test's own uid plays root too (a real install trusts uid 0 only)
    monkeypatch.setattr(policy, "TRUSTED_UIDS", frozenset({0, os.getuid()}))
    monkeypatch.delenv(ENV_POLICY, raising=False)
    return path


def write(path: Path, data: dict[str, Any], mode: int = 0o644) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    path.chmod(mode)
    return path


def test_env_override_is_ignored_in_a_release_build(
        tmp_path: Path, machine_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(machine_file, {"server_url": LOCKED, "allow_plaintext_cache": False})
    empty = write(tmp_path / "empty.json", {})
    monkeypatch.setenv(ENV_POLICY, str(empty))  # the user's attempt to unlock the server
    cfg = load_config(tmp_path / "data", build=RELEASE)
    assert cfg.get("server_url") == LOCKED and cfg.locked("server_url")
    assert cfg.policy_path == machine_file and cfg.policy_kind == "machine"
    # a developer build (source checkout) honours it: that is what it is for
    dev = load_config(tmp_path / "data", build=DEVELOPER)
    assert dev.policy_path == empty and not dev.locked("server_url")


def test_account_json_cannot_take_the_app_to_another_server(
        tmp_path: Path, machine_file: Path) -> None:
    write(machine_file, {"server_url": LOCKED})
    cfg = load_config(tmp_path / "data", build=RELEASE)
    # the user edits account.json to point at a server of their choice
    save_current(cfg.data_dir, Account("https://attacker.example", "cv.tnmt1"))
    assert current_account(cfg) is None
    with pytest.raises(NotLoggedIn):
        open_session(cfg)
    with pytest.raises(LockedSettingError, match="machine policy"):
        client_from_config(cfg, "https://attacker.example")
    # the locked server itself (any spelling of it) still resumes
    save_current(cfg.data_dir, Account(LOCKED.upper().replace("HTTPS", "https") + "/", "cv.tnmt1"))
    current = current_account(cfg)
    assert current is not None and current.account.username == "cv.tnmt1"
    client_from_config(cfg, LOCKED + "/").close()


def test_policy_file_writable_by_users_is_refused(tmp_path: Path, machine_file: Path) -> None:
    write(machine_file, {"server_url": LOCKED}, mode=0o666)
    with pytest.raises(ConfigError, match="writable by other users"):
        load_config(tmp_path / "data", build=RELEASE)
    machine_file.chmod(0o644)
    machine_file.parent.chmod(0o777)  # a folder anyone can write: the file could be replaced
    with pytest.raises(ConfigError, match="folder .* writable"):
        load_config(tmp_path / "data", build=RELEASE)
    machine_file.parent.chmod(0o755)
    assert load_config(tmp_path / "data", build=RELEASE).locked("server_url")


def test_policy_file_owned_by_a_user_is_refused(tmp_path: Path, machine_file: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    write(machine_file, {"server_url": LOCKED})
    monkeypatch.setattr(policy, "TRUSTED_UIDS", frozenset({os.getuid() + 1}))
    with pytest.raises(ConfigError, match=f"file .* belongs to uid {os.getuid()}, not to root"):
        load_config(tmp_path / "data", build=RELEASE)


def test_a_symlink_to_a_user_file_is_judged_by_its_target(tmp_path: Path,
                                                          machine_file: Path) -> None:
    target = write(tmp_path / "mine.json", {}, mode=0o666)
    machine_file.symlink_to(target)
    with pytest.raises(PolicySourceError, match="writable"):
        check_trusted_file(machine_file)


def test_root_owned_policy_under_real_system_folders_is_trusted() -> None:
    # /etc itself passes the real check (uid 0, 0755): what an installed .deb relies on
    check_trusted_file(Path("/etc/hostname"), trusted_uids=frozenset({Path("/etc").stat().st_uid}))


def test_plaintext_cache_cannot_be_allowed_by_the_user(tmp_path: Path, machine_file: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_text(json.dumps({"allow_plaintext_cache": True,
                                                    "language": "en"}))
    cfg = load_config(data, build=RELEASE)
    assert cfg.get("allow_plaintext_cache") is False and cfg.source("allow_plaintext_cache") == "default"
    assert cfg.get("language") == "en"  # the rest of the user's file still counts
    with pytest.raises(LockedSettingError, match="only be set by the machine policy"):
        cfg.set_user("allow_plaintext_cache", True)
    for key, value in (("update_mode", "notify"), ("support_contact", "me")):
        with pytest.raises(LockedSettingError):
            cfg.set_user(key, value)
    write(machine_file, {"allow_plaintext_cache": True, "support_contact": "IT: 0273 3 888 999"})
    cfg = load_config(data, build=RELEASE)
    assert cfg.get("allow_plaintext_cache") is True and cfg.source("allow_plaintext_cache") == "policy"
    assert cfg.get("support_contact") == "IT: 0273 3 888 999"


def test_registry_wins_over_the_file_and_the_user(tmp_path: Path, machine_file: Path) -> None:
    write(machine_file, {"server_url": "https://file.example", "sync_interval_seconds": 900})
    registry = FakeRegistry({"server_url": LOCKED, "allow_plaintext_cache": 0,
                             "request_timeout_seconds": "45", "update_mode": "notify",
                             "UnknownValue": 1})
    cfg = load_config(tmp_path / "data", build=RELEASE, registry=registry)
    assert registry.keys == [r"SOFTWARE\Policies\MotCua\WFHClient"]
    assert cfg.get("server_url") == LOCKED and cfg.source("server_url") == "registry"
    assert cfg.origin("server_url") == r"HKLM\SOFTWARE\Policies\MotCua\WFHClient\server_url"
    assert cfg.get("sync_interval_seconds") == 900 and cfg.source("sync_interval_seconds") == "policy"
    assert cfg.origin("sync_interval_seconds") == str(machine_file)
    assert cfg.get("request_timeout_seconds") == 45.0  # REG_SZ parsed as the key's type
    assert cfg.get("allow_plaintext_cache") is False and cfg.locked("allow_plaintext_cache")
    assert cfg.get("update_mode") == "notify"
    assert cfg.source("language") == "default" and cfg.origin("language") == "default"
    with pytest.raises(LockedSettingError, match="HKLM"):
        cfg.set_user("server_url", "https://mine.example")


@pytest.mark.parametrize("values, message", [
    ({"allow_plaintext_cache": 2}, "0 or 1"),
    ({"sync_interval_seconds": "often"}, "sync_interval_seconds"),
    ({"server_url": 1}, "REG_SZ"),
    ({"server_url": "ftp://x.example"}, "http"),
])
def test_bad_registry_values_are_errors_naming_the_value(
        tmp_path: Path, machine_file: Path, values: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as err:
        load_config(tmp_path / "data", build=RELEASE, registry=FakeRegistry(values))
    assert "HKLM" in str(err.value)
