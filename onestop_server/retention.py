"""Retention: what the server deletes, and the scheduled job that does it.

``purge(engine, now, settings)`` (each step its own short transaction; ``0`` days keeps forever):
- delivered events older than ``events_days``: an event to a user once every active device of
  that user polled past it (``feed_positions``); an event to a department once every active
  device of its active members did. Any event older than ``events_max_days``. The highest id
  deleted is remembered (``events.PURGED_UPTO``), so the feed's head and the clients' positions
  stay valid;
- stored idempotency answers older than ``idempotency_days``;
- token families whose every refresh token expired or was revoked more than ``tokens_days``
  ago (their access tokens with them), and access tokens expired that long ago;
- the change log up to the newest change older than ``changes_days``
  (``sync_api.compact_changes``): a client whose cursor is older pulls again from scratch
  (``sync.resync_required``).

``run_if_due`` is called by every worker's maintenance loop; the ``jobs`` lease
(``workers.try_lease``) lets one worker a time run it, every ``interval_minutes``.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Engine

from onestop_server import db, events, idempotency, sync_api, workers
from onestop_server.config import Retention

log = logging.getLogger(__name__)
JOB = "retention"


def _cutoff(now: datetime, days: float) -> datetime | None:
    return None if days <= 0 else now - timedelta(days=days)


def _purge_events(engine: Engine, now: datetime, settings: Retention) -> int:
    e, fp, dev, u = db.events, db.feed_positions, db.devices, db.users
    conditions: list[Any] = []
    delivered_cut = _cutoff(now, settings.events_days)
    if delivered_cut is not None:
        user_min = (
            select(func.min(fp.c.last_event_id))
            .select_from(fp.join(dev, dev.c.id == fp.c.device_pk))
            .where(and_(fp.c.user_id == e.c.audience_user_id, dev.c.revoked_at.is_(None)))
            .scalar_subquery()
        )
        department_min = (
            select(func.min(fp.c.last_event_id))
            .select_from(fp.join(dev, dev.c.id == fp.c.device_pk).join(u, u.c.id == fp.c.user_id))
            .where(and_(
                u.c.department_id == e.c.audience_department_id, dev.c.revoked_at.is_(None),
                u.c.disabled_at.is_(None),
            ))
            .scalar_subquery()
        )
        conditions.append(and_(e.c.at < delivered_cut, or_(
            and_(e.c.audience_user_id.is_not(None), e.c.id <= user_min),
            and_(e.c.audience_user_id.is_(None), e.c.id <= department_min),
        )))
    max_cut = _cutoff(now, settings.events_max_days)
    if max_cut is not None:
        conditions.append(e.c.at < max_cut)
    if not conditions:
        return 0
    with db.write_transaction(engine) as conn:
        doomed = select(e.c.id).where(or_(*conditions))
        highest = conn.execute(select(func.max(doomed.subquery().c.id))).scalar_one_or_none()
        if highest is None:
            return 0
        deleted = conn.execute(delete(e).where(e.c.id.in_(doomed))).rowcount or 0
        meta = db.server_meta
        known = conn.execute(
            select(meta.c.value).where(meta.c.key == events.PURGED_UPTO)
        ).scalar_one_or_none()
        if known is None:
            conn.execute(insert(meta).values(key=events.PURGED_UPTO, value=str(highest)))
        elif int(known) < int(highest):
            conn.execute(update(meta).where(meta.c.key == events.PURGED_UPTO).values(value=str(highest)))
        return int(deleted)


def _purge_idempotency(engine: Engine, now: datetime, settings: Retention) -> int:
    """Stored answers older than ``idempotency_days`` become the ``idempotency.expired``
    tombstone (a late replay must never repeat the effect, so the key is not forgotten);
    tombstones go after ``idempotency_tombstone_days``."""
    if settings.idempotency_days <= 0:
        return 0
    expired = idempotency.purge_expired(engine, now, timedelta(days=settings.idempotency_days))
    cut = _cutoff(now, settings.idempotency_tombstone_days)
    if cut is None:
        return expired
    with db.write_transaction(engine) as conn:
        i = db.idempotency
        return expired + int(conn.execute(delete(i).where(
            i.c.created_at < cut, i.c.status_code == idempotency.EXPIRED_STATUS)).rowcount or 0)


def _purge_tokens(engine: Engine, now: datetime, settings: Retention) -> int:
    cut = _cutoff(now, settings.tokens_days)
    if cut is None:
        return 0
    rt, at = db.refresh_tokens, db.access_tokens
    ended = func.max(func.coalesce(rt.c.revoked_at, rt.c.expires_at))
    with db.write_transaction(engine) as conn:
        families = list(conn.execute(
            select(rt.c.family_id).group_by(rt.c.family_id).having(ended < cut)
        ).scalars())
        deleted = 0
        for start in range(0, len(families), 500):
            chunk = families[start:start + 500]
            conn.execute(delete(at).where(at.c.family_id.in_(chunk)))
            deleted += int(conn.execute(delete(rt).where(rt.c.family_id.in_(chunk))).rowcount or 0)
        conn.execute(delete(at).where(func.coalesce(at.c.revoked_at, at.c.expires_at) < cut))
        return deleted


def _compact_changes(engine: Engine, now: datetime, settings: Retention) -> int:
    cut = _cutoff(now, settings.changes_days)
    if cut is None:
        return 0
    c = db.changes
    with db.write_transaction(engine) as conn:
        horizon = conn.execute(select(func.max(c.c.seq)).where(c.c.at < cut)).scalar_one_or_none()
        if horizon is None:
            return 0
        return sync_api.compact_changes(conn, int(horizon))


def purge(engine: Engine, now: datetime, settings: Retention) -> dict[str, int]:
    """Run every step; returns rows deleted per step."""
    return {
        "events": _purge_events(engine, now, settings),
        "idempotency": _purge_idempotency(engine, now, settings),
        "token_families": _purge_tokens(engine, now, settings),
        "changes": _compact_changes(engine, now, settings),
    }


def run_if_due(engine: Engine, worker_id: str, now: datetime, settings: Retention) -> dict[str, int] | None:
    """Purge if it is this worker's turn (lease); None when not due or another worker has it."""
    every = timedelta(minutes=settings.interval_minutes)
    hold = max(every, timedelta(minutes=10))
    if not workers.try_lease(engine, JOB, worker_id, now, every, hold):
        return None
    result: dict[str, int] = {}
    try:
        result = purge(engine, now, settings)
        log.info("retention purge done", extra={f"deleted_{k}": v for k, v in result.items()})
    finally:
        workers.finish_lease(engine, JOB, worker_id, now, json.dumps(result))
    return result
