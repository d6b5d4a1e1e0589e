"""The cache schema: one migration step per version, applied in order inside one transaction."""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from tui_news.models import Block, BlockKind, FullText
from tui_news.search import index_text, plain_text

# Version 1: tables, indexes and the triggers that keep article_categories in step.
_V1 = """
CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    category      TEXT NOT NULL DEFAULT '',
    title         TEXT,               -- configured
    feed_title    TEXT,               -- the feed's own, once seen
    position      INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1,
    etag          TEXT,
    last_modified TEXT,
    body_hash     TEXT,
    retry_after   INTEGER,
    last_fetched  INTEGER,
    last_status   TEXT,
    last_error    TEXT
);

CREATE TABLE articles (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    link       TEXT,
    summary    TEXT NOT NULL DEFAULT '',
    author     TEXT,
    published  INTEGER,               -- UTC epoch seconds
    first_seen INTEGER NOT NULL,
    sort_time  INTEGER NOT NULL,      -- coalesce(published, first_seen)
    read       INTEGER NOT NULL DEFAULT 0,
    starred    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_time    ON articles (sort_time, id);
CREATE INDEX articles_unread  ON articles (read, sort_time, id, starred);
CREATE INDEX articles_starred ON articles (starred, sort_time, id);
CREATE INDEX articles_age     ON articles (starred, first_seen);

CREATE TABLE article_feeds (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    feed_id    INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, feed_id)
) WITHOUT ROWID;
CREATE INDEX article_feeds_feed ON article_feeds (feed_id, article_id);

-- Denormalised: one row per (article, category) with copies of the list columns, so that category
-- lists and unread counts are index-only range scans (a join per row cost 150+ ms at 100,000).
CREATE TABLE article_categories (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    category   TEXT NOT NULL,
    sort_time  INTEGER NOT NULL,
    read       INTEGER NOT NULL,
    starred    INTEGER NOT NULL,
    PRIMARY KEY (article_id, category)
) WITHOUT ROWID;
CREATE INDEX article_categories_time    ON article_categories
    (category, sort_time, article_id, read, starred);
CREATE INDEX article_categories_unread  ON article_categories
    (category, read, sort_time, article_id, starred);
CREATE INDEX article_categories_starred ON article_categories
    (category, starred, sort_time, article_id);

CREATE TRIGGER article_feeds_categorise AFTER INSERT ON article_feeds BEGIN
    INSERT OR IGNORE INTO article_categories (article_id, category, sort_time, read, starred)
    SELECT a.id, f.category, a.sort_time, a.read, a.starred
    FROM articles a, feeds f
    WHERE a.id = new.article_id AND f.id = new.feed_id AND f.category != '';
END;

CREATE TRIGGER articles_copy_state AFTER UPDATE OF read, starred, sort_time ON articles
WHEN old.read != new.read OR old.starred != new.starred OR old.sort_time != new.sort_time
BEGIN
    UPDATE article_categories
    SET read = new.read, starred = new.starred, sort_time = new.sort_time
    WHERE article_id = new.id;
END;

CREATE TABLE full_texts (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    json       TEXT NOT NULL
);

CREATE TABLE weather (
    city        TEXT PRIMARY KEY,
    temperature REAL,
    code        INTEGER,
    is_day      INTEGER,
    observed_at INTEGER,
    fetched_at  INTEGER
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# Rebuilds the category rows of some articles from their feeds (after a feed changes category).
RECATEGORISE = """
INSERT OR IGNORE INTO article_categories (article_id, category, sort_time, read, starred)
SELECT a.id, f.category, a.sort_time, a.read, a.starred
FROM article_feeds af JOIN articles a ON a.id = af.article_id JOIN feeds f ON f.id = af.feed_id
WHERE f.category != '' AND af.article_id IN (SELECT article_id FROM article_feeds WHERE feed_id = ?)
"""


def _v1(conn: sqlite3.Connection) -> None:
    for statement in _split(_V1):
        conn.execute(statement)


def _v2(conn: sqlite3.Connection) -> None:
    """The search index: a folded copy of title, summary and full text, plus an unfolded one."""
    conn.execute("CREATE VIRTUAL TABLE search USING fts5(title, summary, body, "
                 "tokenize = 'unicode61 remove_diacritics 2')")
    # Ranking needs "contains the words as typed, accents and all"; testing that per match with
    # instr() cost 100+ ms at 100,000 rows, an index of the unfolded words answers it in a few ms.
    conn.execute("CREATE VIRTUAL TABLE search_exact USING fts5(words, "
                 "tokenize = 'unicode61 remove_diacritics 0')")
    # Existing caches: index what is already stored.
    rows = conn.execute(
        "SELECT a.id, a.title, a.summary, f.json FROM articles a "
        "LEFT JOIN full_texts f ON f.article_id = a.id"
    )
    for article_id, title, summary, raw in rows.fetchall():
        full = full_text_from_json(raw) if raw else None
        conn.execute("INSERT INTO search (rowid, title, summary, body) VALUES (?, ?, ?, ?)",
                     (article_id, index_text(title), index_text(summary), full_text_index(full)))
        conn.execute("INSERT INTO search_exact (rowid, words) VALUES (?, ?)",
                     (article_id, plain_text(title, summary)))


def _v3(conn: sqlite3.Connection) -> None:
    """A covering index for the join from the search index to the articles.

    Ranking a search orders every match by sort_time and filters on read/starred; reading them
    from the whole article rows (title and lead inline) cost 35 of the 80 ms that 'Đà Nẵng' took
    among 100,000 articles (35,000 matches); from this index 15 ms.
    """
    conn.execute("CREATE INDEX articles_search ON articles (id, sort_time, read, starred)")


def full_text_to_json(full: FullText) -> str:
    """The stored form of a FullText."""
    return json.dumps({
        "title": full.title,
        "published": int(full.published.timestamp()) if full.published else None,
        "blocks": [[b.kind.value, b.text] for b in full.blocks],
        "links": list(full.links),
        "source_url": full.source_url,
    }, ensure_ascii=False)


def full_text_from_json(raw: str) -> FullText | None:
    """Read a stored FullText; None when the JSON is not one we wrote."""
    try:
        data = json.loads(raw)
        published = data.get("published")
        return FullText(
            title=data.get("title"),
            published=datetime.fromtimestamp(published, UTC) if published is not None else None,
            blocks=tuple(Block(BlockKind(kind), str(text)) for kind, text in data["blocks"]),
            links=tuple(str(link) for link in data.get("links", ())),
            source_url=data.get("source_url"),
        )
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, OSError):
        return None


def full_text_index(full: FullText | None) -> str:
    """The folded body text the search index holds for a full text ('' when none)."""
    if full is None:
        return ""
    return index_text("\n".join(b.text for b in full.blocks))


def _split(script: str) -> list[str]:
    """Statements of a script; triggers keep their inner semicolons."""
    out: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not current.strip():
            continue
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return [s for s in out if s]


def _v4(conn: sqlite3.Connection) -> None:
    """Articles stored but not yet in the search indexes (Store.index_pending).

    A refresh no longer feeds the two FTS5 indexes itself: tokenizing every title and lead twice
    was about 1 s of a cold 200-feed refresh, all of it on the one writer the refresh waits
    for. The ids wait here; the next search, or the reader's refresh process once it has
    reported, indexes them. Existing caches are fully indexed: nothing waits.
    """
    conn.execute("CREATE TABLE search_pending ("
                 "article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE)")


_V5 = """
ALTER TABLE feeds ADD COLUMN server_id INTEGER;  -- the feed server's id of a synced feed

-- Every article that came from the feed server, by the server's id for it (a link shared by two
-- server items is one article with two rows). read_mark / starred_mark: a mark made here and not
-- yet sent (1 or 0), NULL when none waits; the triggers below fill them in.
CREATE TABLE sync_items (
    server_id    INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    read_mark    INTEGER,
    starred_mark INTEGER
);
CREATE INDEX sync_items_article ON sync_items (article_id);
CREATE INDEX sync_items_pending ON sync_items (server_id)
    WHERE read_mark IS NOT NULL OR starred_mark IS NOT NULL;

CREATE TRIGGER sync_items_read AFTER UPDATE OF read ON articles WHEN old.read != new.read
BEGIN
    UPDATE sync_items SET read_mark = new.read WHERE article_id = new.id;
END;

CREATE TRIGGER sync_items_starred AFTER UPDATE OF starred ON articles
WHEN old.starred != new.starred
BEGIN
    UPDATE sync_items SET starred_mark = new.starred WHERE article_id = new.id;
END;
"""


def _v5(conn: sqlite3.Connection) -> None:
    """Sync with a feed server: the server's ids of feeds and articles, and the marks made here
    that wait to be sent.

    Every change of read or starred state, whoever makes it (the reader's mark queue, `tui-news
    mark`, mark-all-read), is queued by a trigger for the articles the server knows; the sync
    sends each once and clears it. The sync's own changes (the server's state) clear what their
    triggers queued in the same transaction.
    """
    for statement in _split(_V5):
        conn.execute(statement)


def _v6(conn: sqlite3.Connection) -> None:
    """Prefix indexes in the folded search index, for words of 3 to 5 letters.

    A word of three letters or more matches as a prefix (search.py), and FTS5 answers a prefix
    without such an index by merging the doclists of every word it starts in memory, all of
    them, before a search can stop at its newest matches: 'tho' (thơ, thời, thông…) cost 125 ms
    at 1,000,000 articles. With the index a prefix is read like one word. The index is rebuilt
    from the old one's text (no Python work), once: 13 s of CPU at 100,000 articles (52 s on
    a machine at load 5); commands and the reader say so first (CacheFile.long_upgrade_due).
    """
    create = ("CREATE VIRTUAL TABLE search USING fts5(title, summary, body, "
              "prefix = '3 4 5', tokenize = 'unicode61 remove_diacritics 2')")
    if conn.execute("SELECT 1 FROM search LIMIT 1").fetchone() is None:
        # A new cache (every refresh into a fresh data dir): renaming cost 13 ms, this 1 ms.
        conn.execute("DROP TABLE search")
        conn.execute(create)
        return
    conn.execute("ALTER TABLE search RENAME TO search_v5")
    conn.execute(create)
    conn.execute("INSERT INTO search (rowid, title, summary, body) "
                 "SELECT rowid, title, summary, body FROM search_v5")
    conn.execute("DROP TABLE search_v5")


_V7 = """
-- What Store.counts reads instead of counting rows, kept by the triggers below. `tally` has one
-- row (every article, the unread ones, the starred ones); category_unread the unread rows of
-- article_categories by category; feeds.unread the unread articles linked to each feed.
-- New articles are added to `tally` by the statement that inserts them (Store.ingest), not by a
-- trigger: any trigger on that INSERT gives every row a statement journal of its own (the
-- original of each of its ~8 pages copied), which cost 40% more CPU for a cold refresh.
CREATE TABLE tally (
    id      INTEGER PRIMARY KEY CHECK (id = 0),
    total   INTEGER NOT NULL,
    unread  INTEGER NOT NULL,
    starred INTEGER NOT NULL
);
CREATE TABLE category_unread (
    category TEXT PRIMARY KEY,
    unread   INTEGER NOT NULL
) WITHOUT ROWID;
ALTER TABLE feeds ADD COLUMN unread INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER articles_tally_delete AFTER DELETE ON articles BEGIN
    UPDATE tally SET total = total - 1, unread = unread - (old.read = 0),
                     starred = starred - (old.starred = 1);
END;

-- Before the row goes: its article_feeds rows go with it (ON DELETE CASCADE, after the row).
CREATE TRIGGER articles_tally_feeds_delete BEFORE DELETE ON articles WHEN old.read = 0 BEGIN
    UPDATE feeds SET unread = unread - 1
    WHERE id IN (SELECT feed_id FROM article_feeds WHERE article_id = old.id);
END;

CREATE TRIGGER articles_tally_state AFTER UPDATE OF read, starred ON articles
WHEN (old.read = 0) != (new.read = 0) OR (old.starred = 1) != (new.starred = 1)
BEGIN
    UPDATE tally SET unread = unread + (new.read = 0) - (old.read = 0),
                     starred = starred + (new.starred = 1) - (old.starred = 1);
    UPDATE feeds SET unread = unread + (new.read = 0) - (old.read = 0)
    WHERE (old.read = 0) != (new.read = 0)
      AND id IN (SELECT feed_id FROM article_feeds WHERE article_id = new.id);
END;

CREATE TRIGGER article_feeds_tally_insert AFTER INSERT ON article_feeds BEGIN
    UPDATE feeds SET unread = unread + 1
    WHERE id = new.feed_id AND (SELECT read FROM articles WHERE id = new.article_id) = 0;
END;

-- An article deleted is gone by now (the cascade runs after its row): counted above.
CREATE TRIGGER article_feeds_tally_delete AFTER DELETE ON article_feeds BEGIN
    UPDATE feeds SET unread = unread - 1
    WHERE id = old.feed_id AND (SELECT read FROM articles WHERE id = old.article_id) = 0;
END;

CREATE TRIGGER article_categories_tally_insert AFTER INSERT ON article_categories
WHEN new.read = 0 BEGIN
    INSERT INTO category_unread (category, unread) VALUES (new.category, 1)
    ON CONFLICT (category) DO UPDATE SET unread = unread + 1;
END;

CREATE TRIGGER article_categories_tally_delete AFTER DELETE ON article_categories
WHEN old.read = 0 BEGIN
    UPDATE category_unread SET unread = unread - 1 WHERE category = old.category;
END;

CREATE TRIGGER article_categories_tally_update AFTER UPDATE OF read, category
ON article_categories
WHEN (old.read = 0) != (new.read = 0) OR old.category != new.category
BEGIN
    UPDATE category_unread SET unread = unread - 1
    WHERE category = old.category AND old.read = 0;
    INSERT INTO category_unread (category, unread) SELECT new.category, 1 WHERE new.read = 0
    ON CONFLICT (category) DO UPDATE SET unread = unread + 1;
END;
"""


# The tallies counted from the rows (the upgrade to v7; `compact`; a cache built in raw SQL).
RECOUNT = """
INSERT OR REPLACE INTO tally (id, total, unread, starred)
SELECT 0, count(*), coalesce(sum(read = 0), 0), coalesce(sum(starred = 1), 0) FROM articles;
DELETE FROM category_unread;
INSERT INTO category_unread (category, unread)
SELECT category, count(*) FROM article_categories WHERE read = 0 GROUP BY category;
UPDATE feeds SET unread = (SELECT count(*) FROM article_feeds af JOIN articles a
                           ON a.id = af.article_id WHERE af.feed_id = feeds.id AND a.read = 0);
"""


def recount(conn: sqlite3.Connection) -> None:
    """Count the tallies of v7 again from the rows (inside the caller's transaction)."""
    for statement in _split(RECOUNT):
        conn.execute(statement)


def _v7(conn: sqlite3.Connection) -> None:
    """Unread counts kept as they change, not counted: the sidebar's counts cost O(feeds +
    categories), whatever the size of the cache.

    Counting the unread rows of 12 categories read every unread index entry: 16 ms at 100,000
    articles, 120 ms at 1,000,000, on every refresh and mark. Triggers keep three tallies exact
    whoever writes (ingest, marks, mark-all, sync, purge, a feed moved to another category);
    the upgrade counts them once from the rows (a fraction of a second at 100,000).
    """
    for statement in _split(_V7):
        conn.execute(statement)
    recount(conn)


# PRAGMA application_id of every cache: "tunw". Set with the first migration (and on caches made
# before it existed); a file with another id is not ours and is never written.
APPLICATION_ID = 0x74756E77


# MIGRATIONS[n] takes a cache at version n to version n + 1. Append only; never edit a shipped step.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1, _v2, _v3, _v4, _v5, _v6, _v7]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, current: int, target: int = SCHEMA_VERSION) -> None:
    """Apply the steps from `current` up to `target` (the caller holds the write transaction)."""
    for version in range(current, target):
        MIGRATIONS[version](conn)
        conn.execute(f"PRAGMA user_version = {version + 1:d}")  # pragma takes no parameters


@functools.cache
def our_tables() -> frozenset[str]:
    """Every table name our schema makes (FTS5 shadow tables included), from the migrations
    run on an empty in-memory database: a cache from before the application id holds these
    and nothing else."""
    conn = sqlite3.connect(":memory:")
    try:
        migrate(conn, 0)
        return frozenset(r[0] for r in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table'"))
    finally:
        conn.close()
