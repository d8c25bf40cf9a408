"""Optimistic local application of user actions to a cached dossier document.

The same code serves two moments: recording an action offline (the list shows "waiting to
sync" with the expected result at once) and rebasing the unsent actions of a dossier onto a
newer server copy (a pull never overwrites local edits; it replays them on top). The rules come
from ``wfh_client.domain``, so what the client shows is what the server will decide.
Neighbours: ``operations`` (records actions), ``engine`` (push/pull).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wfh_client.domain import (
    ActionError,
    ActionType,
    Actor,
    WorkingCalendar,
    apply_action,
    state_from_document,
    state_to_document,
)
from wfh_client.domain.timefmt import parse_instant, to_iso_utc
from wfh_client.store.outbox import OutboxEntry

__all__ = ["LocalProfile", "apply_locally", "replay"]

#: Outbox states whose effect is not yet in the server copy.
UNSENT_STATES = ("pending", "sending")


@dataclass(frozen=True)
class LocalProfile:
    """Who the user is and which calendar their department counts deadlines in."""

    actor: Actor
    full_name: str
    calendar: WorkingCalendar


def apply_locally(
    doc: Mapping[str, Any],
    action: str,
    payload: Mapping[str, Any],
    profile: LocalProfile,
    *,
    now: datetime,
    client_id: str,
) -> dict[str, Any]:
    """The document as it will be once ``action`` is applied; raises ``ActionError`` if the
    domain refuses it (the dialog shows the reason)."""
    state = state_from_document(doc)
    outcome = apply_action(action, payload, state, profile.actor, profile.calendar, now)
    new = copy.deepcopy(dict(doc))
    new.update(state_to_document(outcome.state))
    if action == ActionType.NOTE:
        new.setdefault("notes", []).append({
            "id": None,
            "client_id": client_id,
            "author_id": profile.actor.user_id,
            "author_name": profile.full_name,
            "text": outcome.payload["text"],
            "created_at": to_iso_utc(now),
        })
    if action == ActionType.ASSIGN:
        new["assignee_name"] = None  # the server fills it in
    if outcome.history is not None:
        row = outcome.history.to_dict()
        row.update({
            "id": None,
            "client_id": client_id,
            "actor_id": profile.actor.user_id,
            "actor_name": profile.full_name,
            "timeliness": None,
        })
        new.setdefault("history", []).append(row)
    return new


def _entry_time(entry: OutboxEntry) -> datetime:
    try:
        return parse_instant(entry.created_at)
    except ValueError:
        return datetime.now(UTC)


def replay(
    base: Mapping[str, Any], unsent: Iterable[OutboxEntry], profile: LocalProfile
) -> tuple[dict[str, Any], list[tuple[OutboxEntry, ActionError]]]:
    """Re-apply ``unsent`` actions (in order) on the server copy ``base``.

    Returns the optimistic document and the actions that no longer apply on this base; those
    are left out of the document and decided by the server when they are pushed.
    """
    doc: dict[str, Any] = copy.deepcopy(dict(base))
    failed: list[tuple[OutboxEntry, ActionError]] = []
    for entry in unsent:
        try:
            doc = apply_locally(doc, entry.action, entry.payload, profile,
                                now=_entry_time(entry), client_id=entry.client_id)
        except ActionError as err:
            failed.append((entry, err))
        except ValueError as err:  # a malformed document: show the server copy as it is
            failed.append((entry, ActionError("bad_document", str(err))))
    return doc, failed
