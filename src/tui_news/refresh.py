"""The refresh pipeline: fetch → parse (in worker processes) → store, with progress callbacks."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from tui_news.config import Config
from tui_news.feeds import FeedError, FeedParserPool
from tui_news.fetch import Fetcher, FetchError, Response
from tui_news.models import (
    FeedConfig,
    FeedResult,
    FeedState,
    ParsedFeed,
    RefreshSummary,
    Weather,
)
from tui_news.store import CacheMovedAside, Store, StoreError
from tui_news.store_writer import StoreWriter

Progress = Callable[[int, int, FeedResult], None]

# One deadline for the whole refresh: `timeout` (the per-request one) from its start, and a
# second more so that a request that started at once ends with its own "timed out" first. What
# the feeds fetched by then is parsed and stored; the weather gets a few seconds of its own after.
DEADLINE_MARGIN = 1.0
WEATHER_GRACE = 3.0


def select_feeds(config: Config, categories: set[str] | None) -> list[FeedConfig]:
    """The configured feeds, limited to `categories` when given."""
    return [f for f in config.feeds if categories is None or f.category in categories]


async def refresh_feeds(store: Store, fetcher: Fetcher, pool: FeedParserPool,
                        feeds: Sequence[FeedConfig], *, progress: Progress | None = None,
                        now: datetime | None = None,
                        deadline: float | None = None) -> tuple[FeedResult, ...]:
    """Refresh `feeds` concurrently (the Fetcher bounds concurrency globally and per host).

    Every store write goes through one writer thread (see StoreWriter); `store` is not used by
    this thread until the function returns. `deadline` (the loop's clock) ends every feed's
    fetch: a feed still waiting then, for a connection slot or for its server, is that feed's
    error (what did arrive is parsed and stored). A store fault (a full disk) is the error of
    the feed it hit.
    """
    done = 0
    total = len(feeds)
    started = now or datetime.now(UTC)
    states = {state.url: state for state in store.feeds(active_only=False)}
    if any(_sends_a_body(states.get(feed.url)) for feed in feeds):
        pool.prepare()  # the parsers' forkserver boots while the first requests go out

    async def one(writer: StoreWriter, feed: FeedConfig) -> FeedResult:
        nonlocal done
        try:
            result = await _refresh_one(writer, states.get(feed.url), fetcher, pool, feed,
                                        started, deadline)
        except StoreError as exc:  # disk full, locked too long: this feed's outcome
            result = FeedResult(feed.url, "error", error=str(exc))
        done += 1
        if progress is not None:
            progress(done, total, result)
        return result

    # One store call a feed, but for those the server asked to wait.
    writer = StoreWriter(store, jobs=sum(_wait_until(states.get(f.url), started) is None
                                         for f in feeds))
    try:
        results = await asyncio.gather(*(one(writer, f) for f in feeds))
    except BaseException:  # cancelled, Ctrl-C: the feeds not yet stored are refreshed next time
        writer.close(abandon=True)
        raise
    writer.close()
    return tuple(results)


def _wait_until(state: FeedState | None, now: datetime) -> datetime | None:
    """Until when the feed's server asked us to wait (Retry-After), while that is still ahead:
    no request then, and no store call."""
    if state is None or state.retry_after is None or state.retry_after <= now:
        return None
    return state.retry_after


def _sends_a_body(state: FeedState | None) -> bool:
    """True when the feed's answer cannot be a 304: nothing to validate a copy against."""
    return state is None or not (state.etag or state.last_modified)


async def _refresh_one(writer: StoreWriter, state: FeedState | None, fetcher: Fetcher,
                       pool: FeedParserPool, feed: FeedConfig, now: datetime,
                       deadline: float | None = None) -> FeedResult:
    store = writer.store
    if (until := _wait_until(state, now)) is not None:
        when = until.astimezone().strftime("%H:%M")
        return FeedResult(feed.url, "skipped", error=f"server asked to wait until {when}")
    etag = state.etag if state else None
    last_modified = state.last_modified if state else None
    slot: list[bool] = []  # set once the request has a connection slot
    try:
        async with asyncio.timeout_at(deadline):
            response = await fetcher.get(feed.url, etag=etag, last_modified=last_modified,
                                         on_slot=lambda: slot.append(True))
    except TimeoutError:
        return await _cut_short(writer, feed, now, fetcher.timeout, waited=not slot)
    except FetchError as exc:
        await writer.call(store.record_fetch, feed.url, status="error", error=str(exc),
                          retry_after=exc.retry_after, fetched_at=now)
        return FeedResult(feed.url, "error", error=str(exc))
    if response.not_modified:
        await writer.call(store.record_fetch, feed.url, status="not-modified",
                          etag=response.etag, last_modified=response.last_modified,
                          fetched_at=now)
        return FeedResult(feed.url, "not-modified")
    # A server without validators often sends the same bytes again: skip parsing them.
    body_hash = hashlib.sha256(response.body).hexdigest()
    if state and state.body_hash == body_hash:
        await writer.call(store.record_fetch, feed.url, status="ok", etag=response.etag,
                          last_modified=response.last_modified, body_hash=body_hash,
                          fetched_at=now)
        return FeedResult(feed.url, "unchanged")
    pool.start()  # all workers at once (forked), importing lxml while the other requests run
    try:
        # The header's charset counts: some servers name it only there (koi8-r, windows-1258).
        # Not under the deadline: what arrived in time is parsed (bounded by the body cap).
        parsed = await pool.parse(response.body, response.url,
                                  content_type=response.headers.get("content-type"))
    except FeedError as exc:
        await writer.call(store.record_fetch, feed.url, status="error", error=str(exc),
                          fetched_at=now)
        return FeedResult(feed.url, "error", error=str(exc))
    new = await writer.call(_store_feed, store, feed.url, parsed, response, body_hash, now,
                            articles=len(parsed.entries))
    return FeedResult(feed.url, "ok", new=new)


async def _cut_short(writer: StoreWriter, feed: FeedConfig, now: datetime, timeout: float, *,
                     waited: bool) -> FeedResult:
    """The refresh's deadline came before this feed was fetched and parsed."""
    what = "never got a connection slot" if waited else "no answer"
    error = f"{what} within the refresh's {timeout:g} s (the whole refresh's deadline)"
    await writer.call(writer.store.record_fetch, feed.url, status="error", error=error,
                      fetched_at=now)
    return FeedResult(feed.url, "error", error=error)


def _store_feed(store: Store, url: str, parsed: ParsedFeed, response: Response,
                body_hash: str, now: datetime) -> int:
    new = store.ingest(url, parsed.entries, seen_at=now)
    store.record_fetch(url, status="ok", etag=response.etag,
                       last_modified=response.last_modified, body_hash=body_hash,
                       feed_title=parsed.title or None, fetched_at=now)
    return new


async def refresh_all(config: Config, store: Store, *, categories: set[str] | None = None,
                      full: bool = False, weather: bool = True,
                      progress: Progress | None = None) -> RefreshSummary:
    """Feeds, then the sync with the [sync] feed server (unless `categories` is empty: a
    weather-only refresh), then (optionally) full texts of new articles and the weather, on one
    client."""
    started = datetime.now(UTC)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + config.timeout + DEADLINE_MARGIN
    try:
        store.sync_feeds(config.feeds)
    except StoreError as exc:
        if exc.kind != "full":
            raise
        # A full disk: each feed says so itself below (and the summary is printed).
    pool = FeedParserPool()
    weather_fetch: asyncio.Future[list[Weather]] | None = None
    try:
        async with Fetcher(user_agent=config.user_agent, timeout=config.timeout,
                           concurrency=config.concurrency,
                           per_host=config.per_host) as fetcher:
            if weather and config.cities:
                from tui_news.weather import fetch_weather

                # Asked for beside the feeds (one request), stored after them: a refresh no
                # longer waits for the weather service's answer once its feeds are done.
                weather_fetch = asyncio.ensure_future(
                    fetch_weather(fetcher, config.weather_url, config.cities))
            results = await refresh_feeds(store, fetcher, pool, select_feeds(config, categories),
                                          progress=progress, now=started, deadline=deadline)
            synced = None
            if config.sync is not None and categories != set():
                from tui_news.sync.engine import run_sync

                synced = await run_sync(config, store.path, fetcher)
            weather_error = full_text_error = None
            if weather:
                from tui_news.weather import update_weather

                try:
                    async with asyncio.timeout_at(max(deadline, loop.time() + WEATHER_GRACE)):
                        weather_error = await update_weather(store, fetcher, config,
                                                             fetching=weather_fetch)
                except TimeoutError:
                    weather_error = (f"weather: no answer within the refresh's "
                                     f"{config.timeout:g} s")
            if full or config.prefetch:
                from tui_news.fulltext import prefetch

                _, _, full_text_error = await prefetch(
                    fetcher, store, store.ids_without_full_text(since=started),
                    lang=config.language)
    finally:
        if weather_fetch is not None:  # the feeds failed (Ctrl-C …): nobody will store it
            if not weather_fetch.done():
                weather_fetch.cancel()
            elif not weather_fetch.cancelled():
                weather_fetch.exception()  # its error is retrieved: asyncio says nothing
        # Waited for (30-130 ms before the summary line): a pool left to close in the background
        # races Python 3.11's exit hook for process pools, which then writes to the pool's
        # closed wake-up pipe and prints an OSError traceback on the way out (seen when a full
        # disk ended a refresh at once: tests/test_safety_storage.py::test_disk_full).
        pool.shutdown()
    if config.keep_days:
        try:
            store.purge(config.keep_days)
        except StoreError as exc:
            if exc.kind != "full":
                raise  # a full disk: the old articles go next time
    return RefreshSummary(results=results, weather_error=weather_error,
                          full_text_error=full_text_error, sync=synced)


def run_refresh(config: Config, db_path: Path, *, categories: set[str] | None = None,
                full: bool = False, weather: bool = True, progress: Progress | None = None,
                on_done: Callable[[RefreshSummary], None] | None = None) -> RefreshSummary:
    """Synchronous entry point for the CLI and the reader's refresh process: own store, own loop.

    `on_done(summary)` is called once the refresh is done (the caller says what it did); with
    it given, everything waiting for the search indexes is then indexed (Store.index_pending) on
    the same connection, so the first search after a refresh from cron has nothing left to do
    (a damaged page met meanwhile is the next open's to report, as without it). Stopped
    there (Ctrl-C, a kill), a 500-article transaction rolls back and what is left waits for the
    next search, which indexes it first; a cache that cannot be written then is left to it too.
    """
    try:
        store = Store.open(db_path)
    except CacheMovedAside as moved:  # the caller opened it first and has said so
        store = moved.store
    try:
        summary = asyncio.run(refresh_all(config, store, categories=categories, full=full,
                                          weather=weather, progress=progress))
        if on_done is not None:
            on_done(summary)
            with contextlib.suppress(StoreError):
                store.index_pending()
        return summary
    finally:
        store.close()

