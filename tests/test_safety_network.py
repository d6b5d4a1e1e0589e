"""SAFETY.md "Network": servers that misbehave on purpose, through `tui-news refresh`.

A healthy feed (pytest-httpserver) and a feed on a raw-socket server are refreshed once and the
reader's state is set; then the raw server turns hostile and `tui-news refresh` runs again: one
line naming that feed and the fault, the cache untouched, no traceback, the command bounded in
time (the config's whole-request deadline is 2 s here).
"""

from __future__ import annotations

import socket
import ssl
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from conftest import Cli, Run, Site
from safety_helpers import (
    HostileServer,
    assert_feed_message,
    assert_kept,
    assert_no_traceback,
    closed_port,
    good_feed,
    gzip_of_zeros,
    hostile_server,
    mark_some,
    send_response,
    snapshot,
)

TIMEOUT = 2  # [network] timeout in the test config: the whole-request deadline


@dataclass
class Env:
    site: Site
    cli: Cli
    server: HostileServer
    good: str
    feed: str

    @property
    def db(self) -> Path:
        return self.cli.data_dir / "cache.sqlite3"

    def configure(self, feed: str) -> None:
        self.feed = feed
        self.cli.write_config([(self.good, "Thời sự"), (feed, "Kinh doanh")],
                              weather_url=self.site.url("/v1/forecast"))
        text = self.cli.config.read_text(encoding="utf-8")
        self.cli.config.write_text(text.replace("timeout = 5", f"timeout = {TIMEOUT}"),
                                   encoding="utf-8")


@pytest.fixture
def env(site: Site, cli: Cli) -> Iterator[Env]:
    good = site.add("/good.xml", good_feed("g"))
    with hostile_server() as server:
        server.serve(good_feed("h"))
        e = Env(site, cli, server, good, server.url("/rss.xml"))
        e.configure(e.feed)
        first = cli("refresh")
        assert first.status == 0, first.err
        mark_some(e.db)
        assert len(snapshot(e.db)) == 6
        yield e


def refresh_fault(env: Env, fault: str, *, seconds: float = TIMEOUT + 6,
                  url: str | None = None) -> Run:
    """Refresh with the fault in place; every common check; returns the run."""
    before = snapshot(env.db)
    started = time.monotonic()
    run = env.cli("refresh")
    took = time.monotonic() - started
    assert took < seconds, f"refresh took {took:.1f} s"
    assert_no_traceback(run.err)
    assert run.status == 0, run.err  # the healthy feed refreshed: the command did its job
    assert "1/2 feeds refreshed" in run.out or "waiting" in run.out, run.out
    assert_feed_message(run.err, url or env.feed, fault)
    assert_kept(before, snapshot(env.db))
    return run


# --- hosts ----------------------------------------------------------------------------------------


def test_unknown_host(env: Env) -> None:
    env.configure("http://tin-tuc.invalid/rss.xml")
    refresh_fault(env, "name not resolved", seconds=5)


def test_connection_refused(env: Env) -> None:
    env.configure(f"http://127.0.0.1:{closed_port()}/rss.xml")
    refresh_fault(env, "connection refused", seconds=5)


def test_self_signed_tls(env: Env, self_signed: tuple[Path, Path]) -> None:
    cert, key = self_signed
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    with hostile_server(tls=ctx) as tls:
        tls.serve(good_feed("tls"))
        env.configure(tls.url("/rss.xml", scheme="https"))
        refresh_fault(env, "TLS certificate not trusted", seconds=5)
        assert not any(k.startswith("tls-") for k in snapshot(env.db))


# --- slow servers -------------------------------------------------------------------------------


def test_server_that_drips_bytes(env: Env) -> None:
    def drip(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n<rss>")
        for _ in range(60):  # one byte every 0.2 s: every single read is "fast"
            conn.sendall(b" ")
            time.sleep(0.2)

    env.server.handler = drip
    refresh_fault(env, f"timed out after {TIMEOUT} s")


def test_server_that_drips_headers(env: Env) -> None:
    def drip(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        for n in range(60):
            conn.sendall(f"X-Slow-{n}: 1\r\n".encode())
            time.sleep(0.2)

    env.server.handler = drip
    refresh_fault(env, f"timed out after {TIMEOUT} s")


def test_server_that_never_answers(env: Env) -> None:
    def silent(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        time.sleep(TIMEOUT + 5)

    env.server.handler = silent
    refresh_fault(env, f"timed out after {TIMEOUT} s")


# --- bodies ---------------------------------------------------------------------------------------


def test_gzip_bomb(env: Env) -> None:
    bomb = gzip_of_zeros(256 << 20)  # 256 MiB of zeros in ~250 KB
    env.server.serve(bomb, {"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        refresh_fault(env, "larger than 8 MiB")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 48 << 20, f"peak {peak >> 20} MiB"


def test_stacked_encodings_bomb(env: Env) -> None:
    bomb = gzip_of_zeros(256 << 20, layers=2)  # gzip, gzip: a few KB
    env.server.serve(bomb, {"Content-Encoding": "gzip, gzip"})
    tracemalloc.start()
    try:
        refresh_fault(env, "larger than 8 MiB")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 48 << 20, f"peak {peak >> 20} MiB"


def test_three_stacked_encodings_refused(env: Env) -> None:
    env.server.serve(b"x", {"Content-Encoding": "gzip, gzip, gzip"})
    refresh_fault(env, "too many content encodings")


def test_huge_content_length(env: Env) -> None:
    def lie(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        send_response(conn, b"<rss>", {"Content-Length": str(10**15)})

    env.server.handler = lie
    refresh_fault(env, "larger than 8 MiB")


def test_body_cut_short_with_length(env: Env) -> None:
    body = good_feed("cut", 40)

    def cut(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        send_response(conn, body[: len(body) // 2], {"Content-Length": str(len(body))})

    env.server.handler = cut
    refresh_fault(env, "body cut short")
    assert not any(k.startswith("cut-") for k in snapshot(env.db))


def test_compressed_body_cut_short_without_length(env: Env) -> None:
    import gzip

    packed = gzip.compress(good_feed("cutz", 200))

    def cut(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        send_response(conn, packed[: len(packed) // 2], {"Content-Encoding": "gzip"},
                      length=False)

    env.server.handler = cut
    refresh_fault(env, "body cut short")


# --- redirects ------------------------------------------------------------------------------------


def test_redirect_loop(env: Env) -> None:
    def loop(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        target = "/b" if path == "/rss.xml" else "/rss.xml"
        send_response(conn, b"", {"Location": target}, "302 Found")

    env.server.handler = loop
    refresh_fault(env, "redirect loop")


@pytest.mark.parametrize("location", ["file:///etc/passwd", "javascript:alert(1)",
                                      "data:text/xml,<rss/>", "ftp://127.0.0.1/rss.xml"])
def test_redirect_to_a_non_web_scheme(env: Env, location: str) -> None:
    env.server.handler = lambda conn, path, headers: send_response(
        conn, b"", {"Location": location}, "301 Moved Permanently")
    refresh_fault(env, "redirect to a non-web URL")


def test_relative_links_resolve_against_the_final_url(env: Env) -> None:
    feed = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>R</title>'
            b"<item><guid>rel</guid><title>T</title><link>bai.html</link></item>"
            b"</channel></rss>")

    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        if path == "/rss.xml":
            send_response(conn, b"", {"Location": "/moi/rss.xml"}, "301 Moved Permanently")
        else:
            send_response(conn, feed, {"Content-Type": "application/rss+xml"})

    env.server.handler = handler
    run = env.cli("refresh")
    assert run.status == 0 and run.err == ""
    assert snapshot(env.db)["rel"][1] == env.server.url("/moi/bai.html")


# --- statuses -------------------------------------------------------------------------------------


def _requests_to_feed(env: Env) -> int:
    return sum(1 for path, _ in env.server.requests if path == "/rss.xml")


@pytest.mark.parametrize(("status", "value", "wait"), [
    ("429 Too Many Requests", "120", "retry after 120 s"),
    ("503 Service Unavailable", "120", "retry after 120 s"),
    ("503 Service Unavailable", "DATE", "retry after 1[12][0-9] s"),
    ("429 Too Many Requests", "99999999999999999999", "retry after 21600 s"),  # capped: 6 h
])
def test_retry_after_is_honoured(env: Env, status: str, value: str, wait: str) -> None:
    if value == "DATE":
        value = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    env.server.serve(b"busy", {"Retry-After": value}, status)
    refresh_fault(env, f"HTTP {status[:3]} .*{wait}")
    asked = _requests_to_feed(env)
    # The next refresh leaves that server alone and says until when.
    run = env.cli("refresh")
    assert_no_traceback(run.err)
    assert run.status == 0 and "1 waiting" in run.out, run.out
    assert _requests_to_feed(env) == asked
    feeds = {f["url"]: f for f in env.cli("feeds", "--json").json()}  # type: ignore[union-attr]
    assert feeds[env.feed]["last_status"] == "error"


@pytest.mark.parametrize("value", ["soon", "-5", "1e9", "Fri, 99 Foo 2026", ""])
def test_retry_after_garbage_is_ignored(env: Env, value: str) -> None:
    env.server.serve(b"busy", {"Retry-After": value}, "503 Service Unavailable")
    line = refresh_fault(env, "HTTP 503 Service Unavailable").err
    assert "retry after" not in line
    asked = _requests_to_feed(env)
    env.server.serve(good_feed("h"))
    run = env.cli("refresh")  # no wait was asked for: the next refresh tries again
    assert run.status == 0 and run.err == ""
    assert _requests_to_feed(env) == asked + 1


def test_410_gone(env: Env) -> None:
    env.server.serve(b"gone", {}, "410 Gone")
    refresh_fault(env, "HTTP 410 Gone")


def test_conditional_get_round_trip(env: Env) -> None:
    """ETag/Last-Modified sent back exactly, and kept across a 304 without validators."""
    etag = 'W/"ab\\"c-123"'
    modified = "Sat, 22 Aug 2026 10:00:00 GMT"
    body = good_feed("h")
    seen: list[dict[str, str]] = []

    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        seen.append(headers)
        if headers.get("if-none-match") == etag:
            send_response(conn, b"", {}, "304 Not Modified", length=False)  # no validators
        else:
            send_response(conn, body, {"ETag": etag, "Last-Modified": modified,
                                       "Content-Type": "application/rss+xml"})

    env.server.handler = handler
    before = snapshot(env.db)
    for _ in range(3):
        run = env.cli("refresh")
        assert run.status == 0 and run.err == ""
    assert "if-none-match" not in seen[0]
    assert [h.get("if-none-match") for h in seen[1:]] == [etag, etag]
    assert [h.get("if-modified-since") for h in seen[1:]] == [modified, modified]
    assert "2 not modified" in run.out
    assert_kept(before, snapshot(env.db))


def test_no_network_at_all_keeps_the_cache(env: Env, site: Site) -> None:
    """Every feed and the weather unreachable: exit 1, one line per feed, the cache readable."""
    before = snapshot(env.db)
    dead = closed_port()
    env.good = f"http://127.0.0.1:{dead}/good.xml"
    env.cli.write_config([(env.good, "Thời sự"), (f"http://127.0.0.1:{dead}/rss.xml",
                                                   "Kinh doanh")],
                         weather_url=f"http://127.0.0.1:{dead}/v1/forecast")
    run = env.cli("refresh")
    assert run.status == 1
    assert "0/2 feeds refreshed" in run.out
    assert_no_traceback(run.err)
    for url in (env.good, f"http://127.0.0.1:{dead}/rss.xml"):
        assert_feed_message(run.err, url, "connection refused")
    assert_kept(before, snapshot(env.db))
    listed = env.cli("--offline", "articles", "--json")
    assert listed.status == 0 and len(listed.json()) == 6  # type: ignore[arg-type]
    offline = env.cli("--offline", "refresh")
    assert offline.status == 1 and "--offline" in offline.err
    weather = env.cli("--offline", "weather")
    assert weather.status == 0 and "from the cache" in weather.err


def test_credentials_in_a_failing_feed_url_are_redacted(env: Env) -> None:
    url = f"http://reader:s3cr3t-pw@127.0.0.1:{closed_port()}/rss.xml"
    env.configure(url)
    run = refresh_fault(env, "connection refused", seconds=5)
    assert "s3cr3t" not in run.err and "***@127.0.0.1" in run.err
    listed = env.cli("feeds")
    assert listed.status == 0 and "s3cr3t" not in listed.err


def test_credentials_redacted_in_the_feeds_listing(env: Env) -> None:
    env.configure(f"http://reader:s3cr3t-pw@127.0.0.1:{closed_port()}/rss.xml")
    listed = env.cli("feeds")
    assert listed.status == 0
    assert "s3cr3t" not in listed.out and "***@127.0.0.1" in listed.out
