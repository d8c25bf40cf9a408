"""The list view paints from Qt items holding the cells of the rows on screen (DossierCells):
they must be exactly what the dossier model answers, after scrolling, sorting, filtering, a
reload, time passing; rows never shown hold nothing, and only a few screens are kept. (The
dossier id and urgency roles, never painted, are the dossier model's alone.)"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QIcon

from tests.ui.conftest import NOW
from tests.ui.dossier_fixtures import make_view, running_not_late
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.store.dossiers import set_local_state
from wfh_client.store.listing import DossierFilter
from wfh_client.ui.models.dossier_table import (
    COLUMNS,
    DossierCells,
    DossierIdRole,
    DossierTableModel,
    UrgencyRole,
)
from wfh_client.ui.sample_data import fill_cache
from wfh_client.ui.views.dossier_list import DossierListView

ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
         Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
         Qt.ItemDataRole.FontRole, Qt.ItemDataRole.DecorationRole,
         Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.CheckStateRole)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, QIcon) and isinstance(b, QIcon):
        return a.cacheKey() == b.cacheKey()
    return bool(a == b)


def shown_rows(view: DossierListView) -> range:
    first = view.rowAt(0)
    last = view.rowAt(view.viewport().height() - 1)
    return range(first, (last if last >= 0 else view.model().rowCount() - 1) + 1)


def assert_cells_match(view: DossierListView, model: DossierTableModel) -> int:
    """Every role of every cell on screen, as the view's model gives it to Qt, is the dossier
    model's; returns how many rows were compared."""
    cells = view.model()
    assert isinstance(cells, DossierCells)
    assert cells.rowCount() == model.rowCount()
    rows = shown_rows(view)
    assert len(rows) > 0
    for row in rows:
        assert cells.filled(row)
        for column in range(len(COLUMNS)):
            mine, theirs = cells.index(row, column), model.index(row, column)
            assert cells.flags(mine) == model.flags(theirs)
            for role in ROLES:
                got, want = cells.data(mine, role), model.data(theirs, role)
                assert _same(got, want), (row, COLUMNS[column], role, got, want)
    return len(rows)


def test_cells_follow_scrolling_sorting_and_filters(qtbot: Any, big: Any,
                                                    calendar: WorkingCalendar) -> None:
    cache, _docs = big
    view, model = make_view(qtbot, cache, calendar)
    cells = view.model()
    assert isinstance(cells, DossierCells)
    assert [cells.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMNS))] \
        == [model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMNS))]
    assert assert_cells_match(view, model) > 5
    # rows never shown hold nothing: Qt only asks for rows on screen
    assert not cells.filled(model.rowCount() - 1)
    assert cells.data(cells.index(model.rowCount() - 1, 0)) is None
    bar = view.verticalScrollBar()
    for value in (bar.maximum() // 3, bar.maximum() // 2, bar.maximum(), 0):
        bar.setValue(value)
        view.viewport().repaint()
        assert_cells_match(view, model)
    for column, order in ((COLUMNS.index("applicant"), Qt.SortOrder.DescendingOrder),
                          (COLUMNS.index("code"), Qt.SortOrder.AscendingOrder)):
        view.sortByColumn(column, order)  # the header's click: the dossier model sorts
        assert model.sort_key == COLUMNS[column]
        view.viewport().repaint()
        assert_cells_match(view, model)
    for f in (DossierFilter(text="nguyen"), DossierFilter(text="n", view="open"),
              DossierFilter(due="overdue"), DossierFilter()):
        view.apply_filter(f)
        view.viewport().repaint()
        assert cells.rowCount() == model.rowCount()
        assert_cells_match(view, model)
    # scrolling far and back: only a few screens of rows keep their items
    for value in range(0, bar.maximum(), max(1, bar.maximum() // 40)):
        bar.setValue(value)
        view.viewport().repaint()
    assert sum(cells.filled(r) for r in range(cells.rowCount())) <= DossierCells.KEEP
    assert_cells_match(view, model)


def test_cells_follow_time_reloads_and_the_current_row(qtbot: Any, small: Any,
                                                       calendar: WorkingCalendar) -> None:
    cache, _docs = small
    clock = [NOW]
    view, model = make_view(qtbot, cache, calendar, clock)
    cells = view.model()
    due = COLUMNS.index("due")
    row = running_not_late(model)
    view.scrollTo(cells.index(row, 0))
    view.viewport().repaint()
    assert cells.data(cells.index(row, due), Qt.ItemDataRole.BackgroundRole) is None
    clock[0] = model.row_data(row).due + timedelta(days=1)  # its deadline has passed
    model.tick()
    view.viewport().repaint()
    assert model.data(model.index(row, due), UrgencyRole) == "overdue"
    assert cells.data(cells.index(row, due), Qt.ItemDataRole.BackgroundRole) is not None
    assert_cells_match(view, model)
    # a data change shows after the reload, the selection kept
    view.setCurrentIndex(cells.index(row, 0))
    rid = model.rid_at(row)
    dossier_id = model.dossier_id_at(row)
    cache.writer.run(lambda db: set_local_state(db, dossier_id, "pending"))
    view.refresh()
    view.viewport().repaint()
    row = model.row_of(rid)
    assert row is not None and view.currentIndex().row() == row
    assert cells.data(cells.index(row, COLUMNS.index("sync"))) == "Chờ đồng bộ"
    assert_cells_match(view, model)
    # moving the current row off screen by keyboard fills it before it is painted
    last = model.rowCount() - 1
    assert not cells.filled(last)
    view.setCurrentIndex(model.index(last, 0))  # the dossier model's index is accepted too
    assert view.currentIndex() == cells.index(last, 0)
    assert cells.filled(last)
    assert cells.data(cells.index(last, 0)) == model.row_data(last).code
    assert model.data(model.index(last, 0), DossierIdRole) == model.dossier_id_at(last)


def test_type_to_find_looks_through_every_row(qtbot: Any, small: Any,
                                              calendar: WorkingCalendar) -> None:
    cache, _docs = small
    view, model = make_view(qtbot, cache, calendar)
    cells = view.model()
    model.sort(COLUMNS.index("code"), Qt.SortOrder.AscendingOrder)
    last = model.rowCount() - 1
    code = model.data(model.index(last, 0))
    assert not cells.filled(last)
    found = cells.match(cells.index(0, 0), Qt.ItemDataRole.DisplayRole, code, 1,
                        Qt.MatchFlag.MatchExactly)
    assert found == [cells.index(last, 0)]
    assert cells.match(QModelIndex(), Qt.ItemDataRole.DisplayRole, "no such code", 1,
                       Qt.MatchFlag.MatchExactly) == []
    view.setFocus()
    view.keyboardSearch(code)
    assert view.currentIndex().row() == last


def test_cells_follow_the_language(qtbot: Any, small: Any, calendar: WorkingCalendar) -> None:
    from wfh_client.ui.i18n import set_language

    cache, _docs = small
    view, model = make_view(qtbot, cache, calendar)
    cells = view.model()
    status = COLUMNS.index("status")
    before = cells.data(cells.index(0, status))
    assert cells.headerData(0, Qt.Orientation.Horizontal) == "Mã hồ sơ"
    try:
        set_language("en")
        model.retranslate()  # what the main window does on a language change
        assert cells.headerData(0, Qt.Orientation.Horizontal) == "Code"
        view.viewport().repaint()
        assert cells.data(cells.index(0, status)) != before
        assert_cells_match(view, model)
    finally:
        set_language("vi")
        model.retranslate()
    view.viewport().repaint()
    assert cells.data(cells.index(0, status)) == before
    assert_cells_match(view, model)


def test_names_typed_decomposed_are_shown_composed_and_drawn_unshaped(
        qtbot: Any, small: Any, calendar: WorkingCalendar) -> None:
    """The list draws without text shaping (a screen's paint: ~19 -> ~11 ms). That is only
    right for composed text: a name typed in decomposed form (NFD, as some keyboards send it)
    is shown composed, so its marks come from the font's precomposed letters."""
    cache, docs = small
    name = "Đặng Thị Hương Thảo"
    decomposed = dict(docs[0], id="nfd-0", code="000.00.12.H57-NFD-0001", version=1,
                      applicant=dict(docs[0]["applicant"], name=unicodedata.normalize("NFD", name)))
    assert decomposed["applicant"]["name"] != name
    fill_cache(cache, [decomposed])
    view, model = make_view(qtbot, cache, calendar)
    assert view.font().styleStrategy() & QFont.StyleStrategy.PreferNoShaping
    view.apply_filter(DossierFilter(view="all", text="dang thi huong thao"))
    qtbot.waitUntil(lambda: model.rowCount() >= 1)
    row = next(r for r in range(model.rowCount()) if model.row_data(r).id == "nfd-0")
    view.scrollTo(model.index(row, 0))
    view.viewport().repaint()
    applicant = COLUMNS.index("applicant")
    assert view.model().data(view.model().index(row, applicant)) == name
    assert model.data(model.index(row, applicant), Qt.ItemDataRole.ToolTipRole) == name
