"""FTS over folded text: diacritics and đ ignored, prefixes, codes, hostile input, ordering."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wfh_client.store.cache import Cache
from wfh_client.store.dossiers import put_server_copy, remove_dossier, set_local_data
from wfh_client.store.fts import fts_query, index_text
from wfh_client.store.search import SCAN_THRESHOLD, count_search, rid_list, search

Doc = Callable[..., dict[str, Any]]


@pytest.fixture
def filled(keyless_cache: Cache, dossier_factory: Doc) -> Cache:
    docs = [
        dossier_factory(1),
        dossier_factory(2, applicant_name="Trần Thị Hương", procedure_name="Đăng ký khai sinh",
                        summary="Khai sinh cho con", status=5),
        dossier_factory(3, applicant_name="Nguyễn Văn An", procedure_name="Cấp giấy phép xây dựng",
                        summary="Xây nhà ở riêng lẻ", code="H57.24-260201-0003"),
        dossier_factory(4, applicant_name="Lê Đình Đạt", procedure_name="Đăng ký kết hôn",
                        summary="", code="X01.1-1"),
    ]
    keyless_cache.write(lambda db: [put_server_copy(db, d) for d in docs])
    return keyless_cache


def codes(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(r["code"] for r in rows)


def test_query_building() -> None:
    assert fts_query("Đăng  ký") == '"dang"* AND "ky"*'
    assert fts_query("H57.23-26") == '("h572326"* OR "h57 23 26"*)'
    assert fts_query('"" * AND NEAR( -') == '"and"* AND "near"*'
    assert fts_query("  ") is None and fts_query('"*') is None
    assert index_text("H57.23-1 Lê") == "h57.23-1 le h57231"


def test_diacritics_and_d_are_ignored(filled: Cache) -> None:
    db = filled.reader()
    assert codes(search(db, "dang ky dat dai")) == ["H57.23-260115-0001"]
    assert codes(search(db, "Đăng ký đất đai")) == ["H57.23-260115-0001"]
    assert codes(search(db, "nguyen van")) == ["H57.23-260115-0001", "H57.24-260201-0003"]
    assert codes(search(db, "NGUYỄN VĂN An")) == ["H57.24-260201-0003"]
    assert codes(search(db, "le dinh dat")) == ["X01.1-1"]
    assert codes(search(db, "huong")) == ["H57.23-260115-0002"]
    assert len(search(db, "dang ky")) == 3  # prefixes: đăng ký đất đai / khai sinh / kết hôn


def test_prefixes_codes_and_other_fields(filled: Cache) -> None:
    db = filled.reader()
    assert codes(search(db, "ngu")) == ["H57.23-260115-0001", "H57.24-260201-0003"]
    assert codes(search(db, "H57.24")) == ["H57.24-260201-0003"]
    assert codes(search(db, "h57.23-260115-0002")) == ["H57.23-260115-0002"]
    assert len(search(db, "0003")) == 1  # tail of a code
    assert len(search(db, "dien bien phu")) == 4  # address
    assert len(search(db, "12/5")) == 4  # punctuated house number
    assert codes(search(db, "xay nha")) == ["H57.24-260201-0003"]  # summary
    assert len(search(db, "0912345")) == 4  # phone
    assert search(db, "xyzzy") == []


@pytest.mark.parametrize("hostile", [
    '"', '""', "*", "**", "AND", "OR", "NOT", "a AND", "NEAR(", "(", ")", "-", "^", ":", "col:",
    "applicant:nguyen", "nguyen OR", "'; DROP TABLE dossiers; --", "\x00", "\\", "{a b}", "+",
    "đ*", '"dang', "NEAR(a b, 3)", "😀", "   ", "",
])
def test_hostile_queries_never_raise(filled: Cache, hostile: str) -> None:
    db = filled.reader()
    rows = search(db, hostile)
    assert count_search(db, hostile) == len(rows)
    search(db, hostile, order_by="rank")


def test_order_filters_and_paging(filled: Cache) -> None:
    db = filled.reader()
    all_rows = search(db, "")
    assert [r["due_at"] for r in all_rows] == sorted(r["due_at"] for r in all_rows)
    desc = search(db, "", order_by="due_at", descending=True)
    assert desc == list(reversed(all_rows))
    assert [r["code"] for r in search(db, "", order_by="code", limit=2, offset=1)] == \
        sorted(r["code"] for r in all_rows)[1:3]
    assert codes(search(db, "", statuses=[5])) == ["H57.23-260115-0002"]
    assert count_search(db, "dang ky", statuses=[4]) == 2
    assert count_search(db, "") == 4
    assert search(db, "", local_states=["pending"]) == []
    assert len(search(db, "nguyen", order_by="rank")) == 2
    assert set(search(db, "")[0]) >= {"id", "code", "applicant_name", "due_at", "local_state"}
    with pytest.raises(ValueError):
        search(db, "", order_by="data; DROP TABLE x")


def test_index_follows_edits_and_removals(filled: Cache, dossier_factory: Doc) -> None:
    db = filled.reader()
    doc = dossier_factory(1)
    edited = {**doc, "applicant": {**doc["applicant"], "name": "Hoàng Thị Yến"}}
    filled.write(lambda w: set_local_data(w, doc["id"], edited))
    assert search(db, "duc") == []
    assert codes(search(db, "hoang yen")) == ["H57.23-260115-0001"]
    assert search(db, "hoang", local_states=["pending"])[0]["local_state"] == "pending"
    filled.write(lambda w: remove_dossier(w, doc["id"]))
    assert search(db, "hoang yen") == []


def test_many_matches_use_the_index_walk(keyless_cache: Cache, dossier_factory: Doc) -> None:
    n = SCAN_THRESHOLD + 50
    docs = [dossier_factory(i, due_at=f"2026-03-01T{i // 60 % 24:02d}:{i % 60:02d}:00Z")
            for i in range(1, n + 1)]
    keyless_cache.write(lambda db: [put_server_copy(db, d) for d in docs])
    db = keyless_cache.reader()
    rows = search(db, "nguyen", limit=20, offset=10, order_by="due_at", descending=True)
    expected = sorted(docs, key=lambda d: (d["due_at"], d["id"]), reverse=True)[10:30]
    assert [r["due_at"] for r in rows] == [d["due_at"] for d in expected]
    assert count_search(db, "nguyen") == n
    assert count_search(db, "nguyen", statuses=[4]) == n


def test_the_middle_of_a_dossier_code_is_found(keyless_cache) -> None:
    from tests.client.conftest import make_dossier
    from wfh_client.store import dossiers as store_dossiers
    from wfh_client.store.search import search

    doc = make_dossier(1, code="000.00.12.H57-260410-0001")
    other = make_dossier(2, code="000.00.12.H57-260411-0002")
    keyless_cache.write(lambda db: [store_dossiers.put_server_copy(db, d) for d in (doc, other)])
    db = keyless_cache.reader()
    for query in ("H57-2604", "h57-260410", "260410-0001", "000.00.12.H57-260410"):
        found = {r["id"] for r in search(db, query)}
        assert doc["id"] in found, query
    assert {r["id"] for r in search(db, "H57-260411")} == {other["id"]}


def test_rid_list_returns_the_rids_in_the_querys_order(filled: Cache) -> None:
    db = filled.reader()
    expected = [r[0] for r in db.execute("SELECT rid FROM dossiers ORDER BY code DESC, rid")]
    got = rid_list(db, "SELECT rid FROM dossiers ORDER BY code DESC, rid")
    assert got == expected and len(got) > 1 and all(type(r) is int for r in got)
    assert rid_list(db, "SELECT rid FROM dossiers WHERE code = ?", ["no such code"]) == []
    match = fts_query("dang")
    assert match is not None
    assert set(rid_list(db, "SELECT rowid AS rid FROM dossier_fts WHERE dossier_fts MATCH ?",
                        [match])) == {r[0] for r in db.execute(
                            "SELECT rowid FROM dossier_fts WHERE dossier_fts MATCH ?", [match])}


def test_cached_ids_are_every_dossier_id(keyless_cache: Cache, dossier_factory: Doc) -> None:
    from wfh_client.store.listing import cached_ids

    db = keyless_cache.reader()
    assert cached_ids(db) == set()  # an empty cache: json_group_array gives "[]"
    docs = [dossier_factory(i) for i in range(1, 6)]
    keyless_cache.write(lambda w: [put_server_copy(w, d) for d in docs])
    assert cached_ids(db) == {str(d["id"]) for d in docs}
    keyless_cache.write(lambda w: remove_dossier(w, docs[0]["id"]))
    assert cached_ids(db) == {str(d["id"]) for d in docs[1:]}


def test_filter_rids_intersects_the_search_with_the_other_filters(filled: Cache) -> None:
    """The search's rids stay a list and are intersected with the other filters' sets."""
    from datetime import UTC, datetime

    from wfh_client.domain.calendar import WorkingCalendar
    from wfh_client.store.listing import DossierFilter, Thresholds, filter_rids

    db = filled.reader()
    th = Thresholds.compute(WorkingCalendar(), datetime(2026, 2, 2, 3, tzinfo=UTC))
    rid_of = {code: rid for rid, code in db.conn.execute("SELECT rid, code FROM dossiers")}
    searched = filter_rids(db, DossierFilter(text="dang ky"), th)  # no other filter: a set
    assert searched == {rid_of[r["code"]] for r in search(db, "dang ky")}
    assert isinstance(searched, set) and len(searched) >= 2
    status_5 = filter_rids(db, DossierFilter(text="dang ky", statuses=frozenset({5})), th)
    assert status_5 == {rid for rid, status in db.conn.execute(
        "SELECT rid, status FROM dossiers") if status == 5} & searched
    assert len(status_5) == 1
    assert filter_rids(db, DossierFilter(text="xyzzy", view="open"), th) == set()
    assert filter_rids(db, DossierFilter(text="X01", statuses=frozenset({5})), th) == set()
    assert filter_rids(db, DossierFilter(text="X01"), th) == {rid_of["X01.1-1"]}


def test_numbers_are_found_anywhere_in_their_own_table(keyless_cache: Cache,
                                                       dossier_factory: Doc) -> None:
    """Phone and ID numbers live in ``dossier_numbers`` (not as FTS5 endings): three digits
    or more find them anywhere, ANDed with the other words; edits and removals follow."""
    from datetime import UTC, datetime

    from wfh_client.domain.calendar import WorkingCalendar
    from wfh_client.store.dossiers import _fts_values
    from wfh_client.store.fts import NumberIndex, rid_query
    from wfh_client.store.listing import DossierFilter, Thresholds, filter_rids

    def person(n: int, name: str, phone: str, id_number: str) -> dict[str, Any]:
        doc = dossier_factory(n)
        doc["applicant"] = {**doc["applicant"], "name": name, "phone": phone,
                            "id_number": id_number}
        return doc

    docs = [person(1, "Nguyễn Văn An", "0912 345 678", "001203004567"),
            person(2, "Trần Thị Bích", "0903.111.222", "079188001234"),
            person(3, "Nguyễn Thị Cúc", "+84 281 111 111", "038000111333")]
    keyless_cache.write(lambda db: [put_server_copy(db, d) for d in docs])
    db = keyless_cache.reader()
    rid_of = {code: rid for rid, code in db.conn.execute("SELECT rid, code FROM dossiers")}
    rid = [rid_of[d["code"]] for d in docs]
    assert dict(db.conn.execute("SELECT rid, digits FROM dossier_numbers")) == {
        rid[0]: "001203004567 0912345678", rid[1]: "079188001234 0903111222",
        rid[2]: "038000111333 84281111111"}
    # the FTS5 row keeps the text as written, without the endings
    assert "45678" not in " ".join(_fts_values(docs[0])[:5])

    def found(text: str) -> list[int]:
        query = rid_query(text)
        assert query is not None
        return [r[0] for r in db.execute(query.sql, query.params)]

    assert found("2030045") == [rid[0]]  # the middle of an ID number
    assert found("345678") == [rid[0]]  # the end of a phone number stored with spaces
    assert found("0903111222") == [rid[1]]  # stored with dots
    assert found("0903.111") == [rid[1]]  # typed with dots: its compact form
    assert found("111") == [rid[1], rid[2]]  # in two numbers, once each, in rid order
    assert found("nguyen 111") == [rid[2]]  # ANDed with the name
    assert found('"nguyen van an" 4567') == [rid[0]]
    assert found("nguyen 9999") == []
    assert rid_query("nguyen") == rid_query("nguyen")  # no number term: FTS5 alone, ranked
    assert rid_query("nguyen").match == '"nguyen"*'  # type: ignore[union-attr]
    assert rid_query("nguyen 111").match is None  # type: ignore[union-attr]
    assert count_search(db, "111") == 2 and count_search(db, "111", statuses=[99]) == 0
    assert codes(search(db, "111", order_by="rank")) == sorted(d["code"] for d in docs[1:])
    th = Thresholds.compute(WorkingCalendar(), datetime(2026, 2, 2, 3, tzinfo=UTC))
    assert filter_rids(db, DossierFilter(text="tran 111"), th) == {rid[1]}
    # as the list searches while the user types: the numbers in memory, loaded at the first
    # number searched and kept in the model's memo until the data changes
    memo: dict[Any, Any] = {}
    assert filter_rids(db, DossierFilter(text="tran"), th, memo=memo) == {rid[1]}
    assert "numbers" not in memo
    for typed in ("tran 111", "111", "2030045", "0903.111", "nguyen 9999"):
        assert filter_rids(db, DossierFilter(text=typed), th, memo=memo) \
            == filter_rids(db, DossierFilter(text=typed), th), typed
    assert isinstance(memo["numbers"], NumberIndex)
    assert NumberIndex([1, 2], ["123", "456"]).find("34") == []  # never across two rows
    assert NumberIndex([1, 5], ["1212 12", "912"]).find("12") == [1, 5]  # each once
    assert NumberIndex([], []).find("123") == []
    # a new phone number replaces the old one; a removed dossier takes its numbers along
    edited = {**docs[1], "applicant": {**docs[1]["applicant"], "phone": "0977 000 555"}}
    keyless_cache.write(lambda w: set_local_data(w, docs[1]["id"], edited))
    assert found("0903111222") == [] and found("000555") == [rid[1]]
    keyless_cache.write(lambda w: remove_dossier(w, docs[2]["id"]))
    assert found("111") == [] and found("038000") == []
    assert db.execute("SELECT count(*) FROM dossier_numbers").fetchone()[0] == 2
    assert NumberIndex.load(db).find("000555") == [rid[1]]
    keyless_cache.write(lambda w: [remove_dossier(w, d["id"]) for d in docs[:2]])
    assert NumberIndex.load(db).find("0") == []  # an empty table
