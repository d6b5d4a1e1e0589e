"""The SQLite cache on real files: schema, ingest, state, lists, locking, damaged files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import Cli

from tui_news import paths, store_file
from tui_news.models import (
    ArticleQuery,
    Block,
    BlockKind,
    FeedConfig,
    FullText,
    ParsedEntry,
    Weather,
)
from tui_news.store import SCHEMA_VERSION, CacheMovedAside, Store, StoreError
from tui_news.store_schema import migrate

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
NEWS = FeedConfig("https://a.vn/thoi-su.rss", "Thời sự", "A thời sự")
BIZ = FeedConfig("https://a.vn/kinh-doanh.rss", "Kinh doanh")
SPORT = FeedConfig("https://b.vn/the-thao.rss", "Thể thao", "B")


def entry(key: str, title: str = "Tiêu đề", *, minutes: int | None = 0, summary: str = "Tóm tắt",
          link: str | None = "auto") -> ParsedEntry:
    """A parsed entry published `minutes` after T0 (None: no date)."""
    return ParsedEntry(
        key=key, title=title, summary=summary,
        link=f"https://a.vn/{key}.html" if link == "auto" else link,
        published=None if minutes is None else T0 + timedelta(minutes=minutes))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "cache.sqlite3"


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    s = Store.open(path)
    s.sync_feeds([NEWS, BIZ, SPORT])
    yield s
    s.close()


def make_cache(path: Path, n: int = 300) -> None:
    """A cache with enough rows to span many pages."""
    s = Store.open(path)
    s.sync_feeds([NEWS])
    s.ingest(NEWS.url, [entry(f"k{i}", f"Bài số {i} " * 5, minutes=i, summary="x" * 300)
                        for i in range(n)])
    s.close()


# --- schema ---------------------------------------------------------------------------------


def test_open_creates_dirs_and_schema(path: Path) -> None:
    s = Store.open(path, busy_timeout=2.5)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 2
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert {"feeds", "articles", "article_feeds", "article_categories", "full_texts", "weather",
            "settings", "search", "search_exact"} <= tables
    assert s._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert s._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 2500
    conn.close()
    s.close()
    # Opening again keeps the data and does not migrate twice.
    again = Store.open(path)
    assert again._version() == SCHEMA_VERSION
    again.close()


def test_newer_schema_is_refused_and_kept(path: Path) -> None:
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer") as info:
        Store.open(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)
    assert path.exists()
    assert not list(path.parent.glob("*.corrupt-*"))


def _old_cache(path: Path, version: int) -> sqlite3.Connection:
    """A cache at schema `version` holding one article (id 1), as an older tui-news left it."""
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, 0, version)
    conn.execute("INSERT INTO articles (key, title, summary, first_seen, sort_time) "
                 "VALUES ('old', 'Bão vào Đà Nẵng', 'Mưa lớn', 1, 1)")
    return conn


def test_migration_from_v1_builds_the_search_index(path: Path) -> None:
    conn = _old_cache(path, 1)
    conn.execute("INSERT INTO full_texts (article_id, json) VALUES (1, ?)",
                 ('{"title": null, "published": null, "blocks": [["paragraph", "Cây đổ"]]}',))
    conn.close()
    s = Store.open(path)
    assert s._version() == SCHEMA_VERSION
    assert s.count(ArticleQuery(search="da nang")) == 1
    assert s.count(ArticleQuery(search="Đà Nẵng mưa")) == 1
    assert s.count(ArticleQuery(search="cay do")) == 1  # stored full text indexed too
    assert s.full_text(1) is not None
    s.close()


def _indexed_old_cache(path: Path, version: int, body: str = "") -> None:
    """_old_cache with its article in both search indexes, as versions 2 to 5 keep it."""
    conn = _old_cache(path, version)
    conn.execute("INSERT INTO search (rowid, title, summary, body) "
                 "VALUES (1, 'Bao vao Da Nang', 'Mua lon', ?)", (body,))
    conn.execute("INSERT INTO search_exact (rowid, words) VALUES (1, 'bão vào đà nẵng mưa lớn')")
    conn.close()


def test_migration_to_v6_keeps_the_index_and_adds_prefixes(path: Path) -> None:
    _indexed_old_cache(path, 5, body="Cay do o Can Tho")
    s = Store.open(path)
    assert s._version() == SCHEMA_VERSION >= 6
    sql = s._conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'search'").fetchone()[0]
    assert "prefix = '3 4 5'" in sql
    assert not s._conn.execute("SELECT 1 FROM sqlite_schema WHERE name LIKE 'search_v5%'"
                               ).fetchall()
    for query in ("Đà Nẵng", "nan", "cay do", "thơ", "mua lon"):  # title, body, prefixes
        assert s.count(ArticleQuery(search=query)) == 1, query
    assert s.count(ArticleQuery(search="thoi")) == 0
    s.close()


def test_a_long_upgrade_is_announced_before_it_runs(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big cache of an older schema: the command says it is upgrading (the index rebuild
    takes a while), once; a current cache, a small one or no cache says nothing."""
    monkeypatch.setattr(store_file, "LONG_UPGRADE_BYTES", 64 * 1024)
    db = paths.database(cli.data_dir)
    assert not Store.long_upgrade_due(db)  # no cache yet
    conn = _old_cache(db, 5)
    conn.executemany("INSERT INTO articles (key, title, summary, first_seen, sort_time) "
                     "VALUES (?, ?, 'Mưa lớn', 1, 1)",
                     [(f"k{n}", f"Bão số {n} vào Đà Nẵng " * 20) for n in range(400)])
    conn.close()
    assert db.stat().st_size >= 64 * 1024 and Store.long_upgrade_due(db)
    first = cli("articles", "--lang", "en")
    assert first.status == 0, first.err
    assert first.err.startswith(f"tui-news: Upgrading the cache {db} (once; this may take")
    assert not Store.long_upgrade_due(db)
    again = cli("articles")
    assert again.status == 0 and "cache" not in again.err and "bộ nhớ đệm" not in again.err
    monkeypatch.setattr(store_file, "LONG_UPGRADE_BYTES", 64 * 1024 * 1024)
    small = _old_cache(db.parent / "small" / "cache.sqlite3", 5)
    small.close()
    assert not Store.long_upgrade_due(db.parent / "small" / "cache.sqlite3")


def test_migration_from_v3_leaves_nothing_waiting_for_the_index(path: Path) -> None:
    _indexed_old_cache(path, 3)
    s = Store.open(path)
    assert s._version() == SCHEMA_VERSION >= 4
    assert not s.pending_search()
    assert s.count(ArticleQuery(search="Đà Nẵng")) == 1
    s.close()


# --- ingest and state -------------------------------------------------------------------------


def test_article_from_two_feeds_is_stored_once(store: Store) -> None:
    assert store.ingest(BIZ.url, [entry("same", "Giá vàng tăng")]) == 1
    assert store.ingest(NEWS.url, [entry("same", "Giá vàng tăng")]) == 0
    assert store.count(ArticleQuery()) == 1
    (article,) = store.page(ArticleQuery(), 0, 10)
    assert article.categories == ("Thời sự", "Kinh doanh")  # config order, not arrival order
    assert article.feed_title == "A thời sự" and article.feed_url == NEWS.url
    assert store.ids(ArticleQuery(category="Thời sự")) == [article.id]
    assert store.ids(ArticleQuery(category="Kinh doanh")) == [article.id]
    assert store.ids(ArticleQuery(category="Thể thao")) == []
    store.set_read([article.id])
    for category in ("Thời sự", "Kinh doanh"):
        assert store.count(ArticleQuery(category=category, unread_only=True)) == 0
    assert store.counts().by_category == {"Thời sự": 0, "Kinh doanh": 0, "Thể thao": 0}
    assert store.feed_state(BIZ.url).article_count == 1  # type: ignore[union-attr]


def test_reingest_updates_text_but_never_state(store: Store) -> None:
    store.ingest(NEWS.url, [entry("a", "Cũ", minutes=5), entry("b", minutes=6)])
    a, b = store.ids(ArticleQuery())[::-1]
    store.set_read([a])
    store.set_starred([a, b])
    store.set_read([b], read=True)
    store.set_read([b], read=False)
    new = store.ingest(NEWS.url, [entry("a", "Mới", minutes=7, summary="Khác"),
                                  entry("b", minutes=None, link=None)])
    assert new == 0
    got_a, got_b = store.article(a), store.article(b)
    assert got_a is not None and got_b is not None
    assert (got_a.title, got_a.summary, got_a.read, got_a.starred) == ("Mới", "Khác", True, True)
    assert got_a.published == T0 + timedelta(minutes=7)
    # A later copy without date or link keeps the ones we had.
    assert got_b.published == T0 + timedelta(minutes=6) and got_b.link == "https://a.vn/b.html"
    assert (got_b.read, got_b.starred) == (False, True)
    assert got_a.published is not None and got_a.published.tzinfo is not None
    # The denormalised category rows follow the new sort time and the state.
    assert store.ids(ArticleQuery(category="Thời sự")) == [a, b]
    assert store.ids(ArticleQuery(category="Thời sự", unread_only=True)) == [b]


def test_duplicate_keys_in_one_batch(store: Store) -> None:
    assert store.ingest(NEWS.url, [entry("x", "Một"), entry("x", "Hai")]) == 1
    assert [a.title for a in store.page(ArticleQuery(), 0, 5)] == ["Một"]


def test_record_fetch_keeps_validators(store: Store) -> None:
    when = T0 + timedelta(hours=1)
    store.record_fetch(NEWS.url, status="ok", etag='"v1"', last_modified="Sat, 01 Mar 2026",
                       body_hash="h1", feed_title="VnExpress", fetched_at=when)
    store.record_fetch(NEWS.url, status="not-modified", fetched_at=when + timedelta(hours=1))
    state = store.feed_state(NEWS.url)
    assert state is not None
    assert (state.etag, state.last_modified, state.body_hash) == ('"v1"', "Sat, 01 Mar 2026", "h1")
    assert state.last_status == "not-modified"
    assert state.last_fetched == when + timedelta(hours=1)
    retry = when + timedelta(hours=3)
    store.record_fetch(NEWS.url, status="error", error="HTTP 503", retry_after=retry)
    state = store.feed_state(NEWS.url)
    assert state is not None
    assert (state.etag, state.body_hash, state.last_error) == ('"v1"', "h1", "HTTP 503")
    assert state.retry_after == retry and state.last_status == "error"
    assert state.title == "A thời sự"  # the configured title wins over the feed's own
    biz = store.feed_state(BIZ.url)
    store.record_fetch(BIZ.url, status="ok", feed_title="Kinh doanh - VnE")
    assert biz is not None and biz.title is None
    assert store.feed_state(BIZ.url).title == "Kinh doanh - VnE"  # type: ignore[union-attr]
    # A 200 without validators clears the old ones (they describe a body we no longer have).
    store.record_fetch(NEWS.url, status="ok", body_hash="h2")
    state = store.feed_state(NEWS.url)
    assert state is not None and (state.etag, state.body_hash, state.last_error) == (
        None, "h2", None)


def test_sync_feeds_order_inactive_and_category_change(store: Store) -> None:
    store.ingest(SPORT.url, [entry("s1")])
    store.sync_feeds([FeedConfig(BIZ.url, "Tiền"), NEWS])
    assert [f.url for f in store.feeds()] == [BIZ.url, NEWS.url]
    assert [f.url for f in store.feeds(active_only=False)] == [BIZ.url, NEWS.url, SPORT.url]
    # Articles of a removed feed stay readable.
    assert store.count(ArticleQuery()) == 1
    store.ingest(BIZ.url, [entry("b1")])
    store.sync_feeds([FeedConfig(BIZ.url, "Kinh tế"), NEWS])
    assert store.count(ArticleQuery(category="Tiền")) == 0
    assert store.count(ArticleQuery(category="Kinh tế")) == 1
    b1 = store.ids(ArticleQuery(category="Kinh tế"))[0]
    assert store.article(b1).categories == ("Kinh tế",)  # type: ignore[union-attr]


def test_ingest_for_unknown_feed_creates_it(store: Store) -> None:
    assert store.ingest("https://new.vn/rss", [entry("n")]) == 1
    state = store.feed_state("https://new.vn/rss")
    assert state is not None and state.article_count == 1
    assert store.article(store.ids(ArticleQuery())[0]).categories == ()  # type: ignore[union-attr]


# --- lists ------------------------------------------------------------------------------------


def test_page_order_newest_first_ties_by_id(store: Store) -> None:
    seen = T0 + timedelta(minutes=30)
    store.ingest(NEWS.url, [entry("old", minutes=1), entry("tie1", minutes=10),
                            entry("tie2", minutes=10), entry("nodate", minutes=None)],
                 seen_at=seen)
    store.ingest(SPORT.url, [entry("new", minutes=20)], seen_at=seen)
    titles = [a.id for a in store.page(ArticleQuery(), 0, 10)]
    by_key = dict(zip(["old", "tie1", "tie2", "nodate", "new"], range(1, 6), strict=True))
    assert titles == [by_key[k] for k in ("nodate", "new", "tie2", "tie1", "old")]
    nodate = store.article(by_key["nodate"])
    assert nodate is not None and nodate.published is None and nodate.sort_time == seen
    assert [a.id for a in store.page(ArticleQuery(), 1, 2)] == titles[1:3]
    assert store.page(ArticleQuery(), 10, 5) == []
    ids = store.ids(ArticleQuery())
    assert ids == titles and all(type(i) is int for i in ids)
    assert store.ids(ArticleQuery(category="Thể thao")) == [by_key["new"]]
    assert [a.id for a in store.articles([by_key["old"], 999, by_key["new"]])] == [
        by_key["old"], by_key["new"]]


def test_filters_and_counts(store: Store) -> None:
    store.ingest(NEWS.url, [entry(f"n{i}", minutes=i) for i in range(5)])
    store.ingest(BIZ.url, [entry("n0"), entry("b1")])
    ids = store.ids(ArticleQuery())
    assert store.set_read(ids[:2]) == 2
    assert store.set_read(ids[:2]) == 0  # already read: nothing changed
    assert store.set_starred([ids[0], ids[-1]]) == 2
    counts = store.counts(["Thời sự", "Kinh doanh", "Không có"])
    assert (counts.total, counts.unread, counts.starred) == (6, 4, 2)
    assert counts.by_category == {"Thời sự": 3, "Kinh doanh": 2, "Không có": 0}
    assert store.count(ArticleQuery(starred_only=True)) == 2
    assert store.count(ArticleQuery(unread_only=True, starred_only=True)) == 1
    assert store.count(ArticleQuery(category="Thời sự", starred_only=True)) == 2
    assert store.count(ArticleQuery(category="Kinh doanh", starred_only=True)) == 1
    assert store.ids(ArticleQuery(unread_only=True)) == ids[2:]
    assert store.counts().by_category == {"Thời sự": 3, "Kinh doanh": 2, "Thể thao": 0}


def test_mark_all_read_for_one_category(store: Store) -> None:
    store.ingest(NEWS.url, [entry("n1"), entry("both")])
    store.ingest(BIZ.url, [entry("both"), entry("b1")])
    store.ingest(SPORT.url, [entry("s1")])
    assert store.mark_all_read(ArticleQuery(category="Kinh doanh")) == 2
    assert store.mark_all_read(ArticleQuery(category="Kinh doanh")) == 0
    counts = store.counts()
    assert counts.unread == 2
    assert counts.by_category == {"Thời sự": 1, "Kinh doanh": 0, "Thể thao": 1}
    assert store.mark_all_read(ArticleQuery()) == 2
    assert store.counts().unread == 0


def test_many_articles_list_and_count(path: Path) -> None:
    s = Store.open(path)
    s.sync_feeds([NEWS, BIZ])
    for base in range(0, 20_000, 500):
        feed = NEWS.url if base % 1000 == 0 else BIZ.url
        s.ingest(feed, [entry(f"k{i}", f"Tin {i}", minutes=i) for i in range(base, base + 500)])
    assert s.count(ArticleQuery()) == 20_000
    assert s.count(ArticleQuery(category="Thời sự")) == 10_000
    page = s.page(ArticleQuery(), 19_990, 50)
    assert [a.title for a in page] == [f"Tin {i}" for i in range(9, -1, -1)]
    s.set_read(s.ids(ArticleQuery(category="Kinh doanh"))[:2500])
    counts = s.counts()
    assert (counts.total, counts.unread) == (20_000, 17_500)
    assert counts.by_category == {"Thời sự": 10_000, "Kinh doanh": 7_500}
    assert len(s.ids(ArticleQuery(unread_only=True))) == 17_500
    s.close()


# --- full text, weather, settings, upkeep -----------------------------------------------------


def test_full_text_round_trip_and_queue(store: Store) -> None:
    store.ingest(NEWS.url, [entry("a", minutes=1), entry("b", minutes=2), entry("c", minutes=3),
                            entry("nolink", minutes=4, link=None),
                            entry("ftp", minutes=5, link="ftp://a.vn/x")], seen_at=T0)
    a, b, c = store.ids(ArticleQuery())[-1:-4:-1]
    assert store.ids_without_full_text() == [c, b, a]
    full = FullText(title="T", published=T0,
                    blocks=(Block(BlockKind.LEAD, "Mở đầu"), Block(BlockKind.PARAGRAPH, "Đoạn"),
                            Block(BlockKind.CAPTION, "Ảnh")),
                    links=("https://a.vn/x",), source_url="https://a.vn/b.html")
    store.save_full_text(b, full)
    assert store.full_text(b) == full
    assert store.full_text(a) is None
    assert store.article(b).has_full_text  # type: ignore[union-attr]
    assert store.ids_without_full_text() == [c, a]
    assert store.ids_without_full_text(limit=1) == [c]
    # `since` selects by first-seen time: what a refresh that started then brought in
    store.ingest(NEWS.url, [entry("d", minutes=6)], seen_at=T0 + timedelta(days=1))
    (d,) = [i for i in store.ids(ArticleQuery()) if i not in (a, b, c)][:1]
    assert store.ids_without_full_text(since=T0 + timedelta(days=1)) == [d]
    store.save_full_text(12345, full)  # a purged article: ignored, no error
    assert store.full_text(12345) is None


def test_weather_keeps_last_good(store: Store) -> None:
    good = Weather("Hà Nội", 28.5, 3, True, T0, T0 + timedelta(minutes=1))
    store.save_weather([good, Weather("Huế", None, None, None, None, None)])
    store.save_weather([Weather("Hà Nội", None, None, None, None, T0 + timedelta(hours=1))])
    got = store.weather(["Huế", "Hà Nội"])
    assert got == [Weather("Huế", None, None, None, None, None), good]


def test_settings(store: Store) -> None:
    assert store.setting("theme") is None
    store.set_setting("theme", "dark")
    store.set_setting("theme", "light")
    assert store.setting("theme") == "light"


def test_purge_keeps_starred_and_recent(store: Store) -> None:
    store.ingest(NEWS.url, [entry("old1"), entry("old2")], seen_at=T0)
    store.ingest(BIZ.url, [entry("recent")], seen_at=T0 + timedelta(days=29))
    old1, old2, _recent = sorted(store.ids(ArticleQuery()))
    store.set_starred([old2])
    store.save_full_text(old1, FullText(None, None, (Block(BlockKind.PARAGRAPH, "x"),)))
    assert store.purge(7, now=T0 + timedelta(days=30)) == 1
    assert store.article(old1) is None and store.full_text(old1) is None
    assert store.article(old2) is not None
    assert store.counts().total == 2
    assert store._conn.execute("SELECT count(*) FROM article_categories").fetchone()[0] == 2
    store.compact()
    assert store.counts().total == 2 and store.integrity_ok()


def test_readonly_open(path: Path, store: Store) -> None:
    store.ingest(NEWS.url, [entry("a")])
    ro = Store.open(path, readonly=True)
    assert ro.count(ArticleQuery()) == 1
    with pytest.raises(StoreError, match="read-only"):
        ro.set_setting("x", "y")
    ro.close()
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(path.with_name("missing.sqlite3"), readonly=True)


# --- faults -----------------------------------------------------------------------------------


def test_data_dir_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    target = blocker / "data" / "cache.sqlite3"
    with pytest.raises(StoreError) as info:
        Store.open(target)
    assert str(blocker / "data") in str(info.value)
    assert blocker.read_text() == "not a directory"


def test_read_only_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "ro"
    data.mkdir()
    data.chmod(0o555)
    try:
        if os.access(data, os.W_OK):
            pytest.skip("running as root: a 555 directory is still writable")
        with pytest.raises(StoreError, match="not writable") as info:
            Store.open(data / "cache.sqlite3")
        assert str(data) in str(info.value)
    finally:
        data.chmod(0o755)


def test_cache_path_is_a_directory(path: Path) -> None:
    path.mkdir(parents=True)
    with pytest.raises(StoreError, match="not a regular file"):
        Store.open(path)


def _assert_moved_aside(path: Path, original: bytes, *, full_check: bool = False) -> None:
    with pytest.raises(CacheMovedAside) as info:
        Store.open(path, full_check=full_check)
    exc = info.value
    assert exc.broken == path
    assert exc.moved_to.parent == path.parent and ".corrupt-" in exc.moved_to.name
    assert exc.moved_to.read_bytes() == original  # never deleted, never changed
    assert str(path) in str(exc) and str(exc.moved_to) in str(exc)
    fresh = exc.store
    assert fresh.count(ArticleQuery()) == 0
    fresh.sync_feeds([NEWS])
    assert fresh.ingest(NEWS.url, [entry("a")]) == 1
    fresh.close()
    reopened = Store.open(path)  # the new file is healthy
    assert reopened.count(ArticleQuery()) == 1
    reopened.close()


def test_corrupt_random_bytes(path: Path) -> None:
    path.parent.mkdir(parents=True)
    junk = os.urandom(64 * 1024)
    path.write_bytes(junk)
    _assert_moved_aside(path, junk)


def test_corrupt_truncated(path: Path) -> None:
    make_cache(path)
    data = path.read_bytes()
    assert len(data) > 40_000
    path.write_bytes(data[: len(data) // 2])
    _assert_moved_aside(path, data[: len(data) // 2])


def test_corrupt_truncated_header(path: Path) -> None:
    make_cache(path)
    data = path.read_bytes()[:60]
    path.write_bytes(data)
    _assert_moved_aside(path, data)


def test_corrupt_scribbled_schema_page(path: Path) -> None:
    make_cache(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = os.urandom(4096 - 100)  # page 1 after the header: the schema table
    path.write_bytes(bytes(data))
    _assert_moved_aside(path, bytes(data))


def test_corrupt_scribbled_header(path: Path) -> None:
    make_cache(path)
    data = bytearray(path.read_bytes())
    data[0:16] = b"scribbled-header"
    path.write_bytes(bytes(data))
    _assert_moved_aside(path, bytes(data))


def _scribble_middle(path: Path) -> bytes:
    data = bytearray(path.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle : middle + page] = os.urandom(page)
    path.write_bytes(bytes(data))
    return bytes(data)


def test_corrupt_scribbled_data_page_with_full_check(path: Path) -> None:
    make_cache(path, 2000)
    _assert_moved_aside(path, _scribble_middle(path), full_check=True)


def test_damage_found_later_is_checked_at_next_open(path: Path) -> None:
    make_cache(path, 2000)
    data = bytearray(path.read_bytes())
    # Scribble the table page holding one article's row (its title, as stored, is unique bytes).
    at = data.index("Bài số 1000 ".encode())
    page = at // 4096 * 4096
    data[page : page + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))
    s = Store.open(path)  # the cheap probe does not read every page
    with pytest.raises(StoreError, match="damaged") as info:
        for offset in range(0, 2000, 100):
            s.page(ArticleQuery(), offset, 100)
    assert str(path) in str(info.value)
    s.close()
    # The next open checks every page and moves the file aside.
    _assert_moved_aside(path, bytes(data))
    assert not list(path.parent.glob("*.needs-check"))


def test_integrity_check_flags_a_damaged_page(path: Path) -> None:
    make_cache(path, 2000)
    damaged = _scribble_middle(path)
    s = Store.open(path)
    assert not s.integrity_ok()
    s.close()
    _assert_moved_aside(path, damaged)


def test_two_stores_write_concurrently(path: Path) -> None:
    """A cron refresh and the reader, each with its own connection, lose no write."""
    reader = Store.open(path)
    reader.sync_feeds([NEWS])
    reader.ingest(NEWS.url, [entry(f"r{i}") for i in range(200)])
    ids = reader.ids(ArticleQuery())
    errors: list[BaseException] = []

    def refresh() -> None:
        try:
            cron = Store.open(path)
            for batch in range(40):
                cron.ingest(NEWS.url, [entry(f"c{batch}-{i}") for i in range(25)])
            cron.close()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    worker = threading.Thread(target=refresh)
    worker.start()
    for i in ids:
        reader.set_read([i])
        if i % 2:
            reader.set_starred([i])
    worker.join()
    assert errors == []
    counts = reader.counts()
    assert (counts.total, counts.unread, counts.starred) == (1200, 1000, 100)
    reader.close()


LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO settings (key, value) VALUES ('locker', 'x')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", LOCKER, str(path), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_lock_held_longer_than_timeout(path: Path) -> None:
    Store.open(path).close()
    proc = _hold_lock(path, 5)
    try:
        s = Store.open(path, busy_timeout=0.5)
        assert s.setting("theme") is None  # reading works while another process writes
        start = time.monotonic()
        with pytest.raises(StoreError, match="locked by another process") as info:
            s.set_setting("theme", "dark")
        waited = time.monotonic() - start
        assert 0.4 <= waited < 4
        assert str(path) in str(info.value) and "\n" not in str(info.value)
        s.close()
    finally:
        proc.kill()
        proc.wait()


def test_lock_held_shorter_than_timeout(path: Path) -> None:
    Store.open(path).close()
    proc = _hold_lock(path, 0.5)
    try:
        s = Store.open(path, busy_timeout=5)
        s.set_setting("theme", "dark")  # waits for the other writer, then succeeds
        assert s.setting("theme") == "dark" and s.setting("locker") == "x"
        s.close()
    finally:
        proc.wait(timeout=10)


def test_a_batch_keeps_each_write_all_or_nothing(store: Store) -> None:
    """Store.batch (the refresh's writer): one transaction, each write still its own savepoint."""
    with store.batch():
        assert store.ingest(NEWS.url, [entry("a"), entry("b")]) == 2
        with pytest.raises(StoreError):
            store.ingest(NEWS.url, [entry("c"), _Broken()])  # type: ignore[list-item]
        store.record_fetch(NEWS.url, status="ok", etag='"1"')
    assert {a.title for a in store.page(ArticleQuery(), 0, 10)} == {"Tiêu đề"}
    assert store.count(ArticleQuery()) == 2  # "c" went with the failed write, "a" and "b" stayed
    state = store.feed_state(NEWS.url)
    assert state is not None and state.etag == '"1"'


class _Broken:
    """An entry whose title SQLite cannot bind: the ingest fails half way."""

    key = "broken"
    title = object()
    link = None
    summary = ""
    published = None
    author = None
    former_key = None


def test_a_new_cache_gets_the_prefix_indexes(path: Path) -> None:
    with Store.open(path) as s:
        sql = s._conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'search'").fetchone()[0]
        assert "prefix = '3 4 5'" in sql
