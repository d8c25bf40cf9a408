"""Log files: rotating, under the platform's log folder, with secrets redacted on the way in.

``setup_logging("wfh-client-gui")`` writes ``<log dir>/wfh-client-gui.log`` (1 MiB, 5 old
files kept) at INFO, and to standard error at WARNING (DEBUG with ``-v``). The log folder is
platformdirs' ``user_log_dir("wfh-client")`` (Linux ``~/.local/state/wfh-client/log``, Windows
``%LOCALAPPDATA%\\wfh-client\\Logs``), or ``WFH_CLIENT_LOG_DIR``.

Every record passes :func:`redact` first: bearer tokens, ``Authorization``/``Cookie`` headers,
passwords and tokens in key=value or JSON form, URL query strings, long token-like strings and
the home folder never reach a file. The support bundle (:mod:`wfh_client.support_bundle`)
scrubs again, also for the citizens' data the cache holds.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path

import platformdirs

APP_NAME = "wfh-client"
ENV_LOG_DIR = "WFH_CLIENT_LOG_DIR"
MAX_BYTES = 1024 * 1024
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"
REDACTED = "[redacted]"

# names of fields whose values are secret (the names themselves are not)
_SECRET_FIELDS = "|".join(("password", "passwd", "secret", "access_token", "refresh_token",
                           "token", r"api[_-]?key", r"private[_-]?key", "authorization",
                           "cookie", "set-cookie"))
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization: Bearer xxx / Cookie: a=b; c=d (header lines, up to the end of the line)
    (re.compile(r"(?i)\b(authorization|proxy-authorization|cookie|set-cookie)(\s*[:=]\s*)"
                r"[^\r\n]+"), r"\1\2" + REDACTED),
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"), "Bearer " + REDACTED),
    # "refresh_token": "xyz" / 'password': 'x'
    (re.compile(r"(?i)([\"']?(?:" + _SECRET_FIELDS + r")[\"']?\s*:\s*)[\"'][^\"']*[\"']"),
     r'\1"' + REDACTED + '"'),
    # password=xyz / token=xyz (query strings, form bodies, command lines)
    (re.compile(r"(?i)\b((?:" + _SECRET_FIELDS + r")=)[^\s&;,'\"]+"), r"\1" + REDACTED),
    # a URL's query string can carry names, ID numbers or file names
    (re.compile(r"(https?://[^\s?#'\"<>]+)\?[^\s#'\"<>]*"), r"\1?" + REDACTED),
    # user:password@host in URLs
    (re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@"), r"\1" + REDACTED + "@"),
    # long random strings: tokens, keys (hex or base64url, 32+ characters)
    (re.compile(r"(?<![A-Za-z0-9_/-])[A-Za-z0-9_-]{40,}={0,2}(?![A-Za-z0-9_-])"), REDACTED),
    (re.compile(r"\b[0-9a-fA-F]{32,}\b"), REDACTED),
)


def _home_patterns() -> list[tuple[re.Pattern[str], str]]:
    homes = {str(Path.home())}
    for var in ("HOME", "USERPROFILE"):
        if os.environ.get(var):
            homes.add(os.environ[var])
    return [(re.compile(re.escape(h) + r"(?=[\\/]|$|\s)"), "~") for h in homes
            if len(h) > 1]


def redact(text: str) -> str:
    """``text`` without secrets, query strings and the home folder (idempotent)."""
    for pattern, repl in (*_PATTERNS, *_home_patterns()):
        text = pattern.sub(repl, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats as usual (tracebacks included), then redacts the whole line."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_dir() -> Path:
    override = os.environ.get(ENV_LOG_DIR)
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_files(directory: Path | None = None) -> list[Path]:
    """Every log file (current and rotated) in the log folder, oldest name order."""
    folder = directory or log_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and ".log" in p.name)


def setup_logging(program: str, *, verbose: bool = False,
                  directory: Path | None = None) -> Path | None:
    """Log to ``<log dir>/<program>.log`` (rotating) and stderr; returns the file or None.

    A log folder that cannot be created is reported on stderr and the app still runs.
    """
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_wfh", False):
            root.removeHandler(handler)
            handler.close()
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
    console._wfh = True  # type: ignore[attr-defined]
    root.addHandler(console)
    folder = directory or log_dir()
    path = folder / f"{program}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.name != "nt":
            folder.chmod(0o700)  # logs are the user's own business
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    except OSError as exc:
        logging.getLogger(__name__).warning("no log file in %s: %s", folder, exc)
        return None
    handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    handler.setFormatter(RedactingFormatter(FORMAT))
    handler._wfh = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return path
