"""Decrypted copies never outlive their use (issue 10.2, 9.11): they live in one private
per-account folder (0700, per-user runtime dir, never the shared temp folder), and one left by
a crash (a real SIGKILL) is removed by the revocation wipe. The private folder itself cannot be
another user's or a link."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.client.auth_helpers import DEMO_PASSWORD, require_real_keyring
from tests.server.util import Peek
from tests.support.kill import leave_a_copy_by_kill
from tests.support.server import RunningServer
from wfh_client.runtime import UnsafeDirectory, ensure_private, private_dir
from wfh_client.sync.account import Account
from wfh_client.sync.http import HttpClient

OFFICER = "cv.nn1"
ROOT = Path(__file__).resolve().parents[2]


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wfh_client", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_a_copy_left_by_a_kill_is_private_and_removed_by_the_revocation_wipe(
        server: RunningServer, tmp_path: Path, private_runtime_dir: Path) -> None:
    require_real_keyring()
    env = {**os.environ, "WFH_CLIENT_DATA_DIR": str(tmp_path / "data"),
           "WFH_CLIENT_POLICY": str(tmp_path / "policy.json"), "PYTHONPATH": str(ROOT)}
    r = cli(env, "login", "--server", server.url, "--username", OFFICER, "--password-stdin",
            stdin=DEMO_PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    copy = leave_a_copy_by_kill(server.url, OFFICER, tmp_path / "data")
    # where the crash left it: this user's private folder, not the shared temp folder
    assert copy.is_relative_to(private_runtime_dir / "open" / Account(server.url, OFFICER).id)
    assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
    # IT revokes the device: the next contact wipes everything, the leftover copy included
    admin = HttpClient(server.url, timeout=10)
    body = admin.post("/api/v1/auth/login", json={"username": "admin", "password": DEMO_PASSWORD,
                                                  "device_id": "admin-console"}).json()
    admin.session.headers["Authorization"] = f"Bearer {body['access_token']}"
    officer_id = Peek(server).user(OFFICER).id
    devices = admin.get("/api/v1/admin/devices", params={"user_id": officer_id}).json()
    [device] = devices["devices"]
    assert admin.post(f"/api/v1/admin/devices/{device['id']}/revoke").status_code == 200
    r = cli(env, "status", "--json")
    assert r.returncode == 7, r.stderr
    assert not copy.exists() and not copy.parent.exists()


def test_the_private_folder_is_ours_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o777)
    loose.chmod(0o777)
    monkeypatch.setenv("WFH_CLIENT_RUNTIME_DIR", str(loose))
    assert private_dir() == loose
    assert stat.S_IMODE(os.stat(loose).st_mode) == 0o700  # tightened
    target = tmp_path / "elsewhere"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(UnsafeDirectory):
        ensure_private(link)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to create another user's folder")
def test_another_users_folder_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 65534, 65534)  # nobody
    with pytest.raises(UnsafeDirectory, match="another user"):
        ensure_private(theirs)
