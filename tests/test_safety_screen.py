"""SAFETY.md "Screen": the real reader in a real pseudo-terminal, fed hostile data.

The reader (`python -m tui_news --offline`) runs in a pty; we read every byte it writes while
sending keys, mouse clicks and resizes. Each payload carries a unique marker, so the test can tell
the payload's own escape sequences from Textual's (which legitimately writes CSI sequences).
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import json
import os
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, Cli, Site
from safety_helpers import item, rss

SRC = Path(__file__).resolve().parents[1] / "src"
UI = SRC / "tui_news" / "ui"

# Escape payloads, each with a marker that only the payload carries.
OSC52 = "\x1b]52;c;UEFZTE9BRA==\x07"
OSC8 = "\x1b]8;;https://evil.example/osc8\x1b\\OSC8TEXT\x1b]8;;\x1b\\"
OSC0 = "\x1b]0;PWNEDTITLE\x07"
CSI = "\x1b[2JCSIMARK\x1b[6n\x1b[8;5;5t"
C1 = "\u009b2JC1MARK\u009d0;C1TITLE\u009c"
PAYLOAD = f"Tin{OSC52}{OSC8}{OSC0}{CSI}{C1}\u202eBIDI\u202c"
# Byte sequences that must never reach the terminal: the payloads' escapes with their markers.
FORBIDDEN_OUTPUT = [b"\x1b]52;c;UEFZTE9BRA", b"\x1b]8;;https://evil.example", b"\x1b]0;PWNED",
                    b"\x1b[2JCSIMARK", b"\x1b[6n", b"\x1b[8;5;5t", b"\xc2\x9b", b"\xc2\x9d",
                    b"\xc2\x9c", b"\x9b2JC1MARK", "\u202e".encode()]
MARKUP_TITLES = ["[@click=app.quit]x[/]", "[/", "[TODO] Việc cần làm trước Tết",
                 "[b]Đậm[/b] [link=https://evil.example]liên kết[/link]"]
HOSTILE_CATEGORY = "[@click=app.quit]Tin[/]"

_SGR_OR_MOVE = re.compile(rb"\x1b\[[0-9;?<>=]*[A-Za-z]")


# --- the pty harness ------------------------------------------------------------------------------


class Terminal:
    """A child process on a pseudo-terminal; everything it writes is kept in `output`."""

    def __init__(self, args: list[str], *, rows: int = 40, cols: int = 140,
                 env: dict[str, str] | None = None) -> None:
        self.master, slave = os.openpty()
        self._size(slave, rows, cols)
        full_env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(SRC),
                    "COLUMNS": "", "LINES": ""}
        full_env.pop("COLUMNS")
        full_env.pop("LINES")
        full_env.update(env or {})
        self.proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=full_env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.output = b""
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @staticmethod
    def _size(fd: int, rows: int, cols: int) -> None:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.1)
            except (OSError, ValueError):
                return
            if not ready:
                if self.proc.poll() is not None:
                    return
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.output += data

    def text(self) -> bytes:
        with self._lock:
            return self.output

    def plain(self) -> str:
        """The output with CSI sequences removed (what a reader would see, roughly)."""
        return _SGR_OR_MOVE.sub(b"", self.text()).decode("utf-8", "replace")

    def send(self, data: bytes | str, pause: float = 0.15) -> None:
        os.write(self.master, data.encode() if isinstance(data, str) else data)
        time.sleep(pause)

    def click(self, x: int, y: int) -> None:
        """A left click at column x, row y (1-based), in SGR mouse encoding."""
        self.send(f"\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m", 0.1)

    def resize(self, rows: int, cols: int) -> None:
        self._size(self.master, rows, cols)
        os.kill(self.proc.pid, signal.SIGWINCH)

    def wait_for(self, needle: str, timeout: float = 20) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.plain():
                return True
            if self.proc.poll() is not None:
                return needle in self.plain()
            time.sleep(0.1)
        return False

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def quit(self, timeout: float = 15) -> int:
        self.send("q", 0)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self._reader.join(2)
        with contextlib.suppress(OSError):
            os.close(self.master)


@contextlib.contextmanager
def reader(cli: Cli, **kwargs: object) -> Iterator[Terminal]:
    term = Terminal([sys.executable, "-m", "tui_news", "--offline", "--config", str(cli.config),
                     "--data-dir", str(cli.data_dir)], **kwargs)  # type: ignore[arg-type]
    try:
        yield term
    finally:
        term.close()


def assert_no_payload_escapes(output: bytes) -> None:
    for needle in FORBIDDEN_OUTPUT:
        assert needle not in output, f"{needle!r} reached the terminal"
    assert b"Traceback" not in output


# --- a cache full of payloads, made by the real refresh -----------------------------------------


def _article_page() -> bytes:
    page = (FIXTURES / "seed" / "sontay-article.html").read_text(encoding="utf-8")
    page = page.replace("Trong những năm gần đây", f"{PAYLOAD} Trong những năm gần đây")
    page = page.replace("<h1 class=\"news-title\">", f"<h1 class=\"news-title\">{PAYLOAD}")
    return page.encode()


@pytest.fixture
def hostile_cache(site: Site, cli: Cli) -> Cli:
    """Payloads in every field (title, summary, feed title, category, author, full text),
    stored through `tui-news refresh --full`."""
    page = site.add("/bai-viet.html", _article_page(), "text/html; charset=utf-8")
    cdata = f"<![CDATA[{PAYLOAD}]]>"
    items = item("payload", title=cdata, link=page, description=cdata,
                 extra=f"<author>{cdata}</author>")
    items += "".join(item(f"m{n}", title=f"<![CDATA[{t}]]>", link=site.url(f"/m{n}.html"),
                          description=f"<![CDATA[{t}]]>") for n, t in enumerate(MARKUP_TITLES))
    feed = site.add("/rss.xml", rss(items, title=cdata))
    category = json.dumps(f"Thời sự {OSC52}{CSI}")  # TOML basic strings take JSON escapes
    cli.config.write_text(
        f'[weather]\nurl = "{site.url("/v1/forecast")}"\n'
        f'[[feeds]]\nurl = "{feed}"\ncategory = {category}\n'
        f'[[feeds]]\nurl = "{site.url("/rss2.xml")}"\ncategory = {json.dumps(HOSTILE_CATEGORY)}\n',
        encoding="utf-8")
    site.add("/rss2.xml", rss(item("m-other", title="<![CDATA[[/]]>",
                                   link=site.url("/x.html"))))
    run = cli("refresh", "--full")
    assert run.status == 0, run.err
    items_json = cli("articles", "--json").json()
    assert len(items_json) == 6  # type: ignore[arg-type]
    shown = cli("show", str(next(a["id"] for a in items_json  # type: ignore[union-attr]
                                 if "CSIMARK" in a["title"])))
    assert "CSIMARK" in shown.out and "Trong những năm gần đây" in shown.out  # full text stored
    return cli


def _click_everywhere(term: Terminal, rows: int, cols: int) -> None:
    for y in range(2, rows, 1):
        for x in (3, cols // 3, cols // 2, 2 * cols // 3):
            term.click(x, y)
            assert term.alive, f"a click at {x},{y} ended the reader"


def test_escape_and_markup_payloads_in_a_real_terminal(hostile_cache: Cli) -> None:
    with reader(hostile_cache) as term:
        assert term.wait_for("CSIMARK"), term.plain()[-2000:]
        for key in ("j", "\r", "\t", "j", "\r", "\t", "\t", "f", "k", "\r", "1", "\r"):
            term.send(key, 0.3)
            assert term.alive
        _click_everywhere(term, 40, 140)
        term.send("\x1b", 0.3)
        # The command palette's fuzzy highlighter and the search box get markup too.
        for key in ("\x10", "T", "i", "n", "[", "/", "\x1b", "/", "[", "/", "\r", "\x1b",
                    "?", "\x1b"):
            term.send(key, 0.3)
            assert term.alive
        plain = term.plain()
        assert term.alive
        status = term.quit()
    output = term.text()
    assert status == 0, plain[-2000:]
    assert_no_payload_escapes(output)
    # The payloads' text is shown, inert: markers present, escapes gone.
    for marker in ("CSIMARK", "OSC8TEXT", "C1MARK"):
        assert marker in plain
    for title in ("[TODO] Việc cần làm", "[@click=app.quit]x[/]", "[b]Đậm[/b]"):
        assert title in plain, title
    assert HOSTILE_CATEGORY in plain


# --- a cache written by something else (no cleaning at ingest): the screen still defends ----------


@pytest.fixture
def raw_cache(hostile_cache: Cli) -> Cli:
    """The same cache with the payloads written back raw, as an older or foreign writer might."""
    db = hostile_cache.data_dir / "cache.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("UPDATE articles SET title = ? || title, summary = ? || summary, "
                     "author = ?", (PAYLOAD, PAYLOAD, PAYLOAD))
        conn.execute("UPDATE feeds SET feed_title = ?", (PAYLOAD,))
        for article_id, raw in conn.execute("SELECT article_id, json FROM full_texts").fetchall():
            data = json.loads(raw)
            data["title"] = PAYLOAD
            data["blocks"] = [[kind, PAYLOAD + text] for kind, text in data["blocks"]]
            data["links"] = ["javascript:alert(1)", "file:///etc/passwd", "~/.ssh/id_rsa",
                             *data["links"]]
            conn.execute("UPDATE full_texts SET json = ? WHERE article_id = ?",
                         (json.dumps(data, ensure_ascii=False), article_id))
    finally:
        conn.close()
    return hostile_cache


def test_raw_payloads_in_the_cache_never_reach_the_terminal(raw_cache: Cli) -> None:
    with reader(raw_cache) as term:
        assert term.wait_for("CSIMARK"), term.plain()[-2000:]
        for key in ("\r", "\t", "j", "\r", "j", "\r", "f", "o", "1", "j", "\r"):
            term.send(key, 0.3)
            assert term.alive
        _click_everywhere(term, 40, 140)
        status = term.quit()
    assert status == 0
    assert_no_payload_escapes(term.text())


# --- terminals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("env", "rows", "cols"), [
    ({"TERM": "dumb"}, 40, 140),
    ({"LANG": "C", "LC_ALL": "C", "LC_CTYPE": "C", "PYTHONIOENCODING": ""}, 40, 140),
    ({}, 10, 20),
], ids=["term-dumb", "lang-c", "20x10"])
def test_odd_terminals(hostile_cache: Cli, env: dict[str, str], rows: int, cols: int) -> None:
    with reader(hostile_cache, env=env, rows=rows, cols=cols) as term:
        time.sleep(2.5)
        assert term.alive, term.plain()[-2000:]
        for key in ("j", "\r", "\t", "j", "\r", "\t", "?", "\x1b", "k"):
            term.send(key, 0.25)
            assert term.alive, term.plain()[-2000:]
        status = term.quit()
    assert status == 0, term.plain()[-2000:]
    assert_no_payload_escapes(term.text())


def test_fast_resizes(hostile_cache: Cli) -> None:
    with reader(hostile_cache) as term:
        assert term.wait_for("CSIMARK")
        sizes = [(10, 20), (50, 200), (5, 10), (40, 99), (24, 80), (1, 1), (60, 101), (40, 140)]
        for _ in range(5):
            for rows, cols in sizes:
                term.resize(rows, cols)
                time.sleep(0.01)
            term.send("j", 0.02)
        time.sleep(1)
        assert term.alive, term.plain()[-2000:]
        term.send("\r", 0.3)
        status = term.quit()
    assert status == 0
    assert_no_payload_escapes(term.text())


def test_no_network_at_all_starts_from_the_cache_and_says_offline(hostile_cache: Cli) -> None:
    """Not --offline: every host unreachable. The reader opens from the cache, says offline."""
    text = hostile_cache.config.read_text(encoding="utf-8")
    dead = "http://127.0.0.1:9"
    text = re.sub(r'url = "http://127\.0\.0\.1:\d+', f'url = "{dead}', text)
    hostile_cache.config.write_text(text, encoding="utf-8")
    term = Terminal([sys.executable, "-m", "tui_news", "--config", str(hostile_cache.config),
                     "--data-dir", str(hostile_cache.data_dir)])
    try:
        assert term.wait_for("CSIMARK")
        assert term.wait_for("Ngoại tuyến", 30), term.plain()[-3000:]
        term.send("j", 0.3)
        term.send("\r", 0.3)
        assert term.alive
        status = term.quit()
    finally:
        term.close()
    assert status == 0


# --- links and Markdown -------------------------------------------------------------------------


def test_the_reader_has_no_markdown_widget() -> None:
    """Textual's Markdown opens links with no scheme check and MarkdownViewer loads local files:
    the reader renders article text as plain Content and never uses either."""
    used = []
    for path in UI.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and "markdown" in node.module:
                used.append(f"{path.name}: {node.module}")
            if isinstance(node, ast.Name | ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else node.attr
                if name in ("Markdown", "MarkdownViewer"):
                    used.append(f"{path.name}: {name}")
    assert used == []


@pytest.mark.parametrize("link", ["javascript:alert(1)", "file:///etc/passwd", "~/.ssh/id_rsa",
                                  "/etc/hostname", "-oProxyCommand=x", "data:text/html,x"])
async def test_open_link_refuses_non_web_links(tmp_path: Path, link: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`o` on an article whose stored link is not http(s): nothing is opened or loaded."""
    import webbrowser

    from ui_fixtures import make_app

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url))
    app = make_app(tmp_path)
    db = tmp_path / "cache.sqlite"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("UPDATE articles SET link = ?", (link,))
    conn.close()
    monkeypatch.setattr(app, "open_url", lambda url, **k: opened.append(url))
    async with app.run_test(size=(140, 40)) as pilot:
        for key in ("enter", "o", "tab", "o", "y", "f", "o"):
            await pilot.press(key)
            await pilot.pause()
            assert app.is_running
    assert opened == []


# --- bidi, zero-width and 50,000 combining marks -----------------------------------------------

COMBINING = "Z" + "\u0301\u0302\u0303\u0304\u0306" * 10_000  # 50,000 marks on one letter
BIDI = "\u202eDAOR\u202c \u2067ISOLATE\u2069 \u200fRLM\u200e \u061cALM"
ZERO_WIDTH = "Z\u200bE\u200cR\u200dO\u2060W\ufeffIDTH"


@pytest.mark.parametrize("raw", [False, True], ids=["via-refresh", "raw-in-cache"])
def test_bidi_zero_width_and_combining_marks(site: Site, cli: Cli, raw: bool) -> None:
    items = (item("comb", title=f"COMBMARK {COMBINING}", description=COMBINING,
                  link=site.url("/c.html"))
             + item("bidi", title=f"BIDIMARK {BIDI}", description=BIDI, link=site.url("/b.html"))
             + item("zw", title=f"ZWMARK {ZERO_WIDTH}", description=ZERO_WIDTH,
                    link=site.url("/z.html")))
    cli.write_config([(site.add("/rss.xml", rss(items)), "Thời sự")],
                     weather_url=site.url("/v1/forecast"))
    assert cli("refresh").status == 0
    if raw:  # not truncated, not cleaned: all 50,000 marks reach the screen code
        conn = sqlite3.connect(cli.data_dir / "cache.sqlite3", isolation_level=None)
        conn.execute("UPDATE articles SET title = 'COMBMARK ' || ?, summary = ? "
                     "WHERE key = 'comb'", (COMBINING, COMBINING * 2))
        conn.execute("UPDATE articles SET title = 'BIDIMARK ' || ? WHERE key = 'bidi'", (BIDI,))
        conn.close()
    with reader(cli) as term:
        assert term.wait_for("COMBMARK", 30), term.plain()[-2000:]
        for key in ("\r", "j", "\r", "j", "\r", "k", "k", "\r", "\t", " ", " "):
            term.send(key, 0.3)
            assert term.alive
        started = time.monotonic()
        status = term.quit(timeout=20)
        assert time.monotonic() - started < 10  # still responsive
    assert status == 0
    output = term.text()
    assert_no_payload_escapes(output)
    for ch in ("\u202e", "\u2067", "\u2069"):
        assert ch.encode() not in output  # bidi overrides and isolates never reach the terminal
    assert "ZWMARK" in term.plain() and "BIDIMARK" in term.plain()


def test_two_readers_on_one_cache(hostile_cache: Cli) -> None:
    """A second instance of the reader: both open the cache, read, mark and quit cleanly."""
    with reader(hostile_cache) as first, reader(hostile_cache) as second:
        assert first.wait_for("CSIMARK") and second.wait_for("CSIMARK")
        for key in ("j", "\r", "m", "s", "j", "\r"):
            first.send(key, 0.1)
            second.send(key, 0.1)
        assert first.alive and second.alive
        assert first.quit() == 0 and second.quit() == 0
    assert b"locked" not in first.text() + second.text()
    db = hostile_cache.data_dir / "cache.sqlite3"
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
