"""The reference server's schema (SQLAlchemy 2 Core) and the change log every write goes through.

Portable SQL only: SQLite by default, PostgreSQL a database URL away (``postgresql+psycopg://``).
The schema changes only through Alembic revisions (``migrations/``, ``migrate.py``); a test fails
when the newest revision and this metadata differ. Neighbours: ``app`` (HTTP),
``auth`` (tokens), ``sync_api`` (reads the change log), ``actions`` (writes through
``record_change``), ``seed`` (demo data).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine

metadata = MetaData()

departments = Table(
    "departments",
    metadata,
    Column("id", String(32), primary_key=True),  # short stable id, e.g. "stnmt"
    Column("name", String(200), nullable=False),
    Column("office_code", String(64), nullable=False),  # QCVN 102:2016 office identifier
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("full_name", String(200), nullable=False),
    Column("title", String(200), nullable=False, default=""),
    Column("role", String(16), nullable=False),  # officer | head | admin
    Column("department_id", String(32), ForeignKey("departments.id"), nullable=True),
    Column("phone", String(32), nullable=True),
    Column("password_hash", String(200), nullable=False),
    Column("disabled_at", DateTime(timezone=True), nullable=True),
)

devices = Table(
    "devices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("device_id", String(128), nullable=False),  # client-generated
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("name", String(200), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("device_id", "user_id", name="uq_device_user"),
)

# Tokens are random strings; only their SHA-256 is stored.
refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("family_id", String(64), nullable=False, index=True),
    Column("device_pk", Integer, ForeignKey("devices.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("rotated_at", DateTime(timezone=True), nullable=True),  # set when exchanged
    Column("revoked_at", DateTime(timezone=True), nullable=True),  # whole family revoked
)

# The pair a rotation issued, sealed (AES-GCM) under a key derived from the rotated token, so
# that presenting that token again within the reuse grace window answers with the same pair (a
# client killed before it stored the new token stays signed in) without storing a token.
refresh_successors = Table(
    "refresh_successors",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # the rotated token's hash
    Column("successor_hash", String(64), nullable=False),  # the refresh token it was exchanged for
    Column("sealed", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
)

access_tokens = Table(
    "access_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("family_id", String(64), nullable=False, index=True),
    Column("device_pk", Integer, ForeignKey("devices.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

procedures = Table(
    "procedures",
    metadata,
    Column("code", String(64), primary_key=True),  # e.g. 1.012756.000.00.00.H57
    Column("name", String(300), nullable=False),
    Column("field_code", String(32), nullable=False),
    Column("field_name", String(200), nullable=False),
    Column("department_id", String(32), ForeignKey("departments.id"), nullable=False),
    Column("working_hours", Integer, nullable=False),  # allowed time; 1 working day = 8 hours
)

# A dossier's scalar columns are what queries filter on; ``data`` holds the rest of its fields
# (applicant, fees, summary...), and ``payload`` the full JSON document served by /sync/changes,
# rebuilt on every change so that a snapshot is a concatenation of stored strings.
dossiers = Table(
    "dossiers",
    metadata,
    Column("id", String(36), primary_key=True),  # uuid
    Column("code", String(64), nullable=False, unique=True),
    Column("department_id", String(32), ForeignKey("departments.id"), nullable=False),
    Column("assignee_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("procedure_code", String(64), ForeignKey("procedures.code"), nullable=False),
    Column("status", Integer, nullable=False),
    Column("step", String(32), nullable=True),
    Column("version", Integer, nullable=False, default=1),
    Column("seq", BigInteger, nullable=False, default=0),  # change-log seq of the last change
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("returned_at", DateTime(timezone=True), nullable=True),
    Column("clock_stopped_at", DateTime(timezone=True), nullable=True),
    Column("supplement_count", Integer, nullable=False, default=0),
    Column("apology_count", Integer, nullable=False, default=0),
    Column("data", JSON, nullable=False),
    Column("payload", Text, nullable=False, default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_dossiers_assignee_seq", dossiers.c.assignee_id, dossiers.c.seq)
Index("ix_dossiers_department_seq", dossiers.c.department_id, dossiers.c.seq)
# Snapshot paging walks a scope in id order.
Index("ix_dossiers_assignee_id", dossiers.c.assignee_id, dossiers.c.id)
Index("ix_dossiers_department_id", dossiers.c.department_id, dossiers.c.id)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dossier_id", String(36), ForeignKey("dossiers.id"), nullable=False, index=True),
    Column("name", String(255), nullable=False),
    Column("kind", String(16), nullable=False),  # submitted | result
    Column("mime", String(100), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),  # blob stored on disk under this name
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("uploaded_by", Integer, ForeignKey("users.id"), nullable=True),
)

notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dossier_id", String(36), ForeignKey("dossiers.id"), nullable=False, index=True),
    Column("author_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("client_id", String(128), nullable=True),
)

# The process-control slip (Mẫu 05): one row per handover or step.
history = Table(
    "history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dossier_id", String(36), ForeignKey("dossiers.id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("action", String(32), nullable=False),
    Column("from_status", Integer, nullable=True),
    Column("to_status", Integer, nullable=True),
    Column("from_step", String(32), nullable=True),
    Column("to_step", String(32), nullable=True),
    Column("handed_to_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("step_due_at", DateTime(timezone=True), nullable=True),
    Column("content", Text, nullable=False, default=""),
    Column("details", JSON, nullable=True),
)

# The change log. Every write to a dossier appends one row; ``seq`` is monotonic. The row keeps
# the scope before and after the change so that a pull can send removals to whoever lost it.
# A NULL department/assignee after the change means "visible to nobody" (e.g. withdrawn).
changes = Table(
    "changes",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("dossier_id", String(36), nullable=False),
    Column("department_id", String(32), nullable=True),
    Column("assignee_id", Integer, nullable=True),
    Column("prev_department_id", String(32), nullable=True),
    Column("prev_assignee_id", Integer, nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
    sqlite_autoincrement=True,  # seqs are never reused, even after compaction empties the log
)
Index("ix_changes_prev_assignee", changes.c.prev_assignee_id, changes.c.seq)
Index("ix_changes_prev_department", changes.c.prev_department_id, changes.c.seq)

# Sync bookkeeping: ``min_seq`` is the oldest cursor still served (older ones get
# "resync required" after the log is compacted).
server_meta = Table(
    "server_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)

# Idempotency: the stored answer of every keyed request, per user.
idempotency = Table(
    "idempotency",
    metadata,
    Column("user_id", Integer, primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("fingerprint", String(64), nullable=False),  # method + path + body hash
    Column("status_code", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Admin overrides of the public-holiday calendar: extra days off and Saturday make-up days.
calendar_overrides = Table(
    "calendar_overrides",
    metadata,
    Column("day", Date, primary_key=True),
    Column("working", Boolean, nullable=False),  # True: a make-up working day; False: a day off
    Column("note", String(200), nullable=False, default=""),
)

# Years whose days off an admin confirmed (the government's decree is out) although the
# holiday data does not know them yet; and every change to the calendar, for the record.
calendar_years = Table(
    "calendar_years",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("confirmed", Boolean, nullable=False),
    Column("note", String(200), nullable=False, default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

calendar_audit = Table(
    "calendar_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),  # "user:<id> <username>" or "cli:<os user>"
    Column("action", String(32), nullable=False),  # set_day / remove_day / confirm_year
    Column("day", Date, nullable=True),
    Column("year", Integer, nullable=True),
    Column("working", Boolean, nullable=True),
    Column("note", String(200), nullable=False, default=""),
    Column("previous", JSON, nullable=True),
)

# ---- on-call and events -------------------------------------------------------------------

# The events feed (``events.py``): ``id`` is monotonic and never reused, so a client resumes
# from the last id it saw across disconnects and restarts. An event is addressed to one user,
# or to a department (optionally only to its members of ``audience_role``, e.g. heads).
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("audience_user_id", Integer, nullable=True),
    Column("audience_department_id", String(32), nullable=True),
    Column("audience_role", String(16), nullable=True),
    Column("payload", JSON, nullable=False),
    sqlite_autoincrement=True,
)
Index("ix_events_user", events.c.audience_user_id, events.c.id)
Index("ix_events_department", events.c.audience_department_id, events.c.id)

# One on-call policy per department (``oncall_policy.py``); no row means the defaults.
oncall_policies = Table(
    "oncall_policies",
    metadata,
    Column("department_id", String(32), ForeignKey("departments.id"), primary_key=True),
    Column("policy", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", Integer, ForeignKey("users.id"), nullable=True),
)

# Explicit check-ins only (privacy: nothing else about the user is recorded). ``effective_at``
# is the instant the check-in counts for: the client's time when made offline and plausible,
# else the time the server received it.
checkins = Table(
    "checkins",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("department_id", String(32), nullable=False),
    Column("client_id", String(128), nullable=False),
    Column("client_time", DateTime(timezone=True), nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("effective_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),  # working | meeting | away
    Column("reason", Text, nullable=True),
    Column("offline", Boolean, nullable=False, default=False),
    UniqueConstraint("user_id", "client_id", name="uq_checkin_client"),
)
Index("ix_checkins_user_at", checkins.c.user_id, checkins.c.effective_at)
Index("ix_checkins_department_at", checkins.c.department_id, checkins.c.effective_at)

# Leave: requested by an officer, approved or rejected by the head; approved leave suspends
# check-in windows in [starts_at, ends_at).
leaves = Table(
    "leaves",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("department_id", String(32), nullable=False),
    Column("client_id", String(128), nullable=True),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False),
    Column("state", String(16), nullable=False),  # requested | approved | rejected
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("decided_by", Integer, ForeignKey("users.id"), nullable=True),
    UniqueConstraint("user_id", "client_id", name="uq_leave_client"),
)
Index("ix_leaves_user", leaves.c.user_id, leaves.c.starts_at)
Index("ix_leaves_department", leaves.c.department_id, leaves.c.state)

# Recalls: the escalation ``plan`` is copied from the policy at creation (frozen);
# ``next_due_at`` is the recall's one live timer (next re-notification or escalation).
recalls = Table(
    "recalls",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("department_id", String(32), ForeignKey("departments.id"), nullable=False),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("client_id", String(128), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("message", Text, nullable=False),
    Column("report_by", DateTime(timezone=True), nullable=False),
    Column("urgency", String(16), nullable=False),  # normal | urgent
    Column("plan", JSON, nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("closed_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("next_due_at", DateTime(timezone=True), nullable=True),
    # The escalation lease (``oncall_escalation``): the worker that claimed the due timer and
    # until when; another worker takes over an expired lease (its holder died).
    Column("lease_owner", String(64), nullable=True),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    UniqueConstraint("created_by", "client_id", name="uq_recall_client"),
)
Index("ix_recalls_department", recalls.c.department_id, recalls.c.id)
Index("ix_recalls_due", recalls.c.closed_at, recalls.c.next_due_at)

recall_recipients = Table(
    "recall_recipients",
    metadata,
    Column("recall_id", Integer, ForeignKey("recalls.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("state", String(16), nullable=False),  # sent|delivered|seen|acknowledged|declined
    Column("delivered_at", DateTime(timezone=True), nullable=True),
    Column("seen_at", DateTime(timezone=True), nullable=True),
    Column("acknowledged_at", DateTime(timezone=True), nullable=True),
    Column("arrival_at", DateTime(timezone=True), nullable=True),
    Column("declined_at", DateTime(timezone=True), nullable=True),
    Column("decline_reason", Text, nullable=True),
    Column("renotify_count", Integer, nullable=False, default=0),
    Column("next_renotify_at", DateTime(timezone=True), nullable=True),
    Column("escalated_at", DateTime(timezone=True), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_recall_recipients_user", recall_recipients.c.user_id, recall_recipients.c.recall_id)

# ---- login security (``login_guard.py``, ``audit.py``) ----------------------------------------

# Failed-login counters for throttling, one row per scope: ``account:<username>`` (case-folded,
# known or not) and ``address:<client address>`` (IPv6 by /64). In the database, not in memory,
# so that every worker process throttles alike.
login_throttle = Table(
    "login_throttle",
    metadata,
    Column("scope", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", DateTime(timezone=True), nullable=False),
    Column("blocked_until", DateTime(timezone=True), nullable=True),
)

# The security audit log: logins (success, failure and why, throttled), device registrations,
# device-limit refusals. Never a password or a token.
auth_audit = Table(
    "auth_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("event", String(32), nullable=False),
    Column("username", String(64), nullable=True),
    Column("user_id", Integer, nullable=True),
    Column("device_pk", Integer, nullable=True),
    Column("address", String(64), nullable=True),
    Column("details", JSON, nullable=False),
    sqlite_autoincrement=True,
)
Index("ix_auth_audit_user", auth_audit.c.user_id, auth_audit.c.id)
Index("ix_auth_audit_event", auth_audit.c.event, auth_audit.c.id)

# ---- several workers: liveness, shared presence, scheduled jobs ------------------------------

# One row per running server process (``workers.py``): a worker whose heartbeat is older than
# the staleness limit is dead, and its presence rows no longer count.
workers = Table(
    "workers",
    metadata,
    Column("id", String(64), primary_key=True),  # host, pid and a random part
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("heartbeat_at", DateTime(timezone=True), nullable=False),
)

# Open long-polls per user and worker, shared by all workers (``presence.py``) for the head's
# team view; a worker writes its own rows (at most a second late) and deletes them at zero.
presence = Table(
    "presence",
    metadata,
    Column("worker_id", String(64), primary_key=True),
    Column("user_id", Integer, primary_key=True),
    Column("open_polls", Integer, nullable=False),
)

# Per device, the event id it last confirmed (the ``after`` of its latest poll) and when: the
# "last seen" of the team view, and what ``retention.py`` may purge (every active device of the
# recipient is past it).
feed_positions = Table(
    "feed_positions",
    metadata,
    Column("user_id", Integer, primary_key=True),
    Column("device_pk", Integer, primary_key=True),
    Column("last_event_id", BigInteger, nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

# Periodic jobs run by one worker at a time (``jobs.py``): a lease like the recalls'.
jobs = Table(
    "jobs",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("owner", String(64), nullable=True),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("last_run_at", DateTime(timezone=True), nullable=True),
    Column("last_result", Text, nullable=True),
)

# Retention sweeps by age.
Index("ix_events_at", events.c.at)
Index("ix_idempotency_created", idempotency.c.created_at)
Index("ix_refresh_tokens_expires", refresh_tokens.c.expires_at)
Index("ix_access_tokens_expires", access_tokens.c.expires_at)
Index("ix_changes_at", changes.c.at)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        # hide_parameters: a logged SQL error must not carry names or messages (logs.py)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # SQLAlchemy emits BEGIN itself (below), so that a write transaction can take the
            # write lock up front (BEGIN IMMEDIATE) instead of failing on lock upgrade.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            immediate = conn.get_execution_options().get("sqlite_immediate", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        _watch_auth_writes(engine)
        return engine
    # Sync requests run on the threadpool (40 threads by default); long-polls hold no
    # connection while they wait, so a modest pool per worker is enough.
    engine = create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True
    )
    _watch_auth_writes(engine)
    return engine


# ---- what an authentication cache must forget -------------------------------------------------
# ``auth.current_user`` keeps the rows it read per worker (``auth_cache``). Every engine made here
# watches its own statements: an UPDATE or DELETE of ``access_tokens``, ``devices`` (except one
# that only stamps ``last_seen_at``) or ``users`` marks the transaction; when it has committed (the
# connection goes back to the pool) the engine's ``on_auth_change`` callbacks run, and on
# PostgreSQL the transaction also sends ``NOTIFY onestop_auth`` (delivered at its commit to every
# worker's events listener, which clears its cache). A rolled-back transaction changes nothing.

AUTH_CHANNEL = "onestop_auth"
_AUTH_TABLES = frozenset({"access_tokens", "devices", "users"})
_AUTH_DIRTY, _AUTH_NOTIFIED, _AUTH_COMMITTED = "auth_dirty", "auth_notified", "auth_committed"


def _auth_write(statement: Any) -> bool:
    from sqlalchemy.sql.dml import Delete, Update

    if not isinstance(statement, Update | Delete):
        return False
    name = getattr(statement.table, "name", None)
    if name not in _AUTH_TABLES:
        return False
    if isinstance(statement, Update) and name == "devices":
        keys = {getattr(k, "key", k) for k in (statement._values or {})}  # noqa: SLF001
        if keys and keys <= {"last_seen_at"}:
            return False
    return True


def on_auth_change(engine: Engine, callback: Any) -> None:
    """Call ``callback()`` after each committed transaction of ``engine`` that changed who may
    use which access token (see above)."""
    engine.__dict__.setdefault("_onestop_auth_callbacks", []).append(callback)


def _watch_auth_writes(engine: Engine) -> None:
    postgres = engine.dialect.name == "postgresql"

    @event.listens_for(engine, "before_execute")
    def _before(conn: Connection, clauseelement: Any, *_args: Any) -> None:
        if _auth_write(clauseelement):
            conn.info[_AUTH_DIRTY] = True

    @event.listens_for(engine, "after_execute")
    def _after(conn: Connection, clauseelement: Any, *_args: Any) -> None:
        if postgres and conn.info.get(_AUTH_DIRTY) and not conn.info.get(_AUTH_NOTIFIED):
            conn.info[_AUTH_NOTIFIED] = True
            conn.execute(select(func.pg_notify(AUTH_CHANNEL, "")))

    @event.listens_for(engine, "commit")
    def _commit(conn: Connection) -> None:
        if conn.info.pop(_AUTH_DIRTY, False):
            conn.info[_AUTH_COMMITTED] = True
        conn.info.pop(_AUTH_NOTIFIED, None)

    @event.listens_for(engine, "rollback")
    def _rollback(conn: Connection) -> None:
        for key in (_AUTH_DIRTY, _AUTH_NOTIFIED):  # an earlier commit of this checkout stands
            conn.info.pop(key, None)

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_conn: Any, record: Any) -> None:
        # After the commit: a reader that starts now sees the new rows.
        if record.info.pop(_AUTH_COMMITTED, False):
            for callback in engine.__dict__.get("_onestop_auth_callbacks", ()):
                callback()


def is_postgres(conn: Connection | Engine) -> bool:
    return conn.dialect.name == "postgresql"


# The change log and the events feed are read by position (``seq > cursor``, ``id > cursor``).
# On PostgreSQL a transaction may take seq 10, another seq 11 and commit first: a reader would
# move its cursor past 10 before 10 is visible and never see it. Writers therefore append to
# either log under one transaction-scoped advisory lock, taken just before the first append
# and held to the commit, so positions become visible in order. SQLite needs nothing: its
# write transactions (``BEGIN IMMEDIATE``) are already serial.
LOG_LOCK_KEY = 0x0E5E_1057  # arbitrary, fixed: one lock for both logs (no lock-order deadlock)
EVENTS_CHANNEL = "onestop_events"


def lock_logs(conn: Connection) -> None:
    """Serialise appends to ``changes`` and ``events`` until this transaction ends."""
    if is_postgres(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOG_LOCK_KEY})


def notify_events(conn: Connection) -> None:
    """Wake every worker's events hub when this transaction commits (PostgreSQL NOTIFY is
    transactional: nothing is sent on rollback, repeats in one transaction fold into one)."""
    if is_postgres(conn):
        conn.execute(select(func.pg_notify(EVENTS_CHANNEL, "")))


def reset_sequences(conn: Connection) -> None:
    """After rows were inserted with explicit ids (the seed), move PostgreSQL's sequences past
    them so that later inserts do not collide. Nothing to do on SQLite."""
    if not is_postgres(conn):
        return
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and isinstance(column.type, Integer)
                and len(table.primary_key.columns) == 1
            ):
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "  # noqa: S608 - names from the schema
                    f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                ))


def upsert(conn: Connection, table: Table, rows: list[dict[str, Any]], keys: list[str]) -> None:
    """Insert ``rows``, replacing the non-key columns of rows whose ``keys`` already exist."""
    if not rows:
        return
    if is_postgres(conn):
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
    stmt = dialect_insert(table)
    changed = {c: getattr(stmt.excluded, c) for c in rows[0] if c not in keys}
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=changed), rows)


def sqlite_url(path: str) -> str:
    return f"sqlite:///{path}"


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that intends to write: on SQLite it takes the write lock at BEGIN
    (``BEGIN IMMEDIATE``), so concurrent read-then-write transactions queue on the busy timeout
    instead of failing; elsewhere a plain transaction (combine with ``with_for_update``)."""
    with engine.connect() as conn:
        conn.execution_options(sqlite_immediate=True)
        with conn.begin():
            yield conn


def create_all(engine: Engine) -> None:
    """Bring the schema to the newest migration (``migrate.upgrade``; kept under this name)."""
    from onestop_server import migrate

    migrate.upgrade(engine)


def record_change(
    conn: Connection,
    dossier_id: str,
    *,
    department_id: str | None,
    assignee_id: int | None,
    prev_department_id: str | None,
    prev_assignee_id: int | None,
    at: Any,
) -> int:
    """Append a change-log row and stamp the dossier with its seq; returns the new seq.

    Call inside the transaction that changed the dossier, after the dossier row is written.
    """
    lock_logs(conn)
    seq = conn.execute(
        insert(changes)
        .values(
            dossier_id=dossier_id,
            department_id=department_id,
            assignee_id=assignee_id,
            prev_department_id=prev_department_id,
            prev_assignee_id=prev_assignee_id,
            at=at,
        )
        .returning(changes.c.seq)
    ).scalar_one()
    conn.execute(update(dossiers).where(dossiers.c.id == dossier_id).values(seq=seq))
    return int(seq)


def max_seq(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(changes.c.seq), 0))).scalar_one())
