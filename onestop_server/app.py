"""The FastAPI factory of the reference server: routers, settings, limits and error answers.

Every non-2xx answer is ``{code, message, details}`` (``errors.ApiError``). Bad input never
reaches a 500: validation errors become ``request.invalid`` (JSON-safe details), bodies that are
not JSON objects ``request.malformed``, oversized bodies ``request.too_large`` (checked from
``Content-Length`` and while reading); JSON bodies with duplicate keys, lone surrogates or
forbidden characters get their own 4xx codes (``request_hygiene``). ``openapi_json()`` renders
the committed ``docs/openapi.json``.

Each app is one worker: it has a ``WorkerInfo`` (id), an events hub, an escalation scheduler
and a maintenance loop (presence flush, heartbeat, retention), all sharing state with other
workers through the database only. ``create_app_from_config`` / ``worker_app`` build it from
``config.ServerConfig`` for ``onestop-server serve`` (one or several worker processes).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio.to_thread
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
    idempotency,
    logs,
    migrate,
    oncall_checkins,
    oncall_policy,
    oncall_recalls,
    oncall_team,
    openapi_doc,
    ops,
    reports,
    retention,
    sync_api,
    team_load,
)
from onestop_server import auth as auth_api
from onestop_server import client_versions as client_versions_api
from onestop_server import documents as documents_api
from onestop_server import reads as reads_api
from onestop_server.auth_cache import AuthCache
from onestop_server.client_versions import ClientVersions, MinimumVersionMiddleware
from onestop_server.clock import Clock, OffsetFileClock
from onestop_server.compression import CompressJsonMiddleware
from onestop_server.config import Options, ServerConfig
from onestop_server.deps import Settings
from onestop_server.errors import ApiError
from onestop_server.login_guard import LoginGuard, LoginPolicy
from onestop_server.metrics import RequestMetrics
from onestop_server.oncall_escalation import (
    EscalationScheduler,
    LoggingChannel,
    OutsideChannel,
    channel_from_setting,
)
from onestop_server.presence import PresenceBoard
from onestop_server.request_hygiene import check_json_body
from onestop_server.workers import WorkerInfo, retire

log = logging.getLogger(__name__)

TITLE = "One-stop-shop reference API"
API_VERSION = "1"
_UPLOAD_PATH = re.compile(r"^/api/v1/dossiers/[^/]+/documents/?$")
RESOLVED_CONFIG_ENV = "ONESTOP_RESOLVED_CONFIG"
_MALFORMED_TYPES = {"json_invalid", "model_attributes_type", "dict_type", "model_type", "missing"}


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse(
        status_code=status, content={"code": code, "message": message, "details": details or {}}
    )


class BodyLimitMiddleware:
    """Buffers request bodies up to ``limit`` bytes; larger ones get 413 ``request.too_large``.
    A buffered JSON body then passes :func:`~onestop_server.request_hygiene.check_json_body`.

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

        def too_large(scope: Scope, receive: Receive, send: Send) -> Any:
            # built only when needed: rendering it for every request cost ~8 % of a long-poll
            return error_response(
                413, "request.too_large", f"The request body is over {self.limit} bytes."
            )(scope, receive, send)

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
        content_type = next(
            (v.decode("latin-1") for n, v in scope.get("headers", []) if n == b"content-type"), None
        )
        rejected = check_json_body(b"".join(chunks), content_type)
        if rejected is not None:
            answer = error_response(rejected.status, rejected.code, rejected.message, rejected.details)
            await answer(scope, receive, send)
            return
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
    return JSONResponse(status_code=exc.status, content=exc.body(), headers=exc.headers or None)


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


class _Maintenance:
    """The worker's periodic work: presence flush and heartbeat every
    ``presence_flush_seconds``, the retention job when it is this worker's turn."""

    def __init__(
        self, engine: Any, clock: Clock, board: PresenceBoard, worker: WorkerInfo, options: Options
    ) -> None:
        self.engine, self.clock, self.board, self.worker, self.options = (
            engine, clock, board, worker, options,
        )
        self._task: asyncio.Task[None] | None = None
        self._next_retention = 0.0

    async def start(self) -> None:
        await anyio.to_thread.run_sync(self.board.flush)  # register this worker at once
        self._task = asyncio.create_task(self._run(), name="maintenance")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        with contextlib.suppress(Exception):
            await anyio.to_thread.run_sync(retire, self.engine, self.worker)

    def _once(self) -> None:
        self.board.flush()
        if time.monotonic() >= self._next_retention:
            every = self.options.retention.interval_minutes * 60
            self._next_retention = time.monotonic() + min(60.0, max(every, 0.5))
            retention.run_if_due(self.engine, self.worker.id, self.clock.now(), self.options.retention)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.options.presence_flush_seconds)
            try:
                await anyio.to_thread.run_sync(self._once)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - keep going; the next round retries
                log.exception("maintenance round failed")


def _drain_on_signals(hub: events.EventHub) -> None:
    """Chain SIGTERM/SIGINT so that waiting long-polls end at once when a shutdown starts.

    uvicorn handles the signal by stopping to accept and then waiting for open requests; a
    long-poll would hold it up to 30 s. Only possible in the main thread (a real server
    process, not the tests' server thread).
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(sig)

        def handler(signum: int, frame: Any, previous: Any = previous) -> None:
            hub.request_drain()
            if callable(previous):
                previous(signum, frame)

        signal.signal(sig, handler)


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
    login_policy: LoginPolicy | None = None,
    idempotency_ttl: timedelta = idempotency.DEFAULT_TTL,
    gzip_level: int = 6,
    options: Options | None = None,
    client_versions: ClientVersions | None = None,
) -> FastAPI:
    """The app; ``outside_channel`` is the recall escalation gateway (default: log only);
    ``login_policy`` the password-guessing defences (``login_guard.LoginPolicy``);
    ``idempotency_ttl`` how long stored answers replay (then ``idempotency.expired``; the
    retention job turns older ones into that tombstone); ``gzip_level`` 1-9 for JSON answers
    to clients that accept gzip (``compression``); ``options`` the multi-worker timings and
    retention (``config.Options``); ``client_versions`` the minimum and recommended client
    versions (``client_versions``)."""
    opts = options or Options()
    engine = db.make_engine(database_url)
    if opts.auto_migrate:
        migrate.upgrade(engine)
    the_clock = clock or Clock()
    worker = WorkerInfo.new()
    board = PresenceBoard(engine, the_clock, worker, timedelta(seconds=opts.worker_stale_seconds))
    hub = events.EventHub(engine, the_clock, board, opts.events_fallback_seconds)
    # On PostgreSQL other workers' revocations arrive by NOTIFY: no cache while not listening.
    auth_cache = AuthCache(usable=(lambda: hub.listening) if db.is_postgres(engine) else None)
    hub.on_auth_change = auth_cache.invalidate
    db.on_auth_change(engine, auth_cache.invalidate)
    escalation = EscalationScheduler(
        engine, the_clock, outside_channel or LoggingChannel(), poke=hub.poke,
        worker_id=worker.id, lease=timedelta(seconds=opts.escalation_lease_seconds),
    )
    maintenance = _Maintenance(engine, the_clock, board, worker, opts)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await hub.start()
        await escalation.start()
        await maintenance.start()
        _drain_on_signals(hub)
        try:
            yield
        finally:
            await maintenance.stop()
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
    app.state.auth_cache = auth_cache
    app.state.escalation = escalation
    app.state.worker = worker
    app.state.options = opts
    app.state.blob_dir = Path(blob_dir)
    app.state.login_guard = LoginGuard(login_policy)
    app.state.settings = Settings(
        blob_dir=Path(blob_dir),
        access_ttl=access_ttl,
        refresh_ttl=refresh_ttl,
        refresh_reuse_grace=refresh_reuse_grace,
        max_document_bytes=max_document_bytes,
        max_json_bytes=max_json_bytes,
        idempotency_ttl=idempotency_ttl,
    )
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
    # Innermost: the renewed events long-poll, answered without FastAPI's routing when plain.
    app.add_middleware(events.FeedFastPath)
    app.add_middleware(BodyLimitMiddleware, limit=max_json_bytes)
    app.state.client_versions = client_versions or ClientVersions()
    app.add_middleware(MinimumVersionMiddleware)
    app.add_middleware(RequestMetrics, on_done=logs.access)
    # Added last, so it is the outermost: it also compresses the error answers built above.
    app.add_middleware(CompressJsonMiddleware, level=gzip_level)
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
        ops.router,
        client_versions_api.router,
    ):
        app.include_router(router)
    openapi_doc.install(app)
    return app


def create_app_from_config(config: ServerConfig) -> FastAPI:
    """The app as ``onestop-server serve`` runs it (each worker builds its own)."""
    clock: Clock | None = OffsetFileClock(config.clock_offset_file) if config.clock_offset_file else None
    return create_app(
        database_url=config.database_url,
        blob_dir=config.blobs(),
        clock=clock,
        access_ttl=config.access_ttl(),
        refresh_ttl=config.refresh_ttl(),
        max_document_bytes=int(config.max_document_mib * 1024 * 1024),
        outside_channel=channel_from_setting(config.outside_channel),
        options=config.options(),
        client_versions=ClientVersions(minimum=config.min_client_version or None,
                                       recommended=config.recommended_client_version or None),
    )


def worker_app() -> FastAPI:
    """uvicorn's factory in each worker process (``serve`` passes the resolved settings in
    ``ONESTOP_RESOLVED_CONFIG``)."""
    config = ServerConfig.from_json(os.environ[RESOLVED_CONFIG_ENV])
    logs.configure(config.log_level, config.log_format)
    return create_app_from_config(config)


def openapi_json() -> str:
    """The OpenAPI document as committed in ``docs/openapi.json``."""
    app = create_app(database_url="sqlite://", blob_dir=Path(tempfile.gettempdir()) / "unused")
    try:
        return json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    finally:
        app.state.engine.dispose()
