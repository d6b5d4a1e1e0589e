"""The refresh's writer thread (refresh.StoreWriter) on a real SQLite file: each feed's writes stand
or fall alone inside a shared transaction, even when one fault takes the transaction with it,
and closing it never leaves the connection to two threads."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import time
from typing import Any

import pytest

from tui_news.models import ArticleQuery, FeedConfig, ParsedEntry
from tui_news.store import Store, StoreError
from tui_news.store_writer import StoreWriter

FEEDS = [FeedConfig(f"https://bao.example.vn/{i}.rss", "Thời sự") for i in range(3)]


def entry(key: str, size: int = 1) -> ParsedEntry:
    return ParsedEntry(key=key, title=f"Tin {key} " + "T" * size, link=None, summary="S" * size,
                       published=None)


async def _one_batch(writer: StoreWriter, *jobs: tuple[Any, ...]) -> list[object]:
    """Queue `jobs` while the writer is busy, so that they share one transaction."""
    busy = asyncio.ensure_future(writer.call(time.sleep, 0.3))
    await asyncio.sleep(0.05)
    calls = [asyncio.ensure_future(writer.call(*job)) for job in jobs]
    results = await asyncio.gather(busy, *calls, return_exceptions=True)
    return list(results[1:])


def test_a_failing_feed_leaves_the_others_of_its_batch(store: Store) -> None:
    def broken(url: str) -> None:
        store.ingest(url, [entry("x")])
        raise ValueError("bad feed")

    async def main() -> list[object]:
        writer = StoreWriter(store)
        try:
            return await _one_batch(writer, (store.ingest, FEEDS[0].url, [entry("a")]),
                                    (broken, FEEDS[1].url),
                                    (store.ingest, FEEDS[2].url, [entry("c")]))
        finally:
            writer.close()

    a, b, c = asyncio.run(main())
    assert a == 1 and c == 1 and isinstance(b, ValueError)
    assert sorted(x.title for x in store.page(ArticleQuery(), 0, 10)) == ["Tin a T", "Tin c T"]


def test_a_fault_that_rolls_back_the_batch_is_reported_by_its_own_feed(store: Store) -> None:
    conn = store._conn  # noqa: SLF001
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 40}")  # room for small feeds, not for b

    async def main() -> list[object]:
        writer = StoreWriter(store)
        try:
            return await _one_batch(
                writer, (store.ingest, FEEDS[0].url, [entry("a")]),
                (store.ingest, FEEDS[1].url, [entry(f"b{i}", 5000) for i in range(200)]),
                (store.ingest, FEEDS[2].url, [entry("c")]))
        finally:
            writer.close()

    a, b, c = asyncio.run(main())
    conn.execute("PRAGMA max_page_count = 1073741823")
    assert a == 1 and c == 1, (a, c)  # stored again, each in a transaction of its own
    assert isinstance(b, StoreError) and "full" in str(b), b
    assert sorted(x.title for x in store.page(ArticleQuery(), 0, 10)) == ["Tin a T", "Tin c T"]
    assert not conn.in_transaction


def test_close_waits_for_the_thread_through_ctrl_c(store: Store) -> None:
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    async def main() -> StoreWriter:
        writer = StoreWriter(store)
        started = asyncio.ensure_future(writer.call(time.sleep, 0.4))
        await asyncio.sleep(0.05)  # the slow job is running; queue more behind it
        for i in range(5):
            asyncio.ensure_future(writer.call(store.ingest, FEEDS[0].url, [entry(f"q{i}")]))
        await asyncio.sleep(0)
        old = signal.signal(signal.SIGALRM, interrupt)
        signal.setitimer(signal.ITIMER_REAL, 0.1)  # Ctrl-C while close() waits
        try:
            with pytest.raises(KeyboardInterrupt):
                writer.close(abandon=True)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        started.cancel()
        return writer

    writer = asyncio.run(main())
    assert writer._done.is_set()  # noqa: SLF001  (the thread has left the connection)
    assert store.count(ArticleQuery()) == 0  # the jobs not started were dropped
    store.ingest(FEEDS[0].url, [entry("after")])  # the connection is whole
    assert store.count(ArticleQuery()) == 1


def test_the_writers_rows_keep_their_references_and_the_cache_enforces_them_again(
        store: Store) -> None:
    """The writer leaves SQLite's foreign-key checks off while it runs (ingest's rows reference
    what it has just read or written): what it stores must still pass them, and once it closes
    the connection checks and cascades again."""
    conn = store._conn  # noqa: SLF001

    def enforced() -> int:
        return int(conn.execute("PRAGMA foreign_keys").fetchone()[0])

    async def main() -> list[object]:
        writer = StoreWriter(store)
        try:
            return await _one_batch(
                writer, (store.ingest, FEEDS[0].url, [entry("a"), entry("shared")]),
                (store.ingest, FEEDS[1].url, [entry("shared"), entry("b")]),
                (enforced,))
        finally:
            writer.close()

    a, b, during = asyncio.run(main())
    assert (a, b, during) == (2, 1, 0)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert enforced() == 1
    shared = conn.execute("SELECT id FROM articles WHERE key = 'shared'").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM article_feeds WHERE article_id = ?",
                        (shared,)).fetchone()[0] == 2
    conn.execute("DELETE FROM articles WHERE id = ?", (shared,))  # cascades again
    for table in ("article_feeds", "article_categories", "search_pending"):
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE article_id = ?",
                            (shared,)).fetchone()[0] == 0, table
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO article_feeds (article_id, feed_id) VALUES (?, 1)", (shared,))


def _commits(store: Store) -> list[str]:
    """The COMMITs the store's connection runs from now on (on any thread)."""
    seen: list[str] = []
    store._conn.set_trace_callback(  # noqa: SLF001
        lambda sql: seen.append(sql) if sql.strip().upper() == "COMMIT" else None)
    return seen


async def _spaced(writer: StoreWriter, keys: list[str]) -> list[object]:
    """One ingest call per key, 50 ms apart (as parsed feeds arrive), then their results."""
    calls = []
    for i, key in enumerate(keys):
        calls.append(asyncio.ensure_future(
            writer.call(writer.store.ingest, FEEDS[i % 3].url, [entry(key)], articles=1)))
        await asyncio.sleep(0.05)
    return list(await asyncio.gather(*calls))


def test_feeds_arriving_apart_share_a_transaction_while_more_are_due(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StoreWriter, "LINGER", 5.0)
    commits = _commits(store)

    async def main() -> tuple[list[object], float]:
        writer = StoreWriter(store, jobs=3)
        try:
            started = time.monotonic()
            results = await _spaced(writer, ["a", "b", "c"])
            return results, time.monotonic() - started
        finally:
            writer.close()

    results, took = asyncio.run(main())
    assert results == [1, 1, 1]
    assert len(commits) == 1, commits
    assert took < 2.5  # the third was the last one due: nobody waited out the 5 s
    assert store.count(ArticleQuery()) == 3


def test_without_a_count_of_calls_each_arrival_commits_alone(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StoreWriter, "LINGER", 5.0)
    commits = _commits(store)

    async def main() -> list[object]:
        writer = StoreWriter(store)
        try:
            return await _spaced(writer, ["a", "b", "c"])
        finally:
            writer.close()

    assert asyncio.run(main()) == [1, 1, 1]
    assert len(commits) == 3, commits


def test_calls_that_never_come_cost_only_the_wait(store: Store,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Fewer calls than announced (a feed that ended otherwise): the transaction begins once
    the wait is over, and closing the writer stores what came."""
    monkeypatch.setattr(StoreWriter, "LINGER", 0.3)

    async def main() -> list[object]:
        writer = StoreWriter(store, jobs=5)
        try:
            return await _spaced(writer, ["a", "b"])
        finally:
            writer.close()

    assert asyncio.run(main()) == [1, 1]
    assert store.count(ArticleQuery()) == 2
