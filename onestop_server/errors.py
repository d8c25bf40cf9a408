"""The one error shape of the API: ``{code, message, details}`` with a stable code."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Raise anywhere in a request; the app turns it into the JSON error answer."""

    def __init__(
        self, status: int, code: str, message: str, details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers or {}  # e.g. Retry-After

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}
