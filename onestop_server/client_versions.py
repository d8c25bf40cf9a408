"""Client versions the server asks for (issue 11.6, the ``notify`` update mode).

- ``GET /api/v1/client/versions[?current=X.Y.Z]`` (no sign-in needed) -> ``{minimum,
  recommended}`` (with ``current``: also ``below_minimum``, ``below_recommended``): the app in
  ``notify`` mode shows a banner when it is older than ``recommended``; IT still deploys the
  update (the app never downloads or runs installers).
- A sign-in or token refresh from a client that says (``X-WFH-Client-Version``) it is older
  than ``minimum`` -> 426 ``client.outdated`` with ``details = {minimum, recommended,
  current}``, so the user is told clearly at login. Requests without the header (scripts,
  other tools) are not judged.

``create_app(client_versions=ClientVersions(minimum="0.2", recommended="0.3"))``, or
``onestop-server serve --min-client-version 0.2 --recommended-client-version 0.3``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from wfh_client.domain.versions import is_older, version_key

HEADER = "X-WFH-Client-Version"
GUARDED = frozenset({"/api/v1/auth/login", "/api/v1/auth/refresh"})

router = APIRouter(tags=["client"])


@dataclass(frozen=True)
class ClientVersions:
    minimum: str | None = None
    recommended: str | None = None

    def __post_init__(self) -> None:
        for value in (self.minimum, self.recommended):
            if value is not None:
                version_key(value)  # a typo in the server's configuration fails at start


class ClientVersionsOut(BaseModel):
    minimum: str | None
    recommended: str | None
    # only with ?current=: whether that version is below each
    below_minimum: bool | None = None
    below_recommended: bool | None = None


@router.get("/api/v1/client/versions", response_model=ClientVersionsOut)
def get_client_versions(
    request: Request,
    current: Annotated[str | None, Query(max_length=32, pattern=r"^\d{1,6}(\.\d{1,6}){0,3}$")] = None,
) -> ClientVersionsOut:
    versions: ClientVersions = request.app.state.client_versions
    out = ClientVersionsOut(minimum=versions.minimum, recommended=versions.recommended)
    if current is not None:
        out.below_minimum = is_older(current, versions.minimum)
        out.below_recommended = is_older(current, versions.recommended)
    return out


class MinimumVersionMiddleware:
    """Answers 426 to a sign-in or refresh from a client below the minimum version.

    Plain ASGI on purpose: Starlette's ``BaseHTTPMiddleware`` re-streams every answer in pieces
    (``more_body``), which stops ``CompressJsonMiddleware`` from compressing anything behind it
    and adds a task per request on the loop that also serves the long-polls."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path") in GUARDED:
            versions: ClientVersions = scope["app"].state.client_versions
            current = Headers(scope=scope).get(HEADER)
            if current and versions.minimum:
                try:
                    outdated = is_older(current, versions.minimum)
                except ValueError:
                    outdated = True  # an unreadable version cannot be shown to be new enough
                if outdated:
                    answer = JSONResponse(status_code=426, content={
                        "code": "client.outdated",
                        "message": f"this app version ({current}) is older than the minimum "
                                   f"the server accepts ({versions.minimum}); ask IT to update "
                                   "it",
                        "details": {"minimum": versions.minimum,
                                    "recommended": versions.recommended, "current": current}})
                    await answer(scope, receive, send)
                    return
        await self.app(scope, receive, send)
