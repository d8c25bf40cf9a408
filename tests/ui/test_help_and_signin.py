"""Help inside the app (issue 12.14) and a first sign-in with the server down (issue 12.17)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from tests.client.auth_helpers import require_real_keyring
from tests.support.server import free_port
from tests.ui.conftest import NOW
from tests.ui.helpers import press
from wfh_client import __version__
from wfh_client.config import Config, load_config
from wfh_client.events import EventBus
from wfh_client.ui.app import ClientApp
from wfh_client.ui.help import AboutDialog, GuideDialog
from wfh_client.ui.i18n import set_language
from wfh_client.ui.launcher import Launcher

SUPPORT = "Tổ CNTT Văn phòng UBND tỉnh — 0273 3 872 000"


def config_with(tmp_path: Path, **policy: Any) -> Config:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(policy), encoding="utf-8")
    return load_config(tmp_path / "client", policy_path=path)


@pytest.fixture
def shell(qtbot: Any, small: Any, bus: EventBus, calendar: Any,
          tmp_path: Path) -> Iterator[ClientApp]:
    cache, _docs = small
    app = ClientApp(cache=cache, bus=bus, calendar=calendar, clock=lambda: NOW,
                    config=config_with(tmp_path, support_contact=SUPPORT),
                    tray_available=False)
    app.show()
    qtbot.waitExposed(app.window)
    yield app
    app.shutdown()
    app.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_f1_opens_the_guide_in_the_users_language(qtbot: Any, shell: ClientApp) -> None:
    press(qtbot, shell.window.list_view, "F1")
    guide = shell.window.guide
    assert isinstance(guide, GuideDialog)
    qtbot.waitUntil(guide.isVisible, timeout=10_000)
    assert not guide.isModal()
    assert "Hướng dẫn nhanh" in guide.browser.toPlainText()
    assert "Việc cần làm" in guide.browser.toPlainText()
    set_language("en")
    qtbot.waitUntil(lambda: "Quick guide" in guide.browser.toPlainText(), timeout=10_000)
    assert guide.windowTitle() == "User guide"


def test_about_shows_version_build_and_it_support(qtbot: Any, shell: ClientApp) -> None:
    shell.window.act_about.trigger()  # Help > About
    about = shell.window.about
    assert isinstance(about, AboutDialog)
    text = about.text.text()
    assert f"Phiên bản {__version__}" in text
    assert "bản dựng git " in text or "bản dựng" in text
    assert SUPPORT in text
    about.close()
    bare = AboutDialog(None)
    qtbot.addWidget(bare)
    assert "cán bộ CNTT" in bare.text.text()  # no contact set: say whom to ask anyway


def test_first_sign_in_with_the_server_down_says_to_contact_it(
        qtbot: Any, tmp_path: Path) -> None:
    require_real_keyring()
    nobody = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    config = config_with(tmp_path, server_url=nobody, support_contact=SUPPORT)
    launcher = Launcher(config, tray_available=False)
    try:
        launcher.start()
        qtbot.waitUntil(lambda: launcher.login_dialog is not None, timeout=10_000)
        dialog = launcher.login_dialog
        assert dialog is not None
        qtbot.keyClicks(dialog.username, "cv.tnmt1")
        qtbot.keyClicks(dialog.password, "demo")
        with qtbot.waitSignal(dialog.failed, timeout=60_000) as failed:
            assert dialog.submit()
        text = failed.args[0]
        assert "liên hệ cán bộ CNTT" in text and SUPPORT in text
        assert "lưu trên máy" not in text  # nothing is on this computer yet
        assert dialog.error_label.text() == text and dialog.username.isEnabled()
    finally:
        launcher.shutdown()
