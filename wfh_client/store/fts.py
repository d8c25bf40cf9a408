"""Folded text for the FTS5 index and the safe prefix query built from user input.

Both sides use ``wfh_client.domain.folding.fold`` (lowercase, no diacritics, đ -> d).

Indexing (:func:`index_text`): the folded text, plus a *compact* token for every word made of
several letter/digit runs joined by punctuation (``h57.23-260115-0001`` -> ``h5723260115000``...
``1``; ``12/5`` -> ``125``), so codes, house numbers and e-mail addresses can be found by
typing their beginning, without an expensive phrase query.

Phone and ID numbers are kept apart, as their digits alone (:func:`number_digits`:
``0912 345 678`` and ``0912.345.678`` -> ``0912345678``), in the plain table
``dossier_numbers``, where a search for three digits or more finds them anywhere: their start,
middle or end. They used to be FTS5 terms, every ending of at least three digits (``345678``,
``45678``...): eighteen distinct terms per dossier, each written into the index and its three
prefix indexes, were 40 % of a first sync's FTS5 writes and a quarter of the index's bytes
(10,000 dossiers: 0.33 of the single writer's CPU-seconds; 14.4 -> 11.5 MB). The price is at
search time: SQLite scans the table (``instr``, 15-30 ms per 100,000 dossiers), or the list,
as the user types, searches the same rows held in memory (:class:`NumberIndex`: 3-20 ms,
loaded at the first number searched after the data changed, 50-130 ms), where FTS5 found an
ending in 1-5 ms.

Querying (:func:`fts_query`, :func:`rid_query`): each whitespace-separated word of the folded
input becomes one quoted prefix term, ANDed: ``"Đăng ký"`` -> ``"dang"* AND "ky"*``; a word with punctuation inside
matches either its compact form from the start or its runs as consecutive tokens anywhere
(FTS5 phrase with a prefix last token): ``"H57-2604"`` -> ``("h572604"* OR "h57 2604"*)``, so
the middle of a dossier code (``000.00.12.H57-260410-0001``) is found too. Only letters and digits ever reach
FTS5, always inside double quotes, so ``"``, ``*``, ``AND``, ``NEAR(``, ``-`` or ``:`` typed by
the user can never raise a syntax error. Digit groups typed with spaces (``0912 345 678``,
at least :data:`MIN_NUMBER_DIGITS` digits together) also match the number written without them.
A term whose letters-and-digits are all digits, at least three (a word, a punctuated word's
compact form, digit groups typed apart), also matches a phone or ID number holding those
digits anywhere: :func:`rid_query` ORs ``dossier_numbers`` into that term.
Words in double quotes match as a phrase: those tokens, consecutive, in one field
(``"nguyen van an"`` does not find "An Văn Nguyễn"); an unclosed quote runs to the end.
"""

from __future__ import annotations

import array
import bisect
import itertools
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wfh_client.domain.folding import fold

orjson: Any
try:  # 100,000 rids read three times faster than with json
    import orjson
except ImportError:  # pragma: no cover - a build without it decodes with json
    orjson = None

__all__ = ["MIN_NUMBER_DIGITS", "NumberIndex", "RidQuery", "fast_fold", "fts_query",
           "index_text", "index_texts", "number_digits", "rid_query"]

_RUN = re.compile(r"[^\W_]+")  # letters and digits: what FTS5's unicode61 keeps as tokens
_WORDS = re.compile(r'"([^"]*)"?|(\S+)')  # a quoted phrase (closed or not) or a bare word
MIN_NUMBER_DIGITS = 7  # digit groups typed apart that make up a phone / ID number
_MIN_ENDING = 3
_SIGMA = "\u03a3"  # the one letter str.lower() maps by context (final sigma)


class _FoldTable(dict[int, str]):
    """``str.translate`` table: code point -> ``fold(chr(cp))``, filled on first use.

    ``fold`` works character by character (NFD, dropping combining marks and đ -> d never look
    at neighbours), except that ``str.lower`` maps capital sigma by context; :func:`fast_fold`
    leaves text holding it to ``fold``."""

    def __missing__(self, cp: int) -> str:
        folded = fold(chr(cp))
        self[cp] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fast_fold(text: str) -> str:
    """``domain.folding.fold(text)``, the same result several times faster: ASCII text only
    needs lowercasing, other text one C-level ``translate`` through a per-character table
    (instead of two normalisations and Python loops). Indexing a first sync of 10,000
    dossiers folds 50,000 strings."""
    if text.isascii():
        return text.lower()
    if _SIGMA in text:
        return fold(text)
    return text.translate(_FOLD_TABLE)


def index_text(text: str | None) -> str:
    """Folded ``text`` plus compact tokens of its punctuated words (see module docstring)."""
    if not text:
        return ""
    return _with_compact(fast_fold(text))


# index_texts: many texts folded as one string (a first sync's page holds 5,000).
_SEP = "\x1f"  # between the texts; whitespace to str.split, so never inside a word
# The combining marks Vietnamese text decomposes into (NFD): tones, breve, circumflex, horn.
_VIETNAMESE_MARKS = ("\u0300", "\u0301", "\u0302", "\u0303", "\u0306", "\u0309", "\u031b",
                     "\u0323")
# Punctuation after a letter/digit run, then another run: in folded ASCII text, exactly the
# words index_text gives a compact token (more than one run of [^\W_]); then the rest of the
# word, so a word matches once (\s includes the separator). It starts with the punctuation,
# rare, so the search skips ahead in C instead of trying a match at every letter (10,000
# dossiers' texts: 58 -> 33 ms); the look-behind checks the run before it.
_ASCII_PUNCTUATED = re.compile(r"[^a-z0-9\s](?<=[a-z0-9].)[^a-z0-9\s]*[a-z0-9]\S*")


def _fold_ascii(text: str) -> str | None:
    """``fold(text)`` if that is ASCII, computed with a few whole-string C calls; else None.

    When the only characters beyond ASCII left once đ/Đ/ð/Ð are mapped and the text is
    decomposed are Vietnamese marks, removing them was all ``fold`` strips, and lowering
    ASCII is ASCII again (``fold``'s second decomposition changes nothing). Encoding to ASCII
    drops every character beyond it in one pass; counting the marks checks that nothing else
    was dropped (a third less time than removing the eight marks one by one)."""
    mapped = text.replace("đ", "d").replace("Đ", "d")
    if "ð" in mapped or "Ð" in mapped:
        mapped = mapped.replace("ð", "d").replace("Ð", "d")
    decomposed = unicodedata.normalize("NFD", mapped)
    ascii_only = decomposed.encode("ascii", "ignore")
    marks = sum(decomposed.count(mark) for mark in _VIETNAMESE_MARKS)
    if len(ascii_only) + marks != len(decomposed):
        return None
    return ascii_only.decode("ascii").lower()


def index_texts(texts: list[str]) -> list[str]:
    """``[index_text(t) for t in texts]``, for thousands of texts at once: they are joined and
    folded as one string, and only the texts holding a punctuated word take the word-by-word
    path for their compact tokens (codes, house numbers, e-mail addresses). Text that does not
    fold to ASCII (another script, a stray mark) goes one by one through :func:`index_text`.
    A first sync folds 50,000 texts per 10,000 dossiers; this took half their time.
    Repeated texts (a department's few procedure names, shared addresses: a fifth of the
    characters) are folded once."""
    unique = list(dict.fromkeys(texts))
    if len(unique) < len(texts):
        folded_once = dict(zip(unique, index_texts(unique), strict=True))
        return [folded_once[t] for t in texts]
    joined = _SEP.join(texts)
    folded = _fold_ascii(joined)
    parts = folded.split(_SEP) if folded is not None else []
    if folded is None or len(parts) != len(texts):  # not ASCII, or a separator in a text
        return [index_text(t) for t in texts]
    starts = list(itertools.accumulate((len(p) + 1 for p in parts), initial=0))
    punctuated = {bisect.bisect_right(starts, m.start()) - 1
                  for m in _ASCII_PUNCTUATED.finditer(folded)}
    for i in punctuated:
        parts[i] = _with_compact(parts[i])
    return parts


def _with_compact(folded: str) -> str:
    compact = []
    for word in folded.split():
        if word.isalnum():  # a single letter/digit run (the common case): no compact token
            continue
        runs = _RUN.findall(word)
        if len(runs) > 1:
            compact.append("".join(runs))
    return f"{folded} {' '.join(compact)}" if compact else folded


def number_digits(value: str | None) -> str:
    """A phone or ID number's digits alone, as ``dossier_numbers`` keeps them; ``""`` when
    fewer than three (nothing a search would look for)."""
    digits = (value or "").replace(" ", "").replace(".", "").replace("-", "")
    if not digits.isdigit():  # other separators ("+84", "(028)"): keep the digits alone
        digits = "".join(filter(str.isdigit, value or ""))
    return digits if len(digits) >= _MIN_ENDING else ""


# A query term: its FTS5 expression, and the digits it looks for in ``dossier_numbers`` too
# (None: the term is FTS5 only).
_Term = tuple[str, str | None]


def _digits_of(runs: list[str]) -> str | None:
    joined = "".join(runs)
    return joined if len(joined) >= _MIN_ENDING and joined.isdigit() else None


def _word_term(word: str) -> _Term | None:
    runs = _RUN.findall(word)
    if len(runs) > 1:
        return f'("{"".join(runs)}"* OR "{" ".join(runs)}"*)', _digits_of(runs)
    return (f'"{runs[0]}"*', _digits_of(runs)) if runs else None


def _bare_terms(words: list[str]) -> list[_Term]:
    """Terms of unquoted words; consecutive digit groups may be one number typed apart."""
    terms: list[_Term] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and words[j].isdigit():
            j += 1
        group = words[i:j]
        if len(group) >= 2 and sum(map(len, group)) >= MIN_NUMBER_DIGITS:
            apart = " AND ".join(f'"{g}"*' for g in group)
            terms.append((f'("{"".join(group)}"* OR ({apart}))', "".join(group)))
            i = j
            continue
        term = _word_term(words[i])
        if term:
            terms.append(term)
        i += 1
    return terms


def _terms(text: str) -> list[_Term]:
    terms: list[_Term] = []
    bare: list[str] = []
    for quoted, word in _WORDS.findall(fold(text)):
        if word:
            bare.append(word)
            continue
        terms.extend(_bare_terms(bare))
        bare = []
        runs = _RUN.findall(quoted)
        if runs:  # a phrase: these tokens, consecutive (never a prefix)
            terms.append((f'"{" ".join(runs)}"', None))
    terms.extend(_bare_terms(bare))
    return terms


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for ``text`` (its text only: see :func:`rid_query` for the
    numbers); ``None`` if it holds no letter or digit."""
    return " AND ".join(expression for expression, _ in _terms(text)) or None


_FTS_RIDS = "SELECT rowid AS rid FROM dossier_fts WHERE dossier_fts MATCH ?"
_NUMBER_RIDS = "SELECT rid FROM dossier_numbers WHERE instr(digits, ?) > 0"
_LISTED_RIDS = "SELECT value FROM json_each(?)"


class NumberIndex:
    """``dossier_numbers`` held in memory, for searching as the user types: SQLite scans the
    table's 100,000 rows in 15-30 ms (its cost per row); a C ``str.find`` over their digits,
    joined in one string, takes 3-20 ms depending on the hits. Load it once per state of the
    data (:meth:`load`: one query, 50-130 ms at 100,000) and drop it when the data changes;
    :func:`rid_query` without one scans the table."""

    def __init__(self, rids: list[int], texts: list[str]) -> None:
        if len(rids) != len(texts):
            raise ValueError("one text per rid")
        # arrays, not lists: no objects for the garbage collector to walk at every pass
        self._rids = array.array("q", rids)
        self._text = "\n".join(texts)  # never a digit: a search never spans two rows
        self._starts = array.array("q", itertools.accumulate((len(t) + 1 for t in texts),
                                                             initial=0))

    @classmethod
    def load(cls, db: Any) -> NumberIndex:
        """The numbers of the cache ``db`` (a sqlite-utils Database), in rid order: built by
        SQLite as two strings (a row at a time through Python took four times longer)."""
        rids, text = db.execute(
            "SELECT json_group_array(rid), group_concat(digits, char(10)) "
            "FROM (SELECT rid, digits FROM dossier_numbers ORDER BY rid)").fetchone()
        return cls((orjson or json).loads(rids), text.split("\n") if text else [])

    def find(self, digits: str) -> list[int]:
        """The rids whose numbers hold ``digits``, ascending, each once."""
        found: list[int] = []
        at = self._text.find(digits)
        while at >= 0:
            row = bisect.bisect_right(self._starts, at) - 1
            found.append(self._rids[row])
            at = self._text.find(digits, self._starts[row + 1])  # the next row on
        return found


@dataclass(frozen=True)
class RidQuery:
    """A search as SQL: ``sql`` selects the matching dossiers' ``rid`` (one column, ascending,
    each once) with ``params``. ``match``: the whole search as one FTS5 expression, when no
    term looks into the numbers (then ``sql`` is that MATCH, and FTS5 can rank it)."""

    sql: str
    params: tuple[str, ...]
    match: str | None


def rid_query(text: str,
              find_numbers: Callable[[str], list[int]] | None = None) -> RidQuery | None:
    """The dossiers matching every term of ``text``; ``None`` if it holds no letter or digit.

    A term of three digits or more matches its FTS5 expression OR a number holding those
    digits: ``dossier_numbers`` scanned, or ``find_numbers(digits)`` when given (the rids
    from the same rows in memory, :meth:`NumberIndex.find`). The terms are ANDed
    (``INTERSECT``)."""
    terms = _terms(text)
    if not terms:
        return None
    plain = [expression for expression, digits in terms if digits is None]
    numbered = [(expression, digits) for expression, digits in terms if digits is not None]
    if not numbered:
        match = " AND ".join(plain)
        return RidQuery(_FTS_RIDS, (match,), match)
    parts: list[str] = []
    params: list[str] = []
    if plain:
        parts.append(_FTS_RIDS)
        params.append(" AND ".join(plain))
    for expression, digits in numbered:
        if find_numbers is None:
            parts.append(f"SELECT rid FROM ({_FTS_RIDS} UNION {_NUMBER_RIDS})")  # noqa: S608
            params += (expression, digits)
        else:
            parts.append(f"SELECT rid FROM ({_FTS_RIDS} UNION {_LISTED_RIDS})")  # noqa: S608
            params += (expression, json.dumps(find_numbers(digits)))
    return RidQuery(" INTERSECT ".join(parts), tuple(params), None)
