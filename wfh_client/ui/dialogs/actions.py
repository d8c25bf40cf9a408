"""Menu and toolbar entries for the workflow actions, and the dialog each one opens.

:func:`build_dossier_actions` makes one ``QAction`` per workflow action (translated text, a
keyboard shortcut, the action type in ``data()``) for a window that knows its "current
dossier" (the list's selection, or the detail window's dossier). :meth:`DossierActions.
update_enabled` shows the actions the user's role may ever take, enables exactly those
:func:`wfh_client.domain.workflow.unavailable_reason` allows for that dossier now, and puts the
rule a disabled one waits for in its tooltip and status tip (``unavailable``); call it when the
selection changes and when the dossier changes. Visibility is computed from the role, never from
``isEnabled()``: Qt reports a hidden action as disabled, so deriving one from the other would
never bring an action back. Texts follow live language switches by themselves.

Shortcuts avoid the main window's own (Ctrl+R refresh, Ctrl+O open, Ctrl+Shift+K conflicts,
Ctrl+Shift+L, Ctrl+Shift+C, Ctrl+Shift+X, F5): see
:data:`SHORTCUTS`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from wfh_client.domain import ActionError, ActionType
from wfh_client.ui.context import AppContext
from wfh_client.ui.dialogs.apology import ApologyDialog
from wfh_client.ui.dialogs.assign import AssignDialog
from wfh_client.ui.dialogs.base import ActionDialog
from wfh_client.ui.dialogs.common import (
    action_title,
    availability,
    load_document,
    unavailable_text,
)
from wfh_client.ui.dialogs.forms import (
    ApproveDialog,
    DocumentsReceivedDialog,
    NoteDialog,
    RefuseDialog,
    ReturnForReworkDialog,
    ReturnResultDialog,
    StartReviewDialog,
    StopDialog,
    SubmitForApprovalDialog,
)
from wfh_client.ui.dialogs.supplement import RequestDocumentsDialog

__all__ = ["DIALOGS", "SHORTCUTS", "DossierActions", "build_dossier_actions",
           "open_action_dialog"]

#: Menu order and keyboard shortcut of each action.
SHORTCUTS: dict[ActionType, str] = {
    ActionType.NOTE: "Ctrl+N",
    ActionType.START_REVIEW: "Ctrl+Shift+R",
    ActionType.REQUEST_DOCUMENTS: "Ctrl+D",
    ActionType.DOCUMENTS_RECEIVED: "Ctrl+Shift+D",
    ActionType.SUBMIT_FOR_APPROVAL: "Ctrl+Shift+S",
    ActionType.APOLOGY: "Ctrl+Shift+H",
    ActionType.RETURN_RESULT: "Ctrl+Shift+E",
    ActionType.REFUSE: "Ctrl+Shift+U",
    ActionType.STOP: "Ctrl+Shift+T",
    ActionType.ASSIGN: "Ctrl+Shift+G",
    ActionType.APPROVE: "Ctrl+Shift+A",
    ActionType.RETURN_FOR_REWORK: "Ctrl+Shift+B",
}

DIALOGS: dict[ActionType, type[ActionDialog]] = {
    ActionType.NOTE: NoteDialog,
    ActionType.ASSIGN: AssignDialog,
    ActionType.START_REVIEW: StartReviewDialog,
    ActionType.REQUEST_DOCUMENTS: RequestDocumentsDialog,
    ActionType.DOCUMENTS_RECEIVED: DocumentsReceivedDialog,
    ActionType.SUBMIT_FOR_APPROVAL: SubmitForApprovalDialog,
    ActionType.APPROVE: ApproveDialog,
    ActionType.RETURN_FOR_REWORK: ReturnForReworkDialog,
    ActionType.REFUSE: RefuseDialog,
    ActionType.STOP: StopDialog,
    ActionType.APOLOGY: ApologyDialog,
    ActionType.RETURN_RESULT: ReturnResultDialog,
}


def open_action_dialog(ctx: AppContext, kind: ActionType | str, dossier_id: str,
                       parent: QWidget | None = None) -> ActionDialog:
    """Create and show (window-modal, non-blocking) the dialog of ``kind`` for a dossier."""
    dialog = DIALOGS[ActionType(kind)](ctx, dossier_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class DossierActions(list[QAction]):
    """The actions, plus what keeps them current (see the module docstring)."""

    def __init__(self, ctx: AppContext, parent: QWidget,
                 current_dossier_id: Callable[[], str | None]) -> None:
        super().__init__()
        self.ctx = ctx
        self.parent = parent
        self.current_dossier_id = current_dossier_id
        self.last_dialog: ActionDialog | None = None
        self.unavailable: dict[ActionType, ActionError] = {}
        for kind, shortcut in SHORTCUTS.items():
            action = QAction(parent)
            action.setObjectName(f"action_{kind.value}")
            action.setData(kind.value)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutVisibleInContextMenu(True)
            action.setEnabled(False)
            action.triggered.connect(lambda _c=False, k=kind: self.trigger(k))
            self.append(action)
        self._watcher = _LanguageWatcher(self, parent)
        self.retranslate()

    def action_for(self, kind: ActionType | str) -> QAction:
        wanted = ActionType(kind).value
        return next(a for a in self if a.data() == wanted)

    def retranslate(self) -> None:
        for action in self:
            self._describe(action)

    def _describe(self, action: QAction) -> None:
        title = action_title(action.data())
        action.setText(title + "…")
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        tip = f"{title} ({shortcut})"
        why = self.unavailable.get(ActionType(action.data()))
        if why is not None and action.isVisible():
            tip += "\n" + unavailable_text(action.data(), why)
        action.setToolTip(tip)
        action.setStatusTip(tip.replace("\n", " — "))

    def update_enabled(self) -> list[ActionType]:
        """Show what the role may do, enable what the domain allows for the current dossier
        now, explain the rest (see the module docstring); returns the enabled actions."""
        dossier_id = self.current_dossier_id()
        doc = load_document(self.ctx, dossier_id) if dossier_id else None
        status = availability(self.ctx, doc)
        self.unavailable = {k: err for k, err in status.items() if err is not None}
        allowed = [k for k, err in status.items() if err is None]
        for action in self:
            kind = ActionType(action.data())
            action.setVisible(kind in status)
            action.setEnabled(kind in allowed)
            self._describe(action)
        return allowed

    def trigger(self, kind: ActionType) -> ActionDialog | None:
        dossier_id = self.current_dossier_id()
        if not dossier_id:
            return None
        self.last_dialog = open_action_dialog(self.ctx, kind, dossier_id, self.parent)
        return self.last_dialog


class _LanguageWatcher(QObject):
    """Retranslates the actions when the parent widget gets ``LanguageChange``."""

    def __init__(self, actions: DossierActions, parent: QWidget) -> None:
        super().__init__(parent)
        self._actions = actions
        parent.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self._actions.retranslate()
        return False


def build_dossier_actions(ctx: AppContext, parent: QWidget,
                          current_dossier_id: Callable[[], str | None]) -> DossierActions:
    """One ``QAction`` per workflow action for ``parent``'s current dossier (a list; call
    ``.update_enabled()`` on it when the current dossier or its state changes)."""
    actions = DossierActions(ctx, parent, current_dossier_id)
    actions.update_enabled()
    return actions
