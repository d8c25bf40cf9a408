"""The FastAPI factory of the reference server: routers, settings, limits and error answers.

Every non-2xx answer is ``{code, message, details}`` (``errors.ApiError``). Bad input never
reaches a 500: validation errors become ``request.invalid`` (JSON-safe details), bodies that are
not JSON objects ``request.malformed``, oversized bodies ``request.too_large`` (checked from
``Content-Length`` and while reading). ``openapi_json()`` renders the committed
``docs/openapi.json``.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from onestop_server import actions as actions_api
from onestop_server import (
    admin,
    calendar_admin,
    db,
    events,
    oncall_checkins,
    oncall_policy,
    oncall_recalls,
    oncall_team,
    reports,
    sync_api,
    team_load,
)
from onestop_server import auth as auth_api
from onestop_server import client_versions as client_versions_api
from onestop_server import documents as documents_api
from onestop_server import reads as reads_api
from onestop_server.client_versions import ClientVersions, MinimumVersionMiddleware
from onestop_server.clock import Clock
from onestop_server.deps import Settings
from onestop_server.errors import ApiError
from onestop_server.oncall_escalation import EscalationScheduler, LoggingChannel, OutsideChannel

log = logging.getLogger(__name__)

TITLE = "One-stop-shop reference API"
API_VERSION = "1"
_UPLOAD_PATH = re.compile(r"^/api/v1/dossiers/[^/]+/documents/?$")
_MALFORMED_TYPES = {"json_invalid", "model_attributes_type", "dict_type", "model_type", "missing"}


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse(
        status_code=status, content={"code": code, "message": message, "details": details or {}}
    )


class BodyLimitMiddleware:
    """Buffers request bodies up to ``limit`` bytes; larger ones get 413 ``request.too_large``.

    Document uploads stream through untouched: their handler enforces its own, larger limit.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (
            scope["method"] == "POST" and _UPLOAD_PATH.match(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        too_large = error_response(
            413, "request.too_large", f"The request body is over {self.limit} bytes."
        )
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.limit:
                    await too_large(scope, receive, send)
                    return
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body = message.get("body", b"")
            total += len(body)
            if total > self.limit:
                await too_large(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _json_safe_errors(errors: Any) -> list[dict[str, Any]]:
    safe: list[dict[str, Any]] = []
    for err in errors:
        if not isinstance(err, dict):
            continue
        loc = [p if isinstance(p, int | str) else str(p) for p in err.get("loc", ())]
        safe.append({"loc": loc, "msg": str(err.get("msg", "")), "type": str(err.get("type", ""))})
    return safe


async def _on_api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(status_code=exc.status, content=exc.body())


async def _on_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _json_safe_errors(exc.errors())
    for err in errors:
        if err["type"] in _MALFORMED_TYPES and err["loc"][:1] == ["body"] and (
            err["type"] == "json_invalid" or len(err["loc"]) == 1
        ):
            return error_response(
                400, "request.malformed", "The request body is not a JSON object.", {"errors": errors}
            )
    return error_response(422, "request.invalid", "The request is invalid.", {"errors": errors})


async def _on_http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return error_response(404, "not_found", "Not found.")
    if exc.status_code == 405:
        return error_response(405, "method_not_allowed", "Method not allowed.")
    if exc.status_code == 400:
        return error_response(400, "request.malformed", "The request body could not be parsed.")
    return error_response(exc.status_code, f"http.{exc.status_code}", str(exc.detail))


async def _on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return error_response(500, "internal", "Internal server error.")


def create_app(
    *,
    database_url: str,
    blob_dir: Path,
    clock: Clock | None = None,
    access_ttl: timedelta = timedelta(minutes=15),
    refresh_ttl: timedelta = timedelta(days=30),
    refresh_reuse_grace: timedelta = timedelta(seconds=30),
    max_document_bytes: int = 20 * 1024 * 1024,
    max_json_bytes: int = 1024 * 1024,
    outside_channel: OutsideChannel | None = None,
    client_versions: ClientVersions | None = None,
) -> FastAPI:
    """The app; ``outside_channel`` is the recall escalation gateway (default: log only)."""
    engine = db.make_engine(database_url)
    db.create_all(engine)
    the_clock = clock or Clock()
    hub = events.EventHub(engine, the_clock)
    escalation = EscalationScheduler(
        engine, the_clock, outside_channel or LoggingChannel(), poke=hub.poke
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await hub.start()
        await escalation.start()
        try:
            yield
        finally:
            await escalation.stop()
            await hub.stop()
            engine.dispose()

    app = FastAPI(
        title=TITLE,
        version=API_VERSION,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.clock = the_clock
    app.state.events = hub
    app.state.escalation = escalation
    app.state.blob_dir = Path(blob_dir)
    app.state.settings = Settings(
        blob_dir=Path(blob_dir),
        access_ttl=access_ttl,
        refresh_ttl=refresh_ttl,
        refresh_reuse_grace=refresh_reuse_grace,
        max_document_bytes=max_document_bytes,
        max_json_bytes=max_json_bytes,
    )
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
    app.add_middleware(BodyLimitMiddleware, limit=max_json_bytes)
    app.state.client_versions = client_versions or ClientVersions()
    app.add_middleware(MinimumVersionMiddleware)
    for router in (
        auth_api.router,
        reads_api.router,
        actions_api.router,
        documents_api.router,
        admin.router,
        calendar_admin.router,
        sync_api.router,
        events.router,
        oncall_policy.router,
        oncall_checkins.router,
        oncall_recalls.router,
        oncall_team.router,
        reports.router,
        team_load.router,
        client_versions_api.router,
    ):
        app.include_router(router)
    return app


def openapi_json() -> str:
    """The OpenAPI document as committed in ``docs/openapi.json``."""
    app = create_app(database_url="sqlite://", blob_dir=Path(tempfile.gettempdir()) / "unused")
    try:
        return json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    finally:
        app.state.engine.dispose()
