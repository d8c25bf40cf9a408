"""The support bundle: one ZIP that IT can read to help a user, with nothing personal in it.

``wfh-client support-bundle [-o FILE.zip] [--since 7d]`` and Help > "Create support bundle..."
write it. Contents (every text file passes the scrubber):

- ``build.json``: version, build, commit, channel; ``system.json``: OS, Python, Qt if present;
- ``doctor.json``: the checks of ``wfh-client doctor --json``;
- ``policy.json``: every setting with its value, source (registry / policy / user / default)
  and origin, and the policy sources looked at; ``settings.json``: the user's own values;
- ``logs/``: the rotating log files changed within ``--since``;
- ``cache.json``: cache statistics and ``PRAGMA integrity_check``; ``keyring.json``: the
  keyring backend's name (never an entry);
- ``environment.json``: allow-listed environment variables only;
- ``tls.json``: the server's TLS certificate chain summary (subject, issuer, validity).

**Redacted**: tokens, passwords, Authorization/Cookie headers, keys (:func:`wfh_client.logs.
redact` plus the account's actual refresh token and cache key as literals), citizens' data
(applicant names, ID numbers, addresses, phones, e-mails, summaries, note texts and document
names read from the user's own cache and removed wherever they appear), query strings and the
home folder. ``manifest.json`` lists the files and says what was redacted.
"""

from __future__ import annotations

import io
import json
import logging
import os
import platform
import re
import socket
import ssl
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import truststore
from cryptography import x509

from wfh_client.buildinfo import build_info
from wfh_client.config import Config
from wfh_client.logs import REDACTED, log_files, redact
from wfh_client.policy import REGISTRY_KEY, REGISTRY_ROOT
from wfh_client.store.dossiers import json_text
from wfh_client.sync import cachestatus

log = logging.getLogger(__name__)

ENV_ALLOW = (
    "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE", "TZ", "QT_QPA_PLATFORM",
    "QT_IM_MODULE", "QT_SCALE_FACTOR", "QT_SCREEN_SCALE_FACTORS", "XDG_SESSION_TYPE",
    "XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "WAYLAND_DISPLAY", "DISPLAY", "SSL_CERT_FILE",
    "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY",
    "https_proxy", "http_proxy", "no_proxy", "WFH_CLIENT_DATA_DIR", "WFH_CLIENT_LOG_DIR",
    "PROCESSOR_ARCHITECTURE",
)
PERSONAL_FIELDS = ("name", "id_number", "email", "phone", "address")
MIN_LITERAL = 4  # shorter values (e.g. a one-letter name) would blank out ordinary words
_SINCE = re.compile(r"^(\d+)\s*([dhm])$")
_EXTRA_PATTERNS = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), REDACTED),  # e-mail addresses
    (re.compile(r"(?<![\d.:-])\d{9,12}(?![\d.:-])"), REDACTED),  # ID card / phone numbers
)


def parse_since(text: str) -> timedelta:
    """``7d``, ``12h``, ``30m`` -> a timedelta (``--since``)."""
    match = _SINCE.match(text.strip().lower())
    if not match or int(match.group(1)) <= 0:
        raise ValueError("must look like 7d, 12h or 30m")
    amount, unit = int(match.group(1)), match.group(2)
    return {"d": timedelta(days=amount), "h": timedelta(hours=amount),
            "m": timedelta(minutes=amount)}[unit]


@dataclass
class Scrubber:
    """Removes secrets and personal data: patterns, then known literal values."""

    literals: set[str] = field(default_factory=set)

    def add(self, values: Iterable[Any]) -> None:
        for value in values:
            if isinstance(value, str):
                text = value.strip()
                if len(text) >= MIN_LITERAL:
                    self.literals.add(text)
                    # log lines may carry the value JSON-escaped or URL-encoded
                    self.literals.add(json.dumps(text)[1:-1])

    def __call__(self, text: str) -> str:
        # literals first (longest first), so a pattern cannot cut a known value in two
        for literal in sorted(self.literals, key=len, reverse=True):
            text = text.replace(literal, REDACTED)
        text = redact(text)
        for pattern, repl in _EXTRA_PATTERNS:
            text = pattern.sub(repl, text)
        return text


def personal_values(documents: Iterable[dict[str, Any]]) -> list[str]:
    """Citizens' data in dossier documents: applicant fields, summaries, notes, file names."""
    out: list[str] = []
    for doc in documents:
        applicant = doc.get("applicant") or {}
        out += [str(applicant.get(k) or "") for k in PERSONAL_FIELDS]
        out.append(str(doc.get("summary") or ""))
        out += [str(n.get("text") or "") for n in doc.get("notes") or []]
        out += [str(d.get("name") or "") for d in doc.get("documents") or []]
        for line in str(doc.get("summary") or "").splitlines():
            out.append(line)
    return out


def _cache_documents(config: Config, account: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The dossier documents and unsent payload texts of the user's cache (for scrubbing)."""
    docs: list[dict[str, Any]] = []
    texts: list[str] = []
    cache = cachestatus.open_cache(config, account)
    if cache is None:
        return docs, texts
    with cache:
        db = cache.reader()
        for (data,) in db.execute(f"SELECT {json_text('data')} FROM dossier_json"):  # noqa: S608
            try:
                parsed = json.loads(data)
            except (TypeError, ValueError):
                continue
            if isinstance(parsed, dict):
                docs.append(parsed)
        for (payload,) in db.execute("SELECT payload FROM outbox"):
            texts += [v for v in _strings(json.loads(payload or "{}"))]
    return docs, texts


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def tls_summary(server_url: str | None, ca_bundle: str | None = None,
                timeout: float = 5.0) -> dict[str, Any]:
    """The server's certificate chain as seen from here (verified with the OS trust store)."""
    if not server_url:
        return {"server": None, "detail": "no server configured"}
    parts = urlsplit(server_url)
    if parts.scheme != "https" or not parts.hostname:
        return {"server": server_url, "detail": "plain HTTP: no TLS"}
    host, port = parts.hostname, parts.port or 443
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_bundle:
        context.load_verify_locations(ca_bundle)
    result: dict[str, Any] = {"server": f"{host}:{port}"}
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, \
                context.wrap_socket(raw, server_hostname=host) as tls:
            result.update(verified=True, protocol=tls.version(),
                          cipher=(tls.cipher() or ("",))[0])
            chain = _chain(tls)
    except ssl.SSLCertVerificationError as exc:
        result.update(verified=False, error=exc.verify_message or str(exc))
        chain = _unverified_chain(host, port, timeout)
    except OSError as exc:
        return {**result, "error": f"{type(exc).__name__}: {exc}"}
    result["chain"] = chain
    return result


def _describe(der: bytes) -> dict[str, Any]:
    cert = x509.load_der_x509_certificate(der)
    return {"subject": cert.subject.rfc4514_string(), "issuer": cert.issuer.rfc4514_string(),
            "not_before": cert.not_valid_before_utc.isoformat(),
            "not_after": cert.not_valid_after_utc.isoformat(),
            "serial": format(cert.serial_number, "x")}


def _chain(tls: ssl.SSLSocket) -> list[dict[str, Any]]:
    obj = getattr(tls, "_sslobj", None)
    getter = getattr(obj, "get_verified_chain", None) or getattr(obj, "get_unverified_chain",
                                                                  None)
    if getter is not None:
        try:
            der_format = getattr(ssl, "_ssl").ENCODING_DER  # noqa: B009 - private in 3.11
            return [_describe(c.public_bytes(der_format)) for c in getter()]
        except (AttributeError, ValueError):
            pass
    der = tls.getpeercert(binary_form=True)
    return [_describe(der)] if der else []


def _unverified_chain(host: str, port: int, timeout: float) -> list[dict[str, Any]]:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # only to describe what the server sends
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, \
                context.wrap_socket(raw, server_hostname=host) as tls:
            return _chain(tls)
    except OSError:
        return []


@dataclass
class BundleInputs:
    """What the bundle needs that only the caller knows (the CLI or the app)."""

    config: Config
    doctor: Callable[[], dict[str, Any]]
    keyring_backend: str
    secrets: list[str] = field(default_factory=list)  # literal secrets to remove
    account: Any = None  # wfh_client.sync.account.Account or None
    qt_version: str | None = None


def policy_report(config: Config) -> dict[str, Any]:
    """Every setting with its source and origin, and the policy sources consulted."""
    return {
        "sources": {
            "registry": f"{REGISTRY_ROOT}\\{REGISTRY_KEY}",
            "policy_file": str(config.policy_path),
            "policy_file_kind": config.policy_kind,
            "policy_file_present": config.policy_path.exists(),
            "user_settings": str(config.user_path),
        },
        "settings": [{"setting": i.key, "value": i.value, "source": i.source,
                      "locked": i.locked, "origin": i.origin} for i in config.items()],
    }


def build_bundle(inputs: BundleInputs, *, since: timedelta, now: datetime | None = None,
                 log_dir: Path | None = None) -> bytes:
    """The ZIP's bytes. Never raises for one failing part: it is reported in the manifest."""
    moment = now or datetime.now(UTC)
    scrub = Scrubber()
    scrub.add(inputs.secrets)
    errors: dict[str, str] = {}
    files: dict[str, str] = {}
    config = inputs.config
    if inputs.account is not None:
        try:
            docs, texts = _cache_documents(config, inputs.account)
            scrub.add(personal_values(docs))
            scrub.add(texts)
        except Exception as exc:  # noqa: BLE001 - a locked cache must not stop the bundle
            errors["cache-scrub"] = f"{type(exc).__name__}: {exc}"

    def part(name: str, make: Callable[[], Any]) -> None:
        try:
            value = make()
        except Exception as exc:  # noqa: BLE001 - one broken part, the rest still helps
            errors[name] = f"{type(exc).__name__}: {exc}"
            return
        files[name] = value if isinstance(value, str) else json.dumps(
            value, ensure_ascii=False, indent=2, default=str)

    part("build.json", lambda: build_info().as_dict())
    part("system.json", lambda: {"os": platform.platform(), "python": platform.python_version(),
                                 "qt": inputs.qt_version, "machine": platform.machine()})
    part("doctor.json", inputs.doctor)
    part("policy.json", lambda: policy_report(config))
    part("settings.json", lambda: _read_text(config.user_path))
    part("keyring.json", lambda: {"backend": inputs.keyring_backend})
    part("environment.json", lambda: {k: os.environ[k] for k in ENV_ALLOW if k in os.environ})
    part("tls.json", lambda: tls_summary(_server(config, inputs.account),
                                         config.get("ca_bundle")))
    part("cache.json", lambda: _cache_facts(config, inputs.account))
    cutoff = (moment - since).timestamp()
    for path in log_files(log_dir):
        if path.stat().st_mtime >= cutoff:
            part(f"logs/{path.name}", lambda p=path: p.read_text(encoding="utf-8",  # type: ignore[misc]
                                                                  errors="replace"))
    manifest = {
        "created_at": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "since": str(since), "files": sorted(files), "errors": errors,
        "redacted": ["tokens", "passwords", "Authorization/Cookie headers", "keys",
                     "citizens' data (from the local cache)", "note texts", "query strings",
                     "home folder", "e-mail addresses", "ID and phone numbers"],
    }
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=2)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        stamp = time.gmtime(moment.timestamp())[:6]
        for name, text in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, scrub(text))
    return out.getvalue()


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return "{}\n"


def _server(config: Config, account: Any) -> str | None:
    server = getattr(account, "server_url", None) or config.get("server_url")
    return str(server) if server else None


def _cache_facts(config: Config, account: Any) -> dict[str, Any]:
    if account is None:
        return {"account": None}
    ok, detail = cachestatus.integrity(config, account)
    return {"counts": cachestatus.counts(config, account),
            "integrity": {"ok": ok, "detail": detail}}


def write_bundle(data: bytes, target: Path) -> Path:
    """Write the ZIP readable by the user only (it is still theirs to send)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return target


def default_bundle_name(now: datetime | None = None) -> str:
    moment = now or datetime.now(UTC)
    return f"wfh-support-{moment.strftime('%Y%m%d-%H%M%S')}.zip"
