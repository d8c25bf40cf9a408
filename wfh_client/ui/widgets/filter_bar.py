"""The search box and filter bar above the dossier list.

Typing is debounced (:data:`DEBOUNCE_MS`, a single-shot QTimer) so a burst of keystrokes runs
one query; combo boxes and check boxes apply at once. The bar only describes what the user
wants - a :class:`~wfh_client.ui.models.dossier_query.DossierFilter` emitted through
:attr:`FilterBar.changed`; the model runs the query.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QWidget

from wfh_client.ui.i18n import status_name
from wfh_client.ui.models.dossier_query import DossierFilter

__all__ = ["DEBOUNCE_MS", "FilterBar"]

DEBOUNCE_MS = 200


class FilterBar(QWidget):
    changed = Signal(object)  # DossierFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("search")
        self.status = QComboBox(self)
        self.field = QComboBox(self)
        self.field.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.due = QComboBox(self)
        self.unsent = QCheckBox(self)
        self.conflict = QCheckBox(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 3)
        for widget in (self.status, self.field, self.due, self.unsent, self.conflict):
            layout.addWidget(widget)
        self._fields: list[str] = []
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.retranslate_ui()
        for combo in (self.status, self.field, self.due):
            combo.currentIndexChanged.connect(lambda _i: self._emit())
        self.unsent.toggled.connect(lambda _b: self._emit())
        self.conflict.toggled.connect(lambda _b: self._emit())
        self._last = self.current()

    # ------------------------------------------------------------------------- API
    def current(self) -> DossierFilter:
        return DossierFilter(
            text=self.search.text(),
            status=self.status.currentData(),
            field=self.field.currentData(),
            due=self.due.currentData() or "any",
            unsent=self.unsent.isChecked(),
            conflict=self.conflict.isChecked(),
        )

    def flush(self) -> None:
        """Apply pending typing now (Enter in the box, tests, benchmarks)."""
        self._debounce.stop()
        self._emit()

    def set_fields(self, fields: list[str]) -> None:
        """The field (lĩnh vực) choices; keeps the current choice if it still exists."""
        if fields == self._fields:
            return
        self._fields = list(fields)
        current = self.field.currentData()
        self.field.blockSignals(True)
        self.field.clear()
        self.field.addItem(self.tr("All fields"), None)
        for name in self._fields:
            self.field.addItem(name, name)
        index = self.field.findData(current) if current is not None else 0
        self.field.setCurrentIndex(max(0, index))
        self.field.blockSignals(False)
        if self.field.currentData() != current:
            self._emit()

    def clear(self) -> None:
        """Back to showing everything (one refresh)."""
        widgets = (self.search, self.status, self.field, self.due, self.unsent, self.conflict)
        for w in widgets:
            w.blockSignals(True)
        self.search.clear()
        for combo in (self.status, self.field, self.due):
            combo.setCurrentIndex(0)
        self.unsent.setChecked(False)
        self.conflict.setChecked(False)
        for w in widgets:
            w.blockSignals(False)
        self.flush()

    def _emit(self) -> None:
        current = self.current()
        if current != self._last:
            self._last = current
            self.changed.emit(current)

    # ---------------------------------------------------------------- translation
    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(
            self.tr("Search code, applicant, ID number, procedure, address…"))
        self.search.setToolTip(self.tr("Accents are optional: \"dang ky dat dai\" finds "
                                       "\"Đăng ký đất đai\""))
        for combo, items in (
            (self.status, [(self.tr("All statuses"), None)]
             + [(status_name(code), code) for code in range(1, 11)]),
            (self.field, [(self.tr("All fields"), None)] + [(n, n) for n in self._fields]),
            (self.due, [(self.tr("Any deadline"), "any"), (self.tr("Overdue"), "overdue"),
                        (self.tr("Due within 1 working day"), "within_1"),
                        (self.tr("Due within 3 working days"), "within_3")]),
        ):
            current = combo.currentIndex()
            combo.blockSignals(True)
            combo.clear()
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, current))
            combo.blockSignals(False)
        self.unsent.setText(self.tr("Unsent changes"))
        self.conflict.setText(self.tr("Conflicts"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
