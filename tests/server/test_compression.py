"""Compressed JSON answers over real HTTP: zstd or gzip when accepted (zstd preferred),
identical JSON once decoded, small answers and documents (whatever their type, with or without
Range) never compressed."""

from __future__ import annotations

import gzip
import hashlib
import json
from urllib.parse import quote

import pytest
import requests
from backports import zstd

from onestop_server.compression import choose_encoding
from tests.server.util import Client, Peek, login, new_key
from tests.support.server import RunningServer

CHANGES = "/api/v1/sync/changes"


def raw_get(client: Client, path: str, accept_encoding: str, **kw: object) -> requests.Response:
    """GET without decoding: ``.raw_bytes`` is the body exactly as it came over the wire."""
    headers = {"Accept-Encoding": accept_encoding, **kw.pop("headers", {})}  # type: ignore[dict-item]
    r = client.http.get(client.url(path), headers=headers, stream=True, timeout=30, **kw)
    r.raw_bytes = r.raw.read(decode_content=False)  # type: ignore[attr-defined]
    r.close()
    return r


def test_a_snapshot_page_is_gzipped_and_decodes_to_the_same_json(server: RunningServer) -> None:
    head = login(server, Peek(server).head_of("stnmt"))
    plain = raw_get(head, CHANGES, "identity", params={"limit": 10})
    packed = raw_get(head, CHANGES, "gzip, deflate", params={"limit": 10})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert int(packed.headers["Content-Length"]) == len(packed.raw_bytes)  # type: ignore[attr-defined]
    assert "accept-encoding" in packed.headers["Vary"].lower()
    assert "accept-encoding" in plain.headers["Vary"].lower()
    body = gzip.decompress(packed.raw_bytes)  # type: ignore[attr-defined]
    assert body == plain.raw_bytes  # type: ignore[attr-defined]
    assert len(packed.raw_bytes) * 5 < len(body)  # type: ignore[attr-defined]
    page = json.loads(body)
    assert len(page["upserts"]) == 10 and page["has_more"] is True
    # requests decodes it by itself: the client code sees plain JSON.
    assert head.get(CHANGES, params={"limit": 10}).json() == page


def test_zstd_is_preferred_when_offered_and_decodes_to_the_same_json(
        server: RunningServer) -> None:
    """What the client's requests offers (urllib3 with backports.zstd: gzip, deflate, zstd)
    gets zstd: the same JSON once decoded, and requests decodes it. (Its size against gzip on
    real pages: bench/sync_shaped.py.)"""
    head = login(server, Peek(server).head_of("stnmt"))
    offered = requests.utils.default_headers()["Accept-Encoding"]
    assert "zstd" in offered  # the client's dependency makes urllib3 offer it
    plain = raw_get(head, CHANGES, "identity", params={"limit": 200})
    packed = raw_get(head, CHANGES, offered, params={"limit": 200})
    gzipped = raw_get(head, CHANGES, "gzip", params={"limit": 200})
    assert packed.headers["Content-Encoding"] == "zstd"
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert int(packed.headers["Content-Length"]) == len(packed.raw_bytes)  # type: ignore[attr-defined]
    assert "accept-encoding" in packed.headers["Vary"].lower()
    body = zstd.decompress(packed.raw_bytes)  # type: ignore[attr-defined]
    assert body == plain.raw_bytes == gzip.decompress(gzipped.raw_bytes)  # type: ignore[attr-defined]
    assert len(packed.raw_bytes) * 3 < len(body)  # type: ignore[attr-defined]
    r = head.get(CHANGES, params={"limit": 200})
    assert r.headers["Content-Encoding"] == "zstd"
    assert r.json() == json.loads(body)


@pytest.mark.parametrize("accept", ["identity", "gzip;q=0", "br",
                                    "gzip;q=0, zstd;q=0, *;q=1"])
def test_no_compression_unless_the_client_accepts_it(server: RunningServer, accept: str) -> None:
    head = login(server, Peek(server).head_of("stnmt"))
    r = raw_get(head, CHANGES, accept, params={"limit": 10})
    assert "Content-Encoding" not in r.headers
    assert json.loads(r.raw_bytes)["has_more"] is True  # type: ignore[attr-defined]


def test_the_no_change_sync_stays_tiny_and_uncompressed(server: RunningServer) -> None:
    head = login(server, Peek(server).head_of("stnmt"))
    cursor = head.get(CHANGES, params={"limit": 2000}).json()["cursor"]
    r = raw_get(head, CHANGES, "gzip", params={"cursor": cursor})
    assert "Content-Encoding" not in r.headers
    assert len(r.raw_bytes) < 512  # type: ignore[attr-defined]
    assert json.loads(r.raw_bytes) == {"upserts": [], "removals": [], "cursor": cursor,  # type: ignore[attr-defined]
                                       "has_more": False}


def _json_document(server: RunningServer) -> tuple[Client, str, int, bytes]:
    """A highly compressible result document (a CSV table; JSON is not an accepted document
    type): its download must still travel byte for byte, never compressed."""
    username, dossier_id = Peek(server).officer_dossier()
    c = login(server, username)
    data = "\n".join(f"{i},Giấy chứng nhận,{i * 7}" for i in range(800)).encode()
    r = c.post(f"/api/v1/dossiers/{dossier_id}/documents", data=data,
               headers={"Idempotency-Key": new_key(), "Content-Type": "text/csv",
                        "X-File-Name": quote("bảng kê.csv")})
    assert r.status_code == 201, r.text
    return c, dossier_id, r.json()["document"]["id"], data


def test_documents_are_never_compressed_even_compressible_ones(server: RunningServer) -> None:
    c, dossier_id, doc_id, data = _json_document(server)
    url = f"/api/v1/dossiers/{dossier_id}/documents/{doc_id}/content"
    whole = raw_get(c, url, "gzip, deflate")
    assert whole.status_code == 200 and whole.headers["Content-Type"].startswith("text/csv")
    assert "Content-Encoding" not in whole.headers
    assert "no-transform" in whole.headers["Cache-Control"]
    assert whole.raw_bytes == data  # type: ignore[attr-defined]
    assert whole.headers["Content-Length"] == str(len(data))
    assert whole.headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'


def test_range_downloads_are_byte_exact_with_gzip_accepted(server: RunningServer) -> None:
    c, dossier_id, doc_id, data = _json_document(server)
    url = f"/api/v1/dossiers/{dossier_id}/documents/{doc_id}/content"
    etag = f'"{hashlib.sha256(data).hexdigest()}"'
    first = raw_get(c, url, "gzip", headers={"Range": "bytes=0-999"})
    rest = raw_get(c, url, "gzip", headers={"Range": "bytes=1000-", "If-Range": etag})
    for part, start, end in ((first, 0, 999), (rest, 1000, len(data) - 1)):
        assert part.status_code == 206 and "Content-Encoding" not in part.headers
        assert part.headers["Content-Range"] == f"bytes {start}-{end}/{len(data)}"
        assert part.headers["Content-Length"] == str(end - start + 1)
        assert part.raw_bytes == data[start:end + 1]  # type: ignore[attr-defined]
    assert first.raw_bytes + rest.raw_bytes == data  # type: ignore[attr-defined]


@pytest.mark.parametrize(("header", "coding"), [
    ("gzip", "gzip"), ("gzip, deflate, br, zstd", "zstd"), ("deflate, gzip;q=0.5", "gzip"),
    ("GZIP", "gzip"), ("x-gzip", "gzip"), ("*", "zstd"), ("gzip;q=0", None),
    ("gzip; q=0.0", None), ("identity", None), ("", None), ("br, *;q=0", None),
    ("*;q=0.1, gzip;q=0", "zstd"), ("*;q=0.1, gzip;q=0, zstd;q=0", None),
    ("gzip;q=nonsense", None), ("ZSTD", "zstd"), ("zstd;q=0.5, gzip", "gzip"),
    ("gzip;q=0.8, zstd;q=0.8", "zstd"), ("zstd;q=0, *", "gzip"), ("zstd;q=0.9, *;q=1", "gzip"),
    ("zstd;q=1, zstd;q=0", "zstd"),
])
def test_accept_encoding_is_read_with_its_q_values(header: str, coding: str | None) -> None:
    assert choose_encoding(header) == coding


def test_without_zstd_the_server_chooses_gzip() -> None:
    """A server without a zstd module offers gzip alone, whatever the client prefers."""
    assert choose_encoding("zstd, gzip;q=0.5", ("gzip",)) == "gzip"
    assert choose_encoding("zstd", ("gzip",)) is None


def test_gzip_bytes_are_plain_gzip_from_zlib_ng_at_the_size_of_zlib() -> None:
    """The server deflates with zlib-ng (its dependency: about half zlib's CPU per page) in the
    ordinary gzip format: the standard library reads it back, the header carries no time (the
    same input gives the same bytes) and level 6 is as small as zlib's within 2 %."""
    import zlib

    from onestop_server import compression

    assert compression._ZLIB.__name__ == "zlib_ng.zlib_ng"
    body = json.dumps([{"id": n, "ten": f"Nguyễn Văn An {n}", "thu_tuc": "Đăng ký đất đai"}
                       for n in range(3000)], ensure_ascii=False).encode("utf-8")
    packed = compression.gzip_bytes(body, 6)
    assert gzip.decompress(packed) == body
    assert packed[:2] == b"\x1f\x8b" and packed[4:8] == b"\0\0\0\0"  # gzip, mtime 0
    assert packed == compression.gzip_bytes(body, 6)
    plain = zlib.compressobj(6, zlib.DEFLATED, 31)
    assert len(packed) <= 1.02 * len(plain.compress(body) + plain.flush())
