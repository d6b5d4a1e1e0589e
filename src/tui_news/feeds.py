"""Feed bytes → ParsedFeed with feedparser, in worker processes; HTML leads → plain text.

`parse_feed` is pure and picklable so it can run in a `FeedParserPool` worker. Every failure
(not a feed, a feedparser crash, a charset it cannot read) becomes a `FeedError` with a one-line
message (SAFETY.md rule 5); every string in the result is clean (rule 1).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import os
import re
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tui_news.charsets import as_utf8
from tui_news.dates import parse_date
from tui_news.links import former_link_key, normalize_link
from tui_news.models import ParsedEntry, ParsedFeed
from tui_news.rss_fast import looks_like_html, read_plain_rss
from tui_news.text import clean, strip_outlet_prefix, truncate, unescape_clean

if TYPE_CHECKING:
    import concurrent.futures
    import multiprocessing.context

# lxml (html_text), multiprocessing and the process pool are imported where they are used: a
# refresh whose feeds all answer 304 never needs them (~10 ms of its start-up).

__all__ = ["MAX_ITEMS", "FeedError", "FeedParserPool", "parse_feed"]

WORKER_NICE = 10  # added to the parent's niceness in every parser worker (see _worker_init)
MAX_ITEMS = 1000  # entries kept per feed (the newest); a real outlet feed carries 20-100
_MAX_RAW_ITEMS = 5000  # items handed to feedparser at all (bounds its time and memory)
TITLE_LIMIT = 1000
SUMMARY_LIMIT = 4000
AUTHOR_LIMIT = 200
FEED_TITLE_LIMIT = 300
_KEY_LIMIT = 2048
_LINK_LIMIT = 8192  # longer "links" are junk; a browser would refuse them too
_AUTHOR_BYTES = 500  # feedparser's author e-mail regex is quadratic in the author's length


class FeedError(Exception):
    """The body is not a usable feed; `str(e)` is one clean line naming the fault."""


# --- defusing the raw bytes before feedparser sees them -----------------------------------------

# Start tags of every element feedparser runs its author/e-mail regex over.
_AUTHOR_TAG = re.compile(
    rb"<(?:[\w.-]{1,40}:)?(?:author|creator|managingeditor|webmaster|contributor|publisher"
    rb"|name|email|owner)(?:\s[^<>]{0,1000})?>",
    re.IGNORECASE,
)
_ITEM_END = re.compile(rb"</(?:[\w.-]{1,40}:)?(?:item|entry)\s*>", re.IGNORECASE)


def _utf8_cut(data: bytes, size: int) -> bytes:
    """The first `size` bytes, backed off so a UTF-8 sequence is never split."""
    cut = min(size, len(data))
    while cut > 0 and cut < len(data) and 0x80 <= data[cut] <= 0xBF:
        cut -= 1
    return data[:cut]


def _defuse_authors(body: bytes) -> bytes:
    """Truncate author-like element contents longer than `_AUTHOR_BYTES` bytes."""
    out: list[bytes] = []
    pos = 0
    for m in _AUTHOR_TAG.finditer(body):
        start = m.end()
        if start < pos:
            continue
        if body.startswith(b"<![CDATA[", start):
            start += 9
            end = body.find(b"]]>", start)
        else:
            end = body.find(b"<", start)
        if end < 0:
            end = len(body)
        if end - start > _AUTHOR_BYTES:
            out.append(body[pos:start])
            out.append(_utf8_cut(body[start:end], _AUTHOR_BYTES))
            pos = end
    if not out:
        return body
    out.append(body[pos:])
    return b"".join(out)


def _cap_items(body: bytes) -> bytes:
    """Cut a body with more than `_MAX_RAW_ITEMS` items after the last one we keep."""
    for count, m in enumerate(_ITEM_END.finditer(body), 1):
        if count == _MAX_RAW_ITEMS:
            head = body[:4096].lower()
            if b"<rdf:rdf" in head:
                closing = b"</rdf:RDF>"
            elif b"<feed" in head:
                closing = b"</feed>"
            else:
                closing = b"</channel></rss>"
            return body[: m.end()] + closing
    return body


# --- parsing ------------------------------------------------------------------------------------


def _text_field(value: Any) -> str:
    return value if isinstance(value, str) else ""


_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
_PLAIN_TYPES = frozenset({"text/plain", "text"})


def _is_html(detail: Any, value: str, default: bool) -> bool:
    """Whether a field's text is HTML, by the type the feed gave it (Atom's `type`, RSS guessed as
    feedparser guesses); `default` when the parser says nothing. A type that is neither text nor
    HTML (base64 octets feedparser decoded, `text/xml`) is HTML when it looks like HTML, by that
    same guess: shown as written, `Example <b>Atom</b>` would keep its tags."""
    kind = detail.get("type") if isinstance(detail, dict) else None
    if not isinstance(kind, str):
        return default
    kind = kind.lower()
    if kind in _HTML_TYPES:
        return True
    return kind not in _PLAIN_TYPES and looks_like_html(value)


def _one_line(value: str, detail: Any, limit: int) -> str:
    """A title as plain text: HTML read as HTML (tags, scripts and entities gone), plain text
    kept as written (`<angle>` brackets and `&amp;` too)."""
    value = value[: limit * 4]
    if not _is_html(detail, value, default=False):
        return clean(value, limit=limit)
    from tui_news.html_text import html_to_text

    return clean(html_to_text(value, limit=limit * 2), limit=limit)


def _summary(entry: Any) -> tuple[str, bool]:
    """The entry's lead and whether it is HTML (an RSS description always is)."""
    summary = _text_field(entry.get("summary"))
    if summary:
        return summary, _is_html(entry.get("summary_detail"), summary, default=True)
    for content in entry.get("content") or ():
        value = _text_field(content.get("value"))
        if value:
            return value, _is_html(content, value, default=True)
    return "", True


def _enclosure(entry: Any) -> str:
    for enclosure in entry.get("enclosures") or ():
        href = enclosure.get("href") if isinstance(enclosure, dict) else None
        if isinstance(href, str) and href.strip():
            return href.strip()
    return ""


def _content_key(entry: Any, url: str, raw_date: str, lead: str) -> str | None:
    """The key of an item with neither guid nor web link: a hash of what it carries (enclosure,
    title, date, lead, as the feed wrote them), so each refresh finds the same article again.
    None for an item that carries nothing at all."""
    enclosure = _enclosure(entry)
    parts = (
        normalize_link(enclosure, url) or enclosure if enclosure else "",
        _text_field(entry.get("title")).strip(),
        raw_date.strip(),
        lead.strip(),
    )
    if not any(parts):
        return None
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"item:{digest[:40]}"


def _raw_date(entry: Any) -> str:
    """The raw date text: feedparser's own parsing misreads "+07", "GMT+7" and zoneless times.
    dict.get: FeedParserDict maps a missing `updated` to `published` with a warning."""
    for name in ("published", "updated", "created"):
        value = dict.get(entry, name)
        if value and isinstance(value, str):
            return value
    return ""


def _entry(entry: Any, url: str, now: datetime | None,
           html_to_text: Callable[..., str]) -> ParsedEntry | None:
    raw_link = _text_field(entry.get("link"))
    link = normalize_link(raw_link, url) if len(raw_link) <= _LINK_LIMIT else None
    guid = clean(_text_field(entry.get("id")), limit=_KEY_LIMIT)
    raw_date = _raw_date(entry)
    lead_value, lead_is_html = _summary(entry)
    key = guid or link
    former = None
    if not guid and link:
        former = former_link_key(raw_link, url)  # the key it was stored under before #14
        former = former if former != link else None
    if not key:
        key = _content_key(entry, url, raw_date, lead_value)
        if key is None:
            return None
    title = _one_line(_text_field(entry.get("title")), entry.get("title_detail"), TITLE_LIMIT)
    if lead_is_html:
        lead = html_to_text(lead_value, limit=SUMMARY_LIMIT * 2)
    else:
        lead = clean(lead_value[: SUMMARY_LIMIT * 4], multiline=True, limit=SUMMARY_LIMIT * 2)
    # The lead is clean already: what the prefix leaves needs only its spaces trimmed.
    summary = truncate(strip_outlet_prefix(lead).strip(), SUMMARY_LIMIT)
    published = parse_date(raw_date[:200], now=now) if raw_date else None
    author = (
        unescape_clean(_text_field(entry.get("author"))[: AUTHOR_LIMIT * 4], limit=AUTHOR_LIMIT)
        or None
    )
    return ParsedEntry(
        key=key,
        title=title,
        link=link,
        summary=summary,
        published=published,
        author=author,
        former_key=former,
    )


def _newest(entries: list[ParsedEntry], limit: int) -> list[ParsedEntry]:
    """At most `limit` entries: the newest by date (undated ones count as oldest), feed order."""
    if len(entries) <= limit:
        return entries

    def rank(i: int) -> tuple[bool, float, int]:
        published = entries[i].published
        return (published is not None, published.timestamp() if published else 0.0, -i)

    ranked = sorted(range(len(entries)), key=rank, reverse=True)
    keep = sorted(ranked[:limit])
    return [entries[i] for i in keep]


def parse_feed(
    body: bytes, url: str, *, now: datetime | None = None, content_type: str | None = None
) -> ParsedFeed:
    """Parse feed bytes into clean entries, or raise FeedError.

    Pure and picklable (it runs in worker processes). At most `MAX_ITEMS` entries are kept (the
    newest), and feedparser only ever sees the first 5,000 items of a body. Entries are keyed by
    guid, else canonical link, else a hash of what they carry; the first of duplicate keys wins.
    `content_type` is the HTTP header: its charset is weighed against the XML declaration.
    """
    try:
        return _parse(body, url, now=now, content_type=content_type)
    except FeedError:
        raise
    except RecursionError:
        raise FeedError("unreadable feed (nested too deeply)") from None
    except MemoryError:
        raise FeedError("unreadable feed (too large)") from None
    except Exception as exc:  # feedparser raises on some entities (&#xD800;): the feed's error
        raise FeedError(f"unreadable feed ({type(exc).__name__})") from None


def _parse(body: bytes, url: str, *, now: datetime | None, content_type: str | None) -> ParsedFeed:
    if not isinstance(body, bytes | bytearray | memoryview):
        raise FeedError("not a feed (no bytes)")
    data = bytes(body)
    if not data or data.isspace():  # as `not data.strip()`, without copying the body
        raise FeedError("not a feed (empty body)")
    # The charset is settled here (HTTP header, XML declaration, UTF-8): both parsers get UTF-8.
    data = _cap_items(_defuse_authors(as_utf8(data, content_type)))
    simple = read_plain_rss(data)
    if simple is not None:
        raw_entries, feed = simple
    else:
        import feedparser  # imported here: heavy, and only the workers need it

        # Always a stream: given str *or bytes* feedparser may fetch a URL or open a local file.
        parsed = feedparser.parse(
            io.BytesIO(data), response_headers={}, sanitize_html=False, resolve_relative_uris=False
        )
        if not parsed.get("version") and not parsed.get("entries"):
            raise FeedError("not a feed")
        raw_entries, feed = parsed.get("entries") or [], parsed.get("feed") or {}
    from tui_news.html_text import html_to_text  # lxml: imported by the first feed

    now = now or datetime.now(UTC)  # what "more than a day in the future" is measured from
    entries: list[ParsedEntry] = []
    seen: set[str] = set()
    for raw in raw_entries:
        entry = _entry(raw, url, now, html_to_text)
        if entry is None or entry.key in seen:
            continue
        seen.add(entry.key)
        entries.append(entry)
    title = _one_line(_text_field(feed.get("title")), feed.get("title_detail"), FEED_TITLE_LIMIT)
    return ParsedFeed(title=title, entries=tuple(_newest(entries, MAX_ITEMS)))


# --- the worker pool ----------------------------------------------------------------------------


def _mp_context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    # Never fork: the caller may be a threaded Textual app, and a forked child inherits its locks.
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    if threading.current_thread() is threading.main_thread():
        # The forkserver dies with this process (a parent-death signal bound to the thread
        # that starts it: only the main thread lives as long as the process). Takes effect
        # when the forkserver starts, with the first pool.
        context.set_forkserver_preload(["tui_news.forkserver_init"])
    return context


_tracker_lock = threading.Lock()


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a stderr that has a real descriptor.

    forkserver/spawn start the tracker with `sys.stderr.fileno()` among the descriptors to keep.
    Inside a Textual app `sys.stderr` is its print capture and `fileno()` is -1, so creating the
    pool failed with "bad value(s) in fds_to_keep". Pointing stderr at /dev/null for that moment
    also keeps the tracker's warnings from drawing over the screen.
    """
    from multiprocessing import resource_tracker

    with _tracker_lock:
        try:
            usable = sys.stderr is not None and sys.stderr.fileno() >= 0
        except (AttributeError, OSError, ValueError):
            usable = False
        if usable:
            resource_tracker.ensure_running()
            return
        saved = sys.stderr
        with open(os.devnull, "w", encoding="utf-8") as null:
            sys.stderr = null
            try:
                resource_tracker.ensure_running()
            finally:
                sys.stderr = saved


class FeedParserPool:
    """Parses feeds in worker processes (created on first use) so the UI thread never does.

    Workers start with forkserver (or spawn), never fork, so the program's `__main__` is
    re-imported in them: it must keep its start-up under `if __name__ == "__main__":`.
    Measured: IPC costs about 1.5 ms a feed against 1 ms (1 KB) to 14 ms (22 KB) of parsing,
    so `inline_below` defaults to 0 (a parse in a thread would still hold the UI's GIL).
    """

    def __init__(self, max_workers: int | None = None, *, inline_below: int = 0) -> None:
        self.max_workers = max_workers or os.cpu_count() or 2
        # Bodies smaller than this are parsed in a thread instead (no IPC); 0 means never.
        self.inline_below = inline_below
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._started = False

    def _pool(self) -> concurrent.futures.ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                import concurrent.futures.process

                _start_resource_tracker()
                self._executor = concurrent.futures.process.ProcessPoolExecutor(
                    max_workers=self.max_workers, mp_context=_mp_context(), initializer=_worker_init
                )
            return self._executor

    def prepare(self) -> None:
        """Launch multiprocessing's forkserver now, without waiting for it (a few ms).

        It boots on another core while this process imports and sends its first requests; the
        workers forked from it later (start()) then cost the event loop a fork, not the ~0.1 s
        of a Python start-up. Call it from the main thread (the forkserver dies with the thread
        that launched it, lifeline.py); a refresh does when some feed is sure to send a body.
        """
        context = _mp_context()
        if context.get_start_method() != "forkserver" or (
                threading.current_thread() is not threading.main_thread()):
            return
        from multiprocessing import forkserver

        _start_resource_tracker()
        forkserver.ensure_running()

    def start(self) -> None:
        """Start every worker now, each importing lxml, rather than one by one as parses queue
        up (once; later calls do nothing).

        A refresh calls it when the first body arrives (never when every feed answers 304): the
        workers import while the other requests run.
        """
        with self._lock:
            if self._started:
                return
            self._started = True
        pool = self._pool()
        for _ in range(self.max_workers):
            pool.submit(_warm_up)

    async def parse(
        self, body: bytes, url: str, *, now: datetime | None = None, content_type: str | None = None
    ) -> ParsedFeed:
        """parse_feed in a worker; a crashed worker becomes that feed's FeedError."""
        from concurrent.futures.process import BrokenProcessPool

        loop = asyncio.get_running_loop()
        if len(body) < self.inline_below:
            return await asyncio.to_thread(
                parse_feed, body, url, now=now, content_type=content_type
            )
        pool = self._pool()
        try:
            return await loop.run_in_executor(pool, _parse_in_worker, body, url, now, content_type)
        except BrokenProcessPool:
            self._discard(pool)
            raise FeedError("parser process crashed") from None
        except FeedError:
            raise
        except Exception as exc:  # pickling trouble and the like: still only this feed's error
            raise FeedError(f"unreadable feed ({type(exc).__name__})") from None

    def _discard(self, pool: concurrent.futures.ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is pool:
                self._executor = None
                self._started = False
        pool.shutdown(wait=False, cancel_futures=True)

    def shutdown(self, wait: bool = True) -> None:
        """Stop the workers (a later parse starts new ones)."""
        with self._lock:
            pool, self._executor = self._executor, None
            self._started = False
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)

    def __enter__(self) -> FeedParserPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def _worker_init() -> None:
    """Each parser worker runs at a lower priority than the process that feeds it.

    Parsing is the parallel stage of a refresh; fetching and the store's writer thread are the
    serial one, in the parent. When both cores are busy the parent goes first, so bodies keep
    arriving and parsed feeds are stored as they come instead of piling up behind the parsers
    (a cold refresh of 200 feeds: 2.9 s → 2.45 s, bench/RESULTS.md).
    """
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICE)
    from tui_news.lifeline import die_with_parent

    die_with_parent()  # the forkserver (or the spawning parent) gone: so is this worker


def _warm_up() -> None:
    # The import is the point: lxml for plain RSS and leads. feedparser (~0.1 s more) is left
    # to the first feed that needs it; outlet feeds are plain RSS and never do.
    import tui_news.html_text  # noqa: F401


def _parse_in_worker(
    body: bytes, url: str, now: datetime | None, content_type: str | None
) -> ParsedFeed:
    return parse_feed(body, url, now=now, content_type=content_type)
