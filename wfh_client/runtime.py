"""This user's private runtime folder: decrypted document copies and the single-instance socket.

Never the shared temporary folder: there, another local user can predict names, squat them
first (a socket that answers "already running", a folder that they own) or read what is left
behind. The folder is, in order of preference:

1. ``$WFH_CLIENT_RUNTIME_DIR`` (tests, unusual setups);
2. on Linux ``$XDG_RUNTIME_DIR/wfh-client`` (``/run/user/<uid>``: a per-user tmpfs, 0700, that
   the system empties at log-out, so plaintext never even reaches the disk);
3. otherwise ``<platform user cache dir>/run`` (``~/.cache/wfh-client/run``,
   ``%LOCALAPPDATA%\\wfh-client\\Cache\\run``, ``~/Library/Caches/wfh-client/run``), inside
   the user's own profile.

:func:`private_dir` creates it 0700 and, on POSIX, refuses to use it (:class:`UnsafeDirectory`)
when it is a symbolic link or owned by someone else, and tightens its mode when it is
group/world-accessible. On Windows the profile's ACL already keeps other users out.

Layout::

    <runtime>/instance            the single-instance socket (wfh_client.ui.single_instance)
    <runtime>/instance.key        Windows: the random part of the single-instance pipe name
    <runtime>/open/<account id>/  decrypted copies handed to viewers (wfh_client.store.documents)
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import platformdirs

__all__ = [
    "ENV_RUNTIME_DIR",
    "UnsafeDirectory",
    "ensure_private",
    "open_copies_dir",
    "open_copies_root",
    "private_dir",
]

ENV_RUNTIME_DIR = "WFH_CLIENT_RUNTIME_DIR"
APP_NAME = "wfh-client"
OPEN_COPIES = "open"


class UnsafeDirectory(OSError):
    """The private folder exists but is not safely ours (a link, or another user's)."""


def ensure_private(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make sure only this user can use it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name != "posix":
        return path
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise UnsafeDirectory(f"{path} is not a plain directory; refusing to use it")
    if info.st_uid != os.getuid():
        raise UnsafeDirectory(f"{path} belongs to another user (uid {info.st_uid}); refusing "
                              "to use it")
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(path, 0o700)
    return path


def _base() -> Path:
    override = os.environ.get(ENV_RUNTIME_DIR)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if sys.platform.startswith("linux") and xdg and Path(xdg).is_dir():
        return Path(xdg) / APP_NAME
    return platformdirs.user_cache_path(APP_NAME, appauthor=False) / "run"


def private_dir() -> Path:
    """This user's private runtime folder (created 0700; see the module docstring)."""
    return ensure_private(_base())


def open_copies_root() -> Path:
    """The parent of every account's decrypted-copies folder (emptied at start-up); the private
    folder it lives in is created and checked."""
    return private_dir() / OPEN_COPIES


def open_copies_dir(account_id: str) -> Path:
    """Where one account's decrypted copies live (created by the document store when needed)."""
    return open_copies_root() / account_id
