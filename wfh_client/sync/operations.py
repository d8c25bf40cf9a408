"""User operations on the cache that the UI and the CLI call: record an action, resolve a
conflict. Each is one writer transaction and works offline; the engine sends them later.

Neighbours: ``local`` (optimistic result), ``engine`` (profile, events), ``wfh_client.store``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from wfh_client.store import dossiers as store_dossiers
from wfh_client.store import outbox as store_outbox
from wfh_client.sync.engine import SyncEngine
from wfh_client.sync.local import UNSENT_STATES, apply_locally, replay

__all__ = ["dismiss_entry", "dismiss_refused", "keep_mine", "record_action", "take_theirs"]

USER_DISCARDED = "user_took_theirs"


def record_action(engine: SyncEngine, dossier_id: str, action: str,
                  payload: Mapping[str, Any], *, now: datetime | None = None
                  ) -> store_outbox.OutboxEntry:
    """Validate ``action`` against the dossier as the user sees it, store the expected result
    and queue it for the server. Raises ``ActionError`` (with a reason for the dialog) if the
    domain refuses it, ``KeyError`` if the dossier is not cached."""
    profile = engine.profile()
    when = now or engine.clock()
    client_id = uuid.uuid4().hex

    def write(db: Database) -> store_outbox.OutboxEntry:
        record = store_dossiers.get_dossier(db, dossier_id)
        if record is None:
            raise KeyError(f"dossier {dossier_id} is not in the cache")
        data = apply_locally(record.data, action, payload, profile, now=when,
                             client_id=client_id)
        entry = store_outbox.enqueue(db, dossier_id, action, dict(payload),
                                     record.server_version, client_id=client_id,
                                     created_at=when)
        state = "conflict" if record.local_state == "conflict" else "pending"
        store_dossiers.set_local_data(db, dossier_id, data, state)
        return entry

    entry = engine.cache.write(write)
    engine.bus.publish("outbox.changed", dossier_id=dossier_id)
    engine.bus.publish("dossiers.changed", ids=[dossier_id])
    return entry


def _settle(engine: SyncEngine, db: Database, theirs: dict[str, Any]) -> None:
    """Store the server's copy as the dossier's base with what is still unsent replayed on top
    (state conflict / pending / synced accordingly)."""
    dossier_id = str(theirs["id"])
    unsent = store_outbox.entries(db, UNSENT_STATES, dossier_id=dossier_id)
    if store_outbox.open_conflicts(db, dossier_id):
        state = "conflict"
    else:
        state = "pending" if unsent else "synced"
    data, _ = replay(theirs, unsent, engine.profile())
    store_dossiers.put_server_copy(db, theirs, data=data, local_state=state)


def dismiss_refused(engine: SyncEngine, client_ids: list[str]) -> int:
    """The user has read these refused changes (quarantined or rejected: they will never
    apply): put them away; returns how many. They leave the warnings and the list but stay in
    the table and the export; a queued upload's bytes are deleted with it. A cached dossier
    marked rejected whose refused changes are all put away goes back to the server's copy
    (with anything still unsent replayed), so its row stops warning too."""
    wanted_ids = set(client_ids)

    def write(db: Database) -> tuple[list[store_outbox.OutboxEntry], list[str]]:
        wanted = [e for e in store_outbox.needs_attention(db) if e.client_id in wanted_ids]
        done = [e for e in wanted if store_outbox.dismiss(db, e.client_id)]
        settled = []
        for dossier_id in sorted({e.dossier_id for e in done}):
            record = store_dossiers.get_dossier(db, dossier_id)
            if record is None or record.local_state != "rejected" or \
                    store_outbox.needs_attention(db, dossier_id):
                continue
            _settle(engine, db, record.base if record.base is not None else record.data)
            settled.append(dossier_id)
        return done, settled

    done, settled = engine.cache.write(write)
    uploads = [e for e in done if e.action == "upload_result"]
    if uploads:
        from wfh_client.sync.documents import discard_upload_bytes

        for entry in uploads:
            discard_upload_bytes(engine, entry)
    if done:
        engine.bus.publish("outbox.changed",
                           dossier_id=done[0].dossier_id if len(done) == 1 else None)
    if settled:
        engine.bus.publish("dossiers.changed", ids=settled)
    return len(done)


def _resolve(engine: SyncEngine, conflict_id: int, resolution: str) -> str:
    def write(db: Database) -> str:
        conflict = next((c for c in store_outbox.open_conflicts(db) if c.id == conflict_id), None)
        if conflict is None:
            raise KeyError(f"conflict {conflict_id} is not open")
        theirs: dict[str, Any] = conflict.theirs
        record = store_dossiers.get_dossier(db, conflict.dossier_id)
        if record is not None and record.base is not None and \
                int(record.base.get("version") or 0) > int(theirs.get("version") or 0):
            # A pull after the conflict brought a newer server copy (kept as the base while the
            # conflict was open): resolve against that one, not the older copy shown then.
            theirs = record.base
        if conflict.client_id is not None:
            entry = store_outbox.get_entry(db, conflict.client_id)
            if entry is not None and resolution == "mine":
                # Send it again on top of their version; the server decides (it may still be
                # invalid there, in which case it is quarantined with the server's reason).
                store_outbox.mark(db, entry.client_id, "pending",
                                  rebase_count=entry.rebase_count + 1,
                                  base_version=theirs.get("version"))
            elif entry is not None:
                store_outbox.mark(db, entry.client_id, "rejected", last_error_code=USER_DISCARDED,
                                  last_error_message="Discarded: the server's version was kept.")
        store_outbox.resolve_conflict(db, conflict_id, resolution)
        if store_dossiers.get_dossier(db, conflict.dossier_id) is not None:
            _settle(engine, db, theirs)
        return conflict.dossier_id

    dossier_id = engine.cache.write(write)
    engine.bus.publish("outbox.changed", dossier_id=dossier_id)
    engine.bus.publish("dossiers.changed", ids=[dossier_id])
    return dossier_id


def keep_mine(engine: SyncEngine, conflict_id: int) -> str:
    """Resolve a conflict by sending the user's action again on the server's version."""
    return _resolve(engine, conflict_id, "mine")


def take_theirs(engine: SyncEngine, conflict_id: int) -> str:
    """Resolve a conflict by keeping the server's version; the action stays visible as
    rejected (discarded by the user) and can still be exported."""
    return _resolve(engine, conflict_id, "theirs")


def dismiss_entry(engine: SyncEngine, client_id: str) -> bool:
    """:func:`dismiss_refused` for one entry: False if it is not one that will never apply
    (or was already dismissed)."""
    return dismiss_refused(engine, [client_id]) == 1
