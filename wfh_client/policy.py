"""Where the machine policy comes from, and why the user of the PC cannot bypass it.

Sources, highest first (``wfh_client.config`` layers them over the user's settings):

1. **Windows registry** ``HKLM\\SOFTWARE\\Policies\\MotCua\\WFHClient`` (REG_SZ, REG_DWORD),
   written by the MSI (``SERVER_URL=...``) or Group Policy (``installer/gpo/``). Only
   administrators can write under ``HKLM\\SOFTWARE\\Policies``. Read through a
   :class:`RegistryReader` so tests inject one.
2. **The machine policy file**: ``/etc/wfh-client/policy.json`` (Linux),
   ``%ProgramData%\\WFH Client\\policy.json`` (Windows), ``/Library/Application Support/WFH
   Client/policy.json`` (macOS). It is trusted only if it and every folder above it belong to
   root (uid 0) and nobody else can write them (:func:`check_trusted_file`); a file a user could
   have written is an error, never silently used nor silently ignored (ignoring it would unlock
   the server address). On Windows the MSI creates the folder writable by administrators only
   (its ``MsiLockPermissionsEx`` row) and the registry is the preferred source; the file's ACL
   itself is not inspected there.
3. **A developer override** replaces the machine file: ``WFH_CLIENT_POLICY`` in a *developer
   build only* (:mod:`wfh_client.buildinfo`: a source checkout or a bundle built with
   ``WFH_BUILD_CHANNEL=developer``), or ``load_config(policy_path=...)`` from code (tests, demo
   mode). A release build (wheel, PyInstaller bundle, .deb, MSI) ignores the variable and logs
   that it did; its entry points never pass ``policy_path``.

This module only finds and reads the sources; ``wfh_client.config`` validates the values.
"""

from __future__ import annotations

import importlib
import logging
import os
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from wfh_client.buildinfo import BuildInfo, build_info

log = logging.getLogger(__name__)

ENV_POLICY = "WFH_CLIENT_POLICY"
REGISTRY_KEY = r"SOFTWARE\Policies\MotCua\WFHClient"
REGISTRY_ROOT = "HKLM"
TRUSTED_UIDS = frozenset({0})

RegistryValue = str | int
FileKind = Literal["machine", "developer"]


class PolicySourceError(Exception):
    """A policy source exists but must not be used (e.g. a file users can write)."""


class RegistryReader(Protocol):
    def read(self, key: str) -> dict[str, RegistryValue] | None:
        """The values under ``HKLM\\<key>`` (REG_SZ as str, REG_DWORD as int), None if absent."""
        ...


class WindowsRegistry:
    """The real registry (64-bit view, so a 32-bit build reads what GPO wrote)."""

    def read(self, key: str) -> dict[str, RegistryValue] | None:
        # through importlib: mypy on Linux does not know winreg's Windows-only names
        winreg: Any = importlib.import_module("winreg")

        access = winreg.KEY_READ | winreg.KEY_WOW64_64KEY
        try:
            handle = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key, 0, access)
        except FileNotFoundError:
            return None
        values: dict[str, RegistryValue] = {}
        with handle:
            index = 0
            while True:
                try:
                    name, value, kind = winreg.EnumValue(handle, index)
                except OSError:
                    break
                index += 1
                if kind == winreg.REG_DWORD:
                    values[name] = int(value)
                elif kind in (winreg.REG_SZ, winreg.REG_EXPAND_SZ):
                    values[name] = str(value)
                else:
                    log.warning("ignoring registry policy value %s of type %s", name, kind)
        return values


class NoRegistry:
    """Not Windows: there is no registry policy."""

    def read(self, key: str) -> dict[str, RegistryValue] | None:
        return None


def default_registry() -> RegistryReader:
    return WindowsRegistry() if sys.platform == "win32" else NoRegistry()


def machine_policy_path() -> Path:
    """The machine policy file of this OS (never taken from the environment)."""
    if sys.platform == "win32":
        base = os.environ.get("ProgramData", r"C:\ProgramData")
        return Path(base) / "WFH Client" / "policy.json"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/WFH Client/policy.json")
    return Path("/etc/wfh-client/policy.json")


@dataclass(frozen=True)
class PolicyFile:
    path: Path
    kind: FileKind  # "machine": owner/permissions checked; "developer": an explicit override


def policy_file(policy_path: Path | None = None, *, build: BuildInfo | None = None,
                environ: Mapping[str, str] | None = None) -> PolicyFile:
    """Which policy file applies: an explicit path, the developer variable, or the machine's."""
    if policy_path is not None:
        return PolicyFile(Path(policy_path), "developer")
    env = os.environ if environ is None else environ
    override = env.get(ENV_POLICY)
    if override:
        info = build or build_info()
        if info.developer:
            return PolicyFile(Path(override), "developer")
        log.warning("%s is ignored: this is a release build (%s); the machine policy applies",
                    ENV_POLICY, info.build)
    return PolicyFile(machine_policy_path(), "machine")


def check_trusted_file(path: Path, *, trusted_uids: frozenset[int] | None = None) -> None:
    """Raise :class:`PolicySourceError` unless only an administrator can have written ``path``.

    POSIX: the file (symlinks resolved) and each folder above it are owned by a trusted uid
    (root) and not writable by group or others. Windows relies on the installer's folder ACL
    (and prefers the registry). A missing file is not an error: the caller reads nothing.
    """
    if os.name == "nt":
        return
    trusted_uids = TRUSTED_UIDS if trusted_uids is None else trusted_uids
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise PolicySourceError(f"cannot resolve {path}: {exc}") from exc
    for item in (real, *real.parents):
        st = item.stat()
        what = "file" if item == real else "folder"
        if item == real and not stat.S_ISREG(st.st_mode):
            raise PolicySourceError(f"{path} is not a regular file")
        if st.st_uid not in trusted_uids:
            raise PolicySourceError(
                f"the {what} {item} belongs to uid {st.st_uid}, not to root: a user could have "
                "written this policy, so it is not used")
        # a sticky folder (/tmp) writable by all is fine: nobody but root renames root's entry
        sticky_folder = item != real and bool(st.st_mode & stat.S_ISVTX)
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not sticky_folder:
            raise PolicySourceError(
                f"the {what} {item} is writable by other users (mode {st.st_mode & 0o7777:o}): "
                "a user could have written this policy, so it is not used")
