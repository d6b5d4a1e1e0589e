"""Fetcher against real local servers: pytest-httpserver, plus raw sockets for what it can't do."""

from __future__ import annotations

import asyncio
import gzip
import socket
import ssl
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from safety_helpers import Handler, closed_port, gzip_of_zeros, hostile_server
from safety_helpers import send_response as send_raw
from werkzeug import Request as WRequest
from werkzeug import Response as WResponse

from tui_news.fetch import Fetcher, FetchError, Response

UA = "tui-news-test/1.0"


def fetcher(**kwargs: object) -> Fetcher:
    kwargs.setdefault("timeout", 2)
    return Fetcher(user_agent=UA, **kwargs)  # type: ignore[arg-type]


async def fetch(url: str, **kwargs: object) -> Response:
    get_kwargs = {k: kwargs.pop(k) for k in ("etag", "last_modified", "max_bytes", "accept")
                  if k in kwargs}
    async with fetcher(**kwargs) as f:
        return await f.get(url, **get_kwargs)  # type: ignore[arg-type]


async def fetch_error(url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as info:
        await fetch(url, **kwargs)
    message = str(info.value)
    assert "\n" not in message and message  # one clean line
    return info.value


# --- a raw socket server for what werkzeug cannot do (tests/safety_helpers.py) --------------------


@contextmanager
def raw_server(handler: Handler, *, tls: ssl.SSLContext | None = None) -> Iterator[int]:
    """Accept connections on 127.0.0.1 and give each to `handler` in its own thread."""
    with hostile_server(handler, tls=tls) as server:
        yield server.port


def send_response(conn: socket.socket, body: bytes, headers: dict[str, str] | None = None,
                  status: str = "200 OK") -> None:
    """Exactly these headers (no Content-Length added): the faults under test need that."""
    send_raw(conn, body, headers, status, length=False)


# --- plain answers -----------------------------------------------------------------------------


async def test_200_body_headers_and_user_agent(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.rss", headers={"User-Agent": UA}).respond_with_data(
        "<rss>xin chào</rss>", content_type="application/rss+xml",
        headers={"ETag": '"v1"', "Last-Modified": "Sat, 28 Nov 2026 01:00:00 GMT"})
    resp = await fetch(httpserver.url_for("/feed.rss"))
    assert resp.status == 200 and not resp.not_modified
    assert resp.body == "<rss>xin chào</rss>".encode()
    assert resp.headers["content-type"] == "application/rss+xml"
    assert resp.etag == '"v1"' and resp.last_modified == "Sat, 28 Nov 2026 01:00:00 GMT"
    assert resp.url == httpserver.url_for("/feed.rss")


async def test_accept_header_is_sent(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a", headers={"Accept": "application/json"}).respond_with_data("{}")
    assert (await fetch(httpserver.url_for("/a"), accept="application/json")).body == b"{}"


async def test_conditional_get_round_trip(httpserver: HTTPServer) -> None:
    etag = 'W/"abc 123"'
    modified = "Sat, 28 Nov 2026 01:00:00 GMT"
    httpserver.expect_ordered_request("/feed").respond_with_data(
        "body", headers={"ETag": etag, "Last-Modified": modified})
    # The second request must carry both validators exactly; otherwise no handler matches (500).
    httpserver.expect_ordered_request(
        "/feed", headers={"If-None-Match": etag, "If-Modified-Since": modified},
    ).respond_with_data("", status=304)
    async with fetcher() as f:
        first = await f.get(httpserver.url_for("/feed"))
        second = await f.get(httpserver.url_for("/feed"), etag=first.etag,
                             last_modified=first.last_modified)
    assert second.status == 304 and second.not_modified and second.body == b""
    # The 304 carried no validators: the ones we sent are echoed back.
    assert second.etag == etag and second.last_modified == modified
    httpserver.check_assertions()


async def test_304_with_new_validators_reports_them(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data("", status=304, headers={"ETag": '"new"'})
    resp = await fetch(httpserver.url_for("/feed"), etag='"old"', last_modified="x")
    assert resp.etag == '"new"' and resp.last_modified == "x"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://x/y",
                                 "data:text/plain,hi", "/relative/path", ""])
async def test_only_http_urls(url: str) -> None:
    err = await fetch_error(url)
    assert "http" in str(err)


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/", "http://xn--/"])
async def test_invalid_urls_are_fetch_errors(url: str) -> None:
    assert str(await fetch_error(url)) == "invalid URL"


async def test_unsendable_validators_are_dropped(httpserver: HTTPServer) -> None:
    seen: list[str | None] = []

    def handler(request: WRequest) -> WResponse:
        seen.append(request.headers.get("If-None-Match"))
        return WResponse("full")

    httpserver.expect_request("/v").respond_with_handler(handler)
    resp = await fetch(httpserver.url_for("/v"), etag='"caf\u00e9"\r\nX-Evil: 1')
    assert resp.status == 200 and seen == [None]


# --- content coding ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding,encode", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send
    ("gzip, gzip", lambda b: gzip.compress(gzip.compress(b))),
])
async def test_compressed_bodies_decode(httpserver: HTTPServer, encoding: str,
                                        encode: Callable[[bytes], bytes]) -> None:
    text = ("Tin tức Việt Nam " * 5000).encode()
    httpserver.expect_request("/z").respond_with_data(
        encode(text), headers={"Content-Encoding": encoding})
    assert (await fetch(httpserver.url_for("/z"))).body == text


async def test_gzip_bomb_is_refused_quickly_with_bounded_memory(httpserver: HTTPServer) -> None:
    bomb = gzip_of_zeros(100 << 20)  # 100 MiB of zeros, about 100 KB on the wire
    assert len(bomb) < 1 << 20
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    started = time.monotonic()
    try:
        err = await fetch_error(httpserver.url_for("/bomb"), max_bytes=4 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "larger than 4 MiB" in str(err)
    assert time.monotonic() - started < 5
    assert peak < 24 << 20, f"peak {peak >> 20} MiB"


async def test_stacked_gzip_bomb_is_refused(httpserver: HTTPServer) -> None:
    inner = gzip_of_zeros(200 << 20)
    bomb = gzip.compress(inner)
    httpserver.expect_request("/bomb2").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip, gzip"})
    tracemalloc.start()
    try:
        err = await fetch_error(httpserver.url_for("/bomb2"), max_bytes=2 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "larger than 2 MiB" in str(err)
    assert peak < 24 << 20, f"peak {peak >> 20} MiB"


async def test_plain_body_over_the_cap(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * (3 << 20))
    err = await fetch_error(httpserver.url_for("/big"), max_bytes=1 << 20)
    assert "larger than 1 MiB" in str(err)


@pytest.mark.parametrize("encoding", ["br", "gzip, gzip, gzip", "compress"])
async def test_unsupported_or_too_many_encodings(httpserver: HTTPServer, encoding: str) -> None:
    httpserver.expect_request("/e").respond_with_data(b"abc",
                                                      headers={"Content-Encoding": encoding})
    err = await fetch_error(httpserver.url_for("/e"))
    assert "encoding" in str(err)


async def test_corrupt_gzip(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/c").respond_with_data(b"\x1f\x8bnot gzip at all",
                                                      headers={"Content-Encoding": "gzip"})
    assert "corrupt gzip" in str(await fetch_error(httpserver.url_for("/c")))


# --- lying and slow servers ---------------------------------------------------------------------


async def test_huge_content_length_refused_before_reading() -> None:
    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        send_response(conn, b"abc", {"Content-Length": str(10**12)})
        time.sleep(5)  # never sends the rest: we must not wait for it

    with raw_server(handler) as port:
        started = time.monotonic()
        err = await fetch_error(f"http://127.0.0.1:{port}/", max_bytes=1 << 20)
    assert "larger than 1 MiB" in str(err) and "Content-Length" in str(err)
    assert time.monotonic() - started < 1.5


async def test_body_cut_short_with_length() -> None:
    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        send_response(conn, b"<rss>only part", {"Content-Length": "1000"})

    with raw_server(handler) as port:
        err = await fetch_error(f"http://127.0.0.1:{port}/")
    assert "cut short" in str(err)


async def test_compressed_body_cut_short_without_length() -> None:
    whole = gzip.compress(b"<rss>" + b"tin " * 20000 + b"</rss>")

    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        # No Content-Length: the body ends when the connection closes, half way through.
        send_response(conn, whole[: len(whole) // 2], {"Content-Encoding": "gzip"})

    with raw_server(handler) as port:
        err = await fetch_error(f"http://127.0.0.1:{port}/")
    assert "cut short" in str(err)


async def test_server_dripping_bytes_fails_at_the_deadline() -> None:
    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        send_response(conn, b"", {"Content-Length": "100000"})
        for _ in range(100):  # one byte every 0.2 s: no single read ever times out
            conn.sendall(b"x")
            time.sleep(0.2)

    with raw_server(handler) as port:
        started = time.monotonic()
        err = await fetch_error(f"http://127.0.0.1:{port}/", timeout=1)
    elapsed = time.monotonic() - started
    assert str(err) == "timed out after 1 s"
    assert 0.9 < elapsed < 2.5


async def test_server_dripping_headers_fails_at_the_deadline() -> None:
    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        for i in range(100):
            conn.sendall(f"X-{i}: y\r\n".encode())
            time.sleep(0.2)

    with raw_server(handler) as port:
        started = time.monotonic()
        err = await fetch_error(f"http://127.0.0.1:{port}/", timeout=1)
    assert "timed out" in str(err) and time.monotonic() - started < 2.5


async def test_server_that_never_answers() -> None:
    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        time.sleep(4)

    with raw_server(handler) as port:
        started = time.monotonic()
        err = await fetch_error(f"http://127.0.0.1:{port}/", timeout=1)
    assert str(err) == "timed out after 1 s"
    assert time.monotonic() - started < 2.5


async def test_server_closing_without_answer() -> None:
    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        return  # close at once

    with raw_server(handler) as port:
        err = await fetch_error(f"http://127.0.0.1:{port}/")
    assert "closed" in str(err)


# --- redirects ----------------------------------------------------------------------------------


async def test_relative_redirect_followed_and_final_url_reported(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data("", status=301,
                                                        headers={"Location": "new?x=1"})
    httpserver.expect_request("/new").respond_with_data("here")
    resp = await fetch(httpserver.url_for("/old"))
    assert resp.body == b"here" and resp.url == httpserver.url_for("/new") + "?x=1"


async def test_redirect_loop(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    assert str(await fetch_error(httpserver.url_for("/a"))) == "redirect loop"


async def test_too_many_redirects(httpserver: HTTPServer) -> None:
    for i in range(10):
        httpserver.expect_request(f"/r{i}").respond_with_data(
            "", status=307, headers={"Location": f"/r{i + 1}"})
    err = await fetch_error(httpserver.url_for("/r0"), max_redirects=3)
    assert str(err) == "too many redirects (more than 3)"
    # Within the limit the chain is followed.
    httpserver.expect_request("/r10").respond_with_data("end")
    assert (await fetch(httpserver.url_for("/r5"), max_redirects=5)).body == b"end"


@pytest.mark.parametrize("location", ["file:///etc/passwd", "javascript:alert(1)",
                                      "data:text/html,hi"])
async def test_redirect_to_non_web_scheme(httpserver: HTTPServer, location: str) -> None:
    httpserver.expect_request("/go").respond_with_data("", status=302,
                                                       headers={"Location": location})
    err = await fetch_error(httpserver.url_for("/go"))
    assert "redirect to a non-web URL" in str(err)
    assert location.split(":")[0] + ":" in str(err)


async def test_redirect_without_location(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_data("", status=302)
    err = await fetch_error(httpserver.url_for("/x"))
    assert "302" in str(err) and "Location" in str(err)


# --- status codes and Retry-After --------------------------------------------------------------


@pytest.mark.parametrize("status,message", [(404, "HTTP 404 Not Found"), (410, "HTTP 410 Gone"),
                                            (500, "HTTP 500 Internal Server Error"),
                                            (403, "HTTP 403 Forbidden")])
async def test_error_statuses(httpserver: HTTPServer, status: int, message: str) -> None:
    httpserver.expect_request("/s").respond_with_data("<html>oops</html>", status=status)
    err = await fetch_error(httpserver.url_for("/s"))
    assert str(err) == message and err.status == status and err.retry_after is None
    assert err.url == httpserver.url_for("/s")


async def _retry_after(httpserver: HTTPServer, value: str | None, status: int = 429,
                       cap: float = 6 * 3600) -> FetchError:
    headers = {"Retry-After": value} if value is not None else {}
    httpserver.expect_request("/limited").respond_with_data("", status=status, headers=headers)
    return await fetch_error(httpserver.url_for("/limited"), retry_after_cap=cap)


async def test_retry_after_seconds(httpserver: HTTPServer) -> None:
    err = await _retry_after(httpserver, "120")
    assert err.status == 429 and err.retry_after is not None
    assert err.retry_after.tzinfo is not None and err.retry_after.utcoffset() == timedelta(0)
    delay = (err.retry_after - datetime.now(UTC)).total_seconds()
    assert 110 < delay <= 121
    assert str(err).startswith("HTTP 429 Too Many Requests")


async def test_retry_after_http_date(httpserver: HTTPServer) -> None:
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    err = await _retry_after(httpserver, format_datetime(when, usegmt=True), status=503)
    assert err.status == 503 and err.retry_after == when


@pytest.mark.parametrize("value", ["soon", "-5", "1e9", "Fri, 99 Foo 2026", ""])
async def test_retry_after_garbage_ignored(httpserver: HTTPServer, value: str) -> None:
    err = await _retry_after(httpserver, value)
    assert err.status == 429 and err.retry_after is None


async def test_retry_after_huge_is_capped(httpserver: HTTPServer) -> None:
    err = await _retry_after(httpserver, "99999999999999999999", cap=3600)
    assert err.retry_after is not None
    delay = (err.retry_after - datetime.now(UTC)).total_seconds()
    assert 3590 < delay <= 3600


async def test_503_without_retry_after(httpserver: HTTPServer) -> None:
    err = await _retry_after(httpserver, None, status=503)
    assert str(err) == "HTTP 503 Service Unavailable" and err.retry_after is None


# --- network faults ------------------------------------------------------------------------------


async def test_connection_refused() -> None:
    err = await fetch_error(f"http://127.0.0.1:{closed_port()}/feed")
    assert str(err) == "connection refused" and err.status is None


async def test_unknown_host_fails_fast() -> None:
    started = time.monotonic()
    err = await fetch_error("http://nonexistent.invalid/rss")
    assert str(err) == "name not resolved"
    assert time.monotonic() - started < 0.5


async def test_unknown_host_after_redirect(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/r").respond_with_data(
        "", status=302, headers={"Location": "https://feeds.nonexistent.invalid/x"})
    assert str(await fetch_error(httpserver.url_for("/r"))) == "name not resolved"


async def test_self_signed_tls_not_trusted(self_signed: tuple[Path, Path]) -> None:
    cert, key = self_signed
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)

    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        send_response(conn, b"secret", {"Content-Length": "6"})

    with raw_server(handler, tls=server_ctx) as port:
        err = await fetch_error(f"https://127.0.0.1:{port}/")
        assert str(err) == "TLS certificate not trusted"
        # The same server is fine once its certificate is trusted: the refusal is about trust.
        client_ctx = ssl.create_default_context(cafile=str(cert))
        resp = await fetch(f"https://127.0.0.1:{port}/", verify=client_ctx)
        assert resp.body == b"secret"


async def test_credentials_redacted_everywhere(httpserver: HTTPServer) -> None:
    err = await fetch_error(f"http://reader:hunter2@127.0.0.1:{closed_port()}/feed")
    assert "hunter2" not in str(err) and "hunter2" not in err.url and "***@" in err.url
    httpserver.expect_request("/private").respond_with_data("", status=401)
    url = httpserver.url_for("/private").replace("http://", "http://reader:hunter2@")
    err = await fetch_error(url)
    assert str(err) == "HTTP 401 Unauthorized"
    assert "hunter2" not in err.url and "hunter2" not in repr(err.args)


# --- concurrency and cookies ---------------------------------------------------------------------


async def test_per_host_and_global_concurrency_bounds() -> None:
    lock = threading.Lock()
    active: dict[str, int] = {}
    peak: dict[str, int] = {}
    overall = {"now": 0, "peak": 0}

    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        host = headers.get("host", "").split(":")[0]
        with lock:
            active[host] = active.get(host, 0) + 1
            peak[host] = max(peak.get(host, 0), active[host])
            overall["now"] += 1
            overall["peak"] = max(overall["peak"], overall["now"])
        time.sleep(0.15)
        with lock:
            active[host] -= 1
            overall["now"] -= 1
        send_response(conn, b"ok", {"Content-Length": "2"})

    with raw_server(handler) as port:
        async with fetcher(per_host=2, concurrency=3, timeout=10) as f:
            urls = [f"http://{h}:{port}/{i}" for i in range(8) for h in ("127.0.0.1", "localhost")]
            results = await asyncio.gather(*(f.get(u) for u in urls))
    assert all(r.body == b"ok" for r in results)
    assert peak["127.0.0.1"] == 2 and peak["localhost"] == 2
    assert overall["peak"] == 3


async def test_a_busy_host_does_not_block_others() -> None:
    released = threading.Event()  # the slow host answers only once the fast one has

    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        if path.startswith("/slow"):
            released.wait(10)
        send_response(conn, b"ok", {"Content-Length": "2"})

    with raw_server(handler) as port:
        async with fetcher(per_host=1, concurrency=2, timeout=15) as f:
            slow = [asyncio.create_task(f.get(f"http://127.0.0.1:{port}/slow{i}"))
                    for i in range(4)]
            await asyncio.sleep(0.05)  # the slow host's requests are queued first
            try:
                fast = await asyncio.wait_for(f.get(f"http://localhost:{port}/fast"), 5)
                assert not any(task.done() for task in slow)  # all still held by the server
            finally:
                released.set()
            assert fast.body == b"ok"
            assert [r.body for r in await asyncio.gather(*slow)] == [b"ok"] * 4


async def test_proxy_from_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def proxy(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        seen.append(path)  # a proxy is sent the whole URL
        send_response(conn, b"via proxy", {"Content-Length": "9"})

    with raw_server(proxy) as port:
        for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{port}")
        response = await fetch("http://bao.example.com/rss/tin-moi.rss")
    assert response.body == b"via proxy"
    assert seen == ["http://bao.example.com/rss/tin-moi.rss"]


async def test_plain_http_makes_no_tls_context_with_only_no_proxy_set(
        httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # Loading the CA bundle costs ~20 ms of a refresh; plain http never needs it. no_proxy
    # (here "*", as a script may set) names no proxy, so it must not bring the eager context back.
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                 "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    made: list[object] = []
    real = ssl.create_default_context

    def counting(*args: object, **kwargs: object) -> ssl.SSLContext:
        made.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl, "create_default_context", counting)
    httpserver.expect_request("/rss").respond_with_data("ok")
    response = await fetch(httpserver.url_for("/rss"))
    assert response.body == b"ok"
    assert made == []


async def test_cookies_kept_per_host() -> None:
    seen: list[tuple[str, str, str]] = []

    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        host = headers.get("host", "").split(":")[0]
        seen.append((host, path, headers.get("cookie", "")))
        extra = {"Set-Cookie": "sid=abc123; Path=/"} if path == "/login" else {}
        send_response(conn, b"ok", {"Content-Length": "2", **extra})

    with raw_server(handler) as port:
        async with fetcher() as f:
            await f.get(f"http://127.0.0.1:{port}/login")
            await f.get(f"http://127.0.0.1:{port}/feed")
            await f.get(f"http://localhost:{port}/feed")
        async with fetcher() as f:  # a new Fetcher starts without cookies
            await f.get(f"http://127.0.0.1:{port}/feed")
    assert seen[1] == ("127.0.0.1", "/feed", "sid=abc123")
    assert seen[2] == ("localhost", "/feed", "")
    assert seen[3] == ("127.0.0.1", "/feed", "")


async def test_warm_up_rule_fetches_rss_page_first_once() -> None:
    seen: list[str] = []

    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        seen.append(path)
        if path == "/rss":
            send_response(conn, b"index", {"Content-Length": "5",
                                           "Set-Cookie": "session=ok; Path=/"})
        elif headers.get("cookie") == "session=ok":
            send_response(conn, b"<rss/>", {"Content-Length": "6"})
        else:
            send_response(conn, b"", {"Content-Length": "0"}, status="403 Forbidden")

    with raw_server(handler) as port:
        feed = f"http://localhost:{port}/rss/cate/quoc-phong.rss"
        async with fetcher(warm_up_rules={"localhost": "/rss"}) as f:
            assert (await f.get(feed)).body == b"<rss/>"
            assert (await f.get(feed)).body == b"<rss/>"
        # Without the rule the outlet refuses, which is why the rule exists.
        assert (await fetch_error(feed, warm_up_rules={})).status == 403
    assert seen[:3] == ["/rss", "/rss/cate/quoc-phong.rss", "/rss/cate/quoc-phong.rss"]


async def test_fetcher_reusable_after_aclose(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/p").respond_with_data("pong")
    f = fetcher()
    assert (await f.get(httpserver.url_for("/p"))).body == b"pong"
    await f.aclose()
    assert (await f.get(httpserver.url_for("/p"))).body == b"pong"
    await f.aclose()
