"""DossierState <-> dossier document fields, and the error/time-format helpers."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.domain.helpers import NOW, state
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.codec import state_from_document, state_to_document
from wfh_client.domain.errors import ActionInvalid
from wfh_client.domain.statuses import Status, Step
from wfh_client.domain.timefmt import parse_instant, to_iso_utc


def test_round_trip() -> None:
    st = state(Status.AWAITING_SUPPLEMENT, Step.IN_REVIEW, clock_stopped_at=NOW, late_flag=True)
    doc = state_to_document(st)
    assert doc["status"] == 5 and doc["step"] == "in_review"
    assert doc["received_at"] == "2026-03-02T01:00:00Z"
    assert doc["clock_stopped_at"] == "2026-03-03T02:00:00Z" and doc["finished_at"] is None
    assert state_from_document({**doc, "code": "X", "history": []}) == st


def test_explicit_allowed_hours_and_missing_optionals() -> None:
    doc = {
        "status": 2,
        "step": None,
        "department_id": "dat-dai",
        "assignee_id": None,
        "received_at": "2026-03-02T01:00:00Z",
        "due_at": "2026-03-05T01:00:00Z",
    }
    st = state_from_document(doc, allowed_hours=24)
    assert st.status is Status.ACCEPTED and st.step is None and st.allowed_hours == 24
    assert st.proposed_decision is None and not st.late_flag


@pytest.mark.parametrize(
    "doc",
    [
        {"status": 4},
        {"status": 42, "department_id": "d", "received_at": "2026-03-02T01:00:00Z"},
        {"status": 4, "department_id": "d", "received_at": "2026-03-02T08:00:00"},
        {"status": 4, "department_id": "d", "received_at": "2026-03-02T01:00:00Z", "step": "x"},
    ],
)
def test_malformed_documents(doc: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        state_from_document(doc)


def test_time_format() -> None:
    assert to_iso_utc(parse_instant("2026-03-10T10:00:00+07:00")) == "2026-03-10T03:00:00Z"
    assert parse_instant("2026-03-10T03:00:00Z") == parse_instant("2026-03-10T10:00+07:00")
    with pytest.raises(ValueError):
        to_iso_utc(datetime(2026, 3, 10))
    with pytest.raises(ValueError):
        parse_instant("2026-03-10")


def test_error_to_dict() -> None:
    err = ActionInvalid("reason_required", "Field 'reason' is required.", {"field": "reason"})
    assert err.to_dict() == {
        "code": "reason_required",
        "message": "Field 'reason' is required.",
        "details": {"field": "reason"},
    }


def test_unknown_time_zone_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        WorkingCalendar(time_zone="Mars/Olympus_Mons")
    with pytest.raises(ValueError):
        WorkingCalendar.from_dict({"time_zone": "Nowhere"})
