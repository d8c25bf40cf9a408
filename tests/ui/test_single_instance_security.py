"""The single-instance lock (issue 10.9): another local user cannot take it, and a second
launch tells the user the app is already running (and raises the first) instead of exiting
silently."""

from __future__ import annotations

import getpass
import hashlib
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDir, Qt
from PySide6.QtWidgets import QMessageBox

from wfh_client.ui.single_instance import SingleInstance, default_name, tell_already_running

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def squatter() -> Iterator[Path]:
    """A socket at the name the lock used to have in the shared temp folder, as any local user
    could create it before us (it accepts connections: 'I am already running')."""
    user = hashlib.sha256(getpass.getuser().encode()).hexdigest()[:16]
    path = Path(QDir.tempPath()) / f"wfh-client-{user}"
    path.unlink(missing_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.listen(8)
    try:
        yield path
    finally:
        sock.close()
        path.unlink(missing_ok=True)


def test_a_squatter_in_the_shared_temp_folder_cannot_take_the_lock(
        qtbot: Any, squatter: Path, private_runtime_dir: Path) -> None:
    lock = SingleInstance()
    try:
        assert lock.start(), "the squatter's socket was taken for a running instance"
        assert Path(lock.name).is_relative_to(private_runtime_dir)
        assert stat.S_ISSOCK(os.stat(lock.name).st_mode)
        assert stat.S_IMODE(os.stat(private_runtime_dir).st_mode) == 0o700
        assert os.stat(private_runtime_dir).st_uid == os.getuid()
    finally:
        lock.close()


CONNECT = """
import os, socket, sys
os.setgid(65534); os.setuid(65534)  # become "nobody": another local user
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(sys.argv[1])
except PermissionError:
    sys.exit(13)
sys.exit(0)
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another local user")
def test_another_local_user_cannot_reach_the_lock(qtbot: Any) -> None:
    lock = SingleInstance()
    assert lock.start()
    try:
        r = subprocess.run([sys.executable, "-c", CONNECT, lock.name], timeout=30)
        assert r.returncode == 13  # the private folder keeps them out
    finally:
        lock.close()


def test_default_name_is_in_the_private_folder(private_runtime_dir: Path) -> None:
    assert Path(default_name()) == private_runtime_dir / "instance"


def test_a_second_launch_tells_the_user_and_raises_the_first(
        qtbot: Any, tmp_path: Path) -> None:
    """The real second launch (``wfh-client-gui`` in another process): it raises the first
    window and says so, in a message that closes by itself, instead of exiting silently."""
    first = SingleInstance()
    assert first.start()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "WFH_CLIENT_POLICY": str(tmp_path / "policy.json")}
    try:
        with qtbot.waitSignal(first.activation_requested, timeout=30_000):
            second = subprocess.Popen(
                [sys.executable, "-m", "wfh_client.ui", "--data-dir", str(tmp_path / "data")],
                env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        _, stderr = second.communicate(timeout=60)
        assert second.returncode == 0
        assert "already running" in stderr
    finally:
        first.close()


def test_the_already_running_message(qtbot: Any) -> None:
    box = tell_already_running(close_after_ms=60_000)
    qtbot.addWidget(box)
    box.open()
    assert box.isVisible() and "đang chạy" in box.text()  # in the user's language
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert not box.isVisible()
