"""Frozen dataclasses passed between layers: services produce them, the UI and CLI show them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True)
class FeedConfig:
    """One subscription from the config (or the built-in catalogue)."""

    url: str
    category: str
    title: str | None = None


@dataclass(frozen=True)
class Filter:
    """A `[[filters]]` entry: articles matching `match` (search words or a phrase, folded) are
    hidden; only those of `feed` (a URL) or `category` when given."""

    match: str
    feed: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class SavedSearch:
    """A `[[searches]]` entry: a sidebar entry listing what `query` finds."""

    name: str
    query: str


@dataclass(frozen=True)
class City:
    """A place whose current weather is shown in the top bar."""

    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class ParsedEntry:
    """One feed item after parsing and cleaning, before it is stored.

    Every string is already clean (SAFETY.md rule 1) and NFC; `link` is absolute http(s) or None.
    """

    key: str  # identity: the guid, else the canonical link, else `item:` + a hash of the item
    title: str
    link: str | None
    summary: str  # the lead as plain text, outlet prefix and related links removed
    published: datetime | None  # aware, or None when missing/untrusted
    author: str | None = None
    # The key an article keyed by its link was stored under before #14 kept fragments and
    # queries as written, when that differs: ingest moves a stored article to `key`.
    former_key: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed: its own title and cleaned entries."""

    title: str
    entries: tuple[ParsedEntry, ...]


@dataclass(frozen=True)
class FeedState:
    """What we remember about fetching one feed."""

    url: str
    category: str
    title: str | None  # configured title, else the feed's own title once seen
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    retry_after: datetime | None = None  # do not ask again before this time
    last_fetched: datetime | None = None
    last_status: str | None = None  # "ok", "not-modified", "error"
    last_error: str | None = None
    article_count: int = 0
    from_server: bool = False  # one of the sync server's feeds (see [sync])


@dataclass(frozen=True)
class Article:
    """An article as the list and the pane see it."""

    id: int
    title: str
    link: str | None
    summary: str
    published: datetime | None  # aware
    first_seen: datetime  # aware; used for sorting when published is missing
    feed_title: str
    feed_url: str
    categories: tuple[str, ...]
    read: bool
    starred: bool
    has_full_text: bool
    author: str | None = None

    @property
    def sort_time(self) -> datetime:
        return self.published or self.first_seen


class BlockKind(StrEnum):
    """Kinds of text block in an article body, in page order."""

    LEAD = "lead"
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    CAPTION = "caption"
    BYLINE = "byline"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str


@dataclass(frozen=True)
class FullText:
    """An article page reduced to its text, stored structured so captions and byline stay apart."""

    title: str | None
    published: datetime | None
    blocks: tuple[Block, ...]
    links: tuple[str, ...] = ()
    source_url: str | None = None

    @property
    def lead(self) -> str | None:
        return next((b.text for b in self.blocks if b.kind is BlockKind.LEAD), None)


@dataclass(frozen=True)
class ArticleQuery:
    """Which articles a list shows. `category` None means every category."""

    category: str | None = None
    unread_only: bool = False
    starred_only: bool = False
    search: str | None = None
    feed: str | None = None  # only the articles of this feed (its URL)
    filtered: bool = False  # only the articles the filters hide (else they are left out)


@dataclass(frozen=True)
class Counts:
    """Unread counts for the sidebar."""

    total: int
    unread: int
    starred: int
    by_category: dict[str, int] = field(default_factory=dict)  # unread per category
    by_search: dict[str, int] = field(default_factory=dict)  # unread per saved search's query
    by_feed: dict[str, int] = field(default_factory=dict)  # unread per feed URL


@dataclass(frozen=True)
class Weather:
    """The last good observation for one city (all None when never fetched)."""

    city: str
    temperature_c: float | None
    weather_code: int | None
    is_day: bool | None
    observed_at: datetime | None
    fetched_at: datetime | None
    stale: bool = False


@dataclass(frozen=True)
class FeedResult:
    """The outcome of refreshing one feed."""

    url: str
    status: str  # "ok", "not-modified", "unchanged", "skipped", "error"
    new: int = 0
    error: str | None = None


@dataclass(frozen=True)
class SyncStatus:
    """How syncing with the feed server went (from the cache)."""

    last_ok: datetime | None  # the last sync that completed
    last_attempt: datetime | None
    error: str | None  # the last attempt's fault, one line; None when it completed
    pending: int = 0  # marks made here that wait to be sent


@dataclass(frozen=True)
class SyncResult:
    """The outcome of one sync."""

    new: int = 0  # articles stored
    sent: int = 0  # marks sent to the server
    changed: int = 0  # articles whose read or starred state the server's changed here
    more: bool = False  # the bound on items per sync was reached: the next sync goes on
    error: str | None = None  # one line; None when the sync completed


@dataclass(frozen=True)
class RefreshSummary:
    results: tuple[FeedResult, ...]
    weather_error: str | None = None
    full_text_error: str | None = None  # the extraction library cannot be loaded (UI language)
    sync: SyncResult | None = None  # None: no [sync] (or this refresh did not sync)

    @property
    def failed(self) -> tuple[FeedResult, ...]:
        return tuple(r for r in self.results if r.status == "error")

    @property
    def new(self) -> int:
        return sum(r.new for r in self.results)
