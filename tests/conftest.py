"""Shared fixtures: a real HTTP server on 127.0.0.1 serving feed files, and a CLI runner."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sync_helpers import Coldsweat, session_server
from werkzeug import Request, Response

from tui_news import paths
from tui_news.cli import main
from tui_news.store import Store

FIXTURES = Path(__file__).parent / "fixtures"

WEATHER_ANSWER = [
    {"latitude": 21.0, "longitude": 105.875, "utc_offset_seconds": 25200,
     "timezone": "Asia/Ho_Chi_Minh",
     "current_units": {"time": "iso8601", "temperature_2m": "°C"},
     "current": {"time": "2026-11-28T08:15", "interval": 900, "temperature_2m": 21.4,
                 "relative_humidity_2m": 80, "apparent_temperature": 22.0, "is_day": 1,
                 "weather_code": 3, "wind_speed_10m": 5.0}},
    {"latitude": 16.0, "longitude": 108.25, "utc_offset_seconds": 25200,
     "timezone": "Asia/Ho_Chi_Minh",
     "current_units": {"time": "iso8601", "temperature_2m": "°C"},
     "current": {"time": "2026-11-28T08:15", "interval": 900, "temperature_2m": 25.2,
                 "relative_humidity_2m": 85, "apparent_temperature": 27.0, "is_day": 1,
                 "weather_code": 63, "wind_speed_10m": 9.0}},
    {"latitude": 10.875, "longitude": 106.625, "utc_offset_seconds": 25200,
     "timezone": "Asia/Ho_Chi_Minh",
     "current_units": {"time": "iso8601", "temperature_2m": "°C"},
     "current": {"time": "2026-11-28T08:15", "interval": 900, "temperature_2m": 31.0,
                 "relative_humidity_2m": 60, "apparent_temperature": 35.0, "is_day": 1,
                 "weather_code": 2, "wind_speed_10m": 7.0}},
]


@dataclass
class Site:
    """Files served with ETag/Last-Modified validators; every request is recorded."""

    server: HTTPServer
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def add(self, path: str, body: bytes, content_type: str = "application/rss+xml") -> str:
        body = body.replace(b"127.0.0.1:PORT", f"127.0.0.1:{self.server.port}".encode())
        self.files[path] = (body, content_type)
        return self.url(path)

    def add_file(self, path: str, fixture: str, content_type: str = "application/rss+xml") -> str:
        return self.add(path, (FIXTURES / fixture).read_bytes(), content_type)

    def handle(self, request: Request) -> Response:
        self.requests.append((request.path, dict(request.headers)))
        if request.path not in self.files:
            return Response("not found", status=404)
        body, content_type = self.files[request.path]
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": "Sat, 22 Aug 2026 10:00:00 GMT"}
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers=headers)
        return Response(body, status=200, headers=headers, content_type=content_type)

    def requests_for(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


@pytest.fixture
def store(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A cache file in tmp_path with the test module's `FEEDS` (if any) subscribed; a module
    whose store needs more defines its own `store`."""
    s = Store.open(tmp_path / "cache.sqlite3")
    s.sync_feeds(getattr(request.module, "FEEDS", []))
    yield s
    s.close()


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """Every test server listens on 127.0.0.1 (not "localhost", which may resolve to ::1)."""
    return ("127.0.0.1", 0)


@pytest.fixture
def site(httpserver: HTTPServer) -> Iterator[Site]:
    """A local site: add files with `site.add(...)`; /v1/forecast answers like Open-Meteo."""
    s = Site(httpserver)
    s.add("/v1/forecast", json.dumps(WEATHER_ANSWER).encode(), "application/json")
    httpserver.expect_request(re.compile(".*")).respond_with_handler(s.handle)
    yield s


@dataclass
class Run:
    status: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


@dataclass
class Cli:
    """Runs `tui-news` in this process with a config and data dir of the test's own."""

    config: Path
    data_dir: Path

    def __call__(self, *args: str) -> Run:
        # A --config that does not exist is an error: a test's config not written yet is the
        # default path (the `cli` fixture points XDG_CONFIG_HOME there), as for a new user.
        default = self.config == paths.config_file(None) and not self.config.exists()
        config = [] if default else ["--config", str(self.config)]
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                status = main([*config, "--data-dir", str(self.data_dir), *args])
            except SystemExit as exc:  # argparse usage errors
                status = int(exc.code or 0)
        return Run(status, out.getvalue(), err.getvalue())

    def write_config(self, feeds: list[tuple[str, str]], *, weather_url: str,
                     extra: str = "") -> None:
        lines = ["# test config", "[network]", "timeout = 5", "",
                 "[weather]", f'url = "{weather_url}"', ""]
        for url, category in feeds:
            lines += ["[[feeds]]", f'url = "{url}"', f'category = "{category}"', ""]
        self.config.write_text("\n".join(lines) + extra, encoding="utf-8")


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The CLI with the test's own config (at the default path, under its own
    XDG_CONFIG_HOME, until the test writes one) and data dir."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("TUI_NEWS_CONFIG", raising=False)
    config = paths.config_file(None)
    config.parent.mkdir(parents=True)
    return Cli(config=config, data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cert.pem, key.pem) that nothing trusts."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed: cannot make a self-signed certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60)
    return cert, key


# The sync tests' real Fever server: one per test process, an account per test.
@pytest.fixture(scope="session")
def coldsweat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coldsweat]:
    yield from session_server(tmp_path_factory.mktemp("coldsweat"))


@pytest.fixture
def account(coldsweat: Coldsweat) -> str:
    return coldsweat.new_account()
