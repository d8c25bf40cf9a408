"""Request hygiene: what a JSON body may contain before any route sees it.

Python's ``json`` accepts things a careful API must not: a repeated key silently keeps the last
value (two parsers may then disagree about what was sent), ``"\\ud800"`` becomes a lone surrogate
that cannot be stored or re-encoded (it used to surface as a 500 from canonical JSON), and text
may carry NUL, control or bidi-override characters that are then synced to other people's
screens and printed on official slips. Every such body is refused with a stable 4xx code:

==== ============================== =========================================================
400  ``request.duplicate_key``      an object repeats a key (``details.path``)
400  ``request.invalid_unicode``    a string holds a lone surrogate (``details.path``)
422  ``request.forbidden_character`` NUL/control/bidi character (``details.path``, ``character``)
400  ``request.malformed``          nested too deeply to parse
==== ============================== =========================================================

The check runs only where FastAPI itself would parse JSON (no ``Content-Type``, or
``application/json`` / ``application/*+json``), on the body the size limit already buffered.
Bodies that are not valid JSON are left to FastAPI's own ``request.malformed`` answer.
The character rule is the domain's (:mod:`wfh_client.domain.text`), shared with the client.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.message import Message
from typing import Any

from wfh_client.domain.text import JsonPath, describe, find_in_json, is_lone_surrogate

__all__ = ["Rejection", "check_json_body", "is_json_request"]


@dataclass(frozen=True)
class Rejection:
    status: int
    code: str
    message: str
    details: dict[str, Any]


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def is_json_request(content_type: str | None) -> bool:
    """The same test FastAPI uses to decide whether it parses the body as JSON."""
    if not content_type:
        return True
    message = Message()
    message["content-type"] = content_type
    if message.get_content_maintype() != "application":
        return False
    subtype = message.get_content_subtype()
    return subtype == "json" or subtype.endswith("+json")


def _safe_key(key: str) -> str:
    """A key as it may appear in an error body (never a raw surrogate or control char)."""
    return key.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")[:100]


def _safe_path(path: JsonPath) -> list[str | int]:
    return [p if isinstance(p, int) else _safe_key(p) for p in path]


def check_json_body(body: bytes, content_type: str | None) -> Rejection | None:
    """A :class:`Rejection` for a JSON body that must not reach the routes, else ``None``."""
    if not body or not is_json_request(content_type):
        return None
    try:
        value = json.loads(body, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as dup:
        return Rejection(400, "request.duplicate_key",
                         "A JSON object in the request repeats a key.",
                         {"key": _safe_key(dup.key)})
    except RecursionError:
        return Rejection(400, "request.malformed", "The request body is nested too deeply.", {})
    except ValueError:
        return None  # not JSON at all: FastAPI answers request.malformed
    found = find_in_json(value)
    if found is None:
        return None
    path, ch = found
    if is_lone_surrogate(ch):
        return Rejection(400, "request.invalid_unicode",
                         "The request contains text that is not valid Unicode (a lone "
                         "surrogate).", {"path": _safe_path(path)})
    return Rejection(422, "request.forbidden_character",
                     f"The request contains a character that is not allowed in text "
                     f"({describe(ch)}).", {"path": _safe_path(path), "character": describe(ch)})
