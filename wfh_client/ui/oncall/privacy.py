"""Help > "What this app records": exactly what the app records about its user, and what never.

The same list as the README's "What the app records about its user" section; change both
together. :data:`RECORDED` and :data:`NEVER` are the translated items (tests read them).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

__all__ = ["PrivacyDialog", "never_items", "recorded_items"]


def recorded_items() -> list[str]:
    return [
        QCoreApplication.translate("Privacy", "Your check-ins: the time, the status you chose (working, in a meeting, briefly "
           "away), the reason you typed when briefly away, and whether it was made offline."),
        QCoreApplication.translate("Privacy", "Your answers to recalls: when the alert reached this computer and was seen, "
           "whether you are coming and at what time, or the reason you cannot come."),
        QCoreApplication.translate("Privacy", "Sync metadata: what was sent to and received from the one-stop-shop server, and "
           "when (your actions on dossiers, as in any dossier's history)."),
    ]


def never_items() -> list[str]:
    return [
        QCoreApplication.translate("Privacy", "No screenshots or screen recordings."),
        QCoreApplication.translate("Privacy", "No keyboard or mouse activity (no keystrokes, no clicks, no idle-time tracking)."),
        QCoreApplication.translate("Privacy", "No location (no GPS, no Wi-Fi or IP-based location)."),
        QCoreApplication.translate("Privacy", "No other applications or websites you use."),
    ]


def _html(title: str, items: list[str]) -> str:
    rows = "".join(f"<li>{i}</li>" for i in items)
    return f"<p><b>{title}</b></p><ul>{rows}</ul>"


class PrivacyDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("privacyDialog")
        self.body = QLabel(self)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        self.setMinimumWidth(560)

    def text(self) -> str:
        return self.body.text()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("What this app records"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("&Close"))
        self.body.setText(
            _html(self.tr("This app records only:"), recorded_items())
            + _html(self.tr("It never records:"), never_items())
            + "<p>" + self.tr("Check-ins are made only when you click; nothing is recorded "
                              "in between. Dossiers and these records are kept on this "
                              "computer in an encrypted cache whose key is in the system's "
                              "password store.") + "</p>")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
