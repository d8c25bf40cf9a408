"""The sync engine: push the outbox, pull the change log, fetch documents. No Qt.

One ``sync_once`` = push (each unsent action in order, per dossier) then pull (pages of the
server's change log, one writer transaction per page, cursor stored in the same transaction;
``pages.PageReader`` asks for the next page as soon as a page has arrived, so it travels while
this one is parsed and the previous one committed) then document prefetch. Every step is crash-safe: an action whose answer was lost stays
``sending`` and is resent under the same ``Idempotency-Key`` (one effect on the server); a page
is applied whole or not at all. What the anchors teach (docs/architecture.md, "Sync"):

- a download never overwrites a dossier with unsent edits: they are replayed on the new copy;
- a conflict whose action is still valid on the server's state is rebased automatically
  (resent under ``<key>.r<n>``); otherwise both sides are kept and the user decides;
- invalid actions are quarantined and the queue goes on; forbidden ones are kept as rejected;
- a pull that would delete most of the cache is refused unless the resync is explicit.

Neighbours: ``local`` (optimistic replay), ``documents`` (downloads/uploads),
``wfh_client.store`` (all writes through ``cache.writer``), ``auth.AuthSession`` (transport).
"""

from __future__ import annotations

import collections
import contextlib
import functools
import gc
import logging
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

import sqlcipher3 as sqlite_errors
from sqlite_utils import Database

from wfh_client.domain import (
    ActionError,
    Actor,
    Role,
    WorkingCalendar,
    state_from_document,
    validate_action,
)
from wfh_client.domain.timefmt import parse_instant
from wfh_client.events import EventBus
from wfh_client.store import Cache, DocumentIntegrityError, DocumentNotFound
from wfh_client.store import dossiers as store_dossiers
from wfh_client.store import outbox as store_outbox
from wfh_client.store.state import (
    KEY_CURSOR,
    KEY_LAST_ERROR,
    KEY_LAST_SUCCESS_AT,
    KEY_SNAPSHOT_IN_PROGRESS,
    delete_state,
    get_state,
    iso_z,
    now_iso,
    set_state,
)
from wfh_client.sync.errors import ApiError, DeviceRevoked, ResyncRequired
from wfh_client.sync.faults import crashpoint
from wfh_client.sync.local import UNSENT_STATES, LocalProfile, replay
from wfh_client.sync.pages import PageReader, snapshot_total

if TYPE_CHECKING:
    import requests  # annotations only: the HTTP layer imports requests

__all__ = [
    "CHANGES_PATH",
    "DEFAULT_PAGE_LIMIT",
    "MassDeletionRefused",
    "SyncCancelled",
    "SyncEngine",
    "SyncReport",
    "Transport",
]

log = logging.getLogger(__name__)

CHANGES_PATH = "/api/v1/sync/changes"
CALENDAR_PATH = "/api/v1/calendar"
CALENDAR_VERSION_HEADER = "X-Calendar-Version"
KEY_CALENDAR = "calendar"
KEY_PROFILE = "profile"
KEY_MAINTAINED_AT = "maintenance.last_at"
MAINTAIN_EVERY = timedelta(days=1)
APPLIED_KEEP = timedelta(days=30)  # applied entries stay this long (support, audit)
# removals received outside a snapshot, applied together at the end of a pull run
KEY_PENDING_REMOVALS = "pull.pending_removals"
MAX_REBASES = 3
UPLOAD_ACTION = "upload_result"


#: The GIL slice while pulling (Python's default is 5 ms). Three threads share it then: the
#: page reader, the sync thread (parsing, folding search text) and the single writer, whose
#: SQLite statements run without the GIL but need it back between two of them - waiting up to
#: a whole slice each time. With 0.5 ms slices a first sync of 10,000 dossiers took 2.91 s
#: instead of 3.04 s (medians of 5).
PULL_SWITCH_INTERVAL = 0.0005


@contextlib.contextmanager
def short_gil_slices(interval: float = PULL_SWITCH_INTERVAL) -> Iterator[None]:
    """Run the block with the interpreter's thread switch interval at most ``interval``
    (process-wide; restored after unless someone changed it meanwhile)."""
    before = sys.getswitchinterval()
    if before <= interval:
        yield
        return
    sys.setswitchinterval(interval)
    try:
        yield
    finally:
        if sys.getswitchinterval() == interval:
            sys.setswitchinterval(before)


@contextlib.contextmanager
def automatic_gc_paused() -> Iterator[None]:
    """Run the block without the cyclic garbage collector's automatic passes (process-wide;
    re-enabled after unless it was off before or someone turned it back on meanwhile).

    A page parses into ~150,000 dicts and lists, each counted as a new container: the
    collector ran again and again over them although they form no cycle (reference counting
    frees them when the page is done) - 0.2 s of GIL per 10,000 dossiers, a third of the
    parsing. The GUI app already collects on its own thread and timer (``ui.gc_guard``)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if not gc.isenabled():
            gc.enable()


def cached_calendar(db: Database) -> WorkingCalendar:
    """The department calendar of the last sync (resolved by the server over its horizon, so
    the local holiday data stays unloaded), or the built-in one before any sync."""
    cal = get_state(db, KEY_CALENDAR)
    return WorkingCalendar.from_dict(cal) if cal else WorkingCalendar()


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Transport(Protocol):
    """What the engine needs of ``auth.AuthSession``."""

    user: dict[str, Any] | None

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response: ...


class SyncCancelled(Exception):
    """The user cancelled; everything done so far is committed and resumable."""


class MassDeletionRefused(Exception):
    """The pull would delete most of the cache; nothing was deleted."""

    def __init__(self, would_delete: int, cached: int) -> None:
        super().__init__(
            f"The server's answer would remove {would_delete} of the {cached} cached dossiers. "
            "Nothing was deleted. If this is expected (for example after a transfer), run a "
            "full resync explicitly."
        )
        self.would_delete = would_delete
        self.cached = cached


@dataclass
class SyncReport:
    pushed: int = 0
    applied: int = 0
    rebased: int = 0
    conflicts: int = 0
    invalid: int = 0
    rejected: int = 0
    pulled: int = 0
    removed: int = 0
    pages: int = 0
    requests: int = 0
    resynced: bool = False
    documents: int = 0
    document_bytes: int = 0
    errors: list[str] = field(default_factory=list)
    prefetch_stopped: str | None = None  # e.g. "low_disk_space": documents wait, work goes on
    calendar_checked: bool = field(default=False, repr=False)  # once per sync

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("calendar_checked", None)
        return out


#: Dossiers per pull page: 1,000 (~380 KB gzipped, 0.15 s at 20 Mbit/s) halves a first sync's
#: requests and transactions against 500 (10,000 dossiers on loopback: 3.9 -> 3.6 s).
DEFAULT_PAGE_LIMIT = 1000
#: A snapshot's first page: nothing is stored until it has been built, sent and parsed, while
#: later pages travel and are parsed as the previous one commits (10,000 dossiers: -0.2 s).
#: The pages after it double (200, 400, 800, then ``page_limit``): with a full page second,
#: the writer, done with the first page, waited ~0.18 s for it to be built, sent, parsed
#: and folded. The last pages taper off the same way: see :func:`tapered_limit`.
FIRST_PAGE_LIMIT = 200


def tapered_limit(limit: int, remaining: int | None, smallest: int) -> int:
    """The next snapshot page's size: ``limit``, or less when ``remaining`` (dossiers not
    yet requested, None when unknown) is below two such pages: half of it, never below
    ``smallest`` (nor above ``limit``), and all of it once its half would be below that.
    ``remaining`` may be an underestimate (dossiers created during the snapshot come too):
    pages then stay at ``smallest``, never tiny.

    Why: once the last page has arrived, what is left of a first sync is the writer's work
    on the pages still queued (up to two), on one core while the other idles. At 10,000
    dossiers the last two pages were 1,000 and 767 dossiers, ~0.17 s of writer time after
    the last byte; tapered (884, 442, 221, 220) it is ~0.04 s. A modest gain on this noisy
    machine: in 40 interleaved pairs in one process, the paired difference's median was
    -47 ms (23 pairs faster; medians 1.198 against 1.208 s, means 1.195 against 1.222 s)."""
    if remaining is None or remaining >= 2 * limit:
        return limit
    half = (remaining + 1) // 2
    if half >= smallest:
        return min(limit, half)
    return min(limit, max(remaining, smallest))


class SyncEngine:
    """Sync one account's cache with the server. Thread-safe: one sync at a time."""

    def __init__(
        self,
        session: Transport,
        cache: Cache,
        *,
        bus: EventBus | None = None,
        page_limit: int = DEFAULT_PAGE_LIMIT,
        prefetch_max_bytes: int = 50 * 1024 * 1024,
        failsafe_fraction: float = 0.5,
        failsafe_min_cached: int = 20,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.session = session
        # "now" for the domain rules checked while rebasing (tests run on a fixed clock)
        self.clock: Callable[[], datetime] = clock or _utc_now
        self.cache = cache
        self.bus = bus or EventBus()
        self.page_limit = page_limit
        self.first_page_limit = FIRST_PAGE_LIMIT
        self._next_limit = page_limit  # the pull's next page size (a snapshot ramps up to it)
        # a new snapshot's dossiers not yet requested (None: unknown, or not a new snapshot)
        self._snapshot_left: int | None = None
        self.prefetch_max_bytes = prefetch_max_bytes
        self.failsafe_fraction = failsafe_fraction
        self.failsafe_min_cached = failsafe_min_cached
        self._lock = threading.Lock()
        self._profile: LocalProfile | None = None

    # ------------------------------------------------------------------ profile

    def profile(self) -> LocalProfile:
        """The user's actor and department calendar (cached; fetched on first sync)."""
        if self._profile is None:
            db = self.cache.reader()
            user = get_state(db, KEY_PROFILE) or self.session.user
            if user is None:
                raise RuntimeError("no user profile yet: log in and sync first")
            calendar = cached_calendar(db)
            actor = Actor(int(user["id"]), Role(user["role"]), user.get("department_id"))
            self._profile = LocalProfile(actor, str(user.get("full_name") or ""), calendar)
        return self._profile

    def _refresh_profile(self, report: SyncReport) -> None:
        db = self.cache.reader()
        user = self.session.user
        if get_state(db, KEY_CALENDAR) is None:
            self._fetch_calendar(report)
        if user is not None and get_state(db, KEY_PROFILE) != user:
            self.cache.write(lambda w: set_state(w, KEY_PROFILE, user))
            self._profile = None

    def _fetch_calendar(self, report: SyncReport) -> None:
        """Fetch the server's resolved working calendar, store it, and announce it if it
        changed (``calendar.changed``): deadlines, remaining time and the board follow it."""
        report.requests += 1
        cal = self.session.request("GET", CALENDAR_PATH).json()
        if not isinstance(cal, dict):
            raise ApiError(200, "calendar.bad", "the calendar answer is not an object")
        WorkingCalendar.from_dict(cal)  # refuse a malformed one before storing it
        old = get_state(self.cache.reader(), KEY_CALENDAR)
        self.cache.write(lambda w: set_state(w, KEY_CALENDAR, cal))
        self._profile = None
        if old is not None and old != cal:
            log.info("the working calendar changed (version %s)", cal.get("version"))
            self.bus.publish("calendar.changed", calendar=cal)

    def _check_calendar(self, version: str | None, report: SyncReport) -> None:
        """Every pull page names the server's calendar version: fetch it again on a change."""
        if not version or report.calendar_checked:
            return
        report.calendar_checked = True
        stored = get_state(self.cache.reader(), KEY_CALENDAR) or {}
        if stored.get("version") != version:
            self._fetch_calendar(report)

    # ------------------------------------------------------------------ entry

    def sync_once(
        self,
        cancel: threading.Event | None = None,
        *,
        resync: bool = False,
        prefetch: bool = True,
    ) -> SyncReport:
        """Push, pull, prefetch. ``resync=True`` is the explicit full resync: it re-downloads
        the whole scope (keeping the outbox) and may delete most of the cache."""
        cancel = cancel or threading.Event()
        report = SyncReport()
        with self._lock:
            self.bus.publish("sync.started")
            try:
                self._refresh_profile(report)
                self._push(report, cancel)
                with short_gil_slices(), automatic_gc_paused():
                    self._pull(report, cancel, explicit_resync=resync)
                if prefetch:
                    from wfh_client.sync.documents import prefetch as prefetch_documents

                    prefetch_documents(self, report, cancel)
            except BaseException as exc:
                failure = {"at": now_iso(), "error": type(exc).__name__,
                           "message": str(exc) or type(exc).__name__}
                if isinstance(exc, DeviceRevoked):  # the cache is wiped: nothing to record
                    self.bus.publish("auth.revoked", reason=exc.reason)
                else:
                    self.cache.write(lambda db: set_state(db, KEY_LAST_ERROR, failure))
                self.bus.publish("sync.failed", error=exc, message=failure["message"])
                raise
            self._maintain()
            try:
                self.cache.write(_record_success)
            except sqlite_errors.OperationalError as exc:
                # the dossiers are in sync; only the bookkeeping could not be written (a
                # full disk): that is not a failed sync
                log.warning("could not record the sync's success: %s", exc)
                report.errors.append(f"bookkeeping: {exc}")
            self.bus.publish("sync.finished", report=report)
            return report

    def _maintain(self) -> None:
        """Once a day, after a good sync: drop applied outbox entries older than
        ``APPLIED_KEEP`` and document files nothing refers to (a crash between writing a
        file and its row, a removed dossier). Never fails the sync."""
        now = datetime.now(UTC)  # bookkeeping times (updated_at) are the machine's clock
        last = get_state(self.cache.reader(), KEY_MAINTAINED_AT)
        if last is not None and now - parse_instant(str(last)) < MAINTAIN_EVERY:
            return
        try:
            cutoff = iso_z(now - APPLIED_KEEP)
            pruned = self.cache.write(lambda db: store_outbox.prune_applied(db, cutoff))
            orphans = self.cache.purge_orphan_documents()
            self.cache.write(lambda db: set_state(db, KEY_MAINTAINED_AT, iso_z(now)))
            log.info("maintenance: %d applied outbox entries and %d orphan files removed",
                     pruned, orphans)
        except Exception:  # noqa: BLE001 - housekeeping: the next sync tries again
            log.warning("cache maintenance failed", exc_info=True)

    def _check_cancel(self, cancel: threading.Event) -> None:
        if cancel.is_set():
            raise SyncCancelled("sync cancelled")

    # ------------------------------------------------------------------ push

    def _push(self, report: SyncReport, cancel: threading.Event) -> None:
        todo = store_outbox.entries(self.cache.reader(), UNSENT_STATES)
        blocked = {c.dossier_id for c in store_outbox.open_conflicts(self.cache.reader())}
        total = len(todo)
        for done, entry in enumerate(todo):
            self._check_cancel(cancel)
            self.bus.publish("sync.progress", done=done, total=total, phase="push")
            if entry.dossier_id in blocked:
                continue  # later actions wait until the user resolves the conflict
            outcome = self._send(entry, report)
            if outcome == "conflict":
                blocked.add(entry.dossier_id)
        if total:
            self.bus.publish("sync.progress", done=total, total=total, phase="push")

    def _send(self, entry: store_outbox.OutboxEntry, report: SyncReport) -> str:
        """Send one entry (rebasing up to MAX_REBASES times); returns its final state."""
        while True:
            current = self.cache.write(functools.partial(
                store_outbox.mark, client_id=entry.client_id, state="sending",
                attempts=entry.attempts + 1))
            key = current.client_id if current.rebase_count == 0 \
                else f"{current.client_id}.r{current.rebase_count}"
            report.pushed += 1
            report.requests += 1
            try:
                if current.action == UPLOAD_ACTION:
                    from wfh_client.sync.documents import upload_result

                    try:
                        answer = upload_result(self, current, key)
                    except (DocumentNotFound, DocumentIntegrityError) as exc:
                        # its bytes are gone or damaged: it can never succeed; quarantine it
                        # and let the rest of the queue (and the pull) go on
                        return self._quarantine(current, "upload_bytes_missing", str(exc), report)
                else:
                    answer = self.session.request(
                        "POST", f"/api/v1/dossiers/{current.dossier_id}/actions",
                        headers={"Idempotency-Key": key},
                        json={"type": current.action, "base_version": current.base_version,
                              "payload": current.payload, "client_time": current.created_at},
                    ).json()
            except ApiError as err:
                state = self._on_refusal(current, err, report)
                if state == "rebase":
                    entry = current
                    continue
                return state
            crashpoint("push_after_response")
            self.cache.write(functools.partial(self._on_applied, entry=current, answer=answer))
            if current.action == UPLOAD_ACTION:
                from wfh_client.sync.documents import discard_upload_bytes

                discard_upload_bytes(self, current)
            report.applied += 1
            self.bus.publish("outbox.changed", dossier_id=current.dossier_id)
            self.bus.publish("dossiers.changed", ids=[current.dossier_id])
            return "applied"

    def _unsent(self, db: Database, dossier_id: str) -> list[store_outbox.OutboxEntry]:
        return store_outbox.entries(db, UNSENT_STATES, dossier_id=dossier_id)

    def _on_applied(self, db: Database, entry: store_outbox.OutboxEntry,
                    answer: dict[str, Any]) -> None:
        version = answer.get("version")
        store_outbox.mark(db, entry.client_id, "applied",
                          server_answer={"outcome": "applied", "version": version},
                          last_error_code=None, last_error_message=None)
        if entry.base_version is not None and version == entry.base_version + 1:
            # Our action was the only change: the next actions of this dossier, recorded on
            # the same base, now stand on our new version.
            db.execute("UPDATE outbox SET base_version = ? WHERE dossier_id = ? AND state IN "
                       "('pending', 'sending') AND base_version = ?",
                       [version, entry.dossier_id, entry.base_version])
        doc = answer.get("dossier")
        if isinstance(doc, dict):
            self._store_server_copy(db, doc)

    def _store_server_copy(self, db: Database, doc: dict[str, Any]) -> None:
        """Take a newer server copy, replaying what is still unsent on top of it."""
        dossier_id = str(doc["id"])
        unsent = self._unsent(db, dossier_id)
        if store_outbox.open_conflicts(db, dossier_id):
            record = store_dossiers.get_dossier(db, dossier_id)
            mine = record.data if record is not None else doc
            store_dossiers.put_server_copy(db, doc, data=mine, local_state="conflict")
        elif unsent:
            data, _ = replay(doc, unsent, self.profile())
            store_dossiers.put_server_copy(db, doc, data=data, local_state="pending")
        else:
            store_dossiers.put_server_copy(db, doc, data=doc, local_state="synced")

    def _quarantine(self, entry: store_outbox.OutboxEntry, reason: str, message: str,
                    report: SyncReport) -> str:
        """An entry that can never succeed, found so on this side: ``invalid``, like a 422."""
        def record(db: Database) -> None:
            store_outbox.mark(db, entry.client_id, "invalid", last_error_code=reason,
                              last_error_message=message,
                              server_answer={"outcome": "invalid", "reason": reason})
            record_ = store_dossiers.get_dossier(db, entry.dossier_id)
            if record_ is not None and record_.base is not None:
                self._store_server_copy(db, record_.base)

        self.cache.write(record)
        report.invalid += 1
        log.warning("outbox entry %s quarantined: %s", entry.client_id, reason)
        self.bus.publish("outbox.changed", dossier_id=entry.dossier_id)
        return "invalid"

    def _on_refusal(self, entry: store_outbox.OutboxEntry, err: ApiError,
                    report: SyncReport) -> str:
        if isinstance(err, DeviceRevoked):
            raise err  # not an answer about this entry: the device is revoked, stop here
        details = err.details or {}
        if err.code == "action.conflict" and isinstance(details.get("dossier"), dict):
            return self._on_conflict(entry, details["dossier"], report)
        if err.code in ("action.forbidden", "dossier.not_found", "idempotency.expired") or \
                err.status in (403, 404):
            # idempotency.expired: the server no longer knows whether this entry had its
            # effect (its answer expired unseen); resending could double it, so keep it visible
            # as rejected and let the pull show the dossier's real state.
            state, counter = "rejected", "rejected"
        elif err.status in (400, 409, 413, 422):
            state, counter = "invalid", "invalid"
        else:  # a server error that survived the retries: try again next sync
            self.cache.write(lambda db: store_outbox.mark(
                db, entry.client_id, "pending", last_error_code=err.code,
                last_error_message=err.message))
            raise err
        reason = str(details.get("reason") or err.code)
        message = str(details.get("message") or err.message)

        def record(db: Database) -> None:
            store_outbox.mark(db, entry.client_id, state, last_error_code=reason,
                              last_error_message=message,
                              server_answer={"outcome": state, "code": err.code,
                                             "reason": reason})
            record_ = store_dossiers.get_dossier(db, entry.dossier_id)
            if record_ is None:
                return
            if state == "rejected":
                store_dossiers.set_local_state(db, entry.dossier_id, "rejected")
            elif record_.base is not None:
                self._store_server_copy(db, record_.base)

        self.cache.write(record)
        setattr(report, counter, getattr(report, counter) + 1)
        self.bus.publish("outbox.changed", dossier_id=entry.dossier_id)
        return state

    def _on_conflict(self, entry: store_outbox.OutboxEntry, theirs: dict[str, Any],
                     report: SyncReport) -> str:
        profile = self.profile()
        try:
            if entry.rebase_count >= MAX_REBASES:
                raise ActionError("too_many_rebases", "the dossier keeps changing on the server")
            if entry.action != UPLOAD_ACTION:
                validate_action(entry.action, entry.payload, state_from_document(theirs),
                                profile.actor, profile.calendar, self.clock())
        except (ActionError, ValueError) as refusal:
            code = refusal.code if isinstance(refusal, ActionError) else "bad_document"
            why = str(refusal)

            def keep_both(db: Database) -> None:
                record = store_dossiers.get_dossier(db, entry.dossier_id)
                mine = record.data if record is not None else theirs
                store_outbox.mark(db, entry.client_id, "conflict", last_error_code=code,
                                  last_error_message=why,
                                  server_answer={"outcome": "conflict",
                                                 "version": theirs.get("version")})
                store_outbox.record_conflict(db, entry.dossier_id, entry.client_id, mine, theirs)
                store_dossiers.put_server_copy(db, theirs, data=mine, local_state="conflict")

            self.cache.write(keep_both)
            report.conflicts += 1
            self.bus.publish("outbox.changed", dossier_id=entry.dossier_id)
            return "conflict"

        def rebase(db: Database) -> None:
            store_outbox.mark(db, entry.client_id, "pending",
                              rebase_count=entry.rebase_count + 1,
                              base_version=theirs.get("version"))
            self._store_server_copy(db, theirs)

        self.cache.write(rebase)
        report.rebased += 1
        return "rebase"

    # ------------------------------------------------------------------ pull

    def _pull(self, report: SyncReport, cancel: threading.Event, *,
              explicit_resync: bool) -> None:
        db = self.cache.reader()
        if explicit_resync:
            self.cache.write(self._begin_snapshot)
            report.resynced = True
        elif get_state(db, KEY_CURSOR) is None and not get_state(db, KEY_SNAPSHOT_IN_PROGRESS):
            self.cache.write(self._begin_snapshot)
        state = _PullState()
        in_flight: collections.deque[_PageWrite] = collections.deque()  # queued, in order
        failed = _FailedWrite()
        resyncs = 0
        cursor = get_state(self.cache.reader(), KEY_CURSOR)
        # A snapshot's pages are decoded by the reader's thread, as soon as they arrive
        # (pages.decode_page); the pages of an incremental pull need their documents whole.
        self._next_limit = self.page_limit  # no ramp when resuming or pulling changes
        self._snapshot_left = None  # nor a taper: set by a new snapshot's first page
        reader = PageReader(self._fetch_changes, cursor, decode_ahead=bool(
            get_state(self.cache.reader(), KEY_SNAPSHOT_IN_PROGRESS)))
        try:
            while True:
                self._check_cancel(cancel)
                try:
                    page, raw, headers = reader.next()
                except ResyncRequired:
                    resyncs += 1
                    if resyncs > 2:
                        raise
                    while in_flight:
                        self._settle(in_flight.popleft(), report, state)
                    log.info("server asked for a full resync; the outbox is kept")
                    self.cache.write(self._begin_snapshot)
                    report.resynced = True
                    reader.decode_ahead = True
                    reader.restart(None)
                    continue
                self._check_calendar(headers.get(CALENDAR_VERSION_HEADER), report)
                upserts = page.get("upserts") or []
                # A snapshot's dossiers are mostly new: their search text is folded before the
                # writer takes them, while it is still busy with the previous page (SQLite
                # builds their rows from the JSON text) - by the decoding thread for a decoded
                # page (prepare_copies then returns its result), here otherwise. Only the
                # writer task decides what is new; what it cannot use is rebuilt there.
                snapshot = bool(get_state(self.cache.reader(), KEY_SNAPSHOT_IN_PROGRESS))
                prepared = store_dossiers.prepare_copies(upserts, raw) if snapshot else None
                removals = [str(r["id"]) if isinstance(r, dict) else str(r)
                            for r in page.get("removals") or []]
                cursor = page.get("cursor")
                # Outside a snapshot, removals are only recorded with the page; they are
                # applied together at the end of the run, once their total is known to pass
                # the mass-deletion fail-safe (see _apply_removals).
                # Queued behind the previous page, which may still be committing: the writer
                # goes on with this one without waiting for this thread to wake up, account
                # for the previous one and queue it (~10 ms a page). It runs only if every
                # page before it committed (see _FailedWrite): never a later page's cursor
                # over a page rolled back.
                in_flight.append(_PageWrite(
                    self.cache.writer.submit(functools.partial(
                        failed.guard, functools.partial(
                            self._apply_page, upserts=upserts, removals=removals,
                            cursor=cursor, prepared=prepared, defer_removals=not snapshot))),
                    upserts, [] if not snapshot else removals, page, snapshot))
                # At most two pages on the writer: wait for the older one, in order.
                while len(in_flight) > 1:
                    self._settle(in_flight.popleft(), report, state)
                if not page.get("has_more"):
                    break
        except BaseException:
            # The pages in flight are committed (or rolled back, or skipped after one that
            # failed) before the error propagates; the error raised is the first one.
            while in_flight:
                with contextlib.suppress(Exception):
                    self._settle(in_flight.popleft(), report, state)
            raise
        finally:
            reader.close()
            report.requests += reader.requests
        while in_flight:
            self._settle(in_flight.popleft(), report, state)
        if get_state(self.cache.reader(), KEY_SNAPSHOT_IN_PROGRESS):
            self._finish_snapshot(report, allow_mass_delete=explicit_resync)
        else:
            self._apply_removals(report, allow_mass_delete=explicit_resync)

    def _apply_removals(self, report: SyncReport, *, allow_mass_delete: bool) -> None:
        """Apply the removals recorded by this run's pages (and earlier refused runs), all in
        one transaction, or none: the fail-safe compares their total with the cache as it is,
        so removing most of the cache is refused however the server spreads it over pages and
        syncs. Refused removals stay recorded until an explicit resync."""
        pending = list(get_state(self.cache.reader(), KEY_PENDING_REMOVALS) or [])
        if pending:
            self._remove_all(pending, KEY_PENDING_REMOVALS, report,
                             allow_mass_delete=allow_mass_delete)

    def _remove_all(self, ids: list[str], done_key: str, report: SyncReport, *,
                    allow_mass_delete: bool) -> None:
        """Remove ``ids`` in one transaction (their unsent entries become rejected,
        ``left_scope``) and clear ``done_key``, unless the fail-safe refuses."""
        if ids and not allow_mass_delete:
            self._failsafe(len(ids), store_dossiers.count_dossiers(self.cache.reader()))

        def apply(db: Database) -> list[str]:
            files: list[str] = []
            for dossier_id in ids:
                self._reject_unsent(db, dossier_id, "left_scope",
                                    "The dossier left your scope (reassigned or withdrawn).")
                files.extend(store_dossiers.remove_dossier(db, dossier_id))
            delete_state(db, done_key)
            return files

        for name in self.cache.write(apply):
            self.cache.documents.delete(name)
        report.removed += len(ids)
        if ids:
            self.bus.publish("dossiers.changed", ids=ids)

    def _fetch_changes(self, cursor: str | None) -> tuple[bytes, Mapping[str, str]]:
        """One GET of the change log (on the page reader's thread): body and headers."""
        smallest = min(self.page_limit, self.first_page_limit)
        if cursor is None:  # a snapshot's first page: small, so the writer starts early;
            limit = smallest  # see FIRST_PAGE_LIMIT
            self._snapshot_left = None
        else:
            limit = tapered_limit(min(self.page_limit, self._next_limit), self._snapshot_left,
                                  smallest)
        self._next_limit = 2 * limit  # only the reader's thread requests pages
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        response = self.session.request("GET", CHANGES_PATH, params=params)
        body = response.content
        if cursor is None or self._snapshot_left is not None:
            total = snapshot_total(body)  # a full page has exactly ``limit`` dossiers
            left = self._snapshot_left if self._snapshot_left is not None else total
            self._snapshot_left = None if left is None else left - limit
        return body, response.headers

    def _settle(self, write: _PageWrite | None, report: SyncReport, state: _PullState) -> None:
        """Wait for a queued page write, then account for it (report, files, events)."""
        if write is None:
            return
        files = write.future.result()
        for name in files:
            self.cache.documents.delete(name)
        state.removed += len(write.removals)
        report.pages += 1
        report.pulled += len(write.upserts)
        report.removed += len(write.removals)
        state.done += len(write.upserts) + len(write.removals)
        total = write.page.get("total")
        done = state.done
        self.bus.publish("sync.progress", done=done,
                         total=int(total) if isinstance(total, int) and total >= done
                         else done + (self.page_limit if write.page.get("has_more") else 0),
                         phase="snapshot" if write.snapshot else "pull")
        if write.upserts or write.removals:
            self.bus.publish("dossiers.changed", ids=[str(u["id"]) for u in write.upserts]
                             + [str(r) for r in write.removals])

    def _failsafe(self, would_delete: int, cached: int) -> None:
        """Refuse to delete more than ``failsafe_fraction`` of a cache of at least
        ``failsafe_min_cached`` dossiers (nothing has been deleted when this raises)."""
        if cached >= self.failsafe_min_cached and would_delete > cached * self.failsafe_fraction:
            raise MassDeletionRefused(would_delete, cached)

    @staticmethod
    def _begin_snapshot(db: Database) -> None:
        delete_state(db, KEY_CURSOR)
        delete_state(db, KEY_PENDING_REMOVALS)  # the snapshot decides what stays
        store_dossiers.start_snapshot(db)
        store_dossiers.pause_search_merges(db)
        store_dossiers.defer_list_indexes(db)  # into an empty cache: built once at the end
        set_state(db, KEY_SNAPSHOT_IN_PROGRESS, True)

    def _apply_page(self, db: Database, upserts: list[dict[str, Any]], removals: list[str],
                    cursor: str | None,
                    prepared: dict[str, store_dossiers.PreparedCopy] | None = None,
                    defer_removals: bool = False) -> list[str]:
        profile = self.profile()
        if defer_removals:
            pending = set(get_state(db, KEY_PENDING_REMOVALS) or [])
            pending.update(removals)
            pending.difference_update(str(u["id"]) for u in upserts)  # it came back
            if pending:
                set_state(db, KEY_PENDING_REMOVALS, sorted(pending))
            else:
                delete_state(db, KEY_PENDING_REMOVALS)
            removals = []

        def merge(record: store_dossiers.DossierRecord,
                  theirs: dict[str, Any]) -> tuple[dict[str, Any], str]:
            if store_outbox.open_conflicts(db, record.id):
                return record.data, "conflict"
            unsent = self._unsent(db, record.id)
            if not unsent:
                return theirs, "synced"
            data, _ = replay(theirs, unsent, profile)
            return data, "pending"

        for dossier_id in removals:
            self._reject_unsent(db, dossier_id, "left_scope",
                                "The dossier left your scope (reassigned or withdrawn).")
        result = store_dossiers.apply_server_page(db, upserts, removals, cursor, merge=merge,
                                                  prepared=prepared)
        crashpoint("pull_page_before_commit")
        return result.removed_files

    @staticmethod
    def _reject_unsent(db: Database, dossier_id: str, code: str, message: str) -> None:
        for entry in store_outbox.entries(db, (*UNSENT_STATES, "conflict"),
                                          dossier_id=dossier_id):
            store_outbox.mark(db, entry.client_id, "rejected", last_error_code=code,
                              last_error_message=message)
        # Nothing is left to decide: the entries stay visible (and exportable) as rejected.
        for conflict in store_outbox.open_conflicts(db, dossier_id):
            store_outbox.resolve_conflict(db, conflict.id, code)

    def _finish_snapshot(self, report: SyncReport, *, allow_mass_delete: bool) -> None:
        stale = list(store_dossiers.stale_after_snapshot(self.cache.reader()))
        self._remove_all(stale, KEY_SNAPSHOT_IN_PROGRESS, report,
                         allow_mass_delete=allow_mass_delete)
        self.cache.write(_finish_indexes)


@dataclass
class _PullState:
    done: int = 0  # dossiers received or removed so far in this pull
    removed: int = 0  # removals applied page by page (snapshots)


class _PageSkipped(Exception):
    """A queued page not written because a page before it failed (never reaches a caller:
    the earlier page's error is the one raised)."""


class _FailedWrite:
    """Whether a page write of this pull failed; read and set on the writer thread only, where
    the pages run one after the other, so a page queued behind a failed one never runs."""

    def __init__(self) -> None:
        self.failed = False

    def guard(self, write: Callable[[Database], list[str]], db: Database) -> list[str]:
        if self.failed:
            raise _PageSkipped
        try:
            return write(db)
        except BaseException:
            self.failed = True
            raise


@dataclass
class _PageWrite:
    """A pull page queued on the writer (its own transaction) while the next one is fetched."""

    future: Future[list[str]]
    upserts: list[dict[str, Any]]
    removals: list[str]
    page: dict[str, Any]
    snapshot: bool


def _finish_indexes(db: Database) -> None:
    """The end of a snapshot: the list's deferred order indexes built, the search index's
    incremental merging resumed."""
    store_dossiers.restore_list_indexes(db)
    store_dossiers.resume_search_merges(db)


def _record_success(db: Database) -> None:
    set_state(db, KEY_LAST_SUCCESS_AT, now_iso())
    delete_state(db, KEY_LAST_ERROR)
