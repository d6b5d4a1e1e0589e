"""The Fetcher's connections: a keep-alive pool for each host, a 304 that leaves its connection
open for the next request, and a bound on the pools kept open."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tui_news import fetch
from tui_news.fetch import Fetcher

UA = "tui-news-test/1.0"


class _Server(ThreadingHTTPServer):
    daemon_threads = True


@contextmanager
def servers(hosts: list[str]) -> Iterator[tuple[list[str], Counter[str]]]:
    """An HTTP/1.1 (keep-alive) server on each loopback address: their base URLs, and the TCP
    connections each has accepted. A request with If-None-Match "v1" gets a 304."""
    connections: Counter[str] = Counter()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def handle(self) -> None:  # one TCP connection, as many requests as it carries
            with lock:
                connections[self.server.server_address[0]] += 1  # type: ignore[index]
            super().handle()

        def do_GET(self) -> None:  # noqa: N802
            if self.path.startswith("/once"):  # answers, then drops the kept-alive connection
                self.send_response(200)
                self.send_header("Content-Length", "4")
                self.end_headers()
                self.wfile.write(b"once")
                self.close_connection = True
                return
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    running: list[_Server] = []
    try:
        for host in hosts:
            try:
                running.append(_Server((host, 0), Handler))
            except OSError as exc:  # pragma: no cover - a system without 127.0.0.0/8 on lo
                pytest.skip(f"cannot listen on {host}: {exc}")
        for srv in running:
            threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()
        yield [f"http://{s.server_address[0]}:{s.server_address[1]}" for s in running], connections
    finally:
        for srv in running:
            srv.shutdown()
            srv.server_close()


async def test_each_host_keeps_its_connections_alive() -> None:
    """More hosts than the global limit: one pool shared by all closed another host's idle
    connection for nearly every request (a refresh on 17 hosts opened 198 for 200 requests)."""
    hosts = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
    with servers(hosts) as (bases, connections):
        async with Fetcher(user_agent=UA, timeout=10, concurrency=2, per_host=2) as f:
            urls = [f"{base}/feed{i}.rss" for i in range(8) for base in bases]  # host by host
            results = await asyncio.gather(*(f.get(url) for url in urls))
    assert [r.body for r in results] == [b"ok"] * len(urls)
    assert all(connections[h] <= 2 for h in hosts), connections  # per_host at most
    assert sum(connections.values()) <= 6, connections  # was one or nearly one a request


async def test_a_304_leaves_its_connection_for_the_next_request() -> None:
    with servers(["127.0.0.1"]) as ([base], connections):
        async with Fetcher(user_agent=UA, timeout=10, concurrency=1, per_host=1) as f:
            answers = [await f.get(f"{base}/feed{i}.rss", etag='"v1"') for i in range(5)]
    assert [r.status for r in answers] == [304] * 5
    assert all(r.etag == '"v1"' for r in answers)
    assert connections["127.0.0.1"] == 1, connections  # was one a request


async def test_idle_pools_beyond_the_bound_are_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch._HostPools, "IDLE_POOLS", 1)
    hosts = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
    with servers(hosts) as (bases, connections):
        async with Fetcher(user_agent=UA, timeout=10, concurrency=2, per_host=2) as f:
            for base in [*bases, bases[2], bases[0]]:
                assert (await f.get(f"{base}/feed.rss")).body == b"ok"
    # The third host's pool was the one kept open; the first one's had been closed.
    assert connections == Counter({"127.0.0.1": 2, "127.0.0.2": 1, "127.0.0.3": 1}), connections


async def test_a_connection_the_server_closed_is_not_used_again() -> None:
    """Before each request httpcore asks every idle connection whether its socket is readable
    (the server's close): fetch._Stream answers that itself. A wrong answer sends the next
    request down a dead connection ("server closed the connection without answering")."""
    with servers(["127.0.0.1"]) as ([base], connections):
        async with Fetcher(user_agent=UA, timeout=10, concurrency=1, per_host=1) as f:
            bodies = []
            for i in range(3):
                bodies.append((await f.get(f"{base}/once{i}.rss")).body)
                await asyncio.sleep(0.1)  # the server's close reaches the idle connection
            assert (await f.get(f"{base}/feed.rss")).body == b"ok"
    assert bodies == [b"once"] * 3
    assert connections["127.0.0.1"] == 4, connections
