"""Single instance, settings dialog with machine policy, formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from wfh_client.config import MiB, load_config
from wfh_client.ui.i18n import format_remaining, set_language
from wfh_client.ui.settings_dialog import SettingsDialog
from wfh_client.ui.single_instance import SingleInstance, default_name

ROOT = Path(__file__).resolve().parents[2]
SECOND = """
import sys
from PySide6.QtCore import QCoreApplication
from wfh_client.ui.single_instance import SingleInstance
app = QCoreApplication(sys.argv)
sys.exit(0 if SingleInstance(sys.argv[1]).start() else 3)
"""


def test_second_launch_activates_first(qtbot: Any) -> None:
    name = f"wfh-test-{uuid.uuid4().hex[:8]}"
    first = SingleInstance(name)
    assert first.start()
    with qtbot.waitSignal(first.activation_requested, timeout=10_000):
        proc = subprocess.Popen([sys.executable, "-c", SECOND, name], cwd=ROOT,
                                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.wait(timeout=30) == 3  # the second one found us and exited
    first.close()
    # with the first gone, a new launch becomes the primary
    again = SingleInstance(name)
    assert again.start()
    again.close()


def test_default_name_is_per_user(private_runtime_dir: Path) -> None:
    assert Path(default_name()).parent == private_runtime_dir  # this user's 0700 folder


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"server_url": "https://motcua.hanoi.gov.vn",
                                  "sync_interval_seconds": 600}), encoding="utf-8")
    monkeypatch.setenv("WFH_CLIENT_POLICY", str(policy))
    return load_config(tmp_path / "data")


def test_settings_locked_values(qtbot: Any, config: Any) -> None:
    dialog = SettingsDialog(config)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.server_url.isEnabled()
    assert dialog.server_url.text() == "https://motcua.hanoi.gov.vn"
    assert not dialog.sync_interval.isEnabled() and dialog.sync_interval.value() == 600
    assert dialog.managed_labels["server_url"].isVisible()
    assert dialog.managed_labels["server_url"].text() == "Do tổ chức của bạn quản lý"
    assert dialog.language.isEnabled() and dialog.prefetch.isEnabled()
    assert not dialog.managed_labels["language"].isVisible()
    dialog.prefetch.setValue(20)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    with qtbot.waitSignal(dialog.language_changed) as lang:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert lang.args == ["en"]
    reloaded = load_config(config.data_dir)
    assert reloaded.get("prefetch_max_bytes") == 20 * MiB
    assert reloaded.get("language") == "en"
    assert reloaded.source("server_url") == "policy"


def test_settings_in_english(qtbot: Any, config: Any) -> None:
    set_language("en")
    dialog = SettingsDialog(config)
    qtbot.addWidget(dialog)
    assert dialog.managed_labels["server_url"].text() == "Managed by your organisation"
    assert dialog.windowTitle() == "Settings"


def test_remaining_time_formats() -> None:
    day = 8.0
    assert format_remaining(timedelta(hours=19), day) == "2 ngày 3 giờ"
    assert format_remaining(timedelta(hours=-8), day) == "quá hạn 1 ngày"
    assert format_remaining(timedelta(minutes=25), day) == "25 phút"
    set_language("en")
    assert format_remaining(timedelta(hours=19), day) == "2 days 3 hours"
    assert format_remaining(timedelta(hours=-9), day) == "overdue 1 day 1 hour"
