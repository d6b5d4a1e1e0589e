"""What the cache keeps for a sync with a feed server: the server's ids of feeds and articles,
the marks made here that wait to be sent, and how the last sync went.

SyncStore is a Store with these tables' methods; only the sync opens one (sync/engine.py). The
queue of marks fills itself: triggers (store_schema v5) record every change of read or starred
state of an article the server knows, whoever makes it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tui_news.models import ParsedEntry, SyncStatus
from tui_news.store import Store, _chunks, _marks, guarded
from tui_news.store_schema import RECATEGORISE

# settings keys (the settings table); none holds a credential
SERVER_KEY = "sync.server"  # a hash naming the server and account the ids belong to
SINCE_KEY = "sync.since_id"  # the highest item id fetched by paging
LAST_OK_KEY = "sync.last_ok"  # epoch seconds of the last sync that completed
LAST_ERROR_KEY = "sync.last_error"  # the last sync's fault, one line ('' when it completed)
LAST_TRY_KEY = "sync.last_attempt"  # epoch seconds
SERVER_POSITION = 1_000_000  # server feeds are listed after the configured ones


@dataclass(frozen=True)
class PendingMark:
    server_id: int
    field: str  # "read" | "starred"
    value: bool


@dataclass(frozen=True)
class ServerFeed:
    """A feed of the server, as the cache keeps it."""

    server_id: int
    url: str
    title: str | None
    category: str


@dataclass(frozen=True)
class ServerEntry:
    """One server item ready to store: its id, its feed's id, the parsed entry, its state there."""

    server_id: int
    feed_id: int
    entry: ParsedEntry
    read: bool
    saved: bool


def sync_status(store: Store) -> SyncStatus:
    """How the last sync went (for the status line and `tui-news sync`), from any Store."""
    ok = store.setting(LAST_OK_KEY)
    tried = store.setting(LAST_TRY_KEY)
    return SyncStatus(
        last_ok=datetime.fromtimestamp(int(ok), UTC) if ok else None,
        last_attempt=datetime.fromtimestamp(int(tried), UTC) if tried else None,
        error=store.setting(LAST_ERROR_KEY) or None,
        pending=pending_count(store))


@guarded
def pending_count(store: Store) -> int:
    """Marks made here that wait to be sent (article × read/starred)."""
    row = store._conn.execute(
        "SELECT coalesce(sum((read_mark IS NOT NULL) + (starred_mark IS NOT NULL)), 0) "
        "FROM sync_items WHERE read_mark IS NOT NULL OR starred_mark IS NOT NULL").fetchone()
    return int(row[0])


class SyncStore(Store):
    """The cache as the sync uses it."""

    # --- the server's identity -----------------------------------------------------------------
    @guarded
    def use_server(self, key: str) -> bool:
        """Remember which server and account the stored ids belong to. Another one than last
        time: every server id is forgotten (articles and their state stay; marks not sent are
        dropped: they were for the other server). True when that happened."""
        with self._write() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (SERVER_KEY,)).fetchone()
            if row and row[0] == key:
                return False
            changed = row is not None
            conn.execute("DELETE FROM sync_items")
            conn.execute("UPDATE feeds SET server_id = NULL, "
                         "active = (position < ?) * active WHERE server_id IS NOT NULL",
                         (SERVER_POSITION,))
            conn.execute("DELETE FROM settings WHERE key = ?", (SINCE_KEY,))
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                         (SERVER_KEY, key))
            return changed

    @guarded
    def since_id(self) -> int:
        value = self.setting(SINCE_KEY)
        return int(value) if value and value.isdigit() else 0

    @guarded
    def record_sync(self, error: str | None, *, at: datetime | None = None) -> None:
        """The outcome of a sync: completed (error None) or its fault."""
        when = str(int((at or datetime.now(UTC)).timestamp()))
        with self._write() as conn:
            rows = [(LAST_TRY_KEY, when), (LAST_ERROR_KEY, error or "")]
            if error is None:
                rows.append((LAST_OK_KEY, when))
            conn.executemany("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", rows)

    # --- feeds ---------------------------------------------------------------------------------
    @guarded
    def store_server_feeds(self, feeds: Sequence[ServerFeed], local_urls: Iterable[str]) -> None:
        """Make the cache's server feeds those of the server. A feed also in the config keeps
        its configured category and title; a feed the server dropped becomes inactive (its
        articles stay) unless it is configured here."""
        local = set(local_urls)
        with self._write() as conn:
            old = {url: (fid, category, server_id) for fid, url, category, server_id in
                   conn.execute("SELECT id, url, category, server_id FROM feeds")}
            seen: set[str] = set()
            recategorise: list[int] = []
            for index, feed in enumerate(feeds):
                if feed.url in seen:
                    continue
                seen.add(feed.url)
                if feed.url in old:
                    fid, category, _ = old[feed.url]
                    if feed.url in local:
                        conn.execute("UPDATE feeds SET server_id = ? WHERE id = ?",
                                     (feed.server_id, fid))
                        continue
                    conn.execute(
                        "UPDATE feeds SET server_id = ?, category = ?, feed_title = "
                        "coalesce(?, feed_title), position = ?, active = 1 WHERE id = ?",
                        (feed.server_id, feed.category, feed.title, SERVER_POSITION + index, fid))
                    if category != feed.category:
                        recategorise.append(fid)
                else:
                    conn.execute(
                        "INSERT INTO feeds (url, category, feed_title, position, active, "
                        "server_id, last_status) VALUES (?, ?, ?, ?, 1, ?, 'ok')",
                        (feed.url, feed.category, feed.title, SERVER_POSITION + index,
                         feed.server_id))
            for url, (fid, _, server_id) in old.items():
                if server_id is not None and url not in seen:
                    conn.execute("UPDATE feeds SET server_id = NULL, active = ? WHERE id = ?",
                                 (int(url in local), fid))
            for fid in recategorise:
                conn.execute("DELETE FROM article_categories WHERE article_id IN "
                             "(SELECT article_id FROM article_feeds WHERE feed_id = ?)", (fid,))
                conn.execute(RECATEGORISE, (fid,))

    @guarded
    def mark_server_feeds_synced(self, at: datetime) -> None:
        """The server fetches its feeds: each is as fresh as the last sync."""
        with self._write() as conn:
            conn.execute("UPDATE feeds SET last_fetched = ?, last_status = 'ok', last_error = NULL "
                         "WHERE server_id IS NOT NULL", (int(at.timestamp()),))

    def server_feed_urls(self) -> dict[int, str]:
        """Server feed id → the cache's feed URL."""
        return {int(sid): url for sid, url in self._conn.execute(
            "SELECT server_id, url FROM feeds WHERE server_id IS NOT NULL")}

    # --- items ---------------------------------------------------------------------------------
    def known_ids(self) -> set[int]:
        """Every server item id the cache has."""
        return {int(r[0]) for r in self._conn.execute("SELECT server_id FROM sync_items")}

    @guarded
    def store_server_items(self, items: Sequence[ServerEntry], feed_urls: Mapping[int, str],
                           *, since_id: int | None = None) -> int:
        """Store one page of server items in one transaction (with the new `since_id`): every
        article once (by key, like any feed's), its server id remembered. A new article takes
        the server's state; one already here from a local feed keeps read and starred as
        they are here too (a mark made here is sent); one the server already gave keeps its
        state (the server's unread and saved lists settle it). Returns how many are new."""
        by_feed: dict[str, list[ParsedEntry]] = {}
        for item in items:
            url = feed_urls.get(item.feed_id) or f"fever:feed/{item.feed_id}"
            by_feed.setdefault(url, []).append(item.entry)
        keys = list(dict.fromkeys(item.entry.key for item in items))
        new = 0
        with self.batch():
            conn = self._conn
            before = self._articles_by_key(conn, keys)
            for url, entries in by_feed.items():
                new += self.ingest(url, entries)
            after = self._articles_by_key(conn, keys)
            with self._write():
                mapped = {int(r[0]) for chunk in _chunks([i.server_id for i in items])
                          for r in conn.execute("SELECT server_id FROM sync_items WHERE "
                                                f"server_id IN ({_marks(len(chunk))})", chunk)}
                for item in items:
                    if item.server_id in mapped or item.entry.key not in after:
                        continue
                    mapped.add(item.server_id)
                    article_id, read, starred = after[item.entry.key]
                    read_mark = starred_mark = None
                    if item.entry.key in before:  # here already: a mark made here is kept
                        if read and not item.read:
                            read_mark = 1
                        if starred and not item.saved:
                            starred_mark = 1
                    # Before the row exists, so that the triggers queue nothing for it.
                    conn.execute("UPDATE articles SET read = max(read, ?), "
                                 "starred = max(starred, ?) WHERE id = ?",
                                 (int(item.read), int(item.saved), article_id))
                    conn.execute("INSERT INTO sync_items (server_id, article_id, read_mark, "
                                 "starred_mark) VALUES (?, ?, ?, ?)",
                                 (item.server_id, article_id, read_mark, starred_mark))
                if since_id is not None:
                    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                                 (SINCE_KEY, str(int(since_id))))
        return new

    @staticmethod
    def _articles_by_key(conn: sqlite3.Connection,
                         keys: Sequence[str]) -> dict[str, tuple[int, bool, bool]]:
        found: dict[str, tuple[int, bool, bool]] = {}
        for chunk in _chunks(keys):
            for key, article_id, read, starred in conn.execute(
                    "SELECT key, id, read, starred FROM articles "
                    f"WHERE key IN ({_marks(len(chunk))})", chunk):
                found[key] = (int(article_id), bool(read), bool(starred))
        return found

    # --- state ---------------------------------------------------------------------------------
    @guarded
    def apply_server_state(self, unread: set[int], saved: set[int]) -> int:
        """The server's state for every article it knows, except where a mark made here waits
        to be sent (that mark wins). An article of several server items is unread when one of
        them is, starred when one is. One transaction; returns how many articles changed."""
        with self._write() as conn:
            want_read: dict[int, bool] = {}
            want_star: dict[int, bool] = {}
            keep_read: set[int] = set()
            keep_star: set[int] = set()
            for server_id, article_id, read_mark, starred_mark in conn.execute(
                    "SELECT server_id, article_id, read_mark, starred_mark FROM sync_items"):
                if read_mark is not None:
                    keep_read.add(article_id)
                if starred_mark is not None:
                    keep_star.add(article_id)
                want_read[article_id] = want_read.get(article_id, True) and server_id not in unread
                want_star[article_id] = want_star.get(article_id, False) or server_id in saved
            changed: set[int] = set()
            for chunk in _chunks(list(want_read)):
                for article_id, read, starred in conn.execute(
                        "SELECT id, read, starred FROM articles "
                        f"WHERE id IN ({_marks(len(chunk))})", chunk):
                    if article_id not in keep_read and bool(read) != want_read[article_id]:
                        conn.execute("UPDATE articles SET read = ? WHERE id = ?",
                                     (int(want_read[article_id]), article_id))
                        conn.execute("UPDATE sync_items SET read_mark = NULL WHERE article_id = ?",
                                     (article_id,))
                        changed.add(article_id)
                    if article_id not in keep_star and bool(starred) != want_star[article_id]:
                        conn.execute("UPDATE articles SET starred = ? WHERE id = ?",
                                     (int(want_star[article_id]), article_id))
                        conn.execute("UPDATE sync_items SET starred_mark = NULL "
                                     "WHERE article_id = ?", (article_id,))
                        changed.add(article_id)
            return len(changed)

    # --- marks to send -------------------------------------------------------------------------
    @guarded
    def pending_marks(self) -> list[PendingMark]:
        """Every mark made here that waits to be sent, oldest server id first."""
        marks: list[PendingMark] = []
        for server_id, read_mark, starred_mark in self._conn.execute(
                "SELECT server_id, read_mark, starred_mark FROM sync_items "
                "WHERE read_mark IS NOT NULL OR starred_mark IS NOT NULL ORDER BY server_id"):
            if read_mark is not None:
                marks.append(PendingMark(int(server_id), "read", bool(read_mark)))
            if starred_mark is not None:
                marks.append(PendingMark(int(server_id), "starred", bool(starred_mark)))
        return marks

    @guarded
    def mark_sent(self, mark: PendingMark) -> None:
        """The server has `mark` (or cannot take it): no longer pending, unless it changed
        again here meanwhile (then the newer value waits)."""
        column = "read_mark" if mark.field == "read" else "starred_mark"
        with self._write() as conn:
            conn.execute(f"UPDATE sync_items SET {column} = NULL "
                         f"WHERE server_id = ? AND {column} = ?",
                         (mark.server_id, int(mark.value)))
