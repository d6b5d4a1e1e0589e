"""Shared pieces of the SAFETY.md tests: hostile servers, feed builders and the common checks.

Every case ends with the same checks (SAFETY.md): a clear one-line message naming the feed or
file and the fault, nothing already stored lost or changed, no traceback.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tui_news.links import redact_url

# What must never be stored or printed (SAFETY.md rule 1): C0 but \n \t, DEL, C1, bidi
# overrides/isolates, lone surrogates.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def assert_clean_text(value: str) -> None:
    assert not FORBIDDEN.search(value), repr(value)
    assert unicodedata.is_normalized("NFC", value), repr(value)


# --- feeds -------------------------------------------------------------------------------------


def rss(items: str, *, title: str = "Báo thử", head: str = "", channel: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>{head}<rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            f"<title>{title}</title><link>https://bao.example.vn/</link>{channel}{items}"
            "</channel></rss>").encode("utf-8", "surrogatepass")  # lone surrogates as bytes


def item(guid: str | None = "g1", *, title: str = "Tin", link: str | None = None,
         description: str = "", date: str | None = "Sat, 28 Nov 2026 08:00:00 +0700",
         extra: str = "") -> str:
    parts = [f"<title>{title}</title>"]
    if guid is not None:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if description:
        parts.append(f"<description>{description}</description>")
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    return "<item>" + "".join(parts) + extra + "</item>"


def good_feed(prefix: str, n: int = 3, *, title: str = "Báo tốt") -> bytes:
    """A healthy feed of `n` Vietnamese items with guids `{prefix}-{i}`."""
    return rss("".join(item(f"{prefix}-{i}", title=f"Tin {prefix} số {i}: Hà Nội mưa lớn",
                            link=f"https://bao.example.vn/{prefix}-{i}.html",
                            description=f"Tóm tắt tin {i}.",
                            date=f"Sat, 28 Nov 2026 0{i % 10}:00:00 +0700")
                       for i in range(n)), title=title)


def big_feed(prefix: str, n: int, *, version: int = 0) -> bytes:
    """A feed of `n` small items (for the large-refresh and concurrency cases)."""
    items = "".join(
        f"<item><title>{prefix} bài {i} v{version}</title><guid>{prefix}-{i}</guid>"
        f"<link>https://bao.example.vn/{prefix}/{i}.html</link>"
        f"<description>Nội dung {i} phiên bản {version}</description>"
        f"<pubDate>Sat, 28 Nov 2026 {i % 24:02d}:{i % 60:02d}:00 +0700</pubDate></item>"
        for i in range(n))
    return rss(items, title=f"Báo {prefix}")


def gzip_of_zeros(size: int, *, layers: int = 1) -> bytes:
    """`size` zero bytes gzipped (`layers` times), built in 1 MiB steps."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    data = b"".join([*(comp.compress(block) for _ in range(size >> 20)), comp.flush()])
    for _ in range(layers - 1):
        comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        data = comp.compress(data) + comp.flush()
    return data


# --- a raw-socket server that misbehaves on purpose ---------------------------------------------

Handler = Callable[[socket.socket, str, dict[str, str]], None]


def read_request(conn: socket.socket) -> tuple[str, dict[str, str]]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    path = lines[0].split(" ")[1] if lines and " " in lines[0] else "/"
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return path, headers


def send_response(conn: socket.socket, body: bytes, headers: dict[str, str] | None = None,
                  status: str = "200 OK", *, length: bool = True) -> None:
    lines = [f"HTTP/1.1 {status}", "Connection: close"]
    headers = dict(headers or {})
    if length and not any(k.lower() == "content-length" for k in headers):
        headers["Content-Length"] = str(len(body))
    lines += [f"{k}: {v}" for k, v in headers.items()]
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


@dataclass
class HostileServer:
    """A server on 127.0.0.1: `handler` answers each connection in its own thread.

    Every request is recorded as (path, headers). Swap `handler` between refreshes: the first
    refresh usually gets a good feed, the next one the fault under test.
    """

    handler: Handler
    port: int = 0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    connections: int = 0

    def url(self, path: str = "/rss.xml", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def serve(self, body: bytes, headers: dict[str, str] | None = None,
              status: str = "200 OK") -> None:
        """From now on answer every request with this response."""
        def handler(conn: socket.socket, path: str, _h: dict[str, str]) -> None:
            send_response(conn, body, {"Content-Type": "application/rss+xml", **(headers or {})},
                          status)
        self.handler = handler


@contextmanager
def hostile_server(handler: Handler | None = None, *,
                   tls: ssl.SSLContext | None = None) -> Iterator[HostileServer]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    sock.settimeout(0.2)
    stop = threading.Event()
    server = HostileServer(handler or (lambda conn, path, headers: None),
                           port=sock.getsockname()[1])

    def serve_one(conn: socket.socket) -> None:
        try:
            if tls is not None:
                try:
                    conn = tls.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    return
            path, headers = read_request(conn)
            server.requests.append((path, headers))
            server.handler(conn, path, headers)
        except OSError:
            pass
        finally:
            conn.close()

    def accept_loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            server.connections += 1
            conn.settimeout(30)
            threading.Thread(target=serve_one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept_loop, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join(2)
        sock.close()


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# --- the common checks ---------------------------------------------------------------------------


def error_lines(err: str) -> list[str]:
    """The message lines a command wrote to stderr."""
    return [line for line in err.splitlines() if line.strip()]


def assert_no_traceback(err: str) -> None:
    assert "Traceback" not in err, err


def assert_feed_message(err: str, url: str, fault: str) -> str:
    """Exactly one stderr line names the feed (credentials redacted) and matches `fault`."""
    assert_no_traceback(err)
    shown = redact_url(url)
    lines = [line for line in error_lines(err) if shown in line]
    assert len(lines) == 1, f"expected one line naming {shown}, got: {err!r}"
    line = lines[0]
    assert line.startswith("tui-news: "), line
    assert re.search(fault, line), f"{fault!r} not in {line!r}"
    assert not FORBIDDEN.search(line) and len(line) < 400, repr(line)
    return line


def snapshot(db: Path) -> dict[str, tuple[object, ...]]:
    """Every stored article (by key) with its text, link, date and read/starred state."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT key, title, link, summary, author, published, read, starred "
                            "FROM articles").fetchall()
    finally:
        conn.close()
    return {r[0]: tuple(r[1:]) for r in rows}


def assert_kept(before: dict[str, tuple[object, ...]], after: dict[str, tuple[object, ...]]
                ) -> None:
    """Nothing stored before is lost or changed."""
    missing = set(before) - set(after)
    assert not missing, f"lost articles: {sorted(missing)[:5]}"
    changed = {k for k in before if before[k] != after[k]}
    assert not changed, f"changed: {[(before[k], after[k]) for k in sorted(changed)[:3]]}"


def mark_some(db: Path, keys: list[str] | None = None) -> None:
    """Mark articles read and starred (every other one), as a reader would."""
    conn = sqlite3.connect(db, isolation_level=None, timeout=10)
    try:
        rows = conn.execute("SELECT id, key FROM articles ORDER BY id").fetchall()
        for n, (article_id, key) in enumerate(rows):
            if keys is not None and key not in keys:
                continue
            conn.execute("UPDATE articles SET read = 1, starred = ? WHERE id = ?",
                         (n % 2, article_id))
    finally:
        conn.close()


def all_text_columns(db: Path) -> Iterator[tuple[str, str, str]]:
    """(table, column, value) for every text value stored in the cache's own tables."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'search%'")]
        for table in tables:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for col, value in zip(cols, row, strict=True):
                    if isinstance(value, str):
                        yield table, col, value
    finally:
        conn.close()


def wait_for(predicate: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('holder', 'x')")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


@contextlib.contextmanager
def lock_held(db: Path) -> Iterator[Callable[[], None]]:
    """Another real process holds the cache's write lock until the yielded `release()`."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None

    def release() -> None:
        if proc.poll() is None:
            with contextlib.suppress(OSError):
                proc.stdin.write("\n")  # type: ignore[union-attr]
                proc.stdin.flush()  # type: ignore[union-attr]
            proc.wait(timeout=30)

    try:
        assert proc.stdout.readline().strip() == "locked"
        yield release
    finally:
        release()


def mount_tmpfs(target: Path, options: str) -> bool:
    """A real tmpfs at `target` (False when not root or mount(8) is refused)."""
    if os.geteuid() != 0:
        return False
    target.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                            capture_output=True, timeout=20)
    return result.returncode == 0


def bind_read_only(path: Path) -> bool:
    """Make the file `path` read-only even for root: a read-only bind mount over it (False
    when not root or mount(8) is refused). `umount(path)` undoes it."""
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True,
                          timeout=20)
    if done.returncode != 0:
        return False
    ro = subprocess.run(["mount", "-o", "remount,ro,bind", str(path)], capture_output=True,
                        timeout=20)
    if ro.returncode != 0:
        umount(path)
        return False
    return True


def umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True, timeout=20)


def fill_disk(directory: Path) -> Path:
    """Fill the file system holding `directory` to the last byte; the filler file's path."""
    filler = directory / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for size in (1 << 20, 65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    return filler
