"""The HTTP layer: one ``requests.Session`` with the OS trust store, timeouts and safe retries.

* TLS: a ``truststore.SSLContext`` (the OS trust store: Windows, macOS Keychain, Linux system CAs)
  mounted through :class:`TrustStoreAdapter`; an optional PEM CA bundle from the configuration is
  loaded into the same context (a private CA *in addition to* the OS roots).
* Only https:// servers, or http:// to this computer (loopback): anything else raises
  :class:`~wfh_client.sync.errors.InsecureServerUrl` before a connection is made. Redirects are
  not followed (the API never redirects; a redirect could downgrade to http or change host).
* Every request has a (connect, read) timeout.
* Retries follow urllib3's ``Retry`` model (:class:`RetryPolicy`, immutable): idempotent methods
  only (GET/HEAD/PUT/DELETE/OPTIONS, and POST when it carries an ``Idempotency-Key``), on
  connection errors, read timeouts and 429/502/503/504; exponential backoff with jitter and a
  cap; ``Retry-After`` honoured (seconds or an HTTP date, capped). ``sleep`` is injectable.
* Failures become :mod:`wfh_client.sync.errors`: ``TlsError``, ``ServerUnreachable``,
  ``ApiError`` (and subclasses) from the JSON error body.

Logging: method, path, status and timing only, never headers or bodies (tokens live there).
"""

from __future__ import annotations

import email.utils
import logging
import random
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
import truststore
from requests.adapters import HTTPAdapter

from wfh_client import __version__
from wfh_client.config import Config, check_server_url
from wfh_client.pacing import exponential
from wfh_client.sync.errors import ApiError, InsecureServerUrl, ServerUnreachable, TlsError

log = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
IDEMPOTENCY_HEADER = "Idempotency-Key"
USER_AGENT = f"wfh-client/{__version__}"
MAX_CONNECT_TIMEOUT = 10.0


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before retrying (modelled on ``urllib3.util.Retry``).

    The wait before retry ``n`` (1-based) is ``backoff_factor * 2 ** (n - 1)`` plus a uniform
    jitter in ``[0, jitter)``, capped at ``backoff_max``. A ``Retry-After`` header on a retried
    status replaces it (when ``respect_retry_after``), capped at ``retry_after_max``.
    """

    total: int = 3
    backoff_factor: float = 0.5
    backoff_max: float = 30.0
    jitter: float = 0.5
    status_forcelist: frozenset[int] = field(default=frozenset({429, 502, 503, 504}))
    respect_retry_after: bool = True
    retry_after_max: float = 120.0
    allowed_methods: frozenset[str] = IDEMPOTENT_METHODS

    def with_(self, **changes: Any) -> RetryPolicy:
        return replace(self, **changes)

    def method_retryable(self, method: str, headers: Mapping[str, str] | None = None) -> bool:
        method = method.upper()
        if method in self.allowed_methods:
            return True
        return method == "POST" and bool(headers) and any(
            k.lower() == IDEMPOTENCY_HEADER.lower() and v for k, v in (headers or {}).items()
        )

    def backoff(self, retry_number: int, rand: Callable[[], float] = random.random) -> float:
        """Seconds to wait before retry number ``retry_number`` (1 for the first retry)."""
        if retry_number < 1:
            return 0.0
        value = exponential(retry_number, self.backoff_factor)
        if self.jitter > 0:
            value += rand() * self.jitter
        return float(max(0.0, min(self.backoff_max, value)))

    def parse_retry_after(self, value: str | None, now: datetime | None = None) -> float | None:
        """``Retry-After`` as seconds (from delta-seconds or an HTTP date), capped; None if bad."""
        if value is None:
            return None
        value = value.strip()
        if not value:
            return None
        if value.isdigit():
            seconds = float(int(value))
        else:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                return None
            if when is None:
                return None
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            seconds = (when - (now or datetime.now(UTC))).total_seconds()
        return max(0.0, min(self.retry_after_max, seconds))

    def wait_for(self, retry_number: int, response: requests.Response | None) -> float:
        if response is not None and self.respect_retry_after:
            after = self.parse_retry_after(response.headers.get("Retry-After"))
            if after is not None:
                return after
        return self.backoff(retry_number)


NO_RETRY = RetryPolicy(total=0)


class TrustStoreAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` whose pools (and proxy pools) verify with the given ``SSLContext``."""

    def __init__(self, ssl_context: ssl.SSLContext, **kwargs: Any) -> None:
        self._ssl_context = ssl_context
        super().__init__(**kwargs)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        pool_kwargs["ssl_context"] = self._ssl_context
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs["ssl_context"] = self._ssl_context
        return super().proxy_manager_for(proxy, **proxy_kwargs)


def make_ssl_context(ca_bundle: str | None = None) -> ssl.SSLContext:
    """The OS trust store, plus ``ca_bundle`` (a PEM file) when given."""
    ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_bundle:
        try:
            ctx.load_verify_locations(cafile=ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            raise TlsError(f"cannot load the CA bundle {ca_bundle}: {exc}") from exc
    return ctx


def make_session(ca_bundle: str | None = None) -> requests.Session:
    session = requests.Session()
    adapter = TrustStoreAdapter(make_ssl_context(ca_bundle), pool_connections=4, pool_maxsize=8)
    session.mount("https://", adapter)
    session.mount("http://", HTTPAdapter(pool_connections=4, pool_maxsize=8))
    session.headers["User-Agent"] = USER_AGENT
    session.headers["X-WFH-Client-Version"] = __version__  # the server's minimum version check
    return session


def _path_of(url: str) -> str:
    return urlsplit(url).path or "/"


class HttpClient:
    """Requests against one server: ``client.request("GET", "/api/v1/me")``.

    ``request`` returns the response for 2xx (and for any status in ``accept``) and raises the
    mapped error otherwise. Thread-safe for concurrent requests (one pooled ``Session``).
    """

    def __init__(
        self,
        base_url: str,
        *,
        ca_bundle: str | None = None,
        timeout: float = 30.0,
        connect_timeout: float | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        _require_secure(self.base_url)
        self.timeout = (connect_timeout or min(MAX_CONNECT_TIMEOUT, timeout), timeout)
        self.retry = retry if retry is not None else RetryPolicy()
        self.sleep = sleep
        self.session = session or make_session(ca_bundle)

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            _require_secure(path)
            return path
        return self.base_url + "/" + path.lstrip("/")

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        accept: frozenset[int] = frozenset(),
        retry: RetryPolicy | None = None,
        timeout: float | tuple[float, float] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """Send with retries; return a 2xx (or ``accept``-ed) response or raise a mapped error.

        ``kwargs`` go to ``requests`` (``json``, ``params``, ``data``, ``stream``...). A body that
        is a stream cannot be replayed: pass ``retry=NO_RETRY`` for those.
        """
        method = method.upper()
        policy = retry if retry is not None else self.retry
        url = self.url(path)
        retryable = policy.method_retryable(method, headers)
        attempt = 0
        while True:
            attempt += 1
            started = time.monotonic()
            response: requests.Response | None = None
            try:
                response = self.session.request(
                    method, url, headers=dict(headers or {}),
                    timeout=timeout or self.timeout, allow_redirects=False, **kwargs,
                )
            except requests.exceptions.SSLError as exc:
                log.debug("%s %s: TLS failure", method, _path_of(url))
                raise TlsError(f"TLS certificate verification failed for {self.base_url}: "
                               f"{_short(exc)}") from exc
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                if retryable and attempt <= policy.total:
                    wait = policy.wait_for(attempt, None)
                    log.debug("%s %s: %s; retry %d in %.2fs", method, _path_of(url),
                              type(exc).__name__, attempt, wait)
                    self.sleep(wait)
                    continue
                raise ServerUnreachable(f"cannot reach {self.base_url}: {_short(exc)}") from exc
            elapsed = time.monotonic() - started
            status = response.status_code
            log.debug("%s %s -> %d (%.0f ms)", method, _path_of(url), status, elapsed * 1000)
            if status in policy.status_forcelist and retryable and attempt <= policy.total:
                wait = policy.wait_for(attempt, response)
                log.debug("%s %s: %d; retry %d in %.2fs", method, _path_of(url), status,
                          attempt, wait)
                response.close()
                self.sleep(wait)
                continue
            if 200 <= status < 300 or status in accept:
                return response
            try:
                raise ApiError.from_response(response)
            finally:
                response.close()

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)


def _require_secure(url: str) -> None:
    try:
        check_server_url(urlsplit(url)._replace(path="", query="", fragment="").geturl())
    except ValueError as exc:
        raise InsecureServerUrl(f"refusing {urlsplit(url).scheme}://{urlsplit(url).hostname}: "
                                f"the server address {exc}") from None


def _short(exc: BaseException) -> str:
    """A one-line reason from a requests exception (their str() repeats the whole URL pool)."""
    first = exc.args[0] if exc.args else None
    reason = getattr(first, "reason", None)
    return str(reason if reason is not None else exc)[:300]


def client_from_config(config: Config, server_url: str | None = None, **kwargs: Any) -> HttpClient:
    """An :class:`HttpClient` for ``server_url`` (default: the configured one) with the
    configured CA bundle and timeout. ``kwargs`` (``retry``, ``sleep``...) pass through."""
    url = server_url or config.get("server_url")
    if not url:
        raise ValueError("no server URL: pass one or set server_url")
    config.check_server(url)  # a locked server always wins, whatever account.json says
    return HttpClient(url, ca_bundle=config.get("ca_bundle"),
                      timeout=float(config.get("request_timeout_seconds")), **kwargs)
