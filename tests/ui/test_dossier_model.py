"""The lazy dossier table model over a real encrypted cache."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from tests.ui.conftest import BIG, NOW
from tests.ui.dossier_fixtures import make_view, running_not_late
from tests.ui.helpers import due_within, matching, model_ids, overdue
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.deadlines import clock_running
from wfh_client.domain.statuses import Status
from wfh_client.store.dossiers import set_local_state
from wfh_client.store.listing import DossierFilter
from wfh_client.store.outbox import record_conflict
from wfh_client.ui.i18n import format_remaining
from wfh_client.ui.models.dossier_table import (
    COLUMNS,
    DossierIdRole,
    DossierTableModel,
    UrgencyRole,
)
from wfh_client.ui.views.dossier_list import DossierListView


def make_model(cache: Any, calendar: WorkingCalendar) -> DossierTableModel:
    return DossierTableModel(cache, calendar, clock=lambda: NOW)


def test_qtmodeltester(qtmodeltester: Any, small: Any, calendar: WorkingCalendar) -> None:
    cache, _docs = small
    model = make_model(cache, calendar)
    qtmodeltester.check(model, force_py=True)
    model.set_filter(DossierFilter(text="nguyen"))
    model.sort(2, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model, force_py=True)


def test_all_rows_and_columns(big: Any, calendar: WorkingCalendar) -> None:
    cache, docs = big
    model = make_model(cache, calendar)
    assert model.rowCount() == BIG
    assert model.columnCount() == len(COLUMNS)
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Mã hồ sơ"
    assert model.rows_fetched == 0  # nothing read before a view asks


def test_lazy_fetch_is_bounded(qtbot: Any, big: Any, calendar: WorkingCalendar) -> None:
    cache, _docs = big
    model = make_model(cache, calendar)
    view = DossierListView(model)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: model.rows_fetched > 0)  # the first paint asked for rows
    first = model.rows_fetched
    assert 0 < first <= model.BLOCK * 2
    bar = view.verticalScrollBar()
    for value in (bar.maximum() // 3, bar.maximum() // 2, bar.maximum()):
        bar.setValue(value)
        view.viewport().repaint()
    # three jumps fetch a handful of blocks, never the 6,000 rows
    assert model.rows_fetched <= model.BLOCK * 8
    assert model.loaded_rows() <= model.BLOCK * model.MAX_BLOCKS
    last = model.index(model.rowCount() - 1, 0)
    assert model.data(last, DossierIdRole)


def test_sort_in_sql(big: Any, calendar: WorkingCalendar) -> None:
    cache, docs = big
    model = make_model(cache, calendar)
    by_due = sorted(docs, key=lambda d: (d["due_at"], 0))
    assert [model.row_data(r).due for r in range(5)] == sorted(
        model.row_data(r).due for r in range(5))
    assert model.row_data(0).id in {d["id"] for d in by_due[:3] if d["due_at"] == by_due[0]["due_at"]}
    model.sort(COLUMNS.index("code"), Qt.SortOrder.AscendingOrder)
    codes = [model.row_data(r).code for r in range(model.rowCount())]
    assert codes == sorted(d["code"] for d in docs)
    model.sort(COLUMNS.index("code"), Qt.SortOrder.DescendingOrder)
    assert model.row_data(0).code == max(d["code"] for d in docs)
    model.sort(COLUMNS.index("applicant"), Qt.SortOrder.AscendingOrder)
    first = [model.row_data(r).applicant for r in range(50)]
    assert first == sorted(first)


def test_sort_without_index_runs_in_background(qtbot: Any, big: Any,
                                               calendar: WorkingCalendar) -> None:
    cache, docs = big
    model = make_model(cache, calendar)
    with qtbot.waitSignal(model.refreshed, timeout=20_000):
        model.sort(COLUMNS.index("procedure"), Qt.SortOrder.AscendingOrder)
    names = [model.row_data(r).procedure for r in range(0, BIG, 97)]
    assert names == sorted(names)


@pytest.mark.parametrize("query", ["dang ky dat dai", "Đăng ký đất đai", "DANG KY DAT DAI"])
def test_search_ignores_diacritics(big: Any, calendar: WorkingCalendar, query: str) -> None:
    cache, docs = big
    model = make_model(cache, calendar)
    model.set_filter(DossierFilter(text=query))
    expected = matching(docs, "dang ky dat dai")
    assert model.rowCount() == len(expected) > 0
    assert set(model_ids(model)) == expected
    assert all("Đăng ký đất đai" in model.row_data(r).procedure
               for r in range(model.rowCount()))


def test_search_name_prefix_and_nothing(big: Any, calendar: WorkingCalendar) -> None:
    cache, docs = big
    model = make_model(cache, calendar)
    model.set_filter(DossierFilter(text="nguyen thi hu"))
    assert set(model_ids(model)) == matching(docs, "nguyen thi hu")
    model.set_filter(DossierFilter(text="xyzzy"))
    assert model.rowCount() == 0
    model.set_filter(DossierFilter(text='"*)('))  # punctuation only: no error, no rows
    assert model.rowCount() == 0


def test_status_and_field_filters(big: Any, calendar: WorkingCalendar) -> None:
    cache, docs = big
    model = make_model(cache, calendar)
    model.set_filter(DossierFilter(statuses=frozenset({5})))
    assert set(model_ids(model)) == {d["id"] for d in docs if d["status"] == 5}
    model.set_filter(DossierFilter(field="Hộ tịch"))
    assert set(model_ids(model)) == {d["id"] for d in docs if d["field_name"] == "Hộ tịch"}
    model.set_filter(DossierFilter(field="Đất đai", statuses=frozenset({4}), text="nguyen"))
    expected = {d["id"] for d in docs if d["field_name"] == "Đất đai" and d["status"] == 4}
    assert set(model_ids(model)) == expected & matching(docs, "nguyen")


def test_deadline_filters_and_colours(big: Any, calendar: WorkingCalendar) -> None:
    cache, docs = big
    model = make_model(cache, calendar)
    model.set_filter(DossierFilter(due="overdue"))
    assert set(model_ids(model)) == overdue(docs, NOW) and model.rowCount() > 0
    index = model.index(0, COLUMNS.index("due"))
    assert model.data(index, UrgencyRole) == "overdue"
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    assert not model.data(index, Qt.ItemDataRole.DecorationRole).isNull()
    remaining = model.data(model.index(0, COLUMNS.index("remaining")))
    assert remaining.startswith("quá hạn ")
    for days, key in ((1, "within_1"), (3, "within_3")):
        model.set_filter(DossierFilter(due=key))
        assert set(model_ids(model)) == due_within(docs, calendar, NOW, days)
    model.set_filter(DossierFilter(due="within_1"))
    assert model.rowCount() > 0
    assert model.data(model.index(0, 0), UrgencyRole) == "soon"
    assert "ngày" in model.data(model.index(0, COLUMNS.index("remaining"))) or \
        "giờ" in model.data(model.index(0, COLUMNS.index("remaining"))) or \
        "phút" in model.data(model.index(0, COLUMNS.index("remaining")))


def test_unsent_and_conflict_filters(small: Any, calendar: WorkingCalendar) -> None:
    cache, docs = small
    pending, conflicted, other = docs[0]["id"], docs[1]["id"], docs[2]["id"]
    cache.writer.run(lambda db: set_local_state(db, pending, "pending"))
    cache.writer.run(lambda db: record_conflict(db, conflicted, "c1", mine={}, theirs={}))
    cache.writer.run(lambda db: set_local_state(db, other, "rejected"))
    model = make_model(cache, calendar)
    model.set_filter(DossierFilter(unsent=True))
    assert model_ids(model) == [pending]
    assert model.data(model.index(0, COLUMNS.index("sync"))) == "Chờ đồng bộ"
    model.set_filter(DossierFilter(conflict=True))
    assert model_ids(model) == [conflicted]
    assert model.data(model.index(0, COLUMNS.index("sync"))) == "Xung đột"
    model.set_filter(DossierFilter())
    states = {model.row_data(r).id: model.row_data(r).sync_text for r in range(model.rowCount())}
    assert states[other] == "Bị từ chối"
    assert states[docs[3]["id"]] == "Đã đồng bộ"


def test_invalid_index(small: Any, calendar: WorkingCalendar) -> None:
    cache, _docs = small
    model = make_model(cache, calendar)
    assert model.data(QModelIndex()) is None
    assert model.row_data(10**6) is None


def test_painted_cells_follow_time_and_data_changes(qtbot: Any, small: Any,
                                                   calendar: WorkingCalendar) -> None:
    """data() answers from cells computed once per row: a tick, a reload and a re-sort must
    not leave the old ones behind."""
    cache, docs = small
    clock = [NOW]
    view, model = make_view(qtbot, cache, calendar, clock)  # the visible rows' cells computed
    due = COLUMNS.index("due")
    row = running_not_late(model)
    rid = model.rid_at(row)
    assert model.data(model.index(row, due), Qt.ItemDataRole.BackgroundRole) is None
    clock[0] = model.row_data(row).due + timedelta(days=1)  # its deadline has passed
    model.tick()
    assert model.data(model.index(row, due), UrgencyRole) == "overdue"
    assert model.data(model.index(row, due), Qt.ItemDataRole.BackgroundRole) is not None
    # the time left, shared by the rows of one deadline, is that of the new instant
    remaining = COLUMNS.index("remaining")
    assert model.data(model.index(row, remaining)).startswith("quá hạn ")
    for r in range(min(model.rowCount(), 40)):
        data = model.row_data(r)
        if data.due is not None and clock_running(data.status) and \
                data.status != Status.AWAITING_SUPPLEMENT:
            assert model.data(model.index(r, remaining)) == format_remaining(
                calendar.remaining(clock[0], data.due), calendar.hours_per_day)
    # a change of the data (here: its sync state) shows after the reload
    dossier_id = model.dossier_id_at(row)
    cache.writer.run(lambda db: set_local_state(db, dossier_id, "pending"))
    model.refresh(reload=True)
    row = model.row_of(rid)
    assert model.data(model.index(row, COLUMNS.index("sync"))) == "Chờ đồng bộ"
    # a new order: every row answers for its own dossier
    model.sort(COLUMNS.index("code"), Qt.SortOrder.DescendingOrder)
    view.viewport().repaint()
    assert [model.data(model.index(r, 0), DossierIdRole) for r in range(model.rowCount())] \
        == [model.dossier_id_at(r) for r in range(model.rowCount())]
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == sorted(
        (d["code"] for d in docs), reverse=True)


def test_many_matches_are_ordered_as_far_as_they_are_read(big: Any,
                                                          calendar: WorkingCalendar) -> None:
    """A search matching most dossiers builds its ordered rids only as far as the view reads
    them (a one-letter search); the rows, their count and row_of() are those of the full
    query, both ways."""
    from wfh_client.store.listing import query_ids
    from wfh_client.ui.models.dossier_table import _FilteredIds

    cache, docs = big
    model = make_model(cache, calendar)
    f = DossierFilter(text="n")
    model.set_filter(f)
    assert model.rowCount() * 8 >= BIG  # many matches: the lazy path
    assert isinstance(model._ids, _FilteredIds)
    assert len(model._ids._done) == 0  # nothing ordered before a row is asked for
    db = cache.reader()
    for column, order in ((COLUMNS.index("code"), Qt.SortOrder.AscendingOrder),
                          (COLUMNS.index("applicant"), Qt.SortOrder.DescendingOrder)):
        model.sort(column, order)
        expected = query_ids(db, f, model.thresholds, COLUMNS[column],
                             order == Qt.SortOrder.DescendingOrder)
        assert model.rowCount() == len(expected) == len(matching(docs, "n"))
        assert [model.rid_at(r) for r in range(10)] == expected[:10]
        assert len(model._ids._done) < len(expected)  # only the first ones were ordered
        assert model.rid_at(len(expected) - 1) == expected[-1]
        assert model.rid_at(len(expected)) is None
        assert model.row_of(expected[len(expected) // 2]) == len(expected) // 2
        assert [model.rid_at(r) for r in range(model.rowCount())] == expected


def test_many_matches_skip_a_dossier_newer_than_the_order(small: Any,
                                                          calendar: WorkingCalendar) -> None:
    """The lazy path (many matches) trusts the search's rids to be in the order read earlier
    only while nothing was committed since: a dossier written after it is not counted until
    the reload that reads the order again."""
    from wfh_client.ui.models.dossier_table import _FilteredIds
    from wfh_client.ui.sample_data import fill_cache, sample_dossiers

    cache, docs = small
    model = make_model(cache, calendar)
    f = DossierFilter(text="n")
    model.set_filter(f)
    assert isinstance(model._ids, _FilteredIds)
    before = model.rowCount()
    assert before == len(matching(docs, "n"))
    new = [d for d in sample_dossiers(40, calendar=calendar, now=NOW, seed=9, start=5000)
           if d["id"] in matching([d], "n")]
    assert new
    fill_cache(cache, new)  # committed by the writer, the model not told yet
    model.refresh()  # the search again, the order kept
    assert isinstance(model._ids, _FilteredIds)
    assert model.rowCount() == before == len(list(model._ids))
    model.refresh(reload=True)
    assert model.rowCount() == before + len(new) == len(list(model._ids))


def test_a_few_hundred_matches_are_walked_not_sorted(big: Any,
                                                     calendar: WorkingCalendar) -> None:
    """Above 1/SORT_BELOW of the order a result is walked lazily too (sorting thousands of
    rids by position cost more than finding the first screen); below, sorted by position.
    Either way: the rows, count and row_of() of the full query, both directions."""
    from wfh_client.store.listing import query_ids
    from wfh_client.ui.models.dossier_table import _FilteredIds

    cache, docs = big
    model = make_model(cache, calendar)
    db = cache.reader()
    seen = set()
    for text in ("Trần Thị", "le loi", "Lê Minh Tuấn", "hai ba trung"):
        f = DossierFilter(text=text)
        model.set_filter(f)
        lazy = isinstance(model._ids, _FilteredIds)
        assert lazy == (model.rowCount() * model.SORT_BELOW >= BIG)
        seen.add(lazy)
        for column, order in ((COLUMNS.index("due"), Qt.SortOrder.DescendingOrder),
                              (COLUMNS.index("code"), Qt.SortOrder.AscendingOrder)):
            model.sort(column, order)
            expected = query_ids(db, f, model.thresholds, COLUMNS[column],
                                 order == Qt.SortOrder.DescendingOrder)
            assert model.rowCount() == len(expected) == len(matching(docs, text))
            assert [model.rid_at(r) for r in range(min(10, len(expected)))] == expected[:10]
            if expected:
                assert model.row_of(expected[-1]) == len(expected) - 1
            assert [model.rid_at(r) for r in range(model.rowCount())] == expected
    assert seen == {True, False}, "both paths were taken"
