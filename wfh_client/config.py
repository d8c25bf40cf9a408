"""Client settings: a typed registry of keys, the user's settings and the machine policy.

Four layers, highest first:

1. **Registry policy** (Windows) - ``HKLM\\SOFTWARE\\Policies\\MotCua\\WFHClient``, value names
   are the keys below (REG_SZ, REG_DWORD), written by the MSI or Group Policy.
2. **Policy file** - one JSON object per machine, written by IT (installer, debconf, MDM):
   Linux ``/etc/wfh-client/policy.json``, Windows ``%ProgramData%\\WFH Client\\policy.json``,
   macOS ``/Library/Application Support/WFH Client/policy.json``; used only if no user could
   have written it. Where the policy comes from and the developer-only override
   (``WFH_CLIENT_POLICY``, ``load_config(policy_path=)``) are :mod:`wfh_client.policy`'s job.
   A key set by the policy (either source) overrides the user's value **and locks it**:
   ``Config.set_user`` refuses it. Keys marked ``policy_only`` (``allow_plaintext_cache``,
   ``update_mode``, ``support_contact``) come from the policy or the default, never the user.
3. **User** - ``settings.json`` in the data directory (written atomically by ``set_user``).
4. **Default** - from the registry ``SETTINGS``.

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
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import platformdirs

from wfh_client.buildinfo import BuildInfo
from wfh_client.policy import (
    REGISTRY_KEY,
    REGISTRY_ROOT,
    PolicySourceError,
    RegistryReader,
    check_trusted_file,
    default_registry,
    policy_file,
)
from wfh_client.store.keys import normalise_server_url

log = logging.getLogger(__name__)

APP_NAME = "wfh-client"
ENV_DATA_DIR = "WFH_CLIENT_DATA_DIR"
SETTINGS_FILE = "settings.json"
DEVICE_ID_FILE = "device_id"
MiB = 1024 * 1024

Source = Literal["registry", "policy", "user", "default"]


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
    # only the machine policy may set it (a user value is refused and ignored)
    policy_only: bool = False

    def from_registry(self, value: str | int) -> Any:
        """A registry value (REG_SZ str / REG_DWORD int) as this key's type, then validated."""
        if isinstance(value, int) and self.type is bool:
            if value not in (0, 1):
                raise ValueError("must be 0 or 1")
            return value == 1
        if isinstance(value, str) and self.type is not str:
            value = self.parse(value)
        if isinstance(value, int) and self.type is str:
            raise ValueError("must be a string value (REG_SZ)")
        return self.validate(value)

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
            "Allow an unencrypted cache when no keyring is available (not recommended).",
            policy_only=True),
    Setting("language", str, "vi", "User interface language.", choices=("vi", "en")),
    Setting("request_timeout_seconds", float, 30.0,
            "Read timeout of each HTTP request (connect timeout is at most 10 s).",
            minimum=1, maximum=600),
    Setting("update_mode", str, "managed",
            "managed: IT deploys updates, the app never downloads or runs installers; notify: "
            "the app also shows the server's recommended and minimum versions with the IT "
            "contact.", choices=("managed", "notify"), policy_only=True),
    Setting("support_contact", str, None,
            "IT support contact shown in About, update notices and error dialogs.",
            nullable=True, check=_non_empty, policy_only=True),
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
    """The policy file in force (the machine's; ``WFH_CLIENT_POLICY`` in developer builds)."""
    return policy_file().path


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


def _validated(data: dict[str, Any], path: Path, what: str, *, strict: bool,
               user: bool = False) -> dict[str, Any]:
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
        if user and spec.policy_only:
            # e.g. allow_plaintext_cache: a user who writes it into settings.json gets nothing
            log.warning("ignoring %s in the %s %s: only the machine policy may set it",
                        key, what, path)
            continue
        try:
            out[key] = spec.validate(value)
        except ValueError as exc:
            raise ConfigError(f"the {what} {path}: {key} {exc}") from exc
    return out


def _registry_values(reader: RegistryReader) -> dict[str, Any]:
    where = f"{REGISTRY_ROOT}\\{REGISTRY_KEY}"
    try:
        raw = reader.read(REGISTRY_KEY)
    except OSError as exc:
        raise ConfigError(f"cannot read the registry policy {where}: {exc}") from exc
    out: dict[str, Any] = {}
    for name, value in (raw or {}).items():
        spec = REGISTRY.get(name)
        if spec is None:
            log.warning("ignoring unknown registry policy value %s\\%s", where, name)
            continue
        try:
            out[name] = spec.from_registry(value)
        except ValueError as exc:
            raise ConfigError(f"the registry policy {where}\\{name} {exc}") from exc
    return out


# ---- the configuration ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConfigItem:
    key: str
    value: Any
    source: Source
    locked: bool
    description: str
    origin: str = ""


class Config:
    """Effective settings: registry policy over policy file over user over default.

    Not thread-safe for writers.
    """

    def __init__(
        self, data_dir: Path, policy_path: Path, policy: dict[str, Any], user: dict[str, Any],
        *, registry: dict[str, Any] | None = None, policy_kind: str = "machine",
    ) -> None:
        self.data_dir = data_dir
        self.policy_path = policy_path
        self.policy_kind = policy_kind  # "machine" or "developer" (an explicit override)
        self.user_path = data_dir / SETTINGS_FILE
        self._registry = dict(registry or {})
        self._policy = dict(policy)
        self._user = dict(user)

    def get(self, key: str) -> Any:
        spec = setting(key)
        for layer in (self._registry, self._policy, self._user):
            if key in layer:
                return layer[key]
        return spec.default

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def source(self, key: str) -> Source:
        setting(key)
        if key in self._registry:
            return "registry"
        if key in self._policy:
            return "policy"
        if key in self._user:
            return "user"
        return "default"

    def origin(self, key: str) -> str:
        """Where the value in force was read: a registry value, a file, or ``default``."""
        source = self.source(key)
        if source == "registry":
            return f"{REGISTRY_ROOT}\\{REGISTRY_KEY}\\{key}"
        if source == "policy":
            return str(self.policy_path)
        if source == "user":
            return str(self.user_path)
        return "default"

    def locked(self, key: str) -> bool:
        setting(key)
        return key in self._registry or key in self._policy

    def check_server(self, server_url: str) -> None:
        """Refuse a server other than the one the policy locks (a locked server always wins)."""
        locked = self.get("server_url") if self.locked("server_url") else None
        if locked and normalise_server_url(server_url) != normalise_server_url(locked):
            raise LockedSettingError(
                f"the server is set by the machine policy ({locked}; {self.origin('server_url')})"
                f" and cannot be changed to {server_url}")

    def set_user(self, key: str, value: Any) -> None:
        """Validate and persist a user value; refuses keys locked by the policy."""
        spec = setting(key)
        if self.locked(key):
            raise LockedSettingError(
                f"{key} is set by the machine policy ({self.origin(key)}) and cannot be changed"
            )
        if spec.policy_only:
            raise LockedSettingError(f"{key} can only be set by the machine policy (IT)")
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
            ConfigItem(s.key, self.get(s.key), self.source(s.key), self.locked(s.key),
                       s.description, self.origin(s.key))
            for s in SETTINGS
        ]

    def __iter__(self) -> Iterator[str]:
        return iter(REGISTRY)

    def _save_user(self) -> None:
        atomic_write_text(self.user_path, json.dumps(self._user, indent=2, sort_keys=True) + "\n")


_MISSING = object()


def load_config(
    data_dir: str | os.PathLike[str] | None = None, *, policy_path: Path | None = None,
    registry: RegistryReader | None = None, build: BuildInfo | None = None,
) -> Config:
    """Load the policy and the user's settings; raises :class:`ConfigError` on a broken file.

    ``policy_path`` and ``registry`` are for tests and demo mode only: the production entry
    points pass neither (see :mod:`wfh_client.policy`).
    """
    root = resolve_data_dir(data_dir)
    source = policy_file(policy_path, build=build)
    if source.kind == "machine":
        try:
            check_trusted_file(source.path)
        except PolicySourceError as exc:
            raise ConfigError(f"the policy file {source.path} is not trusted: {exc}") from exc
    ppath = source.path
    policy = _validated(_read_json_object(ppath, "policy file") or {}, ppath, "policy file",
                        strict=False)
    reg = _registry_values(registry if registry is not None else default_registry())
    upath = root / SETTINGS_FILE
    user = _validated(_read_json_object(upath, "settings file") or {}, upath, "settings file",
                      strict=False, user=True)
    return Config(root, ppath, policy, user, registry=reg, policy_kind=source.kind)
