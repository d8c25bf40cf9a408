"""The account's life in the desktop app: sign in, first sync, main window, sign out, revocation.

:class:`Launcher` is a small state machine (``stage``: ``starting`` -> ``login`` ->
``first_sync`` -> ``main``; back to ``login`` after a sign-out, a revocation or an expired
session). Everything slow runs on the worker pool: reading the keyring, logging in, opening the
encrypted cache, closing and wiping it.

- **Start**: a remembered account (``account.json``) whose refresh token is still in the OS
  keyring opens without asking; otherwise the :class:`~.login_dialog.LoginDialog` is shown
  (server preset and locked by the policy, user name remembered; ``auto_login`` fills and
  submits it, as demo mode does).
- **First sync**: an account that never synced shows the :class:`~.first_sync_dialog.FirstSyncDialog`;
  then the main window opens and a :class:`~wfh_client.sync.service.SyncService` syncs in the
  background (``sync_interval_seconds``).
- **Revocation** (``auth.revoked`` from the engine or the session's ``on_revoked``): close the
  shell and the cache, wipe the account (``sync.account.wipe_account``), say why in a modal
  message, return to the sign-in dialog.
- **Sign out** (File menu): asks first when changes are unsent; ends the server session (best
  effort), forgets the refresh token, keeps the cache and the remembered user name.
- **Decrypted copies** of documents (handed to viewers) are removed at start (whatever a crash
  or a kill left behind: the app runs once per user, :mod:`.single_instance`), when the account
  closes (sign-out, revocation, expired session) and at exit; a wipe removes them too.
"""

from __future__ import annotations

import logging
import platform
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from wfh_client.config import Config, device_id
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.events import EventBus
from wfh_client.store import Cache, remove_all_open_copies
from wfh_client.store.errors import CacheLocked, PlaintextNotAllowed
from wfh_client.store.errors import KeyringUnavailable as StoreKeyringUnavailable
from wfh_client.store.recovery import SetAside
from wfh_client.store.state import KEY_LAST_SUCCESS_AT, get_state, unsent_changes
from wfh_client.store.state import counts as store_counts
from wfh_client.sync.account import (
    Account,
    current_account,
    load_current,
    save_current,
    wipe_account,
)
from wfh_client.sync.auth import AuthSession, TokenStore, login
from wfh_client.sync.engine import DEFAULT_PAGE_LIMIT, SyncEngine, cached_calendar
from wfh_client.sync.errors import (
    ACCOUNT_DISABLED,
    DEVICE_REVOKED,
    DeviceRevoked,
    NotLoggedIn,
    SessionExpired,
)
from wfh_client.sync.http import client_from_config
from wfh_client.sync.opening import open_account_cache
from wfh_client.ui.app import ClientApp
from wfh_client.ui.cache_recovery import ask_to_start_fresh, revoked_text, set_aside_text
from wfh_client.ui.first_sync_dialog import FirstSyncDialog
from wfh_client.ui.login_dialog import LoginDialog
from wfh_client.ui.messages import describe_error
from wfh_client.ui.oncall.wiring import start_oncall
from wfh_client.ui.ops import run_in_background
from wfh_client.ui.single_instance import SingleInstance

log = logging.getLogger(__name__)

__all__ = ["Launcher", "OpenedAccount"]


@dataclass
class OpenedAccount:
    account: Account
    auth: AuthSession
    cache: Cache
    bus: EventBus
    user: dict[str, Any]
    calendar: WorkingCalendar
    never_synced: bool
    live: bool = False  # revocations go to the bus (True) or wipe directly (during login)
    set_aside: SetAside | None = None  # an unreadable earlier cache, moved aside at open


class UnreadableCache(Exception):
    """The account's cache cannot be opened with the keyring's key: ask before moving it."""

    def __init__(self, error: Exception, account: Account, auth: AuthSession, bus: EventBus,
                 user: dict[str, Any], holder: list[OpenedAccount]) -> None:
        super().__init__(str(error))
        self.reason = str(getattr(error, "reason", "wrong_key"))
        self.account, self.auth, self.bus, self.user, self.holder = \
            account, auth, bus, user, holder


class Launcher(QObject):
    stage_changed = Signal(str)
    # a modal message was shown (revocation, expired session): its text
    message_shown = Signal(str)
    _revoked = Signal(str)

    def __init__(self, config: Config, *, tokens: TokenStore | None = None,
                 single_instance: SingleInstance | None = None,
                 tray_available: bool | None = None, plaintext_cache: bool = False,
                 page_limit: int = DEFAULT_PAGE_LIMIT, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.clock = clock  # None: the wall clock (tests pass their fixed, ticking one)
        self.config = config
        self.tokens = tokens or TokenStore()
        self.single_instance = single_instance
        self.tray_available = tray_available
        self.plaintext_cache = plaintext_cache
        self.page_limit = page_limit
        self.stage = ""
        self.opened: OpenedAccount | None = None
        self.shell: ClientApp | None = None
        self.login_dialog: LoginDialog | None = None
        self.first_sync: FirstSyncDialog | None = None
        self.message_box: QMessageBox | None = None
        self._closing = False
        self._revoked.connect(self._on_revoked)
        if single_instance is not None:
            single_instance.activation_requested.connect(self.bring_to_front)

    # ------------------------------------------------------------------ start
    def start(self, auto_login: tuple[str, str] | None = None) -> None:
        """Resume the remembered account, or show the sign-in dialog (filled by ``auto_login``).

        The caller guarantees this is the user's only instance (``app.run``), so every decrypted
        copy still on disk was left by an earlier run that crashed or was killed: removed."""
        self._set_stage("starting")
        removed = remove_all_open_copies()
        if removed:
            log.info("removed %d decrypted copies left by an earlier run", removed)
        if auto_login is not None:
            self.show_login(username=auto_login[0], password=auto_login[1], submit=True)
            return
        run_in_background(self._resume, self._resumed, self._resume_failed)

    def _resume_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UnreadableCache):
            self._ask_start_fresh(exc)
            return
        log.warning("cannot resume the remembered account: %s", exc)
        self.show_login(notice=describe_error(exc))

    def _ask_start_fresh(self, err: UnreadableCache) -> None:
        box = ask_to_start_fresh(err.reason)
        self.message_box = box
        self._set_stage("cache_unreadable")

        def answered(result: int) -> None:
            if result != QMessageBox.StandardButton.Yes:
                self._set_stage("stopped")
                QCoreApplication.quit()
                return
            run_in_background(lambda: self._open(err.account, err.auth, err.bus, err.user,
                                                 err.holder, start_fresh=True),
                              self._resumed, self._resume_failed)

        box.finished.connect(answered)
        box.open()

    def _resume(self, known_damaged: bool = False) -> OpenedAccount | None:
        current = current_account(self.config)  # None if the policy locks another server
        if current is None or self.tokens.get_refresh(current.account.id) is None:
            return None
        bus = EventBus()
        holder: list[OpenedAccount] = []
        http = client_from_config(self.config, current.account.server_url)
        auth = AuthSession(http, current.account, device_id=device_id(self.config.data_dir),
                           tokens=self.tokens, user=current.user or None,
                           on_revoked=self._revocation_handler(current.account, bus, holder))
        return self._open(current.account, auth, bus, current.user, holder,
                          known_damaged=known_damaged)

    def _resumed(self, opened: OpenedAccount | None) -> None:
        if opened is None:
            self.show_login()
        else:
            self._run(opened)

    # ------------------------------------------------------------------ sign in
    def show_login(self, *, notice: str = "", username: str | None = None,
                   password: str = "", submit: bool = False) -> LoginDialog:
        current = load_current(self.config.data_dir)
        server = (current.account.server_url if current else "") \
            if not self.config.locked("server_url") else ""
        server = self.config.get("server_url") or server
        if username is None:
            username = current.account.username if current else ""
        dialog = LoginDialog(self._login, server_url=server or "",
                             server_locked=self.config.locked("server_url"),
                             username=username, notice=notice,
                             support=str(self.config.get("support_contact") or ""))
        dialog.logged_in.connect(self._run)
        dialog.rejected.connect(self._login_cancelled)
        self.login_dialog = dialog
        self._set_stage("login")
        dialog.show()
        if password:
            dialog.password.setText(password)
        if submit:
            dialog.submit()
        return dialog

    def _login(self, server: str, username: str, password: str) -> OpenedAccount:
        """Worker thread: log in, remember the account, open its cache."""
        account = Account(server, username)
        bus = EventBus()
        holder: list[OpenedAccount] = []
        http = client_from_config(self.config, account.server_url)
        auth = login(http, username, password, device_id=device_id(self.config.data_dir),
                     tokens=self.tokens, device_name=platform.node() or None,
                     on_revoked=self._revocation_handler(account, bus, holder))
        save_current(self.config.data_dir, auth.account, auth.user)
        if not self.config.locked("server_url") and \
                self.config.get("server_url") != auth.account.server_url:
            self.config.set_user("server_url", auth.account.server_url)
        # signing in is the user's explicit way out: an unreadable cache is moved aside
        return self._open(auth.account, auth, bus, auth.user or {}, holder, start_fresh=True)

    def _revocation_handler(self, account: Account, bus: EventBus,
                            holder: list[OpenedAccount]) -> Callable[[str], None]:
        def on_revoked(reason: str) -> None:
            if holder and holder[0].live:
                bus.publish("auth.revoked", reason=reason)
            else:  # while signing in: nothing is open yet, wipe right here (worker thread)
                wipe_account(self.config.data_dir, account, self.tokens)
        return on_revoked

    def _open(self, account: Account, auth: AuthSession, bus: EventBus,
              user: dict[str, Any], holder: list[OpenedAccount], *,
              start_fresh: bool = False, known_damaged: bool = False) -> OpenedAccount:
        """Worker thread: open the account's cache (never deleting an unreadable one)."""
        try:
            opened_cache = open_account_cache(self.config, account, plaintext=self.plaintext_cache,
                                              start_fresh=start_fresh, known_damaged=known_damaged)
        except (CacheLocked, PlaintextNotAllowed) as exc:
            if isinstance(exc, StoreKeyringUnavailable):
                raise
            raise UnreadableCache(exc, account, auth, bus, dict(user or {}), holder) from exc
        cache = opened_cache.cache
        try:
            db = cache.reader()
            calendar = cached_calendar(db)
            never = get_state(db, KEY_LAST_SUCCESS_AT) is None
        except BaseException:
            cache.close()
            raise
        opened = OpenedAccount(account, auth, cache, bus, dict(user or {}), calendar, never,
                               set_aside=opened_cache.set_aside)
        holder.append(opened)
        return opened

    def _login_cancelled(self) -> None:
        if self.stage == "login" and not self._closing:
            self._set_stage("stopped")
            QCoreApplication.quit()

    # ------------------------------------------------------------------ running
    def _run(self, opened: OpenedAccount) -> None:
        if self.login_dialog is not None:
            self.login_dialog.rejected.disconnect(self._login_cancelled)
            self.login_dialog.close()
            self.login_dialog.deleteLater()
            self.login_dialog = None
        opened.live = True
        self.opened = opened
        engine = SyncEngine(opened.auth, opened.cache, bus=opened.bus, page_limit=self.page_limit,
                            prefetch_max_bytes=int(self.config.get("prefetch_max_bytes")),
                            clock=self.clock)
        shell = ClientApp(cache=opened.cache, bus=opened.bus, calendar=opened.calendar,
                          config=self.config, engine=engine, user=opened.user or None,
                          tray_available=self.tray_available, clock=self.clock)
        shell.window.logout_requested.connect(self.logout)
        shell.sync.finished.connect(self._sync_finished)
        opened.bus.subscribe("auth.revoked", lambda reason="", **_kw: self._revoked.emit(
            str(reason)))
        self.shell = shell
        if opened.never_synced:
            dialog = FirstSyncDialog(shell.sync, user_name=str(opened.user.get("full_name") or ""))
            dialog.accepted.connect(lambda: self._first_sync_done(dialog.outcome))
            self.first_sync = dialog
            self._set_stage("first_sync")
            dialog.show()
            dialog.start()
        else:
            self._show_main(first_after=0.0)

    def _first_sync_done(self, outcome: str) -> None:
        if self.first_sync is not None:
            self.first_sync.deleteLater()
            self.first_sync = None
        if self.shell is None:
            return
        # after a cancel or a failure the next pass waits (F5 starts it at once)
        self._show_main(first_after=None if outcome != "failed" else 15.0)

    def _show_main(self, first_after: float | None) -> None:
        assert self.shell is not None
        self.shell.show()
        self.shell.window.refresh_all()
        self.shell.sync.start_service(first_after)
        if self.opened is not None:  # on-call: events feed + check-ins/recalls (stopped by
            start_oncall(self.shell, self.opened)  # ClientApp.shutdown, before the cache)
        self._set_stage("main")
        if self.opened is not None and self.opened.set_aside is not None:
            self._tell(QMessageBox.Icon.Warning, self.tr("Local data moved aside"),
                       set_aside_text(self.opened.set_aside))
            self.opened.set_aside = None
        elif self.opened is not None and not self.opened.cache.verified:
            self._verify_in_background(self.opened)

    def _verify_in_background(self, opened: OpenedAccount) -> None:
        """A cache too big to check before opening is checked now, while the user works; if
        it is damaged the account is closed and opened again on a salvaged fresh copy."""
        def checked(problems: list[str]) -> None:
            if not problems or self.opened is not opened:
                return
            log.warning("the background check found the cache damaged: %s", problems[:3])
            self._close_account(lambda: run_in_background(
                lambda: self._resume(known_damaged=True), self._resumed, self._resume_failed))

        def failed(exc: BaseException) -> None:
            log.warning("background cache check failed: %s", exc)

        run_in_background(opened.cache.verify, checked, failed, guard=self)

    def _sync_finished(self, ok: bool, _message: str) -> None:
        shell = self.shell
        if ok or shell is None or self.stage not in ("main", "first_sync"):
            return
        if isinstance(shell.sync.last_error, SessionExpired | NotLoggedIn):
            notice = describe_error(shell.sync.last_error)
            user = self.opened.account.username if self.opened else None
            self._close_account(lambda: self.show_login(notice=notice, username=user))

    # ------------------------------------------------------------------ sign out
    def logout(self, confirm: bool = True) -> None:
        opened = self.opened
        if opened is None:
            return
        unsent = store_counts(opened.cache.reader())
        if confirm and (unsent.pending or unsent.conflicts):
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Sign out"), self.tr(
                "%1 changes have not been sent to the server yet. They stay on this computer "
                "and are sent after you sign in again. Sign out now?").replace(
                    "%1", str(unsent.pending + unsent.conflicts)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                self._parent_widget())
            box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Sign out"))
            box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("Cancel"))
            box.finished.connect(lambda result: self.logout(confirm=False)
                                 if result == QMessageBox.StandardButton.Yes else None)
            self.message_box = box
            box.open()
            return
        username = opened.account.username
        auth = opened.auth
        self._close_account(lambda: self.show_login(username=username), extra=auth.logout)

    # ------------------------------------------------------------------ revocation
    def _on_revoked(self, reason: str) -> None:
        opened = self.opened
        if opened is None or self._closing:
            return
        username = opened.account.username
        account = opened.account
        try:  # counted before anything closes: the user is told what the wipe throws away
            discarded: int | None = unsent_changes(opened.cache.reader())
        except Exception:  # noqa: BLE001 - the wipe must happen even if the count fails
            log.warning("could not count the unsent changes before the wipe", exc_info=True)
            discarded = None
        text = revoked_text(describe_error(DeviceRevoked(403, reason or DEVICE_REVOKED, "")),
                            discarded)
        title = self.tr("Account disabled") if reason == ACCOUNT_DISABLED \
            else self.tr("Access revoked")

        def then() -> None:
            box = QMessageBox(QMessageBox.Icon.Critical, title, text,
                              QMessageBox.StandardButton.Ok)
            box.finished.connect(lambda _r: self.show_login(username=username, notice=text))
            self.message_box = box
            self.message_shown.emit(text)
            box.open()

        self._close_account(then, extra=lambda: wipe_account(self.config.data_dir, account,
                                                             self.tokens))

    # ------------------------------------------------------------------ closing
    def _close_account(self, then: Callable[[], Any],
                       extra: Callable[[], Any] | None = None) -> None:
        """Close the shell (GUI thread), then the cache and ``extra`` (worker), then ``then``."""
        opened, shell = self.opened, self.shell
        self._closing = True
        self._set_stage("closing")
        if self.first_sync is not None:
            self.first_sync.deleteLater()
            self.first_sync = None
        self.shell, self.opened = None, None
        if shell is not None:
            shell.window.allow_quit()
            shell.window.close()
            shell.shutdown()  # joins the sync service and the worker pool
            shell.window.deleteLater()

        def work() -> None:
            if opened is not None:
                opened.cache.close()
                opened.cache.documents.clear_copies()
            if extra is not None:
                extra()

        def done(_r: Any = None) -> None:
            self._closing = False
            then()

        def failed(exc: BaseException) -> None:
            log.warning("closing the account: %s", exc)
            done()

        run_in_background(work, done, failed, guard=self)

    def shutdown(self) -> None:
        """At exit: stop the shell and close the cache (blocking; the event loop has ended)."""
        self._closing = True
        for dialog in (self.login_dialog, self.first_sync, self.message_box):
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.hide()
                dialog.deleteLater()
        self.login_dialog = self.first_sync = self.message_box = None
        if self.shell is not None:
            window = self.shell.window
            window.allow_quit()
            window.close()
            self.shell.shutdown()
            window.deleteLater()
            self.shell = None
        if self.opened is not None:
            self.opened.cache.close()
            self.opened.cache.documents.clear_copies()
            self.opened = None
        if self.single_instance is not None:
            self.single_instance.close()

    # ------------------------------------------------------------------ helpers
    def bring_to_front(self) -> None:
        widget: QWidget | None = self.login_dialog or self.first_sync or \
            (self.shell.window if self.shell else None)
        if widget is not None:
            widget.showNormal()
            widget.raise_()
            widget.activateWindow()

    def _tell(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        """A window-modal message that does not block the event loop (``message_shown``)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._parent_widget())
        self.message_box = box
        self.message_shown.emit(text)
        box.open()

    def _parent_widget(self) -> QWidget | None:
        return self.shell.window if self.shell is not None else None

    def _set_stage(self, stage: str) -> None:
        self.stage = stage
        self.stage_changed.emit(stage)
