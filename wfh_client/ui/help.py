"""Help inside the app: the short user guide (F1) and About (version, build, IT support).

- :class:`GuideDialog` shows ``resources/help/guide_<lang>.html`` in a ``QTextBrowser``, in the
  current language (it follows a live language switch); non-modal, so the user can read it
  beside the list.
- :func:`about_text` / :class:`AboutDialog`: the app's version, its build (``resources/BUILD``,
  written by the installer build; a development checkout names its git commit) and how to reach
  IT support (the machine policy's ``support_contact``, or a sentence saying to ask IT when the
  organisation has not set one).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from wfh_client import __version__
from wfh_client.config import Config
from wfh_client.ui.i18n import RESOURCES_DIR, current_language
from wfh_client.ui.icons import icon

__all__ = ["AboutDialog", "GuideDialog", "about_text", "build_id", "guide_html"]

HELP_DIR = RESOURCES_DIR / "help"
BUILD_FILE = RESOURCES_DIR / "BUILD"


def guide_html(language: str | None = None) -> str:
    """The guide in ``language`` (the current one by default), English if it is missing."""
    for lang in (language or current_language(), "en"):
        path = HELP_DIR / f"guide_{lang}.html"
        if path.exists():
            return path.read_text(encoding="utf-8")
    return ""


def build_id() -> str:
    """The build this app comes from (see the module docstring); "" when unknown."""
    if BUILD_FILE.exists():
        return BUILD_FILE.read_text(encoding="utf-8").strip()
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / ".git").exists():
        try:
            done = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],
                                  capture_output=True, text=True, timeout=5, check=False)
        except (OSError, subprocess.SubprocessError):
            return ""
        return f"git {done.stdout.strip()}" if done.returncode == 0 else ""
    return ""


def about_text(config: Config | None) -> str:
    """What About says, in the current language (plain text)."""
    build = build_id() or QCoreApplication.translate("About", "development build")
    support = str(config.get("support_contact") or "") if config is not None else ""
    lines = [
        QCoreApplication.translate("About", "Work from home — one-stop shop"),
        QCoreApplication.translate("About", "Version %1 (build %2)").replace(
            "%1", __version__).replace("%2", build),
        "",
        QCoreApplication.translate(
            "About", "Dossiers are kept in an encrypted local cache and synced with the "
            "one-stop-shop system."),
        "",
        QCoreApplication.translate("About", "IT support: %1").replace("%1", support) if support
        else QCoreApplication.translate(
            "About", "IT support: ask your department's IT staff (your organisation has not "
            "set a contact)."),
    ]
    return "\n".join(lines)


class GuideDialog(QDialog):
    """The user guide (F1): see the module docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideDialog")
        self.setWindowIcon(icon("app"))
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(640, 700)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("User guide"))
        self.browser.setHtml(guide_html())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class AboutDialog(QDialog):
    """Version, build and IT support (see the module docstring)."""

    def __init__(self, config: Config | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.config = config
        self.text = QLabel(self)
        self.text.setObjectName("aboutText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("About"))
        self.text.setText(about_text(self.config))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
