"""The on-time rule (``domain.ontime``) and the board's deadline buckets (``domain.deadlines``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.domain.helpers import CAL, DUE, HEAD, OFFICER, RECEIVED, VN, at, state
from wfh_client.domain.deadlines import Bucket, buckets, thresholds
from wfh_client.domain.ontime import (
    OnTimeFacts,
    RateRow,
    Verdict,
    aggregate,
    effective_end,
    end_of_processing,
    month_key,
    totals,
    verdict,
)
from wfh_client.domain.statuses import Status
from wfh_client.domain.workflow import DossierState, apply_action

SECOND = timedelta(seconds=1)


def facts(status: int = Status.RESULT_READY, **kw: object) -> OnTimeFacts:
    base: dict[str, object] = {"status": int(status), "due_at": DUE}
    base.update(kw)
    return OnTimeFacts(**base)  # type: ignore[arg-type]


def test_on_time_up_to_the_due_instant_and_late_after() -> None:
    assert verdict(facts(finished_at=DUE)) is Verdict.ON_TIME
    assert verdict(facts(finished_at=DUE - timedelta(days=1))) is Verdict.ON_TIME
    assert verdict(facts(finished_at=DUE + SECOND)) is Verdict.LATE


def test_end_of_processing_is_the_first_of_finished_and_returned() -> None:
    f = facts(Status.RETURNED, finished_at=DUE - SECOND, returned_at=DUE + timedelta(days=2))
    assert end_of_processing(f) == DUE - SECOND
    assert verdict(f) is Verdict.ON_TIME  # returned late, but processing ended in time
    only_returned = facts(Status.RETURNED, returned_at=DUE + SECOND)
    assert verdict(only_returned) is Verdict.LATE
    for status in (Status.STOPPED, Status.REFUSED_AT_INTAKE):
        assert verdict(facts(status, finished_at=DUE)) is Verdict.ON_TIME


def test_a_second_supplement_request_is_late_whatever_the_dates() -> None:
    early = DUE - timedelta(days=2)
    assert verdict(facts(finished_at=early, supplement_count=1)) is Verdict.ON_TIME
    assert verdict(facts(finished_at=early, supplement_count=2)) is Verdict.LATE
    assert verdict(facts(finished_at=early, supplement_count=3)) is Verdict.LATE


def test_open_withdrawn_and_undated_dossiers_are_not_judged() -> None:
    for status in (Status.ACCEPTED, Status.PROCESSING, Status.AWAITING_SUPPLEMENT, Status.AWAITING_FEES):
        assert verdict(facts(status)) is Verdict.OPEN
    assert verdict(facts(Status.WITHDRAWN, finished_at=DUE)) is Verdict.EXCLUDED
    assert verdict(facts(Status.REFUSED_AT_INTAKE, due_at=None, finished_at=DUE)) is Verdict.EXCLUDED
    assert verdict(facts(Status.RESULT_READY)) is Verdict.EXCLUDED  # final but no end recorded


def test_stopped_while_waiting_is_judged_when_the_clock_stopped() -> None:
    stopped_clock = DUE - timedelta(hours=3)
    f = facts(Status.STOPPED, finished_at=DUE + timedelta(days=30), clock_stopped_at=stopped_clock,
              supplement_count=1)
    assert effective_end(f) == stopped_clock
    assert verdict(f) is Verdict.ON_TIME
    late_request = facts(Status.STOPPED, finished_at=DUE + timedelta(days=30),
                         clock_stopped_at=DUE + SECOND, supplement_count=1)
    assert verdict(late_request) is Verdict.LATE


def test_apology_new_date_is_the_appointment_in_force() -> None:
    new_due = DUE + timedelta(days=5)
    f = facts(due_at=new_due, finished_at=DUE + timedelta(days=3), apology_count=1)
    assert verdict(f) is Verdict.ON_TIME


def _run(s: DossierState, steps: list[tuple[str, dict[str, object], datetime]]) -> DossierState:
    for action, payload, when in steps:
        actor = HEAD if action in ("approve", "assign") else OFFICER
        s = apply_action(action, payload, s, actor, CAL, when).state
    return s


def _facts_of(s: DossierState) -> OnTimeFacts:
    return OnTimeFacts(status=int(s.status), due_at=s.due_at, finished_at=s.finished_at,
                       returned_at=s.returned_at, clock_stopped_at=s.clock_stopped_at,
                       supplement_count=s.supplement_count, apology_count=s.apology_count)


def test_waiting_time_is_excluded_exactly_once_through_the_workflow() -> None:
    """Request documents, wait two weeks, get them back: the due date restarts from zero, so
    finishing within the allowed time after the return is on time (no double exclusion), and
    finishing after the restarted due date is late."""
    ask = {"missing": ["Bản sao CCCD"], "reason": "Thiếu"}
    submit = {"proposed_result": "Dự thảo", "decision": "grant"}
    back = at(2026, 3, 16, 8)  # Monday, two weeks after the request, after the original due
    waited = _run(state(), [
        ("request_documents", ask, at(2026, 3, 3, 9)),
        ("documents_received", {}, back),
    ])
    assert waited.due_at is not None and waited.due_at > back > DUE
    assert CAL.working_time_between(back, waited.due_at) == timedelta(hours=24)
    in_time = _run(waited, [("submit_for_approval", submit, back + timedelta(hours=2)),
                            ("approve", {}, waited.due_at)])
    assert verdict(_facts_of(in_time)) is Verdict.ON_TIME
    too_late = _run(waited, [("submit_for_approval", submit, back + timedelta(hours=2)),
                             ("approve", {}, waited.due_at + SECOND)])
    assert verdict(_facts_of(too_late)) is Verdict.LATE


def test_month_key_uses_the_department_time_zone() -> None:
    end = datetime(2026, 1, 31, 18, 0, tzinfo=UTC)  # 01:00 on 1 February in Vietnam
    assert month_key(end, VN) == "2026-02"
    assert month_key(end, UTC) == "2026-01"
    with pytest.raises(ValueError):
        month_key(datetime(2026, 1, 31, 18, 0), VN)  # noqa: DTZ001 - naive on purpose


def test_aggregate_counts_lists_every_key_and_computes_rates() -> None:
    items = [
        ("7", "An", Verdict.ON_TIME, False), ("7", "An", Verdict.LATE, True),
        ("7", "An", Verdict.OPEN, False), ("9", "Bình", Verdict.ON_TIME, False),
        ("none", "", Verdict.EXCLUDED, False), ("3", "Chi", Verdict.LATE, False),
    ]
    rows = aggregate(items, keys=[("9", "Bình"), ("5", "Dũng"), ("7", "An")])
    assert [r.key for r in rows] == ["9", "5", "7", "3"]
    by = {r.key: r for r in rows}
    assert (by["7"].on_time, by["7"].late, by["7"].total, by["7"].apologised) == (1, 1, 2, 1)
    assert by["7"].rate == 0.5 and by["9"].rate == 1.0 and by["3"].rate == 0.0
    assert by["5"].total == 0 and by["5"].rate is None
    total = totals(rows)
    assert (total.on_time, total.late, total.rate) == (2, 2, 0.5)
    assert RateRow("k", "l", 3, 1).as_dict() == {
        "key": "k", "label": "l", "on_time": 3, "late": 1, "total": 4, "rate": 0.75, "apologised": 0}


# ---- deadlines ----------------------------------------------------------------------------------


def test_thresholds_count_working_days() -> None:
    friday = at(2026, 3, 6, 15)
    t = thresholds(CAL, friday)
    assert t.end_of_today == at(2026, 3, 7, 0).astimezone(UTC)
    assert t.one_day == at(2026, 3, 9, 15).astimezone(UTC)  # Monday: the weekend is skipped
    assert t.three_days == at(2026, 3, 11, 15).astimezone(UTC)
    assert t.iso()["one_day"] == "2026-03-09T08:00:00Z"


def test_buckets() -> None:
    now = at(2026, 3, 3, 9)
    t = thresholds(CAL, now)
    running, waiting = int(Status.PROCESSING), int(Status.AWAITING_SUPPLEMENT)
    assert buckets(t, running, now - SECOND) == {Bucket.OVERDUE}
    assert buckets(t, waiting, now - SECOND) == set()  # clock stopped: never overdue
    assert buckets(t, running, at(2026, 3, 3, 16)) == {Bucket.DUE_TODAY, Bucket.WITHIN_3}
    apology_due = at(2026, 3, 4, 15)  # 1.75 working days left: the last day to apologise
    assert buckets(t, running, apology_due) == {Bucket.WITHIN_3, Bucket.NEEDS_APOLOGY}
    assert buckets(t, running, apology_due, apology_count=1) == {Bucket.WITHIN_3}
    assert buckets(t, running, apology_due, step="submitted_for_approval") == {Bucket.WITHIN_3}
    assert buckets(t, running, at(2026, 3, 20, 9)) == set()
    assert buckets(t, int(Status.RESULT_READY), now - SECOND) == set()
    assert RECEIVED < now


def test_needs_apology_matches_the_workflow_time_limit() -> None:
    """Flagged dossiers can still take an apology; after the window the workflow refuses it."""
    now = at(2026, 3, 3, 9)
    t = thresholds(CAL, now)
    for due in (t.one_day, t.one_day + timedelta(hours=3), t.two_days - SECOND):
        assert Bucket.NEEDS_APOLOGY in buckets(t, int(Status.PROCESSING), due)
        s = state(due_at=due.astimezone(VN))
        payload = {"reason": "Cần xác minh", "new_due_at": (due + timedelta(days=5)).isoformat()}
        apply_action("apology", payload, s, OFFICER, CAL, now)  # allowed
    too_close = t.one_day - SECOND
    assert Bucket.NEEDS_APOLOGY not in buckets(t, int(Status.PROCESSING), too_close)
