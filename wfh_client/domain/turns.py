"""Whose turn it is on a dossier: the officer, the head, or the applicant (pure).

The officer's "to do" list and the list's step column ("waiting for the head's approval") come
from here, so both read the workflow the same way:

* the **head**: an accepted dossier nobody holds yet (assign it), or one the officer submitted
  for approval (approve or return it);
* the **officer** it is assigned to: assigned, in review or returned for rework;
* the **applicant**: the dossier waits for their missing documents (5) or their fees (6);
* nobody in the department otherwise (submitted at the desk, result ready, closed).

:data:`TURNS` is the same rule as data, for stores that filter in SQL.
"""

from __future__ import annotations

from enum import StrEnum

from wfh_client.domain.statuses import Status, Step

__all__ = ["TURNS", "Party", "whose_turn"]


class Party(StrEnum):
    OFFICER = "officer"
    HEAD = "head"
    APPLICANT = "applicant"


#: (statuses, steps or None for any step, whose turn) - the first rule that matches applies
TURNS: tuple[tuple[frozenset[Status], frozenset[Step | None] | None, Party], ...] = (
    (frozenset({Status.ACCEPTED}), None, Party.HEAD),
    (frozenset({Status.PROCESSING}), frozenset({None, Step.UNASSIGNED}), Party.HEAD),
    (frozenset({Status.PROCESSING}), frozenset({Step.SUBMITTED_FOR_APPROVAL}), Party.HEAD),
    (frozenset({Status.PROCESSING}),
     frozenset({Step.ASSIGNED, Step.IN_REVIEW, Step.RETURNED_FOR_REWORK}), Party.OFFICER),
    (frozenset({Status.AWAITING_SUPPLEMENT, Status.AWAITING_FEES}), None, Party.APPLICANT),
)


def whose_turn(status: int | None, step: str | None) -> Party | None:
    """Who has to act next on a dossier in ``status`` / ``step`` (see the module docstring)."""
    try:
        current = Step(step) if step else None
    except ValueError:
        return None
    for statuses, steps, party in TURNS:
        if status in statuses and (steps is None or current in steps):
            return party
    return None
