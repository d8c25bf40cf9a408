"""What the detail window shows, read in one go off the GUI thread (no Qt).

:func:`load_view` gathers the dossier's local document (the optimistic copy), its document
rows with download state, its outbox entries and open conflicts from the cache's per-thread
reader; the window calls it through ``run_in_background`` and renders the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wfh_client.store import Cache
from wfh_client.store import dossiers as store_dossiers
from wfh_client.store import outbox as store_outbox
from wfh_client.store.document_rows import document_rows

__all__ = ["Departed", "DossierView", "load_view"]

UNSENT = ("pending", "sending")


@dataclass(frozen=True)
class DossierView:
    id: str
    data: dict[str, Any]
    local_state: str  # synced | pending | conflict | rejected
    documents: list[dict[str, Any]]
    uploads: list[store_outbox.OutboxEntry]  # result documents waiting to be sent
    unsent: list[store_outbox.OutboxEntry]  # actions waiting to be sent
    refused: list[store_outbox.OutboxEntry] = field(default_factory=list)  # invalid/rejected
    conflicts: int = 0

    @property
    def code(self) -> str:
        return str(self.data.get("code") or "")

    @property
    def sync_state(self) -> str:
        """What the header badge shows: conflict > rejected > pending > synced."""
        if self.conflicts or self.local_state == "conflict":
            return "conflict"
        if self.local_state == "rejected" or self.refused:
            return "rejected"
        if self.local_state == "pending" or self.unsent or self.uploads:
            return "pending"
        return "synced"


@dataclass(frozen=True)
class Departed:
    """The dossier is no longer in the cache (it left the user's scope: reassigned or
    withdrawn); ``refused`` of the user's changes to it were not applied and are kept."""

    id: str
    code: str
    refused: int


def load_view(cache: Cache, dossier_id: str) -> DossierView | Departed:
    db = cache.reader()
    record = store_dossiers.get_dossier(db, dossier_id)
    if record is None:
        refused = store_outbox.needs_attention(db, dossier_id)
        code = next((e.dossier_code for e in refused if e.dossier_code), "")
        return Departed(dossier_id, code or "", len(refused))
    entries = store_outbox.entries(db, dossier_id=dossier_id)
    unsent = [e for e in entries if e.state in UNSENT]
    return DossierView(
        id=dossier_id, data=record.data, local_state=record.local_state,
        documents=document_rows(db, dossier_id),
        uploads=[e for e in unsent if e.action == "upload_result"],
        unsent=[e for e in unsent if e.action != "upload_result"],
        refused=[e for e in entries if e.state in store_outbox.REFUSED_STATES
                 and e.dismissed_at is None and e.last_error_code != "user_took_theirs"],
        conflicts=len(store_outbox.open_conflicts(db, dossier_id)))
