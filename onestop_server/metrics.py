"""Prometheus metrics: ``GET /metrics`` (text format; keep it off the public proxy).

Requests (count and latency by method, route template and status), open long-polls, sync pages
served (snapshot / incremental), escalations done, and at scrape time from the database:
recalls by state (open / closed) and recipients of open recalls by their state. With several
workers on one host, ``PROMETHEUS_MULTIPROC_DIR`` (set by ``onestop-server serve``) makes every
worker's counters add up in one scrape.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from onestop_server import db

REQUESTS = Counter(
    "onestop_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "onestop_http_request_seconds", "Time to answer (long-polls included)", ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
OPEN_POLLS = Gauge(
    "onestop_events_open_polls", "Events long-polls open now", multiprocess_mode="livesum"
)
SYNC_PAGES = Counter("onestop_sync_pages_total", "Pull pages served", ["kind"])
ESCALATIONS = Counter("onestop_recall_escalations_total", "Recipients escalated")


class DatabaseCollector(Collector):
    """Recalls by state, read from the database at each scrape (the same from any worker)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        r, rr = db.recalls, db.recall_recipients
        recalls = GaugeMetricFamily("onestop_recalls", "Recalls by state", labels=["state"])
        recipients = GaugeMetricFamily(
            "onestop_recall_recipients_open", "Recipients of open recalls by state", labels=["state"]
        )
        with self.engine.connect() as conn:
            open_n = conn.execute(
                select(func.count()).select_from(r).where(r.c.closed_at.is_(None))
            ).scalar_one()
            closed_n = conn.execute(
                select(func.count()).select_from(r).where(r.c.closed_at.is_not(None))
            ).scalar_one()
            states: dict[str, int] = dict(conn.execute(
                select(rr.c.state, func.count())
                .select_from(rr.join(r, r.c.id == rr.c.recall_id))
                .where(r.c.closed_at.is_(None)).group_by(rr.c.state)
            ).all())
        recalls.add_metric(["open"], float(open_n))
        recalls.add_metric(["closed"], float(closed_n))
        for state in ("sent", "delivered", "seen", "acknowledged", "declined"):
            recipients.add_metric([state], float(states.get(state, 0)))
        yield recalls
        yield recipients


def render(engine: Engine) -> tuple[bytes, str]:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    registry = CollectorRegistry()
    registry.register(DatabaseCollector(engine))
    return body + generate_latest(registry), CONTENT_TYPE_LATEST


def route_of(scope: Scope) -> str:
    """The route template (``/api/v1/dossiers/{dossier_id}``), never the raw path: bounded
    label values, and no ids in metrics or logs."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


class RequestMetrics:
    """Counts and times every HTTP request; hands the result to ``on_done`` (the access log)."""

    def __init__(self, app: ASGIApp, on_done: Any = None) -> None:
        self.app = app
        self.on_done = on_done

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            elapsed = time.perf_counter() - started
            route = route_of(scope)
            method = str(scope["method"])
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(elapsed)
            if self.on_done is not None:
                self.on_done(method, route, status, elapsed)
