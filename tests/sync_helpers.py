"""A real Fever server for the sync tests: coldsweat (installed with the test extra), started on
127.0.0.1 with its own commands, fetching its feeds from a local site of ours. Nothing leaves the
machine: its process gets HTTP(S)_PROXY at a closed loopback port (the favicons it asks an
outside service for fail at once) and NO_PROXY for 127.0.0.1, where its feeds are."""

from __future__ import annotations

import hashlib
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

COLDSWEAT = Path(sys.executable).with_name("coldsweat")
PASSWORD = "mật-khẩu-thử-1234"  # non-ASCII on purpose: the key is md5 of its UTF-8 bytes

# The feeds coldsweat serves: (path, group, title, items). 75 items in all: more than one page.
FEEDS = (("/thoi-su.xml", "Thời sự", "Tin Thời sự", 60),
         ("/kinh-te.xml", "Kinh tế", "Tin Kinh tế", 15))
TOTAL_ITEMS = sum(f[3] for f in FEEDS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def closed_port() -> int:
    """A loopback port nothing listens on (bound and closed again)."""
    return free_port()


def feed_xml(base: str, path: str, title: str, count: int) -> bytes:
    stem = path.strip("/").removesuffix(".xml")
    items = "".join(
        f"<item><title>{title} {n}</title><link>{base}/{stem}/{n}.html</link>"
        f"<guid>{base}/{stem}/{n}.html</guid>"
        f"<description>&lt;p&gt;Tóm tắt {stem} {n}&lt;/p&gt;</description>"
        f"<pubDate>Sun, 06 Dec 2026 {n % 24:02d}:{n % 60:02d}:00 +0700</pubDate></item>"
        for n in range(count))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{title}</title><link>{base}/</link>{items}</channel></rss>").encode()


class FeedSite:
    """The feeds coldsweat fetches, served from a thread."""

    def __init__(self) -> None:
        files: dict[str, bytes] = {}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                body = files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        for path, _, title, count in FEEDS:
            files[path] = feed_xml(self.base, path, title, count)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def opml(self, path: Path) -> Path:
        groups: dict[str, list[str]] = {}
        for feed_path, group, title, _ in FEEDS:
            groups.setdefault(group, []).append(
                f'<outline text="{title}" xmlUrl="{self.base}{feed_path}" '
                f'htmlUrl="{self.base}/"/>')
        body = "".join(f'<outline text="{g}">{"".join(o)}</outline>' for g, o in groups.items())
        path.write_text('<?xml version="1.0" encoding="utf-8"?><opml version="2.0"><head>'
                        f"<title>t</title></head><body>{body}</body></opml>", encoding="utf-8")
        return path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Coldsweat:
    """One coldsweat database, and its server process when started."""

    def __init__(self, workdir: Path, site: FeedSite) -> None:
        self.workdir = workdir
        self.site = site
        self.env = {
            **os.environ,
            "FLASK_DATABASE_URL": f"sqlite:///{workdir / 'coldsweat.db'}",
            "FLASK_SECRET_KEY": "tests only",
            "HTTP_PROXY": f"http://127.0.0.1:{closed_port()}",
            "HTTPS_PROXY": f"http://127.0.0.1:{closed_port()}",
            "NO_PROXY": "127.0.0.1,localhost",
        }
        for name in ("http_proxy", "https_proxy", "no_proxy", "ALL_PROXY", "all_proxy"):
            self.env.pop(name, None)
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self._log = open(workdir / "coldsweat.log", "ab")  # noqa: SIM115 (closed in stop_all)
        self._accounts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/fever/"

    def command(self, *args: str) -> str:
        done = subprocess.run([str(COLDSWEAT), *args], env=self.env, cwd=self.workdir,
                              capture_output=True, timeout=120, check=False)
        out = (done.stdout + done.stderr).decode("utf-8", "replace")
        if done.returncode != 0:
            raise RuntimeError(f"coldsweat {' '.join(args)}: {out[-2000:]}")
        return out

    def new_account(self) -> str:
        """A user of its own (so each test starts from unread everything), subscribed to the
        site's feeds; the first import makes coldsweat fetch them."""
        self._accounts += 1
        email = f"reader{self._accounts}-{os.getpid()}@example.org"
        self.command("setup", email, "-p", PASSWORD)
        self.command("import", str(self.site.opml(self.workdir / "subs.opml")), email, "-f")
        return email

    def start(self) -> None:
        assert self.proc is None
        self.proc = subprocess.Popen(
            [str(COLDSWEAT), "run", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env, cwd=self.workdir, stdout=self._log, stderr=self._log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"coldsweat run exited with {self.proc.returncode}")
            try:
                request = urllib.request.Request(f"{self.url}?api", data=b"api_key=x")
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                with opener.open(request, timeout=2) as response:
                    if b"auth" in response.read():
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("coldsweat did not answer within 60 s")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)
            self.proc = None

    def close(self) -> None:
        self.stop()
        self._log.close()


def api_key(email: str, password: str = PASSWORD) -> str:
    return hashlib.md5(f"{email}:{password}".encode()).hexdigest()


def sync_config(path: Path, url: str, email: str, *, password: str = PASSWORD,
                feeds: str = "", weather_url: str | None = None) -> Path:
    """A config with [sync] (the password from a command: a Python one-liner printing it)."""
    weather = weather_url or f"http://127.0.0.1:{closed_port()}/v1/forecast"
    command = [sys.executable, "-c", f"print({password!r})"]
    quoted = ", ".join('"' + a.replace("\\", "\\\\").replace('"', '\\"') + '"' for a in command)
    path.write_text(
        "[network]\ntimeout = 5\n\n"
        f'[weather]\nurl = "{weather}"\n\n'
        f'[sync]\nkind = "fever"\nurl = "{url}"\nuser = "{email}"\n'
        f"password_command = [{quoted}]\n\n" + feeds, encoding="utf-8")
    return path


def wait_for(check: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def session_server(tmp: Path) -> Iterator[Coldsweat]:
    """The body of the session fixture: one site, one coldsweat database and server."""
    site = FeedSite()
    server = Coldsweat(tmp, site)
    try:
        server.new_account()  # makes the tables and fetches the feeds once
        server.start()
        yield server
    finally:
        server.close()
        site.close()


class FeverProxy:
    """Stands between tui-news and coldsweat on a pytest-httpserver: passes every request on,
    unless `fault` says to answer one command ("items", "mark", "groups" …) badly, or `delay`
    holds it first. Records the commands it saw."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.fault: tuple[str, bytes] | None = None  # (command, body answered instead)
        self.delay: tuple[str, float] | None = None  # (command, seconds)
        self.seen: list[str] = []
        self.answered = 0  # requests done (a delayed one holds the server's one thread)
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def handle(self, request: Any) -> Any:
        try:
            return self._handle(request)
        finally:
            self.answered += 1

    def _handle(self, request: Any) -> Any:
        from werkzeug import Response

        query = request.query_string.decode()
        command = next((c for c in ("items", "mark", "groups", "unread_item_ids")
                        if c in request.args or c in request.form), "auth")
        self.seen.append(command)
        if self.delay and self.delay[0] == command:
            time.sleep(self.delay[1])
        if self.fault and self.fault[0] == command:
            return Response(self.fault[1], status=200, content_type="application/json")
        forwarded = urllib.request.Request(f"{self.upstream}?{query}",
                                           data=request.get_data(), method="POST")
        forwarded.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self._opener.open(forwarded, timeout=30) as answer:
                return Response(answer.read(), status=answer.status,
                                content_type="application/json")
        except urllib.error.HTTPError as exc:
            return Response(exc.read(), status=exc.code, content_type="text/html")
