"""The refresh pipeline: fetch → parse (in worker processes) → store, with progress callbacks."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import queue
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from tui_news.config import Config
from tui_news.feeds import FeedError, FeedParserPool
from tui_news.fetch import Fetcher, FetchError, Response
from tui_news.models import FeedConfig, FeedResult, FeedState, ParsedFeed, RefreshSummary
from tui_news.store import BatchLost, CacheMovedAside, Store

Progress = Callable[[int, int, FeedResult], None]
_T = TypeVar("_T")
_Job = tuple[Callable[[], Any], asyncio.AbstractEventLoop, "asyncio.Future[Any]", int]


def select_feeds(config: Config, categories: set[str] | None) -> list[FeedConfig]:
    """The configured feeds, limited to `categories` when given."""
    return [f for f in config.feeds if categories is None or f.category in categories]


class _Writer:
    """The refresh's store writes, on a thread of their own, a few feeds per transaction.

    Ingest is SQLite work (about 0.1 ms an article, both search indexes included); on the event
    loop it stalled every fetch meanwhile. sqlite3 releases the GIL while SQLite runs, so fetching
    goes on. Jobs queued while a transaction runs go into the next one together (each still
    all-or-nothing, as a savepoint): one commit and one search-index flush for several feeds.
    While the writer runs, only its thread uses the store's connection.
    """

    # A transaction ends once it holds this many articles (or jobs): ~25 ms of writing, so the
    # reader's own writes (read marks) never wait long behind the refresh.
    BATCH_ARTICLES = 250
    BATCH_JOBS = 16
    # After HOLD seconds of transactions back to back, the lock stays free for PAUSE seconds.
    HOLD = 0.04
    PAUSE = 0.005

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._abandon = threading.Event()
        self._done = threading.Event()  # set when the thread has left the connection for good
        self._thread = threading.Thread(target=self._run, name="tui-news-store-writer",
                                        daemon=True)
        self._thread.start()

    async def call(self, fn: Callable[..., _T], /, *args: Any, articles: int = 0,
                   **kwargs: Any) -> _T:
        """Run `fn(*args, **kwargs)` on the writer thread; its result or its exception.

        `articles`: how many articles it writes (it bounds how many jobs share a transaction).
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[_T] = loop.create_future()
        self._queue.put((functools.partial(fn, *args, **kwargs), loop, future, articles))
        return await future

    def close(self, *, abandon: bool = False) -> None:
        """Stop the thread once the queued jobs are done; `abandon` drops those not started.

        Waits for the thread even through Ctrl-C (raised again afterwards): the caller goes on
        to use the store's connection, which two threads must never use at once.
        """
        if abandon:
            self._abandon.set()
        self._queue.put(None)
        interrupted: BaseException | None = None
        # An Event, not Thread.join(): in Python 3.11 a join cut short by KeyboardInterrupt
        # leaves the thread marked as stopped while it still runs (is_alive() is False).
        while not self._done.is_set():
            try:
                self._done.wait()
            except KeyboardInterrupt as exc:  # a second Ctrl-C, or SIGTERM in the reader's child
                interrupted = exc
        if interrupted is not None:
            raise interrupted

    def _run(self) -> None:
        try:
            self._serve()
        finally:
            self._done.set()

    def _serve(self) -> None:
        stop = False
        held = 0.0
        while not stop:
            job = self._queue.get()
            if job is None:
                return
            jobs = [job]
            articles = job[3]
            while len(jobs) < self.BATCH_JOBS and articles < self.BATCH_ARTICLES:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                jobs.append(more)
                articles += more[3]
            if self._abandon.is_set():
                continue  # the refresh was cancelled: nobody waits for these
            started = time.monotonic()
            outcomes = self._transaction([fn for fn, _, _, _ in jobs])
            for (_, loop, future, _), (ok, value) in zip(jobs, outcomes, strict=True):
                with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits
                    loop.call_soon_threadsafe(_settle, future, ok, value)
            held += time.monotonic() - started
            if held >= self.HOLD and not stop and not self._queue.empty():
                # Leave the lock free a moment before the next transaction: a writer waiting for
                # it (the reader marking an article read polls every ms, see Store._begin) gets
                # in now rather than after the whole refresh.
                time.sleep(self.PAUSE)
                held = 0.0

    def _transaction(self, fns: list[Callable[[], Any]]) -> list[tuple[bool, Any]]:
        """Run `fns` in one transaction, each all-or-nothing: (True, result) or (False, error).

        When one fault rolls back the whole transaction (disk full …), every job runs again in
        a transaction of its own, so that each reports what happened to its own writes.
        """
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self.store.batch():
                for fn in fns:
                    try:
                        with self.store.atomic():  # a savepoint: the job's writes, or none
                            result = fn()
                    except BatchLost:
                        raise
                    except Exception as exc:  # that job's error, for its caller
                        outcomes.append((False, exc))
                    else:
                        outcomes.append((True, result))
        except BatchLost as exc:
            if len(fns) == 1:
                return [(False, exc)]
            return [self._transaction([fn])[0] for fn in fns]
        except Exception as exc:  # BEGIN or COMMIT failed: nothing of the batch was written
            return [(False, exc)] * len(fns)
        return outcomes


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.done():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


async def refresh_feeds(store: Store, fetcher: Fetcher, pool: FeedParserPool,
                        feeds: Sequence[FeedConfig], *, progress: Progress | None = None,
                        now: datetime | None = None) -> tuple[FeedResult, ...]:
    """Refresh `feeds` concurrently (the Fetcher bounds concurrency globally and per host).

    Every store write goes through one writer thread (see _Writer), with the store's settings
    for bulk writing; `store` is not used by this thread until the function returns.
    """
    done = 0
    total = len(feeds)
    states = {state.url: state for state in store.feeds(active_only=False)}

    async def one(writer: _Writer, feed: FeedConfig) -> FeedResult:
        nonlocal done
        result = await _refresh_one(writer, states.get(feed.url), fetcher, pool, feed,
                                    now or datetime.now(UTC))
        done += 1
        if progress is not None:
            progress(done, total, result)
        return result

    with store.bulk():
        writer = _Writer(store)
        try:
            results = await asyncio.gather(*(one(writer, f) for f in feeds))
        except BaseException:  # cancelled, Ctrl-C: the feeds not yet stored are refreshed next time
            writer.close(abandon=True)
            raise
        writer.close()
    return tuple(results)


async def _refresh_one(writer: _Writer, state: FeedState | None, fetcher: Fetcher,
                       pool: FeedParserPool, feed: FeedConfig, now: datetime) -> FeedResult:
    store = writer.store
    if state and state.retry_after and state.retry_after > now:
        when = state.retry_after.astimezone().strftime("%H:%M")
        return FeedResult(feed.url, "skipped", error=f"server asked to wait until {when}")
    etag = state.etag if state else None
    last_modified = state.last_modified if state else None
    try:
        response = await fetcher.get(feed.url, etag=etag, last_modified=last_modified)
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
    pool.start()  # all workers at once, importing feedparser while the other requests run
    try:
        parsed = await pool.parse(response.body, response.url)
    except FeedError as exc:
        await writer.call(store.record_fetch, feed.url, status="error", error=str(exc),
                          fetched_at=now)
        return FeedResult(feed.url, "error", error=str(exc))
    new = await writer.call(_store_feed, store, feed.url, parsed, response, body_hash, now,
                            articles=len(parsed.entries))
    return FeedResult(feed.url, "ok", new=new)


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
    """Feeds, then (optionally) full texts of new articles and the weather, on one client."""
    started = datetime.now(UTC)
    store.sync_feeds(config.feeds)
    pool = FeedParserPool()
    try:
        async with Fetcher(user_agent=config.user_agent, timeout=config.timeout,
                           concurrency=config.concurrency) as fetcher:
            results = await refresh_feeds(store, fetcher, pool, select_feeds(config, categories),
                                          progress=progress, now=started)
            weather_error = None
            if weather:
                from tui_news.weather import update_weather

                weather_error = await update_weather(store, fetcher, config)
            if full or config.prefetch:
                from tui_news.fulltext import prefetch

                await prefetch(fetcher, store, store.ids_without_full_text(since=started))
    finally:
        pool.shutdown()
    if config.keep_days:
        store.purge(config.keep_days)
    return RefreshSummary(results=results, weather_error=weather_error)


def run_refresh(config: Config, db_path: Path, *, categories: set[str] | None = None,
                full: bool = False, weather: bool = True,
                progress: Progress | None = None) -> RefreshSummary:
    """Synchronous entry point for the CLI and the reader's thread worker: own store, own loop."""
    try:
        store = Store.open(db_path)
    except CacheMovedAside as moved:  # the caller opened it first and has said so
        store = moved.store
    try:
        return asyncio.run(refresh_all(config, store, categories=categories, full=full,
                                       weather=weather, progress=progress))
    finally:
        store.close()
