"""The settings dialog: language, sync interval, document prefetch cap, server address.

Values come from :class:`wfh_client.config.Config`. A key set by the machine policy is shown
disabled with "Managed by your organisation" (``config.locked(key)``); only unlocked keys
that changed are written back (``config.set_user``). A language change is applied live by the
caller through :attr:`SettingsDialog.language_changed` (``ClientApp`` swaps the translator).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wfh_client.config import Config, ConfigError, MiB
from wfh_client.ui.messages import describe_error

__all__ = ["SettingsDialog"]


class SettingsDialog(QDialog):
    language_changed = Signal(str)
    # keys whose user value was saved
    saved = Signal(list)

    def __init__(self, config: Config, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self.language = QComboBox(self)
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.sync_interval = QSpinBox(self)
        self.sync_interval.setRange(30, 24 * 3600)
        self.sync_interval.setSingleStep(30)
        self.prefetch = QSpinBox(self)
        self.prefetch.setRange(0, 10 * 1024)
        self.server_url = QLineEdit(self)
        self.server_url.setMinimumWidth(320)
        self.editors: dict[str, QWidget] = {
            "language": self.language, "sync_interval_seconds": self.sync_interval,
            "prefetch_max_bytes": self.prefetch, "server_url": self.server_url,
        }
        self.managed_labels: dict[str, QLabel] = {}
        self.form = QFormLayout()
        self.row_labels: dict[str, QLabel] = {}
        for key, editor in self.editors.items():
            row = QWidget(self)
            box = QHBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(editor, 1)
            managed = QLabel(row)
            managed.setObjectName(f"managed_{key}")
            managed.setStyleSheet("color: palette(mid); font-style: italic;")
            box.addWidget(managed)
            self.managed_labels[key] = managed
            label = QLabel(self)
            self.row_labels[key] = label
            self.form.addRow(label, row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self._load()
        self.retranslate_ui()

    def _load(self) -> None:
        c = self.config
        self.language.setCurrentIndex(max(0, self.language.findData(c.get("language"))))
        self.sync_interval.setValue(int(c.get("sync_interval_seconds")))
        self.prefetch.setValue(int(c.get("prefetch_max_bytes")) // MiB)
        self.server_url.setText(c.get("server_url") or "")
        for key, editor in self.editors.items():
            locked = c.locked(key)
            editor.setEnabled(not locked)
            self.managed_labels[key].setVisible(locked)

    def values(self) -> dict[str, Any]:
        return {
            "language": self.language.currentData(),
            "sync_interval_seconds": self.sync_interval.value(),
            "prefetch_max_bytes": self.prefetch.value() * MiB,
            "server_url": self.server_url.text().strip() or None,
        }

    def accept(self) -> None:
        changed: list[str] = []
        try:
            for key, value in self.values().items():
                if self.config.locked(key) or value == self.config.get(key):
                    continue
                self.config.set_user(key, value)
                changed.append(key)
        except ConfigError as exc:
            QMessageBox.warning(self, self.tr("Settings"),
                                self.tr("This value cannot be saved: %1").replace(
                                    "%1", describe_error(exc)))
            return
        if changed:
            self.saved.emit(changed)
        if "language" in changed:
            self.language_changed.emit(self.config.get("language"))
        super().accept()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        titles = {
            "language": self.tr("Language"),
            "sync_interval_seconds": self.tr("Sync every"),
            "prefetch_max_bytes": self.tr("Download documents ahead up to"),
            "server_url": self.tr("Server address"),
        }
        for key, label in self.row_labels.items():
            label.setText(titles[key])
        self.sync_interval.setSuffix(" " + self.tr("seconds"))
        self.prefetch.setSuffix(" MB")
        self.server_url.setPlaceholderText("https://motcua.example.gov.vn")
        for key, label in self.managed_labels.items():
            label.setText(self.tr("Managed by your organisation"))
            label.setToolTip(self.tr("Set by the machine policy: %1")
                             .replace("%1", self.config.origin(key)))
            self.editors[key].setToolTip(label.toolTip() if self.config.locked(key) else "")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        ok.setText(self.tr("OK"))
        cancel.setText(self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
