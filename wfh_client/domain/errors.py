"""Exceptions raised when a dossier action is refused.

``ActionInvalid`` (HTTP 422 ``action.invalid``): the action can never succeed on this state or
payload. ``ActionForbidden`` (HTTP 403 ``action.forbidden``): the actor may not do it. Both carry
a stable snake_case ``code`` (the API's ``details.reason``), an English ``message`` and
JSON-serialisable ``details``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ActionError", "ActionForbidden", "ActionInvalid"]


class ActionError(Exception):
    """Base class: ``code`` (stable sub-code), ``message`` (English), ``details`` (dict)."""

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class ActionInvalid(ActionError):
    """The action can never succeed on this state / payload."""


class ActionForbidden(ActionError):
    """The actor may not perform this action (role, not the assignee, other department)."""
