"""GET /api/v1/sync/changes: snapshot and incremental pull over the change log.

Owned by the sync/seed work; included by ``app.create_app``.
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
