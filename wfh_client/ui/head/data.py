"""What the head's screens read, as plain functions to run on a worker thread (no Qt).

The counts, queues and loads come from :mod:`wfh_client.store.board` (the head's cache, works
offline) and the team's live load and reports from :mod:`wfh_client.sync.reports` (network).
This module adds the few reads the screens need around them:

- :func:`bucket_rows` - the dossiers behind one board count (``store.board.DossierRow`` s);
- :func:`officer_choices` - who the assignment dialog offers: the server's ``/team/load``
  when it answers, else the cache's per-officer load (leave and check-ins unknown);
- :func:`transport_of` - the engine's session as the ``get()`` transport the fetchers take.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests
from sqlite_utils import Database

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.store import board as store_board
from wfh_client.store.board import DossierRow
from wfh_client.sync.reports import TeamLoad, fetch_team_load

__all__ = ["DossierRow", "OfficerChoice", "Officers", "bucket_rows", "officer_choices",
           "transport_of"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OfficerChoice:
    """An officer the head can assign to, with their load (None = unknown, offline)."""

    user_id: int
    full_name: str
    title: str
    open: int
    due_3_days: int
    overdue: int
    on_leave_now: bool | None
    checked_in_recently: bool | None
    last_checkin_at: str | None


@dataclass(frozen=True)
class Officers:
    choices: tuple[OfficerChoice, ...]
    live: bool  # True: the server's /team/load; False: the local cache
    generated_at: str | None = None


class _Get:
    """``get(path, **kw)`` over any transport that has ``request(method, path, **kw)``."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        response: requests.Response = self.session.request("GET", path, **kwargs)
        return response


def transport_of(engine: Any) -> _Get:
    return _Get(engine.session)


def bucket_rows(db: Database, calendar: WorkingCalendar, now: datetime,
                bucket: str) -> list[DossierRow]:
    """The dossiers behind a board count (``store.board`` bucket or ``status:N``), due first."""
    return store_board.dossier_rows(db, calendar, now,
                                    store_board.bucket_ids(db, calendar, now, bucket))


def from_team_load(load: TeamLoad) -> Officers:
    return Officers(tuple(
        OfficerChoice(o.user_id, o.full_name, o.title, o.open, o.due_3_days, o.overdue,
                      o.on_leave_now, o.checked_in_recently, o.last_checkin_at)
        for o in load.officers), live=True, generated_at=load.generated_at)


def cached_officers(db: Database, calendar: WorkingCalendar, now: datetime) -> Officers:
    """The officers the cache knows (assignees of cached dossiers) with their load."""
    loads = {o.user_id: o for o in store_board.officer_load(db, calendar, now)}
    names = dict(store_board.assignees(db))
    choices = []
    for user_id in sorted(set(names) | set(loads),
                          key=lambda u: (names.get(u) or loads[u].full_name, u)):
        load = loads.get(user_id)
        choices.append(OfficerChoice(
            user_id, names.get(user_id) or (load.full_name if load else str(user_id)), "",
            load.open if load else 0, load.due_3_days if load else 0,
            load.overdue if load else 0, None, None, None))
    return Officers(tuple(choices), live=False)


def officer_choices(engine: Any, db_reader: Any, calendar: WorkingCalendar,
                    now: datetime) -> Officers:
    """The server's live team load, or (no engine, offline, any error) the cache's."""
    if engine is not None and getattr(engine, "session", None) is not None:
        try:
            return from_team_load(fetch_team_load(transport_of(engine)))
        except Exception as exc:  # noqa: BLE001 - offline or refused: fall back to the cache
            log.info("team load unavailable (%s); using the cache", exc)
    return cached_officers(db_reader(), calendar, now)


def queue(db: Database, calendar: WorkingCalendar, now: datetime
          ) -> list[store_board.QueueItem]:
    return store_board.unassigned_queue(db, calendar, now)


def approvals(db: Database, calendar: WorkingCalendar, now: datetime
              ) -> list[store_board.ApprovalItem]:
    return store_board.approval_queue(db, calendar, now)
