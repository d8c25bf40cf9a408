"""The transition table: who may do what, from which status/step, and with what result."""

from __future__ import annotations

from typing import Any

import pytest

from tests.domain.helpers import (
    ADMIN,
    CAL,
    DEPT,
    DUE,
    FOREIGN_HEAD,
    FOREIGN_OFFICER,
    HEAD,
    NOW,
    OFFICER,
    OTHER_OFFICER,
    at,
    state,
)
from wfh_client.domain.statuses import ActionType, Role, Status, Step
from wfh_client.domain.workflow import (
    TRANSITIONS,
    ActionForbidden,
    ActionInvalid,
    Actor,
    allowed_actions,
    apply_action,
    validate_action,
)

A, S, P = ActionType, Status, Step

PAYLOADS: dict[ActionType, dict[str, Any]] = {
    A.NOTE: {"text": "Đã gọi điện cho công dân"},
    A.ASSIGN: {"assignee_id": 3},
    A.START_REVIEW: {},
    A.REQUEST_DOCUMENTS: {"missing": ["Bản sao CCCD", "Sơ đồ thửa đất"]},
    A.DOCUMENTS_RECEIVED: {},
    A.SUBMIT_FOR_APPROVAL: {"proposed_result": "Cấp giấy chứng nhận", "decision": "grant"},
    A.APPROVE: {},
    A.RETURN_FOR_REWORK: {"comment": "Thiếu chữ ký"},
    A.REFUSE: {"reason": "Không thuộc thẩm quyền"},
    A.STOP: {"reason": "Hồ sơ không đủ điều kiện"},
    A.APOLOGY: {"reason": "Chờ xác minh", "new_due_at": "2026-03-10T03:00:00Z"},
    A.RETURN_RESULT: {"channel": "counter"},
}

# (action, from status, from step, actor, expected status, expected step)
ALLOWED = [
    (A.NOTE, S.PROCESSING, P.IN_REVIEW, OFFICER, S.PROCESSING, P.IN_REVIEW),
    (A.NOTE, S.RETURNED, P.APPROVED, HEAD, S.RETURNED, P.APPROVED),
    (A.NOTE, S.SUBMITTED, None, HEAD, S.SUBMITTED, None),
    (A.ASSIGN, S.ACCEPTED, None, HEAD, S.PROCESSING, P.ASSIGNED),
    (A.ASSIGN, S.ACCEPTED, P.UNASSIGNED, HEAD, S.PROCESSING, P.ASSIGNED),
    (A.ASSIGN, S.PROCESSING, P.UNASSIGNED, HEAD, S.PROCESSING, P.ASSIGNED),
    (A.ASSIGN, S.PROCESSING, P.ASSIGNED, HEAD, S.PROCESSING, P.ASSIGNED),
    (A.ASSIGN, S.PROCESSING, P.IN_REVIEW, HEAD, S.PROCESSING, P.ASSIGNED),
    (A.ASSIGN, S.PROCESSING, P.RETURNED_FOR_REWORK, ADMIN, S.PROCESSING, P.ASSIGNED),
    (A.ASSIGN, S.AWAITING_SUPPLEMENT, P.IN_REVIEW, HEAD, S.AWAITING_SUPPLEMENT, P.ASSIGNED),
    (A.START_REVIEW, S.PROCESSING, P.ASSIGNED, OFFICER, S.PROCESSING, P.IN_REVIEW),
    (A.START_REVIEW, S.PROCESSING, P.RETURNED_FOR_REWORK, OFFICER, S.PROCESSING, P.IN_REVIEW),
    (A.REQUEST_DOCUMENTS, S.PROCESSING, P.ASSIGNED, OFFICER, S.AWAITING_SUPPLEMENT, P.ASSIGNED),
    (A.REQUEST_DOCUMENTS, S.PROCESSING, P.IN_REVIEW, OFFICER, S.AWAITING_SUPPLEMENT, P.IN_REVIEW),
    (
        A.REQUEST_DOCUMENTS,
        S.PROCESSING,
        P.RETURNED_FOR_REWORK,
        HEAD,
        S.AWAITING_SUPPLEMENT,
        P.RETURNED_FOR_REWORK,
    ),
    (A.DOCUMENTS_RECEIVED, S.AWAITING_SUPPLEMENT, P.IN_REVIEW, OFFICER, S.PROCESSING, P.IN_REVIEW),
    (
        A.SUBMIT_FOR_APPROVAL,
        S.PROCESSING,
        P.IN_REVIEW,
        OFFICER,
        S.PROCESSING,
        P.SUBMITTED_FOR_APPROVAL,
    ),
    (
        A.SUBMIT_FOR_APPROVAL,
        S.PROCESSING,
        P.RETURNED_FOR_REWORK,
        OFFICER,
        S.PROCESSING,
        P.SUBMITTED_FOR_APPROVAL,
    ),
    (A.APPROVE, S.PROCESSING, P.SUBMITTED_FOR_APPROVAL, HEAD, S.RESULT_READY, P.APPROVED),
    (
        A.RETURN_FOR_REWORK,
        S.PROCESSING,
        P.SUBMITTED_FOR_APPROVAL,
        HEAD,
        S.PROCESSING,
        P.RETURNED_FOR_REWORK,
    ),
    (A.REFUSE, S.SUBMITTED, None, HEAD, S.REFUSED_AT_INTAKE, None),
    (A.REFUSE, S.ACCEPTED, P.UNASSIGNED, HEAD, S.REFUSED_AT_INTAKE, P.UNASSIGNED),
    (A.STOP, S.PROCESSING, P.SUBMITTED_FOR_APPROVAL, HEAD, S.STOPPED, P.SUBMITTED_FOR_APPROVAL),
    (A.STOP, S.PROCESSING, P.IN_REVIEW, OFFICER, S.STOPPED, P.IN_REVIEW),
    (A.STOP, S.AWAITING_SUPPLEMENT, P.IN_REVIEW, OFFICER, S.STOPPED, P.IN_REVIEW),
    (A.APOLOGY, S.ACCEPTED, None, HEAD, S.ACCEPTED, None),
    (A.APOLOGY, S.PROCESSING, P.IN_REVIEW, OFFICER, S.PROCESSING, P.IN_REVIEW),
    (A.APOLOGY, S.AWAITING_SUPPLEMENT, P.IN_REVIEW, OFFICER, S.AWAITING_SUPPLEMENT, P.IN_REVIEW),
    (A.RETURN_RESULT, S.RESULT_READY, P.APPROVED, OFFICER, S.RETURNED, P.APPROVED),
]


@pytest.mark.parametrize(("action", "status", "step", "actor", "to_status", "to_step"), ALLOWED)
def test_allowed_transition(
    action: ActionType,
    status: Status,
    step: Step | None,
    actor: Actor,
    to_status: Status,
    to_step: Step | None,
) -> None:
    before = state(status, step)
    out = apply_action(action, PAYLOADS[action], before, actor, CAL, NOW)
    assert (out.state.status, out.state.step) == (to_status, to_step)
    assert action in allowed_actions(before, actor)
    if action is A.NOTE:
        assert out.history is None and out.state == before
    else:
        assert out.history is not None
        assert out.history.action == action.value
        assert (out.history.from_status, out.history.from_step) == (status, step)
        assert (out.history.to_status, out.history.to_step) == (to_status, to_step)
        assert out.history.at == NOW and out.history.content


# (action, status, step) that can never work, whoever asks
DISALLOWED = [
    (A.NOTE, S.WITHDRAWN, None),
    (A.ASSIGN, S.SUBMITTED, None),
    (A.ASSIGN, S.PROCESSING, P.SUBMITTED_FOR_APPROVAL),
    (A.ASSIGN, S.RESULT_READY, P.APPROVED),
    (A.START_REVIEW, S.PROCESSING, P.IN_REVIEW),
    (A.START_REVIEW, S.ACCEPTED, P.UNASSIGNED),
    (A.REQUEST_DOCUMENTS, S.PROCESSING, P.SUBMITTED_FOR_APPROVAL),
    (A.REQUEST_DOCUMENTS, S.AWAITING_SUPPLEMENT, P.IN_REVIEW),
    (A.REQUEST_DOCUMENTS, S.ACCEPTED, P.UNASSIGNED),
    (A.DOCUMENTS_RECEIVED, S.PROCESSING, P.IN_REVIEW),
    (A.SUBMIT_FOR_APPROVAL, S.PROCESSING, P.ASSIGNED),
    (A.SUBMIT_FOR_APPROVAL, S.PROCESSING, P.SUBMITTED_FOR_APPROVAL),
    (A.SUBMIT_FOR_APPROVAL, S.AWAITING_SUPPLEMENT, P.IN_REVIEW),
    (A.APPROVE, S.PROCESSING, P.IN_REVIEW),
    (A.APPROVE, S.RESULT_READY, P.APPROVED),
    (A.RETURN_FOR_REWORK, S.PROCESSING, P.IN_REVIEW),
    (A.REFUSE, S.PROCESSING, P.IN_REVIEW),
    (A.REFUSE, S.REFUSED_AT_INTAKE, None),
    (A.STOP, S.ACCEPTED, P.UNASSIGNED),
    (A.STOP, S.RESULT_READY, P.APPROVED),
    (A.STOP, S.STOPPED, P.IN_REVIEW),
    (A.APOLOGY, S.RESULT_READY, P.APPROVED),
    (A.APOLOGY, S.SUBMITTED, None),
    (A.RETURN_RESULT, S.PROCESSING, P.SUBMITTED_FOR_APPROVAL),
    (A.RETURN_RESULT, S.RETURNED, P.APPROVED),
    (A.RETURN_RESULT, S.STOPPED, P.IN_REVIEW),
]


@pytest.mark.parametrize(("action", "status", "step"), DISALLOWED)
def test_disallowed_transition(action: ActionType, status: Status, step: Step | None) -> None:
    before = state(status, step)
    with pytest.raises(ActionInvalid) as err:
        apply_action(action, PAYLOADS[action], before, HEAD, CAL, NOW)
    assert err.value.code == "wrong_status"
    assert action not in allowed_actions(before, HEAD)


def test_every_action_has_a_transition_and_a_payload() -> None:
    assert set(TRANSITIONS) == set(ActionType) == set(PAYLOADS)


# ------------------------------------------------------------------- who may act
@pytest.mark.parametrize("action", [A.ASSIGN, A.APPROVE, A.RETURN_FOR_REWORK])
def test_officer_cannot_do_head_actions(action: ActionType) -> None:
    before = state(
        S.PROCESSING, P.SUBMITTED_FOR_APPROVAL if action is not A.ASSIGN else P.IN_REVIEW
    )
    with pytest.raises(ActionForbidden) as err:
        validate_action(action, PAYLOADS[action], before, OFFICER, CAL, NOW)
    assert err.value.code == "role_not_allowed"


@pytest.mark.parametrize(
    "action", [A.NOTE, A.START_REVIEW, A.REQUEST_DOCUMENTS, A.SUBMIT_FOR_APPROVAL, A.STOP]
)
def test_officer_who_is_not_the_assignee_is_forbidden(action: ActionType) -> None:
    step = P.ASSIGNED if action is A.START_REVIEW else P.IN_REVIEW
    with pytest.raises(ActionForbidden) as err:
        validate_action(
            action, PAYLOADS[action], state(S.PROCESSING, step), OTHER_OFFICER, CAL, NOW
        )
    assert err.value.code == "not_assignee"
    # an unassigned dossier belongs to no officer either
    with pytest.raises(ActionForbidden):
        validate_action(
            action, PAYLOADS[action], state(S.PROCESSING, step, assignee_id=None), OFFICER, CAL, NOW
        )


@pytest.mark.parametrize("actor", [FOREIGN_HEAD, FOREIGN_OFFICER, Actor(7, Role.ADMIN, None)])
@pytest.mark.parametrize("action", [A.NOTE, A.ASSIGN, A.STOP])
def test_other_department_is_forbidden(action: ActionType, actor: Actor) -> None:
    with pytest.raises(ActionForbidden) as err:
        validate_action(action, PAYLOADS[action], state(), actor, CAL, NOW)
    assert err.value.code == "other_department"
    assert allowed_actions(state(), actor) == []


def test_head_acts_on_anything_in_the_department() -> None:
    before = state(S.PROCESSING, P.ASSIGNED, assignee_id=42)
    out = apply_action(A.START_REVIEW, {}, before, HEAD, CAL, NOW)
    assert out.state.step is P.IN_REVIEW and out.state.assignee_id == 42


def test_forbidden_is_checked_before_the_status() -> None:
    with pytest.raises(ActionForbidden):
        validate_action(A.APPROVE, {}, state(S.RETURNED, P.APPROVED), OFFICER, CAL, NOW)


def test_allowed_actions_for_buttons() -> None:
    assert allowed_actions(state(S.PROCESSING, P.IN_REVIEW), OFFICER) == [
        A.NOTE,
        A.REQUEST_DOCUMENTS,
        A.SUBMIT_FOR_APPROVAL,
        A.STOP,
        A.APOLOGY,
    ]
    assert allowed_actions(state(S.PROCESSING, P.SUBMITTED_FOR_APPROVAL), HEAD) == [
        A.NOTE,
        A.APPROVE,
        A.RETURN_FOR_REWORK,
        A.STOP,
        A.APOLOGY,
    ]
    assert allowed_actions(state(S.PROCESSING, P.SUBMITTED_FOR_APPROVAL), OFFICER) == [
        A.NOTE,
        A.STOP,
        A.APOLOGY,
    ]
    assert allowed_actions(state(S.WITHDRAWN, None), HEAD) == []
    # apology: once only, and with a calendar, not later than one working day before due
    assert A.APOLOGY not in allowed_actions(state(apology_count=1), OFFICER)
    late = at(2026, 3, 4, 9)  # 7 working hours before the due instant
    assert A.APOLOGY not in allowed_actions(state(), OFFICER, calendar=CAL, now=late)
    assert A.APOLOGY in allowed_actions(state(), OFFICER, calendar=CAL, now=NOW)


def test_unknown_action() -> None:
    with pytest.raises(ActionInvalid) as err:
        validate_action("teleport", {}, state(), HEAD, CAL, NOW)
    assert err.value.code == "unknown_action"


def test_action_type_given_as_string() -> None:
    out = apply_action("start_review", {}, state(S.PROCESSING, P.ASSIGNED), OFFICER, CAL, NOW)
    assert out.state.step is P.IN_REVIEW


def test_naive_now_rejected() -> None:
    with pytest.raises(ValueError):
        validate_action(A.NOTE, PAYLOADS[A.NOTE], state(), OFFICER, CAL, NOW.replace(tzinfo=None))


def test_department_constant() -> None:
    assert state().department_id == DEPT and state().due_at == DUE
