"""The base of every dossier action dialog: validate with the domain, record through the outbox.

A subclass sets :attr:`ActionDialog.kind`, builds its fields in :meth:`build` (calling
:meth:`revalidate` whenever one changes) and returns the action's payload from
:meth:`payload`. The dialog validates that payload with
:func:`wfh_client.domain.workflow.validate_action` against the dossier as the user sees it
(OK stays disabled and the domain's reason is shown inline until it passes) and, on OK, calls
:func:`wfh_client.sync.operations.record_action` on the worker pool (it writes the optimistic
result and one outbox entry; works offline). :attr:`recorded` carries the outbox entry.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from wfh_client.domain import ActionError, ActionType, validate_action
from wfh_client.store.outbox import OutboxEntry
from wfh_client.sync.operations import record_action
from wfh_client.ui.context import AppContext
from wfh_client.ui.dialogs.common import (
    action_title,
    engine_of,
    load_document,
    local_profile,
    reason_text,
    state_of,
    submit_on_ctrl_enter,
)
from wfh_client.ui.operation import Op
from wfh_client.ui.ops import mark_seen

__all__ = ["ActionDialog"]

HINT_STYLE = "color: palette(mid);"
ERROR_STYLE = "color: #b3261e;"


class ActionDialog(QDialog):
    """See the module docstring."""

    kind: ClassVar[ActionType]
    recorded = Signal(object)  # OutboxEntry

    def __init__(self, ctx: AppContext, dossier_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dossier_id = dossier_id
        self.doc: dict[str, Any] = load_document(ctx, dossier_id) or {}
        self.profile = local_profile(ctx)
        self.entry: OutboxEntry | None = None
        self.error: ActionError | None = None
        self.normalised: dict[str, Any] = {}
        self._busy = False
        self._touched = False
        self.setObjectName(f"actionDialog_{self.kind.value}")
        self.setWindowTitle(f"{action_title(self.kind)} — {self.doc.get('code', '')}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self._intro_text(), self)
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.addLayout(self.form)
        self.build()
        self.reason = QLabel(self)
        self.reason.setObjectName("actionReason")
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Record"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        submit_on_ctrl_enter(self)
        self.revalidate()
        self._touched = False

    # --------------------------------------------------------------- for subclasses
    def build(self) -> None:
        """Add the fields to :attr:`form` (none by default: a confirmation)."""

    def payload(self) -> dict[str, Any]:
        return {}

    def changed(self, *_args: Any) -> None:
        """Connect field signals here: marks the form touched and revalidates."""
        self._touched = True
        self.revalidate()

    # ------------------------------------------------------------------ validation
    def _intro_text(self) -> str:
        applicant = (self.doc.get("applicant") or {}).get("name") or ""
        parts = [self.doc.get("code") or "", self.doc.get("procedure_name") or "", applicant]
        return " · ".join(p for p in parts if p)

    def validation_error(self) -> ActionError | None:
        if self.profile is None or engine_of(self.ctx) is None:
            return ActionError("not_signed_in", "Not signed in.")
        state = state_of(self.doc)
        if state is None:
            return ActionError("bad_document", "The cached dossier cannot be read.")
        try:
            self.normalised = validate_action(self.kind, self.payload(), state,
                                              self.profile.actor, self.profile.calendar,
                                              self.ctx.clock())
        except ActionError as err:
            return err
        return None

    def revalidate(self) -> None:
        if not hasattr(self, "reason"):  # a field changed while the form is being built
            return
        err = self.validation_error()
        self.error = err
        self.ok_button_enabled(err is None and not self._busy)
        if err is None:
            self.reason.clear()
            return
        # An untouched form's "X is required" is a hint, not a mistake.
        hint = not self._touched and err.code.endswith("_required")
        self.reason.setStyleSheet(HINT_STYLE if hint else ERROR_STYLE)
        self.reason.setText(reason_text(err))

    def ok_button_enabled(self, enabled: bool) -> None:
        if hasattr(self, "ok_button"):
            self.ok_button.setEnabled(enabled)

    # --------------------------------------------------------------------- record
    def accept(self) -> None:
        if self._busy:
            return
        self.revalidate()
        engine = engine_of(self.ctx)
        if self.error is not None or engine is None:
            return
        payload = dict(self.normalised)  # what the domain normalised (stripped, de-duplicated)
        when = self.ctx.clock()
        self._busy = True
        self.ok_button_enabled(False)
        self.setCursor(Qt.CursorShape.BusyCursor)
        Op(self, lambda: record_action(engine, self.dossier_id, self.kind.value, payload,
                                       now=when)) \
            .success(self._recorded).failure(self._failed).run()

    def _recorded(self, entry: OutboxEntry) -> None:
        self._busy = False
        self.unsetCursor()
        self.entry = entry
        mark_seen(self.ctx, self.dossier_id)  # the user knows this dossier's state now
        self.recorded.emit(entry)
        super().accept()

    def _failed(self, exc: BaseException, words: str) -> None:
        self._busy = False
        self.unsetCursor()
        self._touched = True
        if isinstance(exc, ActionError):
            self.error = exc
            text = words  # the domain's reason
        else:
            text = self.tr("The action could not be recorded: %1").replace("%1", words)
        self.reason.setStyleSheet(ERROR_STYLE)
        self.reason.setText(text)
        self.ok_button_enabled(not isinstance(exc, ActionError))
