"""Which characters free text may hold: one rule for the server's request parser and the client.

Notes, reasons and messages are human text shown to other people and printed on official
slips. Some code points have no place there and are a known attack or corruption vector:

* **lone surrogates** (U+D800-U+DFFF not paired): JSON allows them as ``\\ud800`` escapes, but
  they cannot be encoded as UTF-8, so they break storage, canonical JSON and every consumer;
* **C0/C1 control characters** other than tab, line feed and carriage return (NUL truncates
  strings in C consumers, ESC drives terminals);
* **bidirectional embedding, override and isolate controls** (U+202A-U+202E, U+2066-U+2069):
  they reorder what is displayed ("Trojan Source"), so a note can read differently from what
  it says.

:func:`forbidden_character` finds the first such code point; :func:`describe` names it for an
error message (``U+202E``). Vietnamese text never needs any of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["JsonPath", "describe", "find_in_json", "forbidden_character", "is_lone_surrogate"]

_ALLOWED_CONTROLS = frozenset("\t\n\r")
_BIDI_CONTROLS = frozenset(
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
)

JsonPath = list[str | int]


def is_lone_surrogate(ch: str) -> bool:
    return 0xD800 <= ord(ch) <= 0xDFFF


def _forbidden(ch: str) -> bool:
    code = ord(ch)
    if code < 0x20:
        return ch not in _ALLOWED_CONTROLS
    return code == 0x7F or 0x80 <= code <= 0x9F or ch in _BIDI_CONTROLS or is_lone_surrogate(ch)


def forbidden_character(text: str) -> str | None:
    """The first forbidden code point of ``text``, or ``None`` when the text is clean."""
    # A fast path: almost every text is printable and has no surrogate or bidi control.
    if text.isprintable() and not any(ch in _BIDI_CONTROLS for ch in text):
        return None
    return next((ch for ch in text if _forbidden(ch)), None)


def describe(ch: str) -> str:
    """``U+202E`` style name of a code point (safe to show: it is not the character itself)."""
    return f"U+{ord(ch):04X}"


def _walk(value: Any) -> Iterator[tuple[JsonPath, str]]:
    """Every string and object key with its path, depth-first, without recursion."""
    stack: list[tuple[JsonPath, Any]] = [([], value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            yield path, item
        elif isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                stack.append(([*path, str(key)], child))
                stack.append((path, str(key)))
        elif isinstance(item, list):
            stack.extend(([*path, i], child) for i, child in reversed(list(enumerate(item))))


def find_in_json(value: Any) -> tuple[JsonPath, str] | None:
    """``(path, character)`` of the first forbidden character in any string or key of a parsed
    JSON value, or ``None``."""
    for path, text in _walk(value):
        ch = forbidden_character(text)
        if ch is not None:
            return path, ch
    return None
