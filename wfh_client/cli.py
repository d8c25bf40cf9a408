"""Headless command line: ``wfh-client`` (or ``python -m wfh_client``).

Commands: ``login``, ``sync [--resync] [--json] [--page-limit N]``, ``note DOSSIER_ID TEXT``,
``status [--json]``, ``logout``, ``doctor [--json]``, ``config show|set|unset``. Global
``--data-dir DIR`` (else ``$WFH_CLIENT_DATA_DIR``, else the platform's user data dir). The
current account (server, username) is remembered in the data dir; the refresh token only in the
OS keyring. Works without a terminal: ``login --password-stdin``
reads the password from the first line of standard input.

Exit codes:
  0  ok
  1  other error
  2  usage error (bad arguments, a setting locked by policy, no password source)
  3  wrong username or password
  4  server unreachable
  5  TLS / certificate failure
  6  OS keyring locked or missing
  7  device revoked / account disabled (the local cache was wiped)
  8  not logged in / session expired (log in again)
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from wfh_client.buildinfo import build_info
from wfh_client.cli_support import add_support_commands, policy_sources, print_policy_sources
from wfh_client.config import (
    REGISTRY,
    Config,
    ConfigError,
    LockedSettingError,
    device_id,
    load_config,
)
from wfh_client.frozen_env import restore_child_environment
from wfh_client.logs import setup_logging
from wfh_client.store.cache import Cache, account_paths
from wfh_client.store.errors import CacheLocked, PlaintextNotAllowed
from wfh_client.store.errors import KeyringUnavailable as StoreKeyringUnavailable
from wfh_client.store.keys import normalise_server_url
from wfh_client.store.recovery import SetAside
from wfh_client.store.state import unsent_changes
from wfh_client.sync import cachestatus
from wfh_client.sync.account import (
    Account,
    clear_current,
    current_account,
    save_current,
    wipe_account,
)
from wfh_client.sync.auth import TokenStore, login, open_session
from wfh_client.sync.engine import DEFAULT_PAGE_LIMIT, SyncEngine
from wfh_client.sync.errors import (
    ApiError,
    AuthFailed,
    ClientError,
    DeviceRevoked,
    KeyringUnavailable,
    LoginRefused,
    NetworkError,
    NotLoggedIn,
    ServerUnreachable,
    SessionExpired,
    TlsError,
)
from wfh_client.sync.http import NO_RETRY, client_from_config
from wfh_client.sync.opening import open_account_cache

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_AUTH, EXIT_UNREACHABLE = 0, 1, 2, 3, 4
EXIT_TLS, EXIT_KEYRING, EXIT_REVOKED, EXIT_NOT_LOGGED_IN = 5, 6, 7, 8

STATUS_TIMEOUT = (3.0, 5.0)
EPILOG = """exit codes:
  0 ok; 1 other error; 2 usage; 3 wrong username or password (or sign-in refused: too
  many attempts, too many devices); 4 server unreachable; 5 TLS/certificate failure; 6 OS keyring locked or missing; 7 device revoked or account
  disabled (local cache wiped); 8 not logged in / session expired"""

log = logging.getLogger("wfh_client.cli")


class UsageError(Exception):
    pass


def _out(text: str = "") -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def exit_code_for(exc: BaseException) -> tuple[int, str]:
    """The exit code and a bilingual message for an error."""
    if isinstance(exc, UsageError | LockedSettingError):
        return EXIT_USAGE, f"error: {exc}"
    if isinstance(exc, AuthFailed):
        return EXIT_AUTH, "Wrong username or password. / Sai tên đăng nhập hoặc mật khẩu."
    if isinstance(exc, LoginRefused):
        if exc.code == "auth.device_limit":
            return EXIT_AUTH, ("This account is used on too many devices; ask IT to revoke one. "
                               "/ Tài khoản đã dùng trên quá nhiều thiết bị; đề nghị bộ phận CNTT "
                               "thu hồi một thiết bị.")
        wait = exc.retry_after or 60
        return EXIT_AUTH, (f"Too many sign-in attempts; try again in {wait} s. / Đăng nhập sai "
                           f"quá nhiều lần; thử lại sau {wait} giây.")
    if isinstance(exc, TlsError):
        return EXIT_TLS, (f"TLS failure: {exc}\nThe server's certificate could not be verified; "
                          "ask IT for the CA bundle (setting ca_bundle). / Không xác minh được "
                          "chứng chỉ của máy chủ.")
    if isinstance(exc, ServerUnreachable):
        return EXIT_UNREACHABLE, f"{exc}\nThe server is unreachable. / Không kết nối được máy chủ."
    if isinstance(exc, KeyringUnavailable | StoreKeyringUnavailable):
        return EXIT_KEYRING, f"{exc}\n/ Không dùng được kho khóa (keyring) của hệ điều hành."
    if isinstance(exc, CacheLocked | PlaintextNotAllowed):
        return EXIT_KEYRING, (f"{exc}\nRun `wfh-client login` to move it aside (it is kept, not "
                              "deleted) and download a fresh copy. / Không mở được dữ liệu cục "
                              "bộ bằng khóa trong kho khóa; chạy `wfh-client login` để tải lại.")
    if isinstance(exc, DeviceRevoked):
        what = ("This account has been disabled" if exc.account_disabled
                else "This device has been revoked")
        vi = ("Tài khoản đã bị vô hiệu hóa" if exc.account_disabled
              else "Thiết bị này đã bị thu hồi")
        n = exc.discarded
        lost = "" if n is None else (
            f" {n} unsent changes were discarded. / {n} thay đổi chưa gửi đã bị hủy." if n else
            " No unsent changes were lost. / Không có thay đổi chưa gửi nào bị mất.")
        return EXIT_REVOKED, (f"{what}; the local cache and keyring entries were wiped. / "
                              f"{vi}; dữ liệu cục bộ đã được xóa.{lost}")
    if isinstance(exc, NotLoggedIn | SessionExpired):
        return EXIT_NOT_LOGGED_IN, (f"Not logged in or the session expired ({exc}); run "
                                    "`wfh-client login`. / Chưa đăng nhập hoặc phiên đã hết hạn.")
    if isinstance(exc, ApiError):
        return EXIT_ERROR, f"The server refused the request: {exc.code}: {exc.message}"
    if isinstance(exc, ConfigError):
        return EXIT_ERROR, f"configuration error: {exc}"
    return EXIT_ERROR, f"error: {type(exc).__name__}: {exc}"


@dataclass
class Ctx:
    args: argparse.Namespace
    config: Config
    tokens: TokenStore

    @property
    def data_dir(self) -> Path:
        return self.config.data_dir

    def on_revoked_for(self, account: Account) -> Callable[[str], None]:
        def on_revoked(reason: str) -> None:
            wipe_account(self.data_dir, account, self.tokens)

        return on_revoked


# ---- commands ------------------------------------------------------------------------------


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise UsageError("--password-stdin: no password on standard input")
        return password
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass("Password / Mật khẩu: ")
    raise UsageError("no terminal to ask for the password: use --password-stdin")


def cmd_login(ctx: Ctx) -> int:
    args, cfg = ctx.args, ctx.config
    server = args.server
    if server and cfg.locked("server_url") and \
            normalise_server_url(server) != normalise_server_url(cfg.get("server_url")):
        raise UsageError(f"the server is set by the machine policy ({cfg.get('server_url')}) "
                         "and cannot be changed")
    server = server or cfg.get("server_url")
    if not server:
        raise UsageError("no server: pass --server URL (or set server_url)")
    try:
        REGISTRY["server_url"].validate(server)
    except ValueError as exc:
        raise UsageError(f"--server {exc}") from exc
    password = _read_password(args)
    account = Account(server, args.username)
    http = client_from_config(cfg, account.server_url)
    session = login(http, args.username, password, device_id=device_id(ctx.data_dir),
                    tokens=ctx.tokens, device_name=platform.node() or None,
                    on_revoked=ctx.on_revoked_for(account))
    save_current(ctx.data_dir, session.account, session.user)
    if not cfg.locked("server_url") and cfg.get("server_url") != session.account.server_url:
        cfg.set_user("server_url", session.account.server_url)
    # a cache this device can no longer read is moved aside now, so that `sync` works again
    if account_paths(session.account.id, ctx.data_dir).db.exists():
        _open_cache(ctx, session.account, start_fresh=True).close()
    user = session.user or {}
    _out(f"Logged in to {session.account.server_url} as {user.get('full_name') or args.username} "
         f"({args.username}, {user.get('role', '?')}). / Đăng nhập thành công.")
    return EXIT_OK


def cmd_logout(ctx: Ctx) -> int:
    current = current_account(ctx.config)
    if current is None:
        _out("Not logged in. / Chưa đăng nhập.")
        return EXIT_OK
    session = open_session(ctx.config, tokens=ctx.tokens,
                           on_revoked=ctx.on_revoked_for(current.account))
    session.logout()
    clear_current(ctx.data_dir)
    _out(f"Logged out of {current.account.server_url}. / Đã đăng xuất.")
    return EXIT_OK


def _open_cache(ctx: Ctx, account: Account, *, start_fresh: bool = False) -> Cache:
    """The account's cache, checked at open (``Cache.open``'s ``auto``); a damaged one is moved aside with its unsent
    changes carried over (said on stderr). A cache whose key is missing or wrong raises
    ``CacheLocked`` (exit 6) unless ``start_fresh`` (``login``) moves it aside."""
    opened = open_account_cache(ctx.config, account, start_fresh=start_fresh)
    if opened.set_aside is not None:
        _err(set_aside_message(opened.set_aside))
    return opened.cache


def set_aside_message(report: SetAside) -> str:
    why = {"damaged": "it was damaged", "key_missing": "its key is missing from the keyring",
           "wrong_key": "the keyring's key does not open it",
           "not_encrypted": "it was not encrypted"}.get(report.reason, report.reason)
    if report.unsent is None:
        held = ("How many unsent changes it held cannot be told without its key; they cannot "
                "be sent. / Không xác định được số thay đổi chưa gửi trong tệp cũ.")
    else:
        held = (f"It held {report.unsent} unsent changes: {report.salvaged} were carried over "
                f"and will be sent, {report.lost} could not be read. / Tệp cũ có "
                f"{report.unsent} thay đổi chưa gửi: {report.salvaged} đã được giữ lại để gửi, "
                f"{report.lost} không đọc được.")
    return (f"The local cache could not be opened ({why}). It was moved aside, not deleted, to "
            f"{report.folder}, and a fresh copy is downloaded from the server. {held}\n"
            "Dữ liệu cục bộ không mở được; tệp cũ đã được chuyển sang thư mục trên (không xóa) "
            "và dữ liệu được tải lại từ máy chủ.")


def _revoked(ctx: Ctx, account: Account, cache: Cache, exc: DeviceRevoked) -> DeviceRevoked:
    """Count what is discarded, close and wipe; the error then says how much was lost."""
    try:
        exc.discarded = unsent_changes(cache.reader())
    except Exception:  # noqa: BLE001 - the count is informative; the wipe must happen
        log.warning("could not count the unsent changes before the wipe", exc_info=True)
    cache.close()
    wipe_account(ctx.data_dir, account, ctx.tokens)
    return exc


def cmd_sync(ctx: Ctx) -> int:
    current = current_account(ctx.config)
    if current is None:
        raise NotLoggedIn("not logged in on this device")
    account, cfg = current.account, ctx.config
    # revocation: the wipe waits until the engine has stopped and the count is taken
    session = open_session(cfg, tokens=ctx.tokens, on_revoked=lambda _reason: None)
    cache = _open_cache(ctx, account)
    with cache:
        engine = SyncEngine(session, cache, page_limit=ctx.args.page_limit,
                            prefetch_max_bytes=int(cfg.get("prefetch_max_bytes")))
        try:
            report = engine.sync_once(resync=ctx.args.resync)
        except DeviceRevoked as exc:
            raise _revoked(ctx, account, cache, exc) from None
    if ctx.args.json:
        _out(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        _out(f"Sync finished: {report.pulled} dossiers received, {report.removed} removed, "
             f"{report.applied} changes sent, {report.conflicts} conflicts, "
             f"{report.rejected} rejected, {report.invalid} invalid, "
             f"{report.documents} documents downloaded.")
    return EXIT_OK


def cmd_note(ctx: Ctx) -> int:
    """Record a note on a cached dossier, offline; the next ``sync`` sends it (exactly once)."""
    from wfh_client.domain import ActionError
    from wfh_client.sync import operations

    current = current_account(ctx.config)
    if current is None:
        raise NotLoggedIn("not logged in on this device")
    text = ctx.args.text
    if text == "-":
        text = sys.stdin.read()
    text = text.strip()
    if not text:
        raise UsageError("the note is empty")
    account, cfg = current.account, ctx.config
    session = open_session(cfg, tokens=ctx.tokens)  # no network: the engine only reads its user
    cache = _open_cache(ctx, account)
    try:
        engine = SyncEngine(session, cache)
        try:
            entry = operations.record_action(engine, ctx.args.dossier_id, "note", {"text": text})
        except KeyError:
            _err(f"Dossier {ctx.args.dossier_id} is not in the local cache; run `wfh-client sync` "
                 "first. / Hồ sơ không có trong bộ nhớ cục bộ.")
            return EXIT_ERROR
        except ActionError as exc:
            _err(f"The note was refused: {exc.code}: {exc.message} / Ghi chú không hợp lệ.")
            return EXIT_ERROR
    finally:
        cache.close()  # a failed checkpoint at close (disk full) loses nothing: it is logged
    if ctx.args.json:
        _out(json.dumps({"client_id": entry.client_id, "dossier_id": entry.dossier_id,
                         "state": entry.state}, ensure_ascii=False))
    else:
        _out(f"Note recorded ({entry.client_id}); it is sent on the next sync. / "
             "Đã lưu ghi chú; sẽ gửi khi đồng bộ.")
    return EXIT_OK


def _page_limit(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 2000:
        raise argparse.ArgumentTypeError("must be between 1 and 2000")
    return value


def _status(ctx: Ctx) -> tuple[int, dict[str, Any]]:
    current = current_account(ctx.config)
    info: dict[str, Any] = {"logged_in": False, "data_dir": str(ctx.data_dir),
                            "device_id": device_id(ctx.data_dir)}
    if current is None:
        return EXIT_NOT_LOGGED_IN, info
    user = current.user
    info.update(server=current.account.server_url, username=current.account.username,
                account_id=current.account.id, full_name=user.get("full_name"),
                role=user.get("role"), department=user.get("department_name"))
    code = EXIT_OK
    try:
        has_token = ctx.tokens.get_refresh(current.account.id) is not None
        info["session"] = "active" if has_token else "expired"
        info["logged_in"] = has_token
        code = EXIT_OK if has_token else EXIT_NOT_LOGGED_IN
    except KeyringUnavailable as exc:
        info["session"] = f"keyring unavailable: {exc}"
        code = EXIT_KEYRING
    if code == EXIT_OK and not ctx.args.offline:
        code = _status_online(ctx, current.account, info)
    info["cache"] = cachestatus.counts(ctx.config, current.account)
    return code, info


def _status_online(ctx: Ctx, account: Account, info: dict[str, Any]) -> int:
    """Ask the server who we are (refreshing the session if needed); offline is not an error."""
    session = open_session(ctx.config, tokens=ctx.tokens, retry=NO_RETRY,
                           on_revoked=ctx.on_revoked_for(account))
    try:
        user = session.get("/api/v1/me", timeout=STATUS_TIMEOUT).json()
    except NetworkError as exc:
        info["server_state"] = f"offline: {exc}"
        return EXIT_OK
    except SessionExpired:
        info["session"], info["logged_in"] = "expired", False
        return EXIT_NOT_LOGGED_IN
    finally:
        session.http.close()
    info["server_state"] = "online"
    if isinstance(user, dict):
        info.update(full_name=user.get("full_name"), role=user.get("role"),
                    department=user.get("department_name"))
        save_current(ctx.data_dir, account, user)
    return EXIT_OK


def cmd_status(ctx: Ctx) -> int:
    code, info = _status(ctx)
    if ctx.args.json:
        _out(json.dumps(info, ensure_ascii=False, indent=2))
        return code
    if "server" not in info:
        _out("Not logged in. / Chưa đăng nhập.")
        return code
    cache = info["cache"]
    _out(f"Server:       {info['server']} ({info.get('server_state', 'not contacted')})\n"
         f"User:         {info['full_name'] or ''} ({info['username']}, {info['role']})\n"
         f"Session:      {info['session']}")
    if cache.get("available"):
        _out(f"Dossiers:     {cache['dossiers']}\nPending:      {cache['pending']}\n"
             f"Conflicts:    {cache['conflicts']}\nRejected:     {cache['rejected']}\n"
             f"Last sync:    {cache['last_success_at'] or 'never'}")
    else:
        _out(f"Cache:        {cache.get('detail', 'not available')}")
    return code


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    exit_code: int = EXIT_OK


def _check_server(ctx: Ctx, server: str | None) -> Check:
    if not server:
        return Check("server", True, "no server configured (pass --server URL to check one)")
    try:
        http = client_from_config(ctx.config, server, retry=NO_RETRY)
    except TlsError as exc:
        return Check("server", False, str(exc), EXIT_TLS)
    started = time.monotonic()
    try:
        with http:
            http.get("/api/v1/calendar", accept=frozenset({401}))
    except TlsError as exc:
        return Check("server", False, str(exc), EXIT_TLS)
    except ServerUnreachable as exc:
        return Check("server", False, str(exc), EXIT_UNREACHABLE)
    except ApiError as exc:
        return Check("server", False, f"{server} answered {exc.status} {exc.code}", EXIT_ERROR)
    ms = (time.monotonic() - started) * 1000
    tls = " (TLS verified)" if server.startswith("https://") else " (plain HTTP, no TLS)"
    return Check("server", True, f"{server} reachable in {ms:.0f} ms{tls}")


def _check_keyring(ctx: Ctx) -> Check:
    name = ctx.tokens.backend_name
    try:
        ctx.tokens.probe()
    except KeyringUnavailable as exc:
        return Check("keyring", False, str(exc), EXIT_KEYRING)
    return Check("keyring", True, f"{name}: write/read/delete ok")


def doctor_report(ctx: Ctx) -> tuple[int, dict[str, Any]]:
    """The checks and settings of ``doctor`` (also the support bundle's ``doctor.json``)."""
    cfg = ctx.config
    current = current_account(ctx.config)
    checks = [Check("config", True, f"policy file {cfg.policy_path} "
                    f"({'present' if cfg.policy_path.exists() else 'absent'}); "
                    f"settings {cfg.user_path}")]
    checks.append(_check_server(ctx, getattr(ctx.args, "server", None) or (
        current.account.server_url if current else cfg.get("server_url"))))
    checks.append(_check_keyring(ctx))
    if current is None:
        checks.append(Check("account", True, "not logged in"))
    else:
        checks.append(Check("account", True, f"{current.account.username} @ "
                            f"{current.account.server_url} (id {current.account.id})"))
        ok, detail = cachestatus.integrity(cfg, current.account)
        checks.append(Check("cache", ok, detail, EXIT_OK if ok else EXIT_ERROR))
        ok, detail = cachestatus.calendar_check(cfg, current.account)
        checks.append(Check("calendar", ok, detail))
        kept = cachestatus.set_aside_copies(cfg, current.account)
        if kept:  # informative, not a failure: the user was told when it happened
            checks.append(Check("set-aside", True, f"{len(kept)} unreadable cache copies kept: "
                                + "; ".join(f"{k['folder']} ({k['bytes']} bytes)" for k in kept)))
    settings = [{"key": i.key, "value": i.value, "source": i.source, "locked": i.locked,
                 "origin": i.origin} for i in cfg.items()]
    code = next((c.exit_code or EXIT_ERROR for c in checks if not c.ok), EXIT_OK)
    return code, {"checks": [asdict(c) for c in checks], "settings": settings,
                  "policy_sources": policy_sources(cfg), "build": build_info().as_dict(),
                  "ok": code == EXIT_OK}


def cmd_doctor(ctx: Ctx) -> int:
    code, report = doctor_report(ctx)
    if ctx.args.json:
        _out(json.dumps(report, ensure_ascii=False, indent=2))
        return code
    for c in report["checks"]:
        _out(f"[{'ok' if c['ok'] else 'FAIL':>4}] {c['name']:<8} {c['detail']}")
    print_policy_sources(report["policy_sources"], _out)
    _out("\nSettings in force:")
    for p in report["settings"]:
        lock = " (locked)" if p["locked"] else ""
        _out(f"  {p['key']:<24} = {json.dumps(p['value'])}  [{p['source']}{lock}: "
             f"{p['origin']}]")
    return code


def cmd_config(ctx: Ctx) -> int:
    cfg, args = ctx.config, ctx.args
    if args.config_cmd == "set":
        spec = REGISTRY.get(args.key)
        if spec is None:
            raise UsageError(f"unknown setting {args.key!r}")
        try:
            cfg.set_user(args.key, spec.parse(args.value))
        except ValueError as exc:
            raise UsageError(f"{args.key} {exc}") from exc
        except ConfigError as exc:
            raise UsageError(str(exc)) from exc
    elif args.config_cmd == "unset":
        cfg.unset_user(args.key)
    for i in cfg.items():
        lock = ", locked" if i.locked else ""
        _out(f"{i.key} = {json.dumps(i.value)}  [{i.source}{lock}]")
    return EXIT_OK


# ---- parser and main -----------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wfh-client", description="Work-from-home client for one-stop-shop staff "
        "(headless commands).", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version",
                        version=build_info().version_line("wfh-client"))
    parser.add_argument("--data-dir", metavar="DIR", help="data directory "
                        "(default: $WFH_CLIENT_DATA_DIR or the platform's user data dir)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("login", help="log in and keep the session in the OS keyring",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--server", metavar="URL", help="server URL (default: setting server_url)")
    p.add_argument("--username", "-u", required=True)
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of standard input")
    p.set_defaults(func=cmd_login)
    p_sync = sub.add_parser("sync", help="synchronise once (push unsent changes, pull, prefetch)")
    p_sync.add_argument("--resync", action="store_true",
                        help="download the whole scope again (keeps unsent changes); may remove "
                             "most of the cache, which a normal sync refuses to do")
    p_sync.add_argument("--json", action="store_true", help="print the sync report as JSON")
    p_sync.add_argument("--page-limit", type=_page_limit, default=DEFAULT_PAGE_LIMIT,
                        metavar="N",
                        help=f"dossiers per pull page, 1-2000 (default {DEFAULT_PAGE_LIMIT})")
    p_sync.set_defaults(func=cmd_sync)
    p = sub.add_parser("note", help="record a note on a cached dossier (works offline; the next "
                       "sync sends it)", epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dossier_id", metavar="DOSSIER_ID")
    p.add_argument("text", metavar="TEXT", help="the note; '-' reads it from standard input")
    p.add_argument("--json", action="store_true",
                   help="print {client_id, dossier_id, state} as JSON")
    p.set_defaults(func=cmd_note)
    p = sub.add_parser("status", help="account, session and cache figures")
    p.add_argument("--json", action="store_true")
    p.add_argument("--offline", action="store_true", help="do not contact the server")
    p.set_defaults(func=cmd_status)
    sub.add_parser("logout", help="end the session and forget the refresh token"
                   ).set_defaults(func=cmd_logout)
    p = sub.add_parser("doctor", help="check server, TLS, keyring, cache and settings")
    p.add_argument("--json", action="store_true")
    p.add_argument("--server", metavar="URL", help="check this server instead of the current one")
    p.set_defaults(func=cmd_doctor)
    p = sub.add_parser("config", help="show or change user settings")
    csub = p.add_subparsers(dest="config_cmd", required=True)
    csub.add_parser("show")
    s = csub.add_parser("set")
    s.add_argument("key", choices=sorted(REGISTRY))
    s.add_argument("value")
    u = csub.add_parser("unset")
    u.add_argument("key", choices=sorted(REGISTRY))
    p.set_defaults(func=cmd_config)
    add_support_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    restore_child_environment()
    setup_logging("wfh-client", verbose=args.verbose)  # rotating file + stderr, redacted
    try:
        ctx = Ctx(args, load_config(args.data_dir), TokenStore())
        code: int = args.func(ctx)
        return code
    except (ClientError, ConfigError, UsageError, OSError) as exc:
        code, message = exit_code_for(exc)
        _err(message)
        return code
    except Exception as exc:  # noqa: BLE001 - store errors etc.: a message, not a traceback
        log.debug("unexpected error", exc_info=True)
        code, message = exit_code_for(exc)
        _err(message)
        return code
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
