"""Action semantics: payload validation, supplement clock stop/restart, apology, results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.domain.helpers import CAL, DUE, HEAD, NOW, OFFICER, RECEIVED, at, state
from wfh_client.domain.slip import classify_steps, step_timeliness
from wfh_client.domain.statuses import ActionType, Status, Step, Timeliness
from wfh_client.domain.workflow import ActionInvalid, apply_action, validate_action

A, S, P = ActionType, Status, Step


def invalid(
    action: ActionType, payload: Any, st: Any = None, actor: Any = OFFICER, now: datetime = NOW
) -> str:
    with pytest.raises(ActionInvalid) as err:
        validate_action(action, payload, st or state(), actor, CAL, now)
    assert err.value.message and isinstance(err.value.details, dict)
    return err.value.code


# ---------------------------------------------------------------- payload shape
@pytest.mark.parametrize(
    ("action", "payload", "st", "code"),
    [
        (A.REFUSE, {}, state(S.ACCEPTED, None), "reason_required"),
        (A.REFUSE, {"reason": "   "}, state(S.ACCEPTED, None), "reason_required"),
        (A.STOP, {"reason": ""}, None, "reason_required"),
        (A.STOP, {"reason": None}, None, "reason_required"),
        (A.STOP, {"reason": 42}, None, "bad_type"),
        (A.STOP, {"reason": "x" * 2001}, None, "too_long"),
        (A.STOP, {"reason": "ok", "extra": 1}, None, "unknown_field"),
        (A.NOTE, {}, None, "text_required"),
        (A.NOTE, {"text": "x" * 10_001}, None, "too_long"),
        (A.START_REVIEW, {"x": 1}, state(S.PROCESSING, P.ASSIGNED), "unknown_field"),
        (A.REQUEST_DOCUMENTS, {"missing": []}, None, "missing_required"),
        (A.REQUEST_DOCUMENTS, {}, None, "missing_required"),
        (A.REQUEST_DOCUMENTS, {"missing": "CCCD"}, None, "bad_type"),
        (A.REQUEST_DOCUMENTS, {"missing": ["CCCD", 3]}, None, "bad_type"),
        (A.REQUEST_DOCUMENTS, {"missing": ["CCCD", "  "]}, None, "empty_item"),
        (
            A.REQUEST_DOCUMENTS,
            {"missing": [f"Giấy {i}" for i in range(51)]},
            None,
            "too_many_items",
        ),
        (A.SUBMIT_FOR_APPROVAL, {"proposed_result": "Cấp", "decision": "maybe"}, None, "bad_value"),
        (A.SUBMIT_FOR_APPROVAL, {"decision": "grant"}, None, "proposed_result_required"),
        (
            A.RETURN_FOR_REWORK,
            {"comment": " "},
            state(S.PROCESSING, P.SUBMITTED_FOR_APPROVAL),
            "comment_required",
        ),
        (A.ASSIGN, {"assignee_id": "3"}, None, "bad_type"),
        (A.ASSIGN, {"assignee_id": True}, None, "bad_type"),
        (A.ASSIGN, {"assignee_id": 0}, None, "bad_value"),
        (A.ASSIGN, {}, None, "assignee_id_required"),
        (A.RETURN_RESULT, {"channel": "fax"}, state(S.RESULT_READY, P.APPROVED), "bad_value"),
        (
            A.RETURN_RESULT,
            {"channel": "post"},
            state(S.RESULT_READY, P.APPROVED),
            "tracking_number_required",
        ),
        (A.APOLOGY, {"reason": "x", "new_due_at": "2026-03-10"}, None, "bad_datetime"),
        (A.APOLOGY, {"reason": "x", "new_due_at": "2026-03-10T10:00:00"}, None, "bad_datetime"),
        (A.APOLOGY, {"reason": "x", "new_due_at": "soon"}, None, "bad_datetime"),
        (A.APOLOGY, {"new_due_at": "2026-03-10T03:00:00Z"}, None, "reason_required"),
        (A.APOLOGY, {"reason": "x"}, None, "new_due_at_required"),
        (A.NOTE, ["text"], None, "bad_type"),
    ],
)
def test_payload_validation(action: ActionType, payload: Any, st: Any, code: str) -> None:
    assert invalid(action, payload, st, actor=HEAD) == code


def test_strings_are_stripped_and_dates_normalised() -> None:
    out = validate_action(
        A.APOLOGY,
        {"reason": "  Chờ xác minh \n", "new_due_at": "2026-03-10T10:00:00+07:00"},
        state(),
        OFFICER,
        CAL,
        NOW,
    )
    assert out == {"reason": "Chờ xác minh", "new_due_at": "2026-03-10T03:00:00Z"}
    assert (
        validate_action(
            A.APPROVE,
            {"comment": "  "},
            state(S.PROCESSING, P.SUBMITTED_FOR_APPROVAL),
            HEAD,
            CAL,
            NOW,
        )
        == {}
    )


def test_missing_list_deduplicated_and_content() -> None:
    payload = {"missing": [" Bản sao CCCD", "bản sao  cccd", "Sơ đồ thửa đất"], "reason": ""}
    out = apply_action(A.REQUEST_DOCUMENTS, payload, state(), OFFICER, CAL, NOW)
    assert out.payload == {"missing": ["Bản sao CCCD", "Sơ đồ thửa đất"]}
    assert out.history is not None
    assert out.history.content == "Yêu cầu bổ sung: Bản sao CCCD; Sơ đồ thửa đất"


# --------------------------------------------------------- supplement and clock
def test_supplement_stops_and_restarts_the_clock() -> None:
    # request on Tue 3/3 09:00: the clock stops
    first = apply_action(
        A.REQUEST_DOCUMENTS, {"missing": ["Bản sao CCCD"]}, state(), OFFICER, CAL, NOW
    ).state
    assert first.status is S.AWAITING_SUPPLEMENT and first.clock_stopped_at == NOW
    assert first.supplement_count == 1 and not first.late_flag
    # documents back Mon 9/3 15:00: the 24 h restart from zero:
    # Mon 9/3 15:00-17:00 2 h, Tue 10/3 8 h, Wed 11/3 8 h (18 h), then Thu 12/3 6 h:
    # 07:00-11:30 4.5 h, then 1.5 h from 13:30 -> Thu 12/3 15:00
    back = apply_action(A.DOCUMENTS_RECEIVED, {}, first, OFFICER, CAL, at(2026, 3, 9, 15))
    assert back.state.status is S.PROCESSING and back.state.step is P.IN_REVIEW
    assert back.state.clock_stopped_at is None
    assert back.state.due_at == at(2026, 3, 12, 15)
    assert back.history is not None and back.history.step_due_at is None
    assert "12/03/2026 15:00" in back.history.content
    # a second request is allowed but marks the dossier late
    second = apply_action(
        A.REQUEST_DOCUMENTS, {"missing": ["Bản đồ"]}, back.state, OFFICER, CAL, at(2026, 3, 10, 9)
    ).state
    assert second.supplement_count == 2 and second.late_flag


def test_assign_while_awaiting_supplement_keeps_status_five() -> None:
    waiting = state(S.AWAITING_SUPPLEMENT, P.IN_REVIEW, clock_stopped_at=NOW)
    out = apply_action(A.ASSIGN, {"assignee_id": 3}, waiting, HEAD, CAL, NOW)
    assert out.state.status is S.AWAITING_SUPPLEMENT and out.state.assignee_id == 3
    assert out.state.clock_stopped_at == NOW
    assert out.history is not None and out.history.handed_to_id == 3


# -------------------------------------------------------------- approval paths
def test_submit_approve_grant_and_refuse() -> None:
    submitted = apply_action(
        A.SUBMIT_FOR_APPROVAL,
        {"proposed_result": " Cấp GCN ", "decision": "grant"},
        state(),
        OFFICER,
        CAL,
        NOW,
    )
    assert submitted.state.proposed_decision == "grant"
    assert submitted.history is not None
    assert submitted.history.content == "Trình ký (đề xuất giải quyết): Cấp GCN"
    approved = apply_action(
        A.APPROVE, {"comment": "Đồng ý"}, submitted.state, HEAD, CAL, at(2026, 3, 4, 10)
    )
    assert approved.state.status is S.RESULT_READY and approved.state.step is P.APPROVED
    assert approved.state.finished_at == at(2026, 3, 4, 10)
    # approving a refusal proposal stops processing (status 8)
    refused = apply_action(
        A.SUBMIT_FOR_APPROVAL,
        {"proposed_result": "Từ chối cấp", "decision": "refuse"},
        state(),
        OFFICER,
        CAL,
        NOW,
    ).state
    stopped = apply_action(A.APPROVE, {}, refused, HEAD, CAL, NOW).state
    assert stopped.status is S.STOPPED and stopped.finished_at == NOW
    # return for rework clears the proposal
    rework = apply_action(A.RETURN_FOR_REWORK, {"comment": "Sửa lại"}, refused, HEAD, CAL, NOW)
    assert rework.state.proposed_decision is None and rework.state.step is P.RETURNED_FOR_REWORK


def test_refuse_and_stop_finish_the_dossier() -> None:
    refused = apply_action(
        A.REFUSE, {"reason": "Sai thẩm quyền"}, state(S.SUBMITTED, None), HEAD, CAL, NOW
    )
    assert refused.state.status is S.REFUSED_AT_INTAKE and refused.state.finished_at == NOW
    assert refused.history is not None and "Sai thẩm quyền" in refused.history.content
    stopped = apply_action(A.STOP, {"reason": "Giả mạo giấy tờ"}, state(), OFFICER, CAL, NOW)
    assert stopped.state.status is S.STOPPED and stopped.state.finished_at == NOW


def test_return_result() -> None:
    ready = state(S.RESULT_READY, P.APPROVED, finished_at=NOW)
    out = apply_action(
        A.RETURN_RESULT,
        {"channel": "post", "tracking_number": " EB123VN "},
        ready,
        OFFICER,
        CAL,
        at(2026, 3, 4, 8),
    )
    assert out.state.status is S.RETURNED and out.state.returned_at == at(2026, 3, 4, 8)
    assert out.payload == {"channel": "post", "tracking_number": "EB123VN"}
    counter = apply_action(
        A.RETURN_RESULT, {"channel": "counter", "tracking_number": "X"}, ready, OFFICER, CAL, NOW
    )
    assert counter.payload == {"channel": "counter"}


# --------------------------------------------------------------------- apology
NEW_DUE = "2026-03-10T03:00:00Z"  # Tue 10/3 10:00 in Hà Nội


def test_apology_sets_the_new_date_once() -> None:
    out = apply_action(
        A.APOLOGY, {"reason": "Chờ xác minh", "new_due_at": NEW_DUE}, state(), OFFICER, CAL, NOW
    )
    assert out.state.due_at == at(2026, 3, 10, 10)
    assert out.state.original_due_at == DUE and out.state.apology_count == 1
    assert out.history is not None and out.history.step_due_at == DUE
    assert "10/03/2026 10:00" in out.history.content
    # at most once
    assert (
        invalid(A.APOLOGY, {"reason": "x", "new_due_at": "2026-03-20T03:00:00Z"}, out.state)
        == "apology_already_made"
    )


def test_apology_date_must_be_later() -> None:
    assert invalid(A.APOLOGY, {"reason": "x", "new_due_at": "2026-03-05T01:00:00Z"}) == (
        "new_date_not_later"  # exactly the current due instant (08:00 +07:00)
    )
    assert invalid(A.APOLOGY, {"reason": "x", "new_due_at": "2026-03-04T01:00:00Z"}) == (
        "new_date_not_later"
    )


def test_apology_at_least_one_working_day_before_due() -> None:
    payload = {"reason": "x", "new_due_at": NEW_DUE}
    # due Thu 5/3 08:00. Wed 4/3 08:00 leaves exactly 8 working hours: allowed
    validate_action(A.APOLOGY, payload, state(), OFFICER, CAL, at(2026, 3, 4, 8))
    # Wed 4/3 08:01 leaves 7 h 59 min: too late
    assert invalid(A.APOLOGY, payload, now=at(2026, 3, 4, 8, 1)) == "apology_too_late"
    # already overdue
    assert invalid(A.APOLOGY, payload, now=at(2026, 3, 6, 8)) == "apology_too_late"
    # while awaiting documents the clock is frozen at the request
    waiting = state(S.AWAITING_SUPPLEMENT, P.IN_REVIEW, clock_stopped_at=NOW)
    validate_action(A.APOLOGY, payload, waiting, OFFICER, CAL, at(2026, 3, 9, 9))
    assert invalid(A.APOLOGY, payload, state(due_at=None)) == "no_due_date"


# -------------------------------------------------------- process-control slip
def test_step_timeliness_of_history_rows() -> None:
    due = at(2026, 3, 5, 8)
    rows: list[Any] = []
    s0 = state(S.PROCESSING, P.ASSIGNED)
    for action, payload, actor, when in [
        (A.START_REVIEW, {}, OFFICER, at(2026, 3, 2, 9)),
        (
            A.SUBMIT_FOR_APPROVAL,
            {"proposed_result": "Cấp", "decision": "grant"},
            OFFICER,
            at(2026, 3, 5, 7, 30),
        ),
        (A.APPROVE, {}, HEAD, at(2026, 3, 5, 9)),
    ]:
        out = apply_action(action, payload, s0, actor, CAL, when)
        s0 = out.state
        assert out.history is not None and out.history.step_due_at == due
        rows.append(out.history)
    assert classify_steps(CAL, rows) == [Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE]
    wire = [r.to_dict() for r in rows] + [{"at": "2026-03-02T02:00:00Z", "step_due_at": None}]
    assert wire[0]["at"] == "2026-03-02T02:00:00Z" and wire[0]["from_status"] == 4
    assert classify_steps(CAL, wire) == [
        Timeliness.EARLY,
        Timeliness.ON_TIME,
        Timeliness.LATE,
        None,
    ]
    assert step_timeliness(CAL, datetime(2026, 3, 5, 1, tzinfo=UTC), due) is Timeliness.ON_TIME


def test_state_fields_untouched_by_unrelated_actions() -> None:
    before = state(S.PROCESSING, P.ASSIGNED)
    after = apply_action(A.START_REVIEW, {}, before, OFFICER, CAL, NOW).state
    assert after.received_at == RECEIVED and after.due_at == DUE
    assert after.allowed_hours == 24 and after.finished_at is None
    assert after.clock_stopped_at is None and after.assignee_id == OFFICER.user_id
    assert timedelta(0) < CAL.remaining(NOW, after.due_at or DUE)
