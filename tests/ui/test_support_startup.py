"""Help > Create support bundle, and start-up errors a windowed app cannot print (11.7, 11.8).

The bundle is created as a user does it: the Help menu entry, the save dialog, the message
that says where it went. Start-up errors: a broken policy shows a message box and goes to the
log file; Qt missing, or its platform plugin unable to load a library, shows a native dialog
(a recording ``zenity`` on the PATH) and goes to the log file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLibraryInfo, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox

from tests.ui.conftest import NOW
from wfh_client.config import load_config
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.events import EventBus
from wfh_client.store import Cache
from wfh_client.sync.account import Account, save_current
from wfh_client.ui.app import ClientApp, create_application
from wfh_client.ui.sample_data import fill_cache, sample_dossiers

ROOT = Path(__file__).resolve().parents[2]


def test_help_menu_creates_a_support_bundle(qtbot: Any, tmp_path: Path,
                                            calendar: WorkingCalendar) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"server_url": "http://127.0.0.1:9",
                                  "support_contact": "Phòng CNTT: 0273 3 888 999"}))
    config = load_config(tmp_path / "client", policy_path=policy)
    account = Account("http://127.0.0.1:9", "cv.support")
    save_current(config.data_dir, account, {"full_name": "Cán bộ hỗ trợ"})
    cache = Cache.open(account.server_url, account.username, data_dir=config.data_dir)
    docs = list(sample_dossiers(20, calendar=calendar, now=NOW, seed=11))
    fill_cache(cache, docs)
    create_application(language="vi")
    shell = ClientApp(cache=cache, bus=EventBus(), calendar=calendar, config=config,
                      tray_available=False)
    qtbot.addWidget(shell.window)
    target = tmp_path / "out" / "ho-tro.zip"
    target.parent.mkdir()
    try:
        shell.show()
        help_menu = shell.window.help_menu
        action = next(a for a in help_menu.actions() if a.objectName() == "act_support_bundle")
        assert action.text() == "Tạo &gói hỗ trợ..."
        assert shell.support_bundle is not None

        action.trigger()  # Help > Create support bundle...
        dialog = shell.support_bundle.dialog
        assert isinstance(dialog, QFileDialog) and dialog.isVisible()
        dialog.setDirectory(str(target.parent))
        name = dialog.findChild(QLineEdit, "fileNameEdit")  # typed, as a user does
        name.setText(target.name)
        with qtbot.waitSignal(shell.support_bundle.finished, timeout=60_000) as done:
            dialog.accept()
        assert done.args == [str(target), ""]
        box = shell.support_bundle.message
        assert box is not None and box.isVisible() and str(target) in box.text()
        assert "CNTT" in box.text()  # Vietnamese: send it to IT
        with zipfile.ZipFile(target) as zf:
            names = set(zf.namelist())
            texts = [zf.read(n).decode("utf-8") for n in names]
        assert {"doctor.json", "policy.json", "cache.json", "manifest.json"} <= names
        for doc in docs:
            for value in (doc["applicant"]["name"], doc["applicant"].get("id_number")):
                if value and len(value) >= 4:
                    assert not any(value in t for t in texts), value
        box.close()
    finally:
        shell.shutdown()
        cache.close()


def _restore_logging() -> Any:
    import logging

    root = logging.getLogger()
    return list(root.handlers), root.level


def test_a_broken_policy_shows_a_dialog_and_is_logged(qtbot: Any, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    from wfh_client import gui_main

    policy = tmp_path / "policy.json"
    policy.write_text('{"server_url": "ftp://not-a-server"}')
    log_dir = tmp_path / "logs"
    monkeypatch.setenv("WFH_CLIENT_POLICY", str(policy))  # a developer build honours it
    monkeypatch.setenv("WFH_CLIENT_LOG_DIR", str(log_dir))
    shown: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, read_and_close)
            return
        shown.append(box.text())
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok),
                         __import__("PySide6.QtCore").QtCore.Qt.MouseButton.LeftButton)

    handlers, level = _restore_logging()
    try:
        QTimer.singleShot(50, read_and_close)
        code = gui_main.main(["--data-dir", str(tmp_path / "data")])
    finally:
        root = logging.getLogger()
        for h in list(root.handlers):
            if h not in handlers:
                root.removeHandler(h)
                h.close()
        root.setLevel(level)
    assert code == 2
    assert shown and str(policy) in shown[0] and "không hợp lệ" in shown[0]
    assert str(log_dir / "wfh-client-gui.log") in shown[0]
    logged = (log_dir / "wfh-client-gui.log").read_text(encoding="utf-8")
    assert "configuration error" in logged and "server_url" in logged


@pytest.fixture
def recording_zenity(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A ``zenity`` first on the PATH that records its arguments (the user's dialog)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "zenity-args.json"
    script = bin_dir / "zenity"
    script.write_text(f"#!{sys.executable}\nimport json, sys\n"
                      f"open({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n")
    script.chmod(0o755)
    env = dict(os.environ)
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", PYTHONPATH=str(ROOT),
               WFH_CLIENT_LOG_DIR=str(tmp_path / "logs"))
    return env, record


def _dialog_text(record: Path) -> str:
    args = json.loads(record.read_text())
    assert "--error" in args
    return next(a for a in args if a.startswith("--text="))


def test_missing_qt_shows_a_native_dialog_and_is_logged(
        tmp_path: Path, recording_zenity: tuple[dict[str, str], Path]) -> None:
    env, record = recording_zenity
    code = ("import sys; sys.modules['PySide6'] = None\n"  # as if PySide6 were not installed
            "from wfh_client.gui_main import main; sys.exit(main([]))")
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       timeout=60, cwd=tmp_path)
    assert r.returncode == 3, r.stderr
    text = _dialog_text(record)
    assert "Qt" in text and "thư viện giao diện" in text and "wfh-client-gui.log" in text
    logged = (tmp_path / "logs" / "wfh-client-gui.log").read_text(encoding="utf-8")
    assert "Qt is not usable" in logged and "No module named 'PySide6.QtCore'" in logged


@pytest.mark.skipif(sys.platform != "linux", reason="Qt platform plugins are .so files here")
def test_platform_plugin_missing_a_library_shows_a_native_dialog(
        tmp_path: Path, recording_zenity: tuple[dict[str, str], Path]) -> None:
    env, record = recording_zenity
    patchelf = shutil.which("patchelf")
    assert patchelf, "patchelf is installed by .ci/run"
    plugins = tmp_path / "platforms"
    plugins.mkdir()
    source = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    broken = plugins / "libqxcb.so"
    shutil.copy(source / "libqxcb.so", broken)
    # what a desktop without libxcb-cursor0 looks like to Qt's xcb plugin
    subprocess.run([patchelf, "--add-needed", "libwfh-missing-xcb-cursor.so.0", str(broken)],
                   check=True, timeout=60)
    env.update(QT_QPA_PLATFORM="xcb", QT_QPA_PLATFORM_PLUGIN_PATH=str(plugins), DISPLAY=":97")
    r = subprocess.run([sys.executable, "-m", "wfh_client.gui_main"], env=env,
                       capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert r.returncode == 3, r.stderr
    assert "libwfh-missing-xcb-cursor.so.0" in _dialog_text(record)
    logged = (tmp_path / "logs" / "wfh-client-gui.log").read_text(encoding="utf-8")
    assert "libwfh-missing-xcb-cursor.so.0" in logged
