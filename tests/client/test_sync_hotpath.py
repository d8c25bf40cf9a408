"""The first-sync fast paths give exactly what the plain paths give: ``fast_fold`` == the
domain's ``fold``; the page parser that keeps each document's JSON text == ``json.loads``; a
page of new dossiers inserted in one batch (rows prepared beforehand) stores the same rows as
``put_server_copy`` one by one."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.client.conftest import make_dossier
from wfh_client.domain.folding import fold
from wfh_client.store import Cache, account_paths
from wfh_client.store import dossiers as store_dossiers
from wfh_client.store.fts import fast_fold
from wfh_client.sync.engine import _parse_page

VIETNAMESE = "ĐđÂâĂăÊêÔôƠơƯưÁáÀàẢảÃãẠạẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặÉéÈèẺẻẼẽẸẹỆệÍíÌìỈỉĨĩỊị"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(), max_size=40)
       | st.text(alphabet=VIETNAMESE + "abcxyz ,./-\u0301\u0323\u0309İΣσς", max_size=40))
def test_fast_fold_is_fold(text: str) -> None:
    assert fast_fold(text) == fold(text)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                   max_size=3),
    max_leaves=8)


@settings(max_examples=200, deadline=None)
@given(docs=st.lists(st.dictionaries(st.text(max_size=5), _json_values, max_size=4)
                     .map(lambda d: {"id": secrets.token_hex(2), **d}), max_size=4),
       removals=st.lists(st.text(max_size=6), max_size=3), compact=st.booleans(),
       more=st.booleans())
def test_page_parser_matches_json_loads(docs: list[dict[str, Any]], removals: list[str],
                                        compact: bool, more: bool) -> None:
    page = {"upserts": docs, "removals": [{"id": r} for r in removals], "cursor": "c1",
            "has_more": more}
    if compact:  # the server's layout: documents as stored, concatenated
        body = json.dumps(page, ensure_ascii=False, separators=(",", ":"))
    else:
        body = json.dumps({"cursor": "c1", **page}, indent=1)
    parsed, raw = _parse_page(body.encode("utf-8"))
    assert parsed == json.loads(body)
    if raw is not None:
        assert [json.loads(r) for r in raw] == parsed["upserts"]
    else:
        assert not compact


def _dump(cache: Cache) -> dict[str, list[Any]]:
    db = cache.reader()
    return {
        "dossiers": db.execute(
            "SELECT id, code, version, status, step, assignee_id, department_id, procedure_name, "
            "field_name, applicant_name, received_at, due_at, summary, server_version, "
            "local_state, updated_at, snapshot_gen FROM dossiers ORDER BY id").fetchall(),
        "json": [(r[0], json.loads(r[1]), r[2]) for r in db.execute(
            "SELECT d.id, j.data, j.base FROM dossiers d JOIN dossier_json j ON j.rid = d.rid "
            "ORDER BY d.id")],
        "fts": db.execute("SELECT d.id FROM dossier_fts f JOIN dossiers d ON d.rid = f.rowid "
                          "WHERE dossier_fts MATCH '\"dang\"*' ORDER BY d.id").fetchall(),
        "history": db.execute("SELECT * FROM history ORDER BY dossier_id, position").fetchall(),
        "notes": db.execute("SELECT * FROM notes ORDER BY dossier_id, position").fetchall(),
        "documents": db.execute("SELECT id, dossier_id, name, kind, mime, size, sha256, state "
                                "FROM documents ORDER BY id").fetchall(),
    }


def test_a_batch_of_new_dossiers_stores_what_put_server_copy_stores(tmp_path: Path) -> None:
    docs = [make_dossier(n, summary=f"Đăng ký số {n}") for n in range(1, 8)]
    docs[2]["history"] = []
    docs[3]["notes"] = []
    docs[4]["documents"] = []
    raw = [json.dumps(d, ensure_ascii=False, separators=(",", ":")) for d in docs]
    one_by_one = Cache(account_paths("a" + secrets.token_hex(4), tmp_path), key=secrets.token_bytes(32))
    batched = Cache(account_paths("b" + secrets.token_hex(4), tmp_path), key=secrets.token_bytes(32))
    try:
        one_by_one.write(lambda db: [store_dossiers.put_server_copy(db, d, snapshot_gen=0)
                                     for d in docs])
        prepared = store_dossiers.prepare_copies(docs, raw)
        result = batched.write(lambda db: store_dossiers.apply_server_page(
            db, docs, [], "cursor-1", prepared=prepared))
        assert result.applied == [d["id"] for d in docs]
        assert _dump(batched) == _dump(one_by_one)
        # A later page: cached dossiers take the ordinary path, new ones the batch.
        changed = [dict(docs[0], version=2, summary="Đăng ký đã sửa"), make_dossier(9)]
        for cache in (one_by_one, batched):
            cache.write(lambda db, c=cache: store_dossiers.apply_server_page(
                db, changed, [], "cursor-2",
                prepared=store_dossiers.prepare_copies(changed) if c is batched else None))
        assert _dump(batched) == _dump(one_by_one)
    finally:
        one_by_one.close()
        batched.close()
