"""Fetch the head's reports and team load from the server (no Qt; call off the GUI thread).

``fetch_ontime(transport, group, start, end)``, ``fetch_checkins(transport, start, end)`` and
``fetch_team_load(transport)`` call ``GET /api/v1/reports/ontime``, ``/reports/checkins`` and
``/team/load`` through anything with ``get(path, params=...) -> requests.Response`` that raises
``wfh_client.sync.errors.ApiError`` on non-2xx answers (``AuthSession`` does), and return
frozen dataclasses. Reports need the network; the offline board comes from the cache
(``wfh_client.store.board``). Shapes: docs/architecture.md (Reports).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol

import requests

from wfh_client.sync.errors import ClientError

__all__ = [
    "CheckinReport",
    "CheckinRow",
    "OfficerLoad",
    "OnTimeReport",
    "OnTimeRow",
    "TeamLoad",
    "Transport",
    "fetch_checkins",
    "fetch_ontime",
    "fetch_team_load",
]

ONTIME_PATH = "/api/v1/reports/ontime"
CHECKINS_PATH = "/api/v1/reports/checkins"
TEAM_LOAD_PATH = "/api/v1/team/load"
Group = Literal["officer", "field", "month"]


class Transport(Protocol):
    def get(self, path: str, **kwargs: Any) -> requests.Response: ...


class MalformedReport(ClientError):
    """The server's answer does not have the documented shape."""


@dataclass(frozen=True)
class OnTimeRow:
    key: str
    label: str
    on_time: int
    late: int
    total: int
    rate: float | None  # 0..1, None when nothing was judged
    apologised: int = 0


@dataclass(frozen=True)
class OnTimeReport:
    department_id: str
    group: str
    start: date
    end: date
    time_zone: str
    generated_at: str | None
    rows: tuple[OnTimeRow, ...]
    total: OnTimeRow


@dataclass(frozen=True)
class CheckinRow:
    user_id: int
    full_name: str
    windows: int
    done: int
    missed: int
    suspended: int
    rate: float | None
    outside: int = 0  # check-ins that fell in no window
    counted_from: str | None = None  # YYYY-MM-DD: the person's duty start, as counted
    # done windows whose check-in was made offline (it counts at the client's own time), and
    # how long after that time it reached the server: a long delay may be a backdated check-in
    offline: int = 0
    offline_max_delay_seconds: int | None = None
    offline_median_delay_seconds: int | None = None


@dataclass(frozen=True)
class CheckinReport:
    department_id: str
    start: date
    end: date
    time_zone: str
    generated_at: str | None
    rows: tuple[CheckinRow, ...]


@dataclass(frozen=True)
class OfficerLoad:
    user_id: int
    full_name: str
    title: str
    open: int
    due_today: int
    due_3_days: int
    overdue: int
    on_leave_now: bool
    checked_in_recently: bool
    last_checkin_at: str | None


@dataclass(frozen=True)
class TeamLoad:
    department_id: str
    generated_at: str | None
    unassigned: int
    officers: tuple[OfficerLoad, ...]
    thresholds: dict[str, str]


def _params(start: date | None, end: date | None, department_id: str | None) -> dict[str, str]:
    params: dict[str, str] = {}
    if start is not None:
        params["from"] = start.isoformat()
    if end is not None:
        params["to"] = end.isoformat()
    if department_id is not None:
        params["department_id"] = department_id
    return params


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        raise MalformedReport("the report is not JSON") from exc
    if not isinstance(body, dict):
        raise MalformedReport("the report is not a JSON object")
    return body


def _rate_row(r: dict[str, Any]) -> OnTimeRow:
    rate = r.get("rate")
    return OnTimeRow(
        key=str(r["key"]), label=str(r.get("label") or ""), on_time=int(r["on_time"]),
        late=int(r["late"]), total=int(r["total"]), rate=None if rate is None else float(rate),
        apologised=int(r.get("apologised") or 0),
    )


def _seconds(value: Any) -> int | None:
    return None if value is None else int(value)


def fetch_ontime(
    transport: Transport, group: Group = "officer", start: date | None = None,
    end: date | None = None, *, department_id: str | None = None,
) -> OnTimeReport:
    """On-time rates grouped by officer, field or month (server defaults for missing dates)."""
    body = _json(transport.get(ONTIME_PATH, params={"group": group, **_params(start, end, department_id)}))
    try:
        return OnTimeReport(
            department_id=str(body["department_id"]), group=str(body["group"]),
            start=date.fromisoformat(body["from"]), end=date.fromisoformat(body["to"]),
            time_zone=str(body["time_zone"]), generated_at=body.get("generated_at"),
            rows=tuple(_rate_row(r) for r in body["rows"]), total=_rate_row(body["total"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedReport(f"unexpected on-time report: {exc}") from exc


def fetch_checkins(
    transport: Transport, start: date | None = None, end: date | None = None, *,
    department_id: str | None = None,
) -> CheckinReport:
    """Check-in compliance per officer over the closed windows of the range."""
    body = _json(transport.get(CHECKINS_PATH, params=_params(start, end, department_id)))
    try:
        return CheckinReport(
            department_id=str(body["department_id"]),
            start=date.fromisoformat(body["from"]), end=date.fromisoformat(body["to"]),
            time_zone=str(body["time_zone"]), generated_at=body.get("generated_at"),
            rows=tuple(
                CheckinRow(
                    user_id=int(r["user_id"]), full_name=str(r["full_name"]),
                    windows=int(r["windows"]), done=int(r["done"]), missed=int(r["missed"]),
                    suspended=int(r["suspended"]),
                    rate=None if r.get("rate") is None else float(r["rate"]),
                    outside=int(r.get("outside") or 0),
                    counted_from=str(r["counted_from"]) if r.get("counted_from") else None,
                    offline=int(r.get("offline") or 0),
                    offline_max_delay_seconds=_seconds(r.get("offline_max_delay_seconds")),
                    offline_median_delay_seconds=_seconds(r.get("offline_median_delay_seconds")),
                )
                for r in body["rows"]
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedReport(f"unexpected check-in report: {exc}") from exc


def fetch_team_load(transport: Transport, *, department_id: str | None = None) -> TeamLoad:
    """Each officer's open / due-soon / overdue counts, leave and recent check-in."""
    body = _json(transport.get(TEAM_LOAD_PATH, params=_params(None, None, department_id)))
    try:
        return TeamLoad(
            department_id=str(body["department_id"]), generated_at=body.get("generated_at"),
            unassigned=int(body["unassigned"]),
            thresholds={str(k): str(v) for k, v in dict(body.get("thresholds") or {}).items()},
            officers=tuple(
                OfficerLoad(
                    user_id=int(o["user_id"]), full_name=str(o["full_name"]),
                    title=str(o.get("title") or ""), open=int(o["open"]),
                    due_today=int(o["due_today"]), due_3_days=int(o["due_3_days"]),
                    overdue=int(o["overdue"]), on_leave_now=bool(o["on_leave_now"]),
                    checked_in_recently=bool(o["checked_in_recently"]),
                    last_checkin_at=o.get("last_checkin_at"),
                )
                for o in body["officers"]
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedReport(f"unexpected team load: {exc}") from exc
