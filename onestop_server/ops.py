"""Operations endpoints (not under /api/v1; keep them off the public reverse proxy).

- ``GET /healthz``: liveness. 200 ``{status: "ok", worker, pid}`` while the process runs its
  event loop; nothing else is checked (a failing database must not make an orchestrator kill
  every worker).
- ``GET /readyz``: readiness. 200 when the database answers and its schema is at the newest
  migration and the worker is not shutting down; else 503 with the reason
  (``database_unreachable``, ``migrations_pending``, ``draining``).
- ``GET /metrics``: Prometheus text format (``metrics.py``).
"""

from __future__ import annotations

import logging
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from onestop_server import metrics, migrate

router = APIRouter(tags=["operations"], include_in_schema=False)
log = logging.getLogger(__name__)


@router.get("/healthz")
async def healthz(request: Request) -> dict[str, Any]:
    worker = request.app.state.worker
    return {"status": "ok", "worker": worker.id, "pid": worker.pid}


def _readiness(request: Request) -> tuple[int, dict[str, Any]]:
    engine = request.app.state.engine
    if request.app.state.events.draining:
        return 503, {"status": "draining"}
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        state = migrate.status(engine)
    except SQLAlchemyError as e:
        log.warning("readiness: database unreachable (%s)", type(e).__name__)
        return 503, {"status": "database_unreachable"}
    if not state.ok:
        return 503, {"status": "migrations_pending", "current": state.current, "head": state.head}
    return 200, {"status": "ready", "schema": state.current}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    status, body = await anyio.to_thread.run_sync(_readiness, request)
    return JSONResponse(status_code=status, content=body)


@router.get("/metrics")
async def metrics_endpoint(request: Request) -> Response:
    body, content_type = await anyio.to_thread.run_sync(metrics.render, request.app.state.engine)
    return Response(content=body, media_type=content_type)
