"""The SQLite cache: articles stored once, linked to every feed they came from; state; full text.

Opening the file and its transactions live in store_file.py, the schema and migrations in
store_schema.py, query parsing for search in search.py.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from tui_news.models import (
    Article,
    ArticleQuery,
    Counts,
    FeedConfig,
    FeedState,
    Filter,
    FullText,
    ParsedEntry,
    Weather,
)
from tui_news.search import (
    adjacent_expression,
    entry_search_text,
    exact_expression,
    fts_expression,
    parse_query,
    title_expression,
)
from tui_news.search import highlight_spans as highlight_spans
from tui_news.store_file import BatchLost, CacheFile, CacheMovedAside, StoreError, guarded
from tui_news.store_hidden import HIDDEN_IDS, fill_hidden, filter_matches
from tui_news.store_schema import (
    RECATEGORISE,
    SCHEMA_VERSION,
    full_text_from_json,
    full_text_index,
    full_text_to_json,
    recount,
)

__all__ = [
    "SCHEMA_VERSION", "BatchLost", "CacheMovedAside", "Store", "StoreError", "highlight_spans",
]

_K = TypeVar("_K", int, str)
_CHUNK = 500  # ids per IN (...) list; well under SQLite's variable limit
_PURGE_BATCH = 2000  # rows per purge transaction, so a reader's writes never wait long
# A search ranks the newest SEARCH_CANDIDATES of its matches (newest stored, by id) and lists
# those: ranking every match cost seconds at 1,000,000 articles, where a common word matches
# 400,000 of them, while no reader scrolls that far down a list ranked by relevance.
SEARCH_CANDIDATES = 2000


def _epoch(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp())


def _dt(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _chunks(items: Iterable[_K]) -> Iterator[list[_K]]:
    """`items` in lists of at most _CHUNK, for `IN (...)` lists."""
    batch: list[_K] = []
    for item in items:
        batch.append(item)
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _rows(n: int) -> str:
    """`n` one-value rows for `VALUES`."""
    return ",".join(["(?)"] * n)


class Store(CacheFile):
    """The cache's contents: feeds and their fetch state, articles stored once and linked to every
    feed they came from, read and saved state, full text, weather, settings, search.

    Read and starred state are columns of the article and nothing but `set_read`/`set_starred`/
    `mark_all_read` changes them.
    """

    _filters: tuple[Filter, ...] = ()
    _hidden_upto: int | None = None  # the newest article id when the hidden set was computed

    def _feed_id(self, conn: sqlite3.Connection, url: str) -> int:
        """The id of a feed, creating an unconfigured row for a URL not seen before."""
        row = conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
        if row:
            return int(row[0])
        cur = conn.execute(
            "INSERT INTO feeds (url, position, active) "
            "VALUES (?, (SELECT coalesce(max(position), -1) + 1 FROM feeds), 1)", (url,))
        return int(cur.lastrowid or 0)

    # --- feeds -------------------------------------------------------------------------------
    @guarded
    def sync_feeds(self, feeds: Sequence[FeedConfig]) -> None:
        """Make the feeds table match the config (category, configured title, config order).

        Feeds no longer configured are kept (their articles stay readable) but marked inactive.
        """
        with self._write() as conn:
            old = {url: (fid, cat) for fid, url, cat in
                   conn.execute("SELECT id, url, category FROM feeds")}
            # The sync server's feeds are its to keep (store_sync.py), not the config's.
            served = {url for (url,) in
                      conn.execute("SELECT url FROM feeds WHERE server_id IS NOT NULL")}
            seen: set[str] = set()
            recategorise: list[int] = []
            for position, feed in enumerate(feeds):
                if feed.url in seen:
                    continue  # the first mention of a URL wins
                seen.add(feed.url)
                if feed.url in old:
                    fid, category = old[feed.url]
                    conn.execute(
                        "UPDATE feeds SET category = ?, title = ?, position = ?, active = 1 "
                        "WHERE id = ?", (feed.category, feed.title, position, fid))
                    if category != feed.category:
                        recategorise.append(fid)
                else:
                    conn.execute(
                        "INSERT INTO feeds (url, category, title, position, active) "
                        "VALUES (?, ?, ?, ?, 1)", (feed.url, feed.category, feed.title, position))
            gone = [fid for url, (fid, _) in old.items() if url not in seen and url not in served]
            for chunk in _chunks(gone):
                conn.execute(f"UPDATE feeds SET active = 0 WHERE id IN ({_marks(len(chunk))})",
                             chunk)
            for fid in recategorise:
                conn.execute("DELETE FROM article_categories WHERE article_id IN "
                             "(SELECT article_id FROM article_feeds WHERE feed_id = ?)", (fid,))
                conn.execute(RECATEGORISE, (fid,))

    _FEED_COLUMNS = ("url, category, coalesce(title, feed_title), etag, last_modified, body_hash, "
                     "retry_after, last_fetched, last_status, last_error, "
                     "(SELECT count(*) FROM article_feeds af WHERE af.feed_id = feeds.id), "
                     "server_id IS NOT NULL")

    @staticmethod
    def _feed_state(row: Sequence[Any]) -> FeedState:
        return FeedState(url=row[0], category=row[1], title=row[2], etag=row[3],
                         last_modified=row[4], body_hash=row[5], retry_after=_dt(row[6]),
                         last_fetched=_dt(row[7]), last_status=row[8], last_error=row[9],
                         article_count=int(row[10]), from_server=bool(row[11]))

    @guarded
    def feeds(self, *, active_only: bool = True) -> list[FeedState]:
        """Feeds in config order (inactive ones too unless `active_only`)."""
        where = "WHERE active = 1" if active_only else ""
        rows = self._conn.execute(
            f"SELECT {self._FEED_COLUMNS} FROM feeds {where} ORDER BY active DESC, position, id")
        return [self._feed_state(r) for r in rows]

    @guarded
    def server_categories(self) -> list[str]:
        """The categories of the [sync] server's active feeds (its groups), in its order."""
        return [r[0] for r in self._conn.execute(
            "SELECT category FROM feeds WHERE server_id IS NOT NULL AND active = 1 "
            "AND category != '' GROUP BY category ORDER BY min(position)")]

    @guarded
    def feed_state(self, url: str) -> FeedState | None:
        """What we remember about one feed, or None."""
        row = self._conn.execute(f"SELECT {self._FEED_COLUMNS} FROM feeds WHERE url = ?",
                                 (url,)).fetchone()
        return self._feed_state(row) if row else None

    @guarded
    def record_fetch(self, url: str, *, status: str, error: str | None = None,
                     etag: str | None = None, last_modified: str | None = None,
                     body_hash: str | None = None, retry_after: datetime | None = None,
                     feed_title: str | None = None, fetched_at: datetime | None = None) -> None:
        """Store the outcome of one fetch. On "not-modified"/"error" the validators passed as None
        keep their old values (validators survive 304s and failures)."""
        fetched = _epoch(fetched_at or datetime.now(UTC))
        with self._write() as conn:
            fid = self._feed_id(conn, url)
            if status == "ok":
                validators = "etag = ?, last_modified = ?, body_hash = ?"
            else:
                validators = ("etag = coalesce(?, etag), "
                              "last_modified = coalesce(?, last_modified), "
                              "body_hash = coalesce(?, body_hash)")
            conn.execute(
                f"UPDATE feeds SET {validators}, retry_after = ?, "
                "feed_title = coalesce(?, feed_title), last_fetched = ?, last_status = ?, "
                "last_error = ? WHERE id = ?",
                (etag, last_modified, body_hash, _epoch(retry_after), feed_title, fetched, status,
                 error, fid))

    # --- ingest ------------------------------------------------------------------------------
    @guarded
    def ingest(self, feed_url: str, entries: Sequence[ParsedEntry],
               *, seen_at: datetime | None = None) -> int:
        """Insert new articles, update title/summary/link/published of known ones (by key),
        link every entry to the feed. Never touches read/starred. Returns the number of new
        articles. One transaction per call.

        Set-wise: one lookup of the known keys, then executemany for the new rows (row-by-row
        statements cost about three times as much). New articles get their ids in feed order,
        as they did one by one, and wait for the search indexes (index_pending).
        """
        seen = _epoch(seen_at or datetime.now(UTC))
        unique: dict[str, ParsedEntry] = {}
        for entry in entries:
            # Duplicate guids in one feed: the first (usually newest) wins.
            unique.setdefault(entry.key, entry)
        keys = list(unique)
        with self._write() as conn:
            fid = self._feed_id(conn, feed_url)
            self._move_former_keys(conn, unique)
            known: dict[str, Sequence[Any]] = {}
            for chunk in _chunks(keys):
                for row in conn.execute(
                        "SELECT key, id, title, link, summary, author, published, first_seen "
                        f"FROM articles WHERE key IN ({_marks(len(chunk))})", chunk):
                    known[row[0]] = row[1:]
            fresh = [unique[k] for k in keys if k not in known]
            ids: dict[str, int] = {}
            if fresh:
                rows = []
                for entry in fresh:
                    published = _epoch(entry.published)
                    rows.append((entry.key, entry.title, entry.link, entry.summary, entry.author,
                                 published, seen, published if published is not None else seen))
                conn.executemany(
                    "INSERT INTO articles (key, title, link, summary, author, published, "
                    "first_seen, sort_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
                # New articles are unread and not starred. Counted here, not by a trigger
                # (store_schema v7: a trigger on this INSERT costs every row a statement journal).
                conn.execute("UPDATE tally SET total = total + ?, unread = unread + ?",
                             (len(rows), len(rows)))
                for chunk in _chunks([e.key for e in fresh]):
                    ids.update(conn.execute(
                        f"SELECT key, id FROM articles WHERE key IN ({_marks(len(chunk))})",
                        chunk).fetchall())
                # Searchable once index_pending() has run (the next search runs it first).
                conn.executemany("INSERT INTO search_pending (article_id) VALUES (?)",
                                 [(ids[e.key],) for e in fresh])
            for key, row in known.items():
                ids[key] = int(row[0])
                entry = unique[key]
                self._update_known(conn, row, entry, _epoch(entry.published))
            # One statement a chunk, not one a row: the triggers on article_feeds (categories,
            # unread tallies) give each statement a journal of the pages it changes, and a
            # statement a row copied the same pages for every article (a third of ingest's CPU).
            for linked in _chunks([ids[k] for k in keys]):
                conn.execute("INSERT OR IGNORE INTO article_feeds (article_id, feed_id) "
                             f"SELECT column1, ? FROM (VALUES {_rows(len(linked))})",
                             [fid, *linked])
        return len(fresh)

    @staticmethod
    def _move_former_keys(conn: sqlite3.Connection, unique: dict[str, ParsedEntry]) -> None:
        """Articles stored under a key of before #14 (see ParsedEntry.former_key) take their new
        key, with their id and so their read and saved state; the first entry to claim a former
        key gets it (`live.html#u1`, `#u2` were all `live.html`)."""
        moves: dict[str, str] = {}
        for key, entry in unique.items():
            if entry.former_key and entry.former_key not in unique:
                moves.setdefault(entry.former_key, key)
        if not moves:
            return
        for chunk in _chunks(list(moves)):
            found = [row[0] for row in conn.execute(
                f"SELECT key FROM articles WHERE key IN ({_marks(len(chunk))})", chunk)]
            for former in found:
                conn.execute(
                    "UPDATE articles SET key = ? WHERE key = ? AND NOT EXISTS "
                    "(SELECT 1 FROM articles WHERE key = ?)",
                    (moves[former], former, moves[former]))

    # --- the search indexes --------------------------------------------------------------------
    @guarded
    def index_pending(self, *, chunk: int = 500) -> int:
        """Put the articles stored since the last call into the search indexes; how many.

        One short transaction per `chunk` articles (about 45 ms), so a reader's own writes get
        in between. Safe to run from two processes at once: each takes what is still waiting
        inside its transaction.
        """
        done = 0
        while True:
            with self._write() as conn:
                rows = conn.execute(
                    "SELECT p.article_id, a.title, a.summary, f.json FROM search_pending p "
                    "LEFT JOIN articles a ON a.id = p.article_id "
                    "LEFT JOIN full_texts f ON f.article_id = p.article_id "
                    "ORDER BY p.article_id LIMIT ?", (chunk,)).fetchall()
                if not rows:
                    return done
                texts = []
                for article_id, title, summary, raw in rows:
                    if title is None:  # deleted behind the foreign key's back: nothing to index
                        continue
                    folded_title, folded_summary, words = entry_search_text(title, summary)
                    body = full_text_index(full_text_from_json(raw)) if raw else ""
                    texts.append((article_id, folded_title, folded_summary, body, words))
                conn.executemany(
                    "INSERT INTO search (rowid, title, summary, body) VALUES (?, ?, ?, ?)",
                    [t[:4] for t in texts])
                conn.executemany("INSERT INTO search_exact (rowid, words) VALUES (?, ?)",
                                 [(t[0], t[4]) for t in texts])
                conn.executemany("DELETE FROM search_pending WHERE article_id = ?",
                                 [(r[0],) for r in rows])
            done += len(texts)

    def pending_search(self) -> bool:
        """True when some stored articles are not in the search indexes yet."""
        return self._conn.execute("SELECT 1 FROM search_pending LIMIT 1").fetchone() is not None

    def _searchable(self) -> None:
        """Index what is waiting before a search, so that it finds every stored article.

        A cache that cannot be written (read-only, locked past the busy timeout) is searched
        as it is.
        """
        if self._conn.in_transaction or not self.pending_search():
            return
        with contextlib.suppress(StoreError):
            self.index_pending()

    @staticmethod
    def _update_known(conn: sqlite3.Connection, row: Sequence[Any], entry: ParsedEntry,
                      published: int | None) -> None:
        article_id, title, link, summary, author, old_published, first_seen = row
        # A missing date or link in a later copy of the feed does not erase the one we have.
        link = entry.link or link
        author = entry.author or author
        published = published if published is not None else old_published
        if (entry.title, link, entry.summary, author, published) == (
                title, row[2], summary, row[4], old_published):
            return
        conn.execute(
            "UPDATE articles SET title = ?, link = ?, summary = ?, author = ?, published = ?, "
            "sort_time = ? WHERE id = ?",
            (entry.title, link, entry.summary, author, published,
             published if published is not None else first_seen, article_id))
        if (entry.title, entry.summary) != (title, summary):
            folded_title, folded_summary, words = entry_search_text(entry.title, entry.summary)
            conn.execute("UPDATE search SET title = ?, summary = ? WHERE rowid = ?",
                         (folded_title, folded_summary, article_id))
            conn.execute("UPDATE search_exact SET words = ? WHERE rowid = ?",
                         (words, article_id))

    # --- filters -----------------------------------------------------------------------------
    def set_filters(self, filters: Sequence[Filter]) -> None:
        """Hide what `filters` match from every list and count of this Store (store_hidden)."""
        self._filters = tuple(filters)
        self._hidden_upto = None

    def _hide(self) -> None:
        """Bring the hidden set up to date when articles were stored since it was computed."""
        if not self._filters:
            return
        newest = self._conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        if newest == self._hidden_upto:
            return
        self._searchable()
        fill_hidden(self._conn, self._filters)
        # Articles not yet in the search index (another process holds the lock) cannot match:
        # the set is computed again on the next look, until they are indexed.
        self._hidden_upto = None if self.pending_search() else newest

    @guarded
    def filter_matches(self) -> list[int]:
        """How many stored articles each filter matches (0: an unused filter)."""
        self._searchable()
        return filter_matches(self._conn, self._filters)

    def _hidden_clause(self, query: ArticleQuery, column: str) -> str | None:
        """The condition leaving out (or, for `filtered`, keeping only) the hidden articles."""
        if query.filtered:
            return f"{column} IN ({HIDDEN_IDS})" if self._filters else "0"
        return f"{column} NOT IN ({HIDDEN_IDS})" if self._filters else None

    # --- lists -------------------------------------------------------------------------------
    def _select(self, query: ArticleQuery, *, ranked: bool = True) -> tuple[str, list[Any]]:
        """SQL selecting the ids of `query` in list order (or unordered when not `ranked`).

        A search first indexes the articles that wait for it (_searchable), so that every
        entry point of a search finds every stored article."""
        terms = parse_query(query.search)
        params: list[Any] = []
        self._hide()
        if terms:
            self._searchable()
            where = ["search MATCH ?"]
            params.append(fts_expression(terms))
            if query.category is not None:
                where.append("EXISTS (SELECT 1 FROM article_categories c "
                             "WHERE c.article_id = a.id AND c.category = ?)")
                params.append(query.category)
            if query.unread_only:
                where.append("a.read = 0")
            if query.starred_only:
                where.append("a.starred = 1")
            where += self._narrowing(query, "a.id", params)
            # INDEXED BY: the planner would read whole article rows by rowid (see store_schema v3).
            # FTS5 gives its matches newest id first and stops at the cap.
            hits = ("SELECT search.rowid AS id, a.sort_time AS sort_time "
                    "FROM search JOIN articles a INDEXED BY articles_search "
                    f"ON a.id = search.rowid WHERE {' AND '.join(where)} "
                    f"ORDER BY search.rowid DESC LIMIT {SEARCH_CANDIDATES:d}")
            if not ranked:
                return f"SELECT id FROM ({hits})", params
            # Exact hits first (every accented term found as typed in title/summary), then the
            # loose words side by side, then hits in the title, then newest. Each subquery looks
            # at ids from the oldest candidate on only. Not bm25(): it counts every match of
            # every term (its idf) whatever the cap, 35-70 ms at 1,000,000 articles.
            since = "rowid >= (SELECT min(id) FROM hits)"
            ranking: list[str] = []
            exact = exact_expression(terms)
            if exact:
                ranking.append("(id IN (SELECT rowid FROM search_exact "
                               f"WHERE search_exact MATCH ? AND {since})) DESC")
                params.append(exact)
            for expression in (adjacent_expression(terms), title_expression(terms)):
                if expression:
                    ranking.append(f"(id IN (SELECT rowid FROM search WHERE search MATCH ? "
                                   f"AND {since})) DESC")
                    params.append(expression)
            ranking += ["sort_time DESC", "id DESC"]
            return (f"WITH hits AS MATERIALIZED ({hits}) SELECT id FROM hits "
                    f"ORDER BY {', '.join(ranking)}"), params
        if query.category is not None:
            # Index-only scans of article_categories (see store_schema).
            where = ["category = ?"]
            params.append(query.category)
            if query.unread_only:
                where.append("read = 0")
            if query.starred_only:
                where.append("starred = 1")
            where += self._narrowing(query, "article_id", params)
            sql = f"SELECT article_id FROM article_categories WHERE {' AND '.join(where)}"
            order = " ORDER BY sort_time DESC, article_id DESC"
        else:
            where = []
            if query.unread_only:
                where.append("read = 0")
            if query.starred_only:
                where.append("starred = 1")
            where += self._narrowing(query, "id", params)
            sql = "SELECT id FROM articles" + (f" WHERE {' AND '.join(where)}" if where else "")
            order = " ORDER BY sort_time DESC, id DESC"
        return (sql + order if ranked else sql), params

    def _narrowing(self, query: ArticleQuery, column: str, params: list[Any]) -> list[str]:
        """Conditions for the feed of a sources entry and for the filters."""
        where = []
        if query.feed is not None:
            where.append(f"{column} IN (SELECT article_id FROM article_feeds WHERE feed_id = "
                         "(SELECT id FROM feeds WHERE url = ?))")
            params.append(query.feed)
        hidden = self._hidden_clause(query, column)
        if hidden:
            where.append(hidden)
        return where

    @guarded
    def count(self, query: ArticleQuery) -> int:
        """How many articles `query` lists."""
        sql, params = self._select(query, ranked=False)
        return int(self._conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])

    @guarded
    def page(self, query: ArticleQuery, offset: int, limit: int) -> list[Article]:
        """Articles newest first (published, else first seen; ties by id desc)."""
        if limit <= 0:
            return []
        sql, params = self._select(query)
        ids = [r[0] for r in self._conn.execute(f"{sql} LIMIT ? OFFSET ?",
                                                [*params, int(limit), max(0, int(offset))])]
        return self.articles(ids)

    @guarded
    def ids(self, query: ArticleQuery) -> list[int]:
        """Every id of a query in list order (ints only: cheap even for 100,000 rows)."""
        sql, params = self._select(query)
        return [r[0] for r in self._conn.execute(sql, params)]

    @guarded
    def articles(self, ids: Iterable[int]) -> list[Article]:
        """The given articles, in the order given (missing ids skipped)."""
        wanted = [int(i) for i in ids]
        found: dict[int, Article] = {}
        for chunk in _chunks(dict.fromkeys(wanted)):
            marks = _marks(len(chunk))
            feeds: dict[int, list[tuple[str, str, str]]] = {}
            for article_id, url, title, category in self._conn.execute(
                    "SELECT af.article_id, f.url, coalesce(f.title, f.feed_title, f.url), "
                    "f.category FROM article_feeds af JOIN feeds f ON f.id = af.feed_id "
                    f"WHERE af.article_id IN ({marks}) "
                    "ORDER BY af.article_id, f.active DESC, f.position, f.id", chunk):
                feeds.setdefault(article_id, []).append((url, title, category))
            for row in self._conn.execute(
                    "SELECT a.id, a.title, a.link, a.summary, a.published, a.first_seen, a.read, "
                    "a.starred, a.author, "
                    "EXISTS (SELECT 1 FROM full_texts t WHERE t.article_id = a.id) "
                    f"FROM articles a WHERE a.id IN ({marks})", chunk):
                links = feeds.get(row[0], [])
                categories = tuple(dict.fromkeys(c for _, _, c in links if c))
                found[row[0]] = Article(
                    id=row[0], title=row[1], link=row[2], summary=row[3],
                    published=_dt(row[4]), first_seen=_dt(row[5]) or datetime.now(UTC),
                    feed_title=links[0][1] if links else "", feed_url=links[0][0] if links else "",
                    categories=categories, read=bool(row[6]), starred=bool(row[7]),
                    has_full_text=bool(row[9]), author=row[8])
        return [found[i] for i in wanted if i in found]

    def article(self, article_id: int) -> Article | None:
        """One article, or None."""
        found = self.articles([article_id])
        return found[0] if found else None

    @guarded
    def counts(self, categories: Sequence[str] = (), *, searches: Sequence[str] = (),
               feeds: bool = False) -> Counts:
        """Total, unread, starred, and unread per category (categories not seen count 0); with
        `searches` (queries) unread per saved search, with `feeds` unread per feed URL. What the
        filters hide is counted nowhere.

        Read from the tallies the cache keeps (store_schema v7), less what the filters hide:
        the cost grows with the feeds and the hidden articles, not with the cache.
        """
        conn = self._conn
        self._hide()
        total, unread, starred = conn.execute(
            "SELECT total, unread, starred FROM tally").fetchone()
        if not categories:
            categories = [r[0] for r in conn.execute(
                "SELECT category FROM feeds WHERE category != '' "
                "GROUP BY category ORDER BY min(position)")]
        tallied: dict[str, int] = dict(conn.execute(
            "SELECT category, unread FROM category_unread"))
        by_feed: dict[str, int] = {}
        if feeds:
            by_feed = dict(conn.execute("SELECT url, unread FROM feeds WHERE unread > 0"))
        if self._filters:
            # From the hidden ids out (CROSS JOIN keeps that order), the state from an index:
            # a cost that grows with what is hidden, not with the cache.
            hidden = conn.execute(
                "SELECT count(*), coalesce(sum(a.read = 0), 0), coalesce(sum(a.starred = 1), 0) "
                "FROM temp.hidden h CROSS JOIN articles a INDEXED BY articles_search "
                "ON a.id = h.article_id").fetchone()
            total, unread, starred = total - hidden[0], unread - hidden[1], starred - hidden[2]
            for category, n in conn.execute(
                    "SELECT category, count(*) FROM article_categories "
                    f"WHERE article_id IN ({HIDDEN_IDS}) AND read = 0 GROUP BY category"):
                tallied[category] = tallied.get(category, 0) - n
            if feeds:
                for url, n in conn.execute(
                        "SELECT f.url, count(*) FROM temp.hidden h "
                        "CROSS JOIN articles a INDEXED BY articles_search ON a.id = h.article_id "
                        "CROSS JOIN article_feeds af ON af.article_id = a.id "
                        "CROSS JOIN feeds f ON f.id = af.feed_id WHERE a.read = 0 GROUP BY f.url"):
                    by_feed[url] = by_feed.get(url, 0) - n
                by_feed = {url: n for url, n in by_feed.items() if n > 0}
        by_category = {c: tallied.get(c, 0) for c in categories}
        by_search = {q: self.count(ArticleQuery(search=q, unread_only=True)) for q in searches}
        return Counts(total=total, unread=unread, starred=starred, by_category=by_category,
                      by_search=by_search, by_feed=by_feed)

    # --- state -------------------------------------------------------------------------------
    def _set_flag(self, column: str, ids: Iterable[int], value: bool) -> int:
        changed = 0
        flag = int(bool(value))
        with self._write() as conn:
            for chunk in _chunks(int(i) for i in ids):
                cur = conn.execute(f"UPDATE articles SET {column} = ? WHERE {column} != ? "
                                   f"AND id IN ({_marks(len(chunk))})", [flag, flag, *chunk])
                changed += cur.rowcount
        return changed

    @guarded
    def set_read(self, ids: Iterable[int], read: bool = True) -> int:
        """Mark articles read (or unread); returns how many changed."""
        return self._set_flag("read", ids, read)

    @guarded
    def set_starred(self, ids: Iterable[int], starred: bool = True) -> int:
        """Star (or unstar) articles; returns how many changed."""
        return self._set_flag("starred", ids, starred)

    @guarded
    def mark_all_read(self, query: ArticleQuery) -> int:
        """Mark every unread article of `query` read in one transaction; returns how many."""
        sql, params = self._select(query, ranked=False)
        with self._write() as conn:
            cur = conn.execute(f"UPDATE articles SET read = 1 WHERE read = 0 AND id IN ({sql})",
                               params)
            return cur.rowcount

    # --- full text ---------------------------------------------------------------------------
    @guarded
    def save_full_text(self, article_id: int, full: FullText) -> None:
        """Keep the extracted text of an article (ignored when the article is gone)."""
        with self._write() as conn:
            exists = conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
            if exists is None:
                return  # purged while the page was being fetched
            conn.execute("INSERT OR REPLACE INTO full_texts (article_id, json) VALUES (?, ?)",
                         (article_id, full_text_to_json(full)))
            conn.execute("UPDATE search SET body = ? WHERE rowid = ?",
                         (full_text_index(full), article_id))

    @guarded
    def full_text(self, article_id: int) -> FullText | None:
        """The stored full text of an article, or None."""
        row = self._conn.execute("SELECT json FROM full_texts WHERE article_id = ?",
                                 (article_id,)).fetchone()
        return full_text_from_json(row[0]) if row else None

    @guarded
    def ids_without_full_text(self, since: datetime | None = None, limit: int = 500) -> list[int]:
        """Newest first: articles with an http(s) link and no stored full text, first seen at or
        after `since` when given (a refresh passes its start time to get the new ones)."""
        params: list[Any] = []
        where = ["(a.link LIKE 'http://%' OR a.link LIKE 'https://%')",
                 "NOT EXISTS (SELECT 1 FROM full_texts t WHERE t.article_id = a.id)"]
        if since is not None:
            where.append("a.first_seen >= ?")
            params.append(_epoch(since))
        rows = self._conn.execute(
            f"SELECT a.id FROM articles a WHERE {' AND '.join(where)} "
            "ORDER BY a.sort_time DESC, a.id DESC LIMIT ?", [*params, int(limit)])
        return [r[0] for r in rows]

    # --- weather -----------------------------------------------------------------------------
    @guarded
    def save_weather(self, observations: Sequence[Weather]) -> None:
        """Keep the last good observation per city name."""
        good = [w for w in observations if w.temperature_c is not None]
        if not good:
            return
        with self._write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO weather (city, temperature, code, is_day, observed_at, "
                "fetched_at) VALUES (?, ?, ?, ?, ?, ?)",
                [(w.city, w.temperature_c, w.weather_code,
                  None if w.is_day is None else int(w.is_day), _epoch(w.observed_at),
                  _epoch(w.fetched_at or datetime.now(UTC))) for w in good])

    @guarded
    def weather(self, cities: Sequence[str]) -> list[Weather]:
        """One Weather per requested city, in the order given; never-fetched cities have Nones."""
        out = []
        for city in cities:
            row = self._conn.execute(
                "SELECT temperature, code, is_day, observed_at, fetched_at FROM weather "
                "WHERE city = ?", (city,)).fetchone()
            if row is None:
                out.append(Weather(city, None, None, None, None, None))
            else:
                out.append(Weather(city, row[0], row[1], None if row[2] is None else bool(row[2]),
                                   _dt(row[3]), _dt(row[4])))
        return out

    # --- settings (e.g. the theme the reader chose) ------------------------------------------
    @guarded
    def setting(self, key: str) -> str | None:
        """A stored setting, or None."""
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @guarded
    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))

    # --- upkeep ------------------------------------------------------------------------------
    @guarded
    def purge(self, keep_days: int, *, now: datetime | None = None) -> int:
        """Drop unstarred articles first seen more than keep_days ago. Returns how many.

        An article with a mark that waits to be sent to the [sync] server stays until it is."""
        cutoff = _epoch((now or datetime.now(UTC)) - timedelta(days=keep_days))
        dropped = 0
        while True:
            # Batches keep each transaction short, so the reader's writes slip in between.
            with self._write() as conn:
                ids = [r[0] for r in conn.execute(
                    "SELECT id FROM articles WHERE starred = 0 AND first_seen < ? "
                    "AND id NOT IN (SELECT article_id FROM sync_items WHERE "
                    "read_mark IS NOT NULL OR starred_mark IS NOT NULL) LIMIT ?",
                    (cutoff, _PURGE_BATCH))]
                if not ids:
                    break
                marks = _marks(len(ids))
                conn.execute(f"DELETE FROM search WHERE rowid IN ({marks})", ids)
                conn.execute(f"DELETE FROM search_exact WHERE rowid IN ({marks})", ids)
                conn.execute(f"DELETE FROM articles WHERE id IN ({marks})", ids)
            dropped += len(ids)
        return dropped

    @guarded
    def compact(self) -> None:
        """Merge the search index, count the unread tallies again from the rows (a repair that
        costs little beside the VACUUM), checkpoint the WAL and VACUUM the file."""
        with self._write() as conn:
            recount(conn)
            conn.execute("INSERT INTO search (search) VALUES ('optimize')")
            conn.execute("INSERT INTO search_exact (search_exact) VALUES ('optimize')")
        self._conn.execute("VACUUM")
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.execute("PRAGMA optimize")
