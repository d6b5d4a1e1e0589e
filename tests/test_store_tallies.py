"""The unread tallies of schema v7 (what Store.counts reads) against a plain count of the rows,
after every way the cache's articles and their state change: ingest (duplicates included),
marks, mark-all and its undo, the reader's mark queue, a sync, filters, a feed moved to another
category, retention and compact; and the upgrade of a v6 cache."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tui_news.mark_queue import MarkQueue
from tui_news.models import ArticleQuery, Counts, FeedConfig, Filter, ParsedEntry
from tui_news.store import SCHEMA_VERSION, Store
from tui_news.store_schema import migrate
from tui_news.store_sync import ServerEntry, ServerFeed, SyncStore

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
NEWS = FeedConfig("https://a.vn/thoi-su.rss", "Thời sự")
WORLD = FeedConfig("https://a.vn/the-gioi.rss", "Thời sự")  # a second feed of one category
BIZ = FeedConfig("https://b.vn/kinh-doanh.rss", "Kinh doanh")
LOOSE = FeedConfig("https://c.vn/tong-hop.rss", "")  # no category
FEEDS = [NEWS, WORLD, BIZ, LOOSE]
CATEGORIES = ["Thời sự", "Kinh doanh", "Thể thao"]


TITLES = {"n1": "Bão vào Đà Nẵng", "n3": "Bão vào Đà Nẵng", "n0": "Giá vàng", "b0": "Giá vàng"}


def entry(key: str, title: str = "", *, minutes: int = 0) -> ParsedEntry:
    return ParsedEntry(key=key, title=title or TITLES.get(key, "Tin"),
                       link=f"https://a.vn/{key}.html", summary="Tóm tắt",
                       published=T0 + timedelta(minutes=minutes))


def counted(store: Store, categories: Sequence[str], searches: Sequence[str] = ()) -> Counts:
    """What Store.counts returned before v7: every row counted (less what the filters hide)."""
    conn = store._conn
    store._hide()
    hide = " AND {} NOT IN (SELECT article_id FROM temp.hidden)" if store._filters else ""

    def one(sql: str, column: str, *params: object) -> int:
        return int(conn.execute(sql + hide.format(column), params).fetchone()[0])

    by_feed = dict(conn.execute(
        "SELECT f.url, count(*) FROM articles a JOIN article_feeds af ON af.article_id = a.id "
        "JOIN feeds f ON f.id = af.feed_id WHERE a.read = 0" + hide.format("a.id")
        + " GROUP BY f.url"))
    return Counts(
        total=one("SELECT count(*) FROM articles WHERE 1", "id"),
        unread=one("SELECT count(*) FROM articles WHERE read = 0", "id"),
        starred=one("SELECT count(*) FROM articles WHERE starred = 1", "id"),
        by_category={c: one("SELECT count(*) FROM article_categories WHERE category = ? "
                            "AND read = 0", "article_id", c) for c in categories},
        by_search={q: store.count(ArticleQuery(search=q, unread_only=True)) for q in searches},
        by_feed=by_feed)


def assert_exact(store: Store, searches: Sequence[str] = ()) -> Counts:
    """The tallies equal a count of the rows, and so do the counts (filters applied)."""
    conn = store._conn
    assert conn.execute("SELECT total, unread, starred FROM tally").fetchone() == conn.execute(
        "SELECT count(*), coalesce(sum(read = 0), 0), coalesce(sum(starred = 1), 0) "
        "FROM articles").fetchone()
    assert dict(conn.execute("SELECT category, unread FROM category_unread WHERE unread != 0")
                ) == dict(conn.execute("SELECT category, count(*) FROM article_categories "
                                       "WHERE read = 0 GROUP BY category"))
    assert dict(conn.execute("SELECT id, unread FROM feeds WHERE unread != 0")) == dict(
        conn.execute("SELECT af.feed_id, count(*) FROM article_feeds af JOIN articles a "
                     "ON a.id = af.article_id WHERE a.read = 0 GROUP BY af.feed_id"))
    counts = store.counts(CATEGORIES, searches=searches, feeds=True)
    assert counts == counted(store, CATEGORIES, searches)
    return counts


def fill(store: Store) -> list[int]:
    """Ten articles over four feeds, some in two feeds, duplicate guids in one feed."""
    store.ingest(NEWS.url, [entry(f"n{i}", minutes=i) for i in range(5)]
                 + [entry("n0", "Bản sau")])  # a duplicate guid: the first wins
    store.ingest(WORLD.url, [entry("n1"), entry("n2"), entry("w0", minutes=9)])  # shared
    store.ingest(BIZ.url, [entry("n3"), entry("b0"), entry("b1")])
    store.ingest(LOOSE.url, [entry("l0"), entry("b1"), entry("l1", minutes=30)])
    return store.ids(ArticleQuery())


def test_ingest_and_every_mark_keep_the_tallies_exact(store: Store) -> None:
    ids = fill(store)
    counts = assert_exact(store, searches=["da nang"])
    assert (counts.total, counts.unread) == (len(ids), len(ids)) == (10, 10)
    assert counts.by_category == {"Thời sự": 6, "Kinh doanh": 3, "Thể thao": 0}
    assert counts.by_feed[WORLD.url] == 3 and counts.by_search == {"da nang": 2}
    # The same feed again, one article changed (a new date moves it), one new.
    store.ingest(NEWS.url, [entry("n0", "Sửa", minutes=50), entry("n1"), entry("n5")])
    assert assert_exact(store).unread == 11
    store.set_read(ids[:4])
    store.set_read(ids[:6])  # two more; four already read
    store.set_starred(ids[::3])
    assert assert_exact(store).unread == 5
    store.set_read(ids[1:3], read=False)
    store.set_starred(ids[:1], starred=False)
    assert_exact(store)
    marked = store.ids(ArticleQuery("Thời sự", unread_only=True))
    assert store.mark_all_read(ArticleQuery("Thời sự")) == len(marked) > 0
    assert assert_exact(store).by_category["Thời sự"] == 0
    store.set_read(marked, read=False)  # the undo of a mark-all
    assert assert_exact(store).by_category["Thời sự"] == len(marked)
    store.mark_all_read(ArticleQuery(feed=WORLD.url))
    assert_exact(store)
    store.mark_all_read(ArticleQuery())
    assert assert_exact(store).unread == 0
    store.set_read(store.ids(ArticleQuery()), read=False)
    assert assert_exact(store).unread == 11


def test_the_readers_mark_queue_keeps_the_tallies_exact(store: Store) -> None:
    ids = fill(store)
    queue = MarkQueue(store.path, identity=store.identity)
    try:
        queue.set_read(ids[:5])
        queue.set_starred(ids[2:4])
        queue.set_read(ids[1:2], read=False)
        assert queue.flush(10)
    finally:
        queue.close(10)
    assert assert_exact(store).unread == len(ids) - 4


def test_filters_added_and_removed(store: Store) -> None:
    ids = fill(store)
    store.set_read(ids[:3])
    plain = assert_exact(store)
    store.set_filters([Filter("gia vang")])
    hidden = assert_exact(store)
    assert hidden.unread < plain.unread and hidden.total < plain.total
    store.set_filters([Filter("da nang", category="Thời sự"), Filter("tin", feed=LOOSE.url)])
    assert_exact(store)
    store.ingest(BIZ.url, [entry("b9", "Giá vàng lại tăng")])  # new articles: the set again
    store.set_filters([Filter("gia vang")])
    assert assert_exact(store).total == hidden.total
    store.set_filters([])
    assert assert_exact(store).total == plain.total + 1


def test_a_feed_moved_to_another_category_and_a_feed_dropped(store: Store) -> None:
    ids = fill(store)
    store.set_read(ids[::2])
    store.sync_feeds([FeedConfig(NEWS.url, "Thể thao"), WORLD, BIZ, LOOSE])
    assert assert_exact(store).by_category["Thể thao"] > 0
    store.sync_feeds([FeedConfig(NEWS.url, ""), BIZ])  # uncategorised; WORLD, LOOSE inactive
    assert assert_exact(store).by_category["Thể thao"] == 0


def test_retention_and_compact_keep_the_tallies_exact(store: Store) -> None:
    store.ingest(NEWS.url, [entry("old0"), entry("old1"), entry("old2")],
                 seen_at=T0 - timedelta(days=90))
    store.ingest(WORLD.url, [entry("old1"), entry("old2")], seen_at=T0 - timedelta(days=90))
    fill(store)
    old = sorted(store.ids(ArticleQuery()))[:3]
    store.set_read(old[:1])
    store.set_starred(old[2:])  # a starred article stays
    assert store.purge(30, now=T0) == 2
    counts = assert_exact(store)
    assert counts.total == 11 and counts.starred == 1
    store.compact()
    assert assert_exact(store) == counts
    # compact counts them again from the rows: a repair, should anything have bypassed them.
    store._conn.execute("UPDATE tally SET total = 0, unread = 0")
    store._conn.execute("UPDATE feeds SET unread = 5")
    store._conn.execute("DELETE FROM category_unread")
    store.compact()
    assert assert_exact(store) == counts


def test_a_long_feed_is_linked_in_chunks(store: Store) -> None:
    entries = [entry(f"x{i}", minutes=i) for i in range(1234)]
    assert store.ingest(NEWS.url, entries) == 1234
    assert store.ingest(WORLD.url, entries[600:]) == 0
    counts = assert_exact(store)
    assert counts.by_feed == {NEWS.url: 1234, WORLD.url: 634}
    assert counts.by_category["Thời sự"] == counts.unread == 1234


def test_a_sync_keeps_the_tallies_exact(tmp_path: Path) -> None:
    store = SyncStore.open(tmp_path / "cache.sqlite3")
    try:
        store.sync_feeds([BIZ])
        store.use_server("server-a")
        feed = ServerFeed(server_id=7, url=NEWS.url, title="News", category="Thời sự")
        store.store_server_feeds([feed], local_urls=())
        store.ingest(BIZ.url, [entry("https://a.vn/s2.html")])  # also a server item below

        def item(n: int, *, read: bool = False, saved: bool = False) -> ServerEntry:
            return ServerEntry(n, 7, entry(f"https://a.vn/s{n}.html"), read, saved)

        store.store_server_items([item(1), item(2, read=True), item(3, read=True, saved=True),
                                  item(4)], store.server_feed_urls(), since_id=4)
        assert assert_exact(store).unread == 2  # 2 was unread here: read there, read here
        by_server = dict(store._conn.execute("SELECT server_id, article_id FROM sync_items"))
        store.set_read([by_server[1]])  # a mark made here, waiting to be sent
        assert store.apply_server_state(unread={1, 3}, saved={4}) > 0
        assert_exact(store)
        for mark in store.pending_marks():
            store.mark_sent(mark)
        store.apply_server_state(unread={1, 2}, saved=set())
        assert assert_exact(store).unread == 2
        store.store_server_items([item(5), item(1)], store.server_feed_urls(), since_id=5)
        assert_exact(store)
    finally:
        store.close()


def test_upgrade_from_v6_counts_what_is_there(tmp_path: Path) -> None:
    """A v6 cache (as the last release left it) gets its tallies from its rows, its read and
    starred state untouched."""
    path = tmp_path / "cache.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, 0, 6)
    conn.executemany("INSERT INTO feeds (id, url, category, position) VALUES (?, ?, ?, ?)",
                     [(1, NEWS.url, NEWS.category, 0), (2, BIZ.url, BIZ.category, 1),
                      (3, LOOSE.url, "", 2)])
    conn.executemany(
        "INSERT INTO articles (id, key, title, first_seen, sort_time, read, starred) "
        "VALUES (?, ?, 'Tin', 1, ?, ?, ?)",
        [(i, f"k{i}", i, int(i % 3 == 0), int(i % 4 == 0)) for i in range(1, 41)])
    conn.executemany("INSERT OR IGNORE INTO article_feeds (article_id, feed_id) VALUES (?, ?)",
                     [(i, 1 + i % 3) for i in range(1, 41)] + [(i, 1) for i in range(2, 41, 5)])
    state = conn.execute("SELECT id, read, starred FROM articles ORDER BY id").fetchall()
    conn.close()
    store = Store.open(path)
    try:
        assert store._version() == SCHEMA_VERSION == 7
        assert store._conn.execute("SELECT id, read, starred FROM articles ORDER BY id"
                                   ).fetchall() == state
        counts = assert_exact(store)
        assert (counts.total, counts.unread, counts.starred) == (40, 27, 10)
        assert counts.by_category["Thời sự"] > 0 and counts.by_category["Kinh doanh"] > 0
        store.set_read(range(1, 41))
        assert assert_exact(store).unread == 0
    finally:
        store.close()
