"""Shape validation and normalisation of action payloads (state-independent checks).

:func:`normalise_payload` checks one action's payload against its schema and returns the
normalised form: strings stripped (empty after stripping counts as missing), lists of strings
stripped and de-duplicated (diacritics- and case-insensitively, first spelling kept), instants
re-emitted as ISO 8601 UTC ``Z``. Optional fields that are absent, ``None`` or empty are left
out of the result. Every failure is an :class:`ActionInvalid` with a stable sub-code:

``unknown_field``, ``bad_type``, ``<field>_required`` (e.g. ``reason_required``),
``too_long``, ``too_many_items``, ``bad_value``, ``bad_datetime``, ``forbidden_character``
(NUL and other control characters, bidi overrides, lone surrogates: :mod:`.text`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from wfh_client.domain.errors import ActionInvalid
from wfh_client.domain.folding import fold_query
from wfh_client.domain.statuses import ActionType, ResultChannel
from wfh_client.domain.text import describe, forbidden_character
from wfh_client.domain.timefmt import parse_instant, to_iso_utc

__all__ = [
    "DECISIONS",
    "MAX_ITEM_LENGTH",
    "MAX_MISSING_ITEMS",
    "MAX_NOTE_LENGTH",
    "MAX_REASON_LENGTH",
    "MAX_TEXT_LENGTH",
    "PAYLOAD_SCHEMAS",
    "FieldSpec",
    "normalise_payload",
]

MAX_NOTE_LENGTH = 10_000
MAX_REASON_LENGTH = 2_000  # reasons and comments
MAX_TEXT_LENGTH = 10_000  # proposed results
MAX_ITEM_LENGTH = 500  # one missing-document item
MAX_MISSING_ITEMS = 50
MAX_TRACKING_LENGTH = 100
DECISIONS = ("grant", "refuse")
MAX_ID = 2**63 - 1  # ids fit a signed 64-bit column
MIN_YEAR, MAX_YEAR = 2000, 2200  # accepted range of instants (keeps arithmetic finite)

Kind = Literal["str", "int", "str_list", "instant"]


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    required: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] | None = None


def _reason(required: bool = True) -> FieldSpec:
    return FieldSpec("str", required=required, max_length=MAX_REASON_LENGTH)


PAYLOAD_SCHEMAS: Mapping[ActionType, Mapping[str, FieldSpec]] = {
    ActionType.NOTE: {"text": FieldSpec("str", required=True, max_length=MAX_NOTE_LENGTH)},
    ActionType.ASSIGN: {"assignee_id": FieldSpec("int", required=True)},
    ActionType.START_REVIEW: {},
    ActionType.REQUEST_DOCUMENTS: {
        "missing": FieldSpec("str_list", required=True, max_length=MAX_ITEM_LENGTH),
        "reason": _reason(required=False),
    },
    ActionType.DOCUMENTS_RECEIVED: {},
    ActionType.SUBMIT_FOR_APPROVAL: {
        "proposed_result": FieldSpec("str", required=True, max_length=MAX_TEXT_LENGTH),
        "decision": FieldSpec("str", required=True, choices=DECISIONS),
    },
    ActionType.APPROVE: {"comment": _reason(required=False)},
    ActionType.RETURN_FOR_REWORK: {"comment": _reason()},
    ActionType.REFUSE: {"reason": _reason()},
    ActionType.STOP: {"reason": _reason()},
    ActionType.APOLOGY: {"reason": _reason(), "new_due_at": FieldSpec("instant", required=True)},
    ActionType.RETURN_RESULT: {
        "channel": FieldSpec("str", required=True, choices=tuple(c.value for c in ResultChannel)),
        "tracking_number": FieldSpec("str", max_length=MAX_TRACKING_LENGTH),
    },
}


def _bad_type(name: str, expected: str) -> ActionInvalid:
    return ActionInvalid(
        "bad_type", f"Field '{name}' must be {expected}.", {"field": name, "expected": expected}
    )


def _required(name: str) -> ActionInvalid:
    return ActionInvalid(f"{name}_required", f"Field '{name}' is required.", {"field": name})


def _too_long(name: str, limit: int) -> ActionInvalid:
    return ActionInvalid(
        "too_long",
        f"Field '{name}' is longer than {limit} characters.",
        {"field": name, "max_length": limit},
    )


def _clean(name: str, text: str) -> str:
    ch = forbidden_character(text)
    if ch is not None:
        raise ActionInvalid(
            "forbidden_character",
            f"Field '{name}' contains a character that is not allowed in text ({describe(ch)}).",
            {"field": name, "character": describe(ch)},
        )
    return text


def _normalise_field(name: str, spec: FieldSpec, value: Any) -> Any:
    """The normalised value, or ``None`` when the value counts as missing."""
    if value is None:
        return None
    if spec.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad_type(name, "an integer")
        if not 0 < value <= MAX_ID:
            raise ActionInvalid(
                "bad_value", f"Field '{name}' must be a positive id.", {"field": name}
            )
        return value
    if spec.kind == "str_list":
        if not isinstance(value, list | tuple):
            raise _bad_type(name, "a list of strings")
        items: list[str] = []
        seen: set[str] = set()
        for item in value:
            if not isinstance(item, str):
                raise _bad_type(name, "a list of strings")
            text = " ".join(_clean(name, item).split())
            if not text:
                raise ActionInvalid(
                    "empty_item", f"Field '{name}' contains an empty item.", {"field": name}
                )
            if spec.max_length is not None and len(text) > spec.max_length:
                raise _too_long(name, spec.max_length)
            key = fold_query(text)
            if key not in seen:
                seen.add(key)
                items.append(text)
        if len(items) > MAX_MISSING_ITEMS:
            raise ActionInvalid(
                "too_many_items",
                f"Field '{name}' has more than {MAX_MISSING_ITEMS} items.",
                {"field": name, "max_items": MAX_MISSING_ITEMS},
            )
        return items or None
    if not isinstance(value, str):
        raise _bad_type(name, "a string")
    text = _clean(name, value).strip()
    if not text:
        return None
    if spec.kind == "instant":
        try:
            instant = parse_instant(text)
            if not MIN_YEAR <= instant.year <= MAX_YEAR:
                raise ValueError("year out of range")
            return to_iso_utc(instant)
        except (ValueError, OverflowError):
            raise ActionInvalid(
                "bad_datetime",
                f"Field '{name}' must be an ISO 8601 date-time with a time zone.",
                {"field": name},
            ) from None
    if spec.max_length is not None and len(text) > spec.max_length:
        raise _too_long(name, spec.max_length)
    if spec.choices is not None and text not in spec.choices:
        raise ActionInvalid(
            "bad_value",
            f"Field '{name}' must be one of: {', '.join(spec.choices)}.",
            {"field": name, "allowed": list(spec.choices)},
        )
    return text


def normalise_payload(action: ActionType, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``payload`` for ``action``; return the normalised dict (see module docstring)."""
    if not isinstance(payload, Mapping):
        raise _bad_type("payload", "an object")
    schema = PAYLOAD_SCHEMAS[action]
    unknown = sorted(str(k) for k in payload if k not in schema)
    if unknown:
        raise ActionInvalid(
            "unknown_field",
            f"Unknown field(s) for '{action.value}': {', '.join(unknown)}.",
            {"fields": unknown},
        )
    result: dict[str, Any] = {}
    for name, spec in schema.items():
        value = _normalise_field(name, spec, payload.get(name))
        if value is None:
            if spec.required:
                raise _required(name)
            continue
        result[name] = value
    if action is ActionType.RETURN_RESULT:
        if result["channel"] == ResultChannel.POST.value:
            if "tracking_number" not in result:
                raise _required("tracking_number")
        else:
            result.pop("tracking_number", None)  # only meaningful for post
    return result
