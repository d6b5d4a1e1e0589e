"""The comparison behind test_feed_corpus.py: our parse path and feedparser's reading of one feed
file, both as the plain text a reader sees.

feedparser (sanitising, as it ships) reads the file with the HTTP headers its test names; its
HTML is turned into text by the standard library's HTMLParser (not lxml, which our path uses),
its links are resolved against the feed's address (as feedparser does when it fetches the feed
itself), and its dates are UTC. Both sides then get the same normalisation: NFC, control
characters removed, all whitespace one space.
"""

from __future__ import annotations

import calendar
import io
import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser

from tui_news import feeds
from tui_news.feeds import FeedError, parse_feed
from tui_news.models import ParsedFeed

URL = "http://corpus.example.org/feed"
NOW = datetime(2026, 12, 1, tzinfo=UTC)  # dates more than a day after it are refused
FIELDS = ("title", "link", "date", "summary", "author")
# feedparser's test files name the HTTP headers they are served with in their opening comment.
_HEADER = re.compile(rb"^Header:\s*([\w-]+):\s*(.*?)\s*$", re.MULTILINE)
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069]")


def feed_files(root: Path) -> list[Path]:
    """Every feed file of the corpus: feedparser's test feeds and newsboat's (not its OPML)."""
    files = [
        p
        for p in (root / "feedparser" / "tests").rglob("*")
        if p.suffix in (".xml", ".json") and p.is_file()
    ]
    files += (root / "newsboat" / "test" / "data").rglob("*.xml")
    return sorted(files)


def content_type(body: bytes) -> str | None:
    headers = {k.decode().lower(): v.decode() for k, v in _HEADER.findall(body[:4096])}
    return headers.get("content-type")


def normal(text: str | None) -> str:
    text = _CONTROLS.sub("", (text or "").replace("\t", " ").replace("\n", " ").replace("\r", " "))
    return " ".join(unicodedata.normalize("NFC", text).split())


class _Text(HTMLParser):
    """An HTML fragment's text as a browser lays it out on one line: script and style dropped, a
    space where a block starts or ends."""

    _SKIP = frozenset({"script", "style"})
    _BLOCK = frozenset(
        {"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "h1"}
        | {"h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.skipping += tag in self._SKIP
        if tag in self._BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1
        if tag in self._BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def plain(value: str, detail: Any) -> str:
    """feedparser's value as text: as it is when typed text/plain, else read as HTML."""
    if isinstance(detail, dict) and detail.get("type") == "text/plain":
        return normal(value)
    reader = _Text()
    reader.feed(value)
    reader.close()
    return normal("".join(reader.parts))


def theirs(body: bytes, ctype: str | None) -> tuple[str | None, list[dict[str, Any]]]:
    """feedparser's feed title and entries as plain text, each entry with what it needs to be
    classified."""
    headers = {"content-type": ctype} if ctype else {}
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    title = parsed.feed.get("title")
    feed_title = None if title is None else plain(title, parsed.feed.get("title_detail"))
    out = []
    for e in parsed.entries:
        when = e.get("published_parsed") or e.get("updated_parsed") or e.get("created_parsed")
        summary, detail = e.get("summary", ""), e.get("summary_detail")
        if not summary and e.get("content"):
            summary, detail = e.content[0].get("value", ""), e.content[0]
        enclosures = tuple(x.get("href") for x in e.get("enclosures") or ())
        raw_date = e.get("published") or e.get("updated") or e.get("created")
        out.append(
            {
                "title": plain(e.get("title", ""), e.get("title_detail")),
                "link": urljoin(URL, e["link"]) if e.get("link") else None,
                "date": calendar.timegm(when) if when else None,
                "summary": plain(summary, detail),
                "author": normal(e.get("author")) or None,
                "id": e.get("id") or None,
                # What the entry carries as written, before it is made text.
                "carries": (e.get("title"), e.get("link"), summary, raw_date, enclosures),
            }
        )
    return feed_title, out


def ours(body: bytes, ctype: str | None) -> tuple[ParsedFeed | None, list[dict[str, Any]]]:
    try:
        feed = parse_feed(body, URL, now=NOW, content_type=ctype)
    except FeedError:
        return None, []
    return feed, [
        {
            "title": normal(e.title),
            "link": e.link,
            "date": int(e.published.timestamp()) if e.published else None,
            "summary": normal(e.summary),
            "author": e.author,
        }
        for e in feed.entries
    ]


def _kept(entries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], set[str]]:
    """feedparser's entries less those a reader has no use for, and why each went: `empty` (no
    id, title, link, lead, date or enclosure: nothing to show or to find again) or `duplicate`
    (the id, else the link, else all it carries, of an earlier entry)."""
    kept, seen, why = [], set(), set()
    for e in entries:
        carries = e["carries"]
        if not e["id"] and not any(carries):
            why.add("dropped-empty")
            continue
        key = e["id"] or e["link"] or repr(carries)
        if key in seen:
            why.add("dropped-duplicate")
            continue
        seen.add(key)
        kept.append(e)
    return kept, why


def differences(path: Path) -> dict[str, tuple[object, object]]:
    """Tag → (ours, theirs) for each way the two readings of `path` differ: `count`,
    `dropped-empty`, `dropped-duplicate`, `feed-title`, or a field of the first entry where it
    differs."""
    body = path.read_bytes()
    ctype = content_type(body)
    their_title, their_entries = theirs(body, ctype)
    reference, why = _kept(their_entries)
    feed, mine = ours(body, ctype)
    found: dict[str, tuple[object, object]] = {tag: ("", "") for tag in why}
    if feed is not None and their_title is not None and normal(feed.title) != their_title:
        found["feed-title"] = (feed.title, their_title)
    if len(mine) != len(reference):
        found["count"] = (len(mine), len(reference))
    for a, b in zip(mine, reference, strict=False):
        for field in FIELDS:
            if a[field] != b[field] and field not in found:
                found[field] = (a[field], b[field])
    return found


def fast_path_differs(path: Path) -> bool | None:
    """Whether the plain RSS fast path reads `path` otherwise than feedparser does (None when it
    does not take the file)."""
    body = path.read_bytes()
    ctype = content_type(body)
    from tui_news.charsets import as_utf8

    if feeds.read_plain_rss(feeds._cap_items(feeds._defuse_authors(as_utf8(body, ctype)))) is None:
        return None
    fast = _outcome(body, ctype)
    saved = feeds.read_plain_rss
    feeds.read_plain_rss = lambda data: None  # type: ignore[assignment]
    try:
        slow = _outcome(body, ctype)
    finally:
        feeds.read_plain_rss = saved
    return fast != slow


def _outcome(body: bytes, ctype: str | None) -> object:
    try:
        return parse_feed(body, URL, now=NOW, content_type=ctype)
    except FeedError as exc:
        return str(exc)


def relative(root: Path, paths: Iterator[Path] | list[Path]) -> list[str]:
    return [p.relative_to(root).as_posix() for p in paths]
