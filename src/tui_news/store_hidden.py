"""The articles `[[filters]]` hide: matched through the search index, kept in a TEMP table of the
connection (no write to the cache, nothing to migrate; a read-only cache is filtered too).

Every list and count of the Store leaves out `HIDDEN_IDS`; `articles --filtered` lists them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from tui_news.models import Filter
from tui_news.search import fts_expression, parse_query

HIDDEN_IDS = "SELECT article_id FROM temp.hidden"


def filter_sql(rule: Filter) -> tuple[str, list[Any]]:
    """SQL selecting the ids of the articles `rule` matches (the search's folded matching)."""
    sql = "SELECT rowid FROM search WHERE search MATCH ?"
    params: list[Any] = [fts_expression(parse_query(rule.match))]
    if rule.feed is not None:
        sql += (" AND rowid IN (SELECT af.article_id FROM article_feeds af "
                "JOIN feeds f ON f.id = af.feed_id WHERE f.url = ?)")
        params.append(rule.feed)
    if rule.category is not None:
        sql += " AND rowid IN (SELECT article_id FROM article_categories WHERE category = ?)"
        params.append(rule.category)
    return sql, params


def fill_hidden(conn: sqlite3.Connection, filters: Sequence[Filter]) -> None:
    """Compute the hidden set again (a temp table: the cache file is not written)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS hidden (article_id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.hidden")
    for rule in filters:
        sql, params = filter_sql(rule)
        conn.execute(f"INSERT OR IGNORE INTO temp.hidden {sql}", params)


def filter_matches(conn: sqlite3.Connection, filters: Sequence[Filter]) -> list[int]:
    """How many stored articles each filter matches, in order."""
    counts = []
    for rule in filters:
        sql, params = filter_sql(rule)
        counts.append(int(conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]))
    return counts
