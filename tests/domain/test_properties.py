"""Property tests: add_working_time and working_time_between are inverse and monotonic."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.helpers import CAL as CAL_PLAIN
from tests.domain.helpers import HEAD, NOW, state
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.errors import ActionError
from wfh_client.domain.folding import fold
from wfh_client.domain.statuses import ActionType, Status, Step
from wfh_client.domain.workflow import apply_action

CAL = WorkingCalendar(overrides={date(2026, 3, 7): True, date(2026, 3, 10): False})

instants = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2027, 2, 1), timezones=st.just(UTC)
)
# whole minutes up to 40 working days
amounts = st.integers(min_value=0, max_value=40 * 8 * 60).map(lambda m: timedelta(minutes=m))


@settings(max_examples=300, deadline=None)
@given(instants, amounts)
def test_add_then_measure_is_identity(start: datetime, amount: timedelta) -> None:
    due = CAL.add_working_time(start, hours=amount / timedelta(hours=1))
    assert CAL.working_time_between(start, due) == amount
    assert CAL.working_time_between(CAL.next_working_instant(start), due) == amount
    assert CAL.remaining(due, start) == -amount
    assert due >= start
    # the result is always inside or at the end of a working period
    assert any(s <= due <= e for s, e in CAL.working_periods(due.date()))


@settings(max_examples=200, deadline=None)
@given(instants, amounts, amounts)
def test_monotonic_in_amount(start: datetime, a: timedelta, b: timedelta) -> None:
    lo, hi = sorted((a, b))
    h = timedelta(hours=1)
    assert CAL.add_working_time(start, hours=lo / h) <= CAL.add_working_time(start, hours=hi / h)


@settings(max_examples=200, deadline=None)
@given(instants, instants, amounts)
def test_monotonic_in_start(a: datetime, b: datetime, amount: timedelta) -> None:
    lo, hi = sorted((a, b))
    h = timedelta(hours=1)
    assert CAL.add_working_time(lo, hours=amount / h) <= CAL.add_working_time(hi, hours=amount / h)


@settings(max_examples=200, deadline=None)
@given(instants, instants, instants)
def test_between_is_additive(a: datetime, b: datetime, c: datetime) -> None:
    assert CAL.working_time_between(a, b) + CAL.working_time_between(b, c) == (
        CAL.working_time_between(a, c)
    )


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fold_is_idempotent_and_has_no_marks(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert "đ" not in folded and "Đ" not in folded


# ------------------------------------------------ any JSON payload: only ActionError
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=30)
    | st.sampled_from(["2026-03-10T03:00:00Z", "9999-12-31T23:59:59-01:00", "0001-01-01T00:00Z"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
field_names = st.sampled_from(
    [
        "text",
        "assignee_id",
        "missing",
        "reason",
        "proposed_result",
        "decision",
        "comment",
        "new_due_at",
        "channel",
        "tracking_number",
        "other",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from([a.value for a in ActionType] + ["bogus"]),
    st.dictionaries(field_names, json_values, max_size=4),
    st.sampled_from(list(Status)),
    st.sampled_from([None, *Step]),
)
def test_arbitrary_payloads_raise_only_action_errors(
    action: str, payload: dict[str, object], status: Status, step: Step | None
) -> None:
    st_ = state(status, step)
    try:
        apply_action(action, payload, st_, HEAD, CAL_PLAIN, NOW)
    except ActionError:
        pass
