"""The search box and filter bar above the dossier list.

Typing is debounced (:data:`DEBOUNCE_MS`, a single-shot QTimer) so a burst of keystrokes runs
one query; combo boxes and check boxes apply at once. The bar only describes what the user
wants - a :class:`~wfh_client.store.listing.DossierFilter` emitted through
:attr:`FilterBar.changed`; the model runs the query.

It starts on the **open** view (closed dossiers are behind the view choice, with "to do" - the
user's turn - and "all"); statuses are a multi-choice menu. Down or Enter in the search box
moves into the list (:attr:`FilterBar.to_list`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
)

from wfh_client.store.listing import DossierFilter
from wfh_client.ui.i18n import status_name

__all__ = ["DEBOUNCE_MS", "FilterBar"]

DEBOUNCE_MS = 200


DEFAULT_VIEW = "open"


class FilterBar(QWidget):
    changed = Signal(object)  # DossierFilter
    to_list = Signal()  # Down / Enter in the search box: the user wants the rows

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("search")
        self.search.installEventFilter(self)
        self.view = QComboBox(self)
        self.view.setObjectName("view")
        self.status = QToolButton(self)
        self.status.setObjectName("statuses")
        self.status.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.status_menu = QMenu(self.status)
        self.status_actions: dict[int, QAction] = {}
        for code in range(1, 11):
            action = self.status_menu.addAction("")
            action.setCheckable(True)
            action.setData(code)
            action.toggled.connect(lambda _on: self._statuses_changed())
            self.status_actions[code] = action
        self.status.setMenu(self.status_menu)
        self.field = QComboBox(self)
        self.field.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.due = QComboBox(self)
        self.unsent = QCheckBox(self)
        self.conflict = QCheckBox(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 3)
        for widget in (self.view, self.status, self.field, self.due, self.unsent, self.conflict):
            layout.addWidget(widget)
        self._fields: list[str] = []
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.retranslate_ui()
        for combo in (self.view, self.field, self.due):
            combo.currentIndexChanged.connect(lambda _i: self._emit())
        self.unsent.toggled.connect(lambda _b: self._emit())
        self.conflict.toggled.connect(lambda _b: self._emit())
        self._last = self.current()

    # ------------------------------------------------------------------------- API
    def current(self) -> DossierFilter:
        return DossierFilter(
            text=self.search.text(),
            statuses=self.statuses(),
            field=self.field.currentData(),
            due=self.due.currentData() or "any",
            unsent=self.unsent.isChecked(),
            conflict=self.conflict.isChecked(),
            view=self.view.currentData() or DEFAULT_VIEW,
        )

    def statuses(self) -> frozenset[int]:
        return frozenset(c for c, a in self.status_actions.items() if a.isChecked())

    def set_view(self, view: str) -> None:
        """Choose the open / to do / closed / all view (applies at once)."""
        index = self.view.findData(view)
        if index >= 0:
            self.view.setCurrentIndex(index)

    def _statuses_changed(self) -> None:
        self._update_status_button()
        self._emit()

    def _update_status_button(self) -> None:
        chosen = sorted(self.statuses())
        if not chosen:
            self.status.setText(self.tr("All statuses"))
        elif len(chosen) == 1:
            self.status.setText(status_name(chosen[0]))
        else:
            self.status.setText(self.tr("%1 statuses").replace("%1", str(len(chosen))))
        self.status.setToolTip(", ".join(status_name(c) for c in chosen) or
                               self.tr("Show dossiers of any status; tick several to combine"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # Down or Enter in the search box: into the list (typing is done)
        if watched is self.search and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() in (
                    Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.flush()
            self.to_list.emit()
            return True
        return super().eventFilter(watched, event)

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
        """Back to the default list: the open dossiers, nothing narrowing it (one refresh)."""
        widgets = (self.search, self.view, self.field, self.due, self.unsent, self.conflict,
                   *self.status_actions.values())
        for w in widgets:
            w.blockSignals(True)
        self.search.clear()
        for combo in (self.field, self.due):
            combo.setCurrentIndex(0)
        self.view.setCurrentIndex(max(0, self.view.findData(DEFAULT_VIEW)))
        for action in self.status_actions.values():
            action.setChecked(False)
        self.unsent.setChecked(False)
        self.conflict.setChecked(False)
        for w in widgets:
            w.blockSignals(False)
        self._update_status_button()
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
        for code, action in self.status_actions.items():
            action.setText(status_name(code))
        self._update_status_button()
        for combo, items in (
            (self.view, [(self.tr("In progress"), "open"), (self.tr("To do"), "todo"),
                         (self.tr("Closed"), "closed"), (self.tr("All dossiers"), "all")]),
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
        self.view.setToolTip(self.tr("In progress: dossiers not closed yet. To do: the ones "
                                     "waiting for you. Closed: finished, refused or withdrawn."))
        self.unsent.setText(self.tr("Unsent changes"))
        self.conflict.setText(self.tr("Conflicts"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
