"""One sync with the feed server of [sync], through any SyncClient:

1. subscriptions (also the credentials' check): the server's groups are categories, its feeds
   the cache's server feeds;
2. the marks made here since the last sync are sent, each once (a mark the server cannot take,
   for an item it no longer has, is dropped);
3. new items, paged by id (`since_id`), every page in a transaction of its own, at most
   MAX_PAGES pages a sync (the next sync goes on where this one stopped);
4. the server's unread and saved ids: its state wins for every article it knows, except where
   a mark made here waits (one made during this sync, or one the server did not take yet);
5. unread or saved items the cache does not have (skipped by paging, or older than the first
   sync) are fetched by id, at most MAX_MISSING a sync.

Every write is a transaction of its own, so a sync killed anywhere leaves a consistent cache:
the next sync sends again what was not cleared (marks are idempotent) and fetches again what
was not stored (articles are stored once, by key).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from pathlib import Path

from tui_news.config import Config, SyncConfig
from tui_news.feeds import AUTHOR_LIMIT, SUMMARY_LIMIT, TITLE_LIMIT
from tui_news.fetch import Fetcher
from tui_news.html_text import html_to_text
from tui_news.links import is_web_url, normalize_link, redact_url
from tui_news.models import ParsedEntry, SyncResult
from tui_news.store import CacheMovedAside, StoreError
from tui_news.store_sync import PendingMark, ServerEntry, ServerFeed, SyncStore
from tui_news.sync.client import Mark, RemoteItem, Subscriptions, SyncClient, SyncError
from tui_news.text import clean, strip_outlet_prefix, truncate, unescape_clean

MAX_PAGES = 40  # pages of new items a sync fetches (2,000 items with Fever's 50)
MAX_MISSING = 1000  # unread or saved items fetched by id in one sync
MIN_DEADLINE = 30.0  # seconds: the whole sync's deadline is at least this, or 3 × the timeout


def server_key(sync: SyncConfig) -> str:
    """Names the server and account the cache's server ids belong to (no credential in it)."""
    raw = "\n".join((sync.kind, sync.url, sync.user or ""))
    return hashlib.sha256(raw.encode()).hexdigest()


def make_client(sync: SyncConfig, fetcher: Fetcher, key: str) -> SyncClient:
    """The protocol module for `sync.kind` (the config allows only "fever" today)."""
    from tui_news.sync.fever import FeverClient

    return FeverClient(fetcher, sync.url, key)


async def run_sync(config: Config, db_path: Path, fetcher: Fetcher, *,
                   client: SyncClient | None = None) -> SyncResult:
    """Sync the cache at `db_path` with config.sync; never raises for a fault of the server,
    the network or the cache: the result carries it (one line), and the cache records it for
    the reader's status line."""
    sync = config.sync
    if sync is None:
        return SyncResult(error="no [sync] in the config")
    shown = redact_url(sync.url)
    try:
        store = SyncStore.open(db_path)
    except CacheMovedAside as moved:  # reported by whoever opened it first
        store = moved.store
    except StoreError as exc:
        return SyncResult(error=f"sync: {exc}")
    try:
        started = datetime.now(UTC)
        error: str | None = None  # the line for the CLI
        reason: str | None = None  # what the cache keeps for the reader's status line
        try:
            async with asyncio.timeout(max(MIN_DEADLINE, 3 * config.timeout)):
                if client is None:
                    from tui_news.sync.credentials import api_key

                    client = make_client(sync, fetcher, await api_key(sync))
                result = await sync_once(store, client, key=server_key(sync),
                                         local_urls=[f.url for f in config.feeds], now=started)
        except TimeoutError:
            reason = (f"not done within {max(MIN_DEADLINE, 3 * config.timeout):g} s; "
                      "the next sync goes on")
            error = f"sync with {shown}: {reason}"
        except SyncError as exc:
            reason = str(exc)
            error = f"sync with {shown}: {exc}" if exc.kind != "config" else f"sync: {exc}"
        except StoreError as exc:
            reason = str(exc)
            error = f"sync: {exc}"
        try:
            store.record_sync(reason, at=started)
        except StoreError as exc:  # the cache is what failed: said all the same
            error = error or f"sync: {exc}"
        return result if error is None else SyncResult(error=error)
    finally:
        store.close()


async def sync_once(store: SyncStore, client: SyncClient, *, key: str,
                    local_urls: Iterable[str], now: datetime) -> SyncResult:
    """The five steps above; raises SyncError or StoreError (what was done stays done)."""
    subscriptions = await client.subscriptions()
    store.use_server(key)
    store.store_server_feeds(server_feeds(subscriptions), local_urls)
    feed_urls = store.server_feed_urls()

    sent = 0
    for mark in store.pending_marks():
        if await client.mark(mark.server_id, _as(mark)):
            sent += 1
        store.mark_sent(mark)

    new = 0
    more = True
    since = store.since_id()
    for _page in range(MAX_PAGES):
        items = await client.items_since(since)
        top = max((i.id for i in items), default=since)
        if not items or top <= since:
            more = False
            break
        new += store.store_server_items(entries(items, key), feed_urls, since_id=top)
        since = top

    unread, saved = await client.unread_and_saved()
    changed = store.apply_server_state(unread, saved)

    missing = sorted((unread | saved) - store.known_ids(), reverse=True)  # newest first
    if len(missing) > MAX_MISSING:
        missing, more = missing[:MAX_MISSING], True
    for chunk in _chunks(missing, client.page_size):
        items = await client.items_by_id(chunk)
        new += store.store_server_items(entries([i for i in items if i.id in set(chunk)], key),
                                        feed_urls)
    store.mark_server_feeds_synced(now)
    return SyncResult(new=new, sent=sent, changed=changed, more=more)


def server_feeds(subscriptions: Subscriptions) -> list[ServerFeed]:
    """The server's feeds as the cache keeps them: the feed's URL (or a name of our own when it
    has none we could fetch), its title, its first group's title as the category."""
    groups = {g.id: clean(g.title, limit=80) for g in subscriptions.groups}
    feeds = []
    for feed in subscriptions.feeds:
        url = normalize_link(feed.url) if is_web_url(feed.url.strip()) else None
        category = next((groups[g] for g in feed.group_ids if groups.get(g)), "")
        feeds.append(ServerFeed(server_id=feed.id, url=url or f"fever:feed/{feed.id}",
                                title=unescape_clean(feed.title, limit=120) or None,
                                category=category))
    return feeds


def entries(items: Iterable[RemoteItem], key: str) -> list[ServerEntry]:
    """Server items as entries to store: clean text (SAFETY.md rule 1), keyed like any feed's
    item by its link (so an article also in a local feed is stored once), else by server id."""
    out = []
    for item in items:
        link = normalize_link(item.url) if item.url else None
        summary = truncate(strip_outlet_prefix(
            html_to_text(item.html[: SUMMARY_LIMIT * 8], limit=SUMMARY_LIMIT * 2)).strip(),
            SUMMARY_LIMIT)
        entry = ParsedEntry(
            key=link or f"fever:{key[:12]}:{item.id}",
            title=unescape_clean(item.title[: TITLE_LIMIT * 4], limit=TITLE_LIMIT),
            link=link,
            summary=summary,
            published=item.created,
            author=unescape_clean((item.author or "")[: AUTHOR_LIMIT * 4],
                                  limit=AUTHOR_LIMIT) or None)
        out.append(ServerEntry(item.id, item.feed_id, entry, item.read, item.saved))
    return out


def _as(mark: PendingMark) -> Mark:
    if mark.field == "read":
        return "read" if mark.value else "unread"
    return "saved" if mark.value else "unsaved"


def _chunks(ids: Collection[int], size: int) -> list[list[int]]:
    ordered = list(ids)
    return [ordered[i:i + size] for i in range(0, len(ordered), max(1, size))]
