"""The dossier workflow: the transition table as data, validation and application of actions.

Used by the server to decide and by the client to validate dialogs, enable buttons and show
the optimistic local result. :func:`validate_action` checks, in this order: the action type
(``unknown_action``), the payload's shape (:mod:`wfh_client.domain.payloads`), the actor
(``ActionForbidden``: ``other_department``, ``role_not_allowed``, ``not_assignee``), the
dossier's status and step (``wrong_status``) and the state-dependent rules (supplement,
apology). :func:`apply_action` then computes the new :class:`DossierState` and the
process-control-slip row (:class:`HistoryEntry`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from wfh_client.domain.calendar import WorkingCalendar, restart_clock
from wfh_client.domain.errors import ActionError, ActionForbidden, ActionInvalid
from wfh_client.domain.payloads import normalise_payload
from wfh_client.domain.slip import HistoryEntry, format_local
from wfh_client.domain.statuses import ActionType, ResultChannel, Role, Status, Step
from wfh_client.domain.timefmt import ensure_aware, parse_instant

__all__ = [
    "TRANSITIONS",
    "ActionError",
    "ActionForbidden",
    "ActionInvalid",
    "Actor",
    "DossierState",
    "HistoryEntry",
    "Outcome",
    "Transition",
    "RESULT_ATTACHABLE_STATUSES",
    "allowed_actions",
    "apply_action",
    "SupplementRequest",
    "may_attach_result",
    "parse_action",
    "supplement_request",
    "unavailable_reason",
    "validate_action",
]


@dataclass(frozen=True)
class DossierState:
    """The workflow-relevant part of a dossier (all datetimes aware)."""

    status: Status
    step: Step | None
    department_id: str
    assignee_id: int | None
    received_at: datetime
    due_at: datetime | None
    allowed_hours: int  # the procedure's allowed time, in working hours
    clock_stopped_at: datetime | None = None
    supplement_count: int = 0
    apology_count: int = 0
    original_due_at: datetime | None = None
    finished_at: datetime | None = None
    returned_at: datetime | None = None
    late_flag: bool = False  # set by a second (or later) supplement request
    proposed_decision: str | None = None  # "grant" / "refuse" while submitted for approval


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: Role
    department_id: str | None


@dataclass(frozen=True)
class Transition:
    """One row of the table. ``to_status``/``to_step`` apply unless ``keeps_*`` is set."""

    action: ActionType
    from_statuses: frozenset[Status]
    from_steps: frozenset[Step | None] | None  # None = any step
    roles: frozenset[Role]
    assignee_only: bool  # officers must be the assignee (heads/admins act department-wide)
    to_status: Status | None  # None = unchanged
    to_step: Step | None
    keeps_step: bool = False  # True = the step is unchanged (to_step ignored)


@dataclass(frozen=True)
class Outcome:
    state: DossierState
    payload: dict[str, Any]
    history: HistoryEntry | None  # None for notes


S, P = Status, Step
_ALL_ROLES = frozenset({Role.OFFICER, Role.HEAD, Role.ADMIN})
_HEADS = frozenset({Role.HEAD, Role.ADMIN})
_WORKING = frozenset({P.ASSIGNED, P.IN_REVIEW, P.RETURNED_FOR_REWORK})
_ASSIGNABLE = frozenset({None, P.UNASSIGNED, P.ASSIGNED, P.IN_REVIEW, P.RETURNED_FOR_REWORK})


def _t(
    action: ActionType,
    statuses: set[Status],
    steps: frozenset[Step | None] | set[Step | None] | None,
    roles: frozenset[Role],
    to_status: Status | None,
    to_step: Step | None = None,
    *,
    keeps_step: bool = False,
    assignee_only: bool = True,
) -> Transition:
    return Transition(
        action,
        frozenset(statuses),
        None if steps is None else frozenset(steps),
        roles,
        assignee_only,
        to_status,
        to_step,
        keeps_step,
    )


# fmt: off
TRANSITIONS: Mapping[ActionType, Transition] = {
    t.action: t
    for t in (
        _t(ActionType.NOTE, set(S) - {S.WITHDRAWN}, None, _ALL_ROLES, None, keeps_step=True),
        # assign from status 5 keeps status 5 (see apply_action)
        _t(ActionType.ASSIGN, {S.ACCEPTED, S.PROCESSING, S.AWAITING_SUPPLEMENT}, _ASSIGNABLE,
           _HEADS, S.PROCESSING, P.ASSIGNED, assignee_only=False),
        _t(ActionType.START_REVIEW, {S.PROCESSING}, {P.ASSIGNED, P.RETURNED_FOR_REWORK},
           _ALL_ROLES, S.PROCESSING, P.IN_REVIEW),
        _t(ActionType.REQUEST_DOCUMENTS, {S.PROCESSING}, _WORKING, _ALL_ROLES,
           S.AWAITING_SUPPLEMENT, keeps_step=True),
        _t(ActionType.DOCUMENTS_RECEIVED, {S.AWAITING_SUPPLEMENT}, None, _ALL_ROLES,
           S.PROCESSING, P.IN_REVIEW),
        _t(ActionType.SUBMIT_FOR_APPROVAL, {S.PROCESSING}, {P.IN_REVIEW, P.RETURNED_FOR_REWORK},
           _ALL_ROLES, S.PROCESSING, P.SUBMITTED_FOR_APPROVAL),
        # approving a "refuse" proposal ends in STOPPED (8) instead (see apply_action)
        _t(ActionType.APPROVE, {S.PROCESSING}, {P.SUBMITTED_FOR_APPROVAL}, _HEADS,
           S.RESULT_READY, P.APPROVED, assignee_only=False),
        _t(ActionType.RETURN_FOR_REWORK, {S.PROCESSING}, {P.SUBMITTED_FOR_APPROVAL}, _HEADS,
           S.PROCESSING, P.RETURNED_FOR_REWORK, assignee_only=False),
        _t(ActionType.REFUSE, {S.SUBMITTED, S.ACCEPTED}, None, _ALL_ROLES, S.REFUSED_AT_INTAKE,
           keeps_step=True),
        _t(ActionType.STOP, {S.PROCESSING, S.AWAITING_SUPPLEMENT}, None, _ALL_ROLES, S.STOPPED,
           keeps_step=True),
        _t(ActionType.APOLOGY, {S.ACCEPTED, S.PROCESSING, S.AWAITING_SUPPLEMENT}, None,
           _ALL_ROLES, None, keeps_step=True),
        _t(ActionType.RETURN_RESULT, {S.RESULT_READY}, None, _ALL_ROLES, S.RETURNED,
           keeps_step=True),
    )
}
# fmt: on
del S, P


def parse_action(action: ActionType | str) -> ActionType:
    """The :class:`ActionType` for ``action``; ``ActionInvalid("unknown_action")`` otherwise."""
    if isinstance(action, ActionType):
        return action
    try:
        return ActionType(action)
    except ValueError:
        raise ActionInvalid(
            "unknown_action", f"Unknown action type: {action!r}.", {"action": str(action)}
        ) from None


def _check_actor(t: Transition, state: DossierState, actor: Actor) -> None:
    if actor.department_id is None or actor.department_id != state.department_id:
        raise ActionForbidden(
            "other_department",
            "The dossier belongs to another department.",
            {"department_id": state.department_id},
        )
    if actor.role not in t.roles:
        raise ActionForbidden(
            "role_not_allowed",
            f"Role '{actor.role.value}' may not {t.action.value}.",
            {"role": actor.role.value, "allowed": sorted(r.value for r in t.roles)},
        )
    if t.assignee_only and actor.role is Role.OFFICER and state.assignee_id != actor.user_id:
        raise ActionForbidden(
            "not_assignee",
            "The dossier is not assigned to you.",
            {"assignee_id": state.assignee_id},
        )


def _check_state(t: Transition, state: DossierState) -> None:
    if state.status not in t.from_statuses or (
        t.from_steps is not None and state.step not in t.from_steps
    ):
        raise ActionInvalid(
            "wrong_status",
            f"'{t.action.value}' is not possible in status {int(state.status)}"
            f" (step {state.step.value if state.step else 'none'}).",
            {"status": int(state.status), "step": state.step.value if state.step else None},
        )


def _apology_blocked(
    state: DossierState, calendar: WorkingCalendar | None, now: datetime | None
) -> ActionInvalid | None:
    """The apology's own rules, payload aside (the time limit only with a calendar and now)."""
    if state.apology_count > 0:
        return ActionInvalid("apology_already_made", "A new appointment date may be set only once.")
    if state.due_at is None:
        return ActionInvalid("no_due_date", "The dossier has no due date to postpone.")
    if calendar is not None and now is not None:
        as_of = state.clock_stopped_at or now  # the clock does not run while awaiting documents
        if calendar.remaining(as_of, state.due_at) < calendar.working_length(1):
            return ActionInvalid(
                "apology_too_late",
                "The apology must be made at least one working day before the due date.",
                {"due_at": state.due_at.isoformat()},
            )
    return None


def _check_apology(
    payload: Mapping[str, Any], state: DossierState, calendar: WorkingCalendar, now: datetime
) -> None:
    blocked = _apology_blocked(state, None, None)
    if blocked is not None:
        raise blocked
    assert state.due_at is not None
    new_due = parse_instant(payload["new_due_at"])
    if new_due <= state.due_at:
        raise ActionInvalid(
            "new_date_not_later",
            "The new appointment must be later than the current due date.",
            {"due_at": state.due_at.isoformat()},
        )
    blocked = _apology_blocked(state, calendar, now)
    if blocked is not None:
        raise blocked


def validate_action(
    action: ActionType | str,
    payload: Mapping[str, Any],
    state: DossierState,
    actor: Actor,
    calendar: WorkingCalendar,
    now: datetime,
) -> dict[str, Any]:
    """Return the normalised payload, or raise ``ActionInvalid`` / ``ActionForbidden``."""
    ensure_aware(now, "now")
    kind = parse_action(action)
    normalised = normalise_payload(kind, payload)
    t = TRANSITIONS[kind]
    _check_actor(t, state, actor)
    _check_state(t, state)
    if kind is ActionType.APOLOGY:
        _check_apology(normalised, state, calendar, now)
    return normalised


def unavailable_reason(
    action: ActionType | str,
    state: DossierState,
    actor: Actor,
    *,
    calendar: WorkingCalendar | None = None,
    now: datetime | None = None,
) -> ActionError | None:
    """Why ``actor`` may not start ``action`` on this state now (payload aside), or None.

    The same checks as :func:`validate_action` without a payload; with ``calendar`` and
    ``now`` the apology's time limit is checked too. The UI shows the error's code in words
    next to a disabled action, so the user learns the rule instead of guessing.
    """
    kind = parse_action(action)
    t = TRANSITIONS[kind]
    try:
        _check_actor(t, state, actor)
        _check_state(t, state)
    except ActionError as err:
        return err
    if kind is ActionType.APOLOGY:
        return _apology_blocked(state, calendar, now)
    return None


def allowed_actions(
    state: DossierState,
    actor: Actor,
    *,
    calendar: WorkingCalendar | None = None,
    now: datetime | None = None,
) -> list[ActionType]:
    """Actions the actor may start on this state (payload aside), in table order.

    With ``calendar`` and ``now`` the apology's time limit is also checked.
    """
    return [
        kind
        for kind in TRANSITIONS
        if unavailable_reason(kind, state, actor, calendar=calendar, now=now) is None
    ]


# The slip row of a request for documents: its text is also how the request travels in the API
# (the server and the seed write it this way), so :func:`supplement_request` reads it back.
_REQUEST_PREFIX = "Yêu cầu bổ sung: "
_REASON_SEP = ". Lý do: "
_ITEM_SEP = "; "


@dataclass(frozen=True)
class SupplementRequest:
    """A request for documents (Mẫu 02) as the slip records it."""

    missing: tuple[str, ...]
    reason: str
    at: str | None  # ISO instant of the slip row
    by: str  # who asked (the actor's name)


def supplement_request(history: Sequence[Mapping[str, Any]]) -> SupplementRequest | None:
    """The latest request for documents in a dossier's slip rows, or None."""
    for row in reversed(history):
        if row.get("action") != ActionType.REQUEST_DOCUMENTS.value:
            continue
        text = str(row.get("content") or "")
        body = text.removeprefix(_REQUEST_PREFIX)
        items, _sep, reason = body.partition(_REASON_SEP)
        missing = tuple(i.strip() for i in items.split(_ITEM_SEP) if i.strip())
        return SupplementRequest(missing, reason.strip(), row.get("at"),
                                 str(row.get("actor_name") or ""))
    return None


def _content(
    kind: ActionType, p: Mapping[str, Any], calendar: WorkingCalendar, new: DossierState
) -> str:
    reason = f"{_REASON_SEP}{p['reason']}" if p.get("reason") else ""
    comment = f": {p['comment']}" if p.get("comment") else ""
    if kind is ActionType.ASSIGN:
        return f"Phân công cán bộ xử lý (người dùng #{p['assignee_id']})"
    if kind is ActionType.START_REVIEW:
        return "Bắt đầu thẩm định hồ sơ"
    if kind is ActionType.REQUEST_DOCUMENTS:
        return _REQUEST_PREFIX + _ITEM_SEP.join(p["missing"]) + reason
    if kind is ActionType.DOCUMENTS_RECEIVED:
        due = format_local(calendar, new.due_at) if new.due_at else ""
        return f"Đã nhận đủ hồ sơ bổ sung; thời hạn tính lại từ đầu, hẹn trả mới: {due}"
    if kind is ActionType.SUBMIT_FOR_APPROVAL:
        label = "giải quyết" if p["decision"] == "grant" else "từ chối"
        return f"Trình ký (đề xuất {label}): {p['proposed_result']}"
    if kind is ActionType.APPROVE:
        if new.status is Status.STOPPED:
            return "Phê duyệt đề xuất từ chối; dừng xử lý" + comment
        return "Phê duyệt kết quả" + comment
    if kind is ActionType.RETURN_FOR_REWORK:
        return f"Trả lại để xử lý lại: {p['comment']}"
    if kind is ActionType.REFUSE:
        return f"Không tiếp nhận hồ sơ. Lý do: {p['reason']}"
    if kind is ActionType.STOP:
        return f"Dừng xử lý hồ sơ. Lý do: {p['reason']}"
    if kind is ActionType.APOLOGY:
        due = format_local(calendar, parse_instant(p["new_due_at"]))
        return f"Xin lỗi và hẹn lại ngày trả kết quả: {due}. Lý do: {p['reason']}"
    channel = ResultChannel(p["channel"])
    if channel is ResultChannel.POST:
        return f"Trả kết quả qua bưu chính (mã vận đơn {p['tracking_number']})"
    if channel is ResultChannel.ONLINE:
        return "Trả kết quả trực tuyến"
    return "Trả kết quả tại Bộ phận Một cửa"


def _compute(
    kind: ActionType,
    p: Mapping[str, Any],
    state: DossierState,
    calendar: WorkingCalendar,
    now: datetime,
) -> DossierState:
    t = TRANSITIONS[kind]
    status = state.status if t.to_status is None else t.to_status
    step = state.step if t.keeps_step else t.to_step
    new = replace(state, status=status, step=step)
    if kind is ActionType.ASSIGN:
        if state.status is Status.AWAITING_SUPPLEMENT:
            new = replace(new, status=Status.AWAITING_SUPPLEMENT)
        new = replace(new, assignee_id=p["assignee_id"])
    elif kind is ActionType.REQUEST_DOCUMENTS:
        count = state.supplement_count + 1
        new = replace(
            new,
            clock_stopped_at=now,
            supplement_count=count,
            late_flag=state.late_flag or count > 1,
        )
    elif kind is ActionType.DOCUMENTS_RECEIVED:
        new = replace(
            new, clock_stopped_at=None, due_at=restart_clock(calendar, now, state.allowed_hours)
        )
    elif kind is ActionType.SUBMIT_FOR_APPROVAL:
        new = replace(new, proposed_decision=p["decision"])
    elif kind is ActionType.RETURN_FOR_REWORK:
        new = replace(new, proposed_decision=None)
    elif kind is ActionType.APPROVE:
        if state.proposed_decision == "refuse":
            new = replace(new, status=Status.STOPPED)
        new = replace(new, finished_at=now)
    elif kind in (ActionType.REFUSE, ActionType.STOP):
        new = replace(new, finished_at=now)
    elif kind is ActionType.APOLOGY:
        new = replace(
            new,
            due_at=parse_instant(p["new_due_at"]).astimezone(calendar.tz),
            original_due_at=state.original_due_at or state.due_at,
            apology_count=1,
        )
    elif kind is ActionType.RETURN_RESULT:
        new = replace(new, returned_at=now)
    return new


def apply_action(
    action: ActionType | str,
    payload: Mapping[str, Any],
    state: DossierState,
    actor: Actor,
    calendar: WorkingCalendar,
    now: datetime,
) -> Outcome:
    """Validate, then compute the new state and the slip row (none for notes)."""
    normalised = validate_action(action, payload, state, actor, calendar, now)
    kind = parse_action(action)
    if kind is ActionType.NOTE:
        return Outcome(state=state, payload=normalised, history=None)
    new = _compute(kind, normalised, state, calendar, now)
    step_due = None if kind is ActionType.DOCUMENTS_RECEIVED else state.due_at
    entry = HistoryEntry(
        action=kind.value,
        from_status=state.status,
        to_status=new.status,
        from_step=state.step,
        to_step=new.step,
        handed_to_id=normalised["assignee_id"] if kind is ActionType.ASSIGN else None,
        content=_content(kind, normalised, calendar, new),
        step_due_at=step_due,
        at=now,
    )
    return Outcome(state=new, payload=normalised, history=entry)


#: Statuses in which a result document may be attached: while the dossier is processed (the
#: officer's draft, the head's signed copy) and once the result is ready, before it is returned.
RESULT_ATTACHABLE_STATUSES = frozenset({Status.PROCESSING, Status.RESULT_READY})


def may_attach_result(status: int) -> bool:
    """True when a result document may be uploaded to a dossier in ``status``."""
    return status in RESULT_ATTACHABLE_STATUSES
