"""The server's minimum and recommended client versions, and what to tell the user.

``fetch_versions(http)`` reads ``GET /api/v1/client/versions``; :func:`update_notice` decides:
nothing when this build is recent enough, else an :class:`UpdateNotice` (shown as a banner in
``notify`` update mode with the IT contact from the policy). The app never downloads or runs
an installer itself: IT deploys updates (``update_mode`` ``managed``, the default).
A sign-in below the minimum is refused by the server with 426 ``client.outdated``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wfh_client.domain.versions import is_older

if TYPE_CHECKING:  # annotation only: the desktop app imports this module at start
    from wfh_client.sync.http import HttpClient

PATH = "/api/v1/client/versions"


@dataclass(frozen=True)
class UpdateNotice:
    current: str
    recommended: str | None
    minimum: str | None
    below_minimum: bool


def fetch_versions(http: HttpClient) -> dict[str, Any]:
    data = http.request("GET", PATH).json()
    return data if isinstance(data, dict) else {}


def update_notice(current: str, versions: dict[str, Any]) -> UpdateNotice | None:
    minimum, recommended = versions.get("minimum"), versions.get("recommended")
    try:
        below_minimum = is_older(current, minimum)
        below_recommended = is_older(current, recommended)
    except ValueError:
        return None  # a version we cannot read is not worth alarming the user about
    if not (below_minimum or below_recommended):
        return None
    return UpdateNotice(current, recommended, minimum, below_minimum)
