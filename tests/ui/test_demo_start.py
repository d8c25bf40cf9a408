"""Demo mode starts or stops with words a user understands (issue 12.9).

- ``--server-only --port P`` binds P even while it is in TIME_WAIT from the last run, and a
  port another program listens on stops it with a clear message, never a silent move;
- quitting while the app's events long-poll is open prints no traceback;
- without the system libraries of Qt's X11 plugin, the demo names them and the packages to
  install instead of Qt's abort.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from wfh_client import demo
from wfh_client.ui.platform_check import missing_libraries, platform_problem, xcb_plugin

ROOT = Path(__file__).resolve().parents[2]


def port_in_time_wait() -> int:
    """A loopback port a server (SO_REUSEADDR, as uvicorn sets it) has just served and closed
    first: its end of the connection is in TIME_WAIT, as after quitting the demo."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = int(listener.getsockname()[1])
    client = socket.create_connection(("127.0.0.1", port))
    served, _ = listener.accept()
    served.close()  # the active close: this end goes to TIME_WAIT
    client.recv(1)
    client.close()
    listener.close()
    return port


def test_a_port_in_time_wait_is_reused_and_a_busy_one_fails_loudly(
        seeded_template: tuple[Path, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    port = port_in_time_wait()
    with socket.socket() as plain:  # what the old check did: it fails in TIME_WAIT
        with pytest.raises(OSError):
            plain.bind(("127.0.0.1", port))
    db_path, blobs = tmp_path / "server.db", tmp_path / "blobs"
    shutil.copy(seeded_template[0], db_path)
    shutil.copytree(seeded_template[1], blobs)
    server = demo.start_server(db_path, blobs, port)
    try:
        assert server.url == f"http://127.0.0.1:{port}"
        assert requests.get(server.url + "/api/v1/openapi.json", timeout=30).status_code == 200
        with pytest.raises(demo.PortInUse, match=f"Port {port}"):
            demo.start_server(db_path, blobs, port)  # really in use: no silent move
        code = demo.main(["--server-only", "--dir", str(tmp_path), "--port", str(port)])
        assert code == 2
        assert f"Port {port} on 127.0.0.1 is in use" in capsys.readouterr().err
    finally:
        server.stop()


def test_quitting_with_an_open_long_poll_prints_no_traceback(
        seeded_template: tuple[Path, Path], tmp_path: Path,
        capfd: pytest.CaptureFixture[str]) -> None:
    db_path, blobs = tmp_path / "server.db", tmp_path / "blobs"
    shutil.copy(seeded_template[0], db_path)
    shutil.copytree(seeded_template[1], blobs)
    server = demo.start_server(db_path, blobs, 0)
    token = requests.post(server.url + "/api/v1/auth/login", timeout=30, json={
        "username": "cv.tnmt1", "password": demo.DEMO_PASSWORD,
        "device_id": "dev-demo-quit"}).json()["access_token"]
    answers: list[int] = []

    def poll() -> None:
        r = requests.get(server.url + "/api/v1/events", params={"after": 0, "wait": 25},
                         headers={"Authorization": f"Bearer {token}"}, timeout=60)
        answers.append(r.status_code)

    waiting = threading.Thread(target=poll)
    waiting.start()
    hub = server.app.state.events
    deadline = threading.Event()
    while hub.waiting() == 0 and not deadline.wait(0.05):
        pass
    server.stop()
    waiting.join(30)
    assert answers == [200]  # answered, not cut
    assert not server.thread.is_alive()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "CancelledError" not in err


def test_missing_x11_libraries_are_named_with_their_packages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = xcb_plugin()
    if not real.exists():
        pytest.fail(f"PySide6 ships the xcb plugin: {real} is missing")
    assert missing_libraries(real) == []  # this machine has them (CI installs them)
    # the plugin alone, away from the Qt library it needs: a real unresolved dependency
    lonely = tmp_path / "platforms"
    lonely.mkdir()
    shutil.copy(real, lonely / "libqxcb.so")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("QT_QPA_PLATFORM_PLUGIN_PATH", str(lonely))
    assert "libQt6XcbQpa.so.6" in missing_libraries(lonely / "libqxcb.so")
    message = platform_problem()
    assert message is not None and "libQt6XcbQpa.so.6" in message
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert platform_problem() is None  # not the X11 plugin: nothing to check


def test_the_demo_says_what_to_install_instead_of_qts_abort(tmp_path: Path) -> None:
    lonely = tmp_path / "platforms"
    lonely.mkdir()
    shutil.copy(xcb_plugin(), lonely / "libqxcb.so")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "QT_QPA_PLATFORM_PLUGIN_PATH": str(lonely),
           "DISPLAY": ":99"}
    done = subprocess.run([sys.executable, "-m", "wfh_client.demo", "--dir",
                           str(tmp_path / "demo")], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 3, done.stderr
    assert "cannot open a window" in done.stderr and "libQt6XcbQpa.so.6" in done.stderr
    assert "no Qt platform plugin could be initialized" not in done.stderr
    assert not (tmp_path / "demo" / "server.db").exists()  # checked before seeding


