"""Fetcher: the one guarded httpx.AsyncClient (deadline, byte cap, redirects, schemes, limits).

Every request made by the reader goes through `Fetcher.get` (SAFETY.md rule 4): only http(s),
a whole-request deadline, a cap on the decoded body read as a stream (our own bounded
decompressor, because httpx inflates without limit), manual redirects with a scheme check,
global and per-host concurrency limits, cookies per host and `Retry-After` honoured.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import select
import socket
import ssl
import sys
import time
import urllib.request
import zlib
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

# httpx imports its own command line (click, rich.console, rich.progress, pygments: ~40 ms of a
# quiet machine's CPU, most of `import httpx`) whenever click is installed. tui-news never runs
# it: its import is skipped (httpx then defines `httpx.main` as a stub that says so).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
import httpcore  # noqa: E402
import httpx  # noqa: E402

from tui_news.links import is_web_url, redact_url  # noqa: E402
from tui_news.text import clean  # noqa: E402

__all__ = ["DEFAULT_WARM_UP", "FetchError", "Fetcher", "Response"]

# Hosts that answer only after a first visit in the same cookie session: host suffix → path
# fetched once per host before anything else (qdnd.vn serves feeds only after a GET of /rss).
DEFAULT_WARM_UP: Mapping[str, str] = {"qdnd.vn": "/rss"}

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_AFTER_STATUSES = frozenset({429, 503})
_PIECE = 64 * 1024  # most bytes one decompression step may produce (bounds peak memory)
_MAX_ENCODINGS = 2  # "gzip, gzip" is legal; deeper stacks are only ever an attack
# We only advertise what we can inflate with a bounded decoder (brotli/zstd would need packages
# whose streaming APIs cannot all cap their output).
_ACCEPT_ENCODING = "gzip, deflate"


class FetchError(Exception):
    """A request that gave no usable answer; `str(e)` is one clean line naming the fault."""

    def __init__(self, message: str, *, url: str = "", status: int | None = None,
                 retry_after: datetime | None = None) -> None:
        super().__init__(clean(message, limit=300))
        self.url = redact_url(url) if url else ""  # redacted: it may end up in a message
        self.status = status
        self.retry_after = retry_after

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> tuple[object, ...]:  # keep the keyword fields across pickling
        return (_rebuild_error, (str(self), self.url, self.status, self.retry_after))


def _rebuild_error(message: str, url: str, status: int | None,
                   retry_after: datetime | None) -> FetchError:
    err = FetchError(message, status=status, retry_after=retry_after)
    err.url = url
    return err


@dataclass(frozen=True)
class Response:
    """A successful answer: 2xx with its decoded body, or 304 with an empty one."""

    url: str  # final URL after redirects
    status: int  # 200 (or another 2xx) or 304
    body: bytes  # decoded (gzip etc. undone), capped
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


# --- bounded decoding ----------------------------------------------------------------------------


class _Inflater:
    """One incremental gzip/deflate layer that never produces more than `_PIECE` bytes per step."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._raw_fallback = encoding == "deflate"  # servers send zlib-wrapped or raw deflate
        self._d = self._new()
        self._started = False

    def _new(self) -> zlib._Decompress:  # type: ignore[name-defined]
        if self.encoding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(zlib.MAX_WBITS)

    @property
    def complete(self) -> bool:
        return not self._started or self._d.eof

    def feed(self, data: bytes) -> Iterator[bytes]:
        buf = data
        while buf or self._started:
            if buf:
                self._started = True
            try:
                out = self._d.decompress(buf, _PIECE)
            except zlib.error:
                if self._raw_fallback and not self._d.eof:
                    self._raw_fallback = False
                    self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise FetchError(f"corrupt {self.encoding} data") from None
            self._raw_fallback = False
            if out:
                yield out
            if self._d.eof:
                rest = self._d.unused_data
                # A second gzip member may follow; anything else after the end is ignored.
                if self.encoding == "gzip" and rest[:2] == b"\x1f\x8b":
                    self._d = self._new()
                    buf = rest
                    continue
                return
            buf = self._d.unconsumed_tail
            # Output exactly at the cap may mean zlib still holds more: ask again with no input.
            if not buf and len(out) < _PIECE:
                return


class _BoundedBody:
    """Collects a body through its content codings, failing as soon as it passes `limit`."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > _MAX_ENCODINGS:
            raise FetchError(f"too many content encodings ({len(codings)})")
        for c in codings:
            if c not in ("gzip", "x-gzip", "deflate"):
                raise FetchError(f"unsupported content encoding: {c[:20]}")
        # The last coding listed was applied last, so it is undone first.
        self._layers = [_Inflater("gzip" if c == "x-gzip" else c) for c in reversed(codings)]
        self._limit = limit
        self._size = 0
        self._parts: list[bytes] = []

    def _through(self, data: bytes, depth: int) -> Iterator[bytes]:
        if depth == len(self._layers):
            yield data
            return
        for piece in self._layers[depth].feed(data):
            yield from self._through(piece, depth + 1)

    def feed(self, raw: bytes) -> None:
        for piece in self._through(raw, 0):
            self._size += len(piece)
            if self._size > self._limit:
                raise FetchError(f"response larger than {_size_text(self._limit)}")
            self._parts.append(piece)

    def finish(self) -> bytes:
        if any(not layer.complete for layer in self._layers):
            raise FetchError("body cut short (incomplete compressed data)")
        return b"".join(self._parts)


def _size_text(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):g} MiB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):g} KiB"
    return f"{n} bytes"


# --- errors -------------------------------------------------------------------------------------


def _seconds_text(seconds: float) -> str:
    return f"{seconds:g} s"


def _status_line(status: int, reason: str) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = clean(reason, limit=60)
    return f"HTTP {status} {phrase}".strip()


def _network_reason(exc: BaseException) -> str:
    """A short human reason for a transport error (never its text, which may hold the URL)."""
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    for e in chain:
        if isinstance(e, ssl.SSLCertVerificationError):
            return "TLS certificate not trusted"
    for e in chain:
        if isinstance(e, ssl.SSLError):
            return "TLS handshake failed"
        if isinstance(e, ConnectionRefusedError):
            return "connection refused"
        if isinstance(e, ConnectionResetError):
            return "connection reset"
        if isinstance(e, OSError) and e.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "network unreachable"
    text = " ".join(str(e) for e in chain).lower()
    if any(s in text for s in ("name or service not known", "nodename nor servname",
                               "name resolution", "no address associated", "getaddrinfo")):
        return "name not resolved"
    if "certificate verify failed" in text:
        return "TLS certificate not trusted"
    if "refused" in text:
        return "connection refused"
    if "unreachable" in text:
        return "network unreachable"
    if isinstance(exc, httpx.ConnectError):
        return "connection failed"
    return "network error"


def _parse_retry_after(value: str | None, cap: float, now: datetime) -> datetime | None:
    """`Retry-After` as seconds or an HTTP-date, capped; garbage and past dates give None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        delay = float(min(int(value[:12]), 10**12))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:  # an HTTP-date is always GMT
            when = when.replace(tzinfo=UTC)
        delay = (when - now).total_seconds()
    if delay <= 0:
        return None
    return now + timedelta(seconds=min(delay, cap))


_LOCATION = "tui_news.location"


async def _take_location(response: httpx.Response) -> None:
    """Move Location aside so httpx does not build (and choke on) a redirect request itself.

    httpx parses every Location even with follow_redirects=False and raises on
    `javascript:alert(1)`; we want to see such targets and refuse them with a clear message.
    """
    if response.status_code in _REDIRECTS and "location" in response.headers:
        response.extensions[_LOCATION] = response.headers["location"]
        del response.headers["location"]


async def _finish(response: httpx.Response) -> None:
    """Read a body-less answer (a 304) to its end, so that its connection carries the next
    request: closed before that, httpcore drops the connection (each 304 of a refresh opened a
    new one). Whatever a broken server sends as a body is dropped, at most `_PIECE` bytes."""
    size = 0
    async for chunk in response.aiter_raw():
        size += len(chunk)
        if size > _PIECE:
            return  # not a 304's empty body: the connection is closed with the response


def _sendable(value: str) -> bool:
    """True when a header value is visible ASCII (plus spaces) and short enough to send."""
    return len(value) <= 1024 and all(" " <= c <= "~" or c == "\t" for c in value)


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.rpartition('@')[2].lower()}"


def _never_resolves(host: str) -> bool:
    # RFC 6761: .invalid never resolves; answering here keeps such lookups off the network.
    host = host.lower().rstrip(".")
    return host == "invalid" or host.endswith(".invalid")


# --- the fetcher --------------------------------------------------------------------------------


def _proxies_from_environment() -> bool:
    """True when the environment names a proxy (no_proxy alone names none)."""
    proxies = urllib.request.getproxies()
    proxies.pop("no", None)
    return bool(proxies)


class _Released(httpx.AsyncByteStream):
    """A response body that gives its host's pool back (see _HostPools) once it is closed."""

    def __init__(self, stream: httpx.AsyncByteStream, pool: _HostPool) -> None:
        self._stream = stream
        self._pool: _HostPool | None = pool

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            if self._pool is not None:
                self._pool.busy -= 1
                self._pool = None


class _Stream(httpcore.AsyncNetworkStream):
    """httpcore's anyio stream, with the check it makes most often made cheap.

    Before every request, and as every response closes, httpcore's pool asks each of the host's
    idle connections whether its socket is readable (closed by the server): anyio builds a dict
    of every attribute of the socket (a getpeername() among them) to hand over the raw socket,
    each time. That was ~5,000 checks and ~0.13 CPU-s of a 200-feed refresh on one host with 8
    connections (the event loop's thread: 0.98 -> 0.85 s). Here the socket is looked up once.
    """

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream
        self._socket = stream.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._stream.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return _socket_readable(self._socket)
        return self._stream.get_extra_info(info)


class _Backend(httpcore.AsyncNetworkBackend):
    """httpcore's anyio backend, its streams wrapped in _Stream."""

    def __init__(self) -> None:
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._backend.connect_tcp(host, port, timeout, local_address,
                                                       socket_options))

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._backend.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def _socket_readable(sock: socket.socket | None) -> bool:
    """httpcore's own test (httpcore._utils.is_socket_readable): a socket gone, or with
    something to read (an idle HTTP/1.1 connection: the server's close), is readable."""
    if sock is None or sock.fileno() < 0:
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


def _host_transport(verify: ssl.SSLContext, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """httpx's transport for one host, on httpcore's pool with _Backend (httpx has no way to
    name a network backend: its pool is replaced by one made the same way)."""
    transport = httpx.AsyncHTTPTransport(verify=verify, limits=limits)
    transport._pool = httpcore.AsyncConnectionPool(  # noqa: SLF001
        ssl_context=verify, max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry, network_backend=_Backend())
    return transport


@dataclass
class _HostPool:
    transport: httpx.AsyncHTTPTransport
    busy: int = 0  # requests whose response is not closed yet


class _HostPools(httpx.AsyncBaseTransport):
    """httpx's transport, one connection pool for each host (scheme, name and port).

    One pool shared by every host keeps `concurrency` connections in all: with more hosts than
    that, each request closed another host's idle connection to open its own (a refresh of 200
    feeds on 17 hosts opened 198 TCP connections for 200 requests). A pool a host keeps up to
    `per_host` connections alive, and httpcore checks only that host's idle connections before
    each request. The Fetcher's semaphores bound the requests in flight, so no pool queues.
    Idle pools beyond `IDLE_POOLS` are closed, least recently used first (a bound on the open
    sockets of a refresh over hundreds of hosts).

    The TLS context (the CA bundle, ~20-30 ms to load) is made on the first https:// request and
    shared by every host's pool; a refresh whose URLs are all plain http never makes one.
    """

    IDLE_POOLS = 32

    def __init__(self, *, verify: ssl.SSLContext | bool, per_host: int) -> None:
        self._verify = verify
        self._limits = httpx.Limits(max_connections=per_host,
                                    max_keepalive_connections=per_host, keepalive_expiry=30)
        self._contexts: dict[bool, ssl.SSLContext] = {}
        self._pools: dict[tuple[str, str, int | None], _HostPool] = {}  # least recent first

    def _context(self, tls: bool) -> ssl.SSLContext:
        context = self._contexts.get(tls)
        if context is None:
            # verify=False makes a cheap context without certificates; plain http never uses it.
            context = self._contexts[tls] = httpx.create_ssl_context(
                verify=self._verify if tls else False)
        return context

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        key = (url.scheme, url.host, url.port)
        pool = self._pools.pop(key, None)
        if pool is None:
            pool = _HostPool(_host_transport(self._context(url.scheme == "https"),
                                             self._limits))
        self._pools[key] = pool  # now the most recently used
        pool.busy += 1
        try:
            response = await pool.transport.handle_async_request(request)
        except BaseException:
            pool.busy -= 1
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _Released(response.stream, pool)
        await self._close_idle()
        return response

    async def _close_idle(self) -> None:
        idle = [key for key, pool in self._pools.items() if not pool.busy]
        for key in idle[:max(0, len(idle) - self.IDLE_POOLS)]:
            await self._pools.pop(key).transport.aclose()

    async def aclose(self) -> None:
        pools, self._pools = self._pools, {}
        for pool in pools.values():
            await pool.transport.aclose()


class Fetcher:
    """The reader's one guarded HTTP client; use as `async with Fetcher(...) as f`."""

    def __init__(self, *, user_agent: str, timeout: float = 20, concurrency: int = 16,
                 per_host: int = 8, max_bytes: int = 8 << 20, max_redirects: int = 5,
                 retry_after_cap: float = 6 * 3600,
                 warm_up_rules: Mapping[str, str] | None = None,
                 verify: ssl.SSLContext | bool = True) -> None:
        self.user_agent = user_agent
        self.timeout = float(timeout)
        self.concurrency = max(1, concurrency)
        self.per_host = max(1, min(per_host, self.concurrency))
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.retry_after_cap = retry_after_cap
        self.warm_up_rules = dict(DEFAULT_WARM_UP if warm_up_rules is None else warm_up_rules)
        self._verify = verify
        self._client: httpx.AsyncClient | None = None
        self._global: asyncio.Semaphore | None = None
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._warm_locks: dict[str, asyncio.Lock] = {}
        self._warmed: set[str] = set()

    # lifecycle

    def _ensure(self) -> httpx.AsyncClient:
        if self._client is None:
            # A fresh client has no cookies, and asyncio primitives belong to one event loop:
            # start every piece of per-client state over together.
            self._global = asyncio.Semaphore(self.concurrency)
            self._hosts.clear()
            self._warm_locks.clear()
            self._warmed.clear()
            # Sized to our semaphores (the proxies' transports only: see _HostPools).
            limits = httpx.Limits(max_connections=self.concurrency,
                                  max_keepalive_connections=min(self.concurrency, 16),
                                  keepalive_expiry=30)
            self._client = httpx.AsyncClient(
                headers={"User-Agent": self.user_agent, "Accept-Encoding": _ACCEPT_ENCODING},
                # Per-phase timeouts; the whole-request deadline is ours (see _hop).
                timeout=httpx.Timeout(self.timeout),
                limits=limits,
                follow_redirects=False,
                verify=self._verify,
                # A connection pool a host, the TLS context made on the first https://
                # request. Given a transport httpx ignores proxies from the environment: with
                # any set, httpx builds its own transports (and the proxy mounts) as before.
                transport=(None if _proxies_from_environment()
                           else _HostPools(verify=self._verify, per_host=self.per_host)),
                event_hooks={"response": [_take_location]},
                # Proxies and CA bundles from the environment are honoured (httpx 0.28 no
                # longer reads .netrc implicitly, so no stray credentials are sent).
                trust_env=True,
            )
        return self._client

    async def __aenter__(self) -> Fetcher:
        # httpcore asks anyio, which asks sniffio, which library runs the loop: several times a
        # request, each time by calling asyncio.current_task(). Saying it once for this task
        # and the tasks it starts (sniffio's documented variable) took ~50 ms of the GIL off a
        # 200-feed refresh.
        import sniffio

        sniffio.current_async_library_cvar.set("asyncio")
        self._ensure()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool; the Fetcher can be used again afterwards."""
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    # public API

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                  max_bytes: int | None = None, accept: str | None = None,
                  on_slot: Callable[[], None] | None = None) -> Response:
        """GET `url` under every guard; 2xx and 304 return a Response, anything else raises.

        `on_slot` is called when the request has its connection slots (a refresh tells a feed
        that never got one from one its server kept waiting)."""
        self._ensure()
        return await self._get(url, etag=etag, last_modified=last_modified,
                               max_bytes=max_bytes, accept=accept, warm=True, on_slot=on_slot)

    async def post(self, url: str, form: Mapping[str, str], *, max_bytes: int | None = None,
                   accept: str | None = None) -> Response:
        """POST `form` (URL-encoded) to `url` under the same guards as get(): http(s) only, the
        whole-request deadline, the cap on the decoded body; 2xx returns, anything else raises.

        A redirect is not followed (it would resend the form elsewhere, or drop it): it raises
        FetchError naming the status. The form is never part of an error message (it may carry
        credentials)."""
        if not is_web_url(url):
            raise FetchError("not an http(s) URL", url=url)
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            raise FetchError("invalid URL", url=url) from None
        if _never_resolves(host):
            raise FetchError("name not resolved", url=url)
        limit = self.max_bytes if max_bytes is None else max_bytes
        headers = {"Accept": accept or "*/*"}
        async with self._host_sem(url), self._global_sem():
            result = await self._hop(url, headers, limit, self.timeout, url, form=form)
        if isinstance(result, str):
            raise FetchError("redirected elsewhere (a POST is not followed; check the URL)",
                             url=url)
        return result

    def set_cookie(self, url: str, name: str, value: str) -> None:
        """Keep a cookie for `url`'s host, as a page's own script would have set it (a site that
        answers its first visit with "set this cookie and reload" before the article)."""
        host = (urlsplit(url).hostname or "").lower()
        if host:
            self._ensure().cookies.set(name, value, domain=host, path="/")

    async def warm_up(self, url: str) -> None:
        """GET `url` once to collect the host's cookies (errors ignored)."""
        with contextlib.suppress(FetchError):
            await self._get(url, etag=None, last_modified=None, max_bytes=1 << 20,
                            accept=None, warm=False)

    # internals

    def _global_sem(self) -> asyncio.Semaphore:
        self._ensure()
        assert self._global is not None
        return self._global

    def _host_sem(self, url: str) -> asyncio.Semaphore:
        key = _host_key(url)
        sem = self._hosts.get(key)
        if sem is None:
            sem = self._hosts[key] = asyncio.Semaphore(self.per_host)
        return sem

    def _warm_up_path(self, host: str) -> str | None:
        for suffix, path in self.warm_up_rules.items():
            suffix = suffix.lower()
            if host == suffix or host.endswith("." + suffix):
                return path
        return None

    async def _maybe_warm_up(self, url: str) -> None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        path = self._warm_up_path(host)
        if path is None:
            return
        key = _host_key(url)
        if key in self._warmed:
            return
        lock = self._warm_locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key in self._warmed:
                return
            target = urljoin(f"{parts.scheme}://{parts.netloc}/", path)
            if target.split("#")[0] != url.split("#")[0]:
                await self.warm_up(target)
            self._warmed.add(key)

    async def _get(self, url: str, *, etag: str | None, last_modified: str | None,
                   max_bytes: int | None, accept: str | None, warm: bool,
                   on_slot: Callable[[], None] | None = None) -> Response:
        if not is_web_url(url):
            raise FetchError("not an http(s) URL", url=url)
        limit = self.max_bytes if max_bytes is None else max_bytes
        headers: dict[str, str] = {"Accept": accept or "*/*"}
        # Sent back exactly as the server gave them (SAFETY.md rule 4).
        # A validator that cannot be sent byte for byte is not sent at all (a full answer
        # follows, which is safe); httpx would raise on it mid-request.
        if etag and _sendable(etag):
            headers["If-None-Match"] = etag
        if last_modified and _sendable(last_modified):
            headers["If-Modified-Since"] = last_modified
        budget = self.timeout  # one deadline across all hops; time spent queueing is free
        current = url
        seen = {current}
        for _hop in range(self.max_redirects + 1):
            try:
                parts = urlsplit(current)
                host, _port = (parts.hostname or "").lower(), parts.port
            except ValueError:  # a port out of range, a broken IPv6 literal
                raise FetchError("invalid URL", url=url) from None
            if _never_resolves(host):
                raise FetchError("name not resolved", url=url)
            if warm:
                await self._maybe_warm_up(current)
            # Host slot first, then a global one: requests queued for one busy host must not
            # sit on global slots that other hosts could use.
            async with self._host_sem(current), self._global_sem():
                if on_slot is not None:
                    on_slot()
                started = time.monotonic()
                result = await self._hop(current, headers, limit, budget, url)
                budget -= time.monotonic() - started
            if isinstance(result, Response):
                if result.status == 304:
                    result = Response(url=result.url, status=304, body=b"",
                                      headers=result.headers,
                                      etag=result.etag or etag,
                                      last_modified=result.last_modified or last_modified)
                return result
            location = result
            try:
                nxt = urljoin(current, location)
                scheme = urlsplit(nxt).scheme.lower()
            except ValueError:
                raise FetchError("redirect to an invalid URL", url=url) from None
            if scheme not in ("http", "https") or not is_web_url(nxt):
                shown = clean(scheme, limit=20) or "relative"
                raise FetchError(f"redirect to a non-web URL ({shown}:)", url=url)
            if nxt in seen:
                raise FetchError("redirect loop", url=url)
            if budget <= 0:
                raise FetchError(f"timed out after {_seconds_text(self.timeout)}", url=url)
            seen.add(nxt)
            current = nxt
        raise FetchError(f"too many redirects (more than {self.max_redirects})", url=url)

    async def _hop(self, current: str, headers: dict[str, str], limit: int, budget: float,
                   url: str, form: Mapping[str, str] | None = None) -> Response | str:
        """One request/response (a POST of `form` when given); returns the Response, or the
        Location of a redirect."""
        client = self._ensure()
        try:
            async with asyncio.timeout(max(budget, 0.001)):
                return await self._exchange(client, current, headers, limit, url, form)
        except TimeoutError:
            raise FetchError(f"timed out after {_seconds_text(self.timeout)}", url=url) from None
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {_seconds_text(self.timeout)}", url=url) from None
        except httpx.RemoteProtocolError as exc:
            text = str(exc).lower()
            if "incomplete" in text or "complete message body" in text:
                raise FetchError("body cut short (connection closed early)", url=url) from None
            if "without sending" in text or "disconnected" in text:
                raise FetchError("server closed the connection without answering",
                                 url=url) from None
            raise FetchError("malformed HTTP response", url=url) from None
        except httpx.InvalidURL:
            raise FetchError("invalid URL", url=url) from None
        except httpx.UnsupportedProtocol:
            raise FetchError("not an http(s) URL", url=url) from None
        except (httpx.TransportError, OSError) as exc:
            raise FetchError(_network_reason(exc), url=url) from None
        except httpx.HTTPError:
            raise FetchError("HTTP error", url=url) from None
        except (UnicodeError, ValueError):  # IDNA and header encoding trouble inside httpx
            raise FetchError("invalid URL", url=url) from None

    async def _exchange(self, client: httpx.AsyncClient, current: str, headers: dict[str, str],
                        limit: int, url: str,
                        form: Mapping[str, str] | None = None) -> Response | str:
        if form is None:
            request = client.build_request("GET", current, headers=headers)
        else:
            request = client.build_request("POST", current, headers=headers, data=dict(form))
        response = await client.send(request, stream=True, follow_redirects=False)
        try:
            status = response.status_code
            if status in _REDIRECTS:
                location = response.extensions.get(_LOCATION)
                if not location:
                    raise FetchError(f"{_status_line(status, '')} without a Location",
                                     url=url, status=status)
                return location.strip()
            flat = {k.lower(): v for k, v in response.headers.items()}
            if status == 304:
                await _finish(response)
                return Response(url=str(response.url), status=304, body=b"", headers=flat,
                                etag=flat.get("etag"), last_modified=flat.get("last-modified"))
            if not 200 <= status < 300:
                retry_after = None
                if status in _RETRY_AFTER_STATUSES:
                    retry_after = _parse_retry_after(flat.get("retry-after"),
                                                     self.retry_after_cap, datetime.now(UTC))
                message = _status_line(status, response.reason_phrase)
                if retry_after is not None:
                    wait = (retry_after - datetime.now(UTC)).total_seconds()
                    message += f", retry after {_seconds_text(round(max(wait, 0)))}"
                raise FetchError(message, url=url, status=status, retry_after=retry_after)
            body = await self._read_body(response, flat, limit, url)
            return Response(url=str(response.url), status=status, body=body, headers=flat,
                            etag=flat.get("etag"), last_modified=flat.get("last-modified"))
        finally:
            await response.aclose()

    async def _read_body(self, response: httpx.Response, headers: dict[str, str], limit: int,
                         url: str) -> bytes:
        declared: int | None = None
        length = headers.get("content-length")
        if length is not None:
            values = {v.strip() for v in length.split(",")}
            if len(values) != 1 or not next(iter(values)).isdigit():
                raise FetchError("invalid Content-Length", url=url)
            declared = int(next(iter(values)))
            # Refuse before reading a byte: compressed bodies only grow when decoded.
            if declared > limit:
                raise FetchError(f"response larger than {_size_text(limit)} "
                                 f"(Content-Length {declared})", url=url)
        try:
            sink = _BoundedBody(headers.get("content-encoding", ""), limit)
            raw_size = 0
            async for chunk in response.aiter_raw():
                raw_size += len(chunk)
                if raw_size > limit:
                    raise FetchError(f"response larger than {_size_text(limit)}", url=url)
                sink.feed(chunk)
            if declared is not None and raw_size != declared:
                raise FetchError("body cut short (connection closed early)", url=url)
            return sink.finish()
        except FetchError as exc:
            if not exc.url:
                exc.url = redact_url(url)
            raise
