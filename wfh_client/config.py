"""Client settings: a typed registry of keys, the user's settings and the machine policy.

Three layers, highest first:

1. **Policy** - one JSON object per machine, written by IT (installer or GPO/MDM). Path per OS:
   Linux ``/etc/wfh-client/policy.json``, Windows ``%ProgramData%\\WFH Client\\policy.json``,
   macOS ``/Library/Application Support/WFH Client/policy.json``; the environment variable
   ``WFH_CLIENT_POLICY`` overrides the path (tests, IT staging). A key set by the policy overrides
   the user's value **and locks it**: ``Config.set_user`` refuses it.
2. **User** - ``settings.json`` in the data directory (written atomically by ``set_user``).
3. **Default** - from the registry ``SETTINGS``.

A malformed policy or settings file is a :class:`ConfigError` naming the file; it is never
silently ignored (a broken policy must not quietly unlock the server address). Unknown keys in
the policy are logged and ignored so a newer template works with an older client; keys starting
with ``_`` or ``$`` are comments.

The data directory: ``--data-dir DIR``, else ``WFH_CLIENT_DATA_DIR``, else platformdirs'
``user_data_dir("wfh-client")``. It holds ``settings.json``, ``device_id`` (a uuid4, created
once; not secret) and the account folders of the cache.

To add a policy key: append a :class:`Setting` to ``SETTINGS``; nothing else changes.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "wfh-client"
ENV_DATA_DIR = "WFH_CLIENT_DATA_DIR"
ENV_POLICY = "WFH_CLIENT_POLICY"
SETTINGS_FILE = "settings.json"
DEVICE_ID_FILE = "device_id"
MiB = 1024 * 1024

Source = Literal["policy", "user", "default"]


class ConfigError(Exception):
    """A setting or a settings/policy file is invalid."""


class LockedSettingError(ConfigError):
    """The user tried to change a key that the machine policy sets (and so locks)."""


# ---- the registry --------------------------------------------------------------------------


def is_loopback_host(host: str | None) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1): this computer only."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_server_url(value: str) -> None:
    """Raise ``ValueError`` unless ``value`` is an https:// URL with a host name, or an http://
    URL to this computer (loopback: the demo and tests). Plain HTTP anywhere else would send
    passwords, tokens and citizens' data readable by anyone on the way."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an https:// URL with a host name")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("must not contain a query, a fragment or credentials")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ValueError("must use https:// (plain http:// is allowed only to this computer)")


def _http_url(value: Any) -> None:
    check_server_url(value)


def _non_empty(value: Any) -> None:
    if not value.strip():
        raise ValueError("must not be empty")


@dataclass(frozen=True)
class Setting:
    """One configuration key: its type, default, bounds and what it means (for doctor / IT)."""

    key: str
    type: type
    default: Any
    description: str
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    check: Callable[[Any], None] | None = None

    def validate(self, value: Any) -> Any:
        """Return the value (ints widened to float for float keys) or raise ``ValueError``."""
        if value is None:
            if self.nullable:
                return None
            raise ValueError("must not be null")
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        # bool is an int subclass: never accept True for a number nor 1 for a flag.
        if type(value) is not self.type:
            raise ValueError(f"must be of type {self.type.__name__}, not {type(value).__name__}")
        number: float = value if isinstance(value, int | float) else 0.0
        if self.minimum is not None and number < self.minimum:
            raise ValueError(f"must be at least {self.minimum:g}")
        if self.maximum is not None and number > self.maximum:
            raise ValueError(f"must be at most {self.maximum:g}")
        if self.choices is not None and value not in self.choices:
            raise ValueError(f"must be one of {', '.join(self.choices)}")
        if self.check is not None:
            self.check(value)
        return value

    def parse(self, text: str) -> Any:
        """Parse a command-line string into this key's type (``null`` clears a nullable key)."""
        if self.nullable and text.strip().lower() in ("", "null", "none"):
            return None
        if self.type is bool:
            lowered = text.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError("must be true or false")
        if self.type is int:
            return int(text)
        if self.type is float:
            return float(text)
        return text


SETTINGS: tuple[Setting, ...] = (
    Setting("server_url", str, None, "Base URL of the one-stop-shop API server.",
            nullable=True, check=_http_url),
    Setting("ca_bundle", str, None,
            "Extra PEM CA bundle trusted in addition to the OS trust store.",
            nullable=True, check=_non_empty),
    Setting("sync_interval_seconds", int, 300, "Seconds between background syncs.",
            minimum=30, maximum=24 * 3600),
    Setting("prefetch_max_bytes", int, 50 * MiB,
            "Documents at most this large are downloaded ahead of time for offline work.",
            minimum=0, maximum=10 * 1024 * MiB),
    Setting("allow_plaintext_cache", bool, False,
            "Allow an unencrypted cache when no keyring is available (not recommended)."),
    Setting("language", str, "vi", "User interface language.", choices=("vi", "en")),
    Setting("request_timeout_seconds", float, 30.0,
            "Read timeout of each HTTP request (connect timeout is at most 10 s).",
            minimum=1, maximum=600),
    Setting("support_contact", str, None,
            "How users reach IT support (phone, e-mail), shown in About and in the errors "
            "only IT can solve.", nullable=True, check=_non_empty),
    Setting("place_name", str, None,
            "The place written before the date on printed slips (e.g. Mỹ Tho).",
            nullable=True, check=_non_empty),
)
REGISTRY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def setting(key: str) -> Setting:
    try:
        return REGISTRY[key]
    except KeyError:
        raise ConfigError(f"unknown setting {key!r} (known: {', '.join(REGISTRY)})") from None


# ---- paths ---------------------------------------------------------------------------------


def default_policy_path() -> Path:
    """The machine policy file for this OS (``WFH_CLIENT_POLICY`` overrides it)."""
    override = os.environ.get(ENV_POLICY)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("ProgramData", r"C:\ProgramData")
        return Path(base) / "WFH Client" / "policy.json"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/WFH Client/policy.json")
    return Path("/etc/wfh-client/policy.json")


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """``data_dir`` if given, else ``$WFH_CLIENT_DATA_DIR``, else the platform's user data dir."""
    if data_dir is not None:
        return Path(data_dir).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and ``os.replace`` (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def device_id(data_dir: Path) -> str:
    """This installation's device id: a uuid4 created once and kept in the data dir."""
    path = data_dir / DEVICE_ID_FILE
    try:
        existing = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        existing = ""
    if existing:
        return existing
    value = str(uuid.uuid4())
    atomic_write_text(path, value + "\n")
    return value


def _read_json_object(path: Path, what: str) -> dict[str, Any] | None:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read the {what} {path}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"the {what} {path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"the {what} {path} must contain a JSON object")
    return data


def _validated(data: dict[str, Any], path: Path, what: str, *, strict: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key.startswith(("_", "$")):
            continue
        spec = REGISTRY.get(key)
        if spec is None:
            if strict:
                raise ConfigError(f"the {what} {path} has an unknown key {key!r}")
            log.warning("ignoring unknown key %r in the %s %s", key, what, path)
            continue
        try:
            out[key] = spec.validate(value)
        except ValueError as exc:
            raise ConfigError(f"the {what} {path}: {key} {exc}") from exc
    return out


# ---- the configuration ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConfigItem:
    key: str
    value: Any
    source: Source
    locked: bool
    description: str


class Config:
    """Effective settings: policy over user over default. Not thread-safe for writers."""

    def __init__(
        self, data_dir: Path, policy_path: Path, policy: dict[str, Any], user: dict[str, Any]
    ) -> None:
        self.data_dir = data_dir
        self.policy_path = policy_path
        self.user_path = data_dir / SETTINGS_FILE
        self._policy = dict(policy)
        self._user = dict(user)

    def get(self, key: str) -> Any:
        spec = setting(key)
        if key in self._policy:
            return self._policy[key]
        if key in self._user:
            return self._user[key]
        return spec.default

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def source(self, key: str) -> Source:
        setting(key)
        if key in self._policy:
            return "policy"
        if key in self._user:
            return "user"
        return "default"

    def locked(self, key: str) -> bool:
        setting(key)
        return key in self._policy

    def set_user(self, key: str, value: Any) -> None:
        """Validate and persist a user value; refuses keys locked by the policy."""
        spec = setting(key)
        if self.locked(key):
            raise LockedSettingError(
                f"{key} is set by the machine policy ({self.policy_path}) and cannot be changed"
            )
        try:
            value = spec.validate(value)
        except ValueError as exc:
            raise ConfigError(f"{key} {exc}") from exc
        self._user[key] = value
        self._save_user()

    def unset_user(self, key: str) -> None:
        setting(key)
        if self._user.pop(key, _MISSING) is not _MISSING:
            self._save_user()

    def items(self) -> list[ConfigItem]:
        return [
            ConfigItem(s.key, self.get(s.key), self.source(s.key), self.locked(s.key), s.description)
            for s in SETTINGS
        ]

    def __iter__(self) -> Iterator[str]:
        return iter(REGISTRY)

    def _save_user(self) -> None:
        atomic_write_text(self.user_path, json.dumps(self._user, indent=2, sort_keys=True) + "\n")


_MISSING = object()


def load_config(
    data_dir: str | os.PathLike[str] | None = None, *, policy_path: Path | None = None
) -> Config:
    """Load the policy and the user's settings; raises :class:`ConfigError` on a broken file."""
    root = resolve_data_dir(data_dir)
    ppath = policy_path or default_policy_path()
    policy = _validated(_read_json_object(ppath, "policy file") or {}, ppath, "policy file",
                        strict=False)
    upath = root / SETTINGS_FILE
    user = _validated(_read_json_object(upath, "settings file") or {}, upath, "settings file",
                      strict=False)
    return Config(root, ppath, policy, user)
