"""The domain layer: statuses, the workflow table, the working-time calendar, folding.

Pure Python (standard library plus ``holidays``), shared by the server and the client so both
apply the same rules. Import from the submodules; the most used names are re-exported here.
"""

from wfh_client.domain.calendar import DEFAULT_PERIODS, DEFAULT_TZ, WorkingCalendar, restart_clock
from wfh_client.domain.codec import state_from_document, state_to_document
from wfh_client.domain.errors import ActionError, ActionForbidden, ActionInvalid
from wfh_client.domain.folding import fold, fold_query
from wfh_client.domain.slip import HistoryEntry, classify_steps, step_timeliness
from wfh_client.domain.statuses import ActionType, ResultChannel, Role, Status, Step, Timeliness
from wfh_client.domain.workflow import (
    TRANSITIONS,
    Actor,
    DossierState,
    Outcome,
    Transition,
    allowed_actions,
    apply_action,
    unavailable_reason,
    validate_action,
)

__all__ = [
    "DEFAULT_PERIODS",
    "DEFAULT_TZ",
    "TRANSITIONS",
    "ActionError",
    "ActionForbidden",
    "ActionInvalid",
    "ActionType",
    "Actor",
    "DossierState",
    "HistoryEntry",
    "Outcome",
    "ResultChannel",
    "Role",
    "Status",
    "Step",
    "Timeliness",
    "Transition",
    "WorkingCalendar",
    "allowed_actions",
    "apply_action",
    "classify_steps",
    "fold",
    "fold_query",
    "restart_clock",
    "state_from_document",
    "state_to_document",
    "step_timeliness",
    "unavailable_reason",
    "validate_action",
]
