"""The loopback feed server: a stdlib ThreadingHTTPServer per loopback address, run in its own
process (so it never competes for the benchmarked process's GIL).

Run: python bench/server.py CORPUS_DIR HOST... (prints one JSON line {"port": N} when listening).
Serves the corpus with ETag/Last-Modified and answers 304 to a matching conditional request;
/v1/forecast answers the Open-Meteo JSON; /_stats gives and /_reset clears the status counters.
BENCH_DELAY_MS=N holds every feed answer (200 or 304) N ms before it is sent, as a real link
with its round trips and a busy server would (the "slow network" shape).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

LAST_MODIFIED_TS = time.time() - 3600
PORT_MARKER = "__PORT__"  # written into the corpus where the server's port goes


def _etags(files: dict[str, bytes]) -> dict[str, str]:
    import hashlib

    return {path: '"' + hashlib.sha1(body).hexdigest()[:20] + '"' for path, body in files.items()}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default 5 drops SYNs under 16 parallel connections


def make_handler(files: dict[str, bytes], weather: bytes, stats: Counter,
                 lock: threading.Lock, delay_s: float = 0.0) -> type[BaseHTTPRequestHandler]:
    last_modified = formatdate(LAST_MODIFIED_TS, usegmt=True)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive
        etags: dict[str, str] = {}

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def handle(self) -> None:  # one TCP connection (keep-alive: many requests)
            with lock:
                stats["connections"] += 1
            super().handle()

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD" and body:
                self.wfile.write(body)
            with lock:
                stats[str(status)] += 1

        def do_HEAD(self) -> None:  # noqa: N802
            self.do_GET()

        def do_GET(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            if path == "/_stats":
                with lock:
                    body = json.dumps(dict(stats)).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if path == "/_reset":
                with lock:
                    stats.clear()
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if path == "/v1/forecast":
                self._send(200, weather, {"Content-Type": "application/json; charset=utf-8"})
                return
            if os.environ.get("BENCH_SERVER_LOG"):
                print(self.command, path, dict(self.headers), file=sys.stderr, flush=True)
            body = files.get(path)
            if delay_s:
                time.sleep(delay_s)  # this connection's thread only: others go on
            if body is None:
                self._send(404, b"not found", {"Content-Type": "text/plain"})
                return
            etag = Handler.etags[path]
            validators = {"ETag": etag, "Last-Modified": last_modified}
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            fresh = False
            if inm is not None:
                fresh = etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
            elif ims is not None:
                try:
                    fresh = parsedate_to_datetime(ims).timestamp() >= int(LAST_MODIFIED_TS)
                except (TypeError, ValueError):
                    fresh = False
            if fresh:
                self._send(304, b"", validators)
                return
            self._send(200, body, {"Content-Type": "application/rss+xml; charset=utf-8",
                                   **validators})

    return Handler


def serve(corpus: Path, hosts: list[str]) -> None:
    manifest = json.loads((corpus / "manifest.json").read_text())
    files: dict[str, bytes] = {}
    weather = (corpus / "weather.json").read_bytes()
    stats: Counter = Counter()
    lock = threading.Lock()
    delay_s = float(os.environ.get("BENCH_DELAY_MS") or 0) / 1000
    handler = make_handler(files, weather, stats, lock, delay_s)
    first = _Server((hosts[0], 0), handler)
    port = first.server_address[1]
    marker, real = PORT_MARKER.encode(), str(port).encode()
    for item in manifest:  # the corpus was written before the port was known
        files[item["path"]] = (corpus / item["file"]).read_bytes().replace(marker, real)
    handler.etags.update(_etags(files))  # type: ignore[attr-defined]
    servers = [first] + [_Server((h, port), handler) for h in hosts[1:]]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    print(json.dumps({"port": port}), flush=True)
    sys.stdin.read()  # until the parent closes our stdin (or dies)
    for s in servers:
        s.shutdown()


class ServerProcess:
    """The server in a child process; `bases[i]` is the origin of loopback address i."""

    def __init__(self, corpus: Path, hosts: list[str], delay_ms: int = 0) -> None:
        self.hosts = hosts
        self.delay_ms = delay_ms
        self.proc = subprocess.Popen([sys.executable, __file__, str(corpus), *hosts],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1",
                                          "BENCH_DELAY_MS": str(delay_ms)})
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the bench server did not start")
        self.port = int(json.loads(line)["port"])
        self.bases = [f"http://{h}:{self.port}" for h in hosts]

    def _get(self, path: str) -> bytes:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"{self.bases[0]}{path}", timeout=10) as r:
            return bytes(r.read())

    def reset(self) -> None:
        self._get("/_reset")

    def stats(self) -> dict[str, int]:
        return {k: int(v) for k, v in json.loads(self._get("/_stats")).items()}

    def stop(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _listening_hosts(n: int) -> list[str]:
    """127.0.0.1 … 127.0.0.n: all loopback on Linux; one per outlet, as real feeds spread."""
    return [f"127.0.0.{i + 1}" for i in range(n)]


if __name__ == "__main__":
    serve(Path(sys.argv[1]), sys.argv[2:])
