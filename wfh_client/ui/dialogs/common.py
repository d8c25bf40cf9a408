"""What the dossier action dialogs, the action menu and the detail view share.

- :func:`engine_of` / :func:`local_profile`: the signed-in actor and the department calendar
  (from the sync engine's profile, else from ``ctx.user``);
- :func:`load_document` / :func:`state_of`: the dossier as the user sees it (optimistic local
  copy) and its workflow state;
- :func:`allowed_for`: :func:`wfh_client.domain.workflow.allowed_actions` for that state;
  :func:`availability`: for every action the user's role may ever take, None (allowed now) or
  the domain's reason why not (shown beside the disabled action);
- :func:`reason_text` / :func:`action_title`: the domain's reasons and the action names in the
  user's language (by the stable code; the English message when the code is unknown).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog

from wfh_client.domain import (
    TRANSITIONS,
    ActionError,
    ActionType,
    Actor,
    DossierState,
    Role,
    state_from_document,
    unavailable_reason,
)
from wfh_client.domain import allowed_actions as domain_allowed_actions
from wfh_client.store import dossiers as store_dossiers
from wfh_client.sync.engine import SyncEngine
from wfh_client.sync.local import LocalProfile
from wfh_client.ui import messages
from wfh_client.ui.context import AppContext

__all__ = ["action_rule", "action_title", "allowed_for", "availability", "engine_of", "load_document", "local_profile",
           "reason_text", "state_of", "submit_on_ctrl_enter", "unavailable_text"]


def submit_on_ctrl_enter(dialog: QDialog, accept: Callable[[], None] | None = None) -> None:
    """Ctrl+Enter (main keyboard or keypad) submits ``dialog``: in a multi-line text field
    Enter starts a new line, so this is how a keyboard user records without the mouse."""
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        shortcut = QShortcut(QKeySequence(keys), dialog)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(accept or dialog.accept)


def engine_of(ctx: AppContext) -> SyncEngine | None:
    """The real sync engine (actions are recorded through it), or None when signed out."""
    engine = ctx.engine
    if engine is None or not hasattr(engine, "profile") or not hasattr(engine, "cache"):
        return None
    return cast(SyncEngine, engine)


def local_profile(ctx: AppContext) -> LocalProfile | None:
    engine = engine_of(ctx)
    if engine is not None:
        try:
            return engine.profile()
        except (RuntimeError, ValueError):
            pass
    user = ctx.user
    if not user:
        return None
    try:
        actor = Actor(int(user["id"]), Role(user["role"]), user.get("department_id"))
    except (KeyError, ValueError, TypeError):
        return None
    return LocalProfile(actor, str(user.get("full_name") or ""), ctx.calendar)


def load_document(ctx: AppContext, dossier_id: str | None) -> dict[str, Any] | None:
    """The dossier's current local document (a primary-key read: cheap on the GUI thread)."""
    if not dossier_id:
        return None
    record = store_dossiers.get_dossier(ctx.cache.reader(), dossier_id)
    return None if record is None else record.data


def state_of(doc: dict[str, Any] | None) -> DossierState | None:
    if not doc:
        return None
    try:
        return state_from_document(doc)
    except ValueError:
        return None


def allowed_for(ctx: AppContext, doc: dict[str, Any] | None,
                now: datetime | None = None) -> list[ActionType]:
    """Actions the signed-in user may start on ``doc`` (none if signed out or no engine)."""
    state = state_of(doc)
    profile = local_profile(ctx)
    if state is None or profile is None or engine_of(ctx) is None:
        return []
    return domain_allowed_actions(state, profile.actor, calendar=profile.calendar,
                                  now=now or ctx.clock())


def availability(ctx: AppContext, doc: dict[str, Any] | None,
                 now: datetime | None = None) -> dict[ActionType, ActionError | None]:
    """Each action the signed-in user's role may take at all -> None when it is allowed on
    ``doc`` now, else the domain's reason. Empty when signed out; every such action maps to
    ``no_dossier`` when there is no (readable) dossier."""
    profile = local_profile(ctx)
    if profile is None or engine_of(ctx) is None:
        return {}
    kinds = [k for k, t in TRANSITIONS.items() if profile.actor.role in t.roles]
    state = state_of(doc)
    if state is None:
        missing = ActionError("no_dossier", "Select a dossier first.")
        return dict.fromkeys(kinds, missing)
    when = now or ctx.clock()
    return {k: unavailable_reason(k, state, profile.actor, calendar=profile.calendar, now=when)
            for k in kinds}


def action_title(kind: ActionType | str) -> str:
    """The menu / dialog title of an action (without the ellipsis)."""
    names = {
        ActionType.NOTE: QCoreApplication.translate("Action", "Add note"),
        ActionType.ASSIGN: QCoreApplication.translate("Action", "Assign to an officer"),
        ActionType.START_REVIEW: QCoreApplication.translate("Action", "Start review"),
        ActionType.REQUEST_DOCUMENTS: QCoreApplication.translate("Action", "Request documents"),
        ActionType.DOCUMENTS_RECEIVED: QCoreApplication.translate("Action", "Documents received"),
        ActionType.SUBMIT_FOR_APPROVAL: QCoreApplication.translate("Action", "Submit for approval"),
        ActionType.APPROVE: QCoreApplication.translate("Action", "Approve"),
        ActionType.RETURN_FOR_REWORK: QCoreApplication.translate("Action", "Return for rework"),
        ActionType.REFUSE: QCoreApplication.translate("Action", "Refuse at intake"),
        ActionType.STOP: QCoreApplication.translate("Action", "Stop processing"),
        ActionType.APOLOGY: QCoreApplication.translate("Action", "Apologise and set a new date"),
        ActionType.RETURN_RESULT: QCoreApplication.translate("Action", "Record the result returned"),
        "upload_result": QCoreApplication.translate("Action", "Attach result document"),
    }
    try:
        key: ActionType | str = ActionType(kind)
    except ValueError:
        key = str(kind)
    return names.get(key, str(kind))


def action_rule(kind: ActionType | str) -> str:
    """When an action is possible, in one sentence (shown while it is not)."""
    rules = {
        ActionType.NOTE: QCoreApplication.translate(
            "ActionRule", "Notes can be added to any dossier that has not been withdrawn."),
        ActionType.ASSIGN: QCoreApplication.translate(
            "ActionRule", "Assigning is possible while the dossier is accepted, being processed "
            "or awaiting documents, and not submitted for approval."),
        ActionType.START_REVIEW: QCoreApplication.translate(
            "ActionRule", "Review starts once the dossier is assigned to an officer (or "
            "returned for rework)."),
        ActionType.REQUEST_DOCUMENTS: QCoreApplication.translate(
            "ActionRule", "Documents can be requested while the dossier is being processed "
            "and not yet submitted for approval."),
        ActionType.DOCUMENTS_RECEIVED: QCoreApplication.translate(
            "ActionRule", "Possible only while the dossier waits for the applicant's documents."),
        ActionType.SUBMIT_FOR_APPROVAL: QCoreApplication.translate(
            "ActionRule", "Start the review first (or rework a returned dossier), then submit "
            "it for approval."),
        ActionType.APPROVE: QCoreApplication.translate(
            "ActionRule", "Possible once the officer has submitted the dossier for approval."),
        ActionType.RETURN_FOR_REWORK: QCoreApplication.translate(
            "ActionRule", "Possible once the officer has submitted the dossier for approval."),
        ActionType.REFUSE: QCoreApplication.translate(
            "ActionRule", "Refusal at intake is possible only before processing starts."),
        ActionType.STOP: QCoreApplication.translate(
            "ActionRule", "Processing can be stopped while the dossier is being processed or "
            "awaiting documents."),
        ActionType.APOLOGY: QCoreApplication.translate(
            "ActionRule", "An apology is possible while the dossier is accepted, being "
            "processed or awaiting documents, at least one working day before the due date."),
        ActionType.RETURN_RESULT: QCoreApplication.translate(
            "ActionRule", "Possible once the result is ready (approved)."),
    }
    try:
        return rules.get(ActionType(kind), "")
    except ValueError:
        return ""


def unavailable_text(kind: ActionType | str, err: ActionError) -> str:
    """Why an action is disabled: the rule it waits for, or the domain's reason."""
    if err.code == "wrong_status":
        return action_rule(kind) or reason_text(err)
    return reason_text(err)


def reason_text(err: ActionError) -> str:
    """The domain's refusal in the user's language (one vocabulary: ``messages.reason_text``)."""
    return messages.reason_text(err.code, err.message)
