"""Structured logs: one JSON object per line, without personal data.

``configure(level, fmt)`` sets the root logger (and uvicorn's) to ``JsonFormatter`` (or plain
text). Records carry the time, level, logger, message, worker pid and any ``extra`` fields.
The access log (``access``) writes method, route template, status and duration only: no client
address, no raw path or query (ids, cursors), no user name; uvicorn's own access log is off.
What the server logs elsewhere is ids (recall, user), never names, phone numbers, messages or
tokens; SQL errors are logged without their parameters (``db.make_engine`` hides them).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}
access_log = logging.getLogger("onestop.access")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "pid": os.getpid(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key != "color_message":
                out[key] = value if isinstance(value, int | float | str | bool | None) else str(value)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def configure(level: str = "info", fmt: str = "json") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("alembic").setLevel(max(root.level, logging.WARNING))


def access(method: str, route: str, status: int, seconds: float) -> None:
    if access_log.isEnabledFor(logging.INFO):
        access_log.info(
            "request", extra={"method": method, "route": route, "status": status,
                              "ms": round(seconds * 1000, 1)},
        )


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's ``log_config``: leave logging to ``configure`` (called in each worker)."""
    return {"version": 1, "disable_existing_loggers": False}
