"""Parsing and formatting of instants on the wire: ISO 8601, always timezone-aware.

The API sends instants in UTC with a ``Z`` suffix; :func:`to_iso_utc` produces that form and
:func:`parse_instant` accepts any aware ISO 8601 string (``Z`` or an offset). Naive values are
rejected with ``ValueError`` everywhere in the domain.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["ensure_aware", "parse_instant", "to_iso_utc"]


def ensure_aware(value: datetime, name: str = "datetime") -> datetime:
    """Return ``value`` unchanged if it is timezone-aware, else raise ``ValueError``."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware: {value!r}")
    return value


def parse_instant(text: str) -> datetime:
    """Parse an aware ISO 8601 instant (``...Z`` or ``...+07:00``); ``ValueError`` otherwise."""
    if not isinstance(text, str):
        raise TypeError("instant must be a string")
    raw = text.strip()
    if len(raw) < 16 or "T" not in raw.upper():
        raise ValueError(f"not an ISO 8601 date-time: {text!r}")
    parsed = datetime.fromisoformat(raw)
    return ensure_aware(parsed, "instant")


def to_iso_utc(value: datetime) -> str:
    """Format an aware instant as ISO 8601 UTC with ``Z`` (microseconds only if non-zero)."""
    utc = ensure_aware(value).astimezone(UTC)
    return utc.isoformat().replace("+00:00", "Z")
