"""Search as officers type it (issue 12.11): the middle and the end of phone and ID numbers,
phone numbers typed with spaces (or stored with them), and a phrase in quotes as a phrase."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import NOW
from wfh_client.events import EventBus
from wfh_client.store import Cache
from wfh_client.store.dossiers import put_server_copy
from wfh_client.store.fts import fts_query
from wfh_client.store.migrations import applied_migrations
from wfh_client.ui.app import ClientApp


@pytest.fixture
def people(small: Any) -> tuple[Cache, dict[str, str]]:
    """Four applicants whose numbers and names are written the ways people write them."""
    cache, docs = small
    base = [d for d in docs if d["status"] == 4][:4]
    who = {
        "spaced": {"name": "Nguyễn Văn An", "phone": "0912 345 678", "id_number": "001203004567"},
        "plain": {"name": "An Văn Nguyễn", "phone": "0987654321", "id_number": "079188001234"},
        "dotted": {"name": "Trần Thị Bích", "phone": "0903.111.222", "id_number": "012345678999"},
        "other": {"name": "Lê Minh Tâm", "phone": "0281111111", "id_number": "038000111333"},
    }
    ids = {}
    for doc, (key, person) in zip(base, who.items(), strict=True):
        changed = copy.deepcopy(doc)
        changed["applicant"] = {**changed["applicant"], **person}
        changed["version"] += 1
        cache.writer.run(lambda db, c=changed: put_server_copy(db, c))
        ids[key] = changed["id"]
    return cache, ids


@pytest.fixture
def shell(qtbot: Any, people: tuple[Cache, dict[str, str]], bus: EventBus,
          calendar: Any) -> Iterator[ClientApp]:
    cache, _ = people
    app = ClientApp(cache=cache, bus=bus, calendar=calendar, clock=lambda: NOW,
                    tray_available=False)
    app.show()
    qtbot.waitExposed(app.window)
    app.window.filter_bar.set_view("all")
    yield app
    app.shutdown()
    app.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def found(qtbot: Any, app: ClientApp, typed: str) -> set[str]:
    bar, model = app.window.filter_bar, app.window.model
    bar.search.clear()
    if typed.isascii():
        qtbot.keyClicks(bar.search, typed)
    else:  # QTest types ASCII only; Vietnamese arrives as an input method commits it
        bar.search.insert(typed)
    bar.flush()  # what Enter does
    return {model.dossier_id_at(r) or "" for r in range(model.rowCount())}


@pytest.mark.parametrize(("typed", "who"), [
    ("345 678", "spaced"),  # the end of a phone number stored with spaces
    ("0912345678", "spaced"),  # typed without the spaces it was stored with
    ("0987 654 321", "plain"),  # typed with spaces, stored without
    ("7654321", "plain"),  # the end of a phone number
    ("2030045", "spaced"),  # the middle of an ID number
    ("4567", "spaced"),  # the end of an ID number
    ("0903111222", "dotted"),  # stored with dots
    ("111 222", "dotted"),
])
def test_numbers_are_found_by_their_middle_end_and_spaces(
        qtbot: Any, shell: ClientApp, people: tuple[Cache, dict[str, str]], typed: str,
        who: str) -> None:
    _, ids = people
    assert ids[who] in found(qtbot, shell, typed)
    assert ids["other"] not in found(qtbot, shell, typed)


def test_a_phrase_in_quotes_matches_as_a_phrase(
        qtbot: Any, shell: ClientApp, people: tuple[Cache, dict[str, str]]) -> None:
    _, ids = people
    loose = found(qtbot, shell, "nguyen van an")
    assert {ids["spaced"], ids["plain"]} <= loose  # every word, anywhere
    assert found(qtbot, shell, '"nguyen van an"') == {ids["spaced"]}
    assert found(qtbot, shell, '"Nguyễn Văn An" 0912') == {ids["spaced"]}
    assert found(qtbot, shell, '"an van nguyen') == {ids["plain"]}  # unclosed: to the end
    assert fts_query('"') is None and fts_query('""  "*"') is None  # nothing to look for


def test_an_older_cache_gets_its_numbers_table_once(tmp_path: Path, calendar: Any) -> None:
    """A cache from before migration 0009 (numbers as FTS5 endings, no ``dossier_numbers``)
    finds a number's middle and end once reopened: the table is filled from the documents."""
    from wfh_client.store.search import match_rowids
    from wfh_client.ui.sample_data import sample_dossiers

    def opened() -> Cache:
        return Cache.open("https://motcua.test", "reindex.officer", data_dir=tmp_path)

    cache = opened()
    try:
        doc = next(sample_dossiers(1, calendar=calendar, now=NOW, seed=9))
        doc["applicant"]["phone"] = "0912 345 678"
        doc["applicant"]["id_number"] = "001203004567"
        cache.writer.run(lambda db: put_server_copy(db, doc))

        def make_old(db: Any) -> int:  # the index without endings, and no numbers table
            rid = int(db.execute("SELECT rid FROM dossiers").fetchone()[0])
            db.execute("INSERT OR REPLACE INTO dossier_fts (rowid, code, applicant, procedure, "
                       "address, summary) VALUES (?, '', 'nguyen 0912 345 678', '', '', '')",
                       [rid])
            db.execute("DROP TABLE dossier_numbers")
            db.execute("DELETE FROM migrations WHERE name = '0009_numbers_table'")
            return rid

        rid = cache.writer.run(make_old)
        cache.close()
        cache = opened()  # the migration runs once, at open
        for typed in ("345678", "2030045", "4567", "0912345678", "0912 345 678"):
            assert cache.writer.run(lambda db, t=typed: match_rowids(db, t)) == [rid], typed
        assert cache.writer.run(lambda db: match_rowids(db, "7654321")) == []
        assert [name for name, _ in applied_migrations(cache.reader())].count(
            "0009_numbers_table") == 1
    finally:
        cache.wipe()
