"""Subscribing and unsubscribing: a URL checked with one fetch (a feed, or an HTML page whose
`<link rel="alternate">` names feeds), duplicates refused, the config changed by config_write.

Shared by `tui-news add`/`remove` and the reader's "add a feed" prompt. Messages are one line
in the UI language (i18n).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from tui_news.config import MAX_URL_LENGTH, Config
from tui_news.i18n import label
from tui_news.links import is_web_url, redact_url
from tui_news.models import FeedConfig
from tui_news.text import clean, fold

# Every command's start-up imports this module (the reader's too, through the command table):
# what only checking a URL needs (httpx, the feed parser) and writing the config (tomlkit) are
# imported when they are used. httpx and httpcore cost 0.1-0.15 s of the reader's start-up
# (bench/RESULTS.md).
if TYPE_CHECKING:
    from tui_news.config_write import FeedsChanged
    from tui_news.fetch import Fetcher

DEFAULT_CATEGORY = "Khác"
# <link rel="alternate" type=…> values that name a feed we can read.
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/xml", "text/xml", "application/x-rss+xml")
MAX_CANDIDATES = 20


class SubscribeError(Exception):
    """Nothing was changed; str(e) is one line in the UI language."""


@dataclass(frozen=True)
class Candidate:
    """A feed an HTML page links to."""

    url: str
    title: str | None


@dataclass(frozen=True)
class Checked:
    """The outcome of the one fetch of a URL to subscribe to."""

    url: str  # the feed to write (the URL given, or the one feed its page links to)
    title: str | None = None  # the feed's own title
    articles: int | None = None  # items in the feed; None when not parsed (taken from a page)
    page: str | None = None  # the HTML page the feed was found on
    candidates: tuple[Candidate, ...] = ()  # several feeds on the page: the user chooses


def web_url(url: str, lang: str) -> str:
    """`url` trimmed, or SubscribeError when it is not an http(s) URL we would store."""
    url = url.strip()
    if (not is_web_url(url) or len(url) > MAX_URL_LENGTH
            or any(c.isspace() or c in '"<>\\`{}' for c in url)):
        raise SubscribeError(label("add_not_web", lang, url=redact_url(clean(url, limit=200))))
    return url


def _same(a: str, b: str) -> bool:
    """The same feed URL up to the case of scheme and host and a trailing slash."""
    pa, pb = urlsplit(a), urlsplit(b)
    return ((pa.scheme.lower(), pa.netloc.lower(), pa.path.rstrip("/"), pa.query)
            == (pb.scheme.lower(), pb.netloc.lower(), pb.path.rstrip("/"), pb.query))


def subscribed(config: Config, url: str) -> FeedConfig | None:
    """The subscription `url` already is, if any."""
    return next((f for f in config.feeds if _same(f.url, url)), None)


def refuse_duplicate(config: Config, url: str, lang: str) -> None:
    feed = subscribed(config, url)
    if feed is not None:
        raise SubscribeError(label("add_duplicate", lang, url=redact_url(feed.url),
                                   category=feed.category))


def feed_links(body: bytes, base: str) -> list[Candidate]:
    """The feeds an HTML page names in `<link rel="alternate" type="…rss/atom…">`."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    found: dict[str, Candidate] = {}
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" not in rel or kind not in FEED_TYPES:
            continue
        href = urljoin(base, clean(link.get("href") or "").strip())
        if is_web_url(href) and href not in found and len(href) <= MAX_URL_LENGTH:
            found[href] = Candidate(href, clean(link.get("title") or "", limit=120) or None)
    return list(found.values())[:MAX_CANDIDATES]


async def check(fetcher: Fetcher, url: str, lang: str) -> Checked:
    """Fetch `url` once: a feed, or a page linking to one feed (taken) or several (offered)."""
    from tui_news.feeds import FeedError, parse_feed
    from tui_news.fetch import FetchError

    try:
        response = await fetcher.get(url)
    except FetchError as exc:
        raise SubscribeError(label("add_fetch_failed", lang, url=redact_url(url),
                                   error=clean(str(exc), limit=200))) from None
    content_type = response.headers.get("content-type")
    try:
        parsed = parse_feed(response.body, response.url, content_type=content_type)
    except FeedError as exc:
        candidates = feed_links(response.body, response.url)
        if len(candidates) == 1:
            return Checked(url=candidates[0].url, title=candidates[0].title, page=url)
        if candidates:
            return Checked(url=url, page=url, candidates=tuple(candidates))
        if "html" in (content_type or "").lower() or response.body.lstrip()[:1] == b"<":
            raise SubscribeError(label("add_no_feed_on_page", lang,
                                       url=redact_url(url))) from None
        raise SubscribeError(label("add_not_a_feed", lang, url=redact_url(url),
                                   error=clean(str(exc), limit=200))) from None
    return Checked(url=url, title=parsed.title or None, articles=len(parsed.entries))


def check_url(config: Config, url: str, lang: str) -> Checked:
    """check() on a client of its own (for the CLI and the reader's worker thread)."""
    from tui_news.fetch import Fetcher

    async def run() -> Checked:
        async with Fetcher(user_agent=config.user_agent, timeout=config.timeout,
                           concurrency=config.concurrency) as fetcher:
            return await check(fetcher, url, lang)

    return asyncio.run(run())


def subscribe(config: Config, feed: FeedConfig, lang: str) -> FeedsChanged:
    """Write `feed` into the config (a duplicate is refused)."""
    from tui_news.config_write import ConfigWriteError, add_feeds

    refuse_duplicate(config, feed.url, lang)
    try:
        return add_feeds(config, [feed])
    except ConfigWriteError as exc:
        raise SubscribeError(str(exc)) from None


def find_subscription(config: Config, key: str, titles: dict[str, str], lang: str) -> FeedConfig:
    """The subscription named by URL, or by title (configured, else the feed's own in `titles`,
    compared folded: "tuoi tre" finds "Tuổi Trẻ"). Several with that title: refused."""
    key = key.strip()
    if is_web_url(key):
        feed = subscribed(config, key)
        if feed is None:
            raise SubscribeError(label("remove_unknown", lang, name=redact_url(clean(key))))
        return feed
    wanted = fold(clean(key))
    matches = [f for f in config.feeds
               if wanted and fold(f.title or titles.get(f.url) or "") == wanted]
    if not matches:
        raise SubscribeError(label("remove_unknown", lang, name=clean(key, limit=120)))
    if len(matches) > 1:
        raise SubscribeError(label("remove_ambiguous", lang, name=clean(key, limit=120),
                                   urls=", ".join(redact_url(f.url) for f in matches)))
    return matches[0]


def unsubscribe(config: Config, feed: FeedConfig) -> FeedsChanged:
    from tui_news.config_write import ConfigWriteError, remove_feed

    try:
        return remove_feed(config, feed)
    except ConfigWriteError as exc:
        raise SubscribeError(str(exc)) from None
