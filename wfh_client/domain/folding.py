"""Diacritics-insensitive folding of Vietnamese text for search.

``fold("Đăng ký đất đai") == "dang ky dat dai"``: lowercase, canonical decomposition (NFD),
combining marks dropped, and đ/Đ (a separate letter, not a combining mark) mapped to d.
Works the same for NFC and NFD input. The store's FTS index and the search box both use it.
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "fold_query"]

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str) -> str:
    """Lowercase ``text``, strip diacritics and map đ/Đ to d."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # casefold after stripping: lower-casing may itself produce combining marks (e.g. İ).
    lowered = unicodedata.normalize("NFD", stripped.lower())
    return "".join(ch for ch in lowered if not unicodedata.combining(ch))


def fold_query(text: str) -> str:
    """Fold ``text`` and collapse runs of whitespace to single spaces (stripped)."""
    return " ".join(fold(text).split())
